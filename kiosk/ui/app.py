"""Start Qt, apply the look, show the kiosk window and run until the desktop closes it."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.core.config import Config
from kiosk.core.model import Content
from kiosk.core.paths import asset, assets_dir
from kiosk.core.storage import SummaryWriter
from kiosk.ui.clinician import ClinicServices
from kiosk.ui.window import KioskWindow

log = logging.getLogger("kiosk.ui")

DEFAULT_SIZE = (1280, 800)
FONT_FAMILY = "DejaVu Sans"


def apply_look(app: QApplication) -> None:
    """Bundled fonts and the stylesheet, so the kiosk looks the same on every machine."""
    for path in sorted((assets_dir() / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))
    font = QFont(FONT_FAMILY)
    font.setPixelSize(22)
    app.setFont(font)
    app.setStyleSheet(asset("styles/kiosk.qss").read_text(encoding="utf-8"))


def create_window(
    config: Config,
    content: Content | None,
    problems: tuple[str, ...],
    writer: SummaryWriter,
    clinic: ClinicServices | None = None,
    clinic_problem: str = "",
) -> KioskWindow:
    window = KioskWindow(config, content, problems, writer, clinic, clinic_problem)
    window.resize(*DEFAULT_SIZE)
    return window


def show(window: KioskWindow, kiosk_mode: bool) -> None:
    if kiosk_mode:
        window.kiosk_mode = True
        screen = QGuiApplication.primaryScreen()
        # Without a window manager showFullScreen() alone can leave a tiny window.
        if screen is not None:
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    else:
        window.show()


def run_app(
    config: Config,
    content: Content | None,
    problems: tuple[str, ...],
    writer: SummaryWriter,
    kiosk_mode: bool,
    clinic: ClinicServices | None = None,
    clinic_problem: str = "",
) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("dn-kiosk")
    apply_look(app)
    window = create_window(config, content, problems, writer, clinic, clinic_problem)
    show(window, kiosk_mode)
    # Import ReportLab and register fonts once the welcome screen is up, not before.
    QTimer.singleShot(500, writer.warm_up)
    log.info("kiosk started (%s)", "full screen" if kiosk_mode else "window")
    return app.exec()
