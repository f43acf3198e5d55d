"""The English education pages read at grade 8 or below (Flesch-Kincaid)."""

from __future__ import annotations

import textstat

from kiosk.domain.model import Content, EducationPage

GRADE_LIMIT = 8.0


def readable_text(page: EducationPage) -> str:
    """The page as a reader meets it: each bullet is read as a sentence of its own."""
    parts: list[str] = []
    for paragraph in page.body:
        if paragraph.startswith("- "):
            parts += [line[2:].rstrip(".") + "." for line in paragraph.splitlines()]
        else:
            parts.append(paragraph)
    return " ".join(parts)


def test_every_english_page_is_plain(content: Content) -> None:
    grades = {
        page.id: textstat.flesch_kincaid_grade(readable_text(page)) for page in content.education
    }
    too_hard = {page: grade for page, grade in grades.items() if grade > GRADE_LIMIT}
    assert not too_hard, f"above grade {GRADE_LIMIT}: {too_hard}"


def test_the_measure_can_tell_hard_from_plain() -> None:
    hard = EducationPage(
        "x",
        "x",
        (
            "Intramuscular stimulation of myofascial trigger points elicits involuntary "
            "contractions whose neurophysiological significance remains controversial among "
            "practitioners notwithstanding considerable investigational attention.",
        ),
    )
    assert textstat.flesch_kincaid_grade(readable_text(hard)) > GRADE_LIMIT
