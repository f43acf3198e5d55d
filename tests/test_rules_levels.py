"""Every flag the shipped content can raise, with the answer that raises it and its level.

One row per rule of rules.toml (some rules have more than one): the question whose answer
the flag shows, that answer, the other answers it needs, and the level expected. A change
of level, or of what fires a rule, is a change to this table, so it is seen and reviewed;
a rule added to rules.toml without a row here fails ``test_every_rule_has_a_row``. The
second table does the same for "Not sure": the level it raises on every question.

docs/clinical-review.md lists the same rules for clinicians, generated from rules.toml.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from kiosk.content.paths import bundled_content_dir
from kiosk.domain.answers import Answer
from kiosk.domain.flow import Flow
from kiosk.domain.model import Content, Level, QuestionType
from kiosk.domain.rules import evaluate

TODAY = dt.date(2026, 11, 27)
CONTRAINDICATION, PRECAUTION, NOTE = Level.CONTRAINDICATION, Level.PRECAUTION, Level.NOTE


@dataclass(frozen=True)
class Row:
    rule: str
    level: Level
    #: The question whose answer the flag shows (None for a flag on the age alone).
    question: str | None
    #: That answer: an option code, or a whole Answer (the body map).
    answer: str | Answer | None
    #: Other answers the rule needs, or that show the question (a follow-up's parent).
    given: Mapping[str, str | Answer] = field(default_factory=dict)
    age: int = 40

    @property
    def id(self) -> str:
        """How pytest names the row: rule, question=answer, level."""
        answer = self.answer
        if isinstance(answer, Answer):
            answer = "+".join(answer.codes)
        given = "".join(
            f",{q}={'+'.join(a.codes) if isinstance(a, Answer) else a}"
            for q, a in self.given.items()
        )
        return f"{self.rule}:{self.question}={answer}{given}:{self.level.word.lower()}"


def marked(**scores: int) -> Answer:
    return Answer.of_regions(scores)


def lymph(limb: str) -> dict[str, str | Answer]:
    return {"lymphoedema": "yes", "lymphoedema_where": limb}


# fmt: off
RULES: list[Row] = [
    # consent, fear, state
    Row("minor", PRECAUTION, None, None, age=17),
    Row("cannot_consent", CONTRAINDICATION, "help_understanding_how", "cannot_decide",
        {"help_understanding": "yes"}),
    Row("interpreter", PRECAUTION, "help_understanding_how", "interpreter",
        {"help_understanding": "yes"}),
    Row("understanding_help", NOTE, "help_understanding_how", "helper",
        {"help_understanding": "yes"}),
    Row("understanding_help", NOTE, "help_understanding_how", "other",
        {"help_understanding": "yes"}),
    Row("needle_unwilling", CONTRAINDICATION, "needle_fear", "do_not_want"),
    Row("needle_phobia", CONTRAINDICATION, "needle_fear", "very_afraid"),
    Row("needle_nervous", NOTE, "needle_fear", "nervous"),
    Row("fainting_history", PRECAUTION, "fainted_before", "yes"),
    Row("anxiety", PRECAUTION, "anxiety", "yes"),
    # today
    Row("acute_illness", CONTRAINDICATION, "unwell_today", "yes"),
    Row("alcohol", PRECAUTION, "alcohol_recent", "yes"),
    Row("not_eaten", PRECAUTION, "eaten_recent", "no"),
    Row("frailty", PRECAUTION, "frail", "yes"),
    # pregnancy
    Row("pregnancy", PRECAUTION, "pregnant", "yes"),
    Row("pregnancy_first_trimester", PRECAUTION, "pregnant_weeks", "weeks_0_12",
        {"pregnant": "yes"}),
    Row("trying_to_conceive", PRECAUTION, "trying_to_conceive", "yes", {"pregnant": "no"}),
    # bleeding and medicines
    Row("bleeding_disorder", PRECAUTION, "bleeding_disorder", "yes"),
    Row("anticoagulant", PRECAUTION, "blood_thinner", "yes"),
    Row("anticoagulant", PRECAUTION, "blood_thinner_which", "doac", {"blood_thinner": "yes"}),
    *[
        Row("anticoagulant", PRECAUTION, "blood_thinner_which", drug,
            {"blood_thinner": Answer.unsure()})
        for drug in ("warfarin", "doac", "heparin", "clopidogrel", "aspirin", "other")
    ],
    Row("warfarin", NOTE, "blood_thinner_which", "warfarin", {"blood_thinner": "yes"}),
    # health
    Row("lymphoedema", PRECAUTION, "lymphoedema", "yes"),
    Row("immunity", PRECAUTION, "immune_weak", "yes"),
    Row("cancer", PRECAUTION, "cancer", "yes"),
    Row("diabetes", PRECAUTION, "diabetes", "yes"),
    Row("diabetes_feet", PRECAUTION, "diabetes_feet", "yes", {"diabetes": "yes"}),
    Row("diabetes_not_eaten", PRECAUTION, "diabetes", "yes", {"eaten_recent": "no"}),
    Row("epilepsy", PRECAUTION, "epilepsy", "yes"),
    Row("epilepsy_recent_seizure", PRECAUTION, "epilepsy_recent", "yes", {"epilepsy": "yes"}),
    # heart, lungs, circulation
    Row("heart_valve", PRECAUTION, "heart_devices", "heart_valve"),
    Row("electrical_implant", PRECAUTION, "heart_devices", "pacemaker"),
    Row("electrical_implant", PRECAUTION, "heart_devices", "other_device"),
    Row("lung_disease", PRECAUTION, "lung_condition", "yes"),
    Row("vascular_disease", PRECAUTION, "circulation", "yes"),
    # skin, allergies, operations, body
    Row("skin_infection_at_site", CONTRAINDICATION, "skin_problem", "yes"),
    Row("altered_sensation", PRECAUTION, "numbness", "yes"),
    Row("metal_allergy", PRECAUTION, "allergies", "metal"),
    Row("latex_allergy", PRECAUTION, "allergies", "latex"),
    Row("surgery_or_implant", PRECAUTION, "surgery_or_implant", "yes"),
    Row("low_body_weight", PRECAUTION, "body_build", "very_thin"),
    Row("obesity", PRECAUTION, "body_build", "obesity"),
    Row("scoliosis", PRECAUTION, "body_build", "scoliosis"),
    # where it hurts (body map)
    Row("pneumothorax_lung_disease", PRECAUTION, "pain_where", marked(upper_back_left=5),
        {"lung_condition": "yes"}),
    Row("pneumothorax_low_weight", PRECAUTION, "pain_where", marked(chest_right=5),
        {"body_build": "very_thin"}),
    Row("lymph_left_arm", CONTRAINDICATION, "pain_where", marked(upper_arm_left=5),
        lymph("left_arm")),
    Row("lymph_right_arm", CONTRAINDICATION, "pain_where", marked(forearm_right=5),
        lymph("right_arm")),
    Row("lymph_left_leg", CONTRAINDICATION, "pain_where", marked(calf_left=5),
        lymph("left_leg")),
    Row("lymph_right_leg", CONTRAINDICATION, "pain_where", marked(hip_right=5),
        lymph("right_leg")),
    Row("lymph_side_unsure", CONTRAINDICATION, "pain_where", marked(knee_right=5),
        {"lymphoedema": "yes", "lymphoedema_where": Answer.unsure()}),
    Row("implant_at_marked_site", PRECAUTION, "pain_where", marked(knee_left=5),
        {"surgery_or_implant": "yes", "implant_site": "left_leg"}),
    Row("skin_problem_at_marked_site", CONTRAINDICATION, "pain_where", marked(lower_back_left=5),
        {"skin_problem": "yes", "skin_problem_where": "back"}),
]

#: The level a "Not sure" raises on each question: the question's unsure_level, or higher
#: where a rule names "unsure". Every question has an entry.
UNSURE: dict[str, Level] = {
    "pain_where": NOTE,
    "pain_now": NOTE,
    "pain_duration": NOTE,
    "pain_worse": NOTE,
    "help_understanding": PRECAUTION,
    "help_understanding_how": PRECAUTION,
    "needle_fear": PRECAUTION,
    "fainted_before": NOTE,
    "anxiety": NOTE,
    "unwell_today": PRECAUTION,
    "alcohol_recent": NOTE,
    "eaten_recent": NOTE,
    "frail": NOTE,
    "pregnant": PRECAUTION,
    "pregnant_weeks": NOTE,
    "trying_to_conceive": NOTE,
    "bleeding_disorder": PRECAUTION,
    "blood_thinner": PRECAUTION,
    "blood_thinner_which": NOTE,
    "lymphoedema": PRECAUTION,
    "lymphoedema_where": NOTE,
    "immune_weak": PRECAUTION,
    "cancer": NOTE,
    "diabetes": NOTE,
    "diabetes_feet": NOTE,
    "epilepsy": PRECAUTION,
    "epilepsy_recent": NOTE,
    "heart_devices": PRECAUTION,
    "lung_condition": NOTE,
    "circulation": NOTE,
    "skin_problem": PRECAUTION,
    "skin_problem_where": NOTE,
    "numbness": NOTE,
    "allergies": NOTE,
    "surgery_or_implant": NOTE,
    "surgery_what": NOTE,
    "surgery_when": NOTE,
    "implant_site": NOTE,
    "body_build": NOTE,
}
# fmt: on


def as_answer(value: str | Answer) -> Answer:
    return value if isinstance(value, Answer) else Answer.of(value)


def answers_for(content: Content, given: Mapping[str, str | Answer]) -> dict[str, Answer]:
    """The answers as the flow keeps them: checked, in question order, only those shown."""
    flow = Flow(content, TODAY)
    for question in content.questions:
        if question.id in given:
            flow.set_answer(question.id, as_answer(given[question.id]))
    assert flow.answers.keys() == given.keys(), "a row answers a question that is not shown"
    return dict(flow.answers)


def rule_ids_in_file() -> list[str]:
    """The rule ids as rules.toml spells them, read apart from the loader."""
    with (bundled_content_dir() / "rules.toml").open("rb") as file:
        return [rule["id"] for rule in tomllib.load(file)["rule"]]


def test_every_rule_has_a_row() -> None:
    missing = set(rule_ids_in_file()) - {row.rule for row in RULES}
    assert not missing, f"rules without a row in RULES (add the answers and level): {missing}"


def test_every_row_names_a_rule() -> None:
    unknown = {row.rule for row in RULES} - set(rule_ids_in_file())
    assert not unknown, f"rows for rules that rules.toml no longer has: {unknown}"


@pytest.mark.parametrize("row", RULES, ids=lambda row: row.id)
def test_the_answer_raises_the_rule_at_its_level(content: Content, row: Row) -> None:
    given = dict(row.given)
    if row.question is not None:
        assert row.answer is not None
        given[row.question] = row.answer
    answers = answers_for(content, given)
    raised = {f.rule_id: f for f in evaluate(content, answers, row.age)}
    assert row.rule in raised, f"{row.rule} not raised by {given} (raised: {sorted(raised)})"
    flag = raised[row.rule]
    assert flag.level is row.level, f"{row.rule} is a {flag.level.word}, expected {row.level.word}"
    assert flag.question_id == row.question


def test_every_question_has_its_not_sure_level(content: Content) -> None:
    assert list(UNSURE) == [q.id for q in content.questions]


def showing(content: Content, question_id: str) -> dict[str, Answer]:
    """Answers to the questions before ``question_id`` that make it shown."""
    question = content.question(question_id)
    if question.enable_when is None:
        return {}
    needed: dict[str, Answer] = {}
    for condition in question.enable_when.conditions:
        assert condition.question is not None
        needed |= showing(content, condition.question)
        parent = content.question(condition.question)
        if condition.answered:
            needed[parent.id] = (
                Answer.of_text("Knee") if parent.type is QuestionType.TEXT else Answer.of("yes")
            )
        else:
            needed[parent.id] = Answer.of(condition.any_of[0])
    return needed


@pytest.mark.parametrize("question_id", list(UNSURE))
def test_not_sure_raises_its_level(content: Content, question_id: str) -> None:
    given = {**showing(content, question_id), question_id: Answer.unsure()}
    flags = evaluate(content, answers_for(content, given), 40)
    levels = [f.level for f in flags if f.question_id == question_id]
    assert levels, f"Not sure on {question_id} raised nothing"
    assert max(levels) is UNSURE[question_id]
