"""The journey controller and the save decisions, without Qt (``kiosk.app``).

Screens hand the controller typed results; it checks them against the step on show,
keeps them in the session, moves the flow and finishes. These tests drive it as the
window does, with no widget at all.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import subprocess
import sys
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.app.delivery import Delivery
from kiosk.app.journey import (
    AnswerGiven,
    CheckAnswered,
    Continue,
    Finished,
    IdentityGiven,
    JourneyController,
    Refused,
    Signed,
    StepResult,
    StepView,
)
from kiosk.app.printing import PrintResult
from kiosk.app.storage import Saved
from kiosk.domain.answers import Answer, AnswerError
from kiosk.domain.flow import Step, StepKind
from kiosk.domain.identity import Identity
from kiosk.domain.model import Content, QuestionType
from kiosk.domain.record import Record
from kiosk.domain.signature import SignatureProblem, SignatureRefused
from kiosk.domain.summary import Signature

NAME = "Robin Example"
DOB = dt.date(1961, 4, 9)
SIG = Signature(600, 200, (((50.0, 100.0), (300.0, 120.0), (500.0, 90.0)),))
PNG = b"\x89PNG\r\n\x1a\n a signature"
SIGNED = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
PRINTED = PrintResult(True, "", None)


def test_the_application_layer_never_imports_qt() -> None:
    code = (
        "import sys, kiosk.app.journey, kiosk.app.delivery; "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def result_for(view: StepView) -> StepResult:
    """What a patient who says "Not sure" to every question hands back at ``view``."""
    step = view.step
    if step.kind is StepKind.CHECK:
        return CheckAnswered(step.id, True)
    if step.kind is StepKind.IDENTITY:
        return IdentityGiven(Identity(NAME, DOB))
    if step.kind is StepKind.QUESTION:
        return AnswerGiven(step.id, Answer.unsure())
    if step.kind is StepKind.CONSENT:
        return Signed(SIG, PNG)
    return Continue()


def walk_to(controller: JourneyController, kind: StepKind) -> StepView:
    view = controller.view()
    while view.step.kind is not kind:
        moved = controller.submit(result_for(view))
        assert isinstance(moved, StepView), moved
        view = moved
    return view


@pytest.fixture
def journey(content: Content) -> JourneyController:
    controller = JourneyController("Test Clinic", clock=lambda: SIGNED)
    controller.start(content)
    return controller


def test_a_whole_journey_ends_in_the_signed_record(journey: JourneyController) -> None:
    view = walk_to(journey, StepKind.CONSENT)
    assert view.number == view.total
    finished = journey.submit(Signed(SIG, PNG))
    assert isinstance(finished, Finished)
    record = finished.record
    assert record.identity == Identity(NAME, DOB)
    assert record.signature_png == PNG
    assert record.signed_at == SIGNED
    assert all(a == Answer.unsure() for a in record.answers.values())
    assert set(record.checks) == {s.id for s in journey.view().content.statements}
    # Every education page counts as read: each was shown.
    assert list(record.pages_viewed) == [p.id for p in journey.view().content.education]
    # The session lasts until the window has saved the record.
    assert journey.active


def test_views_show_where_the_patient_is_and_what_they_answered(
    journey: JourneyController,
) -> None:
    first = journey.view()
    assert (first.number, first.step) == (1, journey.step)
    question = walk_to(journey, StepKind.QUESTION)
    assert question.answer is None
    assert question.identity is None  # a question screen is not given the name
    after = journey.submit(AnswerGiven(question.step.id, Answer.unsure()))
    assert isinstance(after, StepView)
    assert after.number == question.number + 1
    back = journey.back()
    assert back is not None
    assert back.step == question.step
    assert back.answer == Answer.unsure()  # Back keeps answers


def test_a_result_that_does_not_fit_the_step_is_refused_loudly(
    journey: JourneyController,
) -> None:
    view = walk_to(journey, StepKind.QUESTION)
    with pytest.raises(TypeError):
        journey.submit(Continue())
    with pytest.raises(ValueError, match="an answer to"):
        journey.submit(AnswerGiven("not_this_one", Answer.unsure()))
    assert journey.step == view.step
    assert journey.session is not None
    assert journey.session.flow.answer_for(view.step.id) is None


def test_an_answer_that_does_not_fit_its_question_is_refused_with_the_reason(
    journey: JourneyController, content: Content
) -> None:
    view = walk_to(journey, StepKind.QUESTION)
    question = content.question(view.step.id)
    bad = Answer(codes=("unsure", "yes"))  # "Not sure" with another answer never fits
    refused = journey.submit(AnswerGiven(question.id, bad))
    assert isinstance(refused, Refused)
    assert isinstance(refused.reason, AnswerError)
    assert journey.step == view.step  # the patient stays on the question
    assert journey.session is not None
    assert journey.session.flow.answer_for(question.id) is None


def test_a_scribble_is_refused_as_a_signature(journey: JourneyController) -> None:
    walk_to(journey, StepKind.CONSENT)
    refused = journey.submit(Signed(Signature(600, 200, ()), PNG))
    assert isinstance(refused, Refused)
    assert isinstance(refused.reason, SignatureRefused)
    assert refused.reason.problem is SignatureProblem.EMPTY
    assert journey.session is not None
    assert journey.session.signature_png is None
    assert journey.step.kind is StepKind.CONSENT


def test_the_first_answer_to_a_check_counts_even_after_going_back(
    journey: JourneyController,
) -> None:
    view = walk_to(journey, StepKind.CHECK)
    statement = view.step.id
    # Tapped "False", read the explanation, went Back: the answer is kept...
    back = journey.back(CheckAnswered(statement, False))
    assert back is not None
    ahead = journey.submit(result_for(back))
    assert isinstance(ahead, StepView)
    assert ahead.step == view.step
    assert (ahead.checked, ahead.given) == (True, False)
    # ...and a second answer does not replace it.
    journey.submit(CheckAnswered(statement, True))
    assert journey.session is not None
    assert journey.session.checks[statement] is False


def test_changing_an_answer_from_the_review_comes_back_to_the_review(
    journey: JourneyController, content: Content
) -> None:
    walk_to(journey, StepKind.REVIEW)
    question = next(q for q in content.questions if q.type is QuestionType.YES_NO)
    if question.enable_when is not None:
        pytest.skip("the first yes/no question is a follow-up")
    view = journey.edit(Step(StepKind.QUESTION, question.id))
    assert journey.editing
    assert view.answer == Answer.unsure()
    after = journey.submit(AnswerGiven(question.id, Answer.of("no")))
    assert isinstance(after, StepView)
    assert after.step.kind is StepKind.REVIEW
    assert after.identity == Identity(NAME, DOB)  # the review shows the name
    assert any(i.answer == Answer.of("no") for i in after.review if i.question.id == question.id)


def test_back_from_the_first_step_ends_the_journey(journey: JourneyController) -> None:
    assert journey.back() is None
    assert not journey.active
    assert journey.session is None


def test_nothing_of_the_patient_is_reachable_after_end(journey: JourneyController) -> None:
    walk_to(journey, StepKind.CONSENT)
    assert journey.session is not None
    gone = weakref.ref(journey.session)
    identity = weakref.ref(journey.session.identity) if journey.session.identity else None
    journey.end()
    gc.collect()
    assert gone() is None
    assert identity is not None
    assert identity() is None
    assert NAME not in repr(vars(journey))
    assert journey.signed_record() is None
    with pytest.raises(RuntimeError):
        journey.view()


def test_a_signed_session_that_cannot_make_its_record_is_logged_not_swallowed(
    journey: JourneyController, caplog: pytest.LogCaptureFixture
) -> None:
    walk_to(journey, StepKind.CONSENT)
    session = journey.session
    assert session is not None
    session.sign(SIG, PNG)
    session.identity = None  # whatever broke, the record cannot be made
    with caplog.at_level(logging.ERROR, logger="kiosk.app"):
        assert journey.signed_record() is None
    assert [r.levelno for r in caplog.records] == [logging.ERROR]
    message = caplog.records[0].getMessage()
    assert session.document_id in message
    assert "no name and date of birth" in message
    assert NAME not in message


# ---------------------------------------------------------------- saving decisions


class FakeArchive:
    """An archive whose output folder works, or not, as the test says."""

    def __init__(self) -> None:
        self.problem = ""
        self.broken = False
        self.spool: list[str] = []
        self.saved: list[str] = []

    def __call__(self, content: Content, record: Record) -> Saved:
        if self.broken:
            raise OSError(28, "No space left on device", "/srv/summaries")
        self.saved.append(record.document_id)
        return Saved(Path(f"/srv/{record.document_id}.pdf"), Path(f"/srv/{record.document_id}"))

    def warm_up(self) -> None:
        pass

    def is_spooled(self, saved: Saved) -> bool:
        return False

    def spooled(self) -> list[Path]:
        return [Path(name) for name in self.spool]

    def move_spooled(self) -> int:
        moved, self.spool = len(self.spool), []
        return moved

    def print_patient_copy(
        self, content: Content, record: Record, send: Callable[[Path, str], PrintResult]
    ) -> PrintResult:
        raise RuntimeError(f"broken while printing {record.identity.name}")


@pytest.fixture
def record(journey: JourneyController) -> Record:
    walk_to(journey, StepKind.CONSENT)
    finished = journey.submit(Signed(SIG, PNG))
    assert isinstance(finished, Finished)
    return finished.record


def test_a_record_that_cannot_be_saved_is_kept_and_retried(
    content: Content, record: Record, caplog: pytest.LogCaptureFixture
) -> None:
    archive = FakeArchive()
    archive.broken = True
    delivery = Delivery(archive, content)
    with caplog.at_level(logging.ERROR, logger="kiosk.app"):
        outcome = delivery.save(record)
    assert not outcome.safe
    assert delivery.unsaved == [record]
    assert "1 only in memory" in delivery.backlog()
    assert "No space left on device" in delivery.backlog()
    assert NAME not in caplog.text
    assert delivery.retry() == []  # still broken: kept
    assert delivery.unsaved == [record]
    archive.broken = False
    (done,) = delivery.retry()
    assert done.safe
    assert done.document_id == record.document_id
    assert delivery.unsaved == []
    assert delivery.settled
    assert delivery.backlog() == ""
    assert delivery.was_saved(record.document_id)


def test_the_patients_copy_never_raises_nor_logs_the_patient(
    content: Content, record: Record, caplog: pytest.LogCaptureFixture
) -> None:
    delivery = Delivery(FakeArchive(), content)
    with caplog.at_level(logging.INFO, logger="kiosk.app"):
        document_id, result = delivery.print_copy(record, lambda _pdf, _title: PRINTED)
    assert document_id == record.document_id
    assert not result.ok
    assert "RuntimeError" in result.message
    assert NAME not in result.message
    assert NAME not in caplog.text
