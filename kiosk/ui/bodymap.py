"""Where it hurts: the body map screen.

The patient taps places on a drawing of the body (front and back side by side) to mark
them, taps again to unmark, and gives each marked place a number from 0 to 10. The
same choices are offered as a plain list of named places, grouped by body part, for
screen readers and for anyone who cannot aim at a small shape; both edit one answer.

Left and right are the patient's own. On the front view the patient's left is on the
viewer's right; on the back view it is on the viewer's left. Each view says so above
it. In Arabic the screen's layout is mirrored but the body never is: a body's left
stays its left. Only the order of the two views follows the reading direction.

The shapes come from ``kiosk.core.bodymap`` (the same drawings the PDF uses), turned
into QPainterPaths once; a tap is mapped from widget to drawing coordinates and tested
with ``QPainterPath.contains``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
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
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.app.journey import AnswerGiven, Refusal, StepView
from kiosk.core.answers import Answer
from kiosk.core.bodymap import VIEWS, BodyDrawing, Region, Shape, bundled_drawing
from kiosk.core.model import UNSURE, Content, Question
from kiosk.ui.screens import JourneyScreen
from kiosk.ui.screens.scale import NO_SCORE, ScoreScale, anchor_words
from kiosk.ui.widgets import BigButton, ChoiceButton, Text, set_role

#: The drawing's own colours: a calm body, marked places from pale to deep by pain.
BODY_FILL = QColor("#F4EFE8")
BODY_LINE = QColor("#5B6675")
CUT_LINE = QColor("#8A9BAB")
PANEL = QColor("#FFFFFF")
INK = QColor("#18212B")
CURRENT = QColor("#B7791F")
UNSCORED = QColor("#FFE7A8")
#: Fill for scores 0..10, pale yellow to deep red; the number is always written on too.
SCORE_FILLS = tuple(
    QColor(c)
    for c in (
        "#FFF4D6", "#FFE9B8", "#FDDA9A", "#FBC67E", "#F7AF66", "#F29552",
        "#EA7A43", "#DE6139", "#CC4A32", "#B5372C", "#9A2826",
    )
)  # fmt: skip

#: Body parts of the list view: a heading key and the region groups it gathers.
LIST_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bodymap.group.head_neck", ("head_neck",)),
    ("bodymap.group.trunk", ("chest", "abdomen_area", "back", "lung_area")),
    ("bodymap.group.right_arm", ("right_arm",)),
    ("bodymap.group.left_arm", ("left_arm",)),
    ("bodymap.group.right_leg", ("right_leg",)),
    ("bodymap.group.left_leg", ("left_leg",)),
)


def painter_path(shape: Shape) -> QPainterPath:
    """A shape from the core's SVG reader as a QPainterPath, in drawing units."""
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


def list_group(region: Region) -> str:
    for key, groups in LIST_GROUPS:
        if not set(groups).isdisjoint(region.groups):
            return key
    return LIST_GROUPS[1][0]


class BodyMapView(QWidget):
    """Front and back drawings side by side; a tap on a region emits its id.

    Signals:
        region_tapped(str): a region id.
    """

    region_tapped = Signal(str)

    GAP = 20

    def __init__(
        self,
        drawings: dict[str, BodyDrawing],
        regions: Iterable[Region],
        texts: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
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

    def view_order(self) -> list[str]:
        """Front first in the reading direction: on the right in Arabic."""
        order = [v for v in VIEWS if v in self.drawings]
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            order.reverse()
        return order

    def view_rect(self, view: str) -> QRectF:
        """The widget area a view's drawing fills (its labels sit above it)."""
        order = self.view_order()
        column = (self.width() - self.GAP * (len(order) - 1)) / len(order)
        left = order.index(view) * (column + self.GAP)
        top = self.label_band()
        return QRectF(left, top, column, max(1.0, self.height() - top))

    def transform(self, view: str) -> QTransform:
        """Drawing units to widget pixels for one view: fitted, centred, never mirrored."""
        x0, y0, width, height = self.drawings[view].viewbox
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
        region_id = self.region_at(event.position())
        if region_id is not None:
            self.region_tapped.emit(region_id)

    # ------------------------------------------------------------ drawing

    def paintEvent(self, event: QPaintEvent) -> None:
        self._fit_labels()  # the font may have changed since the last resize
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        for view in self.view_order():
            area = self.view_rect(view)
            panel = QRectF(area.left(), 0, area.width(), self.height())
            painter.setPen(QPen(QColor("#D5D9DE"), 2))
            painter.setBrush(PANEL)
            painter.drawRoundedRect(panel.adjusted(1, 1, -1, -1), 16, 16)
            self._labels(painter, view, panel)
            transform = self.transform(view)
            painter.save()
            painter.setTransform(transform, combine=True)
            scale = transform.m11()
            for region_id, path in self.paths.items():
                if self.view_of[region_id] != view:
                    continue
                painter.setPen(QPen(CUT_LINE, 1.2 / scale))
                painter.setBrush(self._fill(region_id))
                painter.drawPath(path)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(BODY_LINE, 2.5 / scale))
            painter.drawPath(self.outlines[view])
            # A marked place also gets a dark edge: seen even where its number covers it,
            # and without relying on colour.
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(INK, 2.5 / scale))
            for region_id in self.scores:
                if self.view_of.get(region_id) == view:
                    painter.drawPath(self.paths[region_id])
            if self.current in self.paths and self.view_of[self.current] == view:
                painter.setPen(QPen(CURRENT, 5 / scale))
                painter.drawPath(self.paths[self.current])
            painter.restore()
            for region_id, score in self.scores.items():
                if self.view_of.get(region_id) == view:
                    self._badge(painter, self.point_in(region_id), score)
        painter.end()

    def _fill(self, region_id: str) -> QBrush:
        if region_id not in self.scores:
            return QBrush(BODY_FILL)
        score = self.scores[region_id]
        if score is None:
            return QBrush(UNSCORED)
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

    def _labels(self, painter: QPainter, view: str, panel: QRectF) -> None:
        """The view's title, then the patient's right and left over the matching side."""
        line = self.fontMetrics().height()
        painter.setPen(INK)
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
        """The score written on the place, in a white disc that reads on any fill."""
        radius = max(13.0, self.fontMetrics().height() * 0.55)
        painter.setPen(QPen(INK, 2))
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawEllipse(centre, radius, radius)
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(12, round(radius * 1.2)))
        painter.setFont(font)
        painter.setPen(INK)
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "?" if score is None else str(score))


class BodyMapScreen(JourneyScreen):
    """A BODY_MAP question: mark places on the body and give each a number from 0 to 10."""

    def __init__(
        self,
        content: Content,
        view: StepView,
        question: Question,
        drawings: dict[str, BodyDrawing] | None = None,
    ) -> None:
        super().__init__(content, view, f"question-{question.id}")
        self.question = question
        self.regions = [r for r in content.regions]
        drawings = drawings or {view: bundled_drawing(view) for view in VIEWS}
        answer = view.answer
        self.scores: dict[str, int | None] = {}
        self.unsure_chosen = bool(answer and answer.is_unsure)
        if answer and not answer.is_unsure:
            given = dict(answer.scores)
            self.scores = {code: given.get(code) for code in answer.codes}
        self.current: str | None = next(iter(self.scores), None)
        self._syncing = False

        # Two columns: the drawing (or the list) beside everything else, so the whole
        # body fits on the screen next to the numbers. In Arabic the columns swap.
        columns = QHBoxLayout()
        columns.setSpacing(28)
        self.body.addLayout(columns)
        left = QVBoxLayout()
        left.setSpacing(12)
        columns.addLayout(left, 11)
        side = QVBoxLayout()
        side.setSpacing(12)
        columns.addLayout(side, 10)

        # The drawing and the list share the column; only one is shown at a time (a
        # QStackedWidget would size itself to the long list even while showing the map).
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.pages)
        # Picture or list: two big buttons above the drawing, one of them always chosen;
        # first on the screen, so a screen reader reaches the list straight away.
        modes = QHBoxLayout()
        self.map_button = BigButton(self.t("bodymap.show_map"), "secondary")
        self.map_button.setObjectName("mode-map")
        self.list_button = BigButton(self.t("bodymap.show_list"), "secondary")
        self.list_button.setObjectName("mode-list")
        for button in (self.map_button, self.list_button):
            button.setCheckable(True)
            modes.addWidget(button)
        modes.addStretch(1)
        self.modes_host = QWidget()
        self.modes_host.setLayout(modes)
        modes.setContentsMargins(0, 0, 0, 0)
        left.insertWidget(0, self.modes_host)
        left.addStretch(1)

        side.addWidget(Text(content.section(question.section).title, "hint"))
        side.addWidget(Text(question.text, "question"))
        if question.help:
            side.addWidget(Text(question.help, "hint"))
        side.addWidget(Text(self.t("bodymap.instructions"), "hint"))
        self.panel = self._build_panel()
        side.addWidget(self.panel)
        self.error = Text("", "error")
        self.error.setVisible(False)
        side.addWidget(self.error)
        self.unsure = ChoiceButton(UNSURE, self.t("answer.unsure"))
        self.unsure.setObjectName(f"choice-{UNSURE}")
        side.addWidget(self.unsure)
        side.addStretch(1)

        self.pages_layout.addWidget(self._build_map(drawings))
        self.list_page = self._build_list_page()
        self.pages_layout.addWidget(self.list_page)
        self.finish_body()

        self.map_button.toggled.connect(self._on_map_mode_toggled)
        self.list_button.toggled.connect(self._on_list_mode_toggled)
        self.view.region_tapped.connect(self._on_region_tapped)
        self.panel_scale.changed.connect(self._on_panel_score)
        self.unsure.toggled.connect(self._on_unsure_toggled)
        self.show_list(False)
        self._sync()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Once the page is laid out, make the whole drawing fit in what is visible.
        QTimer.singleShot(0, self, self._fit_map)  # not after the screen is gone

    def _fit_map(self) -> None:
        page = self.scroll_area.widget()
        top = self.view.mapTo(page, QPoint(0, 0)).y() if page is not None else 0
        # Leave room at the bottom for the page's "More below" bar.
        self.view.set_height_limit(self.scroll_area.viewport().height() - top - 56)

    # ------------------------------------------------------------ building

    def region_name(self, region_id: str) -> str:
        return self.content.region(region_id).name

    def _build_map(self, drawings: dict[str, BodyDrawing]) -> BodyMapView:
        texts = {
            "view.front": self.t("bodymap.front"),
            "view.back": self.t("bodymap.back"),
            "side.left": self.t("bodymap.your_left"),
            "side.right": self.t("bodymap.your_right"),
        }
        self.view = BodyMapView(drawings, self.regions, texts)
        self.view.setObjectName("body-map")
        self.view.setAccessibleName(self.t("bodymap.map_name"))
        return self.view

    def _build_panel(self) -> QWidget:
        """The chosen place's name, its numbers, and the places marked so far."""
        panel = QFrame()
        set_role(panel, "map-panel")
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(12)
        self.panel_title = Text("", "label")
        self.panel_title.setObjectName("panel-title")
        side.addWidget(self.panel_title)
        self.panel_scale = ScoreScale(anchor_words(self.question), self._panel_button_name)
        self.panel_scale.setObjectName("panel-scale")
        side.addWidget(self.panel_scale)
        self.marked_title = Text(self.t("bodymap.marked"), "hint")
        side.addWidget(self.marked_title)
        self.chips_host = QWidget()
        self.chips = QVBoxLayout(self.chips_host)
        self.chips.setContentsMargins(0, 0, 0, 0)
        self.chips.setSpacing(8)
        side.addWidget(self.chips_host)
        self.chip_buttons: dict[str, BigButton] = {}
        return panel

    def _build_list_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(Text(self.t("bodymap.list_hint"), "hint"))
        self.toggles: dict[str, ChoiceButton] = {}
        #: A place's numbers in the list, built the first time the place is marked: built
        #: for all forty places up front, they were most of the screen's widgets, and
        #: every widget built costs memory that PySide 6.11 never gives back in full.
        self.list_scales: dict[str, ScoreScale] = {}
        self._list_cells: dict[str, QVBoxLayout] = {}
        by_group: dict[str, list[Region]] = {key: [] for key, _ in LIST_GROUPS}
        for region in self.regions:
            by_group[list_group(region)].append(region)
        for key, _ in LIST_GROUPS:
            if not by_group[key]:
                continue
            column.addWidget(Text(self.t(key), "section"))
            grid = QGridLayout()
            grid.setHorizontalSpacing(14)
            grid.setVerticalSpacing(10)
            for i, region in enumerate(by_group[key]):
                cell = QVBoxLayout()
                toggle = ChoiceButton(region.id, region.name)
                toggle.setObjectName(f"region-{region.id}")
                toggle.toggled.connect(
                    lambda checked, r=region.id: self._on_list_toggled(r, checked)
                )
                cell.addWidget(toggle)
                cell.addStretch(1)
                grid.addLayout(cell, i, 0)
                self.toggles[region.id] = toggle
                self._list_cells[region.id] = cell
            column.addLayout(grid)
        return page

    def _list_scale(self, region_id: str) -> ScoreScale:
        """The place's numbers under its name in the list, built on first use."""
        scale = self.list_scales.get(region_id)
        if scale is None:
            scale = ScoreScale(
                anchor_words(self.question),
                functools.partial(self._button_name, region_id),
            )
            scale.setObjectName(f"scale-{region_id}")
            scale.changed.connect(functools.partial(self._on_list_score, region_id))
            self._list_cells[region_id].insertWidget(1, scale)
            self.list_scales[region_id] = scale
        return scale

    def _button_name(self, region_id: str, score: int, word: str) -> str:
        name = self.t("bodymap.score_name", region=self.region_name(region_id), score=score)
        return f"{name}, {word}" if word else name

    def _panel_button_name(self, score: int, word: str) -> str:
        return f"{score}: {word}" if word else str(score)

    # ------------------------------------------------------------ modes

    def show_list(self, on: bool) -> None:
        self._syncing = True
        self.list_button.setChecked(on)
        self.map_button.setChecked(not on)
        self._syncing = False
        self.view.setVisible(not on)
        self.list_page.setVisible(on)
        # The list has a row of numbers under each marked place; the panel is for the map.
        self.panel.setVisible(not on)

    def in_list_mode(self) -> bool:
        return not self.list_page.isHidden()

    def _on_map_mode_toggled(self, checked: bool) -> None:
        if not self._syncing:
            self.show_list(not checked)

    def _on_list_mode_toggled(self, checked: bool) -> None:
        if not self._syncing:
            self.show_list(checked)

    # ------------------------------------------------------------ marking

    def toggle_region(self, region_id: str) -> None:
        """Mark a place, or unmark it when it is already marked."""
        if region_id in self.scores:
            del self.scores[region_id]
            if self.current == region_id:
                self.current = next(reversed(self.scores), None) if self.scores else None
        else:
            self.scores[region_id] = None
            self.current = region_id
            self.unsure_chosen = False
        self.error.setVisible(False)
        self._sync()

    def set_score(self, region_id: str, score: int | None) -> None:
        if region_id not in self.scores:
            return
        self.scores[region_id] = score
        self.current = region_id
        self.error.setVisible(False)
        self._sync()

    def _on_region_tapped(self, region_id: str) -> None:
        self.toggle_region(region_id)

    def _on_list_toggled(self, region_id: str, checked: bool) -> None:
        if self._syncing or checked == (region_id in self.scores):
            return
        self.toggle_region(region_id)
        if checked:
            # Its numbers open under it: bring them into view once laid out.
            QTimer.singleShot(0, self, functools.partial(self._show_list_scale, region_id))

    def _show_list_scale(self, region_id: str) -> None:
        scale = self.list_scales.get(region_id)
        if scale is not None and scale.isVisible():
            self.scroll_area.ensureWidgetVisible(scale, 0, 72)  # clear of "More below"

    def _on_list_score(self, region_id: str, score: int) -> None:
        if not self._syncing:
            self.set_score(region_id, None if score == NO_SCORE else score)

    def _on_panel_score(self, score: int) -> None:
        if not self._syncing and self.current is not None:
            self.set_score(self.current, None if score == NO_SCORE else score)

    def _on_chip(self, region_id: str, checked: bool) -> None:
        if self._syncing:
            return
        # Tapping the chosen chip again keeps it chosen: one place is always being edited.
        self.current = region_id if checked or region_id == self.current else self.current
        self._sync()

    def _on_unsure_toggled(self, checked: bool) -> None:
        if self._syncing:
            return
        self.unsure_chosen = checked
        if checked:
            self.scores.clear()
            self.current = None
        self.error.setVisible(False)
        self._sync()

    # ------------------------------------------------------------ showing the state

    def _sync(self) -> None:
        self._syncing = True
        ordered = self.marked()
        self.view.set_marks(self.scores, self.current)
        summary = "; ".join(self._words(r) for r in ordered) or self.t("bodymap.none_marked")
        self.view.setAccessibleDescription(f"{self.t('bodymap.map_description')} {summary}")
        for region_id, toggle in self.toggles.items():
            marked = region_id in self.scores
            toggle.setChecked(marked)
            if marked:
                scale = self._list_scale(region_id)
                scale.setVisible(True)
                scale.set_value(self.scores.get(region_id))
            elif region_id in self.list_scales:
                self.list_scales[region_id].setVisible(False)
        if self.current is None:
            self.panel_title.setText(self.t("bodymap.none_marked"))
        else:
            self.panel_title.setText(
                self.t("bodymap.how_bad", region=self.region_name(self.current))
            )
        self.panel_scale.setVisible(self.current is not None)
        self.panel_scale.set_value(self.scores.get(self.current) if self.current else None)
        self._sync_chips(ordered)
        self.unsure.setChecked(self.unsure_chosen)
        self._syncing = False
        self.set_can_advance(bool(self.scores) or self.unsure_chosen)

    def _sync_chips(self, ordered: list[str]) -> None:
        for region_id in list(self.chip_buttons):
            if region_id not in self.scores:
                chip = self.chip_buttons.pop(region_id)
                self.chips.removeWidget(chip)
                chip.deleteLater()
        for index, region_id in enumerate(ordered):
            words = self._words(region_id)
            chip = self.chip_buttons.get(region_id) or self._new_chip(region_id)
            self.chips.insertWidget(index, chip)
            chip.setText(words)
            chip.setAccessibleName(f"{self.t('bodymap.edit')}: {words}")
            chip.setChecked(region_id == self.current)
        self.marked_title.setVisible(bool(ordered))

    def _new_chip(self, region_id: str) -> BigButton:
        chip = BigButton("", "secondary")
        chip.setObjectName(f"chip-{region_id}")
        chip.setCheckable(True)
        # toggled, not clicked: a screen reader's toggle action sends only toggled.
        chip.toggled.connect(lambda checked, r=region_id: self._on_chip(r, checked))
        self.chip_buttons[region_id] = chip
        return chip

    def _words(self, region_id: str) -> str:
        score = self.scores.get(region_id)
        name = self.region_name(region_id)
        if score is None:
            return self.t("bodymap.chip_unscored", region=name)
        return self.t("bodymap.chip", region=name, score=score)

    def marked(self) -> list[str]:
        """Marked region ids in content order (head to foot)."""
        return [r.id for r in self.regions if r.id in self.scores]

    # ------------------------------------------------------------ the answer

    def answer(self) -> Answer | None:
        if self.unsure_chosen:
            return Answer.unsure()
        ordered = self.marked()
        if not ordered or any(self.scores[r] is None for r in ordered):
            return None
        scores = tuple((r, int(self.scores[r] or 0)) for r in ordered)
        return Answer(codes=tuple(ordered), scores=scores)

    def result(self) -> AnswerGiven | None:
        missing = [r for r in self.marked() if self.scores[r] is None]
        if missing:
            self.current = missing[0]
            self._sync()
            self._fail(self.t("bodymap.need_score"))
            return None
        answer = self.answer()
        return None if answer is None else AnswerGiven(self.question.id, answer)

    def refused(self, reason: Refusal) -> None:
        self._fail(self.t("bodymap.need_score"))

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.setVisible(True)
        self.scroll_area.ensureWidgetVisible(self.error, 0, 24)
