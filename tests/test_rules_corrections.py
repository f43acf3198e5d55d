"""The flag levels corrected in issue 14, each with the near answers that must not change.

tests/test_rules_levels.py holds the level of every rule; these tests say why a few of
them are what they are, with the answers a clinician would ask about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from kiosk.domain.answers import Answer
from kiosk.domain.flow import Flow
from kiosk.domain.model import Content, Level
from kiosk.domain.rules import Flag, evaluate

TODAY = dt.date(2026, 11, 27)


def flags(content: Content, **given: Answer) -> dict[str, Flag]:
    """The flags of these answers (given in question order), by rule id."""
    flow = Flow(content, TODAY)
    for question_id, answer in given.items():
        flow.set_answer(question_id, answer)
    return {f.rule_id: f for f in evaluate(content, flow.answers, 40)}


def highest(raised: Mapping[str, Flag]) -> Level | None:
    return max((f.level for f in raised.values()), default=None)


# ---------------------------------------------------------------- needle fear


def test_very_afraid_of_needles_is_a_contraindication_that_asks_for_a_new_consent(
    content: Content,
) -> None:
    flag = flags(content, needle_fear=Answer.of("very_afraid"))["needle_phobia"]
    assert flag.level is Level.CONTRAINDICATION
    assert flag.message.startswith(
        "Needle phobia: discuss; do not needle without a new, clear consent."
    )


def test_a_little_nervous_stays_a_note_with_the_fainting_advice(content: Content) -> None:
    raised = flags(content, needle_fear=Answer.of("nervous"))
    assert set(raised) == {"needle_nervous"}
    assert raised["needle_nervous"].level is Level.NOTE
    assert "fainting" in raised["needle_nervous"].message
    assert "lying down" in raised["needle_nervous"].message
