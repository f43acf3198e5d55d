"""The patient's name and date of birth."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLineEdit,
    QWidget,
)

from kiosk.app.journey import IdentityGiven, StepView
from kiosk.domain.identity import DateInvalid, DateProblem, Identity, clean_name, parse_date
from kiosk.domain.model import Content
from kiosk.ui.screens.base import JourneyScreen
from kiosk.ui.widgets import (
    MIN_TARGET,
    Text,
    set_role,
)


class IdentityScreen(JourneyScreen):
    def __init__(self, content: Content, view: StepView) -> None:
        super().__init__(content, view, "identity")
        self.body.addWidget(Text(self.t("identity.title"), "title"))
        name_label = Text(self.t("identity.name"), "label")
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.name.setAccessibleName(self.t("identity.name"))
        self.name.setMinimumHeight(MIN_TARGET + 8)
        self.name.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.name.setInputMethodHints(
            Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhSensitiveData
        )
        set_role(self.name, "field")
        name_label.setBuddy(self.name)
        self.body.addWidget(name_label)
        self.body.addWidget(self.name)
        self.body.addSpacing(12)
        self.body.addWidget(Text(self.t("identity.dob"), "label"))
        self.body.addWidget(Text(self.t("identity.date_hint"), "hint"))
        # The year buttons start from 50 years ago: nearer most patients than today.
        self.date = self.make_date_fields(self.t("identity.dob"), view.today.year - 50)
        self.body.addWidget(self.date)
        self.error = Text("", "error")
        self.error.setVisible(False)
        self.body.addWidget(self.error)
        self.finish_body()
        if view.identity is not None:
            dob = view.identity.date_of_birth
            self.name.setText(view.identity.name)
            self.date.set_values(str(dob.day), str(dob.month), str(dob.year))
        self.name.textEdited.connect(self._on_edited)
        self.date.edited.connect(self._on_edited)
        # The name is what this screen asks first: its keyboard is open from the start,
        # and the field has the focus (for a physical keyboard too).
        self.add_keyboard(self.name, words=True).show_for(self.name)
        self.setFocusProxy(self.name)

    def _on_edited(self, *_: object) -> None:
        self.error.setVisible(False)

    def result(self) -> IdentityGiven | None:
        name = clean_name(self.name.text())
        if not name:
            self._fail(self.t("identity.error.name"), self.name)
            return None
        try:
            dob = parse_date(*self.date.values(), today=self.step_view.today)
        except DateInvalid as exc:
            key = (
                "identity.error.future"
                if exc.problem is DateProblem.FUTURE
                else "identity.error.date"
            )
            self._fail(self.t(key), self.date.day)
            return None
        return IdentityGiven(Identity(name, dob))

    def _fail(self, message: str, focus: QWidget) -> None:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.setVisible(True)
        focus.setFocus()
