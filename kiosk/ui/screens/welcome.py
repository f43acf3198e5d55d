"""The first screen: Start, and the patient's choices of language, text size and contrast."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
)

from kiosk.domain.model import Content
from kiosk.ui.screens.base import Screen, arrows
from kiosk.ui.widgets import (
    BigButton,
    Text,
    centred,
    set_reading_order,
)


class WelcomeScreen(Screen):
    """The first screen: a big Start, and the patient's choices of language, text size
    and contrast, which apply at once and reset for the next patient.

    Signals:
        start_requested()
        language_chosen(str): a language code.
        size_chosen(str): a ``TextSize`` name.
        contrast_toggled(bool)
    """

    start_requested = Signal()
    language_chosen = Signal(str)
    size_chosen = Signal(str)
    contrast_toggled = Signal(bool)

    def __init__(
        self,
        content: Content,
        clinic_name: str,
        size: str = "NORMAL",
        high_contrast: bool = False,
    ) -> None:
        super().__init__(content, "welcome")
        layout = self.scrolling_page((80, 40, 80, 32))
        layout.addLayout(self.read_aloud_row())
        layout.addStretch(2)
        clinic = Text(clinic_name, "clinic")
        clinic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(clinic)
        title = Text(self.t("welcome.title"), "hero")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        lead = Text(self.t("app.title"), "subtitle")
        lead.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(lead)
        body = Text(self.t("welcome.body"), "lead")
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setMaximumWidth(900)
        layout.addSpacing(12)
        layout.addLayout(centred(body, 10))
        layout.addSpacing(28)
        forward = arrows(content)[1]
        self.start_button = BigButton(
            f"{self.t('welcome.start')}  {forward}", "hero", self.t("welcome.start")
        )
        self.start_button.setObjectName("start")
        self.start_button.setMinimumSize(420, 110)
        layout.addLayout(centred(self.start_button))
        layout.addStretch(2)

        # Each choice's name sits above its buttons, so long words in big text still fit.
        choices = QGridLayout()
        choices.setHorizontalSpacing(14)
        choices.setVerticalSpacing(6)
        self.language_buttons: list[BigButton] = []
        # One language and one size at a time, whichever way a button is switched: a
        # tap, Space, or the accessibility API's Toggle action (which emits ``toggled``,
        # never ``clicked``). In an exclusive group the ticked button cannot be unticked.
        self.language_group = QButtonGroup(self)
        self.size_group = QButtonGroup(self)
        row = 0
        if len(content.languages) > 1:
            choices.addWidget(Text(self.t("welcome.language"), "label"), row, 0)
            row += 1
            line = QHBoxLayout()
            for language in content.languages:
                button = BigButton(language.language_name, "secondary", language.language_name)
                button.setObjectName(f"language-{language.language}")
                button.setCheckable(True)
                button.setChecked(language.language == content.language)
                # Each name is shown in its own script and direction.
                button.setLayoutDirection(
                    Qt.LayoutDirection.RightToLeft
                    if language.right_to_left
                    else Qt.LayoutDirection.LeftToRight
                )
                button.toggled.connect(
                    lambda on, code=language.language: self._on_choice(
                        on, self.language_chosen, code
                    )
                )
                self.language_group.addButton(button)
                line.addWidget(button)
                self.language_buttons.append(button)
            line.addStretch(1)
            choices.addLayout(line, row, 0)
            row += 1
        choices.addWidget(Text(self.t("welcome.text_size"), "label"), row, 0)
        row += 1
        sizes = QHBoxLayout()
        self.size_buttons: list[BigButton] = []
        for step, (name, key) in enumerate(
            (
                ("NORMAL", "size.normal"),
                ("LARGE", "size.large"),
                ("EXTRA_LARGE", "size.extra_large"),
            ),
            start=1,
        ):
            button = BigButton(self.t(key), "secondary", self.t(key))
            button.setObjectName(f"size-{name.lower()}")
            # Each size button shows its own size (the stylesheet's sizeStep rules).
            button.setProperty("sizeStep", step)
            button.setCheckable(True)
            button.setChecked(name == size)
            button.toggled.connect(lambda on, n=name: self._on_choice(on, self.size_chosen, n))
            self.size_group.addButton(button)
            sizes.addWidget(button)
            self.size_buttons.append(button)
        self.contrast_button = BigButton(
            f"\u25d0  {self.t('welcome.contrast')}", "secondary", self.t("welcome.contrast")
        )
        self.contrast_button.setObjectName("contrast")
        self.contrast_button.setCheckable(True)
        self.contrast_button.setChecked(high_contrast)
        self.contrast_button.toggled.connect(self.contrast_toggled)
        sizes.addStretch(1)
        choices.addLayout(sizes, row, 0)
        contrast_row = QHBoxLayout()
        contrast_row.addWidget(self.contrast_button)
        contrast_row.addStretch(1)
        choices.addLayout(contrast_row, row + 1, 0)
        layout.addLayout(choices)
        self.start_button.clicked.connect(self.start_requested)
        set_reading_order(self)

    def _on_choice(self, checked: bool, signal: SignalInstance, value: str) -> None:
        # Only the newly ticked button speaks; the group unticks the other one itself.
        if checked:
            signal.emit(value)
