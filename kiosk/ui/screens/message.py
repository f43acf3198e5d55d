"""A centred message with one big button: done, save failed, an error, broken content."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.model import Content
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import (
    BigButton,
    ScrollPage,
    Text,
    centred,
    set_reading_order,
)


class MessageScreen(Screen):
    """A centred title, a message and one big button: done, save failed, saving.

    The done screen may also carry a note (how to get a copy) and a second button
    (print a copy); ``show_note`` updates the note, for example once the copy is printed.

    Signals:
        action_requested(): the button was tapped.
        extra_requested(): the second button was tapped.
    """

    action_requested = Signal()
    extra_requested = Signal()

    def __init__(
        self,
        content: Content | None,
        name: str,
        title: str,
        body: str,
        action: str | None,
        details: tuple[str, ...] = (),
        note: str = "",
        extra: str | None = None,
    ) -> None:
        super().__init__(content, name)
        layout = self.scrolling_page((80, 60, 80, 60))
        if content is not None:
            layout.addLayout(self.read_aloud_row())
        layout.addStretch(2)
        heading = Text(title, "hero")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(heading)
        message = Text(body, "lead")
        message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(message)
        self.note = Text(note, "lead")
        self.note.setObjectName("note")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)
        self.extra_button: BigButton | None = None
        if extra:
            layout.addSpacing(24)
            self.extra_button = BigButton(extra, "secondary", extra)
            self.extra_button.setObjectName("extra")
            self.extra_button.setMinimumSize(360, 88)
            layout.addLayout(centred(self.extra_button))
            self.extra_button.clicked.connect(self.extra_requested)
        if details:
            # Staff-facing details (the content problems): smaller, left-aligned, scrollable.
            box = QWidget()
            lines = QVBoxLayout(box)
            for line in details:
                item = Text(line, "detail")
                item.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                lines.addWidget(item)
            lines.addStretch(1)
            scroll = ScrollPage(box, self)
            scroll.setMinimumHeight(240)
            layout.addWidget(scroll, 4)
        self.action_button: BigButton | None = None
        if action:
            layout.addSpacing(32)
            self.action_button = BigButton(action, "hero", action)
            self.action_button.setObjectName("action")
            self.action_button.setMinimumSize(360, 96)
            layout.addLayout(centred(self.action_button))
            self.action_button.clicked.connect(self.action_requested)
        layout.addStretch(3)
        set_reading_order(self)

    def show_note(self, text: str) -> None:
        """Replace the note, and take the second button away: it has done its job."""
        self.note.setText(text)
        self.note.setVisible(bool(text))
        if self.extra_button is not None:
            self.extra_button.setEnabled(False)
            self.extra_button.hide()


def saving_screen(content: Content) -> MessageScreen:
    """ "Saving your answers", while the summary is saved: nothing of the patient on it,
    so the window builds it ahead, on the consent screen."""
    return MessageScreen(content, "saving", content.text("saving.title"), "", None)
