"""The next screen, built while the patient reads (kiosk.ui.spare): shown when the guess
came true, thrown away when an answer changed what comes next, and never left holding a
patient's name or answers after the journey ends."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk.app.journey import view_of
from kiosk.tools.journey import settle, walk_to_consent
from kiosk.ui.screens import ReviewScreen
from kiosk.ui.window import KioskWindow

NAME = "Wilhelmina Sparescreen"
DOB = ("3", "7", "1951")


def wait_for_spare(qtbot, window: KioskWindow) -> None:
    """As a patient reads: long enough for the spare to be built."""
    qtbot.waitUntil(lambda: not window.spare.pending, timeout=5000)


def patient_labels() -> list[str]:
    return [
        w.text() for w in QApplication.allWidgets() if isinstance(w, QLabel) and NAME in w.text()
    ]


def test_every_screen_shows_the_step_the_journey_is_on_built_ahead_or_not(
    window: KioskWindow, qtbot
) -> None:
    shown: list[QWidget | None] = [None]
    used = 0

    def on_screen(screen: QWidget) -> None:
        nonlocal used
        session = window.journey.session
        assert session is not None
        # The screen shows exactly the step the journey is on, as it stands now.
        assert screen.step_view == view_of(session), screen.objectName()  # type: ignore[attr-defined]
        if screen is shown[0]:
            used += 1
        wait_for_spare(qtbot, window)
        shown[0] = window.spare.screen

    # "Yes" to blood thinners opens a follow-up the spare (built before the answer)
    # could not know about: that guess is thrown away and the follow-up is built.
    choices = {"blood_thinner": ("yes",), "blood_thinner_which": ("warfarin",)}
    seen = walk_to_consent(window, NAME, DOB, choices, on_screen=on_screen)
    assert "question-blood_thinner_which" in seen
    assert used == window.spare.used
    assert used >= len(seen) // 2, f"only {used} of {len(seen)} screens were built ahead"
    assert window.spare.wasted >= 1


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
    assert window.spare.screen is None
    assert not window.spare.pending
    assert patient_labels() == []
