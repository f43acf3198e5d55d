"""The consent text, "I have read and understood", the signature pad, and the two
honest ways out: "I'd like to talk to my physiotherapist first" and "I don't want dry
needling"."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
)

from kiosk.app.journey import ConsentWithheld, Refusal, Signed, StepView
from kiosk.domain.consent import ConsentDecision
from kiosk.domain.model import Content
from kiosk.domain.signature import SignatureProblem, SignatureRefused
from kiosk.ui.screens.base import JourneyScreen
from kiosk.ui.screens.withhold import WithholdCard
from kiosk.ui.widgets import (
    MIN_TARGET,
    BigButton,
    ChoiceButton,
    SignaturePad,
    Text,
    set_role,
)


class ConsentScreen(JourneyScreen):
    """The consent text, "I have read and understood", and the signature pad; Finish
    hands back ``Signed``. Below the pad, two buttons as large as Finish end without a
    signature: after the patient makes sure (``WithholdCard``), the screen hands back
    ``ConsentWithheld`` the same way, through ``next_requested``."""

    def __init__(self, content: Content, view: StepView) -> None:
        super().__init__(content, view, "consent", next_label=content.text("consent.finish"))
        consent = content.consent
        self.body.addWidget(Text(consent.title, "title"))
        for paragraph in consent.body:
            self.body.addWidget(Text(paragraph.replace("- ", "\u2022 "), "body"))
        signer = view.signer
        someone_else = signer is not None and signer.for_someone_else
        # A parent, guardian or other person signing for the patient agrees in the
        # third person.
        self.agree = ChoiceButton("agree", consent.agree_label_for(someone_else))
        self.agree.setObjectName("agree")
        self.agree.setMinimumHeight(MIN_TARGET + 24)
        set_role(self.agree, "agree")
        self.agree.toggled.connect(self._on_agree_toggled)
        self.body.addWidget(self.agree)
        # Why a signature was refused shows right above the pad, where the patient looks.
        self.error = Text("", "error")
        self.error.setVisible(False)
        self.body.addWidget(self.error)
        self.body.addWidget(Text(consent.sign_prompt, "label"))
        if signer is not None and someone_else:
            signing = self.t(
                "consent.signing_for", name=signer.name, relationship=signer.relationship
            )
            self.body.addWidget(Text(signing, "body"))
        self.pad = SignaturePad(consent.sign_prompt)
        self.pad.setObjectName("signature")
        self.pad.setMinimumHeight(240)
        self.pad.changed.connect(self._on_pad_changed)
        pad_row = QHBoxLayout()
        pad_row.addWidget(self.pad, 1)
        self.clear_button = BigButton(self.t("consent.clear"), "secondary", self.t("consent.clear"))
        self.clear_button.setObjectName("clear")
        self.clear_button.clicked.connect(self.pad.clear)
        pad_row.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.body.addLayout(pad_row)
        self._add_other_endings()
        self.finish_body()

    def _add_other_endings(self) -> None:
        """ "I'd like to talk to my physiotherapist first" and "I don't want dry needling":
        as large as Finish and as calm (the secondary look of Back), never hidden."""
        #: The ending the patient made sure of, when it is not signing.
        self.withheld: ConsentDecision | None = None
        self.card = WithholdCard(self.content, self)
        self.card.confirmed.connect(self._on_withhold_confirmed)
        self.body.addSpacing(16)
        self.body.addWidget(Text(self.t("consent.other_choices"), "label"))
        self.ending_buttons: dict[ConsentDecision, BigButton] = {}
        for decision, key, name in (
            (ConsentDecision.TALK_FIRST, "consent.talk_first", "talk-first"),
            (ConsentDecision.DECLINED, "consent.decline", "decline"),
        ):
            button = BigButton(self.t(key), "secondary", self.t(key))
            button.setObjectName(name)
            button.setMinimumHeight(self.next_button.minimumHeight())
            button.clicked.connect(lambda _=False, d=decision: self.card.ask(d))
            self.ending_buttons[decision] = button
            self.body.addWidget(button)

    def _on_withhold_confirmed(self, decision: ConsentDecision) -> None:
        self.withheld = decision
        self.next_requested.emit()

    def _on_agree_toggled(self, _checked: bool) -> None:
        self.error.setVisible(False)

    def _on_pad_changed(self) -> None:
        self.error.setVisible(False)

    def result(self) -> Signed | ConsentWithheld | None:
        if self.withheld is not None:
            return ConsentWithheld(self.withheld)
        if not self.agree.isChecked():
            self._fail(self.t("consent.need_agree"))
            return None
        # The controller checks the strokes (``Session.sign``) and says why it refuses.
        return Signed(self.pad.signature(), self.pad.to_png())

    def refused(self, reason: Refusal) -> None:
        empty = isinstance(reason, SignatureRefused) and reason.problem is SignatureProblem.EMPTY
        self._fail(self.t("consent.error.empty" if empty else "consent.error.small"))

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.setVisible(True)
        # Bring the message and the pad into view once the page has been laid out again.
        QTimer.singleShot(0, self._show_signing_area)

    def _show_signing_area(self) -> None:
        self.scroll_area.ensureWidgetVisible(self.pad, 0, 24)
        self.scroll_area.ensureWidgetVisible(self.error, 0, 24)
