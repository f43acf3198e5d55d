"""Flags for the clinician: a pure function of the content's rules and the patient's answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain.answers import Answer
from kiosk.domain.model import Condition, Content, Level, Match

UNSURE_MESSAGE = "Patient answered \u201cNot sure\u201d: discuss with patient."


@dataclass(frozen=True)
class Flag:
    level: Level
    rule_id: str
    #: The question whose answer raised the flag; None for a flag on the age alone.
    question_id: str | None
    message: str
    #: For rules on the body map: the marked regions that made them hold, in content
    #: order (the trigger shows these, not every marked place).
    regions: tuple[str, ...] = ()


def matched_regions(condition: Condition, answers: Mapping[str, Answer]) -> tuple[str, ...]:
    """The marked regions (of the condition's body-map question) that the condition matches."""
    assert condition.question is not None
    marked = answers.get(condition.question)
    if marked is None or marked.is_unsure:
        return ()
    if condition.regions_in is not None:
        named = answers.get(condition.regions_in)
        chosen = set(named.codes) if named is not None else set()
        sets = [ids for name, ids in condition.region_sets if name in chosen]
    else:
        sets = [ids for _, ids in condition.region_sets]
    wanted = {region for ids in sets for region in ids}
    return tuple(r for r in marked.codes if r in wanted)


def holds(condition: Condition, answers: Mapping[str, Answer], age: int | None) -> bool:
    if condition.age_below is not None:
        return age is not None and age < condition.age_below
    assert condition.question is not None
    if condition.is_regional:
        return bool(matched_regions(condition, answers))
    answer = answers.get(condition.question)
    if answer is None:
        return False
    if condition.answered:
        return not answer.is_unsure
    return any(answer.matches(code) for code in condition.any_of)


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
        regions = tuple(
            dict.fromkeys(
                region
                for c in rule.conditions
                if c.is_regional and c.question == trigger
                for region in matched_regions(c, answers)
            )
        )
        flags.append(Flag(rule.level, rule.id, trigger, message, regions))
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
