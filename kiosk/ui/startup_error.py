"""The screen a kiosk shows when it cannot start (a broken settings file): never a traceback.

It names each problem for staff, prints the same lines to stderr (the journal), and
has one Close button, which ends the process with status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk.ui.app import DEFAULT_SIZE, apply_look, fill_screen
from kiosk.ui.screens import MessageScreen

#: The exit status of a kiosk that could not start because of its settings.
EXIT_CONFIG = 2

DEFAULT_BODY = (
    "Please tell the front desk. Staff: the kiosk cannot start because of the problems "
    "below. Fix them (python -m kiosk check-config checks the file) and start it again."
)


class StartupErrorWindow(QWidget):
    """A full window with a title, a short message for staff, the problems and Close.

    Signals:
        finished(int): staff tapped Close; the exit status (2).
    """

    finished = Signal(int)

    def __init__(self, title: str, lines: Sequence[str], body: str = DEFAULT_BODY) -> None:
        super().__init__()
        self.setObjectName("startup-error")
        self.setWindowTitle("Dry needling kiosk: not ready")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = MessageScreen(
            None, "startup-error-message", title, body, "Close", tuple(lines)
        )
        layout.addWidget(self.message)
        self.message.action_requested.connect(self._on_close_requested)

    def _on_close_requested(self) -> None:
        self.finished.emit(EXIT_CONFIG)
        self.close()


def build_startup_error_window(
    title: str, lines: Sequence[str], body: str = DEFAULT_BODY
) -> StartupErrorWindow:
    """The window, not yet shown; ``run_startup_error`` shows it and runs the event loop."""
    return StartupErrorWindow(title, lines, body)


def run_startup_error(
    title: str, lines: list[str], kiosk_mode: bool, body: str = DEFAULT_BODY
) -> int:
    """Show the problems until staff close the window; returns the exit status, 2."""
    if sys.stderr is not None:  # None under pythonw.exe (Windows, no console)
        sys.stderr.write(title + "\n" + "".join(f"  {line}\n" for line in lines))
        sys.stderr.flush()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("dn-kiosk")
    apply_look(app)
    window = build_startup_error_window(title, lines, body)
    window.finished.connect(app.exit)
    if kiosk_mode:
        fill_screen(window)
    else:
        window.resize(*DEFAULT_SIZE)
        window.show()
    app.exec()
    # Closed by Close or by the desktop: either way the settings are still broken.
    return EXIT_CONFIG
