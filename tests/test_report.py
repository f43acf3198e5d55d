"""The clinician's PDF: built from a Summary, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import subprocess
import sys
import unicodedata
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PageObject, PdfReader, mult
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import BaseDocTemplate

import kiosk.report.pdf as report_pdf
from kiosk.domain.model import Level
from kiosk.domain.summary import MarkedRegion
from kiosk.report import build_report, prepare, render_pdf
from kiosk.report.fonts import _fonts_dir, register_fonts
from kiosk.report.signature_box import decode_signature
from kiosk.report.text import clean, esc
from tests.factories import (
    THREE_FLAGS,
    make_answer,
    make_flag,
    make_record_hash,
    make_signature_png,
    make_summary,
    make_typical_summary,
)

REPO = Path(__file__).resolve().parents[1]


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))


def squash(text: str) -> str:
    """The text without any whitespace, to find strings that wrapped over lines."""
    return re.sub(r"\s+", "", text)


def page_with(pdf: bytes, needle: str) -> int:
    """The index of the only page whose text holds ``needle``."""
    found = [i for i, text in enumerate(pages_text(pdf)) if needle in text]
    assert len(found) == 1, (needle, found)
    return found[0]


def images_on(page: PageObject) -> list[Any]:
    """The image XObjects a page uses."""
    resources: Any = page["/Resources"]  # pypdf types it as a bare PdfObject
    if "/XObject" not in resources:
        return []
    xobjects = resources["/XObject"].get_object()
    return [x.get_object() for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]


def drawn_image_sizes(page: PageObject) -> list[tuple[float, float]]:
    """Width and height, in points, of each image drawn on the page."""
    data = page.get_contents()
    assert data is not None
    found = re.findall(rb"([\d.]+) 0 0 ([\d.]+) [\d.]+ [\d.]+ cm\s*/\S+ Do", data.get_data())
    return [(float(w), float(h)) for w, h in found]


def png_of_size(width: int, height: int) -> bytes:
    image = Image.new("L", (width, height), 255)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def png_header_claiming(width: int, height: int) -> bytes:
    """The start of a PNG whose header claims a size; no pixel data follows."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


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


def text_heights(pdf: bytes, page: int = 0) -> dict[str, float]:
    """Each piece of text on a page and the height its first line starts at (points)."""
    found: dict[str, float] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            found.setdefault(text.strip(), mult(tm, cm)[5])

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("body_map", [False, True])
def test_flags_start_right_under_the_patient_header(body_map: bool) -> None:
    """The clinician reads the top half of page 1: the flags start there, with or
    without the body drawing beside the header, however many flags follow."""
    flags = tuple(make_flag(message=f"Flag message {i:02d}.") for i in range(16))
    summary = make_summary(flags=flags)
    if body_map:
        mark = MarkedRegion("upper_arm_left", "Left upper arm", "front", "left", 7)
        summary = replace(summary, body_map=(mark,), body_map_question="Where?")
    heights = text_heights(render_pdf(summary))
    page_height = report_pdf.PAGE_HEIGHT
    assert heights["Flag message 00."] > page_height / 2
    assert heights["Flags for the clinician (16)"] > page_height * 0.6
    assert heights["Jane Example"] > heights["Flags for the clinician (16)"]
    # The header, with the drawing beside it, takes no more than 80 mm above the first flag.
    assert heights["Jane Example"] - heights["Flag message 00."] < 80 * 72 / 25.4
    if not body_map:  # as it always was: a line or two under the age and language
        assert heights["Jane Example"] - heights["Flag message 00."] < 30 * 72 / 25.4


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


@pytest.mark.parametrize("count", [1, 3, 7])
def test_every_flag_gets_tick_boxes_and_initials_once(count: int) -> None:
    flags = tuple(make_flag(message=f"Flag message {i}.") for i in range(count))
    text = all_text(render_pdf(make_summary(flags=flags)))
    for word in ("discussed", "cleared", "defer"):
        assert text.count(f"☐ {word}") == count
    assert len(re.findall(r"Initials: _{6,}", text)) == count


def test_no_flags_no_tick_boxes() -> None:
    text = all_text(render_pdf(make_summary(flags=())))
    assert "☐" not in text
    assert "Initials" not in text


def test_three_flags_fit_on_page_one_with_their_tick_boxes() -> None:
    summary = make_typical_summary(
        patient_name="Maximiliana Wolfeschlegelsteinhausen-Bergerdorff", age=16
    )
    first = pages_text(render_pdf(summary))[0]
    assert "Maximiliana" in first
    assert "MINOR — guardian consent needed" in first
    assert "Flags for the clinician (3)" in first
    for flag in THREE_FLAGS:
        assert flag.level.word in first
        assert squash(flag.message) in squash(first)
    assert first.count("☐ defer") == 3
    assert len(re.findall(r"Initials: _{6,}", first)) == 3
    # The levels, in order: the most serious first.
    levels = [first.index(flag.level.word) for flag in THREE_FLAGS]
    assert levels == sorted(levels)


@pytest.mark.parametrize("longer", [0, 3, 6, 9, 12, 15])
def test_a_flag_is_never_split_from_its_tick_boxes(longer: int) -> None:
    # Enough flags to need a page break among them; a longer first message moves the
    # break to another place in a flag.
    flags = tuple(
        make_flag(message=f"Flag message {i:02d}." + " more words" * (longer if i == 0 else 0))
        for i in range(16)
    )
    pages = pages_text(render_pdf(make_summary(flags=flags)))
    assert len(pages) >= 2
    for text in pages:
        messages = len(re.findall(r"Flag message \d\d\.", text))
        assert text.count("☐ discussed") == messages


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


def test_pages_and_statements_shown_in_the_clinics_language_are_named() -> None:
    """A page or statement with no translation into the patient's language showed in
    English: the clinician is told which, since the check then measures English."""
    summary = make_summary(language="ar", language_name="العربية", clinic_language="en")
    summary = replace(
        summary,
        pages_viewed=("Page one title", "Page two title"),
        pages_untranslated=("Page two title",),
        checks=(replace(summary.checks[0], untranslated=True), summary.checks[1]),
    )
    text = all_text(render_pdf(summary))
    assert "1 page shown in English, not Arabic, for want of a translation" in text
    assert "1 statement shown in English, not Arabic" in text
    assert "Page two title — shown in English" in text
    assert "Page one title — shown" not in text
    # The statement's mark may wrap in its narrow cell.
    assert squash(text).count(squash("— shown in English")) == 2


def test_nothing_is_said_when_everything_was_translated() -> None:
    text = all_text(render_pdf(make_summary(language="ar", clinic_language="en")))
    assert "shown in English" not in text


def test_consent_title_version_text_and_signing() -> None:
    summary = make_summary(consent_text=("First paragraph of consent.", "Second paragraph."))
    text = all_text(render_pdf(summary))
    assert "Consent to dry needling" in text
    assert "consent-2026.11.1" in text
    assert "First paragraph of consent." in text
    assert "Second paragraph." in text
    assert "I agree to receive dry needling" in text
    assert "Signed 27 Nov 2026, 14:09" in text
    assert "NOT SIGNED" not in text
    assert "Not signed" not in text


# ------------------------------------------------------------------- signing


def test_signature_image_is_on_the_consent_page() -> None:
    pdf = render_pdf(make_summary())
    reader = PdfReader(io.BytesIO(pdf))
    consent = page_with(pdf, "I agree to receive dry needling")
    assert len(images_on(reader.pages[consent])) == 1
    # The only image in the document: nothing else is a picture.
    assert sum(len(images_on(page)) for page in reader.pages) == 1


@pytest.mark.parametrize(
    ("width", "height", "drawn_width", "drawn_height"),
    [
        # A wide pad fills the box's width (80 mm less 2 mm padding each side) ...
        (1200, 400, 76, 76 / 3),
        # ... a tall one its height (35 mm less padding); a tiny one is scaled up.
        (200, 400, 31 / 2, 31),
        (30, 10, 76, 76 / 3),
    ],
)
def test_signature_is_scaled_to_fit_keeping_its_aspect(
    width: int, height: int, drawn_width: float, drawn_height: float
) -> None:
    pdf = render_pdf(make_summary(signature_png=png_of_size(width, height)))
    page = PdfReader(io.BytesIO(pdf)).pages[page_with(pdf, "Record check")]
    ((w, h),) = drawn_image_sizes(page)
    mm = 72 / 25.4
    assert w == pytest.approx(drawn_width * mm, rel=0.01)
    assert h == pytest.approx(drawn_height * mm, rel=0.01)


def test_not_signed_says_so_in_the_box_and_the_signed_line() -> None:
    pdf = render_pdf(make_summary(signature_png=None, signed_at=None))
    text = all_text(pdf)
    assert "NOT SIGNED" in text
    assert "Not signed" in text
    assert "Signed 27 Nov" not in text
    assert "☑" not in text  # the agreement is not shown as given
    assert not any(images_on(page) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(
    "png",
    [
        b"",
        b"not a png at all",
        make_signature_png()[: len(make_signature_png()) // 2],  # cut off mid-data
        png_header_claiming(100_000, 100_000),  # would take gigabytes to decode
        png_header_claiming(0, 0),
    ],
    ids=["empty", "garbage", "truncated", "huge-header", "zero-size"],
)
def test_unreadable_signature_image_is_reported_not_fatal(png: bytes) -> None:
    pdf = render_pdf(make_summary(signature_png=png))
    text = all_text(pdf)
    assert "Signature image could not be read" in text
    assert "NOT SIGNED" not in text
    assert "Signed 27 Nov 2026, 14:09" in text
    assert not any(images_on(page) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_signature_far_larger_than_a_pad_is_refused() -> None:
    # A valid PNG of 20 megapixels: no pad makes that, and decoding it costs memory.
    text = all_text(render_pdf(make_summary(signature_png=png_of_size(5000, 4000))))
    assert "Signature image could not be read" in text


def test_transparent_signature_goes_onto_white() -> None:
    image = Image.new("RGBA", (60, 20), (0, 0, 0, 0))  # transparent black
    image.putpixel((5, 5), (10, 20, 30, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    decoded = decode_signature(out.getvalue())
    assert decoded is not None
    assert decoded.mode == "RGB"
    assert decoded.getpixel((0, 0)) == (255, 255, 255)
    assert decoded.getpixel((5, 5)) == (10, 20, 30)


def test_record_check_is_printed_grouped_on_the_consent_page() -> None:
    record_hash = make_record_hash("another record")
    pdf = render_pdf(make_summary(record_hash=record_hash))
    page = pages_text(pdf)[page_with(pdf, "I agree to receive dry needling")]
    groups = [record_hash[i : i + 8] for i in range(0, 64, 8)]
    assert "Record check (SHA-256):" in page
    # Groups of 8 in order, one space apart; four to a line.
    assert re.search(r"Record check \(SHA-256\):\s+" + r"\s+".join(groups), page)
    assert " ".join(groups[:4]) in page
    assert " ".join(groups[4:]) in page
    assert record_hash not in page  # never as one unbroken run
    assert squash(
        "This code is computed from the saved answers and signature; the same code from "
        "the saved record proves this copy matches it."
    ) in squash(page)


def test_record_check_prints_when_not_signed_too() -> None:
    pdf = render_pdf(make_summary(signature_png=None, signed_at=None))
    assert " ".join(make_record_hash()[i : i + 8] for i in (0, 8, 16, 24)) in all_text(pdf)


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


def test_consent_flows_after_a_short_list_instead_of_leaving_it_alone() -> None:
    pdf = render_pdf(make_typical_summary())
    pages = pages_text(pdf)
    # The bundled consent's last paragraph and the signature fill a fourth page.
    assert len(pages) == 4
    education = page_with(pdf, "Education pages viewed (8)")
    # The consent starts right after the list, on the same page ...
    assert page_with(pdf, "Consent to dry needling") == education
    assert "About dry needling." in pages[education]
    # ... and the list shares its page with more than itself.
    assert len(pages[education].splitlines()) > 30


@pytest.mark.parametrize("paragraphs", [1, 2, 6, 11, 17, 24, 40])
def test_signing_block_stays_together_with_the_last_paragraph(paragraphs: int) -> None:
    text = tuple(
        f"Paragraph P{i:02d}. " + "Consent words to fill a few lines of text. " * 6
        for i in range(paragraphs)
    )
    pdf = render_pdf(make_summary(consent_text=text))
    pages = pages_text(pdf)
    signing = page_with(pdf, "Record check (SHA-256)")
    for part in (
        f"P{paragraphs - 1:02d}",  # the last paragraph
        "I agree to receive dry needling",
        "Signed 27 Nov 2026, 14:09",
        "Signature",
        "This code is computed",
    ):
        assert part in pages[signing], part
    # The heading and title keep the first paragraph with them.
    heading = page_with(pdf, "Consent to dry needling")
    assert "P00" in pages[heading]
    if paragraphs >= 24:
        assert heading < signing  # long consent text does flow over pages


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
    png=st.one_of(st.none(), st.binary(max_size=300)),
    record_hash=st.text(max_size=80),
)
def test_any_text_builds(name: str, answer: str, png: bytes | None, record_hash: str) -> None:
    summary = make_summary(
        signature_png=png,
        record_hash=record_hash,
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


def test_built_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    builds = 0
    real_build = BaseDocTemplate.build

    def counting_build(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal builds
        builds += 1
        real_build(self, *args, **kwargs)

    monkeypatch.setattr(BaseDocTemplate, "build", counting_build)
    pages = pages_text(render_pdf(make_typical_summary()))
    assert builds == 1
    assert len(pages) > 1
    total = len(pages)
    assert [f"Page {n} of {total}" in text for n, text in enumerate(pages, start=1)] == [
        True
    ] * total


def test_remembered_line_breaks_change_nothing(
    invariant: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's Paragraph skips breaking lines again for the same width; the PDF
    must come out byte for byte as it does when every wrap breaks them anew."""
    summaries = [
        make_typical_summary(),
        make_summary(answers=(make_answer(answer="word " * 2000),)),  # splits over pages
        make_summary(flags=tuple(make_flag(message="m " * 30) for _ in range(16))),
        # A paragraph that finds no room for two lines is wrapped again on the next page.
        make_summary(consent_text=tuple(f"P{i} " + "Consent words. " * 24 for i in range(24))),
    ]
    remembered = [render_pdf(summary) for summary in summaries]
    monkeypatch.setattr(report_pdf.Paragraph, "wrap", report_pdf.Paragraph.__base__.wrap)
    assert [render_pdf(summary) for summary in summaries] == remembered


def test_remembered_line_breaks_are_per_width() -> None:
    prepare()
    paragraph = report_pdf.Paragraph("word " * 60)
    narrow = paragraph.wrap(100, 1000)
    wide = paragraph.wrap(400, 1000)
    assert wide[1] < narrow[1]
    assert paragraph.wrap(100, 1000) == narrow
    assert len(paragraph.blPara.lines) == narrow[1] / paragraph.style.leading


def test_prepare_registers_the_fonts_once_and_only_they_are_used() -> None:
    prepare()
    prepare()
    assert register_fonts.cache_info().currsize == 1
    bundled = {
        "AtkinsonHyperlegible",
        "AtkinsonHyperlegible-Bold",
        "NotoSansArabic",
        "NotoSansArabic-Bold",
        "DejaVuSans",
        "DejaVuSans-Bold",
        "DejaVuSansMono",
    }
    assert bundled <= set(pdfmetrics.getRegisteredFontNames())
    # The PDF names each bundled TTF it embeds by its PostScript name.
    embedded = {
        "/AAAAAA+AtkinsonHyperlegible-Regular",
        "/AAAAAA+AtkinsonHyperlegible-Bold",
        "/AAAAAA+NotoSansArabic-Regular",
        "/AAAAAA+NotoSansArabic-Bold",
        "/AAAAAA+DejaVuSans",
        "/AAAAAA+DejaVuSans-Bold",
        "/AAAAAA+DejaVuSansMono",
    }
    for png in (make_signature_png(), None, b"broken"):
        reader = PdfReader(io.BytesIO(render_pdf(make_summary(signature_png=png))))
        for page in reader.pages:
            resources: Any = page["/Resources"]  # pypdf types it as a bare PdfObject
            fonts = resources["/Font"].get_object()
            names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
            # Only bundled fonts (never a built-in Latin-1 one); Atkinson for the text.
            assert names <= embedded
            assert {
                "/AAAAAA+AtkinsonHyperlegible-Regular",
                "/AAAAAA+AtkinsonHyperlegible-Bold",
                "/AAAAAA+DejaVuSansMono",
            } <= names


def test_fonts_are_bundled() -> None:
    folder = _fonts_dir()
    assert folder == REPO / "kiosk" / "assets" / "fonts"
    for name in (
        "AtkinsonHyperlegible-Regular.ttf",
        "AtkinsonHyperlegible-Bold.ttf",
        "AtkinsonHyperlegible-OFL.txt",
        "NotoSansArabic-Regular.ttf",
        "NotoSansArabic-Bold.ttf",
        "NotoSansArabic-OFL.txt",
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSansMono.ttf",
        "LICENSE-DejaVu.txt",
    ):
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
