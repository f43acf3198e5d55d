"""Screens are views: a tap changes what the screen shows, never the patient's session.

Only Next hands the screen's result to the journey controller, which keeps it. A refused
result (an answer that does not fit) comes back to the screen as a message, on every
kind of question screen, the 0-10 scale included.
"""

from __future__ import annotations

from typing import TypeVar

import pytest
from PySide6.QtWidgets import QWidget

from kiosk.app.config import Config
from kiosk.domain.answers import Answer
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, tap_next, walk_to_consent
from kiosk.ui.app import create_window
from kiosk.ui.screens import CheckScreen, QuestionScreen, ScaleScreen
from kiosk.ui.window import KioskWindow


class _Stop(Exception):
    """Stops the walk on the screen a test looks at, after it was answered by taps."""


@pytest.fixture
def window(qtbot, config: Config, content: Content) -> KioskWindow:
    win = create_window(config, content, (), PdfSummaryWriter(config.output_dir, "Test Clinic"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


S = TypeVar("S", bound=QWidget)


def walk_until(window: KioskWindow, kind: type[S]) -> S:
    """Walk like a patient up to the first screen of ``kind``, answered but not confirmed."""

    def stop(screen: QWidget) -> None:
        if isinstance(screen, kind):
            raise _Stop

    with pytest.raises(_Stop):
        walk_to_consent(window, "Robin Park", ("9", "4", "1961"), {}, stop)
    screen = current(window)
    assert isinstance(screen, kind)
    return screen


def test_tapping_a_check_changes_nothing_until_next(window: KioskWindow) -> None:
    screen = walk_until(window, CheckScreen)
    session = window.session
    assert session is not None
    assert screen.feedback.isVisible()  # the tap shows the explanation at once...
    assert screen.statement.id not in session.checks  # ...but nothing is kept yet
    tap_next(window)
    assert session.checks[screen.statement.id] is None  # the walk taps "Not sure" first


def test_choosing_an_answer_changes_nothing_until_next(window: KioskWindow) -> None:
    screen = walk_until(window, QuestionScreen)
    session = window.session
    assert session is not None
    chosen = screen.answer()
    assert chosen is not None
    assert session.flow.answer_for(screen.question.id) is None
    tap_next(window)
    assert session.flow.answer_for(screen.question.id) == chosen


def test_a_refused_scale_answer_is_explained_not_raised(
    window: KioskWindow, content: Content
) -> None:
    screen = walk_until(window, ScaleScreen)
    question_id = screen.question.id
    session = window.session
    assert session is not None
    screen.codes = ("11",)  # no button gives this: the controller refuses it
    tap_next(window)  # AnswerError used to escape from here
    assert current(window) is screen
    assert screen.error.isVisible()
    assert screen.error.text() == content.text("scale.need_score")
    assert session.flow.answer_for(question_id) is None
    screen.codes = ()
    screen.scale.buttons[4].click()
    assert not screen.error.isVisible()  # a new choice clears the message
    tap_next(window)
    assert session.flow.answer_for(question_id) == Answer.of_score(4)
