"""The bundled content is valid and complete; every kind of broken content is named clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content import loader_schema
from kiosk.content.loader import REQUIRED_STRINGS, ContentInvalid, load_content
from kiosk.content.paths import asset, assets_dir
from kiosk.domain.model import Content, JourneyPart, Level, QuestionType

# ---------------------------------------------------------------- the bundled content


def test_bundled_content_covers_what_the_kiosk_needs(content: Content) -> None:
    assert len(content.education) >= 7
    assert 3 <= len(content.statements) <= 4
    assert {s.correct for s in content.statements} == {True, False}
    assert content.journey[-1] is JourneyPart.CONSENT
    assert any(p.table for p in content.education), "the acupuncture comparison needs a table"
    types = {q.type for q in content.questions}
    assert types == set(QuestionType), "every question type is used"
    assert any(q.is_follow_up for q in content.questions)
    multi = [q for q in content.questions if q.type is QuestionType.MULTI]
    assert any(o.exclusive for q in multi for o in q.options), "a multi question has None of these"
    assert {r.level for r in content.rules} == set(Level)
    assert any(c.age_below == 18 for r in content.rules for c in r.conditions)


@pytest.mark.parametrize(
    "topic",
    [
        r"pregnan",
        r"bleed",
        r"blood thinner|thins? the blood",
        r"needle",
        r"faint",
        r"implant|pacemaker",
        r"infection|skin",
        r"lymph",
        r"diabet",
        r"epilep",
        r"immune",
        r"cancer",
        r"allerg",
        r"lung",
        r"alcohol",
        r"eaten",
        r"heart valve|valve",
    ],
)
def test_questionnaire_covers_the_screening_items(content: Content, topic: str) -> None:
    text = " ".join(
        f"{q.text} {q.help} {' '.join(o.label for o in q.options)}" for q in content.questions
    )
    assert re.search(topic, text, re.IGNORECASE), f"no question about {topic}"


def test_patient_text_makes_no_overclaims(content: Content) -> None:
    """The facts file lists what the seed blog overclaims; none of it may reach patients."""
    words = [p.title + " " + " ".join(p.body) for p in content.education]
    words += [content.consent.title, *content.consent.body]
    text = " ".join(words).lower()
    for claim in (
        "proven to be",
        "highly effective",
        "immediate relief",
        "quick recovery",
        "little to no marks",
        "firmly grounded",
        "low risk of complications",
        "not acupuncture",
        "cure",
        "guarantee that",
    ):
        assert claim not in text, claim
    # Honest about the evidence and the debate.
    assert "low or very low" in text  # the certainty of the evidence
    assert "72 hours" in text or "3 days" in text
    assert "debate" in text or "disagree" in text


def test_consent_covers_the_required_elements(content: Content) -> None:
    text = " ".join(content.consent.body).lower()
    for element in (
        "withdraw|stop",
        "alternative|other treatment",
        "risk",
        "question",
        "guardian|parent",
    ):
        assert re.search(element, text), element
    assert content.consent.version


def test_every_ui_string_is_present_with_its_placeholders(content: Content) -> None:
    for key, names in REQUIRED_STRINGS.items():
        values = {n: 1 for n in names}
        assert content.text(key, **values)


def test_assets_cannot_escape_the_folder() -> None:
    for bad in ("/etc/passwd", "../pyproject.toml", "fonts/../../x", ""):
        with pytest.raises(ValueError, match="inside assets"):
            asset(bad)
    assert asset("styles/kiosk.qss").is_file()


# ---------------------------------------------------------------- broken content


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        load_content(folder, assets_dir())
    return [str(p) for p in caught.value.problems]


def first_question_id(folder: Path) -> str:
    match = re.search(
        r'\[\[question\]\]\s*\nid = "([^"]+)"', (folder / "questions.toml").read_text()
    )
    assert match
    return match.group(1)


BREAKAGES = [
    # (file, old, new, expected file, expected fragment of key and reason)
    (
        "questions.toml",
        'type = "yes_no"',
        'type = "yesno"',
        "questions.toml",
        r'\.type: "yesno" is not a question type',
    ),
    (
        "questions.toml",
        "[[question]]\nid = ",
        '[[question]]\nid = "help_understanding"\nxid = ',
        "questions.toml",
        r"question id \"help_understanding\" is used more than once|xid: is not a known key",
    ),
    (
        "rules.toml",
        'question = "blood_thinner_which"',
        'question = "blood_thinnr"',
        "rules.toml",
        r'when\[0\]\.question: "blood_thinnr" is not a question',
    ),
    (
        "rules.toml",
        'any_of = ["do_not_want"]',
        'any_of = ["maybe"]',
        "rules.toml",
        r'any_of: "maybe" is not an answer of question "needle_fear"',
    ),
    (
        "rules.toml",
        'source = "§3 Needle phobia',
        'source = 3\nxsource = "',
        "rules.toml",
        r'rule\[\d+\] "needle_unwilling"\.source: must be text, not a whole number',
    ),
    (
        "rules.toml",
        'level = "precaution"',
        'level = "warning"',
        "rules.toml",
        r'\.level: "warning" is not a level',
    ),
    (
        "manifest.toml",
        '"review", "consent"]',
        '"consent", "review"]',
        "manifest.toml",
        r'journey: must end with "consent"',
    ),
    (
        "education.toml",
        'image = "illustrations/needle-sizes.svg"',
        'image = "images/missing.png"',
        "education.toml",
        r'page\[0\]\.image \(page "what-is-dry-needling"\): "images/missing.png" does not exist',
    ),
    (
        "education.toml",
        'image = "illustrations/needle-sizes.svg"',
        'image = "../pyproject.toml"',
        "education.toml",
        r"must be a path inside assets",
    ),
    ("consent.toml", "version = ", "xversion = ", "consent.toml", r"version: is missing"),
    (
        "strings.toml",
        '"nav.progress" = "Step {step} of {total}"',
        '"nav.progress" = "Step {step}"',
        "strings.toml",
        r'"nav.progress": must use exactly \{step\}, \{total\}',
    ),
    (
        "strings.toml",
        '"nav.next" = "Next"',
        '"nav.nxt" = "Next"',
        "strings.toml",
        r'"nav.next": is missing',
    ),
    (
        "comprehension.toml",
        "correct = false",
        'correct = "no"',
        "comprehension.toml",
        r"correct: must be true or false, not text",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "where", "pattern"), BREAKAGES)
def test_each_broken_file_is_named_with_key_and_reason(
    content_copy: Path, file: str, old: str, new: str, where: str, pattern: str
) -> None:
    edit(content_copy, file, old, new)
    found = problems(content_copy)
    assert any(p.startswith(f"{where}: ") and re.search(pattern, p) for p in found), found


def test_follow_up_must_depend_on_an_earlier_question(content_copy: Path) -> None:
    path = content_copy / "questions.toml"
    text = path.read_text()
    # Make the first question depend on a later one.
    first = first_question_id(content_copy)
    text = text.replace(
        f'id = "{first}"\n',
        f'id = "{first}"\nenable_when = [{{ question = "pregnant", any_of = ["yes"] }}]\n',
        1,
    )
    path.write_text(text)
    found = problems(content_copy)
    assert any(
        'enable_when[0].question: "pregnant" is not an earlier question' in p for p in found
    ), found


def test_invalid_toml_names_the_line(content_copy: Path) -> None:
    (content_copy / "rules.toml").write_text('[[rule]]\nid = "x\n')
    (found,) = [p for p in problems(content_copy) if p.startswith("rules.toml")]
    assert "is not valid TOML" in found
    assert "line" in found


def test_missing_file(content_copy: Path) -> None:
    (content_copy / "consent.toml").unlink()
    assert "consent.toml: file is missing" in problems(content_copy)


def test_unknown_file_is_reported(content_copy: Path) -> None:
    (content_copy / "question.toml").write_text("")
    assert any(p.startswith("question.toml: is not a content file") for p in problems(content_copy))


def test_reserved_unsure_code(content_copy: Path) -> None:
    edit(content_copy, "questions.toml", 'code = "none"', 'code = "unsure"')
    assert any('"unsure" is reserved' in p for p in problems(content_copy))


def test_all_problems_are_reported_at_once(content_copy: Path) -> None:
    edit(content_copy, "rules.toml", 'level = "precaution"', 'level = "warning"')
    edit(content_copy, "questions.toml", 'type = "yes_no"', 'type = "yesno"')
    found = problems(content_copy)
    assert any(p.startswith("rules.toml") for p in found)
    assert any(p.startswith("questions.toml") for p in found)


# ---------------------------------------------------------------- the command


def test_validate_content_command(capsys: pytest.CaptureFixture[str], content_copy: Path) -> None:
    assert main(["validate-content", str(content_copy)]) == 0
    assert "is valid" in capsys.readouterr().out
    edit(content_copy, "rules.toml", 'level = "precaution"', 'level = "warning"')
    assert main(["validate-content", str(content_copy)]) == 1
    out = capsys.readouterr().out
    assert "rules.toml: rule[" in out
    assert '"warning" is not a level' in out


def test_no_question_help_repeats_the_screens_own_hint(content: Content) -> None:
    """Multiple-choice screens already say "Choose all that apply"; said twice it reads
    like a mistake. Checked in every language."""
    for language in content.languages:
        hint = language.text("question.multi_hint").strip()
        repeated = [q.id for q in language.questions if q.help.strip() == hint]
        assert not repeated, f"{language.language}: {repeated}"


# ---------------------------------------------------------------- the declared schema


def schema_tables() -> list[loader_schema.Keys]:
    return [v for v in vars(loader_schema).values() if isinstance(v, loader_schema.Keys)]


@pytest.mark.parametrize("table", schema_tables(), ids=lambda k: k.table)
def test_each_declared_key_is_documented(table: loader_schema.Keys) -> None:
    """docs/content-format.md shows every key the loader accepts, in its TOML examples."""
    doc = (Path(__file__).parent.parent / "docs" / "content-format.md").read_text("utf-8")
    forms = ("`{}`", "{} =", "[[{}]]", "[{}]", "[{}.", "{{ {} =", ", {} =")
    missing = [k for k in table.keys if not any(f.format(k) in doc for f in forms)]
    assert not missing, f"docs/content-format.md does not show {table.table}: {missing}"
    assert set(table.translated) <= set(table.keys)


def test_a_key_outside_the_schema_is_named(content_copy: Path) -> None:
    """The loader checks against the declaration: an undeclared key is a problem that
    lists the declared ones."""
    folder = content_copy
    path = folder / "consent.toml"
    path.write_text(path.read_text("utf-8") + '\nfootnote = "x"\n', "utf-8")
    expected = ", ".join(sorted(loader_schema.CONSENT.keys))
    assert f"consent.toml: footnote: is not a known key here (known: {expected})" in (
        problems(folder)
    )
