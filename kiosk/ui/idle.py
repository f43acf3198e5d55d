"""Walk-aways: notice when nobody has touched the kiosk, ask, then erase.

``IdleWatcher`` listens to every touch, click, key or scroll anywhere in the
application (through ``InputHub``), so each one restarts the countdown, and so do focus
changes and, on the screens it is told to ``watch``, every button switched and every
field edited: assistive technology (a screen reader, switch access, voice control)
moves focus and acts through the accessibility API without sending input events.
``StillThereOverlay`` covers the screen with "Are you still there?" and a countdown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QInputEvent,
    QInputMethodEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.widgets import BigButton, Text, centred, set_role

_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
    }
)


#: What PySide hands an event filter for the events above (it picks the Python class from
#: the event's type in C++). ``isinstance`` on these is a C-level check; ``event.type()``
#: builds a Python enum on every call, which is what made the filters expensive.
_INPUT_CLASSES = (QInputEvent, QInputMethodEvent)

#: Called with each input event's type and the event.
InputListener = Callable[[QEvent.Type, QEvent], None]


class InputHub(QObject):
    """The one application-wide event filter for whatever watches the patient's input.

    Qt calls an application event filter for every event of every object (paints,
    timers, layouts: about 35 000 per patient), and each call into Python costs a
    couple of microseconds. The idle timers and the staff gesture used to be one filter
    each, and together took about a tenth of the UI's time. Now there is one filter,
    which looks only at input events (a C-level ``isinstance``) and hands those to its
    listeners. It is installed with the first listener and removed with the last.
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self._listeners: list[tuple[QObject, InputListener]] = []

    def add(self, owner: QObject, listener: InputListener) -> None:
        """Call ``listener`` for every input event until ``remove(owner)`` or ``owner`` dies."""
        if not self._listeners:
            self.app.installEventFilter(self)
        self._listeners.append((owner, listener))
        owner.destroyed.connect(self._on_owner_destroyed)

    def remove(self, owner: QObject) -> None:
        before = len(self._listeners)
        self._listeners = [(o, f) for o, f in self._listeners if o is not owner]
        if before and not self._listeners:
            self.app.removeEventFilter(self)

    def _on_owner_destroyed(self, owner: QObject | None = None) -> None:
        # The wrapper of a dying object may no longer compare equal: drop every listener
        # whose owner's C++ side is gone.
        from shiboken6 import isValid

        kept = [(o, f) for o, f in self._listeners if isValid(o) and o is not owner]
        if self._listeners and not kept:
            self.app.removeEventFilter(self)
        self._listeners = kept

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, _INPUT_CLASSES):
            kind = event.type()
            for _owner, listener in tuple(self._listeners):
                listener(kind, event)
        return False


_hub: InputHub | None = None


def activity() -> InputHub:
    """The application's ``InputHub`` (created on first use)."""
    global _hub
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if _hub is None or _hub.app is not app:
        _hub = InputHub(app)
    return _hub


class IdleWatcher(QObject):
    """Emits ``timed_out`` after ``seconds`` without input, while armed.

    Signals:
        timed_out(): nobody touched anything for the whole time.
    """

    timed_out = Signal()

    def __init__(self, seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setObjectName("idle-timeout")
        self.timer.setSingleShot(True)
        self.timer.setInterval(seconds * 1000)
        self.timer.timeout.connect(self.timed_out)
        self._armed = False
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        activity().add(self, self._on_input)
        app.focusChanged.connect(self._on_focus_changed)

    def arm(self) -> None:
        self._armed = True
        self.timer.start()

    def disarm(self) -> None:
        self._armed = False
        self.timer.stop()

    @property
    def armed(self) -> bool:
        return self._armed

    def poke(self) -> None:
        if self._armed:
            self.timer.start()

    def watch(self, root: QWidget) -> None:
        """Count what the accessibility API does to ``root``'s controls as activity.

        Its Press, Toggle and text actions reach a button or a field without any input
        event (Toggle emits only ``toggled``; EditableText sets the text), so a switch
        user answering question after question would otherwise be wiped mid-answer.
        """
        for button in root.findChildren(QAbstractButton):
            button.toggled.connect(self._on_state_changed)
            button.clicked.connect(self._on_state_changed)
        for field in root.findChildren(QLineEdit):
            field.textChanged.connect(self._on_state_changed)

    def _on_state_changed(self, *_args: object) -> None:
        self.poke()

    def _on_input(self, kind: QEvent.Type, _event: QEvent) -> None:
        if kind in _ACTIVITY:
            self.poke()

    def _on_focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.poke()

    def close(self) -> None:
        if QApplication.instance() is not None:
            activity().remove(self)
        self.timer.stop()


class StillThereOverlay(QFrame):
    """ "Are you still there?" over the whole window, counting down.

    Signals:
        stayed(): the patient tapped "I'm still here".
        expired(): the countdown ran out.
        announced(str): what a screen reader was told when it appeared.
    """

    stayed = Signal()
    expired = Signal()
    announced = Signal(str)

    def __init__(
        self, title: str, body_template: str, stay: str, seconds: int, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("still-there")
        set_role(self, "overlay")
        self._template = body_template
        self._title = title
        self._total = seconds
        self._left = seconds
        self.ticker = QTimer(self)
        self.ticker.setObjectName("idle-countdown")
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._on_tick)

        card = QFrame(self)
        set_role(card, "card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(56, 48, 56, 48)
        inner.setSpacing(24)
        heading = Text(title, "hero")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = Text("", "lead")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stay_button = BigButton(stay, "hero", stay)
        self.stay_button.setObjectName("stay")
        self.stay_button.setMinimumSize(380, 110)
        inner.addWidget(heading)
        inner.addWidget(self.body)
        inner.addLayout(centred(self.stay_button))
        card.setMaximumWidth(820)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(centred(card, 10))
        outer.addStretch(1)

        self.stay_button.clicked.connect(self._on_stay)
        self.hide()

    def start(self) -> None:
        self._left = self._total
        self._render()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.stay_button.setFocus()
        self.ticker.start()
        # A screen-reader user hears the question at once, not only the button's name.
        words = f"{self._title}. {self.body.text()}"
        event = QAccessibleAnnouncementEvent(self, words)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)
        self.announced.emit(words)

    def stop(self) -> None:
        self.ticker.stop()
        self.hide()

    @property
    def seconds_left(self) -> int:
        return self._left

    def _render(self) -> None:
        self.body.setText(self._template.format(seconds=self._left))

    def _on_tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self.stop()
            self.expired.emit()
            return
        self._render()

    def _on_stay(self) -> None:
        self.stop()
        self.stayed.emit()
