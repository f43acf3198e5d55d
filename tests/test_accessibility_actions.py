"""Every control answers the accessibility API's own actions the same as a tap.

Switch access and voice control act through AT-SPI: Press, Toggle and SetFocus. Toggle
switches a checkable button with ``toggled`` alone (never ``clicked``), so a control
that listened only to ``clicked`` drew a tick and recorded nothing (issue 17, part 1).
These tests run the very action Qt's AT-SPI bridge runs (``tests/a11y.py``), offscreen.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import (
    answer_current,
    current,
    default_choice,
    pick_date,
    tap,
    tap_next,
    type_into,
)
from kiosk.ui.app import create_window
from kiosk.ui.bodymap import BodyMapScreen
from kiosk.ui.screens import CheckScreen, IdentityScreen, QuestionScreen, ScaleScreen, WelcomeScreen
from kiosk.ui.window import KioskWindow
from tests.a11y import PRESS, SET_FOCUS, TOGGLE, act


def make(qtbot, config: Config, content: Content) -> KioskWindow:
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def button_in(root: QWidget, name: str) -> QAbstractButton:
    found = root.findChild(QAbstractButton, name)
    assert found is not None, f"no button {name!r}"
    return found


def welcome(win: KioskWindow) -> WelcomeScreen:
    screen = current(win)
    assert isinstance(screen, WelcomeScreen)
    return screen


def to_first_check(win: KioskWindow) -> CheckScreen:
    act(welcome(win).start_button, PRESS)
    while not isinstance(current(win), CheckScreen):
        assert not isinstance(current(win), IdentityScreen), "no check before the identity"
        tap_next(win)
    screen = current(win)
    assert isinstance(screen, CheckScreen)
    return screen


@pytest.mark.parametrize("code", ["true", "false", "unsure"])
def test_toggling_a_check_answer_records_it(qtbot, config: Config, content: Content, code) -> None:
    win = make(qtbot, config, content)
    check = to_first_check(win)
    next_button = button_in(check, "next")
    assert not next_button.isEnabled()
    button = button_in(check, f"choice-{code}")
    act(button, TOGGLE)
    assert check.answer is not None
    assert check.answer.given == {"true": True, "false": False}.get(code)
    assert check.feedback.isVisible()
    assert next_button.isEnabled()
    # Toggling it again neither changes the answer nor takes its tick away.
    act(button, TOGGLE)
    assert button.isChecked()
    assert check.answer.given == {"true": True, "false": False}.get(code)


def test_pressing_a_check_answer_records_it(qtbot, config: Config, content: Content) -> None:
    win = make(qtbot, config, content)
    check = to_first_check(win)
    act(button_in(check, "choice-true"), PRESS)
    assert check.answer is not None
    assert check.answer.given is True


def test_toggling_a_question_answer_records_it(qtbot, config: Config, content: Content) -> None:
    win = make(qtbot, config, content)
    act(welcome(win).start_button, PRESS)
    while not isinstance(current(win), QuestionScreen):
        screen = current(win)
        if isinstance(screen, CheckScreen):
            act(button_in(screen, "choice-unsure"), TOGGLE)
        elif isinstance(screen, IdentityScreen):
            type_into(screen.name, "Ana Lima")
            pick_date(screen.date, "3", "4", "1950")
        elif isinstance(screen, BodyMapScreen | ScaleScreen):
            answer_current(win, default_choice(screen))
        tap_next(win)
    screen = current(win)
    assert isinstance(screen, QuestionScreen)
    assert screen.buttons
    assert screen.answer() is None
    first, unsure = screen.buttons[0], screen.buttons[-1]
    act(first, TOGGLE)
    assert screen.codes == (first.code,)
    assert screen.answer() is not None
    assert button_in(screen, "next").isEnabled()
    act(unsure, TOGGLE)
    assert screen.codes == (unsure.code,)
    assert not first.isChecked()
    assert unsure.isChecked()


@pytest.mark.parametrize(("code", "start"), [("es", "Empezar"), ("ar", None)])
def test_toggling_a_language_switches_to_it_alone(
    qtbot, config: Config, content: Content, code, start
) -> None:
    win = make(qtbot, config, content)
    english = button_in(welcome(win), "language-en")
    assert english.isChecked()
    act(button_in(welcome(win), f"language-{code}"), TOGGLE)
    assert win.language == code
    screen = welcome(win)
    ticked = [b.objectName() for b in screen.language_buttons if b.isChecked()]
    assert ticked == [f"language-{code}"]
    if start is not None:
        assert start in screen.start_button.accessibleName()
    # Toggling the ticked language again leaves it ticked: never no language at all.
    act(button_in(screen, f"language-{code}"), TOGGLE)
    assert win.language == code
    assert [b.isChecked() for b in welcome(win).language_buttons].count(True) == 1


def test_toggling_a_text_size_applies_it_alone(qtbot, config: Config, content: Content) -> None:
    win = make(qtbot, config, content)
    act(button_in(welcome(win), "size-large"), TOGGLE)
    assert win.text_size.name == "LARGE"
    ticked = [b.objectName() for b in welcome(win).size_buttons if b.isChecked()]
    assert ticked == ["size-large"]
    act(button_in(welcome(win), "contrast"), TOGGLE)
    assert win.high_contrast


def test_language_buttons_are_one_exclusive_group(qtbot, config: Config, content: Content) -> None:
    win = make(qtbot, config, content)
    screen = welcome(win)
    assert screen.language_group.exclusive()
    assert screen.size_group.exclusive()
    assert set(screen.language_group.buttons()) == set(screen.language_buttons)
    assert set(screen.size_group.buttons()) == set(screen.size_buttons)


def test_tapping_still_works(qtbot, config: Config, content: Content) -> None:
    win = make(qtbot, config, content)
    tap(button_in(welcome(win), "language-es"))
    assert win.language == "es"
    tap(button_in(welcome(win), "language-en"))
    assert win.language == "en"
    check = to_first_check(win)
    tap(button_in(check, "choice-false"))
    assert check.answer is not None
    assert check.answer.given is False


def test_accessibility_actions_restart_the_idle_wait(
    qtbot, config: Config, content: Content
) -> None:
    win = make(qtbot, config, content)
    check = to_first_check(win)
    for action, name in ((SET_FOCUS, "choice-false"), (TOGGLE, "choice-true")):
        win.idle.timer.start(2000)
        qtbot.wait(500)
        assert win.idle.timer.remainingTime() < 1600
        act(button_in(check, name), action)
        assert win.idle.timer.remainingTime() > 1800, action


def test_a_toggle_without_focus_change_restarts_the_idle_wait(
    qtbot, config: Config, content: Content
) -> None:
    """Toggle moves no focus and sends no input event: only the watch on state sees it."""
    win = make(qtbot, config, content)
    check = to_first_check(win)
    button = button_in(check, "choice-unsure")
    button.setFocus()
    win.idle.timer.start(2000)
    qtbot.wait(500)
    act(button, TOGGLE)
    assert win.idle.timer.remainingTime() > 1800


def test_the_walk_away_question_is_announced_and_focused(
    qtbot, config: Config, content: Content
) -> None:
    win = make(qtbot, config, content)
    to_first_check(win)
    overlay = win.overlay
    assert overlay is not None
    with qtbot.waitSignal(overlay.announced, timeout=3000) as heard:
        win.idle.timer.setInterval(50)
        win.idle.arm()
    words = heard.args[0]
    assert content.text("idle.title") in words
    assert str(config.countdown_seconds) in words
    assert win.focusWidget() is overlay.stay_button
    win.idle.timer.setInterval(60_000)  # not asked again straight after staying
    act(overlay.stay_button, PRESS)
    assert not overlay.isVisible()
