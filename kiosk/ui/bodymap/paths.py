"""The body drawing's shapes as Qt paths, made once per process per shape."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath

from kiosk.domain.bodymap import Shape

#: The paths made so far, by the shape they were made from (kept with it, so its id is
#: not reused). The bundled drawings are read once per process, so this holds one path
#: per region: every body map screen after the first reuses them (QPainterPath is
#: implicitly shared, so a copy costs nothing). A drawing passed in by a test adds its own.
_PATHS: dict[int, tuple[Shape, QPainterPath]] = {}


def painter_path(shape: Shape) -> QPainterPath:
    """A shape from the core's SVG reader as a QPainterPath, in drawing units."""
    made = _PATHS.get(id(shape))
    if made is not None and made[0] is shape:
        return QPainterPath(made[1])
    path = _make_path(shape)
    if len(_PATHS) > 1024:  # only drawings made on the fly (tests) get here
        _PATHS.clear()
    _PATHS[id(shape)] = (shape, path)
    return QPainterPath(path)


def _make_path(shape: Shape) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for subpath in shape.subpaths:
        for command in subpath:
            pts = [QPointF(x, y) for x, y in command.points]
            if command.op == "M":
                path.moveTo(pts[0])
            elif command.op == "L":
                path.lineTo(pts[0])
            elif command.op == "Q":
                path.quadTo(pts[0], pts[1])
            elif command.op == "C":
                path.cubicTo(pts[0], pts[1], pts[2])
            elif command.op == "Z":
                path.closeSubpath()
    return path
