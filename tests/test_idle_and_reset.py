"""Walk-aways: the kiosk asks, counts down, erases. Broken content is shown to staff."""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, find_button, find_named, settle, tap, tap_next, type_into
from kiosk.ui.app import create_window
from kiosk.ui.screens import IdentityScreen
from kiosk.ui.window import KioskWindow

SECRET = "Wilhelmina Testpatient"


def make(
    qtbot, config: Config, content: Content | None, problems: tuple[str, ...] = ()
) -> KioskWindow:
    win = create_window(
        config, content, problems, PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def to_identity(win: KioskWindow) -> IdentityScreen:
    assert win.content is not None
    tap(find_named(current(win), win.content.text("welcome.start")))
    while not isinstance(current(win), IdentityScreen):
        screen = current(win)
        button = screen.findChild(QPushButton, "choice-true")
        if button is not None:
            tap(button)
        tap_next(win)
    screen = current(win)
    assert isinstance(screen, IdentityScreen)
    return screen


@pytest.fixture
def short_config(config: Config) -> Config:
    return replace(config, idle_seconds=5, countdown_seconds=3)


def test_walk_away_asks_then_erases_everything(
    qtbot, short_config: Config, content: Content
) -> None:
    win = make(qtbot, short_config, content)
    assert win.overlay is not None
    win.overlay.ticker.setInterval(20)
    identity = to_identity(win)
    # 5 s in the config; shortened so the test is quick, once the patient is on the
    # identity screen (a busy machine can take 100 ms to build a screen on the way).
    win.idle.timer.setInterval(100)
    type_into(identity.name, SECRET)
    session = weakref.ref(win.session)
    del identity
    overlay = win.overlay
    assert overlay is not None
    with qtbot.waitSignal(win.idle.timed_out, timeout=3000):
        pass
    assert overlay.isVisible()
    assert find_button(win, content.text("idle.stay")).isVisible()
    with qtbot.waitSignal(win.session_reset, timeout=3000):
        pass
    settle()
    gc.collect()
    assert session() is None
    assert current(win).objectName() == "welcome"
    assert not overlay.isVisible()
    texts = [w.text() for w in QApplication.allWidgets() if isinstance(w, QLabel | QLineEdit)]
    assert not [t for t in texts if SECRET in t]
    assert not [
        w for w in QApplication.allWidgets() if isinstance(w, QLineEdit) and w.isUndoAvailable()
    ]


def test_still_here_keeps_the_session(qtbot, short_config: Config, content: Content) -> None:
    win = make(qtbot, short_config, content)
    identity = to_identity(win)
    win.idle.timer.setInterval(100)
    type_into(identity.name, SECRET)
    with qtbot.waitSignal(win.idle.timed_out, timeout=3000):
        pass
    # The usual wait again before "Stay": 100 ms could run out again on a busy machine
    # before the assertions below (building the next screen ahead takes that long).
    win.idle.timer.setInterval(5000)
    assert win.overlay is not None
    assert win.overlay.isVisible()
    tap(find_button(win, content.text("idle.stay")))
    assert not win.overlay.isVisible()
    assert current(win) is identity
    assert identity.name.text() == SECRET
    assert win.idle.timer.isActive()


def test_touching_the_screen_restarts_the_wait(qtbot, config: Config, content: Content) -> None:
    win = make(qtbot, config, content)
    identity = to_identity(win)
    win.idle.timer.start(2000)
    qtbot.wait(600)
    assert win.idle.timer.remainingTime() < 1600
    # A tap on plain text: no focus change, only the touch itself restarts the wait.
    qtbot.mouseClick(identity.part_label, Qt.MouseButton.LeftButton)
    assert win.idle.timer.remainingTime() > 1800


def test_welcome_screen_never_times_out(qtbot, config: Config, content: Content) -> None:
    win = make(qtbot, config, content)
    assert not win.idle.timer.isActive()


def test_done_screen_returns_to_welcome_by_itself(qtbot, config: Config, content: Content) -> None:
    win = make(qtbot, config, content)
    win.done_timer.setInterval(50)
    win._show_done(None)
    assert current(win).objectName() == "done"
    with qtbot.waitSignal(win.session_reset, timeout=2000):
        pass
    assert current(win).objectName() == "welcome"


def test_broken_content_shows_a_staff_message(qtbot, config: Config) -> None:
    problems = ('rules.toml: rule[3] "pregnancy".level: "warning" is not a level',)
    win = make(qtbot, config, None, problems)
    screen = current(win)
    assert screen.objectName() == "content-broken"
    texts = [w.text() for w in screen.findChildren(QLabel)]
    assert problems[0] in texts
    assert any("front desk" in t for t in texts)
    assert win.session is None
