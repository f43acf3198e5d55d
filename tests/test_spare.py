"""The next screen, built while the patient reads (kiosk.ui.spare): shown when the guess
came true, thrown away when an answer changed what comes next, and never left holding a
patient's name or answers after the journey ends."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk.app.journey import view_of
from kiosk.tools.journey import (
    current,
    draw,
    settle,
    signature_strokes,
    tap,
    tap_next,
    walk_to_consent,
)
from kiosk.ui.screens import ConsentScreen, ReviewScreen, WelcomeScreen
from kiosk.ui.window import KioskWindow

NAME = "Wilhelmina Sparescreen"
DOB = ("3", "7", "1951")


def wait_for_spare(qtbot, window: KioskWindow) -> None:
    """As a patient reads: long enough for the spare to be built."""
    qtbot.waitUntil(lambda: not window.spare.pending, timeout=5000)


def find_child(screen: QWidget, name: str) -> QWidget:
    found = screen.findChild(QWidget, name)
    assert found is not None, name
    return found


def patient_labels() -> list[str]:
    return [
        w.text() for w in QApplication.allWidgets() if isinstance(w, QLabel) and NAME in w.text()
    ]


def test_every_screen_shows_the_step_the_journey_is_on_built_ahead_or_not(
    window: KioskWindow, qtbot
) -> None:
    shown: list[QWidget | None] = [None]
    ahead: list[str] = []

    def on_screen(screen: QWidget) -> None:
        session = window.journey.session
        assert session is not None
        # The screen shows exactly the step the journey is on, as it stands now.
        assert screen.step_view == view_of(session), screen.objectName()  # type: ignore[attr-defined]
        if screen is shown[0]:
            ahead.append(screen.objectName())
        # The patient has answered (walk_to_consent does that first) and reads on.
        wait_for_spare(qtbot, window)
        if screen.objectName() == "question-blood_thinner":
            # Changing the answer changes the guess: "no" skips the follow-up.
            assert spare_name() == "question-blood_thinner_which"
            tap(find_child(screen, "choice-no"))
            wait_for_spare(qtbot, window)
            assert spare_name() not in ("", "question-blood_thinner_which")
            tap(find_child(screen, "choice-yes"))
            wait_for_spare(qtbot, window)
            assert spare_name() == "question-blood_thinner_which"
        shown[0] = window.spare.screen

    def spare_name() -> str:
        return window.spare.screen.objectName() if window.spare.screen is not None else ""

    # "Yes" to blood thinners opens a follow-up, "no" does not.
    choices = {"blood_thinner": ("yes",), "blood_thinner_which": ("warfarin",)}
    wait_for_spare(qtbot, window)  # on the welcome screen
    shown[0] = window.spare.screen
    seen = walk_to_consent(window, NAME, DOB, choices, on_screen=on_screen)
    assert len(ahead) == window.spare.used
    # Every screen was built ahead: the first while the welcome screen showed, the
    # follow-up, the review (after the last answer) and the consent included.
    assert ahead == seen
    assert "question-blood_thinner_which" in ahead
    assert window.spare.wasted >= 2  # the two guesses undone by a changed answer


class Stop(Exception):
    pass


def test_a_spare_holding_the_name_is_erased_with_the_patient(window: KioskWindow, qtbot) -> None:
    """On the last question the review is built ahead, with the name and answers in it;
    a walk-away reset must take it too."""

    def on_screen(screen: QWidget) -> None:
        wait_for_spare(qtbot, window)
        if isinstance(window.spare.screen, ReviewScreen):
            raise Stop

    with pytest.raises(Stop):
        walk_to_consent(window, NAME, DOB, {}, on_screen=on_screen)
    assert patient_labels(), "the review built ahead shows the name (else this test is void)"
    spare = window.spare.screen
    assert spare is not None
    assert not spare.isVisible()

    window.reset()
    settle()
    gc.collect()
    assert window.spare.screen is not spare
    assert patient_labels() == []
    # The welcome screen builds the next patient's first screen ahead: nothing of this one.
    wait_for_spare(qtbot, window)
    first = window.spare.screen
    assert first is not None
    assert first.step_view.number == 1
    assert first.step_view.identity is None
    assert patient_labels() == []


def finish(window: KioskWindow) -> None:
    walk_to_consent(window, NAME, DOB, {})
    consent = window.current_screen
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    tap_next(window)
    assert current(window).objectName() == "done"


def test_the_next_welcome_is_built_on_the_thank_you_screen(window: KioskWindow, qtbot) -> None:
    finish(window)
    assert window.welcomes.pending  # built while the patient reads "thank you"
    qtbot.waitUntil(lambda: not window.welcomes.pending, timeout=5000)
    ahead = window.welcomes.screen
    assert isinstance(ahead, WelcomeScreen)
    assert not ahead.isVisible()

    tap(find_child(current(window), "action"))  # "Finish now"

    assert current(window) is ahead  # "Start again" only switched the stack
    assert window.welcomes.screen is None
    assert window.stack.count() == 1 + (window.spare.screen is not None)
    assert patient_labels() == []
    # and it works: Start begins a new journey
    wait_for_spare(qtbot, window)
    tap(find_child(ahead, "start"))
    assert current(window).objectName().startswith("education-")


def test_no_welcome_is_built_ahead_when_the_reset_will_restyle(window: KioskWindow, qtbot) -> None:
    """A patient who chose larger text: the reset changes the styles, so the welcome is
    built after it, at the usual size."""
    window._choose(size="LARGE")
    finish(window)
    assert not window.welcomes.pending
    assert window.welcomes.screen is None

    window.reset()

    welcome = current(window)
    assert isinstance(welcome, WelcomeScreen)
    assert window.text_size.name == "NORMAL"
