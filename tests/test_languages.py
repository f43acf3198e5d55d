"""Languages: every translation matches the content id for id; a patient can go through in
Spanish or Arabic (right to left); the clinician still reads the summary in English."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.app.config import Config
from kiosk.content.loader import ContentInvalid, load_content
from kiosk.content.paths import assets_dir
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter, render_record
from kiosk.tools.journey import current, draw, signature_strokes, tap, tap_next, walk_to_consent
from kiosk.ui.app import create_window
from kiosk.ui.screens import ConsentScreen, EducationScreen, QuestionScreen
from tests.make_golden_responses import plain
from tests.make_golden_responses import record as golden_record


def test_spanish_and_arabic_are_complete(content: Content) -> None:
    codes = [c.language for c in content.languages]
    assert codes[0] == "en"
    assert set(codes) == {"en", "es", "ar"}
    es, ar = content.for_language("es"), content.for_language("ar")
    for translated in (es, ar):
        assert translated.fallback_pages == frozenset()
        assert translated.fallback_statements == frozenset()
        for page, english in zip(translated.education, content.education, strict=True):
            assert page.title != english.title, page.id
            assert page.image_alt != english.image_alt or not page.image, page.id
        for statement, said in zip(translated.statements, content.statements, strict=True):
            assert statement.text != said.text, statement.id
            assert statement.correct is said.correct
    assert ar.right_to_left
    assert not es.right_to_left
    for translated in (es, ar):
        assert translated.strings.keys() == content.strings.keys()
        assert [q.id for q in translated.questions] == [q.id for q in content.questions]
        for q, original in zip(translated.questions, content.questions, strict=True):
            assert [o.code for o in q.options] == [o.code for o in original.options]
            assert q.text != original.text, q.id
            assert q.enable_when == original.enable_when
        assert translated.rules == content.rules
        assert translated.consent.version == content.consent.version
        assert translated.consent.title != content.consent.title
        # The languages know each other: a patient can switch back.
        assert translated.for_language("en") is content.for_language("en")


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def drop_table(folder: Path, name: str, header: str) -> None:
    """Take one table (``[education.aftercare]`` and its sub-tables) out of a locale file."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    key = re.escape(header.strip("[]"))
    pattern = rf"^\[{key}(\.[^\]]+)?\]\n.*?(?=^\[(?!{key}[.\]])|^# -{{10}})"
    smaller = re.sub(pattern, "", text, flags=re.S | re.M)
    assert smaller != text, header
    path.write_text(smaller, encoding="utf-8")


def test_an_untranslated_page_shows_in_english_and_the_pdf_says_so(content_copy: Path) -> None:
    """Any language: a page or statement with no translation falls back to the clinic's
    language only where the locale allows it, and the clinician's summary names it."""
    drop_table(content_copy, "locales/ar.toml", "[education.aftercare]")
    drop_table(content_copy, "locales/ar.toml", "[statement.proven-cure]")
    with pytest.raises(ContentInvalid) as caught:
        load_content(content_copy, assets_dir())
    found = [str(p) for p in caught.value.problems]
    assert any(
        'education.aftercare: is missing (or add "education" to fallback)' in p for p in found
    )
    assert any("statement.proven-cure: is missing" in p for p in found)

    edit(
        content_copy,
        "locales/ar.toml",
        "fallback = []",
        'fallback = ["education", "comprehension"]',
    )
    content = load_content(content_copy, assets_dir())
    ar = content.for_language("ar")
    assert ar.fallback_pages == {"aftercare"}
    assert ar.fallback_statements == {"proven-cure"}
    english = {p.id: p for p in content.education}
    assert ar.education[[p.id for p in ar.education].index("aftercare")] == english["aftercare"]

    made = golden_record(ar, "DN-FALLBACK1", "Nadia Haddad", dt.date(1970, 6, 5), plain)
    assert made.language == "ar"
    pdf = render_record(content, made, "Riverside Physiotherapy")
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    aftercare = english["aftercare"].title
    assert "1 page shown in English, not Arabic, for want of a translation" in text
    assert f"{aftercare} — shown in English" in text
    assert "1 statement shown in English, not Arabic" in text
    assert text.count("— shown in English") == 2, "only the pages and statements that fell back"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('"nav.next" = "Siguiente"\n', "", 'locales/es.toml: strings."nav.next": is missing'),
        (
            '"nav.progress" = "Paso {step} de {total}"',
            '"nav.progress" = "Paso {step}"',
            "must use exactly {step}, {total}",
        ),
        (
            "[question.needle_fear]",
            "[question.needle_fears]",
            "locales/es.toml: question.needle_fears: is not a question",
        ),
        (
            "fallback = []",
            'fallback = ["questions"]',
            'fallback: may only list "education" and "comprehension"',
        ),
        ('direction = "ltr"', 'direction = "up"', 'direction: must be "ltr" or "rtl"'),
        (
            "enero, febrero, ",
            "enero, ",
            'locales/es.toml: strings."date.months": must list the 12 month names',
        ),
    ],
)
def test_a_broken_translation_names_file_key_and_reason(
    content_copy: Path, old: str, new: str, problem: str
) -> None:
    edit(content_copy, "locales/es.toml", old, new)
    with pytest.raises(ContentInvalid) as caught:
        load_content(content_copy, assets_dir())
    found = [str(p) for p in caught.value.problems]
    assert any(problem in p for p in found), found


def test_a_missing_option_label_is_named(content_copy: Path) -> None:
    text = (content_copy / "locales/es.toml").read_text(encoding="utf-8")
    text = re.sub(
        r"(\[question\.needle_fear\][^\[]*?options = \{ )fine = \"[^\"]*\", ",
        r"\1",
        text,
        flags=re.S,
    )
    (content_copy / "locales/es.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as caught:
        load_content(content_copy, assets_dir())
    assert any(
        "question.needle_fear.options.fine: is missing" in str(p) for p in caught.value.problems
    )


@pytest.mark.parametrize("code", ["es", "ar"])
def test_a_journey_in_another_language(qtbot, config: Config, content: Content, code: str) -> None:
    window = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(window)
    window.show()
    button = current(window).findChild(QPushButton, f"language-{code}")
    assert button is not None
    tap(button)
    patient = content.for_language(code)
    assert window.language == code
    expected = (
        Qt.LayoutDirection.RightToLeft if patient.right_to_left else Qt.LayoutDirection.LeftToRight
    )
    assert window.layoutDirection() == expected
    seen: list[str] = []

    def look(screen: object) -> None:
        if isinstance(screen, QuestionScreen):
            labels = " ".join(w.text() for w in screen.findChildren(QLabel))
            assert screen.question.text in labels
            assert screen.question.text == patient.question(screen.question.id).text
            seen.append(screen.question.id)
        if isinstance(screen, EducationScreen):
            labels = " ".join(w.text() for w in screen.findChildren(QLabel))
            note = patient.text("language.fallback_note")
            assert (note in labels) == (screen.page.id in patient.fallback_pages)

    walk_to_consent(
        window, "Nadia Haddad", ("5", "6", "1970"), {"blood_thinner": ("yes",)}, on_screen=look
    )
    assert seen
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    assert consent.agree.label() == patient.consent.agree_label
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    with qtbot.waitSignal(window.summary_saved, timeout=10_000) as saved:
        tap_next(window)
    # The clinician's summary is in the clinic's language and says which one the patient used.
    text = "\n".join(page.extract_text() for page in PdfReader(saved.args[0].pdf).pages)
    assert content.question("blood_thinner").text in text
    assert patient.question("blood_thinner").text not in text
    assert f"Patient's language: {dict(es='Spanish', ar='Arabic')[code]}" in text
    # The next patient starts in the clinic's language again.
    window.reset()
    assert window.language == content.language
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "29 February 1964"), ("es", "29 de febrero de 1964"), ("ar", "29 فبراير 1964")],
)
def test_dates_are_written_in_the_patients_language(
    content: Content, code: str, expected: str
) -> None:
    import datetime as dt

    from kiosk.domain.answers import format_date

    assert format_date(dt.date(1964, 2, 29), content.for_language(code)) == expected


@pytest.mark.parametrize("code", ["en", "ar"])
def test_a_checks_explanation_shows_in_view_with_its_bar_on_the_reading_side(
    qtbot, content: Content, code: str
) -> None:
    """The explanation after a quick-check answer is the point of the check: it scrolls
    into view, and its coloured bar sits where the patient starts reading (Qt does not
    mirror stylesheet borders for right-to-left text)."""
    from PySide6.QtWidgets import QApplication

    from kiosk.app.journey import preview
    from kiosk.domain.flow import Step, StepKind
    from kiosk.tools.journey import settle
    from kiosk.ui.app import apply_look
    from kiosk.ui.screens import CheckScreen

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_look(app)
    c = content.for_language(code)
    statement = c.statements[0]
    screen = CheckScreen(c, preview(c, Step(StepKind.CHECK, statement.id)), statement)
    qtbot.addWidget(screen)
    screen.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if c.right_to_left else Qt.LayoutDirection.LeftToRight
    )
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    tap(screen.buttons[0])
    settle()
    assert screen.feedback.property("rtl") is c.right_to_left
    viewport = screen.scroll_area.viewport()
    top_left = screen.feedback.mapTo(viewport, screen.feedback.rect().topLeft())
    assert top_left.y() >= 0
    assert top_left.y() + screen.feedback.height() <= viewport.height()
    image = screen.feedback.grab().toImage()
    middle = image.height() // 2
    reading_edge = image.width() - 3 if c.right_to_left else 2
    other_edge = 2 if c.right_to_left else image.width() - 3
    assert image.pixelColor(reading_edge, middle) != image.pixelColor(other_edge, middle)
