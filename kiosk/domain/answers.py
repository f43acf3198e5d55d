"""Answers as codes, how to check them against their question, and how to say them in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kiosk.domain.bodymap import SCORE_MAX, SCORE_MIN, score_words
from kiosk.domain.identity import strip_controls
from kiosk.domain.model import UNSURE, Content, Question, QuestionType, split_months

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Answer:
    """One answer, stored as codes: ``("yes",)``, ``("warfarin", "aspirin")``, ``("unsure",)``.

    Text questions keep the patient's words in ``text``; date questions keep an ISO date
    (``"2026-03-01"``) there. Scale questions have one code, ``"0"`` to ``"10"``.
    Body-map questions have the marked region ids as codes (in content order) and each
    region's 0-10 pain score in ``scores``: ``(("shoulder_left", 7), ("neck_back", 4))``.
    """

    codes: tuple[str, ...] = ()
    text: str = ""
    scores: tuple[tuple[str, int], ...] = ()

    @classmethod
    def unsure(cls) -> Answer:
        return cls(codes=(UNSURE,))

    @classmethod
    def of(cls, *codes: str) -> Answer:
        return cls(codes=tuple(codes))

    @classmethod
    def of_text(cls, text: str) -> Answer:
        return cls(text=text)

    @classmethod
    def of_date(cls, date: dt.date) -> Answer:
        return cls(text=date.isoformat())

    @classmethod
    def of_regions(cls, scores: Mapping[str, int] | Iterable[tuple[str, int]]) -> Answer:
        """A body-map answer from region ids and their scores (order is fixed by the check)."""
        pairs = tuple(scores.items()) if isinstance(scores, Mapping) else tuple(scores)
        return cls(codes=tuple(r for r, _ in pairs), scores=pairs)

    @property
    def is_unsure(self) -> bool:
        return self.codes == (UNSURE,)

    def score(self, region_id: str) -> int | None:
        """The pain score given to a marked region, or None."""
        return dict(self.scores).get(region_id)


class AnswerError(ValueError):
    """An answer does not fit its question. The UI prevents these; the core still checks."""


def check_answer(question: Question, answer: Answer, today: dt.date) -> Answer:
    """Return ``answer`` normalised, or raise ``AnswerError`` if it does not fit ``question``."""
    kind = question.type
    if kind is QuestionType.BODY_MAP and not answer.codes and not answer.scores and not answer.text:
        # Nothing marked: the patient could not say where, which is "Not sure".
        return Answer.unsure()
    if answer.is_unsure:
        if answer.scores:
            raise AnswerError('"Not sure" has no scores')
        return Answer.unsure()
    if UNSURE in answer.codes:
        raise AnswerError('"Not sure" cannot be combined with another answer')
    if answer.scores and kind is not QuestionType.BODY_MAP:
        raise AnswerError(f"a {kind.value} question takes no scores")
    if kind is QuestionType.BODY_MAP:
        return _check_body_map(question, answer)
    if kind is QuestionType.SCALE:
        if answer.text or len(answer.codes) != 1:
            raise AnswerError("a scale question takes one number from 0 to 10")
        if answer.codes[0] not in SCALE_CODES:
            raise AnswerError(f"{answer.codes[0]!r} is not a number from 0 to 10")
        return Answer.of(answer.codes[0])
    if kind in (QuestionType.TEXT, QuestionType.DATE):
        if answer.codes:
            raise AnswerError(f"a {kind.value} question takes text, not codes")
        if kind is QuestionType.TEXT:
            text = clean_text(answer.text)
            if not text:
                raise AnswerError("the answer is empty")
            if len(text) > question.max_length:
                raise AnswerError(f"the answer is longer than {question.max_length} characters")
            return Answer.of_text(text)
        try:
            date = dt.date.fromisoformat(answer.text)
        except ValueError as exc:
            raise AnswerError(f"{answer.text!r} is not a date") from exc
        if date > today:
            raise AnswerError("the date is in the future")
        return Answer.of_date(date)
    if answer.text:
        raise AnswerError(f"a {kind.value} question takes codes, not text")
    valid = {"yes", "no"} if kind is QuestionType.YES_NO else {o.code for o in question.options}
    if not answer.codes:
        raise AnswerError("no answer was chosen")
    unknown = [c for c in answer.codes if c not in valid]
    if unknown:
        raise AnswerError(f"unknown answer code(s): {', '.join(unknown)}")
    if len(set(answer.codes)) != len(answer.codes):
        raise AnswerError("an answer code is repeated")
    if kind is not QuestionType.MULTI and len(answer.codes) != 1:
        raise AnswerError("choose exactly one answer")
    if kind is QuestionType.MULTI and len(answer.codes) > 1:
        exclusive = [c for c in answer.codes if (opt := question.option(c)) and opt.exclusive]
        if exclusive:
            raise AnswerError(f'"{exclusive[0]}" cannot be combined with other answers')
    # Keep multi answers in the order of the options, so records compare equal.
    order = {code: i for i, code in enumerate(o.code for o in question.options)}
    return Answer.of(*sorted(answer.codes, key=lambda c: order.get(c, 0)))


#: The codes of a scale question: "0" to "10".
SCALE_CODES = tuple(str(n) for n in range(SCORE_MIN, SCORE_MAX + 1))


def _check_body_map(question: Question, answer: Answer) -> Answer:
    if answer.text:
        raise AnswerError("a body_map question takes region ids, not text")
    valid = [o.code for o in question.options]
    unknown = [c for c in answer.codes if c not in valid]
    if unknown:
        raise AnswerError(f"unknown region id(s): {', '.join(unknown)}")
    if len(set(answer.codes)) != len(answer.codes):
        raise AnswerError("a region is marked twice")
    scored = [r for r, _ in answer.scores]
    if len(set(scored)) != len(scored):
        raise AnswerError("a region has two scores")
    for region_id, score in answer.scores:
        if region_id not in answer.codes:
            raise AnswerError(f'region "{region_id}" has a score but is not marked')
        if isinstance(score, bool) or not isinstance(score, int):
            raise AnswerError(f'the score of "{region_id}" must be a whole number')
        if not SCORE_MIN <= score <= SCORE_MAX:
            raise AnswerError(f'the score of "{region_id}" must be from 0 to 10, not {score}')
    # Content order, so that equal answers compare and hash equal.
    order = {code: i for i, code in enumerate(valid)}
    codes = tuple(sorted(answer.codes, key=order.__getitem__))
    scores = dict(answer.scores)
    return Answer(codes=codes, scores=tuple((c, scores[c]) for c in codes if c in scores))


def toggle_multi(question: Question, current: tuple[str, ...], code: str) -> tuple[str, ...]:
    """The codes of a multi question after the patient taps ``code``.

    An exclusive option ("None of these") and "Not sure" each clear every other choice,
    and picking an ordinary option clears them.
    """
    if code in current:
        return tuple(c for c in current if c != code)
    option = question.option(code)
    if code == UNSURE or (option is not None and option.exclusive):
        return (code,)
    kept = tuple(
        c for c in current if c != UNSURE and not ((o := question.option(c)) and o.exclusive)
    )
    order = {o.code: i for i, o in enumerate(question.options)}
    return tuple(sorted((*kept, code), key=lambda c: order.get(c, 0)))


def clean_text(text: str) -> str:
    """Patient text with control characters removed and white space folded."""
    return " ".join(strip_controls(text).split())


def format_date(date: dt.date, content: Content | None = None) -> str:
    """A date as the patient reads it: "3 March 1956", "3 de marzo de 1956".

    Without ``content``, in English (the clinic's records and logs of dates).
    """
    if content is None:
        return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    month = split_months(content.text("date.months"))[date.month - 1]
    return content.text("date.format", day=date.day, month=month, year=date.year)


def describe(question: Question, answer: Answer, content: Content) -> str:
    """The answer in the words the patient saw."""
    if answer.is_unsure:
        return content.text("answer.unsure")
    if question.type is QuestionType.TEXT:
        return answer.text
    if question.type is QuestionType.DATE:
        return format_date(dt.date.fromisoformat(answer.text), content)
    if question.type is QuestionType.YES_NO:
        return content.text("answer.yes" if answer.codes == ("yes",) else "answer.no")
    if question.type is QuestionType.SCALE:
        value = int(answer.codes[0])
        word = dict(question.anchors).get(value)
        return f"{score_words(value)} ({word})" if word else score_words(value)
    if question.type is QuestionType.BODY_MAP:
        return ", ".join(describe_region(question, answer, r) for r in answer.codes)
    labels = [(opt.label if (opt := question.option(c)) else c) for c in answer.codes]
    return "; ".join(labels)


def describe_region(question: Question, answer: Answer, region_id: str) -> str:
    """One marked region in words: ``"Left shoulder 7/10"`` (the name alone if unscored)."""
    option = question.option(region_id)
    name = option.label if option else region_id
    score = answer.score(region_id)
    return name if score is None else f"{name} {score_words(score)}"
