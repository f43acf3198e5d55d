"""The next screen, built while the patient reads (kiosk.ui.spare): shown when the guess
came true, thrown away when an answer changed what comes next, and never left holding a
patient's name or answers after the journey ends."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk.app.journey import view_of
from kiosk.tools.journey import settle, tap, walk_to_consent
from kiosk.ui.screens import ReviewScreen
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
