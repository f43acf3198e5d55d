"""Arabic in the PDFs: shaped letters, display order, line order and font fallback.

The expected code points are worked out by hand from the Unicode tables (the
presentation forms of each letter) and the bidirectional algorithm, not copied from
the output.
"""

from __future__ import annotations

import collections
import io
import unicodedata
from typing import Any

import pytest
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from kiosk.report.bidi import (
    RichParagraph,
    base_is_rtl,
    font_runs,
    has_rtl,
    layout,
    mirrored_style,
    shape,
    text_width,
    visual_line,
    visual_order,
)
from kiosk.report.fonts import register_fonts

# "Salaam" (peace): seen, lam, alef, meem.
SALAAM = "\u0633\u0644\u0627\u0645"
# "I agree to the treatment" (4 words), used for line order below.
AGREE = "أوافق على العلاج بالإبر الجافة"


def cps(text: str) -> list[str]:
    return [f"{ord(c):04X}" for c in text]


def test_shaping_picks_joined_forms_and_the_lam_alef_ligature() -> None:
    # seen initial (FEB3), lam+alef as one final-form ligature (FEFC), meem isolated
    # (FEE1): alef never joins the letter after it.
    assert cps(shape(SALAAM)) == ["FEB3", "FEFC", "FEE1"]
    assert cps(shape("\u0644\u0627")) == ["FEFB"]  # lam-alef alone: isolated ligature
    assert shape("Jane Doe, 12") == "Jane Doe, 12"  # nothing else is touched


def test_a_word_is_drawn_right_to_left_and_words_in_reverse_order() -> None:
    # "ba la": beh initial + alef final, space, lam-alef isolated.
    assert cps(visual_line("\u0628\u0627 \u0644\u0627")) == ["FEFB", "0020", "FE8E", "FE91"]
    assert cps(visual_line(SALAAM)) == ["FEE1", "FEFC", "FEB3"]


def test_latin_and_numbers_inside_arabic_keep_their_own_order() -> None:
    line = visual_line(f"{SALAAM} 123 abc", rtl=True)
    assert line == "abc 123 " + shape(SALAAM)[::-1]
    # In a left-to-right line the Arabic run is reversed on its own.
    assert visual_line(f"Name: {SALAAM}", rtl=False) == "Name: " + shape(SALAAM)[::-1]


def test_brackets_around_latin_in_arabic_are_mirrored_so_they_still_enclose_it() -> None:
    line = visual_line(f"{SALAAM} (Ibuprofen) {SALAAM}", rtl=True)
    assert "(Ibuprofen)" in line


@pytest.mark.parametrize(
    ("text", "rtl"),
    [
        (f"{SALAAM} 123 abc", None),
        ("Name: أحمد علي", False),
        ("أحمد، هل أنت بخير؟", None),
        (AGREE + " 2026", True),
        ("x = 5; y = 10", None),
    ],
)
def test_visual_order_agrees_with_python_bidi(text: str, rtl: bool | None) -> None:
    """``visual_order`` runs python-bidi's algorithm step by step, to keep each
    character's style; its order must be the library's own (no brackets here: the
    library's one-call form leaves mirroring to the renderer)."""
    base = None if rtl is None else ("R" if rtl else "L")
    assert visual_line(text, rtl) == get_display(shape(text), base_dir=base)
    order = visual_order(shape(text), rtl)
    assert sorted(i for i, _c in order) == list(range(len(shape(text))))


def test_direction_and_detection() -> None:
    assert has_rtl(f"Jane {SALAAM}")
    assert not has_rtl("José Ñúñez, Ωμέγα")
    assert base_is_rtl(f"{SALAAM} abc")
    assert not base_is_rtl(f"abc {SALAAM}")


def test_fallback_fonts_per_character() -> None:
    fonts = register_fonts()
    runs = font_runs(f"Jane ☐ {shape(SALAAM)}", fonts.bold, fonts)
    assert runs == [
        (fonts.bold, "Jane "),
        (fonts.fallback_bold, "☐"),
        (fonts.bold, " "),
        (fonts.arabic_bold, shape(SALAAM)),
    ]


def _lines(frags: list[object]) -> list[str]:
    lines = [""]
    for frag in frags:
        if hasattr(frag, "lineBreak"):
            lines.append("")
        else:
            lines[-1] += frag.text  # type: ignore[attr-defined]
    return lines


def test_lines_are_wrapped_in_reading_order_then_each_reordered() -> None:
    """The first words of the paragraph are on its first (top) line: wrapping first
    and reordering after. Reordering the whole paragraph first would put them last."""
    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.regular, fontSize=12, leading=16)
    paragraph = RichParagraph(" ".join([AGREE] * 4), style, direction="rtl")
    words = AGREE.split()
    # Narrow enough for a line of about two words.
    frags = layout(paragraph.frags, 90, True, fonts)
    lines = _lines(frags)
    assert len(lines) >= 6
    # Each line read back in reading order (reversed display order), letters unshaped.
    read = [unicodedata.normalize("NFKC", line[::-1]) for line in lines]
    assert read[0].startswith(unicodedata.normalize("NFKC", words[0]))
    assert read[-1].endswith(unicodedata.normalize("NFKC", words[-1]))
    rejoined = " ".join(read)
    assert rejoined == unicodedata.normalize("NFKC", " ".join([AGREE] * 4))


def test_markup_styles_follow_their_characters_through_the_reordering() -> None:
    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.regular, fontSize=12, leading=16)
    paragraph = RichParagraph(f"<b>{SALAAM}:</b> Jane", style, direction="rtl")
    frags = layout(paragraph.frags, 400, True, fonts)
    pieces = [(f.fontName, f.text) for f in frags]
    # Display order, left to right: the Latin word (with the space before it in reading
    # order), then the bold label's colon (it ends a right-to-left run, so it is on the
    # run's left) and the bold Arabic word, in the Arabic font's bold.
    assert pieces == [
        (fonts.regular, "Jane "),
        (fonts.bold, ":"),
        (fonts.arabic_bold, shape(SALAAM)[::-1]),
    ]


def test_an_arabic_paragraph_renders_right_aligned_with_the_arabic_font() -> None:
    fonts = register_fonts()
    style = mirrored_style(ParagraphStyle("t", fontName=fonts.regular, fontSize=12, leading=16))
    assert style.alignment == TA_RIGHT
    out = io.BytesIO()
    SimpleDocTemplate(out).build([RichParagraph(" ".join([AGREE] * 6), style, direction="rtl")])
    page = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    text = unicodedata.normalize("NFKC", page.extract_text())
    for word in AGREE.split():
        assert unicodedata.normalize("NFKC", word) in text
    resources: Any = page["/Resources"]  # pypdf types it as a bare PdfObject
    fonts_used = {str(f.get_object()["/BaseFont"]) for f in resources["/Font"].values()}
    assert "/AAAAAA+NotoSansArabic-Regular" in fonts_used


_ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"  # Arabic letters
    "ءآأإة"  # hamza forms, ta marbuta
    "abcXYZñé"  # Latin
    "0123456789\u0660\u0661\u0662"  # European and Arabic-Indic digits
    " ,.:;!?،؟()[]-/%"  # punctuation, brackets, spaces
)


def _canonical(text: str) -> collections.Counter[str]:
    """The characters, brackets folded (mirroring swaps them), spaces left out, letters
    back from their presentation forms (NFKC)."""
    folded = unicodedata.normalize("NFKC", text).translate(str.maketrans("()[]", "(([["))
    return collections.Counter(c for c in folded if not c.isspace())


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, min_size=1, max_size=120), width=st.integers(40, 300))
def test_any_mixed_text_wraps_within_width_and_keeps_every_character(text: str, width: int) -> None:
    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.regular, fontSize=10, leading=13)
    paragraph = RichParagraph(text + " \u0627", style)  # one Arabic letter: the bidi path
    frags = layout(paragraph.frags, width, True, fonts)
    lines = _lines(frags)
    for line in lines:
        # A line is wider than the width only when it is one character.
        assert len(line.strip()) <= 1 or text_width(line, fonts.regular, 10) <= width + 0.01
    assert _canonical("".join(lines)) == _canonical(shape(text + " \u0627"))


def test_code_points_without_a_bidi_class_do_not_stop_the_layout() -> None:
    """Python 3.11's Unicode data leaves newer code points (here a Khitan letter,
    U+18CD6) without a bidi class, and python-bidi asserts on them; found by the
    report's any-text fuzz test with a patient name of 'NKo sign + Khitan letter'."""
    text = "\u07fe\U00018cd6 abc"
    order = visual_order(text, None)
    assert sorted(i for i, _c in order) == list(range(len(text)))
    assert {c for _i, c in order} == set(text)
