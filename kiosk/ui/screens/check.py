"""A comprehension check: one true-or-false statement, then its explanation."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from kiosk.app.journey import CheckAnswered, StepView
from kiosk.domain.model import UNSURE, Content, Statement
from kiosk.ui.screens.base import JourneyScreen, fallback_note
from kiosk.ui.widgets import (
    ChoiceButton,
    Text,
)


class CheckScreen(JourneyScreen):
    """One true-or-false statement. The first answer counts; the explanation follows it."""

    def __init__(self, content: Content, view: StepView, statement: Statement) -> None:
        super().__init__(content, view, f"check-{statement.id}")
        self.statement = statement
        fallback_note(self, statement.id in content.fallback_statements)
        self.body.addWidget(Text(self.t("check.prompt"), "hint"))
        self.body.addWidget(Text(statement.text, "question"))
        self.buttons: list[ChoiceButton] = []
        for code, key in (
            ("true", "answer.true"),
            ("false", "answer.false"),
            (UNSURE, "answer.unsure"),
        ):
            button = ChoiceButton(code, self.t(key))
            button.setObjectName(f"choice-{code}")
            button.chosen.connect(self._on_chosen)
            self.body.addWidget(button)
            self.buttons.append(button)
        self.feedback = Text("", "feedback")
        self.feedback.setProperty("rtl", content.right_to_left)
        self.feedback.setVisible(False)
        self.body.addWidget(self.feedback)
        self.finish_body()
        #: The patient's answer once tapped: kept by the controller on Next (or Back).
        self.answer: CheckAnswered | None = None
        if view.checked:
            self.answer = CheckAnswered(statement.id, view.given)
            self._show(view.given)
        else:
            self.set_can_advance(False)

    def _on_chosen(self, code: str) -> None:
        if self.answer is not None:
            # The first answer counts, and its explanation is on show; a second tap on
            # it (or an accessibility Toggle) must not take its tick away.
            for button in self.buttons:
                button.setChecked(button.isEnabled())
            return
        given = {"true": True, "false": False}.get(code)
        self.answer = CheckAnswered(self.statement.id, given)
        self._show(given)

    def result(self) -> CheckAnswered | None:
        return self.answer

    def kept_on_back(self) -> CheckAnswered | None:
        # Going back and forth must not let the patient answer again, now knowing.
        return self.answer

    def _show(self, given: bool | None) -> None:
        code = {True: "true", False: "false", None: UNSURE}[given]
        for button in self.buttons:
            button.setChecked(button.code == code)
            button.setEnabled(button.code == code)
        right = given is self.statement.correct
        verdict = self.t("check.right" if right else "check.wrong")
        truth = self.t("answer.true" if self.statement.correct else "answer.false")
        answer = self.t("check.answer", answer=truth)
        self.feedback.setText(f"{verdict} {answer} {self.statement.explanation}")
        self.feedback.setProperty("right", right)
        self.feedback.style().unpolish(self.feedback)
        self.feedback.style().polish(self.feedback)
        self.feedback.setVisible(True)
        self.feedback.setAccessibleName(self.feedback.text())
        self.set_can_advance(True)
        # The explanation is the point of the check: bring it into view once laid out.
        QTimer.singleShot(0, self._show_feedback)

    def _show_feedback(self) -> None:
        self.scroll_area.ensureWidgetVisible(self.feedback, 0, 24)
