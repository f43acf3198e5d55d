"""Answers as codes, how to check them against their question, and how to say them in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.core.identity import strip_controls
from kiosk.core.model import UNSURE, Content, Question, QuestionType

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Answer:
    """One answer, stored as codes: ``("yes",)``, ``("warfarin", "aspirin")``, ``("unsure",)``.

    Text questions keep the patient's words in ``text``; date questions keep an ISO date
    (``"2026-03-01"``) there.
    """

    codes: tuple[str, ...] = ()
    text: str = ""

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

    @property
    def is_unsure(self) -> bool:
        return self.codes == (UNSURE,)


class AnswerError(ValueError):
    """An answer does not fit its question. The UI prevents these; the core still checks."""


def check_answer(question: Question, answer: Answer, today: dt.date) -> Answer:
    """Return ``answer`` normalised, or raise ``AnswerError`` if it does not fit ``question``."""
    if answer.is_unsure:
        return Answer.unsure()
    if UNSURE in answer.codes:
        raise AnswerError('"Not sure" cannot be combined with another answer')
    kind = question.type
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


def format_date(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def describe(question: Question, answer: Answer, content: Content) -> str:
    """The answer in the words the patient saw."""
    if answer.is_unsure:
        return content.text("answer.unsure")
    if question.type is QuestionType.TEXT:
        return answer.text
    if question.type is QuestionType.DATE:
        return format_date(dt.date.fromisoformat(answer.text))
    if question.type is QuestionType.YES_NO:
        return content.text("answer.yes" if answer.codes == ("yes",) else "answer.no")
    labels = [(opt.label if (opt := question.option(c)) else c) for c in answer.codes]
    return "; ".join(labels)
