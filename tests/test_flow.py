"""The pure flow: steps, enable-when chains, dropping hidden answers, flags, ages."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.answers import (
    Answer,
    AnswerError,
    check_answer,
    clean_text,
    describe,
    toggle_multi,
)
from kiosk.domain.characters import has_visible
from kiosk.domain.flow import Flow, Step, StepKind, depth, visible_answers
from kiosk.domain.identity import DateInvalid, DateProblem, Identity, age_on, clean_name, parse_date
from kiosk.domain.model import (
    UNSURE,
    Condition,
    Consent,
    Content,
    EnableWhen,
    JourneyPart,
    Level,
    Match,
    Option,
    Question,
    QuestionType,
    Rule,
    Section,
)
from kiosk.domain.record import build_summary, record_hash
from kiosk.domain.rules import UNSURE_MESSAGE, evaluate
from kiosk.domain.session import ConsentError, Session, new_document_id
from kiosk.domain.signature import SignatureProblem, SignatureRefused, check_signature
from kiosk.domain.summary import Signature

TODAY = dt.date(2026, 11, 27)


def q(
    qid: str,
    kind: QuestionType = QuestionType.YES_NO,
    when: tuple[Condition, ...] = (),
    **kw: object,
) -> Question:
    return Question(
        id=qid,
        section="s",
        text=f"{qid}?",
        type=kind,
        enable_when=EnableWhen(when) if when else None,
        **kw,  # type: ignore[arg-type]
    )


MEDS = (
    Option("warfarin", "Warfarin"),
    Option("aspirin", "Aspirin"),
    Option("none", "None of these", exclusive=True),
)

QUESTIONS = (
    q("thinner"),
    q("which", QuestionType.MULTI, (Condition("thinner", ("yes", UNSURE)),), options=MEDS),
    q("dose", QuestionType.TEXT, (Condition("which", ("warfarin",)),), max_length=20),
    q("pregnant"),
    q(
        "weeks",
        QuestionType.SINGLE,
        (Condition("pregnant", ("yes",)),),
        options=(Option("early", "0-12"), Option("late", "13+")),
    ),
    q("surgery_date", QuestionType.DATE),
)

RULES = (
    Rule("anticoag", Level.PRECAUTION, (Condition("thinner", ("yes",)),), "bleeding"),
    Rule("warfarin", Level.NOTE, (Condition("which", ("warfarin",)),), "check INR"),
    Rule(
        "early",
        Level.CONTRAINDICATION,
        (Condition("pregnant", ("yes",)), Condition("weeks", ("early",))),
        "first trimester",
    ),
    Rule(
        "either",
        Level.NOTE,
        (Condition("pregnant", ("yes",)), Condition("thinner", ("yes",))),
        "either",
        Match.ANY,
    ),
    Rule("minor", Level.PRECAUTION, (Condition(age_below=18),), "guardian"),
    Rule("dose_given", Level.NOTE, (Condition("dose", answered=True),), "dose noted"),
)


def make_content(
    questions: tuple[Question, ...] = QUESTIONS, rules: tuple[Rule, ...] = RULES
) -> Content:
    strings = {
        "answer.yes": "Yes",
        "answer.no": "No",
        "answer.unsure": "Not sure",
        "answer.true": "True",
        "answer.false": "False",
        "review.dob": "Date of birth",
        "date.months": "January, February, March, April, May, June, July, August, "
        "September, October, November, December",
        "date.format": "{day} {month} {year}",
    }
    return Content(
        version="t1",
        language="en",
        journey=(
            JourneyPart.IDENTITY,
            JourneyPart.QUESTIONS,
            JourneyPart.REVIEW,
            JourneyPart.CONSENT,
        ),
        education=(),
        statements=(),
        sections=(Section("s", "Section"),),
        questions=questions,
        rules=rules,
        consent=Consent("c1", "Consent", ("Text.",), "I agree", "Sign"),
        strings=strings,
    )


@pytest.fixture
def flow() -> Flow:
    return Flow(make_content(), TODAY)


def ids(flow: Flow) -> list[str]:
    return [s.id for s in flow.steps() if s.kind is StepKind.QUESTION]


# ---------------------------------------------------------------- enable-when


def test_follow_ups_appear_only_when_their_condition_holds(flow: Flow) -> None:
    assert ids(flow) == ["thinner", "pregnant", "surgery_date"]
    flow.set_answer("thinner", Answer.of("yes"))
    assert ids(flow) == ["thinner", "which", "pregnant", "surgery_date"]
    flow.set_answer("which", Answer.of("warfarin"))
    assert ids(flow) == ["thinner", "which", "dose", "pregnant", "surgery_date"]


def test_unsure_can_open_a_follow_up(flow: Flow) -> None:
    flow.set_answer("thinner", Answer.unsure())
    assert "which" in ids(flow)


def test_changing_an_answer_drops_the_whole_hidden_chain(flow: Flow) -> None:
    flow.set_answer("thinner", Answer.of("yes"))
    flow.set_answer("which", Answer.of("warfarin"))
    flow.set_answer("dose", Answer.of_text("5 mg"))
    flow.set_answer("thinner", Answer.of("no"))
    assert set(flow.answers) == {"thinner"}
    assert ids(flow) == ["thinner", "pregnant", "surgery_date"]
    # Answering yes again does not bring the dropped answers back.
    flow.set_answer("thinner", Answer.of("yes"))
    assert flow.answer_for("which") is None


def test_a_hidden_question_cannot_be_answered(flow: Flow) -> None:
    with pytest.raises(ValueError, match="not shown"):
        flow.set_answer("which", Answer.of("warfarin"))


def test_depth_of_follow_ups(flow: Flow) -> None:
    c = flow.content
    assert [depth(c, c.question(x)) for x in ("thinner", "which", "dose")] == [0, 1, 2]


@given(st.lists(st.sampled_from(["yes", "no", UNSURE]), min_size=2, max_size=2))
def test_visible_answers_never_keep_a_hidden_answer(codes: list[str]) -> None:
    content = make_content()
    answers = {
        "thinner": Answer.of(codes[0]),
        "which": Answer.of("warfarin"),
        "dose": Answer.of_text("x"),
        "pregnant": Answer.of(codes[1]),
        "weeks": Answer.of("early"),
    }
    kept = visible_answers(content, answers)
    assert ("which" in kept) == (codes[0] in ("yes", UNSURE))
    assert ("dose" in kept) == ("which" in kept)
    assert ("weeks" in kept) == (codes[1] == "yes")


# ---------------------------------------------------------------- navigation


def test_steps_follow_the_journey_in_the_content(flow: Flow) -> None:
    kinds = [s.kind for s in flow.steps()]
    assert kinds[0] is StepKind.IDENTITY
    assert kinds[-2:] == [StepKind.REVIEW, StepKind.CONSENT]
    assert flow.current == Step(StepKind.IDENTITY)
    assert flow.position() == (1, 6)


def test_advance_and_back(flow: Flow) -> None:
    flow.advance()
    assert flow.current == Step(StepKind.QUESTION, "thinner")
    flow.set_answer("thinner", Answer.of("yes"))
    assert flow.advance() == Step(StepKind.QUESTION, "which")
    assert flow.back() == Step(StepKind.QUESTION, "thinner")
    assert flow.back() == Step(StepKind.IDENTITY)
    assert flow.back() == Step(StepKind.IDENTITY)  # the first step stays put


def walk_to_review(flow: Flow) -> None:
    flow.advance()
    for qid, answer in (
        ("thinner", Answer.of("no")),
        ("pregnant", Answer.of("no")),
        ("surgery_date", Answer.unsure()),
    ):
        assert flow.current.id == qid
        flow.set_answer(qid, answer)
        flow.advance()
    assert flow.current.kind is StepKind.REVIEW


def test_change_from_review_returns_to_review(flow: Flow) -> None:
    walk_to_review(flow)
    flow.edit(Step(StepKind.QUESTION, "surgery_date"))
    assert flow.editing
    flow.set_answer("surgery_date", Answer.of_date(dt.date(2024, 1, 2)))
    assert flow.advance() == Step(StepKind.REVIEW)
    assert not flow.editing


def test_change_that_opens_follow_ups_asks_them_then_returns(flow: Flow) -> None:
    walk_to_review(flow)
    flow.edit(Step(StepKind.QUESTION, "thinner"))
    flow.set_answer("thinner", Answer.of("yes"))
    assert flow.advance() == Step(StepKind.QUESTION, "which")
    flow.set_answer("which", Answer.of("warfarin"))
    assert flow.advance() == Step(StepKind.QUESTION, "dose")
    flow.set_answer("dose", Answer.of_text("5 mg"))
    assert flow.advance() == Step(StepKind.REVIEW)


def test_back_while_changing_returns_to_review(flow: Flow) -> None:
    walk_to_review(flow)
    flow.edit(Step(StepKind.IDENTITY))
    assert flow.back() == Step(StepKind.REVIEW)


def test_edit_only_from_review(flow: Flow) -> None:
    with pytest.raises(ValueError, match="review"):
        flow.edit(Step(StepKind.QUESTION, "thinner"))


# ---------------------------------------------------------------- answers


def test_exclusive_option_clears_others_and_is_cleared_by_them() -> None:
    which = QUESTIONS[1]
    assert toggle_multi(which, ("warfarin", "aspirin"), "none") == ("none",)
    assert toggle_multi(which, ("none",), "aspirin") == ("aspirin",)
    assert toggle_multi(which, ("aspirin",), "warfarin") == ("warfarin", "aspirin")
    assert toggle_multi(which, ("aspirin", "warfarin"), UNSURE) == (UNSURE,)
    assert toggle_multi(which, (UNSURE,), "aspirin") == ("aspirin",)
    assert toggle_multi(which, ("aspirin",), "aspirin") == ()


@pytest.mark.parametrize(
    ("question", "answer", "reason"),
    [
        (QUESTIONS[1], Answer.of("warfarin", "none"), '"None of these" cannot be combined'),
        (QUESTIONS[1], Answer.of("warfarin", UNSURE), '"Not sure" cannot be combined'),
        (QUESTIONS[1], Answer.of("none", UNSURE), '"Not sure" cannot be combined'),
        (QUESTIONS[0], Answer.of("yes", UNSURE), '"Not sure" cannot be combined'),
        (QUESTIONS[1], Answer.of(UNSURE, UNSURE), "repeated"),
        (QUESTIONS[1], Answer.of("heparin"), "unknown"),
        (QUESTIONS[0], Answer.of("yes", "no"), "exactly one"),
        (QUESTIONS[0], Answer(), "no answer"),
        (QUESTIONS[2], Answer.of_text("x" * 21), "longer than 20"),
        (QUESTIONS[2], Answer.of_text(" \u202e "), "empty"),
        (QUESTIONS[5], Answer.of_date(dt.date(2027, 1, 1)), "future"),
        # A date travels as a date, never as text that might parse.
        (QUESTIONS[5], Answer.of_text("2023-02-28"), "takes a date, not codes or text"),
        (QUESTIONS[5], Answer(), "no date"),
        (QUESTIONS[0], Answer.of_date(dt.date(2020, 1, 1)), "takes no date"),
    ],
)
def test_answers_that_do_not_fit_are_refused(
    question: Question, answer: Answer, reason: str
) -> None:
    with pytest.raises(AnswerError, match=reason):
        check_answer(question, answer, TODAY)


def test_multi_answers_are_kept_in_option_order() -> None:
    assert check_answer(QUESTIONS[1], Answer.of("aspirin", "warfarin"), TODAY).codes == (
        "warfarin",
        "aspirin",
    )


def test_describe_uses_the_words_the_patient_saw() -> None:
    c = make_content()
    assert describe(c.question("which"), Answer.of("warfarin", "aspirin"), c) == "Warfarin; Aspirin"
    assert describe(c.question("thinner"), Answer.unsure(), c) == "Not sure"
    assert (
        describe(c.question("surgery_date"), Answer.of_date(dt.date(2024, 3, 1)), c)
        == "1 March 2024"
    )


# ---------------------------------------------------------------- flags


def flags_of(answers: dict[str, Answer], age: int | None = 40) -> dict[str, Level]:
    content = make_content()
    return {f.rule_id: f.level for f in evaluate(content, visible_answers(content, answers), age)}


def test_any_of_rule() -> None:
    assert flags_of({"thinner": Answer.of("yes")})["anticoag"] is Level.PRECAUTION
    assert "anticoag" not in flags_of({"thinner": Answer.of("no")})


def test_all_conditions_rule() -> None:
    both = flags_of({"pregnant": Answer.of("yes"), "weeks": Answer.of("early")})
    assert both["early"] is Level.CONTRAINDICATION
    assert "early" not in flags_of({"pregnant": Answer.of("yes"), "weeks": Answer.of("late")})


def test_any_match_rule() -> None:
    assert "either" in flags_of({"pregnant": Answer.of("yes")})
    assert "either" in flags_of({"thinner": Answer.of("yes")})
    assert "either" not in flags_of({"thinner": Answer.of("no"), "pregnant": Answer.of("no")})


def test_answered_rule_on_text() -> None:
    answers = {
        "thinner": Answer.of("yes"),
        "which": Answer.of("warfarin"),
        "dose": Answer.of_text("5 mg"),
    }
    assert "dose_given" in flags_of(answers)
    answers["dose"] = Answer.unsure()
    assert "dose_given" not in flags_of(answers)


def test_age_rule_edges() -> None:
    assert "minor" in flags_of({}, age=17)
    assert "minor" not in flags_of({}, age=18)
    assert "minor" not in flags_of({}, age=None)


def test_rules_on_hidden_answers_never_fire() -> None:
    # "which" is hidden once thinner is "no", so the warfarin note must not appear.
    flags = flags_of({"thinner": Answer.of("no"), "which": Answer.of("warfarin")})
    assert "warfarin" not in flags


def test_not_sure_always_raises_at_least_a_note() -> None:
    content = make_content()
    flags = evaluate(content, {"surgery_date": Answer.unsure()}, 40)
    assert [(f.rule_id, f.level, f.message) for f in flags] == [
        ("unsure:surgery_date", Level.NOTE, UNSURE_MESSAGE)
    ]


def test_unsure_level_from_the_question() -> None:
    questions = (q("thinner", unsure_level=Level.PRECAUTION),)
    content = make_content(questions, ())
    (flag,) = evaluate(content, {"thinner": Answer.unsure()}, 40)
    assert flag.level is Level.PRECAUTION


def test_a_rule_on_unsure_replaces_the_automatic_note() -> None:
    rule = Rule("thinner_unsure", Level.PRECAUTION, (Condition("thinner", (UNSURE,)),), "ask")
    content = make_content(QUESTIONS, (rule,))
    flags = evaluate(content, {"thinner": Answer.unsure()}, 40)
    assert [f.rule_id for f in flags] == ["thinner_unsure"]


def test_flags_sort_most_serious_first() -> None:
    answers = {
        "thinner": Answer.of("yes"),
        "which": Answer.of("warfarin"),
        "pregnant": Answer.of("yes"),
        "weeks": Answer.of("early"),
    }
    levels = list(flags_of(answers, age=16).values())
    assert levels == sorted(levels, reverse=True)
    assert levels[0] is Level.CONTRAINDICATION


# ---------------------------------------------------------------- identity and age


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (dt.date(2008, 11, 27), dt.date(2026, 11, 27), 18),  # birthday today
        (dt.date(2008, 11, 28), dt.date(2026, 11, 27), 17),  # birthday tomorrow
        (
            dt.date(2008, 2, 29),
            dt.date(2026, 2, 28),
            17,
        ),  # leapling, common year, day before 1 March
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
        (dt.date(2008, 2, 29), dt.date(2028, 2, 29), 20),  # a real 29 February
        (dt.date(2026, 11, 27), dt.date(2026, 11, 27), 0),
    ],
)
def test_age_edges(birth: dt.date, today: dt.date, age: int) -> None:
    assert age_on(birth, today) == age


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (("", "3", "1990"), DateProblem.INCOMPLETE),
        (("x", "3", "1990"), DateProblem.INCOMPLETE),
        (
            ("\u0661", "3", "1990"),
            DateProblem.INCOMPLETE,
        ),  # Arabic-Indic digit 1: isdigit() but not ASCII
        (("31", "4", "1990"), DateProblem.NOT_A_DATE),
        (("29", "2", "2023"), DateProblem.NOT_A_DATE),
        (("1", "13", "1990"), DateProblem.NOT_A_DATE),
        (("1", "1", "1850"), DateProblem.NOT_A_DATE),
        (("28", "11", "2026"), DateProblem.FUTURE),
    ],
)
def test_bad_dates_say_what_is_wrong(fields: tuple[str, str, str], problem: DateProblem) -> None:
    with pytest.raises(DateInvalid) as caught:
        parse_date(*fields, today=TODAY)
    assert caught.value.problem is problem


def test_good_dates() -> None:
    assert parse_date("29", "2", "2024", today=TODAY) == dt.date(2024, 2, 29)
    assert parse_date(" 27", "11", "2026", today=TODAY) == TODAY


def test_names_are_cleaned_of_controls_and_bidi_tricks() -> None:
    assert clean_name("  Ana\u202e  María\x00 ") == "Ana María"
    assert clean_name("\u200b") == ""
    assert clean_name("Zo\u00eb \u200d") == "Zo\u00eb \u200d"  # joiners stay in a name


@pytest.mark.parametrize(
    "raw",
    [
        "\u200d",  # zero-width joiner
        "\u200c\u200d \u200d",  # joiners between spaces
        "\ufe0f\U000e0100",  # variation selectors
        "\u3164\u115f",  # Hangul fillers, letters that draw nothing
        "\u2800",  # the blank Braille pattern
        "\u0301\u0308",  # accents over nothing
        " \u200d\u034f\u00a0",
    ],
)
def test_a_name_or_answer_with_nothing_to_read_is_empty(raw: str) -> None:
    """The identity screen refuses an empty name with "identity.error.name"; a name of
    invisible characters would print as a blank, so it is refused the same way. A text
    answer of them is "empty" too."""
    assert clean_name(raw) == ""
    assert clean_text(raw) == ""
    with pytest.raises(AnswerError, match="empty"):
        check_answer(QUESTIONS[2], Answer.of_text(raw), TODAY)
    assert clean_name("Ζωή Παπαδοπούλου") == "Ζωή Παπαδοπούλου"
    assert len(clean_name("x" * 500)) == 100


@given(st.text())
def test_clean_name_never_returns_controls(raw: str) -> None:
    import unicodedata

    name = clean_name(raw)
    assert all(unicodedata.category(ch) not in ("Cc", "Cs") for ch in name)
    assert name == name.strip()
    assert not name or has_visible(name), "a name is refused or has something to read"


# ---------------------------------------------------------------- signature and session


SIG = Signature(600, 200, (((50.0, 100.0), (300.0, 120.0), (500.0, 90.0)),))


def test_signature_checks() -> None:
    check_signature(SIG)
    for bad, problem in (
        (Signature(600, 200, ()), SignatureProblem.EMPTY),
        (Signature(600, 200, (((10.0, 10.0),),)), SignatureProblem.TOO_SMALL),
        (
            Signature(600, 200, (((10.0, 10.0), (60.0, 10.0)),)),
            SignatureProblem.TOO_SMALL,
        ),  # 8% wide
        # Wide but almost no ink: two dots far apart.
        (Signature(600, 200, (((10.0, 10.0),), ((500.0, 10.0),))), SignatureProblem.TOO_SMALL),
    ):
        with pytest.raises(SignatureRefused) as caught:
            check_signature(bad)
        assert caught.value.problem is problem


PNG = b"\x89PNG\r\n\x1a\n fake but marked"


def test_session_record_needs_consent_and_makes_the_summary() -> None:
    content = make_content()
    signed = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    session = Session(content, "Clinic", lambda: signed)
    with pytest.raises(ConsentError):
        session.record()
    session.identity = Identity("Kim <b>&", dt.date(2010, 1, 1))
    session.flow.set_answer("thinner", Answer.of("yes"))
    session.flow.set_answer("which", Answer.of("none"))
    session.flow.set_answer("pregnant", Answer.of("no"))
    session.flow.set_answer("surgery_date", Answer.unsure())
    session.sign(SIG, PNG)
    record = session.record()
    summary = build_summary(content, record, "Clinic")
    assert summary.age == 16
    assert summary.is_minor
    assert [f.rule_id for f in summary.flags][:2] == ["minor", "anticoag"]
    minor = summary.flags[0]
    assert minor.question == "Date of birth"
    assert "age 16" in minor.answer
    assert [(a.question_id, a.depth) for a in summary.answers] == [
        ("thinner", 0),
        ("which", 1),
        ("pregnant", 0),
        ("surgery_date", 0),
    ]
    assert summary.signature_png == PNG
    assert summary.signed_at == signed
    assert len(summary.record_hash) == 64


def test_record_hash_changes_with_any_answer_or_the_signature() -> None:
    content = make_content()
    session = Session(content, "Clinic")
    session.identity = Identity("Kim", dt.date(1990, 1, 1))
    for qid in ("thinner", "pregnant", "surgery_date"):
        session.flow.set_answer(qid, Answer.of("no") if qid != "surgery_date" else Answer.unsure())
    session.sign(SIG, PNG)
    record = session.record()
    base = record_hash(record)
    assert record_hash(record) == base  # stable
    changed = replace(record, answers={**record.answers, "pregnant": Answer.of("yes")})
    assert record_hash(changed) != base
    assert record_hash(replace(record, signature_png=PNG + b"x")) != base
    assert record_hash(replace(record, identity=Identity("Kim", dt.date(1990, 1, 2)))) != base


def test_session_refuses_a_record_with_unanswered_questions() -> None:
    session = Session(make_content(), "Clinic")
    session.identity = Identity("Kim", dt.date(1990, 1, 1))
    session.sign(SIG, PNG)
    with pytest.raises(ConsentError, match="unanswered"):
        session.record()


def test_a_rule_on_a_not_sure_answer_says_discuss() -> None:
    rule = Rule(
        "thinner_any", Level.PRECAUTION, (Condition("thinner", ("yes", UNSURE)),), "bleeding"
    )
    content = make_content(QUESTIONS, (rule,))
    (flag,) = evaluate(content, {"thinner": Answer.unsure()}, 40)
    assert flag.message == f"bleeding {UNSURE_MESSAGE}"
    (flag,) = evaluate(content, {"thinner": Answer.of("yes")}, 40)
    assert flag.message == "bleeding"


def test_document_ids_are_random_and_plain() -> None:
    made = {new_document_id() for _ in range(1000)}
    assert len(made) == 1000
    assert all(d.startswith("DN-") and len(d) == 11 and d[3:].isalnum() for d in made)


@given(st.text())
def test_cleaning_a_name_twice_changes_nothing(raw: str) -> None:
    once = clean_name(raw)
    assert clean_name(once) == once
