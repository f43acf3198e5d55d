"""The patient's signature: the PNG the record keeps, drawn inside a thin box.

The PNG is decoded here, before layout, so a damaged one becomes a note in the box
instead of an exception halfway through writing the PDF.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from kiosk.report.fonts import Fonts
from kiosk.report.styles import ALERT, RULE

WIDTH = 80 * mm
MAX_HEIGHT = 35 * mm
MIN_HEIGHT = 18 * mm  # also the height of the box when there is no image
PADDING = 2 * mm
#: A pad's PNG is well under a megapixel; anything far larger is not a signature, and
#: decoding it could take the kiosk's memory.
MAX_PIXELS = 16_000_000

NOT_SIGNED = "NOT SIGNED"
UNREADABLE = "Signature image could not be read"


def decode_signature(png: bytes) -> Image.Image | None:
    """The PNG as an opaque image, flattened onto white; None if it cannot be read."""
    try:
        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                return None
            image.load()  # Image.open reads only the header; damaged data fails here
            return _opaque(image)
    except Exception:  # Pillow raises many types (OSError, SyntaxError, ValueError, ...)
        return None


def _opaque(image: Image.Image) -> Image.Image:
    """Grey stays grey (smaller in the PDF); transparency goes onto white paper."""
    if image.mode in ("1", "L", "I;16", "I", "F"):
        return image.convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("LA", "RGBA", "PA"):
        image = image.convert("RGBA")
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, image).convert("RGB")
    return image.convert("RGB")


class SignatureBox(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A thin box ``WIDTH`` wide: the signature scaled to fit, aspect ratio kept, or a
    bold red note when there is no signature or it cannot be read."""

    def __init__(self, png: bytes | None, fonts: Fonts) -> None:
        super().__init__()
        self.hAlign = "LEFT"
        self._fonts = fonts
        self._image = None if png is None else decode_signature(png)
        self.note: str | None = None
        if png is None:
            self.note = NOT_SIGNED
        elif self._image is None:
            self.note = UNREADABLE
        self.width = WIDTH
        self.height = MIN_HEIGHT
        self._scale = 0.0
        if self._image is not None:
            pixel_w, pixel_h = self._image.size
            self._scale = min((WIDTH - 2 * PADDING) / pixel_w, (MAX_HEIGHT - 2 * PADDING) / pixel_h)
            self.height = max(MIN_HEIGHT, pixel_h * self._scale + 2 * PADDING)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas: Any = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        if self._image is not None:
            pixel_w, pixel_h = self._image.size
            w, h = pixel_w * self._scale, pixel_h * self._scale
            canvas.drawImage(
                ImageReader(self._image),
                (self.width - w) / 2,
                (self.height - h) / 2,
                width=w,
                height=h,
            )
        elif self.note == NOT_SIGNED:
            canvas.setFillColor(ALERT)
            canvas.setFont(self._fonts.bold, 16)
            canvas.drawCentredString(self.width / 2, self.height / 2 - 5.5, NOT_SIGNED)
        else:
            canvas.setFillColor(ALERT)
            canvas.setFont(self._fonts.bold, 10)
            canvas.drawCentredString(self.width / 2, self.height / 2 - 3.5, UNREADABLE)
        canvas.restoreState()
