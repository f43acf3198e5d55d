"""The flag levels corrected in issue 14, each with the near answers that must not change.

tests/test_rules_levels.py holds the level of every rule; these tests say why a few of
them are what they are, with the answers a clinician would ask about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest

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


# ---------------------------------------------------------------- lymphoedema


def lymph(*limbs: str) -> dict[str, Answer]:
    where = Answer.of(*limbs) if limbs else Answer.unsure()
    return {"lymphoedema": Answer.of("yes"), "lymphoedema_where": where}


def test_lymphoedema_alone_is_a_precaution_that_points_to_the_affected_limb(
    content: Content,
) -> None:
    raised = flags(content, **lymph("left_arm"))
    assert raised["lymphoedema"].level is Level.PRECAUTION
    assert "Affected limb: see side rules" in raised["lymphoedema"].message
    assert highest(raised) is Level.PRECAUTION


def test_left_arm_lymphoedema_with_pain_on_the_right_knee_is_a_precaution_only(
    content: Content,
) -> None:
    raised = flags(content, pain_where=Answer.of_regions({"knee_right": 6}), **lymph("left_arm"))
    assert highest(raised) is Level.PRECAUTION
    assert raised["lymphoedema"].level is Level.PRECAUTION


def test_pain_on_the_affected_limb_is_still_a_contraindication(content: Content) -> None:
    raised = flags(content, pain_where=Answer.of_regions({"elbow_left": 6}), **lymph("left_arm"))
    assert raised["lymph_left_arm"].level is Level.CONTRAINDICATION
    assert raised["lymph_left_arm"].regions == ("elbow_left",)


def test_not_sure_of_the_side_keeps_a_marked_limb_a_contraindication(content: Content) -> None:
    raised = flags(
        content,
        pain_where=Answer.of_regions({"knee_right": 6, "lower_back_left": 3}),
        **lymph(),
    )
    assert raised["lymph_side_unsure"].level is Level.CONTRAINDICATION
    assert raised["lymph_side_unsure"].regions == ("knee_right",)
    # Nothing marked on a limb: nothing to keep the clinician from.
    away = flags(content, pain_where=Answer.of_regions({"lower_back_left": 3}), **lymph())
    assert "lymph_side_unsure" not in away
    assert highest(away) is Level.PRECAUTION


# ---------------------------------------------------------------- understanding and consent


def help_with(*codes: str) -> dict[str, Answer]:
    return {"help_understanding": Answer.of("yes"), "help_understanding_how": Answer.of(*codes)}


def test_a_carer_helping_to_read_is_a_note_to_check_understanding_in_person(
    content: Content,
) -> None:
    raised = flags(content, **help_with("helper"))
    assert set(raised) == {"understanding_help"}
    assert raised["understanding_help"].level is Level.NOTE
    assert "check understanding in person" in raised["understanding_help"].message


def test_only_cannot_decide_for_myself_raises_cannot_consent(content: Content) -> None:
    raised = flags(content, **help_with("helper", "cannot_decide"))
    assert raised["cannot_consent"].level is Level.CONTRAINDICATION
    assert raised["cannot_consent"].question_id == "help_understanding_how"
    for other in ("helper", "interpreter", "other"):
        assert "cannot_consent" not in flags(content, **help_with(other)), other
    assert "cannot_consent" not in flags(content, help_understanding=Answer.of("yes"))


def test_an_interpreter_is_needed_for_consent_but_is_not_inability(content: Content) -> None:
    raised = flags(content, **help_with("interpreter"))
    assert set(raised) == {"interpreter"}
    assert raised["interpreter"].level is Level.PRECAUTION


# ---------------------------------------------------------------- blood thinners


def test_a_drug_named_after_not_sure_raises_the_anticoagulant_precaution(
    content: Content,
) -> None:
    for drug in ("doac", "heparin", "clopidogrel", "aspirin"):
        raised = flags(content, blood_thinner=Answer.unsure(), blood_thinner_which=Answer.of(drug))
        flag = raised["anticoagulant"]
        assert flag.level is Level.PRECAUTION, drug
        # The flag shows the drug, not the "Not sure".
        assert flag.question_id == "blood_thinner_which", drug
        assert "warfarin" not in raised, drug


def test_warfarin_after_not_sure_raises_the_precaution_and_the_inr_note(content: Content) -> None:
    raised = flags(
        content, blood_thinner=Answer.unsure(), blood_thinner_which=Answer.of("warfarin")
    )
    assert raised["anticoagulant"].level is Level.PRECAUTION
    assert raised["warfarin"].level is Level.NOTE


def test_none_of_these_after_not_sure_raises_no_anticoagulant_flag(content: Content) -> None:
    raised = flags(content, blood_thinner=Answer.unsure(), blood_thinner_which=Answer.of("none"))
    assert "anticoagulant" not in raised
    assert raised["unsure:blood_thinner"].level is Level.PRECAUTION


# ---------------------------------------------------------------- "Not sure"


@pytest.mark.parametrize("question_id", ["unwell_today", "immune_weak", "epilepsy", "needle_fear"])
def test_not_sure_on_a_safety_question_is_a_precaution(content: Content, question_id: str) -> None:
    raised = flags(content, **{question_id: Answer.unsure()})
    assert raised[f"unsure:{question_id}"].level is Level.PRECAUTION


# ---------------------------------------------------------------- body build


def test_a_lot_of_body_fat_over_the_area_is_a_deep_needling_precaution(content: Content) -> None:
    raised = flags(content, body_build=Answer.of("obesity"))
    assert set(raised) == {"obesity"}
    assert raised["obesity"].level is Level.PRECAUTION
    assert "depth" in raised["obesity"].message
    option = next(o for o in content.question("body_build").options if o.code == "obesity")
    assert "body fat" in option.label  # plain words for the patient, not "obesity"
