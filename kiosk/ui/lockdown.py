"""What Qt itself can lock in the waiting room: keys, context menus, the pointer, a second copy.

Qt cannot block Alt+Tab, Ctrl+Alt+Del or the desktop: that is the operating system's
kiosk mode (docs/deployment.md). What is left is done here:

- :class:`Lockdown` filters the whole application: Escape, Alt+F4 and context menus
  never reach a widget. (Closing the window is refused by ``KioskWindow.closeEvent``.)
- :func:`hide_cursor` blanks the pointer for touch screens.
- :func:`acquire_single_instance` keeps a second copy from starting.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QLockFile, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication

log = logging.getLogger("kiosk.ui")

LOCK_NAME = "kiosk.lock"

_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)


def is_blocked_key(event: QKeyEvent) -> bool:
    """Escape, and Alt+F4 (whatever other modifiers are held)."""
    key = event.key()
    if key == Qt.Key.Key_Escape:
        return True
    return key == Qt.Key.Key_F4 and bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)


class Lockdown(QObject):
    """An application-wide event filter for kiosk mode.

    It sees every event before its widget does. For a blocked key it also accepts the
    ShortcutOverride Qt sends first, so no shortcut bound to that key fires either.

    Signals: none. ``blocked`` counts what it swallowed, for the log and the tests.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockdown")
        self.blocked = 0
        self._app: QApplication | None = None

    def install(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.installEventFilter(self)
        self._app = app

    def remove(self) -> None:
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _KEY_EVENTS and isinstance(event, QKeyEvent) and is_blocked_key(event):
            if kind == QEvent.Type.ShortcutOverride:
                # Accepted override = "the widget wants this key", so no shortcut fires;
                # the KeyPress that follows is swallowed below.
                event.accept()
            elif kind == QEvent.Type.KeyPress:
                self.blocked += 1
            return True
        if kind == QEvent.Type.ContextMenu:
            self.blocked += 1
            return True
        return False


def hide_cursor() -> None:
    """Blank the pointer over every window of the kiosk (touch screens)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)


def acquire_single_instance(data_dir: Path) -> QLockFile | None:
    """Take the kiosk's lock in ``data_dir``; None when another running copy holds it.

    Keep the returned lock alive for as long as the kiosk runs; it is released when
    the object is deleted or the process ends. A lock left by a copy that crashed (its
    process is gone, or the machine was rebooted) is removed by QLockFile and taken.
    Raises OSError when the lock file cannot be written at all (for example a
    read-only ``data_dir``).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_NAME))
    # With the default (30 s) a lock older than that counts as stale. On Linux the
    # holder's flock() still keeps it from being removed, but not on every file system
    # or OS; 0 makes "stale" mean only "its process is gone" (or the machine rebooted).
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    raise OSError(f"cannot create the lock file {data_dir / LOCK_NAME} ({lock.error().name})")


def lock_holder(data_dir: Path) -> int | None:
    """The process id written in the lock file, if it can be read."""
    pid, _hostname, _appname = QLockFile(str(data_dir / LOCK_NAME)).getLockInfo()
    return pid if pid > 0 else None


def already_running_message(data_dir: Path) -> str:
    pid = lock_holder(data_dir)
    which = f"process {pid}" if pid else "another process"
    return f"The kiosk is already running ({which}); close it first."
