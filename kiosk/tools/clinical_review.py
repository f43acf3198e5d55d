"""Write the tables of docs/clinical-review.md from the bundled content's rules.

``python -m kiosk.tools.clinical_review`` rewrites the part of the page between the
markers below: every rule with its level, the answers that fire it (in the words the
patient reads), the flag the clinician reads, and its source in the clinical facts
reference; then the questions whose "Not sure" raises more than a note.
tests/test_clinical_review.py fails while the page differs from the content.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.content.loader import load_content
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.domain.model import UNSURE, Condition, Content, Level, Match, QuestionType, Rule

BEGIN = "<!-- rules tables: written by python -m kiosk.tools.clinical_review, do not edit -->"
END = "<!-- end of rules tables -->"
PAGE = "docs/clinical-review.md"
ROOT = Path(__file__).resolve().parents[2]

#: A place condition lists its regions by name up to this many; above, it names groups.
MAX_NAMED_PLACES = 12
HEADINGS = {
    Level.CONTRAINDICATION: "Contraindications",
    Level.PRECAUTION: "Precautions",
    Level.NOTE: "Notes",
}


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def answer_words(content: Content, question_id: str, code: str) -> str:
    """An answer code in the words the patient reads."""
    question = content.question(question_id)
    if code == UNSURE:
        return content.text("answer.unsure")
    if question.type is QuestionType.YES_NO:
        return content.text(f"answer.{code}")
    option = question.option(code)
    return option.label if option else code


def question_words(content: Content, question_id: str) -> str:
    return f"`{question_id}` *{content.question(question_id).text}*"


def places(content: Content, condition: Condition) -> str:
    names = {r.id: r.name for r in content.regions}
    ids = list(dict.fromkeys(r for _, rs in condition.region_sets for r in rs))
    if len(ids) <= MAX_NAMED_PLACES:
        return "; ".join(names[r] for r in ids)
    groups = ", ".join(f"`{name}`" for name, _ in condition.region_sets)
    return f"{groups} ({len(ids)} places)"


def describe_condition(content: Content, condition: Condition) -> str:
    """One condition in words: the question and the answers that meet it."""
    if condition.age_below is not None:
        return f"age under {condition.age_below}"
    assert condition.question is not None
    if condition.regions_in is not None:
        named = question_words(content, condition.regions_in)
        return f"pain marked (`{condition.question}`) where {named} says"
    if condition.regions_any_of:
        return f"pain marked (`{condition.question}`) on: {places(content, condition)}"
    if condition.answered:
        return f"{question_words(content, condition.question)} is answered"
    answers = " or ".join(
        f'"{answer_words(content, condition.question, code)}"' for code in condition.any_of
    )
    return f"{question_words(content, condition.question)} is {answers}"


def describe_rule(content: Content, rule: Rule) -> str:
    joiner = " **and** " if rule.match is Match.ALL else " **or** "
    return joiner.join(describe_condition(content, c) for c in rule.conditions)


def tables(content: Content) -> str:
    """The generated part of the page (without the markers)."""
    out: list[str] = []
    for level in sorted(Level, reverse=True):
        rules = [r for r in content.rules if r.level is level]
        out += [f"### {HEADINGS[level]} ({len(rules)})", ""]
        out += ["| rule | fires when | the flag reads | source |", "| --- | --- | --- | --- |"]
        for rule in rules:
            out.append(
                f"| `{rule.id}` | {cell(describe_rule(content, rule))} | {cell(rule.message)} "
                f"| {cell(rule.source) or '(none given)'} |"
            )
        out.append("")
    raised = [q for q in content.questions if q.unsure_level > Level.NOTE]
    out += [
        '### "Not sure" above a note',
        "",
        'Every "Not sure" raises at least a note ("discuss with patient"). On these '
        "questions it raises more (`unsure_level` in questions.toml):",
        "",
        '| question | "Not sure" raises |',
        "| --- | --- |",
    ]
    out += [
        f"| {cell(question_words(content, q.id))} | {q.unsure_level.word.lower()} |" for q in raised
    ]
    return "\n".join(out) + "\n"


def with_tables(text: str, content: Content) -> str:
    """``text`` with the part between the markers replaced by the current tables."""
    head, begin, rest = text.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"the page has no {BEGIN!r} ... {END!r} markers")
    return f"{head}{BEGIN}\n\n{tables(content)}\n{END}{tail}"


def bundled_content() -> Content:
    return load_content(bundled_content_dir(), assets_dir())


def main(root: Path = ROOT) -> int:
    page = root / PAGE
    text = page.read_text("utf-8")
    new = with_tables(text, bundled_content())
    if new != text:
        page.write_text(new, "utf-8")
        print(f"{PAGE}: rules tables updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
