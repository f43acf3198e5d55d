"""Start Qt, apply the look, show the kiosk window and run until the desktop closes it."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app.clinic import ClinicServices
from kiosk.app.config import Config
from kiosk.app.delivery import SummaryArchive
from kiosk.domain.model import Content
from kiosk.ui import guard
from kiosk.ui.lockdown import (
    Lockdown,
    acquire_single_instance,
    already_running_message,
    hide_cursor,
)
from kiosk.ui.speech import ReadAloud
from kiosk.ui.theme import FONT_FAMILIES, TextSize, register_fonts, stylesheet
from kiosk.ui.window import KioskWindow

log = logging.getLogger("kiosk.ui")

DEFAULT_SIZE = (1280, 800)
#: Exit status when another copy of the kiosk already runs (see kiosk.cli).
EXIT_ALREADY_RUNNING = 5


def apply_look(app: QApplication) -> None:
    """Bundled fonts and the stylesheet, so the kiosk looks the same on every machine."""
    register_fonts()
    font = QFont()
    # Each family is a fallback for characters the ones before it cannot draw.
    font.setFamilies(list(FONT_FAMILIES))
    font.setPixelSize(22)
    app.setFont(font)
    app.setStyleSheet(stylesheet(TextSize.NORMAL, high_contrast=False))


def create_window(
    config: Config,
    content: Content | None,
    problems: tuple[str, ...],
    writer: SummaryArchive,
    clinic: ClinicServices | None = None,
    clinic_problem: str = "",
) -> KioskWindow:
    window = KioskWindow(config, content, problems, writer, clinic, clinic_problem)
    window.resize(*DEFAULT_SIZE)
    return window


class _FirstFrame(QObject):
    """Runs a callback once, just after ``widget`` is first painted (or after a second)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        # A window that is never painted (minimised, covered) still gets its services.
        QTimer.singleShot(1000, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            # Queued: the frame is finished and on screen before the callback starts.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            self._widget.removeEventFilter(self)
            callback()


def after_first_frame(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once ``widget`` has been painted: work the first frame can do
    without (the clinic's database, ReportLab) waits until the patient sees a screen."""
    _FirstFrame(widget, callback)


def start_read_aloud(window: KioskWindow) -> ReadAloud | None:
    """Start read-aloud's engine process; its voices arrive later, or never.

    Only after the first frame: the engine runs in its own process (see kiosk.ui.speech),
    and until it reports a voice for the patient's language the button stays hidden.
    """
    if window.content is None:
        return None
    speech = ReadAloud([choice.language for choice in window.content.languages], window)
    window.set_speech(speech)
    speech.start()
    return speech


def fill_screen(window: QWidget) -> None:
    """Full screen on the primary screen, window manager or not."""
    screen = QGuiApplication.primaryScreen()
    # Without a window manager showFullScreen() alone can leave a tiny window.
    if screen is not None:
        window.setGeometry(screen.geometry())
    window.showFullScreen()


def show(window: KioskWindow, kiosk_mode: bool) -> None:
    if kiosk_mode:
        window.kiosk_mode = True
        fill_screen(window)
    else:
        window.show()


def run_app(
    config: Config,
    content: Content | None,
    problems: tuple[str, ...],
    writer: SummaryArchive,
    kiosk_mode: bool,
    clinic: ClinicServices | None = None,
    clinic_problem: str = "",
    *,
    open_clinic: Callable[[], tuple[ClinicServices | None, str]] | None = None,
) -> int:
    """Run the kiosk until it is closed from clinician mode (or the desktop closes it).

    ``open_clinic``, when given, opens the clinic's services only once this copy holds
    the single-instance lock, so a second copy touches nothing before it is refused,
    and only after the welcome screen's first frame, so the patient sees the kiosk
    sooner (the database, the retention sweep, argon2 and cryptography wait).
    """
    # One copy per data folder: two would share (and fight over) the database and queue.
    try:
        lock = acquire_single_instance(config.data_dir)
    except OSError as exc:
        lock = None
        log.warning("%s; starting without the single-copy check", exc)
    else:
        if lock is None:
            message = already_running_message(config.data_dir)
            if sys.stderr is None:  # pythonw.exe (Windows, no console): the log files only
                log.error("%s", message)
            else:
                sys.stderr.write(message + "\n")
            return EXIT_ALREADY_RUNNING
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("dn-kiosk")
    apply_look(app)
    lockdown: Lockdown | None = None
    if kiosk_mode:
        lockdown = Lockdown(app)
        lockdown.install()
    if config.hide_cursor:
        hide_cursor()
    window = create_window(config, content, problems, writer, clinic, clinic_problem)
    # An unexpected error anywhere now erases the session and returns to welcome.
    remove_guard = guard.install(window)

    speech: list[ReadAloud] = []

    def after_welcome_shows() -> None:
        started = start_read_aloud(window)
        if started is not None:
            speech.append(started)
        if open_clinic is not None:
            window.attach_clinic(*open_clinic())
        # Import ReportLab and register its fonts once the welcome screen is up.
        QTimer.singleShot(500, writer.warm_up)

    after_first_frame(window, after_welcome_shows)
    show(window, kiosk_mode)
    log.info("kiosk started (%s)", "full screen" if kiosk_mode else "window")
    try:
        return app.exec()
    finally:
        for service in speech:
            service.shutdown()  # a bounded wait, then the engine process is killed
        remove_guard()
        if lockdown is not None:
            lockdown.remove()
            lockdown.deleteLater()
        if lock is not None:
            lock.unlock()
