"""Answers as codes, how to check them against their question, and how to say them in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kiosk.domain.bodymap import SCORE_MAX, SCORE_MIN, score_words
from kiosk.domain.characters import has_visible
from kiosk.domain.dates import format_date
from kiosk.domain.identity import strip_controls
from kiosk.domain.model import UNSURE, Content, Question, QuestionType


@dataclass(frozen=True)
class Answer:
    """One answer, typed by the kind of question it answers; one field set per kind.

    * choice (yes/no, single, multi): the option codes, ``codes=("warfarin", "aspirin")``;
    * free text: the patient's words in ``text``;
    * date: ``date``, a ``datetime.date``;
    * scale: ``score``, an ``int`` from 0 to 10;
    * body map: the marked region ids as ``codes`` (in content order) and each region's
      0-10 pain score in ``scores``: ``(("shoulder_left", 7), ("neck_back", 4))``;
    * "Not sure", for any kind: ``codes=("unsure",)`` and nothing else.

    Build them with the class methods (``of``, ``of_text``, ``of_date``, ``of_score``,
    ``of_regions``, ``unsure``); ``check_answer`` normalises them against the question.
    """

    codes: tuple[str, ...] = ()
    text: str = ""
    scores: tuple[tuple[str, int], ...] = ()
    date: dt.date | None = None
    score_value: int | None = None

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
        return cls(date=date)

    @classmethod
    def of_score(cls, score: int) -> Answer:
        """A scale answer, 0 to 10."""
        return cls(score_value=score)

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

    def matches(self, code: str) -> bool:
        """Whether a content code (a rule's or a follow-up's ``any_of``) names this answer.

        Content names a scale score by its number as text ("7"); choices by their codes.
        """
        if self.score_value is not None:
            return code == str(self.score_value)
        return code in self.codes


class AnswerError(ValueError):
    """An answer does not fit its question. The UI prevents these; the core still checks."""


def check_answer(question: Question, answer: Answer, today: dt.date) -> Answer:
    """Return ``answer`` normalised, or raise ``AnswerError`` if it does not fit ``question``."""
    kind = question.type
    if kind is QuestionType.BODY_MAP and answer == Answer():
        # Nothing marked: the patient could not say where, which is "Not sure".
        return Answer.unsure()
    if answer.is_unsure:
        if answer.scores:
            raise AnswerError('"Not sure" has no scores')
        if answer.text or answer.date is not None or answer.score_value is not None:
            raise AnswerError('"Not sure" cannot be combined with another answer')
        return Answer.unsure()
    if UNSURE in answer.codes:
        if set(answer.codes) == {UNSURE}:
            raise AnswerError("an answer code is repeated")
        raise AnswerError('"Not sure" cannot be combined with another answer')
    if answer.scores and kind is not QuestionType.BODY_MAP:
        raise AnswerError(f"a {kind.value} question takes no scores")
    if answer.date is not None and kind is not QuestionType.DATE:
        raise AnswerError(f"a {kind.value} question takes no date")
    if answer.score_value is not None and kind is not QuestionType.SCALE:
        raise AnswerError(f"a {kind.value} question takes no 0-10 score")
    if kind is QuestionType.BODY_MAP:
        return _check_body_map(question, answer)
    if kind is QuestionType.SCALE:
        score = answer.score_value
        if answer.text or answer.codes or score is None:
            raise AnswerError("a scale question takes one number from 0 to 10")
        if isinstance(score, bool) or not isinstance(score, int):
            raise AnswerError(f"{score!r} is not a whole number")
        if not SCORE_MIN <= score <= SCORE_MAX:
            raise AnswerError(f"{score} is not a number from 0 to 10")
        return Answer.of_score(score)
    if kind is QuestionType.DATE:
        if answer.codes or answer.text:
            raise AnswerError("a date question takes a date, not codes or text")
        if not isinstance(answer.date, dt.date) or isinstance(answer.date, dt.datetime):
            raise AnswerError("no date was given")
        if answer.date > today:
            raise AnswerError("the date is in the future")
        return Answer.of_date(answer.date)
    if kind is QuestionType.TEXT:
        if answer.codes:
            raise AnswerError("a text question takes text, not codes")
        text = clean_text(answer.text)
        if not text:
            raise AnswerError("the answer is empty")
        if len(text) > question.max_length:
            raise AnswerError(f"the answer is longer than {question.max_length} characters")
        return Answer.of_text(text)
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
        exclusive = [o for c in answer.codes if (o := question.option(c)) and o.exclusive]
        if exclusive:
            raise AnswerError(f'"{exclusive[0].label}" cannot be combined with another answer')
    # Keep multi answers in the order of the options, so records compare equal.
    order = {code: i for i, code in enumerate(o.code for o in question.options)}
    return Answer.of(*sorted(answer.codes, key=lambda c: order.get(c, 0)))


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
    """Patient text with control characters removed and white space folded; empty when
    nothing in it would show (only zero-width joiners, say), as ``clean_name``."""
    text = " ".join(strip_controls(text).split())
    return text if has_visible(text) else ""


def describe(question: Question, answer: Answer, content: Content) -> str:
    """The answer in the words the patient saw."""
    if answer.is_unsure:
        return content.text("answer.unsure")
    if question.type is QuestionType.TEXT:
        return answer.text
    if question.type is QuestionType.DATE:
        assert answer.date is not None, "checked answers of date questions have a date"
        return format_date(answer.date, content)
    if question.type is QuestionType.YES_NO:
        return content.text("answer.yes" if answer.codes == ("yes",) else "answer.no")
    if question.type is QuestionType.SCALE:
        assert answer.score_value is not None, "checked scale answers have a score"
        value = answer.score_value
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


__all__ = [
    "Answer",
    "AnswerError",
    "check_answer",
    "clean_text",
    "describe",
    "describe_region",
    "format_date",
    "toggle_multi",
]
