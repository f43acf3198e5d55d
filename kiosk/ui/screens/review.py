"""Every answer, each with Change."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QVBoxLayout,
)

from kiosk.app.journey import StepView
from kiosk.domain.answers import describe, format_date
from kiosk.domain.flow import Step, StepKind
from kiosk.domain.model import Content
from kiosk.ui.screens.base import JourneyScreen
from kiosk.ui.widgets import (
    BigButton,
    Text,
    set_role,
)


class ReviewScreen(JourneyScreen):
    """Every answer, each with Change.

    Signals:
        change_requested(str, str): the step kind and id to change.
    """

    change_requested = Signal(str, str)

    def __init__(self, content: Content, view: StepView) -> None:
        super().__init__(content, view, "review", next_label=content.text("review.continue"))
        self.body.addWidget(Text(self.t("review.title"), "title"))
        self.body.addWidget(Text(self.t("review.intro"), "hint"))
        identity = view.identity
        if identity is not None:
            # Read aloud in a waiting room, a name and date of birth tell everyone who
            # the patient is; the labels are read, the values are not.
            self._row(
                self.t("review.name"),
                identity.name,
                0,
                Step(StepKind.IDENTITY),
                "identity-name",
                spoken=False,
            )
            self._row(
                self.t("review.dob"),
                format_date(identity.date_of_birth, self.content),
                0,
                Step(StepKind.IDENTITY),
                "identity-dob",
                spoken=False,
            )
        section = ""
        for item in view.review:
            title = content.section(item.question.section).title
            if title != section:
                section = title
                self.body.addWidget(Text(title, "section"))
            self._row(
                item.question.text,
                describe(item.question, item.answer, content),
                item.depth,
                Step(StepKind.QUESTION, item.question.id),
                item.question.id,
            )
        self.finish_body()

    def _row(
        self, question: str, answer: str, depth: int, step: Step, key: str, spoken: bool = True
    ) -> None:
        row = QFrame()
        set_role(row, "review-row")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(20 + 40 * depth, 12, 12, 12)
        texts = QVBoxLayout()
        texts.addWidget(Text(question, "review-question"))
        answer_text = Text(answer, "review-answer")
        if not spoken:
            answer_text.setProperty("spoken", False)
        texts.addWidget(answer_text)
        layout.addLayout(texts, 1)
        change = BigButton(
            self.t("review.change"), "secondary", f"{self.t('review.change')}: {question}"
        )
        change.setObjectName(f"change-{key}")
        change.clicked.connect(lambda: self.change_requested.emit(step.kind.value, step.id))
        layout.addWidget(change, 0, Qt.AlignmentFlag.AlignVCenter)
        self.body.addWidget(row)
