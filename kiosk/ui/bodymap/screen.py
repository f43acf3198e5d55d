"""The body map screen: the drawing or the list beside the chosen place's numbers."""

from __future__ import annotations

import functools

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.app.journey import AnswerGiven, Refusal, StepView
from kiosk.content.drawings import bundled_drawing
from kiosk.domain.answers import Answer
from kiosk.domain.bodymap import VIEWS, BodyDrawing
from kiosk.domain.model import UNSURE, Content, Question
from kiosk.ui.bodymap.panel import MarkedPanel
from kiosk.ui.bodymap.regionlist import RegionList
from kiosk.ui.bodymap.view import BodyMapView
from kiosk.ui.screens import JourneyScreen
from kiosk.ui.screens.scale import NO_SCORE, anchor_words
from kiosk.ui.widgets import BigButton, ChoiceButton, Text


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
        # Enlarging, for hands and feet, beside the drawing (the row above it is full):
        # on, the next tap on the drawing enlarges the part of the body around it, where
        # every place offers at least 44 x 44 px.
        self.zoom_button = BigButton(self.t("bodymap.zoom"), "secondary", self.t("bodymap.zoom"))
        self.zoom_button.setObjectName("zoom")
        self.zoom_button.setCheckable(True)
        self.zoom_button.setAccessibleDescription(self.t("bodymap.zoom_description"))
        side.addWidget(self.zoom_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.panel = MarkedPanel(
            anchor_words(question), self.t("bodymap.marked"), self.t("bodymap.edit")
        )
        #: The panel's numbers and chips, by the names the tests and tools know them by.
        self.panel_scale = self.panel.scale
        self.chip_buttons = self.panel.chip_buttons
        side.addWidget(self.panel)
        self.error = Text("", "error")
        self.error.setVisible(False)
        side.addWidget(self.error)
        self.unsure = ChoiceButton(UNSURE, self.t("answer.unsure"))
        self.unsure.setObjectName(f"choice-{UNSURE}")
        side.addWidget(self.unsure)
        side.addStretch(1)

        self.pages_layout.addWidget(self._build_map(drawings))
        self.list_page = RegionList(self.regions, anchor_words(question), self.t)
        self.toggles = self.list_page.toggles
        self.list_scales = self.list_page.scales
        self.pages_layout.addWidget(self.list_page)
        self.finish_body()

        self.map_button.toggled.connect(self._on_map_mode_toggled)
        self.list_button.toggled.connect(self._on_list_mode_toggled)
        self.zoom_button.toggled.connect(self.view.set_zoom_mode)
        self.view.region_tapped.connect(self._on_region_tapped)
        self.panel_scale.changed.connect(self._on_panel_score)
        self.panel.chip_toggled.connect(self._on_chip)
        self.list_page.toggled.connect(self._on_list_toggled)
        self.list_page.scored.connect(self._on_list_score)
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

    # ------------------------------------------------------------ modes

    def show_list(self, on: bool) -> None:
        self._syncing = True
        self.list_button.setChecked(on)
        self.map_button.setChecked(not on)
        self._syncing = False
        self.view.setVisible(not on)
        self.zoom_button.setVisible(not on)
        if on:
            self.zoom_button.setChecked(False)
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
        self.list_page.show_marks(self.scores)
        if self.current is None:
            title = self.t("bodymap.none_marked")
        else:
            title = self.t("bodymap.how_bad", region=self.region_name(self.current))
        self.panel.show_marks(
            title,
            self.current,
            self.scores.get(self.current) if self.current else None,
            [(region_id, self._words(region_id)) for region_id in ordered],
        )
        self.unsure.setChecked(self.unsure_chosen)
        self._syncing = False
        self.set_can_advance(bool(self.scores) or self.unsure_chosen)

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
