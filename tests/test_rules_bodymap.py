"""Rules that use the place: the body map's marked regions together with other answers.

Each shipped rule is checked for the combination that raises it and for the near
misses that must not: the other side, the other limb, a place outside the area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest

from kiosk.domain.answers import Answer
from kiosk.domain.flow import Flow
from kiosk.domain.identity import Identity
from kiosk.domain.model import Content
from kiosk.domain.record import Record, build_summary
from kiosk.domain.rules import Flag, evaluate

TODAY = dt.date(2026, 11, 27)
REGION_RULES = {
    "pneumothorax_lung_disease",
    "pneumothorax_low_weight",
    "lymph_left_arm",
    "lymph_right_arm",
    "lymph_left_leg",
    "lymph_right_leg",
    "lymph_side_unsure",
    "implant_at_marked_site",
    "skin_problem_at_marked_site",
}


def answers_for(content: Content, given: Mapping[str, Answer]) -> dict[str, Answer]:
    """Answers as the flow keeps them: checked, and only for questions that are shown."""
    flow = Flow(content, TODAY)
    for question_id, answer in given.items():
        flow.set_answer(question_id, answer)
    return dict(flow.answers)


def flags(content: Content, **given: Answer) -> dict[str, Flag]:
    return {f.rule_id: f for f in evaluate(content, answers_for(content, given), 40)}


def marked(**scores: int) -> Answer:
    return Answer.of_regions(scores)


def lymph(*limbs: str) -> dict[str, Answer]:
    return {"lymphoedema": Answer.of("yes"), "lymphoedema_where": Answer.of(*limbs)}


# ---------------------------------------------------------------- lymphoedema, by side


def test_left_arm_marked_with_left_lymph_node_removal_is_a_contraindication(
    content: Content,
) -> None:
    raised = flags(content, pain_where=marked(upper_arm_left=6), **lymph("left_arm"))
    flag = raised["lymph_left_arm"]
    assert flag.level.name == "CONTRAINDICATION"
    assert "LEFT ARM" in flag.message
    assert flag.question_id == "pain_where"
    assert flag.regions == ("upper_arm_left",)
    assert "lymph_right_arm" not in raised


def test_right_arm_marked_with_left_lymph_node_removal_raises_no_limb_flag(
    content: Content,
) -> None:
    raised = flags(content, pain_where=marked(upper_arm_right=6), **lymph("left_arm"))
    assert REGION_RULES.isdisjoint(raised)
    assert "lymphoedema" in raised  # the general flag still stands


def test_right_arm_marked_with_right_lymph_node_removal_names_the_right_arm(
    content: Content,
) -> None:
    raised = flags(content, pain_where=marked(forearm_back_right=3), **lymph("right_arm"))
    assert raised["lymph_right_arm"].regions == ("forearm_back_right",)
    assert "RIGHT ARM" in raised["lymph_right_arm"].message
    assert "lymph_left_arm" not in raised


@pytest.mark.parametrize(
    "region",
    [
        "shoulder_left",
        "shoulder_back_left",
        "upper_arm_left",
        "upper_arm_back_left",
        "elbow_left",
        "elbow_back_left",
        "forearm_left",
        "forearm_back_left",
        "wrist_hand_left",
        "wrist_hand_back_left",
    ],
)
def test_every_part_of_the_left_arm_counts_front_and_back(content: Content, region: str) -> None:
    raised = flags(content, pain_where=marked(**{region: 5}), **lymph("left_arm"))
    assert raised["lymph_left_arm"].regions == (region,)


def test_only_the_marked_places_on_the_affected_side_are_shown(content: Content) -> None:
    raised = flags(
        content,
        pain_where=marked(neck_back=3, elbow_right=4, wrist_hand_left=2, shoulder_left=8),
        **lymph("left_arm"),
    )
    assert raised["lymph_left_arm"].regions == ("shoulder_left", "wrist_hand_left")


def test_a_leg_marked_on_the_side_of_lymphoedema_names_that_leg(content: Content) -> None:
    raised = flags(content, pain_where=marked(calf_left=5, knee_right=2), **lymph("left_leg"))
    assert raised["lymph_left_leg"].regions == ("calf_left",)
    assert "LEFT LEG" in raised["lymph_left_leg"].message
    assert "lymph_right_leg" not in raised
    # An arm on the same side is not the affected limb.
    arm_only = flags(content, pain_where=marked(forearm_left=5), **lymph("left_leg"))
    assert REGION_RULES.isdisjoint(arm_only)


def test_both_sides_affected_and_both_marked_raise_both(content: Content) -> None:
    raised = flags(
        content,
        pain_where=marked(upper_arm_left=4, upper_arm_right=5),
        **lymph("left_arm", "right_arm"),
    )
    assert {"lymph_left_arm", "lymph_right_arm"} <= raised.keys()


def test_lymphoedema_with_nothing_marked_on_a_limb_raises_no_limb_flag(content: Content) -> None:
    raised = flags(content, pain_where=marked(lower_back_left=6), **lymph("left_arm", "left_leg"))
    assert REGION_RULES.isdisjoint(raised)


# ---------------------------------------------------------------- pneumothorax


#: Every region where a needle can reach the lung: the chest, the upper back, and over
#: the lung's apex the base of the neck (front and back) and the top of each shoulder.
LUNG_AREA = [
    "chest_left",
    "chest_right",
    "upper_back_left",
    "upper_back_right",
    "neck_front",
    "neck_back",
    "upper_trapezius_left",
    "upper_trapezius_right",
]


def test_the_lung_area_is_these_regions(content: Content) -> None:
    assert sorted(r.id for r in content.regions if "lung_area" in r.groups) == sorted(LUNG_AREA)


@pytest.mark.parametrize("region", LUNG_AREA)
def test_pain_over_the_lung_with_lung_disease_is_a_precaution(
    content: Content, region: str
) -> None:
    raised = flags(content, pain_where=marked(**{region: 6}), lung_condition=Answer.of("yes"))
    flag = raised["pneumothorax_lung_disease"]
    assert flag.level.name == "PRECAUTION"
    assert flag.regions == (region,)
    assert "pneumothorax" in flag.message


@pytest.mark.parametrize("region", LUNG_AREA)
def test_pain_over_the_lung_in_a_very_thin_patient_is_a_precaution(
    content: Content, region: str
) -> None:
    raised = flags(content, pain_where=marked(**{region: 6}), body_build=Answer.of("very_thin"))
    flag = raised["pneumothorax_low_weight"]
    assert flag.level.name == "PRECAUTION"
    assert flag.regions == (region,)


@pytest.mark.parametrize(
    "region", ["lower_back_left", "abdomen", "head_back", "shoulder_left", "upper_arm_right"]
)
def test_other_places_with_lung_disease_raise_no_pneumothorax_flag(
    content: Content, region: str
) -> None:
    raised = flags(content, pain_where=marked(**{region: 6}), lung_condition=Answer.of("yes"))
    assert "pneumothorax_lung_disease" not in raised
    assert "lung_disease" in raised


def test_chest_without_lung_disease_raises_no_pneumothorax_flag(content: Content) -> None:
    raised = flags(content, pain_where=marked(chest_left=6), lung_condition=Answer.of("no"))
    assert REGION_RULES.isdisjoint(raised)


def test_upper_back_in_a_very_thin_patient_is_a_precaution(content: Content) -> None:
    raised = flags(
        content, pain_where=marked(upper_back_right=5), body_build=Answer.of("very_thin")
    )
    assert raised["pneumothorax_low_weight"].regions == ("upper_back_right",)
    not_thin = flags(
        content, pain_where=marked(upper_back_right=5), body_build=Answer.of("scoliosis")
    )
    assert "pneumothorax_low_weight" not in not_thin


# ---------------------------------------------------------------- implant and skin sites


def implant(*sites: str) -> dict[str, Answer]:
    return {
        "surgery_or_implant": Answer.of("yes"),
        "surgery_what": Answer.of_text("Knee replacement"),
        "surgery_when": Answer.of_date(dt.date(2025, 5, 1)),
        "implant_site": Answer.of(*sites),
    }


def test_a_marked_region_at_the_implant_site_is_a_precaution(content: Content) -> None:
    raised = flags(content, pain_where=marked(knee_left=4, knee_right=6), **implant("left_leg"))
    flag = raised["implant_at_marked_site"]
    assert flag.level.name == "PRECAUTION"
    assert flag.regions == ("knee_left",)


def test_an_implant_elsewhere_raises_no_site_flag(content: Content) -> None:
    raised = flags(content, pain_where=marked(knee_right=6), **implant("left_leg", "other"))
    assert "implant_at_marked_site" not in raised
    assert "surgery_or_implant" in raised


def test_a_breast_implant_under_a_marked_chest_is_flagged(content: Content) -> None:
    raised = flags(content, pain_where=marked(chest_right=3), **implant("chest"))
    assert raised["implant_at_marked_site"].regions == ("chest_right",)


def test_a_marked_region_at_a_skin_problem_is_a_contraindication(content: Content) -> None:
    given = {"skin_problem": Answer.of("yes"), "skin_problem_where": Answer.of("back")}
    raised = flags(content, pain_where=marked(lower_back_left=5, calf_left=3), **given)
    flag = raised["skin_problem_at_marked_site"]
    assert flag.level.name == "CONTRAINDICATION"
    assert flag.regions == ("lower_back_left",)
    elsewhere = flags(content, pain_where=marked(calf_left=3), **given)
    assert "skin_problem_at_marked_site" not in elsewhere


# ---------------------------------------------------------------- not sure, and the summary


def test_not_sure_where_it_hurts_raises_no_region_flag_but_a_note(content: Content) -> None:
    raised = flags(
        content,
        pain_where=Answer.unsure(),
        lung_condition=Answer.of("yes"),
        **lymph("left_arm"),
    )
    assert REGION_RULES.isdisjoint(raised)
    assert raised["unsure:pain_where"].level.name == "NOTE"


def test_the_summary_shows_the_places_that_raised_a_flag(content: Content) -> None:
    answers = answers_for(
        content,
        {
            "pain_where": marked(neck_back=3, upper_arm_left=7, knee_right=2),
            "pain_now": Answer.of_score(6),
            **lymph("left_arm"),
        },
    )
    flow = Flow(content, TODAY)
    for question in content.questions:
        if question.id in answers:
            flow.set_answer(question.id, answers[question.id])
        elif any(s.id == question.id for s in flow.steps()):
            flow.set_answer(question.id, Answer.unsure())
    record = Record(
        document_id="DN-TEST",
        content_version=content.version,
        language="en",
        identity=Identity("Test Patient", dt.date(1970, 1, 1)),
        answers=flow.answers,
        checks={},
        pages_viewed=(),
        authored=dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC),
        signed_at=None,
        signature_png=None,
    )
    summary = build_summary(content, record, "Clinic")
    row = next(f for f in summary.flags if f.rule_id == "lymph_left_arm")
    assert row.question == content.question("pain_where").text
    assert row.answer == "Left upper arm 7/10"
    assert [(m.region_id, m.score) for m in summary.body_map] == [
        ("neck_back", 3),
        ("upper_arm_left", 7),
        ("knee_right", 2),
    ]
    assert summary.body_map[1].name == "Left upper arm"
    assert summary.body_map[1].view == "front"
    assert summary.body_map[1].side == "left"
    where = next(a for a in summary.answers if a.question_id == "pain_where")
    assert where.answer == "Back of the neck 3/10, Left upper arm 7/10, Right knee 2/10"
