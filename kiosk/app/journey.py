"""The patient's journey, without Qt: one controller owns the session and moves the flow.

Screens are views. Each is built from a ``StepView`` (what it shows: the step, where it
sits in the journey, the answer given so far) and, when the patient taps Next, hands
back a typed result (``AnswerGiven``, ``IdentityGiven``, ``CheckAnswered``,
``SignerGiven``, ``Signed``, ``ConsentWithheld`` or ``Continue``).
``JourneyController.submit`` checks the result against the step on show, keeps it in
the session and moves on, or says why it cannot (``Refused``); after the consent
(signed, or withheld) it returns the finished record (``Finished``). ``end`` drops the
session: nothing of the patient stays reachable from the controller.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from kiosk.domain.answers import Answer, AnswerError
from kiosk.domain.consent import ConsentDecision, Signer, SignerRefused, check_signer
from kiosk.domain.flow import Flow, ReviewItem, Step, StepKind
from kiosk.domain.identity import Identity
from kiosk.domain.model import Content, JourneyPart
from kiosk.domain.record import Record
from kiosk.domain.session import Clock, ConsentError, Session, local_now
from kiosk.domain.signature import SignatureRefused
from kiosk.domain.summary import Signature

log = logging.getLogger("kiosk.app")

# ---------------------------------------------------------------- what a screen hands back


@dataclass(frozen=True)
class Continue:
    """Nothing to keep: an education page or the review was read."""


@dataclass(frozen=True)
class CheckAnswered:
    """A comprehension statement: True, False, or None for "Not sure"."""

    statement_id: str
    given: bool | None


@dataclass(frozen=True)
class IdentityGiven:
    identity: Identity


@dataclass(frozen=True)
class AnswerGiven:
    question_id: str
    answer: Answer


@dataclass(frozen=True)
class SignerGiven:
    """Who signs the consent: the patient, or a parent, guardian or other person with
    authority (with their name and relationship, checked by ``check_signer``)."""

    signer: Signer


@dataclass(frozen=True)
class Signed:
    """Consent agreed and signed: the strokes (checked) and the PNG the record keeps."""

    signature: Signature
    png: bytes


@dataclass(frozen=True)
class ConsentWithheld:
    """The patient ends at the consent without signing: they want to talk to their
    physiotherapist first, or do not want dry needling. Every answer is saved all the
    same, marked with the decision."""

    decision: ConsentDecision


StepResult = (
    Continue | CheckAnswered | IdentityGiven | AnswerGiven | SignerGiven | Signed | ConsentWithheld
)
#: Why the controller would not keep a result; the screen says it in the patient's words.
Refusal = AnswerError | SignatureRefused | SignerRefused

# ---------------------------------------------------------------- what the controller says


@dataclass(frozen=True)
class Refused:
    """The result does not fit: the screen shows why, and the patient stays on it."""

    reason: Refusal


@dataclass(frozen=True)
class Finished:
    """Consent is signed or withheld: the record to save (``record.decision`` says
    which). The session lasts until ``end``."""

    record: Record


# ---------------------------------------------------------------- what a screen shows


@dataclass(frozen=True)
class StepView:
    """Everything a screen may know about the journey, read-only.

    A screen never sees the session, so it cannot change it: it shows this and hands
    back a result.
    """

    content: Content
    step: Step
    #: 1-based number of this step among the steps shown now, and how many there are.
    number: int
    total: int
    today: dt.date
    #: The question's answer so far (Back and Change keep answers), or None.
    answer: Answer | None = None
    #: The name and date of birth, on the identity and review screens only.
    identity: Identity | None = None
    #: For a comprehension statement: whether it was answered, and how.
    checked: bool = False
    given: bool | None = None
    #: For the review: every answer shown now, with how deep each follow-up sits.
    review: tuple[ReviewItem, ...] = ()
    #: On "Who is signing?" and the consent: who signs, once the patient has said.
    signer: Signer | None = None

    @property
    def part(self) -> JourneyPart:
        return self.step.part


def view_of(session: Session, step: Step | None = None, flow: Flow | None = None) -> StepView:
    """What the screen for ``step`` (by default the current one) shows, from ``session``
    (with ``flow`` instead of the session's own, for a guess at what comes next)."""
    flow = flow or session.flow
    step = step or flow.current
    steps = flow.steps()
    number = steps.index(step) + 1 if step in steps else flow.position()[0]
    return StepView(
        content=session.content,
        step=step,
        number=number,
        total=len(steps),
        today=session.today,
        answer=flow.answer_for(step.id) if step.kind is StepKind.QUESTION else None,
        # Only the screens that show the name and date of birth are given them.
        identity=session.identity if step.kind in _SHOWS_IDENTITY else None,
        checked=step.kind is StepKind.CHECK and step.id in session.checks,
        given=session.checks.get(step.id) if step.kind is StepKind.CHECK else None,
        review=tuple(flow.review_items()) if step.kind is StepKind.REVIEW else (),
        signer=session.signer if step.kind in _SHOWS_SIGNER and flow.asks_signer() else None,
    )


_SHOWS_IDENTITY = (StepKind.IDENTITY, StepKind.REVIEW)
_SHOWS_SIGNER = (StepKind.SIGNER, StepKind.CONSENT)


def preview(content: Content, step: Step, clinic_name: str = "") -> StepView:
    """A view of ``step`` in a fresh journey with no answers (for tools and tests)."""
    return view_of(Session(content, clinic_name), step)


# ---------------------------------------------------------------- the controller


class NoJourney(RuntimeError):
    """A journey call came while no patient has started (a programming error)."""


class JourneyController:
    """Owns one patient's ``Session`` from Start to the saved record (or a reset)."""

    def __init__(self, clinic_name: str, clock: Clock = local_now) -> None:
        self.clinic_name = clinic_name
        self._clock = clock
        self._session: Session | None = None

    # ------------------------------------------------------------ lifetime

    @property
    def session(self) -> Session | None:
        """The patient's session while a journey runs (for tests and crash recovery)."""
        return self._session

    @property
    def active(self) -> bool:
        return self._session is not None

    def start(self, content: Content) -> StepView:
        """A new patient, in ``content``'s language: the first step."""
        self._session = Session(content, self.clinic_name, self._clock)
        return self.view()

    def first_view(self, content: Content) -> StepView:
        """What ``start(content)`` will show, without starting (to build it ahead)."""
        return view_of(Session(content, self.clinic_name, self._clock))

    def end(self) -> None:
        """Drop the session: the patient's answers, identity and signature go with it."""
        self._session = None

    def _live(self) -> Session:
        if self._session is None:
            raise NoJourney("no patient's journey is running")
        return self._session

    # ------------------------------------------------------------ showing

    @property
    def step(self) -> Step:
        return self._live().flow.current

    @property
    def editing(self) -> bool:
        return self._live().flow.editing

    def view(self) -> StepView:
        """The current step as its screen shows it. An education page counts as read
        from the moment it is shown (as it always has)."""
        session = self._live()
        step = session.flow.current
        if step.kind is StepKind.EDUCATION:
            session.view_page(step.id)
        return view_of(session, step)

    def likely_next(self, answer: Answer | None = None) -> StepView | None:
        """What ``submit`` will most likely show next: the step after this one as the
        answers stand now, or, with ``answer``, as they would stand with it given to the
        current question (nothing is kept). None at the consent, while an answer is being
        changed from the review, for an answer the question refuses, or with no journey.

        For building that screen ahead of the tap: the caller compares it with what
        ``submit`` returns (a follow-up, a new count) and uses it only when they are
        equal. Unlike ``view``, it marks nothing as read."""
        session = self._session
        if session is None or session.flow.editing:
            return None
        flow = session.flow
        here = flow.current
        if answer is not None and here.kind is StepKind.QUESTION:
            try:
                flow = flow.with_answer(here.id, answer)
            except (AnswerError, ValueError):
                return None
        steps = flow.steps()
        if here not in steps or here.kind is StepKind.CONSENT:
            return None  # the consent finishes the journey
        following = steps.index(here) + 1
        return view_of(session, steps[following], flow) if following < len(steps) else None

    # ------------------------------------------------------------ moving

    def submit(self, result: StepResult) -> StepView | Refused | Finished:
        """Keep the current screen's result and move on; or say why not; or finish."""
        session = self._live()
        refused = self._commit(session, result)
        if refused is not None:
            return refused
        if session.flow.current.kind is StepKind.CONSENT:
            return Finished(session.record())
        session.flow.advance()
        return self.view()

    def back(self, kept: StepResult | None = None) -> StepView | None:
        """One step back (or back to the review while changing an answer); None when the
        patient goes back from the first step, which ends the journey.

        ``kept`` is what the screen holds that must not be lost by going back: a tapped
        comprehension statement (the first answer counts). It is kept if it fits.
        """
        session = self._live()
        if kept is not None:
            self._commit(session, kept)
        if session.flow.is_first and not session.flow.editing:
            self.end()
            return None
        session.flow.back()
        return self.view()

    def edit(self, step: Step) -> StepView:
        """From the review, go to ``step`` to change it."""
        self._live().flow.edit(step)
        return self.view()

    # ------------------------------------------------------------ keeping

    def _commit(self, session: Session, result: StepResult) -> Refused | None:
        step = session.flow.current
        expected = _EXPECTED[step.kind]
        if not isinstance(result, expected):
            raise TypeError(f"a {type(result).__name__} does not fit a {step.kind.value} step")
        if isinstance(result, AnswerGiven):
            if result.question_id != step.id:
                raise ValueError(f"an answer to {result.question_id!r} on {step.id!r}")
            try:
                session.flow.set_answer(step.id, result.answer)
            except AnswerError as exc:
                return Refused(exc)
        elif isinstance(result, CheckAnswered):
            if result.statement_id != step.id:
                raise ValueError(f"a check of {result.statement_id!r} on {step.id!r}")
            # The first answer counts: the explanation has been shown.
            session.checks.setdefault(step.id, result.given)
        elif isinstance(result, IdentityGiven):
            session.identity = result.identity
        elif isinstance(result, Signed):
            try:
                session.sign(result.signature, result.png)
            except SignatureRefused as exc:
                return Refused(exc)
        elif isinstance(result, SignerGiven):
            try:
                session.signer = check_signer(result.signer)
            except SignerRefused as exc:
                return Refused(exc)
        elif isinstance(result, ConsentWithheld):
            session.withhold(result.decision)
        return None

    def signed_record(self) -> Record | None:
        """The finished record if the patient has signed (or withheld consent), else
        None (for crash recovery: a finished summary is never dropped). Never raises: a
        finished session that cannot make its record is logged (by reason only, never
        its data) and then erased like an unfinished one."""
        session = self._session
        if session is None or not session.finished:
            return None
        try:
            return session.record()
        except Exception as exc:
            # ConsentError says what is missing ("not signed"); other errors could quote
            # an answer, so only their type is logged.
            reason = str(exc) if isinstance(exc, ConsentError) else type(exc).__name__
            log.error(
                "signed session %s could not make its record (%s); not saved",
                session.document_id,
                reason,
            )
            return None


_EXPECTED: dict[StepKind, type[object] | tuple[type[object], ...]] = {
    StepKind.EDUCATION: Continue,
    StepKind.CHECK: CheckAnswered,
    StepKind.IDENTITY: IdentityGiven,
    StepKind.QUESTION: AnswerGiven,
    StepKind.REVIEW: Continue,
    StepKind.SIGNER: SignerGiven,
    StepKind.CONSENT: (Signed, ConsentWithheld),
}
