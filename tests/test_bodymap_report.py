"""The body map on the clinician's PDF: drawn from the kiosk's own shapes, legible in grey."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader, mult
from reportlab.graphics.shapes import Path as RLPath
from reportlab.graphics.shapes import String

from kiosk.content.drawings import bundled_drawing
from kiosk.domain.model import Content
from kiosk.domain.summary import MarkedRegion, Summary
from kiosk.interop import fhir
from kiosk.report.body import body_figure, shade
from kiosk.report.fonts import register_fonts
from kiosk.report.pdf import PAGE_HEIGHT, PAGE_WIDTH, render_pdf
from kiosk.saving import render_record
from tests.factories import make_flag, make_summary

MARKS = (
    MarkedRegion("neck_back", "Back of the neck", "back", None, 4),
    MarkedRegion("upper_arm_left", "Left upper arm", "front", "left", 7),
    MarkedRegion("upper_back_right", "Right upper back", "back", "right", 10),
    MarkedRegion("calf_left", "Left calf", "back", "left", None),
)


def with_marks(marks: tuple[MarkedRegion, ...] = MARKS, flag_count: int = 1) -> Summary:
    flags = tuple(make_flag(message=f"Flag message {i:02d}.") for i in range(flag_count))
    return replace(
        make_summary(flags=flags),
        body_map=marks,
        body_map_question="Where do you have pain? Tap each place on the body.",
    )


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def placed_text(pdf: bytes, page: int = 0) -> list[tuple[float, float, str]]:
    """Each piece of text on a page with where it starts (x, y from the bottom, points)."""
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            matrix = mult(tm, cm)
            found.append((matrix[4], matrix[5], text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def y_of(placed: list[tuple[float, float, str]], start: str) -> float:
    (y,) = [y for _, y, text in placed if text.startswith(start)][:1]
    return y


def test_page_one_shows_the_flags_first_then_where_it_hurts() -> None:
    first = page_texts(render_pdf(with_marks()))[0]
    assert "Where it hurts (4)" in first
    assert "Where do you have pain? Tap each place on the body." in first
    for words in ("Left upper arm", "Right upper back", "Back of the neck", "Left calf"):
        assert words in first
    assert "no number" in first
    assert "R and L: the patient's right and left" in first
    assert "Front" in first
    assert "Back" in first
    assert "Pain score" in first
    # The clinician reads the flags first; the table of places is evidence, after them.
    assert first.index("Flags for the clinician") < first.index("Where it hurts (4)")
    assert first.index("Flag message 00.") < first.index("Marked place (patient's words)")


@pytest.mark.parametrize("flag_count", [1, 3, 16])
def test_the_first_flag_starts_in_the_top_half_of_page_one(flag_count: int) -> None:
    placed = placed_text(render_pdf(with_marks(flag_count=flag_count)))
    assert y_of(placed, "Flags for the clinician") > PAGE_HEIGHT * 0.6
    assert y_of(placed, "Flag message 00.") > PAGE_HEIGHT / 2
    # Right under the header: not below the drawing's captions by more than a heading.
    assert y_of(placed, "Jane Example") - y_of(placed, "Flag message 00.") < 90 * 72 / 25.4


@pytest.mark.parametrize("flag_count", [0, 16])
def test_the_drawing_is_on_page_one_beside_the_header_however_many_flags(
    flag_count: int,
) -> None:
    pdf = render_pdf(with_marks(flag_count=flag_count))
    placed = placed_text(pdf)
    # Top right of page 1, beside the patient's name and above the flags heading.
    flags_heading = y_of(placed, "Flags for the clinician")
    drawn = {text for x, y, text in placed if x > PAGE_WIDTH / 2 and y > flags_heading}
    assert {"Front", "Back", "4", "7", "10", "?", "R", "L"} <= drawn, placed
    if flag_count:
        assert len(PdfReader(io.BytesIO(pdf)).pages) > 2
        # Then the flags flow on; the table follows them, a page or more later.
        assert "Where it hurts (4)" not in page_texts(pdf)[0]


def not_sure_record_pdf(content: Content) -> bytes:
    """The golden record whose body-map answer is "Not sure", rendered as saved."""
    source = Path(__file__).parent / "data" / "pain-not-sure.response.json"
    record = fhir.parse_response(content, json.loads(source.read_text(encoding="utf-8")))
    return render_record(content, record, "Golden Clinic")


def test_nothing_marked_nothing_drawn(content: Content) -> None:
    for pdf in (
        render_pdf(make_summary()),
        render_pdf(replace(make_summary(), body_map_question="Where?")),
        not_sure_record_pdf(content),
    ):
        placed = placed_text(pdf)
        assert not [text for _, _, text in placed if text in {"Front", "Back", "R", "L"}]
        assert "Pain score" not in page_texts(pdf)[0]
        assert "Where it hurts" not in "".join(page_texts(pdf))
        # No shaded or outlined body: the page has no curves at all.
        contents = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
        assert contents is not None
        assert b" c\n" not in contents.get_data()


def test_the_table_lists_the_worst_first() -> None:
    first = page_texts(render_pdf(with_marks()))[0]
    order = [first.index(w) for w in ("Right upper back", "Left upper arm", "Back of the neck")]
    assert order == sorted(order)
    assert first.index("Left calf") > order[-1]  # no number: last


def test_no_body_map_no_section() -> None:
    text = "".join(page_texts(render_pdf(make_summary())))
    assert "Where it hurts" not in text


def test_patient_words_in_any_language_reach_the_table() -> None:
    spanish = (MarkedRegion("shoulder_left", "Hombro izquierdo", "front", "left", 6),)
    first = page_texts(render_pdf(with_marks(spanish)))[0]
    assert "Hombro izquierdo" in first


def test_the_shade_darkens_with_the_score_and_is_grey() -> None:
    levels = [shade(score) for score in range(11)]
    for colour in levels:
        assert colour.red == colour.green == colour.blue
    lightness = [c.red for c in levels]
    assert lightness == sorted(lightness, reverse=True)
    assert lightness[0] < 0.95, "0 must still differ from an unmarked (white) region"
    assert lightness[0] - lightness[10] > 0.5, "the ramp must span enough grey to print"


def test_the_figure_draws_every_region_of_both_views_and_numbers_the_marked() -> None:
    figure = body_figure(MARKS, register_fonts())
    paths = [p for p in _walk(figure) if isinstance(p, RLPath)]
    regions = len(bundled_drawing("front").regions) + len(bundled_drawing("back").regions)
    assert len(paths) == regions + 2  # every region and the two outlines
    shaded = [p for p in paths if p.fillColor is not None and p.fillColor.red < 0.99]
    assert len(shaded) == len(MARKS)
    texts = {s.text for s in _walk(figure) if isinstance(s, String)}
    assert {"4", "7", "10", "?", "R", "L", "Front", "Back"} <= texts


def _walk(node: Any) -> Iterator[Any]:
    for child in getattr(node, "contents", []):
        yield child
        yield from _walk(child)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_page_one_rendered_in_grey_shows_the_shading(tmp_path: Path) -> None:
    """Rendered like a greyscale printout, a 10 is clearly darker than a 0 in the same place."""

    def page_one(score: int) -> Image.Image:
        marks = (MarkedRegion("upper_back_right", "Right upper back", "back", "right", score),)
        pdf = tmp_path / f"s{score}.pdf"
        pdf.write_bytes(render_pdf(with_marks(marks)))
        out = tmp_path / f"s{score}"
        subprocess.run(
            ["pdftoppm", "-png", "-gray", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(out)],
            check=True,
        )
        (png,) = tmp_path.glob(f"s{score}*.png")
        return Image.open(png).convert("L")

    worst, none = page_one(10), page_one(0)
    assert worst.size == none.size
    difference = ImageChops.difference(worst, none).point(lambda v: 255 if v > 100 else 0)
    changed = difference.histogram()[255]
    # The upper back is about 3.5 x 7 mm on paper in the page-1 figure, less its number's
    # disc: a couple of hundred pixels at 100 dpi, each at least 100 grey levels darker.
    assert changed > 150, changed
