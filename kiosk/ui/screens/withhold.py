"""Before the consent ends without a signature: a card over the consent screen that says
what happens next and asks once more, so a shaky tap never ends a journey by mistake."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.domain.consent import ConsentDecision
from kiosk.domain.model import Content
from kiosk.ui.widgets import BigButton, Text, centred, set_reading_order, set_role


class WithholdCard(QFrame):
    """ "Talk to your physiotherapist first?" or "You don't want dry needling?", over the
    whole consent screen, with "Yes, save my answers" and "Go back to the consent".

    Signals:
        confirmed(object): the ``ConsentDecision`` the patient made sure of.
    """

    confirmed = Signal(object)

    def __init__(self, content: Content, parent: QWidget) -> None:
        super().__init__(parent)
        self.content = content
        self.setObjectName("withhold")
        set_role(self, "overlay")
        self.decision: ConsentDecision | None = None
        card = QFrame(self)
        set_role(card, "card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(56, 48, 56, 48)
        inner.setSpacing(24)
        self.heading = Text("", "title")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = Text("", "lead")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        confirm, back = content.text("withhold.confirm"), content.text("withhold.back")
        self.confirm_button = BigButton(confirm, "hero", confirm)
        self.confirm_button.setObjectName("withhold-confirm")
        self.confirm_button.setMinimumSize(380, 96)
        self.back_button = BigButton(back, "secondary", back)
        self.back_button.setObjectName("withhold-back")
        self.back_button.setMinimumSize(380, 88)
        inner.addWidget(self.heading)
        inner.addWidget(self.body)
        inner.addLayout(centred(self.confirm_button))
        inner.addLayout(centred(self.back_button))
        card.setMaximumWidth(900)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(centred(card, 10))
        outer.addStretch(1)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.back_button.clicked.connect(self.hide)
        self.hide()

    def ask(self, decision: ConsentDecision) -> None:
        """Show the card for ``decision`` (talk first, or declined) over the screen."""
        self.decision = decision
        self.heading.setText(self.content.text(f"withhold.{decision.value}.title"))
        self.body.setText(self.content.text(f"withhold.{decision.value}.body"))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        set_reading_order(self)
        self.confirm_button.setFocus()

    def _on_confirm(self) -> None:
        decision = self.decision
        self.hide()
        if decision is not None:
            self.confirmed.emit(decision)
