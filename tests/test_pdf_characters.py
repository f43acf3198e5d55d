"""Characters in the PDFs' text layer: above U+FFFF (emoji), and those no font has.

The page and its text layer must say the same thing. A character a bundled font draws
(😀 is in DejaVu Sans) reads back as itself, even above U+FFFF, where ReportLab's own
ToUnicode map is broken. One that no font has (U+1D49C MATHEMATICAL SCRIPT CAPITAL A) is
drawn as "�" and reads back as "�" in the clinician's summary and the patient's copy
alike, where it used to be a missing-glyph box that read back as NUL; an invisible one
(a variation selector) is not drawn at all.
"""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader

from kiosk.domain.model import Content
from kiosk.report.fonts import REPLACEMENT, register_fonts, to_unicode_cmap
from kiosk.saving import render_patient_copy, render_record
from tests.test_patient_copy import ARABIC_NAME, folded, make_record

SMILE = "\U0001f600"  # drawn by DejaVu Sans
SCRIPT_A = "\U0001d49c"  # in none of the bundled fonts
SELECTOR = "\U000e0100"  # VARIATION SELECTOR-17: invisible, in no font
NAME = f"Ana {SMILE} {SCRIPT_A} Lee{SELECTOR}"
TEXT = f"Knee {SMILE} and {SCRIPT_A} since 2019"
#: What a reader sees, and what the text layer must say.
SHOWN_NAME = f"Ana {SMILE} {REPLACEMENT} Lee"
SHOWN_TEXT = f"Knee {SMILE} and {REPLACEMENT} since 2019"


def read_back(pdf: bytes, caplog: pytest.LogCaptureFixture) -> str:
    """The PDF's text, white space folded; pypdf must not complain while reading it."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        pages = PdfReader(io.BytesIO(pdf)).pages
        text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    complaints = [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")]
    assert not complaints, complaints  # was "Got invalid hex string: ... (b'1F600')"
    return text


def test_the_fonts_are_as_this_test_assumes() -> None:
    fonts = register_fonts()
    assert ord(SMILE) in fonts.coverage[fonts.fallback]
    assert ord(SMILE) in fonts.coverage[fonts.fallback_bold]
    for char in (SCRIPT_A, SELECTOR):
        assert not any(ord(char) in covered for covered in fonts.coverage.values())
    assert ord(REPLACEMENT) in fonts.coverage[fonts.fallback]


def test_glyph_draws_what_a_font_has_and_replaces_what_none_has() -> None:
    fonts = register_fonts()
    assert fonts.glyph("A", fonts.regular) == (fonts.regular, "A")
    assert fonts.glyph(SMILE, fonts.bold) == (fonts.fallback_bold, SMILE)
    assert fonts.glyph(SCRIPT_A, fonts.regular) == (fonts.fallback, REPLACEMENT)
    assert fonts.glyph(SCRIPT_A, fonts.bold) == (fonts.fallback_bold, REPLACEMENT)
    assert fonts.glyph(SELECTOR, fonts.regular)[1] == ""


def test_the_to_unicode_map_writes_characters_above_u_ffff_in_utf16() -> None:
    cmap = to_unicode_cmap("AAAAAA+DejaVuSans", [0, 0x41, 0x1F600, 0x10FFFD])
    lines = cmap.splitlines()
    assert "<01> <0041>" in lines
    assert "<02> <D83DDE00>" in lines  # ReportLab alone writes <1F600>
    assert "<03> <DBFFDFFD>" in lines
    assert "4 beginbfchar" in lines


@pytest.mark.parametrize("language", ["en", "es"])
def test_emoji_and_characters_no_font_has_read_back_as_the_page_shows_them(
    content: Content, language: str, caplog: pytest.LogCaptureFixture
) -> None:
    record = make_record(content, language, name=NAME, free_text=TEXT)
    summary = read_back(render_record(content, record, "Riverside"), caplog)
    copy = read_back(render_patient_copy(content, record, "Riverside"), caplog)
    for text in (summary, copy):
        assert SHOWN_NAME in text
        assert SHOWN_TEXT in text
        assert "\x00" not in text  # a missing-glyph box read back
        assert SCRIPT_A not in text
        assert SELECTOR not in text


def test_the_same_in_right_to_left_text(content: Content, caplog: pytest.LogCaptureFixture) -> None:
    """Arabic paragraphs are wrapped and ordered by kiosk.report.bidi, not ReportLab."""
    name = f"{ARABIC_NAME} {SMILE} {SCRIPT_A}{SELECTOR}"
    record = make_record(content, "ar", name=name, free_text=f"{ARABIC_NAME} {TEXT}")
    for pdf in (
        render_record(content, record, "Riverside"),
        render_patient_copy(content, record, "Riverside"),
    ):
        text = read_back(pdf, caplog)
        # pypdf reads right-to-left lines in its own order: count, do not compare lines.
        assert text.count(SMILE) >= 2
        assert text.count(REPLACEMENT) >= 2
        assert "\x00" not in text
        assert SCRIPT_A not in text
        assert SELECTOR not in text
        assert "Knee" in text
        assert all(folded(word) in folded(text) for word in ARABIC_NAME.split())
