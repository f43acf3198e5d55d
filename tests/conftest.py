"""Shared fixtures. Qt runs offscreen; this must be set before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.app.config import Config
from kiosk.content.loader import load_content
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.domain.model import Content

if TYPE_CHECKING:
    from kiosk.ui.window import KioskWindow


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite the expected text of the golden summaries in tests/data",
    )


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(bundled_content_dir(), assets_dir())


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled content folder, to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), target)
    return target


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A clinic's settings with every folder in ``tmp_path``: the data folder (clinic
    database, spool, lock, logs) too, never the user's own ~/.local/share/dn-kiosk."""
    return Config(
        clinic_name="Test Clinic",
        output_dir=tmp_path / "summaries",
        data_dir=tmp_path / "data",
        idle_seconds=90,
    )


@pytest.fixture
def window(qtbot, config: Config, content: Content) -> KioskWindow:
    """The kiosk window as it starts, shown, with the bundled look, saving to ``config``."""
    from PySide6.QtWidgets import QApplication

    from kiosk.saving import PdfSummaryWriter
    from kiosk.ui.app import apply_look, create_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_look(app)
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture(autouse=True)
def _no_stray_windows() -> Iterator[None]:
    """Fail a test that leaves top-level windows open behind it."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    assert isinstance(app, QApplication)
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    visible = [w.objectName() or type(w).__name__ for w in app.topLevelWidgets() if w.isVisible()]
    assert not visible, f"windows left open: {visible}"


@pytest.fixture(scope="session")
def frozen_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PyInstaller one-folder build (slow; skips without PyInstaller, fails on CI)."""
    from tests import frozen_build

    return frozen_build.frozen_folder(tmp_path_factory.mktemp("frozen-build"))
