"""The staff gesture: a long press on the window's top-left corner, or Ctrl+Alt+S."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.idle import activity

#: The staff corner: a square at the top left of the window, held this long.
CORNER = 110
HOLD_MS = 3000


class StaffGesture(QObject):
    """A long press on the window's top-left corner, or Ctrl+Alt+S.

    It watches the whole application (through the one shared ``InputHub``), as a press
    lands on whatever widget is under the finger. The window enables it only while the
    welcome screen shows.

    Signals:
        triggered(): staff asked for clinician mode.
    """

    triggered = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.enabled = False
        self.hold = QTimer(self)
        self.hold.setObjectName("staff-hold")
        self.hold.setSingleShot(True)
        self.hold.setInterval(HOLD_MS)
        self.hold.timeout.connect(self._on_hold_timeout)
        self.shortcut = QShortcut(QKeySequence("Ctrl+Alt+S"), window)
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self._on_shortcut)
        activity().add(self, self._on_input)

    def in_corner(self, global_pos: QPointF) -> bool:
        local = self._window.mapFromGlobal(global_pos.toPoint())
        return 0 <= local.x() < CORNER and 0 <= local.y() < CORNER

    def _on_input(self, kind: QEvent.Type, event: QEvent) -> None:
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if self.enabled and self.in_corner(event.globalPosition()):
                self.hold.start()
        elif kind == QEvent.Type.MouseButtonRelease or (
            kind == QEvent.Type.MouseMove
            and isinstance(event, QMouseEvent)
            and self.hold.isActive()
            and not self.in_corner(event.globalPosition())
        ):
            self.hold.stop()

    def close(self) -> None:
        if QApplication.instance() is not None:
            activity().remove(self)
        self.hold.stop()

    def _on_hold_timeout(self) -> None:
        if self.enabled:
            self.triggered.emit()

    def _on_shortcut(self) -> None:
        if self.enabled:
            self.triggered.emit()
