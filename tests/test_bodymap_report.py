"""The body map on the clinician's PDF: drawn from the kiosk's own shapes, legible in grey."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from reportlab.graphics.shapes import Path as RLPath
from reportlab.graphics.shapes import String

from kiosk.core.bodymap import bundled_drawing
from kiosk.core.summary import MarkedRegion, Summary
from kiosk.report.body import body_figure, shade
from kiosk.report.fonts import register_fonts
from kiosk.report.pdf import render_pdf
from tests.factories import make_summary

MARKS = (
    MarkedRegion("neck_back", "Back of the neck", "back", None, 4),
    MarkedRegion("upper_arm_left", "Left upper arm", "front", "left", 7),
    MarkedRegion("upper_back_right", "Right upper back", "back", "right", 10),
    MarkedRegion("calf_left", "Left calf", "back", "left", None),
)


def with_marks(marks: tuple[MarkedRegion, ...] = MARKS) -> Summary:
    return replace(
        make_summary(),
        body_map=marks,
        body_map_question="Where do you have pain? Tap each place on the body.",
    )


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_page_one_shows_where_it_hurts_before_the_flags() -> None:
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
    assert first.index("Where it hurts") < first.index("Flags for the clinician")


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
    # The upper back is about 5 x 10 mm on paper: several hundred pixels at 100 dpi,
    # each at least 100 grey levels darker.
    assert changed > 300, changed
