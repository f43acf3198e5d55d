"""Who is signing the consent: asked on its own screen, before the consent, for a patient
under 18 or one who has someone helping them (the content's ``ask_signer_when``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.app.journey import Refusal, SignerGiven, StepView
from kiosk.domain.consent import (
    RELATIONSHIP_MAX,
    Signer,
    SignerProblem,
    SignerRefused,
    SignerRole,
)
from kiosk.domain.identity import NAME_MAX
from kiosk.domain.model import Content
from kiosk.ui.screens.base import JourneyScreen
from kiosk.ui.widgets import MIN_TARGET, ChoiceButton, Text, set_role

#: The choices, in the order shown, with the words of each.
ROLES = (
    (SignerRole.PATIENT, "signer.patient"),
    (SignerRole.GUARDIAN, "signer.guardian"),
    (SignerRole.AUTHORITY, "signer.authority"),
)


class SignerScreen(JourneyScreen):
    """Three choices (the patient, a parent or guardian, another person with authority);
    for someone else, their full name and how they are related to the patient, typed on
    the same on-screen keyboard as the patient's name. Hands back ``SignerGiven``."""

    def __init__(self, content: Content, view: StepView) -> None:
        super().__init__(content, view, "signer")
        self.body.addWidget(Text(self.t("signer.title"), "title"))
        self.body.addWidget(Text(self.t("signer.intro"), "body"))
        self.role: SignerRole | None = None
        self.buttons: dict[SignerRole, ChoiceButton] = {}
        for role, key in ROLES:
            button = ChoiceButton(role.value, self.t(key))
            button.setObjectName(f"signer-{role.value}")
            button.chosen.connect(self._on_chosen)
            self.buttons[role] = button
            self.body.addWidget(button)
        # The person signing for the patient: shown once someone else is chosen.
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 12, 0, 0)
        details.setSpacing(12)
        self.name = self._field("signer.name", NAME_MAX, details)
        self.relationship = self._field("signer.relationship", RELATIONSHIP_MAX, details)
        details.addWidget(Text(self.t("signer.relationship_hint"), "hint"))
        self.body.addWidget(self.details)
        self.error = Text("", "error")
        self.error.setVisible(False)
        self.body.addWidget(self.error)
        self.finish_body()
        for field in (self.name, self.relationship):
            self.add_keyboard(field, words=True)
            field.textEdited.connect(self._on_edited)
        signer = view.signer
        if signer is not None:
            self.name.setText(signer.name)
            self.relationship.setText(signer.relationship)
            self._choose(signer.role)
        else:
            self._sync()

    def _field(self, key: str, limit: int, layout: QVBoxLayout) -> QLineEdit:
        label = Text(self.t(key), "label")
        field = QLineEdit()
        field.setObjectName(key.replace(".", "-"))
        field.setMaxLength(limit)
        field.setAccessibleName(self.t(key))
        field.setMinimumHeight(MIN_TARGET + 8)
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        field.setInputMethodHints(
            Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhSensitiveData
        )
        set_role(field, "field")
        label.setBuddy(field)
        layout.addWidget(label)
        layout.addWidget(field)
        return field

    # ------------------------------------------------------------ slots

    def _on_chosen(self, code: str) -> None:
        self._choose(SignerRole(code))
        if self.role is not None and self.role.for_someone_else and not self.name.text():
            # The next thing to do is to type the name: its keyboard opens.
            assert self.keyboard is not None
            self.keyboard.show_for(self.name)

    def _choose(self, role: SignerRole) -> None:
        self.role = role
        self.error.setVisible(False)
        self._sync()

    def _on_edited(self, _text: str) -> None:
        self.error.setVisible(False)

    def _sync(self) -> None:
        for role, button in self.buttons.items():
            button.setChecked(role is self.role)
        someone_else = self.role is not None and self.role.for_someone_else
        self.details.setVisible(someone_else)
        if not someone_else and self.keyboard is not None and self.keyboard.isVisible():
            # Nothing left to type: the keyboard goes, as if Done was tapped.
            self.keyboard.setVisible(False)
            self.keyboard.closed.emit()

    # ------------------------------------------------------------ the result

    def result(self) -> SignerGiven | None:
        if self.role is None:
            self._fail(self.t("signer.error.choose"), self.buttons[SignerRole.PATIENT])
            return None
        if not self.role.for_someone_else:
            return SignerGiven(Signer(SignerRole.PATIENT))
        # The controller checks the name and relationship (``check_signer``).
        return SignerGiven(Signer(self.role, self.name.text(), self.relationship.text()))

    def refused(self, reason: Refusal) -> None:
        if isinstance(reason, SignerRefused) and reason.problem is SignerProblem.NO_NAME:
            self._fail(self.t("signer.error.name"), self.name)
        else:
            self._fail(self.t("signer.error.relationship"), self.relationship)

    def _fail(self, message: str, focus: QWidget) -> None:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.setVisible(True)
        focus.setFocus()
        if isinstance(focus, QLineEdit) and self.keyboard is not None:
            self.keyboard.show_for(focus)
