"""A question with answer buttons (yes / no, one or several options), a text or a date."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLineEdit,
)

from kiosk.app.journey import AnswerGiven, Refusal, StepView
from kiosk.domain.answers import Answer, clean_text, toggle_multi
from kiosk.domain.identity import DateInvalid, parse_date
from kiosk.domain.model import UNSURE, Content, Question, QuestionType
from kiosk.ui.screens.base import JourneyScreen
from kiosk.ui.widgets import (
    MIN_TARGET,
    ChoiceButton,
    DateFields,
    Text,
    set_role,
)


class QuestionScreen(JourneyScreen):
    """One question, with big answer buttons and "Not sure" always offered."""

    def __init__(self, content: Content, view: StepView, question: Question) -> None:
        super().__init__(content, view, f"question-{question.id}")
        self.question = question
        answer = view.answer
        section = content.section(question.section).title
        self.body.addWidget(Text(section, "hint"))
        self.body.addWidget(Text(question.text, "question"))
        if question.help:
            self.body.addWidget(Text(question.help, "hint"))
        self.codes: tuple[str, ...] = answer.codes if answer else ()
        self.buttons: list[ChoiceButton] = []
        self.text_field: QLineEdit | None = None
        self.date_fields: DateFields | None = None
        self.error = Text("", "error")
        self.error.setVisible(False)
        kind = question.type
        if kind is QuestionType.MULTI:
            self.body.addWidget(Text(self.t("question.multi_hint"), "hint"))
        if kind is QuestionType.TEXT:
            self._build_text(answer)
        elif kind is QuestionType.DATE:
            self._build_date(answer)
        choices = self._choices()
        grid = QGridLayout()
        grid.setSpacing(14)
        columns = 2 if len(choices) > 5 else 1
        for i, (code, label) in enumerate(choices):
            button = ChoiceButton(code, label)
            button.setObjectName(f"choice-{code}")
            button.chosen.connect(self._on_chosen)
            grid.addWidget(button, i // columns, i % columns)
            self.buttons.append(button)
        self.body.addLayout(grid)
        self.body.addWidget(self.error)
        self.finish_body()
        self._sync()

    def _choices(self) -> list[tuple[str, str]]:
        q = self.question
        if q.type is QuestionType.YES_NO:
            options = [("yes", self.t("answer.yes")), ("no", self.t("answer.no"))]
        elif q.type in (QuestionType.SINGLE, QuestionType.MULTI):
            options = [(o.code, o.label) for o in q.options]
        else:
            options = []
        return [*options, (UNSURE, self.t("answer.unsure"))]

    def _build_text(self, answer: Answer | None) -> None:
        field = QLineEdit()
        field.setMaxLength(self.question.max_length)
        field.setAccessibleName(self.question.text)
        field.setMinimumHeight(MIN_TARGET + 8)
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        set_role(field, "field")
        if answer and not answer.is_unsure:
            field.setText(answer.text)
        self.counter = Text("", "hint")
        self.body.addWidget(field)
        self.body.addWidget(self.counter)
        field.textChanged.connect(self._on_text_changed)
        self.text_field = field
        self._update_counter()
        self.add_keyboard(field).show_for(field)
        self.setFocusProxy(field)

    def _build_date(self, answer: Answer | None) -> None:
        fields = self.make_date_fields(self.question.text, self.step_view.today.year)
        if answer and answer.date is not None:
            date = answer.date
            fields.set_values(str(date.day), str(date.month), str(date.year))
        fields.edited.connect(self._on_date_edited)
        self.body.addWidget(fields)
        self.date_fields = fields

    def _update_counter(self) -> None:
        assert self.text_field is not None
        self.counter.setText(
            self.t(
                "question.text_counter",
                count=len(self.text_field.text()),
                limit=self.question.max_length,
            )
        )

    # ------------------------------------------------------------ slots

    def _on_chosen(self, code: str) -> None:
        if self.question.type is QuestionType.MULTI:
            self.codes = toggle_multi(self.question, self.codes, code)
        elif (
            code in self.codes
            and code == UNSURE
            and self.question.type in (QuestionType.TEXT, QuestionType.DATE)
        ):
            self.codes = ()  # tapping "Not sure" again goes back to typing
        else:
            self.codes = (code,)
        if code == UNSURE and self.text_field is not None:
            self.text_field.clear()
        self.error.setVisible(False)
        self._sync()

    def _on_text_changed(self, _text: str) -> None:
        self._update_counter()
        if self.text_field is not None and clean_text(self.text_field.text()):
            self.codes = ()
        self._sync()

    def _on_date_edited(self) -> None:
        self.codes = ()
        self.error.setVisible(False)
        self._sync()

    def _sync(self) -> None:
        for button in self.buttons:
            button.setChecked(button.code in self.codes)
        self.set_can_advance(self._has_answer())

    def _has_answer(self) -> bool:
        if self.codes:
            return True
        if self.text_field is not None:
            # Invisible characters alone (zero-width space, bidi controls) are no answer.
            return bool(clean_text(self.text_field.text()))
        if self.date_fields is not None:
            return all(v.strip() for v in self.date_fields.values())
        return False

    def answer(self) -> Answer | None:
        if self.codes:
            return Answer(codes=self.codes)
        if self.text_field is not None and clean_text(self.text_field.text()):
            return Answer.of_text(self.text_field.text())
        if self.date_fields is not None:
            try:
                return Answer.of_date(
                    parse_date(*self.date_fields.values(), today=self.step_view.today)
                )
            except DateInvalid:
                return None
        return None

    def draft(self) -> Answer | None:
        return self.answer()

    def result(self) -> AnswerGiven | None:
        answer = self.answer()
        if answer is None:
            self.error.setText(self.t("question.date_error"))
            self.error.setVisible(True)
            return None
        return AnswerGiven(self.question.id, answer)

    def refused(self, reason: Refusal) -> None:
        # The buttons prevent this; a refusal with a message is still better than a crash.
        key = "question.date_error" if self.date_fields else "question.text_error"
        self.error.setText(self.t(key))
        self.error.setVisible(True)
