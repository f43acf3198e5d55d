"""The 0 to 10 numeric rating scale: eleven big number buttons with words at some points.

Used on its own for SCALE questions ("How bad is your pain right now?") and inside the
body map, once for each marked place. On a narrow column or with extra-large text the
eleven buttons wrap into two rows (0 to 5, then 6 to 10); the words always sit under
their number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from kiosk.app.journey import AnswerGiven, Refusal, StepView
from kiosk.domain.answers import Answer
from kiosk.domain.model import UNSURE, Content, Question
from kiosk.ui.screens.base import JourneyScreen
from kiosk.ui.widgets import MIN_TARGET, ChoiceButton, Text, set_role

SCORES = tuple(range(11))
#: Space between two number buttons.
SPACING = 8
#: A number button is never narrower than this; eleven in a row need 11 x 72 px or so.
BUTTON_WIDTH = MIN_TARGET + 8
NO_SCORE = -1


class ScoreScale(QWidget):
    """Eleven checkable number buttons, 0 to 10, at most one chosen.

    Signals:
        changed(int): the chosen number, or ``NO_SCORE`` (-1) when it was taken back.
    """

    changed = Signal(int)

    def __init__(
        self,
        anchors: Sequence[tuple[int, str]],
        name: Callable[[int, str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._anchors = {score: word for score, word in anchors if score in SCORES}
        self._value: int | None = None
        self._syncing = False
        self._columns = 0
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(SPACING)
        self.grid.setVerticalSpacing(4)
        self.buttons: list[QPushButton] = []
        for score in SCORES:
            button = QPushButton(str(score), self)
            button.setObjectName(f"score-{score}")
            set_role(button, "score")
            button.setCheckable(True)
            button.setMinimumSize(QSize(MIN_TARGET, MIN_TARGET + 8))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAccessibleName(name(score, self._anchors.get(score, "")))
            # Screen readers toggle a checkable button without a click: listen to toggled.
            button.toggled.connect(lambda checked, s=score: self._on_toggled(s, checked))
            self.buttons.append(button)
        self.words: dict[int, Text] = {}
        for score, word in self._anchors.items():
            label = Text(word, "scale-word", self)
            label.setObjectName(f"word-{score}")
            self.words[score] = label
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._arrange(len(SCORES))

    # ------------------------------------------------------------ value

    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None) -> None:
        self._value = value
        self._syncing = True
        for score, button in enumerate(self.buttons):
            button.setChecked(score == value)
        self._syncing = False

    def rows(self) -> int:
        """How many rows of numbers are shown: 1, or 2 when wrapped."""
        return 1 if self._columns == len(SCORES) else 2

    def _on_toggled(self, score: int, checked: bool) -> None:
        if self._syncing:
            return
        if checked:
            self.set_value(score)
        elif score == self._value:
            self._value = None
        else:
            return
        self.changed.emit(NO_SCORE if self._value is None else self._value)

    # ------------------------------------------------------------ layout

    def _fits_one_row(self, width: int) -> bool:
        needed = max(BUTTON_WIDTH, *(b.sizeHint().width() for b in self.buttons))
        return width >= len(SCORES) * needed + (len(SCORES) - 1) * SPACING

    def _arrange(self, columns: int) -> None:
        """Lay the numbers out ``columns`` to a row, each word under its number."""
        if columns == self._columns:
            return
        self._columns = columns
        # removeWidget, not takeAt: takeAt hands Python a wrapper for Qt's item, which
        # must then not outlive it (see kiosk.ui.widgets.base._layout_items).
        for widget in (*self.buttons, *self.words.values()):
            self.grid.removeWidget(widget)
        for col in range(len(SCORES)):
            self.grid.setColumnStretch(col, 0)
        row_of = {score: (score // columns) * 2 for score in SCORES}
        for score, button in enumerate(self.buttons):
            self.grid.addWidget(button, row_of[score], score % columns)
        for col in range(columns):
            self.grid.setColumnStretch(col, 1)
        for score, label in self.words.items():
            col = score % columns
            last = min(columns, len(SCORES) - (score - col)) - 1
            if col == 0:
                first, align = 0, Qt.AlignmentFlag.AlignLeft
            elif col == last:
                first, align = max(0, col - 2), Qt.AlignmentFlag.AlignRight
            else:
                first, align = max(0, col - 1), Qt.AlignmentFlag.AlignHCenter
            span = min(3, last - first + 1)
            label.setAlignment(align | Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(label, row_of[score] + 1, first, 1, span)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        columns = len(SCORES) if self._fits_one_row(event.size().width()) else 6
        if columns != self._columns:
            self._arrange(columns)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(6 * BUTTON_WIDTH + 5 * SPACING, hint.height())


def anchor_words(question: Question) -> tuple[tuple[int, str], ...]:
    return tuple((score, word) for score, word in question.anchors if score in SCORES)


class ScaleScreen(JourneyScreen):
    """A SCALE question: the numbers 0 to 10 and "Not sure"."""

    def __init__(self, content: Content, view: StepView, question: Question) -> None:
        super().__init__(content, view, f"question-{question.id}")
        self.question = question
        answer = view.answer
        self.body.addWidget(Text(content.section(question.section).title, "hint"))
        self.body.addWidget(Text(question.text, "question"))
        if question.help:
            self.body.addWidget(Text(question.help, "hint"))
        self.scale = ScoreScale(anchor_words(question), self._button_name)
        self.scale.setObjectName("scale")
        self.body.addWidget(self.scale)
        self.body.addSpacing(8)
        self.unsure = ChoiceButton(UNSURE, self.t("answer.unsure"))
        self.unsure.setObjectName(f"choice-{UNSURE}")
        self.body.addWidget(self.unsure)
        self.error = Text("", "error")
        self.error.setVisible(False)
        self.body.addWidget(self.error)
        self.finish_body()
        self.codes: tuple[str, ...] = () if answer is None else answer.codes
        if answer is not None and answer.score_value is not None:
            self.codes = (str(answer.score_value),)
        self._syncing = False
        self.scale.changed.connect(self._on_scale_changed)
        self.unsure.toggled.connect(self._on_unsure_toggled)
        self._sync()

    def _button_name(self, score: int, word: str) -> str:
        return f"{score}: {word}" if word else str(score)

    def _on_scale_changed(self, score: int) -> None:
        self.codes = () if score == NO_SCORE else (str(score),)
        self._sync()

    def _on_unsure_toggled(self, checked: bool) -> None:
        if self._syncing:
            return
        if checked:
            self.codes = (UNSURE,)
        elif self.codes == (UNSURE,):
            self.codes = ()
        self._sync()

    def _sync(self) -> None:
        unsure = self.codes == (UNSURE,)
        self.scale.set_value(None if unsure or not self.codes else int(self.codes[0]))
        self._syncing = True
        self.unsure.setChecked(unsure)
        self._syncing = False
        self.error.setVisible(False)
        self.set_can_advance(bool(self.codes))

    def answer(self) -> Answer | None:
        if not self.codes:
            return None
        if self.codes == (UNSURE,):
            return Answer.unsure()
        return Answer.of_score(int(self.codes[0]))

    def draft(self) -> Answer | None:
        return self.answer()

    def result(self) -> AnswerGiven | None:
        answer = self.answer()
        return None if answer is None else AnswerGiven(self.question.id, answer)

    def refused(self, reason: Refusal) -> None:
        # The buttons prevent this (as on the other question screens); a message beats a crash.
        message = self.t("scale.need_score")
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.setVisible(True)
