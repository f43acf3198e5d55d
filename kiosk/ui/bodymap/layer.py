"""The body map's picture without any marks, drawn once and reused.

The panels, their words, every place in its unmarked colour, the lines between places
and the body's outline do not change while a patient marks places; only the marked
places, their edges and their numbers do. ``base_layer`` draws the unchanging part into
a pixmap the first time a body map of that size, look and zoom is painted, and every
later paint (and every later patient's body map) copies it and draws only the marks on
top (``BodyMapView.paintEvent``): a copy is about a millisecond where drawing the 110
antialiased shapes again took about ten.

The pixmap holds nothing of a patient: the words on it are the content's ("Front",
"Your left"). It is kept per key (size, pixel ratio, each figure's placement, colours,
font, words and drawings); a few keys at most exist in a day (text sizes, contrast,
languages, enlarged parts), and the store is emptied past 32.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QPixmap

if TYPE_CHECKING:
    from kiosk.ui.bodymap.view import BodyMapView

#: key -> (the drawings it was made from, kept so their ids stay unique; the pixmap)
_LAYERS: dict[tuple[Any, ...], tuple[object, QPixmap]] = {}
MOST = 32


def layer_key(view: BodyMapView) -> tuple[Any, ...]:
    """Everything the unchanging picture depends on."""
    order = view.view_order()
    placements = []
    for name in order:
        t = view.transform(name)
        placements.append((name, t.m11(), t.m22(), t.dx(), t.dy(), view.view_rect(name).getRect()))
    return (
        view.width(),
        view.height(),
        view.devicePixelRatioF(),
        tuple(placements),
        tuple((name, c.rgba()) for name, c in sorted(view.colours.items())),
        view.font().key(),
        view._labels_above,
        view._extra_band,
        tuple(sorted(view.texts.items())),
        tuple((name, id(d)) for name, d in sorted(view.drawings.items())),
        tuple(view.paths),
    )


def base_layer(view: BodyMapView) -> QPixmap:
    """The unchanging picture of ``view`` as it is now (drawn, or from the store)."""
    key = layer_key(view)
    kept = _LAYERS.get(key)
    if kept is not None:
        return kept[1]
    ratio = view.devicePixelRatioF()
    pixmap = QPixmap(round(view.width() * ratio), round(view.height() * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    draw_base(view, painter)
    painter.end()
    if len(_LAYERS) >= MOST:
        _LAYERS.clear()
    _LAYERS[key] = (view.drawings, pixmap)
    return pixmap


def draw_base(view: BodyMapView, painter: QPainter) -> None:
    """Panels, words, every place unmarked, the cuts between them and the outline."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    colours = view.colours
    for name in view.view_order():
        area = view.view_rect(name)
        panel = QRectF(area.left(), 0, area.width(), view.height())
        painter.setPen(QPen(colours["panelEdgeColor"], 2))
        painter.setBrush(colours["panelColor"])
        painter.drawRoundedRect(panel.adjusted(1, 1, -1, -1), 16, 16)
        view.draw_labels(painter, name, panel)
        transform = view.transform(name)
        painter.save()
        painter.setClipRect(area)  # an enlarged part ends at the panel's edge
        painter.setTransform(transform, combine=True)
        scale = transform.m11()
        painter.setPen(QPen(colours["cutColor"], 1.2 / scale))
        painter.setBrush(colours["bodyColor"])
        for region_id, path in view.paths.items():
            if view.view_of[region_id] == name:
                painter.drawPath(path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colours["outlineColor"], 2.5 / scale))
        painter.drawPath(view.outlines[name])
        painter.restore()
