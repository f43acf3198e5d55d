"""Flags for the clinician: a pure function of the content's rules and the patient's answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.core.answers import Answer
from kiosk.core.model import Condition, Content, Level, Match

UNSURE_MESSAGE = "Patient answered \u201cNot sure\u201d: discuss with patient."


@dataclass(frozen=True)
class Flag:
    level: Level
    rule_id: str
    #: The question whose answer raised the flag; None for a flag on the age alone.
    question_id: str | None
    message: str


def holds(condition: Condition, answers: Mapping[str, Answer], age: int | None) -> bool:
    if condition.age_below is not None:
        return age is not None and age < condition.age_below
    assert condition.question is not None
    answer = answers.get(condition.question)
    if answer is None:
        return False
    if condition.answered:
        return not answer.is_unsure
    return any(code in answer.codes for code in condition.any_of)


def all_hold(
    conditions: tuple[Condition, ...], match: Match, answers: Mapping[str, Answer], age: int | None
) -> bool:
    results = (holds(c, answers, age) for c in conditions)
    return all(results) if match is Match.ALL else any(results)


def evaluate(content: Content, answers: Mapping[str, Answer], age: int | None) -> tuple[Flag, ...]:
    """Every flag that the answers raise, most serious first, then in question order.

    ``answers`` must hold only the answers of questions that are shown (the flow drops
    the others). Every "Not sure" raises at least a note, at the question's
    ``unsure_level``, unless a rule already flags that question as seriously.
    """
    flags: list[Flag] = []
    for rule in content.rules:
        if not all_hold(rule.conditions, rule.match, answers, age):
            continue
        trigger = next(
            (c.question for c in rule.conditions if c.question and holds(c, answers, age)), None
        )
        message = rule.message
        if trigger is not None and answers[trigger].is_unsure:
            # Every "Not sure" reaches the clinician as something to talk through.
            message = f"{message} {UNSURE_MESSAGE}"
        flags.append(Flag(rule.level, rule.id, trigger, message))
    for question in content.questions:
        answer = answers.get(question.id)
        if answer is None or not answer.is_unsure:
            continue
        covered = any(
            f.question_id == question.id and f.level >= question.unsure_level for f in flags
        )
        if not covered:
            flags.append(
                Flag(question.unsure_level, f"unsure:{question.id}", question.id, UNSURE_MESSAGE)
            )
    order = {q.id: i for i, q in enumerate(content.questions)}
    # Age flags (no question) sort before question flags of the same level.
    return tuple(sorted(flags, key=lambda f: (-f.level, order.get(f.question_id or "", -1))))
