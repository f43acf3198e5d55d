"""Kiosk mode: keys, context menus, closing, the pointer, one copy at a time, and the
staff screen for a broken settings file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import (
    QContextMenuEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from kiosk import cli
from kiosk.app.config import Config
from kiosk.app.printing import PrintResult
from kiosk.app.storage import Saved
from kiosk.domain.model import Content
from kiosk.domain.record import Record
from kiosk.ui.app import EXIT_ALREADY_RUNNING, create_window, run_app
from kiosk.ui.lockdown import (
    LOCK_NAME,
    Lockdown,
    acquire_single_instance,
    hide_cursor,
    lock_holder,
)
from kiosk.ui.startup_error import build_startup_error_window, run_startup_error
from kiosk.ui.window import KioskWindow

ROOT = Path(__file__).resolve().parent.parent

#: A second copy of the kiosk, as far as the lock goes: takes it, says so, holds it
#: until its stdin closes. Exit 1 when another copy holds it.
HOLDER = """
import sys
from pathlib import Path
from kiosk.ui.lockdown import acquire_single_instance
lock = acquire_single_instance(Path(sys.argv[1]))
print("locked" if lock else "busy", flush=True)
if lock is None:
    sys.exit(1)
sys.stdin.read()
"""


MODIFIER_KEYS = (Qt.Key.Key_Alt, Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Meta)


class Recorder(QWidget):
    """Remembers the keys and context menus that reach it."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("recorder")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.keys: list[tuple[int, Qt.KeyboardModifier]] = []
        self.menus = 0

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # QTest presses each modifier key on its own first; only the key itself counts.
        if event.key() not in MODIFIER_KEYS:
            self.keys.append((event.key(), event.modifiers()))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.menus += 1


@pytest.fixture
def recorder(qtbot) -> Recorder:
    widget = Recorder()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


@pytest.fixture
def lockdown() -> Iterator[Lockdown]:
    guard = Lockdown()
    guard.install()
    yield guard
    guard.remove()


class NullWriter:
    problem = ""

    def __call__(self, content: Content, record: Record) -> Saved:
        raise AssertionError("nothing is saved in these tests")

    def warm_up(self) -> None:
        pass

    def is_spooled(self, saved: Saved) -> bool:
        return False

    def spooled(self) -> list[Path]:
        return []

    def move_spooled(self) -> int:
        return 0

    def print_patient_copy(
        self, content: Content, record: Record, send: Callable[[Path, str], PrintResult]
    ) -> PrintResult:
        raise AssertionError("nothing is printed in these tests")


# ---------------------------------------------------------------- keys and menus


BLOCKED = [
    pytest.param(Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier, id="escape"),
    pytest.param(Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier, id="alt-f4"),
    pytest.param(
        Qt.Key.Key_F4,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
        id="alt-shift-f4",
    ),
]


@pytest.mark.parametrize(("key", "modifiers"), BLOCKED)
def test_blocked_keys_reach_widgets_without_lockdown(
    qtbot, recorder: Recorder, key: Qt.Key, modifiers: Qt.KeyboardModifier
) -> None:
    qtbot.keyClick(recorder, key, modifiers)
    assert [k for k, _ in recorder.keys] == [key]


@pytest.mark.parametrize(("key", "modifiers"), BLOCKED)
def test_lockdown_swallows_escape_and_alt_f4(
    qtbot,
    recorder: Recorder,
    lockdown: Lockdown,
    key: Qt.Key,
    modifiers: Qt.KeyboardModifier,
) -> None:
    qtbot.keyClick(recorder, key, modifiers)
    assert recorder.keys == []
    assert lockdown.blocked == 1


def test_lockdown_lets_other_keys_through(qtbot, recorder: Recorder, lockdown: Lockdown) -> None:
    qtbot.keyClick(recorder, Qt.Key.Key_A)
    qtbot.keyClick(recorder, Qt.Key.Key_F4)  # F4 without Alt
    qtbot.keyClick(recorder, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [k for k, _ in recorder.keys] == [Qt.Key.Key_A, Qt.Key.Key_F4, Qt.Key.Key_S]
    assert lockdown.blocked == 0


@pytest.mark.parametrize("locked", [False, True])
def test_escape_shortcut_fires_only_without_lockdown(
    qtbot, recorder: Recorder, locked: bool
) -> None:
    fired: list[bool] = []
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), recorder)
    shortcut.activated.connect(lambda: fired.append(True))
    guard = Lockdown()
    if locked:
        guard.install()
    try:
        qtbot.keyClick(recorder, Qt.Key.Key_Escape)
    finally:
        guard.remove()
    assert fired == ([] if locked else [True])


@pytest.mark.parametrize("locked", [False, True])
def test_context_menu_is_swallowed_only_with_lockdown(recorder: Recorder, locked: bool) -> None:
    guard = Lockdown()
    if locked:
        guard.install()
    try:
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, QPoint(5, 5), recorder.mapToGlobal(QPoint(5, 5))
        )
        QApplication.sendEvent(recorder, event)
    finally:
        guard.remove()
    assert recorder.menus == (0 if locked else 1)


def test_removed_lockdown_blocks_nothing(qtbot, recorder: Recorder) -> None:
    guard = Lockdown()
    guard.install()
    guard.remove()
    qtbot.keyClick(recorder, Qt.Key.Key_Escape)
    assert len(recorder.keys) == 1


# ---------------------------------------------------------------- closing and the pointer


def test_kiosk_mode_window_refuses_to_close(qtbot, config: Config) -> None:
    window = create_window(config, None, ("a problem",), NullWriter())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.kiosk_mode = True
    assert window.close() is False
    assert window.isVisible()
    # Staff's way out (clinician mode) clears kiosk_mode first; then it closes.
    window.kiosk_mode = False
    assert window.close() is True
    assert not window.isVisible()


def test_hide_cursor_blanks_the_pointer() -> None:
    hide_cursor()
    try:
        cursor = QGuiApplication.overrideCursor()
        assert cursor is not None
        assert cursor.shape() == Qt.CursorShape.BlankCursor
    finally:
        QGuiApplication.restoreOverrideCursor()
    assert QGuiApplication.overrideCursor() is None


# ---------------------------------------------------------------- one copy at a time


def start_holder(data_dir: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another running kiosk holding the lock in tmp_path/data."""
    process = start_holder(tmp_path / "data")
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(10)
    if process.stdin:
        process.stdin.close()
    if process.stdout:
        process.stdout.close()


def run_second_copy(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        cwd=ROOT,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_second_copy_cannot_take_the_lock(tmp_path: Path) -> None:
    data = tmp_path / "data"
    lock = acquire_single_instance(data)
    assert lock is not None
    assert (data / LOCK_NAME).is_file()
    second = run_second_copy(data)
    assert (second.returncode, second.stdout.strip()) == (1, "busy")
    lock.unlock()
    again = run_second_copy(data)
    assert (again.returncode, again.stdout.strip()) == (0, "locked")


def test_lock_held_by_another_process(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    assert acquire_single_instance(tmp_path / "data") is None
    assert lock_holder(tmp_path / "data") == holder.pid


def test_an_old_lock_of_a_running_kiosk_is_not_stolen(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    # QLockFile's default calls a lock stale after 30 s; a kiosk runs for weeks. (On
    # Linux the holder's flock() also protects it; setStaleLockTime(0) covers the rest.)
    hour_ago = time.time() - 3600
    os.utime(tmp_path / "data" / LOCK_NAME, (hour_ago, hour_ago))
    assert acquire_single_instance(tmp_path / "data") is None


def test_the_lock_of_a_crashed_kiosk_is_taken(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    assert (tmp_path / "data" / LOCK_NAME).exists(), "a killed process leaves its lock file"
    lock = acquire_single_instance(tmp_path / "data")
    assert lock is not None
    assert lock_holder(tmp_path / "data") == os.getpid()
    lock.unlock()


def test_run_app_refuses_a_second_copy(
    tmp_path: Path,
    holder: subprocess.Popen[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = Config(output_dir=tmp_path / "out", data_dir=tmp_path / "data")
    assert run_app(config, None, ("x",), NullWriter(), True) == EXIT_ALREADY_RUNNING
    assert capsys.readouterr().err == (
        f"The kiosk is already running (process {holder.pid}); close it first.\n"
    )


def test_run_app_in_kiosk_mode_locks_down(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_app's wiring, with the event loop replaced by a look at what it set up."""
    config = Config(output_dir=tmp_path / "out", data_dir=tmp_path / "data", hide_cursor=True)
    seen: dict[str, object] = {}

    def fake_exec(app: QApplication) -> int:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, KioskWindow))
        qtbot.addWidget(window)  # outlives run_app, so Qt deletes it as it would at exit
        screen = QGuiApplication.primaryScreen()
        assert screen is not None
        seen["full screen"] = window.isFullScreen()
        seen["geometry"] = window.geometry() == screen.geometry()
        seen["kiosk mode"] = window.kiosk_mode
        cursor = QGuiApplication.overrideCursor()
        seen["cursor"] = cursor.shape() if cursor else None
        seen["lock"] = lock_holder(config.data_dir)
        guard = app.findChild(Lockdown, "lockdown")
        seen["lockdown"] = guard is not None
        if guard is not None:
            qtbot.keyClick(window, Qt.Key.Key_Escape)
            seen["escape blocked"] = guard.blocked
        window.kiosk_mode = False
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    try:
        assert run_app(config, None, ("x",), NullWriter(), True) == 0
    finally:
        while QGuiApplication.overrideCursor() is not None:
            QGuiApplication.restoreOverrideCursor()
    assert seen == {
        "full screen": True,
        "geometry": True,
        "kiosk mode": True,
        "cursor": Qt.CursorShape.BlankCursor,
        "lock": os.getpid(),
        "lockdown": True,
        "escape blocked": 1,
    }
    # After the kiosk ends: the lock is released and the filter removed.
    assert not (config.data_dir / LOCK_NAME).exists()
    after = Recorder()
    qtbot.addWidget(after)
    qtbot.keyClick(after, Qt.Key.Key_Escape)
    assert len(after.keys) == 1


def test_run_app_in_a_window_does_not_lock_down(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Config(output_dir=tmp_path / "out", data_dir=tmp_path / "data")
    seen: dict[str, object] = {}

    def fake_exec(app: QApplication) -> int:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, KioskWindow))
        qtbot.addWidget(window)  # outlives run_app, so Qt deletes it as it would at exit
        seen["full screen"] = window.isFullScreen()
        seen["cursor"] = QGuiApplication.overrideCursor()
        seen["lockdown"] = app.findChild(Lockdown, "lockdown")
        seen["lock"] = lock_holder(config.data_dir)
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert run_app(config, None, ("x",), NullWriter(), False) == 0
    assert seen == {"full screen": False, "cursor": None, "lockdown": None, "lock": os.getpid()}


# ---------------------------------------------------------------- a broken settings file

PROBLEMS = [
    "Settings file: /etc/dn-kiosk/kiosk.toml",
    "idle_seconds: must be a whole number of seconds from 5 to 3600 (got 1)",
    "bogus: not a known setting",
]


def test_startup_error_window_lists_each_problem(qtbot) -> None:
    window = build_startup_error_window("This kiosk is not ready", PROBLEMS)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    texts = [label.text() for label in window.findChildren(QLabel)]
    assert "This kiosk is not ready" in texts
    for line in PROBLEMS:
        assert line in texts
    assert any("front desk" in t for t in texts)


def test_startup_error_close_button_exits_with_2(qtbot) -> None:
    window = build_startup_error_window("This kiosk is not ready", PROBLEMS)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    close = window.findChild(QPushButton, "action")
    assert close is not None
    assert close.text() == "Close"
    with qtbot.waitSignal(window.finished, timeout=1000) as blocker:
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert blocker.args == [2]
    assert not window.isVisible()


def test_run_startup_error_prints_and_returns_2(
    qtbot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[bool] = []

    def fake_exec(app: QApplication) -> int:
        window = next(w for w in app.topLevelWidgets() if w.objectName() == "startup-error")
        shown.append(window.isFullScreen())
        window.close()  # closed by the desktop rather than by Close: still status 2
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert run_startup_error("This kiosk is not ready", PROBLEMS, kiosk_mode=True) == 2
    assert shown == [True]
    assert capsys.readouterr().err == "This kiosk is not ready\n" + "".join(
        f"  {line}\n" for line in PROBLEMS
    )


@pytest.fixture
def broken_config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text("idle_seconds = 1\n", encoding="utf-8")
    return path


def test_broken_config_at_start_up_shows_the_staff_screen(
    monkeypatch: pytest.MonkeyPatch, broken_config: Path
) -> None:
    calls: list[tuple[str, list[str], bool]] = []

    def fake(title: str, lines: list[str], kiosk_mode: bool) -> int:
        calls.append((title, lines, kiosk_mode))
        return 2

    monkeypatch.setattr("kiosk.ui.startup_error.run_startup_error", fake)
    monkeypatch.setattr(cli, "display_problem", lambda: None)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")  # read by cli only; Qt is already up
    assert cli.main(["--kiosk", "--config", str(broken_config)]) == 2
    assert calls == [
        (
            "This kiosk is not ready",
            [
                f"1 problem(s) in {broken_config}:",
                f"  {broken_config}: idle_seconds: must be a whole number of seconds from 5 to "
                "3600 (got 1)",
            ],
            True,
        )
    ]


@pytest.mark.parametrize(
    ("platform", "display"),
    [("xcb", "No display found."), ("offscreen", None), ("minimal", None)],
)
def test_broken_config_without_a_visible_screen_is_listed_on_stderr(
    monkeypatch: pytest.MonkeyPatch,
    broken_config: Path,
    capsys: pytest.CaptureFixture[str],
    platform: str,
    display: str | None,
) -> None:
    def fake(title: str, lines: list[str], kiosk_mode: bool) -> int:
        raise AssertionError("nobody would see the window, nor tap Close")

    monkeypatch.setattr("kiosk.ui.startup_error.run_startup_error", fake)
    monkeypatch.setattr(cli, "display_problem", lambda: display)
    monkeypatch.setenv("QT_QPA_PLATFORM", platform)
    assert cli.main(["--config", str(broken_config)]) == 2
    assert capsys.readouterr().err.startswith(f"1 problem(s) in {broken_config}:")
