"""The patient's signature as vector strokes in a thin box."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Rect, String
from reportlab.lib.colors import black
from reportlab.lib.units import mm

from kiosk.core.summary import Signature, Stroke
from kiosk.report.styles import MISUNDERSTOOD, RULE

MAX_WIDTH = 80 * mm
MAX_HEIGHT = 35 * mm
PADDING = 2 * mm
EMPTY_HEIGHT = 18 * mm
INK_WIDTH = 1.1


def _finite(stroke: Stroke) -> list[tuple[float, float]]:
    # A broken pad event must not take the whole report down with it.
    return [(x, y) for x, y in stroke if math.isfinite(x) and math.isfinite(y)]


def _extent(signature: Signature, strokes: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """The pad's size, or the ink's own extent when the recorded size is unusable."""
    width, height = signature.width, signature.height
    if math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0:
        return width, height
    xs = [x for stroke in strokes for x, _ in stroke]
    ys = [y for stroke in strokes for _, y in stroke]
    return max(max(xs), 1.0), max(max(ys), 1.0)


def signature_drawing(signature: Signature, font: str) -> Drawing:
    """The strokes scaled to fit ``MAX_WIDTH`` x ``MAX_HEIGHT``, aspect ratio kept."""
    strokes = [points for points in map(_finite, signature.strokes) if points]
    if not strokes:
        drawing = _drawing(MAX_WIDTH, EMPTY_HEIGHT, font)
        drawing.add(_box(MAX_WIDTH, EMPTY_HEIGHT))
        drawing.add(
            String(
                MAX_WIDTH / 2,
                EMPTY_HEIGHT / 2 - 4,
                "No signature",
                fontName=font,
                fontSize=11,
                fillColor=MISUNDERSTOOD,
                textAnchor="middle",
            )
        )
        return drawing

    pad_w, pad_h = _extent(signature, strokes)
    scale = min((MAX_WIDTH - 2 * PADDING) / pad_w, (MAX_HEIGHT - 2 * PADDING) / pad_h)
    width, height = pad_w * scale + 2 * PADDING, pad_h * scale + 2 * PADDING
    drawing = _drawing(width, height, font)
    drawing.add(_box(width, height))

    def place(x: float, y: float) -> tuple[float, float]:
        # Ink outside the pad (a finger dragged off the edge) is held at the edge; the
        # pad's y axis points down, the PDF's points up.
        x = min(max(x, 0.0), pad_w)
        y = min(max(y, 0.0), pad_h)
        return PADDING + x * scale, PADDING + (pad_h - y) * scale

    for stroke in strokes:
        placed = [place(x, y) for x, y in stroke]
        if len(placed) == 1:  # a tap: a dot, which a one-point line would not show
            ((cx, cy),) = placed
            drawing.add(Circle(cx, cy, INK_WIDTH, fillColor=black, strokeColor=None))
            continue
        drawing.add(
            PolyLine(
                [c for point in placed for c in point],
                strokeColor=black,
                strokeWidth=INK_WIDTH,
                strokeLineCap=1,
                strokeLineJoin=1,
            )
        )
    return drawing


def _drawing(width: float, height: float, font: str) -> Drawing:
    drawing = Drawing(width, height, hAlign="LEFT")
    # Without this the renderer selects Helvetica first, and the PDF names that font.
    drawing.initialFontName = font
    return drawing


def _box(width: float, height: float) -> Rect:
    return Rect(0, 0, width, height, fillColor=None, strokeColor=RULE, strokeWidth=0.5)
