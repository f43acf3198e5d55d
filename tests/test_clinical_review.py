"""docs/clinical-review.md lists every rule as rules.toml says it, so it cannot go stale."""

from __future__ import annotations

import re

import pytest

from kiosk.domain.model import Content, Level
from kiosk.tools import clinical_review

PAGE = clinical_review.ROOT / clinical_review.PAGE
#: The facts file's verification tags: [V], [S], [U], or two of them ("[S/U]").
TAG = re.compile(r"\[[VSU](/[VSU])?\]")


def test_the_page_matches_the_rules(content: Content) -> None:
    text = PAGE.read_text("utf-8")
    assert clinical_review.with_tables(text, content) == text, (
        f"{clinical_review.PAGE} differs from rules.toml: "
        "run python -m kiosk.tools.clinical_review and review the diff"
    )


def test_the_check_sees_a_stale_page(content: Content) -> None:
    text = PAGE.read_text("utf-8")
    stale = text.replace("| `needle_phobia` |", "| `needle_phobia_old` |")
    assert stale != text
    assert clinical_review.with_tables(stale, content) == text


def test_every_rule_is_on_the_page_under_its_level(content: Content) -> None:
    text = PAGE.read_text("utf-8")
    headings = {level: text.index(f"### {clinical_review.HEADINGS[level]}") for level in Level}
    ends = [*sorted(headings.values()), len(text)]
    for rule in content.rules:
        start = headings[rule.level]
        end = next(e for e in ends if e > start)
        assert f"| `{rule.id}` |" in text[start:end], rule.id


def test_every_shipped_rule_names_its_source_in_the_facts_file(content: Content) -> None:
    missing = [r.id for r in content.rules if not r.source]
    assert not missing, f"rules without a source: {missing}"
    untagged = [r.id for r in content.rules if not TAG.search(r.source)]
    assert not untagged, f"sources without a verification tag: {untagged}"
    assert all(r.source.startswith("§") for r in content.rules)


def test_a_page_without_markers_is_refused(content: Content) -> None:
    with pytest.raises(ValueError, match="markers"):
        clinical_review.with_tables("# no tables here\n", content)


def test_the_tool_writes_the_page(content: Content, tmp_path) -> None:
    page = tmp_path / clinical_review.PAGE
    page.parent.mkdir()
    page.write_text(
        f"# Title\n\n{clinical_review.BEGIN}\nold\n{clinical_review.END}\nafter\n", "utf-8"
    )
    assert clinical_review.main(tmp_path) == 0
    written = page.read_text("utf-8")
    assert written.startswith("# Title\n\n")
    assert written.endswith(f"{clinical_review.END}\nafter\n")
    assert "| `cannot_consent` |" in written
