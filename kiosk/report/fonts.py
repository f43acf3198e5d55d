"""The bundled body font, registered with ReportLab once per process.

ReportLab's built-in fonts cover Latin-1 only; DejaVu Sans covers Latin, Greek and
Cyrillic, so a patient's name prints as typed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.core.paths import assets_dir

REGULAR_FILE = "DejaVuSans.ttf"
BOLD_FILE = "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class Fonts:
    """The names under which the fonts are registered."""

    regular: str
    bold: str


def _fonts_dir() -> Path:
    """The folder that holds the bundled fonts: the one place kiosk.report finds assets."""
    return assets_dir() / "fonts"


@functools.cache
def register_fonts() -> Fonts:
    """Register DejaVu Sans (regular and bold) as one family; cached, as it costs ~0.2 s."""
    folder = _fonts_dir()
    fonts = Fonts(regular="DejaVuSans", bold="DejaVuSans-Bold")
    pdfmetrics.registerFont(TTFont(fonts.regular, str(folder / REGULAR_FILE)))
    pdfmetrics.registerFont(TTFont(fonts.bold, str(folder / BOLD_FILE)))
    # No oblique face is bundled: <i> falls back to upright rather than to a
    # Latin-1-only built-in font.
    pdfmetrics.registerFontFamily(
        fonts.regular,
        normal=fonts.regular,
        bold=fonts.bold,
        italic=fonts.regular,
        boldItalic=fonts.bold,
    )
    return fonts
