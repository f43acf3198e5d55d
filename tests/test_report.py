"""The clinician's PDF: built from a Summary, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics

from kiosk.core.model import Level
from kiosk.core.summary import Signature, Summary
from kiosk.report import build_report, prepare, render_pdf
from kiosk.report.fonts import _fonts_dir, register_fonts
from kiosk.report.signature import signature_drawing
from kiosk.report.text import clean, esc
from tests.factories import make_answer, make_flag, make_summary

REPO = Path(__file__).resolve().parents[1]


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))


def squash(text: str) -> str:
    """The text without any whitespace, to find strings that wrapped over lines."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def invariant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)


# ------------------------------------------------------------------- page one


def test_page_one_has_patient_flag_level_and_flagged_answer() -> None:
    summary = make_summary(
        flags=(
            make_flag(
                level=Level.CONTRAINDICATION,
                question="Do you take medicine that thins your blood?",
                answer="Yes, Warfarin daily",
                message="Check INR before needling.",
            ),
        )
    )
    first = pages_text(render_pdf(summary))[0]
    for expected in (
        "Jane Example",
        "12 Mar 1985",
        "Age 41",
        "CONTRAINDICATION",
        "Yes, Warfarin daily",
        "Do you take medicine that thins your blood?",
        "Check INR before needling.",
    ):
        assert expected in first


def test_flags_come_before_the_answers() -> None:
    text = pages_text(render_pdf(make_summary(flags=(make_flag(message="FLAGMSG"),))))[0]
    assert text.index("Jane Example") < text.index("FLAGMSG") < text.index("Answers")


@pytest.mark.parametrize("level", list(Level))
def test_every_level_is_printed_as_a_word(level: Level) -> None:
    text = pages_text(render_pdf(make_summary(flags=(make_flag(level=level),))))[0]
    assert level.word in text
    others = {lvl.word for lvl in Level} - {level.word}
    assert not any(word in text for word in others)


def test_no_flags_says_so() -> None:
    assert "No precautions flagged" in pages_text(render_pdf(make_summary(flags=())))[0]
    assert "No precautions flagged" not in all_text(render_pdf(make_summary()))


def test_minor_marker_only_for_minors() -> None:
    assert "MINOR — guardian consent needed" in pages_text(render_pdf(make_summary(age=16)))[0]
    assert "MINOR" not in all_text(render_pdf(make_summary(age=18)))


# ------------------------------------------------------------------- the body


def test_every_question_and_answer_is_printed() -> None:
    summary = make_summary()
    text = squash(all_text(render_pdf(summary)))
    for row in summary.answers:
        assert squash(row.question) in text
        if not row.unsure:
            assert squash(row.answer) in text
    assert "MedicalHistory".casefold() in text.casefold()
    assert "Today" in text


def test_section_heading_printed_when_the_section_changes() -> None:
    answers = (
        make_answer(section="Alpha", question="Q1?"),
        make_answer(section="Alpha", question="Q2?"),
        make_answer(section="Beta", question="Q3?"),
        make_answer(section="Alpha", question="Q4?"),
    )
    lines = all_text(render_pdf(make_summary(answers=answers))).splitlines()
    headings = [line.strip() for line in lines if line.strip() in {"Alpha", "Beta"}]
    assert headings == ["Alpha", "Beta", "Alpha"]


def test_follow_ups_are_marked_and_unsure_answers_flagged() -> None:
    answers = (
        make_answer(question="Main question?", answer="Yes"),
        make_answer(question="Follow-up question?", answer="No sé", depth=1, unsure=True),
    )
    text = all_text(render_pdf(make_summary(answers=answers)))
    assert "↳ Follow-up question?" in text
    assert "↳ Main question?" not in text
    assert "? NOT SURE (No sé)" in text


def test_comprehension_rows_and_misunderstanding() -> None:
    text = all_text(render_pdf(make_summary()))
    assert "Comprehension check (1 of 2 understood)" in text
    assert "Soreness after treatment is a sign something went wrong." in text
    assert text.count("✗ NO") == 1
    assert text.count("✓ Yes") == 1


def test_education_pages_listed() -> None:
    text = all_text(render_pdf(make_summary(pages_viewed=("Page one title", "Page two title"))))
    assert "Education pages viewed (2)" in text
    assert "Page one title" in text
    assert "Page two title" in text


def test_consent_title_version_text_and_signing() -> None:
    summary = make_summary(consent_text=("First paragraph of consent.", "Second paragraph."))
    text = all_text(render_pdf(summary))
    assert "Consent to dry needling" in text
    assert "consent-2026.11.1" in text
    assert "First paragraph of consent." in text
    assert "Second paragraph." in text
    assert "I agree to receive dry needling" in text
    assert "Signed 27 Nov 2026, 14:09" in text
    assert "No signature" not in text


def test_missing_signature_still_gets_a_box() -> None:
    pdf = render_pdf(make_summary(signature=Signature(600, 200, ())))
    assert "No signature" in all_text(pdf)


def test_signature_is_vector_ink() -> None:
    def lineto_count(summary: Summary) -> int:
        reader = PdfReader(io.BytesIO(render_pdf(summary)))
        streams = [page.get_contents() for page in reader.pages]
        data = b"".join(stream.get_data() for stream in streams if stream is not None)
        assert b"/Image" not in data
        return len(re.findall(rb"\sl\s", data))

    signed = lineto_count(make_summary())
    unsigned = lineto_count(make_summary(signature=Signature(600, 200, ())))
    assert signed - unsigned >= 3 * 49  # three strokes of 50 points each


def test_signature_is_flipped_and_scaled_to_fit() -> None:
    # A stroke from the pad's top-left corner to its bottom-right corner.
    drawing = signature_drawing(
        Signature(width=1000, height=100, strokes=(((0, 0), (1000, 100)),)), "Helvetica"
    )
    line = drawing.contents[-1]
    x0, y0, x1, y1 = line.points
    assert y0 > y1  # PDF y points up
    assert x1 > x0
    assert drawing.width <= 81 * 72 / 25.4
    assert (x1 - x0) / (y0 - y1) == pytest.approx(10)  # aspect ratio kept


def test_signature_with_broken_points_or_pad_size() -> None:
    nan = float("nan")
    signature = Signature(width=0, height=nan, strokes=(((1, 2), (nan, 3), (5, 9)), ((4, 4),)))
    drawing = signature_drawing(signature, "Helvetica")
    assert len(drawing.contents) == 3  # the box, one line, one dot
    render_pdf(make_summary(signature=signature))


# ------------------------------------------------------------------- pages


def test_header_and_footer_on_every_page() -> None:
    long_answer = make_answer(question="Anything else?", answer="word " * 2000)
    pages = pages_text(render_pdf(make_summary(answers=(long_answer,))))
    n = len(pages)
    assert n >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {n}" in text
        assert "DN-20261127-0042" in text
        assert "Content version 2026.11.1" in text
        assert "Northside Physiotherapy" in text
        assert "Dry needling intake summary" in text
        assert "Created 27 Nov 2026, 14:05" in text
        if number > 1:  # separated pages still name their patient
            assert "Jane Example, born 12 Mar 1985" in text


def test_long_answer_flows_over_pages_intact() -> None:
    words = " ".join(f"w{i:04d}" for i in range(600))  # about 3 600 characters
    pdf = render_pdf(make_summary(answers=(make_answer(answer=words),)))
    pages = pages_text(pdf)
    assert len(pages) >= 2
    text = " ".join(pages)
    found = re.findall(r"w\d{4}", text)
    assert found == [f"w{i:04d}" for i in range(600)]


def test_long_word_wraps_instead_of_running_off_the_page() -> None:
    word = "Ж" * 400  # a letter found nowhere else in the report
    summary = make_summary(
        patient_name="N" * 400,
        answers=(make_answer(answer=word), make_answer(answer="x" * 150)),
        flags=(make_flag(answer=word),),
    )
    text = all_text(render_pdf(summary))
    runs = re.findall(r"Ж+", text)
    assert sum(map(len, runs)) == 800  # the answer and the flag, nothing lost
    # A full-width line holds about 60 of them; an unwrapped word would be one run.
    assert max(map(len, runs)) < 80
    assert max(map(len, re.findall(r"N+", text))) < 80


# ------------------------------------------------------------------- safety


def test_metadata_holds_no_patient_data() -> None:
    summary = make_summary(patient_name="Zelda Quackenbush")
    info = PdfReader(io.BytesIO(render_pdf(summary))).metadata
    assert info is not None
    assert info.title == "Dry needling intake summary"
    assert info.author == "Northside Physiotherapy"
    assert info.subject == "DN-20261127-0042"
    values = " ".join(str(v) for v in info.values())
    for secret in ("Zelda", "Quackenbush", "1985", "12 Mar", "03-12"):
        assert secret not in values


def test_markup_in_patient_strings_prints_literally() -> None:
    name = "O'Brien <b>&amp; Co"
    answer = 'He said "<i>no</i>" & left; 5 < 6 > 4 &#169; &bogus;'
    summary = make_summary(
        patient_name=name,
        answers=(make_answer(question="Q <para>?", answer=answer),),
        flags=(make_flag(message="<font color=red>msg</font>"),),
    )
    text = all_text(render_pdf(summary))
    assert name in text
    assert squash(answer) in squash(text)  # it wraps in the answer column
    assert "Q <para>?" in text
    assert "<font color=red>msg</font>" in text


def test_control_characters_do_not_break_the_build() -> None:
    nasty = "A\x00B\x07C\x1bD\x7fE\x9bF\ud800G\tH\r\nI\u2028J"
    text = all_text(render_pdf(make_summary(patient_name=nasty, clinic_name=nasty)))
    assert "ABCDE" in text
    assert "F\ufffdG H" in text


@pytest.mark.parametrize("name", ["Ζωή Παπαδοπούλου", "Алексей Смирнов", "Zoë Ñúñez-Çelik"])
def test_non_latin_names_come_back(name: str) -> None:
    first = pages_text(render_pdf(make_summary(patient_name=name)))[0]
    assert unicodedata.normalize("NFC", name) in unicodedata.normalize("NFC", first)


def test_esc_and_clean() -> None:
    assert esc("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
    assert esc("one\ntwo") == "one<br/>two"
    assert clean("a\x00b\tc\r\nd") == "ab c\nd"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    name=st.text(st.one_of(st.characters(), st.sampled_from("<>&'\";/#")), max_size=300),
    answer=st.text(st.one_of(st.characters(), st.sampled_from("<>&'\";/#")), max_size=300),
)
def test_any_text_builds(name: str, answer: str) -> None:
    summary = make_summary(
        patient_name=name,
        answers=(make_answer(answer=answer), make_answer(question=answer, answer="No")),
        flags=(make_flag(answer=answer, message=name),),
    )
    out = io.BytesIO()
    build_report(summary, out)
    assert out.getvalue().startswith(b"%PDF-")
    assert len(PdfReader(out).pages) >= 1


# ------------------------------------------------------------------- output


def test_reproducible_with_invariant(invariant: None) -> None:
    summary = make_summary()
    first = render_pdf(summary)
    out = io.BytesIO()
    build_report(summary, out)
    assert first == out.getvalue()
    other = render_pdf(make_summary(created=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)))
    assert first != other


def test_prepare_registers_the_fonts_once_and_only_they_are_used() -> None:
    prepare()
    prepare()
    assert register_fonts.cache_info().currsize == 1
    assert "DejaVuSans" in pdfmetrics.getRegisteredFontNames()
    for signature in (make_summary().signature, Signature(1, 1, ())):
        page = PdfReader(io.BytesIO(render_pdf(make_summary(signature=signature)))).pages[0]
        resources: Any = page["/Resources"]  # pypdf types it as a bare PdfObject
        fonts = resources["/Font"].get_object()
        names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
        assert names == {"/AAAAAA+DejaVuSans", "/AAAAAA+DejaVuSans-Bold"}


def test_fonts_are_bundled() -> None:
    folder = _fonts_dir()
    assert folder == REPO / "assets" / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert (folder / name).is_file()


def test_report_package_never_imports_qt() -> None:
    code = (
        "import sys, kiosk.report; "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
        "sys.exit(str(bad) if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
