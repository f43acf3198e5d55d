"""Every screen, as a patient meets it: big targets, named controls, no raw errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from kiosk.app.config import Config
from kiosk.cli import display_problem, qt_import_problem
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, walk_to_consent
from kiosk.ui.app import create_window
from kiosk.ui.widgets import MIN_TARGET, SignaturePad

ROOT = Path(__file__).resolve().parents[1]


def interactive(screen: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, SignaturePad)
    return [w for w in screen.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible()]


def test_every_control_on_every_screen_is_named_and_big_enough(
    qtbot, config: Config, content: Content
) -> None:
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    problems: list[str] = []
    screens: list[str] = []

    def inspect(screen: QWidget) -> None:
        screens.append(screen.objectName())
        for widget in interactive(screen):
            label = f"{screen.objectName()}: {type(widget).__name__} {widget.objectName()!r}"
            if not widget.accessibleName().strip():
                problems.append(f"{label} has no accessible name")
            size = widget.size()
            if min(size.width(), size.height()) < MIN_TARGET:
                problems.append(f"{label} is {size.width()}x{size.height()} px")

    inspect(current(win))
    walk_to_consent(win, "Ana Lima", ("3", "4", "1950"), {}, on_screen=inspect)
    assert len(screens) > 40
    assert not problems, "\n".join(problems)


def test_display_problem_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    if sys.platform == "linux":
        message = display_problem()
        assert message is not None
        assert "xvfb-run" in message
        assert message.count(". ") == 0
    monkeypatch.setenv("DISPLAY", ":0")
    assert display_problem() is None


def test_without_a_display_the_kiosk_says_so_and_exits(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    assert result.stderr.strip().startswith("No display found")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_qt_library_is_named() -> None:
    message = qt_import_problem(
        ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    )
    assert "libEGL.so.1" in message
    assert "run-kiosk.sh" in message
    assert "PySide6" in qt_import_problem(ImportError("No module named 'PySide6'"))


def test_a_broken_config_file_is_one_clear_message(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("idle_seconds = 'soon'\n")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "idle_seconds" in result.stderr
    assert "Traceback" not in result.stderr
