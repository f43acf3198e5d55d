"""The questionnaire flow: which step comes next, which questions are shown, and the answers.

The order of steps comes from the content's ``journey``. Follow-up questions are shown
only while their enable-when conditions hold; when a patient changes an answer so that a
follow-up is no longer shown, its answer is dropped at once (and so are answers that
depended on it), so nothing hidden can reach the clinician's summary.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain.answers import Answer, check_answer
from kiosk.domain.model import Content, JourneyPart, Match, Question
from kiosk.domain.rules import all_hold


class StepKind(enum.Enum):
    EDUCATION = "education"
    CHECK = "check"
    IDENTITY = "identity"
    QUESTION = "question"
    REVIEW = "review"
    #: Who signs the consent: asked before it when the content's ``ask_signer_when`` holds.
    SIGNER = "signer"
    CONSENT = "consent"


@dataclass(frozen=True)
class Step:
    kind: StepKind
    #: The page, statement or question id; empty for identity, review and consent.
    id: str = ""

    @property
    def part(self) -> JourneyPart:
        return _PART[self.kind]


_PART = {
    StepKind.EDUCATION: JourneyPart.EDUCATION,
    StepKind.CHECK: JourneyPart.COMPREHENSION,
    StepKind.IDENTITY: JourneyPart.IDENTITY,
    StepKind.QUESTION: JourneyPart.QUESTIONS,
    StepKind.REVIEW: JourneyPart.REVIEW,
    StepKind.SIGNER: JourneyPart.CONSENT,
    StepKind.CONSENT: JourneyPart.CONSENT,
}


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    answer: Answer
    depth: int


def is_enabled(question: Question, answers: Mapping[str, Answer]) -> bool:
    if question.enable_when is None:
        return True
    return all_hold(question.enable_when.conditions, question.enable_when.match, answers, None)


def visible_answers(content: Content, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """Only the answers of questions that are shown, given the answers before them.

    Enable-when conditions only look backwards (the loader checks that), so one pass in
    question order settles every chain.
    """
    kept: dict[str, Answer] = {}
    for question in content.questions:
        if question.id in answers and is_enabled(question, kept):
            kept[question.id] = answers[question.id]
    return kept


def depth(content: Content, question: Question) -> int:
    """How deep a follow-up sits: 0 for a main question, 1 for its follow-up, and so on."""
    if question.enable_when is None:
        return 0
    parents = [content.question(c.question) for c in question.enable_when.conditions if c.question]
    return 1 + max((depth(content, p) for p in parents), default=0)


class Flow:
    """Where the patient is in the journey, and their questionnaire answers.

    The flow starts at the first step. ``advance`` and ``back`` move along the steps that
    are shown now; ``edit`` jumps from the review to one question, after which
    ``advance`` asks any follow-up that the new answer opened and then returns to review.
    """

    def __init__(self, content: Content, today: dt.date) -> None:
        self.content = content
        self.today = today
        self._answers: dict[str, Answer] = {}
        #: The patient's age in whole years, once the identity is known (the session
        #: sets it): an age condition of ``ask_signer_when`` needs it.
        self.age: int | None = None
        self._current: Step = self.steps()[0]
        self._editing = False

    # ------------------------------------------------------------ state

    @property
    def current(self) -> Step:
        return self._current

    @property
    def editing(self) -> bool:
        """True while the patient changes an answer from the review screen."""
        return self._editing

    @property
    def answers(self) -> Mapping[str, Answer]:
        return dict(self._answers)

    def answer_for(self, question_id: str) -> Answer | None:
        return self._answers.get(question_id)

    def steps(self) -> list[Step]:
        """The steps shown now, in order; follow-ups appear once their condition holds."""
        content = self.content
        steps: list[Step] = []
        for part in content.journey:
            if part is JourneyPart.EDUCATION:
                steps += [Step(StepKind.EDUCATION, p.id) for p in content.education]
            elif part is JourneyPart.COMPREHENSION:
                steps += [Step(StepKind.CHECK, s.id) for s in content.statements]
            elif part is JourneyPart.IDENTITY:
                steps.append(Step(StepKind.IDENTITY))
            elif part is JourneyPart.QUESTIONS:
                steps += [
                    Step(StepKind.QUESTION, q.id)
                    for q in content.questions
                    if is_enabled(q, self._answers)
                ]
            elif part is JourneyPart.REVIEW:
                steps.append(Step(StepKind.REVIEW))
            elif part is JourneyPart.CONSENT:
                if self.asks_signer():
                    steps.append(Step(StepKind.SIGNER))
                steps.append(Step(StepKind.CONSENT))
        return steps

    def asks_signer(self) -> bool:
        """Whether "Who is signing?" is asked: the patient is a minor, or has someone
        helping them (any condition of the content's ``ask_signer_when``)."""
        conditions = self.content.consent.ask_signer_when
        return bool(conditions) and all_hold(conditions, Match.ANY, self._answers, self.age)

    def position(self) -> tuple[int, int]:
        """(1-based number of the current step, number of steps shown now)."""
        steps = self.steps()
        return steps.index(self._current) + 1, len(steps)

    @property
    def is_first(self) -> bool:
        return self.steps()[0] == self._current

    # ------------------------------------------------------------ answers

    def set_answer(self, question_id: str, answer: Answer) -> None:
        """Record an answer (checked against its question) and drop answers now hidden."""
        question = self.content.question(question_id)
        if not is_enabled(question, self._answers):
            raise ValueError(f"question {question_id!r} is not shown now")
        self._answers[question_id] = check_answer(question, answer, self.today)
        self._answers = visible_answers(self.content, self._answers)

    def with_answer(self, question_id: str, answer: Answer) -> Flow:
        """A copy of this flow with ``answer`` set (this one is unchanged): what the steps
        would be if the patient went on with it. Raises as ``set_answer`` does."""
        trial = copy.copy(self)
        trial._answers = dict(self._answers)
        trial.set_answer(question_id, answer)
        return trial

    def review_items(self) -> list[ReviewItem]:
        return [
            ReviewItem(q, self._answers[q.id], depth(self.content, q))
            for q in self.content.questions
            if q.id in self._answers
        ]

    def unanswered(self) -> list[Question]:
        """Questions shown now that have no answer yet."""
        return [
            self.content.question(s.id)
            for s in self.steps()
            if s.kind is StepKind.QUESTION and s.id not in self._answers
        ]

    # ------------------------------------------------------------ moving

    def advance(self) -> Step:
        steps = self.steps()
        here = steps.index(self._current)
        if self._editing:
            if self._current.kind is StepKind.QUESTION:
                # Ask what the changed answer opened, then go back to the review.
                for step in steps[here + 1 :]:
                    if step.kind is StepKind.QUESTION and step.id not in self._answers:
                        self._current = step
                        return step
            return self._return_to_review()
        if self._current.kind is StepKind.REVIEW and self.unanswered():
            # Cannot happen through the screens; guard the summary anyway.
            self._current = Step(StepKind.QUESTION, self.unanswered()[0].id)
            return self._current
        if here + 1 < len(steps):
            self._current = steps[here + 1]
        return self._current

    def back(self) -> Step:
        if self._editing:
            return self._return_to_review()
        steps = self.steps()
        here = steps.index(self._current)
        if here > 0:
            self._current = steps[here - 1]
        return self._current

    def edit(self, step: Step) -> Step:
        """From the review, go to one step to change it; ``advance`` brings the patient back."""
        if self._current.kind is not StepKind.REVIEW:
            raise ValueError("changes start from the review screen")
        if step not in self.steps() or step.kind not in (StepKind.QUESTION, StepKind.IDENTITY):
            raise ValueError(f"cannot change {step}")
        self._editing = True
        self._current = step
        return step

    def _return_to_review(self) -> Step:
        self._editing = False
        self._current = Step(StepKind.REVIEW)
        return self._current
