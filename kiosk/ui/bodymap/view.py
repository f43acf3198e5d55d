"""The body drawing: front and back side by side, tapped to mark places, painted in the
theme's colours.

Left and right are the patient's own. On the front view the patient's left is on the
viewer's right; on the back view it is on the viewer's left. Each view says so above
it. In Arabic the screen's layout is mirrored but the body never is: a body's left
stays its left. Only the order of the two views follows the reading direction.

The shapes come from ``kiosk.domain.bodymap`` (the same drawings the PDF uses), turned
into QPainterPaths once; a tap is mapped from widget to drawing coordinates and tested
with ``QPainterPath.contains``.

The colours are the theme's: the stylesheet (``assets/styles/kiosk.qss``) sets them as
Qt properties from the palette's tokens (``kiosk.ui.theme``), so the high-contrast
theme reaches the painting as it reaches every other widget. Until a stylesheet says
otherwise, they are the normal theme's.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Property, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from kiosk.domain.bodymap import VIEWS, BodyDrawing, Region
from kiosk.ui.bodymap.layer import base_layer
from kiosk.ui.bodymap.paths import painter_path
from kiosk.ui.theme import NORMAL
from kiosk.ui.widgets import set_role

#: Fill for scores 0..10, pale yellow to deep red; the number is always written on too.
#: The same in both themes: each fill is bright against the high-contrast black, and a
#: marked place also gets an edge in the ink colour and its number, so no meaning rests
#: on these shades alone.
SCORE_FILLS = tuple(
    QColor(c)
    for c in (
        "#FFF4D6", "#FFE9B8", "#FDDA9A", "#FBC67E", "#F7AF66", "#F29552",
        "#EA7A43", "#DE6139", "#CC4A32", "#B5372C", "#9A2826",
    )
)  # fmt: skip

#: The drawing's colours: Qt property name -> the palette token the stylesheet gives it.
COLOUR_TOKENS: dict[str, str] = {
    "panelColor": "surface",  # the card behind each view, and the score badge's disc
    "panelEdgeColor": "line",
    "inkColor": "ink",  # titles, side words, the edge of a marked place, badge numbers
    "bodyColor": "map_body",  # an unmarked place
    "outlineColor": "border",  # the body's outline
    "cutColor": "map_cut",  # the lines between places
    "currentColor": "focus",  # the place being scored
    "unscoredColor": "map_unscored",  # a place marked but not yet given a number
}


def _colour_property(name: str) -> Property:
    """A QColor property the stylesheet can set (``qproperty-<name>``); setting it repaints."""

    def get(view: BodyMapView) -> QColor:
        return view.colours[name]

    def set_(view: BodyMapView, colour: QColor) -> None:
        view.colours[name] = QColor(colour)
        view.update()

    return Property(QColor, get, set_)


class BodyMapView(QWidget):
    """Front and back drawings side by side; a tap on a region emits its id.

    Enlarging (``zoom_mode``): the next tap does not mark a place but fills the whole
    widget with the part of that figure around the tap, ``ZOOM`` times larger, so that
    every place (hands, wrists, feet, the thin hip bands) offers a tap area of at least
    44 x 44 px at normal text size; taps then mark places as usual. ``zoom_out`` shows
    both figures again.

    Signals:
        region_tapped(str): a region id.
        zoom_changed(bool): the drawing was enlarged (True) or shows both figures again.
    """

    region_tapped = Signal(str)
    zoom_changed = Signal(bool)

    GAP = 20
    #: How much larger an enlarged part is than the whole figure. The smallest tap area
    #: at normal size, a hip band, is about 10 px across (1280 x 800); 5 x gives it 50.
    ZOOM = 5.0

    panelColor = _colour_property("panelColor")
    panelEdgeColor = _colour_property("panelEdgeColor")
    inkColor = _colour_property("inkColor")
    bodyColor = _colour_property("bodyColor")
    outlineColor = _colour_property("outlineColor")
    cutColor = _colour_property("cutColor")
    currentColor = _colour_property("currentColor")
    unscoredColor = _colour_property("unscoredColor")

    def __init__(
        self,
        drawings: dict[str, BodyDrawing],
        regions: Iterable[Region],
        texts: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        set_role(self, "body-map")
        self.colours = {name: QColor(NORMAL[token]) for name, token in COLOUR_TOKENS.items()}
        self.drawings = drawings
        self.texts = texts
        self.regions = {r.id: r for r in regions if r.view in drawings}
        self.paths: dict[str, QPainterPath] = {}
        self.view_of: dict[str, str] = {}
        for view, drawing in drawings.items():
            for region_id, shape in drawing.regions.items():
                if region_id in self.regions:
                    self.paths[region_id] = painter_path(shape)
                    self.view_of[region_id] = view
        self.outlines = {view: painter_path(d.outline) for view, d in drawings.items()}
        self.outlines_polygons = {view: d.outline.polygons for view, d in drawings.items()}
        self.scores: dict[str, int | None] = {}
        self.current: str | None = None
        #: The tallest the widget may be: the screen sets it so the body fits on screen.
        self.height_limit = 640
        #: Whether the next tap enlarges the part of the body it lands on.
        self.zoom_mode = False
        #: The enlarged part: its view and its rectangle in drawing units; None: both views.
        self.zoomed: tuple[str, QRectF] | None = None
        self._extra_band = 0.0
        self._labels_above = False
        # Never taller than asked for: a taller widget would push the feet off the screen.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(320, 300)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    # ------------------------------------------------------------ state

    def set_marks(self, scores: dict[str, int | None], current: str | None) -> None:
        self.scores = dict(scores)
        self.current = current
        self.update()

    # ------------------------------------------------------------ geometry

    def label_band(self) -> float:
        """Room above the drawings: each view's title, and more when the side words do
        not fit beside the head (large text, narrow views)."""
        return self.fontMetrics().height() * 1.4 + self._extra_band

    def _fit_labels(self) -> None:
        """Place "Your left/right": beside the head when the words fit there, else in
        their own rows above the drawings (large text, narrow views)."""
        metrics = self.fontMetrics()
        arrow = metrics.horizontalAdvance("\u2190 ")
        flags = int(Qt.TextFlag.TextWordWrap)
        words = [self.texts["side.left"], self.texts["side.right"]]
        longest = max(metrics.horizontalAdvance(w) for t in words for w in t.split())
        self._extra_band = 0.0
        self._labels_above = False
        if self.zoomed is not None:
            # The head may be out of the enlarged part: the side words go above it.
            self._labels_above = True
            half = self.width() / 2 - 10 - arrow
            self._extra_band = (
                max(
                    metrics.boundingRect(QRect(0, 0, max(1, int(half)), 10_000), flags, t).height()
                    for t in words
                )
                + 8
            )
            return
        for _ in range(4):
            shortfall = 0.0
            for view in self.view_order():
                area = self.view_rect(view)
                panel = QRectF(area.left(), 0, area.width(), self.height())
                for box, text in zip(self._side_rects(view, panel), words, strict=True):
                    width = int(box.width() - arrow)
                    if width < longest:
                        self._labels_above = True
                        break
                    needed = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, text)
                    shortfall = max(shortfall, needed.height() - box.height())
                if self._labels_above:
                    break
            if self._labels_above:
                break
            if shortfall <= 0.5:
                return
            self._extra_band += shortfall + 2
        # Above the drawings: each word in half a view's width, as many lines as it takes.
        self._extra_band = 0.0
        view = self.view_order()[0]
        half = self.view_rect(view).width() / 2 - 10 - arrow
        self._extra_band = (
            max(
                metrics.boundingRect(QRect(0, 0, max(1, int(half)), 10_000), flags, t).height()
                for t in words
            )
            + 8
        )

    # ------------------------------------------------------------ enlarging

    def set_zoom_mode(self, on: bool) -> None:
        """Let the next tap enlarge a part of the body; off shows both figures again."""
        self.zoom_mode = on
        if not on:
            self.zoom_out()

    def zoom_out(self) -> None:
        if self.zoomed is not None:
            self.zoomed = None
            self._fit_labels()
            self.update()
            self.zoom_changed.emit(False)

    def zoom_at(self, pos: QPointF) -> bool:
        """Enlarge the part of the figure under ``pos`` (widget pixels); False when
        ``pos`` is on no figure."""
        for view in self.view_order():
            if self.view_rect(view).contains(pos):
                inverse, _ok = self.transform(view).inverted()
                self.zoom_to(view, inverse.map(pos))
                return True
        return False

    def zoom_to(self, view: str, centre: QPointF) -> None:
        """Enlarge the part of ``view`` around ``centre`` (drawing units), kept inside the
        drawing: ``ZOOM`` times the scale both figures are drawn at."""
        self.zoomed = None
        whole = self.transform(view).m11() * self.ZOOM
        # The side words move above an enlarged part: measure its area with them there.
        self.zoomed = (view, QRectF(centre, QSize(1, 1).toSizeF()))
        self._fit_labels()
        area = self._zoom_area()
        width, height = area.width() / whole, area.height() / whole
        x0, y0, full_w, full_h = self.drawings[view].viewbox
        left = min(max(centre.x() - width / 2, x0), x0 + max(0.0, full_w - width))
        top = min(max(centre.y() - height / 2, y0), y0 + max(0.0, full_h - height))
        self.zoomed = (view, QRectF(left, top, width, height))
        self._fit_labels()
        self.update()
        self.zoom_changed.emit(True)

    def _zoom_area(self) -> QRectF:
        top = self.label_band()
        return QRectF(0, top, self.width(), max(1.0, self.height() - top))

    def view_order(self) -> list[str]:
        """Front first in the reading direction: on the right in Arabic; only the
        enlarged view while one is."""
        if self.zoomed is not None:
            return [self.zoomed[0]]
        order = [v for v in VIEWS if v in self.drawings]
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            order.reverse()
        return order

    def view_rect(self, view: str) -> QRectF:
        """The widget area a view's drawing fills (its labels sit above it)."""
        if self.zoomed is not None:
            return self._zoom_area()
        order = self.view_order()
        column = (self.width() - self.GAP * (len(order) - 1)) / len(order)
        left = order.index(view) * (column + self.GAP)
        top = self.label_band()
        return QRectF(left, top, column, max(1.0, self.height() - top))

    def transform(self, view: str) -> QTransform:
        """Drawing units to widget pixels for one view: fitted, centred, never mirrored."""
        x0, y0, width, height = self.drawings[view].viewbox
        if self.zoomed is not None and self.zoomed[0] == view:
            rect = self.zoomed[1]
            x0, y0, width, height = rect.left(), rect.top(), rect.width(), rect.height()
        area = self.view_rect(view)
        scale = min(area.width() / width, area.height() / height)
        dx = area.left() + (area.width() - width * scale) / 2 - x0 * scale
        dy = area.top() - y0 * scale  # top-aligned: spare room goes below the feet
        return QTransform(scale, 0, 0, scale, dx, dy)

    def region_at(self, pos: QPointF) -> str | None:
        for view in self.view_order():
            if not self.view_rect(view).contains(pos):
                continue
            inverse, ok = self.transform(view).inverted()
            if not ok:
                return None
            point = inverse.map(pos)
            for region_id, path in self.paths.items():
                if self.view_of[region_id] == view and path.contains(point):
                    return region_id
        return None

    def point_in(self, region_id: str) -> QPointF:
        """A widget point well inside a region (for tests and for the number badge)."""
        view = self.view_of[region_id]
        x, y = self.drawings[view].regions[region_id].label_point
        return self.transform(view).map(QPointF(x, y))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        views = max(1, len(self.drawings))
        _, _, w, h = next(iter(self.drawings.values())).viewbox
        column = (width - self.GAP * (views - 1)) / views
        band = self.label_band()
        return round(min(column * h / w + band, max(self.height_limit, 300)))

    def set_height_limit(self, limit: int) -> None:
        if limit != self.height_limit:
            self.height_limit = limit
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(540, self.heightForWidth(540))

    # ------------------------------------------------------------ input

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_labels()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.zoom_mode and self.zoomed is None:
            self.zoom_at(event.position())
            return
        region_id = self.region_at(event.position())
        if region_id is not None:
            self.region_tapped.emit(region_id)

    # ------------------------------------------------------------ drawing

    def paintEvent(self, event: QPaintEvent) -> None:
        self._fit_labels()  # the font may have changed since the last resize
        painter = QPainter(self)
        # Panels, words and every place unmarked: drawn once (kiosk.ui.bodymap.layer).
        painter.drawPixmap(0, 0, base_layer(self))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        for view in self.view_order():
            transform = self.transform(view)
            painter.save()
            painter.setClipRect(self.view_rect(view))  # an enlarged part ends at the panel
            painter.setTransform(transform, combine=True)
            scale = transform.m11()
            # A marked place: its fill, and a dark edge, seen even where its number
            # covers it, and without relying on colour.
            for region_id in self.scores:
                if self.view_of.get(region_id) == view:
                    painter.setPen(QPen(self.colours["cutColor"], 1.2 / scale))
                    painter.setBrush(self._fill(region_id))
                    painter.drawPath(self.paths[region_id])
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.colours["inkColor"], 2.5 / scale))
            for region_id in self.scores:
                if self.view_of.get(region_id) == view:
                    painter.drawPath(self.paths[region_id])
            if self.current in self.paths and self.view_of[self.current] == view:
                painter.setPen(QPen(self.colours["currentColor"], 5 / scale))
                painter.drawPath(self.paths[self.current])
            painter.restore()
            for region_id, score in self.scores.items():
                if self.view_of.get(region_id) == view:
                    self._badge(painter, self.point_in(region_id), score)
        painter.end()

    def _fill(self, region_id: str) -> QBrush:
        if region_id not in self.scores:
            return QBrush(self.colours["bodyColor"])
        score = self.scores[region_id]
        if score is None:
            return QBrush(self.colours["unscoredColor"])
        return QBrush(SCORE_FILLS[max(0, min(10, score))])

    def _side_rects(self, view: str, panel: QRectF) -> tuple[QRectF, QRectF]:
        """Where the two side words go: beside the head, left and right of it (or the
        two halves above the drawing, when they do not fit there)."""
        top = self.fontMetrics().height() * 1.4  # under the title
        if self._labels_above:
            half = panel.width() / 2 - 10
            tall = self._extra_band
            return (
                QRectF(panel.left() + 8, top, half, tall),
                QRectF(panel.center().x() + 2, top, half, tall),
            )
        x0, y0, width, height = self.drawings[view].viewbox
        top_band = [
            p for poly in self.outlines_polygons[view] for p in poly if p[1] < y0 + height * 0.15
        ]
        head_left = min((p[0] for p in top_band), default=x0 + width * 0.4)
        head_right = max((p[0] for p in top_band), default=x0 + width * 0.6)
        transform = self.transform(view)
        left_edge = transform.map(QPointF(head_left, y0)).x() - 6
        right_edge = transform.map(QPointF(head_right, y0)).x() + 6
        tall = transform.map(QPointF(x0, y0 + height * 0.15)).y() - top
        return (
            QRectF(panel.left() + 8, top, left_edge - panel.left() - 8, tall),
            QRectF(right_edge, top, panel.right() - 8 - right_edge, tall),
        )

    def draw_labels(self, painter: QPainter, view: str, panel: QRectF) -> None:
        """The view's title, then the patient's right and left over the matching side."""
        line = self.fontMetrics().height()
        painter.setPen(self.colours["inkColor"])
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        title = QRectF(panel.left(), 4, panel.width(), line * 1.2)
        painter.drawText(title, Qt.AlignmentFlag.AlignCenter, self.texts[f"view.{view}"])
        painter.setFont(self.font())
        # Seen from the front the patient's right is on the viewer's left; from the back
        # it is on the viewer's right. An arrow on the outer edge points to each side.
        first, second = ("right", "left") if view == "front" else ("left", "right")
        left_box, right_box = self._side_rects(view, panel)
        arrow = self.fontMetrics().horizontalAdvance("\u2190 ")
        wrap = int(Qt.TextFlag.TextWordWrap)
        # Absolute: in Arabic too, the viewer's left is the left of the drawing.
        left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        top = int(Qt.AlignmentFlag.AlignTop)
        painter.drawText(left_box, left | top, "\u2190")
        painter.drawText(
            left_box.adjusted(arrow, 0, 0, 0), left | top | wrap, self.texts[f"side.{first}"]
        )
        painter.drawText(right_box, right | top, "\u2192")
        painter.drawText(
            right_box.adjusted(0, 0, -arrow, 0), right | top | wrap, self.texts[f"side.{second}"]
        )

    def _badge(self, painter: QPainter, centre: QPointF, score: int | None) -> None:
        """The score written on the place, in a disc of the panel's colour that reads on
        any fill."""
        radius = max(13.0, self.fontMetrics().height() * 0.55)
        painter.setPen(QPen(self.colours["inkColor"], 2))
        painter.setBrush(self.colours["panelColor"])
        painter.drawEllipse(centre, radius, radius)
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(12, round(radius * 1.2)))
        painter.setFont(font)
        painter.setPen(self.colours["inkColor"])
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "?" if score is None else str(score))
