"""The English education pages read at grade 8 or below (Flesch-Kincaid), measured on
their text exactly as written; every bullet, in every language, is a full sentence."""

from __future__ import annotations

import pytest
import textstat

from kiosk.domain.model import Content, EducationPage

GRADE_LIMIT = 8.0


def raw_text(page: EducationPage) -> str:
    """The page's body as written: its paragraphs, bullet lines with their "- ", nothing
    added. A bullet without a full stop runs into the next one as one long sentence, and
    the grade shows it."""
    return "\n\n".join(page.body)


def bullets(paragraphs: tuple[str, ...]) -> list[str]:
    return [line[2:] for p in paragraphs if p.startswith("- ") for line in p.splitlines()]


def test_every_english_page_is_plain(content: Content) -> None:
    grades = {page.id: textstat.flesch_kincaid_grade(raw_text(page)) for page in content.education}
    too_hard = {page: grade for page, grade in grades.items() if grade > GRADE_LIMIT}
    assert not too_hard, f"above grade {GRADE_LIMIT}: {too_hard}"


@pytest.mark.parametrize("code", ["en", "es", "ar"])
def test_every_bullet_ends_with_a_full_stop(content: Content, code: str) -> None:
    shown = content.for_language(code)
    texts = {page.id: page.body for page in shown.education}
    texts["consent"] = shown.consent.body
    unfinished = [
        (where, line) for where, body in texts.items() for line in bullets(body) if line[-1] != "."
    ]
    assert not unfinished


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
    assert textstat.flesch_kincaid_grade(raw_text(hard)) > GRADE_LIMIT


def test_bullets_without_full_stops_read_as_one_long_sentence() -> None:
    """Why the bullets need their full stops: the raw text is measured as it is."""
    items = [
        "you take medicine that thins the blood, or you bleed or bruise easily",
        "you have an implant, such as a pacemaker, a joint replacement or breast implants",
        "you have lymphoedema, diabetes, epilepsy or a weak immune system",
        "you have a lung condition, or have had surgery on your chest",
    ]
    bare = EducationPage("x", "x", ("\n".join(f"- {i}" for i in items),))
    stopped = EducationPage("x", "x", ("\n".join(f"- {i.capitalize()}." for i in items),))
    assert textstat.flesch_kincaid_grade(raw_text(bare)) > GRADE_LIMIT
    assert textstat.flesch_kincaid_grade(raw_text(stopped)) <= GRADE_LIMIT
