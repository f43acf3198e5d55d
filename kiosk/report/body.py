"""Where it hurts, on the clinician's summary: the body drawn from the kiosk's own shapes.

The front and back outlines come from the same SVG files the patient tapped
(``kiosk/assets/body/*.svg``, read by ``kiosk.content.drawings``) and are drawn as vector paths
with ``reportlab.graphics``. Marked regions are shaded on a grey ramp (darker is
worse) that survives a greyscale printer, and each carries its number in a white disc,
so the score reads even where the shade is hard to judge. A legend and a table of the
marked regions follow.

The clinician reads the flags first, so they start right under the patient's name. The
drawing goes on page 1 without pushing them down far: a compact figure in the empty
right-hand side of the patient header (``header_figure``), with the legend beside it in
the header (``header_key``). The table of marked places, with their scores, comes after
the flags (``body_map_section``) and may flow onto page 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Group, Path, Rect, String
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from kiosk.content.drawings import bundled_drawing
from kiosk.domain.bodymap import SCORE_MAX, BodyDrawing, Shape
from kiosk.domain.summary import MarkedRegion, Summary
from kiosk.report import styles as look
from kiosk.report.bidi import RichParagraph
from kiosk.report.fonts import Fonts
from kiosk.report.styles import Styles
from kiosk.report.text import esc

HEADING = "Where it hurts"
FIGURE_HEIGHT = 82 * mm  # one view, from head to toe, when drawn on its own
#: The figure in the page-1 header: tall enough for a number in each marked place to sit
#: on its region and the R and L to read, short enough to leave the flags near the top.
HEADER_FIGURE_HEIGHT = 56 * mm
VIEW_GAP = 6 * mm
CAPTION_SPACE = 6 * mm  # under the figures: "Front", "Back"
SIDE_NOTE = "R and L: the patient's right and left"
NUMBER_SIZE = 7.5
DISC_RADIUS = 2.5 * mm
#: On a smaller figure the discs shrink with it, so that they leave some of a small
#: region's shade showing, but never below this share: the number must still read.
SMALLEST_DISC = 0.74
OUTLINE = HexColor("#333333")
EDGE = HexColor("#9A9A9A")  # the lines between regions
UNMARKED = white
NO_SCORE = HexColor("#CFCFCF")  # marked, but the patient gave no number
LABEL = HexColor("#444444")
#: Lightness of the shade at score 0 and at score 10 (0 black, 1 white). The darkest
#: shade still leaves the black number in its white disc readable.
LIGHTEST, DARKEST = 0.9, 0.3


def shade(score: int | None) -> Color:
    """The grey of a marked region: lighter for less pain, darker for more."""
    if score is None:
        return NO_SCORE
    level = LIGHTEST - (LIGHTEST - DARKEST) * score / SCORE_MAX
    return Color(level, level, level)


def header_figure(summary: Summary, fonts: Fonts) -> Drawing | None:
    """The compact front and back drawing for the page-1 header; None when nothing is marked."""
    if not summary.body_map:
        return None
    return body_figure(summary.body_map, fonts, HEADER_FIGURE_HEIGHT)


def header_key(summary: Summary, st: Styles, fonts: Fonts, width: float) -> list[Flowable]:
    """What the header says beside the drawing: what it is, R and L, the grey ramp."""
    if not summary.body_map:
        return []
    count = len(summary.body_map)
    places = "1 place" if count == 1 else f"{count} places"
    return [
        Spacer(1, 3 * mm),
        RichParagraph(
            f"<b>{HEADING}</b>: {places} marked, drawn on the right. "
            "The table of places and scores follows the flags.",
            st.small,
        ),
        RichParagraph(f"{SIDE_NOTE}.", st.small),
        Spacer(1, 1.5 * mm),
        legend(fonts, min(width, 62 * mm)),
    ]


#: The table's heading moves to the next page unless a few rows fit under it.
KEEP_WITH_TABLE_HEADING = 90


def body_map_section(summary: Summary, st: Styles, fonts: Fonts) -> list[Flowable]:
    """The heading and the table of marked places, worst first; nothing without a body map.

    It comes after the flags; the drawing itself is in the page-1 header.
    """
    if not summary.body_map:
        return []
    marks = summary.body_map
    frame_width = 174 * mm  # A4 less the report's margins
    question = RichParagraph(f"{esc(summary.body_map_question)}", st.small)
    return [
        CondPageBreak(KEEP_WITH_TABLE_HEADING),
        RichParagraph(f"{HEADING} ({len(marks)})", st.heading),
        question,
        Spacer(1, 2 * mm),
        _region_table(marks, st, min(frame_width, 130 * mm)),
        Spacer(1, 2 * mm),
        RichParagraph(
            f"{SIDE_NOTE}. Front view: the patient's right is on your left. "
            "The drawing is on page 1.",
            st.small,
        ),
    ]


# ------------------------------------------------------------------ the drawing


def body_figure(
    marks: Sequence[MarkedRegion], fonts: Fonts, height: float = FIGURE_HEIGHT
) -> Drawing:
    """Front and back side by side, marked regions shaded and numbered; ``height`` is one
    view's, head to toe, without the captions under it."""
    views = [(view, bundled_drawing(view)) for view in ("front", "back")]
    scale = height / max(_body_height(d) for _, d in views)
    widths = [_body_width(d) * scale for _, d in views]
    drawing = Drawing(sum(widths) + VIEW_GAP, height + CAPTION_SPACE)
    x = 0.0
    for (view, body), width in zip(views, widths, strict=True):
        disc = min(1.0, max(SMALLEST_DISC, height / FIGURE_HEIGHT))
        view_marks = [m for m in marks if m.view == view]
        group = _view(body, view_marks, scale, x, CAPTION_SPACE, fonts, disc)
        drawing.add(group)
        _captions(drawing, view, x, width, height, fonts)
        x += width + VIEW_GAP
    return drawing


def _body_height(body: BodyDrawing) -> float:
    _, y0, _, y1 = body.outline.bounds
    return y1 - y0


def _body_width(body: BodyDrawing) -> float:
    x0, _, x1, _ = body.outline.bounds
    return x1 - x0


def _view(
    body: BodyDrawing,
    marks: Sequence[MarkedRegion],
    scale: float,
    left: float,
    bottom: float,
    fonts: Fonts,
    disc: float = 1.0,
) -> Group:
    """One view: every region (white, or shaded when marked), the outline, the numbers
    (in discs and type ``disc`` times their full size)."""
    radius, size = DISC_RADIUS * disc, NUMBER_SIZE * disc
    x0, _, _, y1 = body.outline.bounds

    def at(point: tuple[float, float]) -> tuple[float, float]:
        # SVG y grows downwards, PDF y upwards; the silhouette's feet sit on ``bottom``.
        return left + (point[0] - x0) * scale, bottom + (y1 - point[1]) * scale

    by_id = {m.region_id: m for m in marks}
    group = Group()
    for region_id, shape in body.regions.items():
        mark = by_id.get(region_id)
        fill = UNMARKED if mark is None else shade(mark.score)
        group.add(_path(shape, at, fill=fill, stroke=EDGE, width=0.35))
    group.add(_path(body.outline, at, fill=None, stroke=OUTLINE, width=0.9))
    placed = [
        (mark, at(body.regions[mark.region_id].label_point))
        for mark in marks
        if mark.region_id in body.regions
    ]
    for mark, (cx, cy) in zip(
        [m for m, _ in placed], spread([p for _, p in placed], 2 * radius + 0.6), strict=True
    ):
        group.add(Circle(cx, cy, radius, fillColor=white, strokeColor=OUTLINE, strokeWidth=0.5))
        text = "?" if mark.score is None else str(mark.score)
        group.add(
            String(
                cx,
                cy - size * 0.35,
                text,
                fontName=fonts.bold,
                fontSize=size,
                fillColor=look.TEXT,
                textAnchor="middle",
            )
        )
    return group


def spread(points: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Points nudged apart until no two are closer than ``gap`` (a few rounds at most).

    Neighbouring small regions (the neck and the top of the shoulder) would otherwise
    stack their numbers on top of each other.
    """
    out = list(points)
    for _ in range(20):
        moved = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                (ax, ay), (bx, by) = out[i], out[j]
                dx, dy = bx - ax, by - ay
                distance = (dx * dx + dy * dy) ** 0.5
                if distance >= gap:
                    continue
                if distance < 1e-6:
                    dx, dy, distance = 1.0, 0.0, 1.0
                push = (gap - distance) / 2 + 0.01
                ux, uy = dx / distance * push, dy / distance * push
                out[i], out[j] = (ax - ux, ay - uy), (bx + ux, by + uy)
                moved = True
        if not moved:
            break
    return out


def _path(shape: Shape, at: Any, *, fill: Color | None, stroke: Color, width: float) -> Path:
    """A shape's subpaths as one ReportLab path (quadratic curves raised to cubic)."""
    path = Path(
        fillColor=fill,
        strokeColor=stroke,
        strokeWidth=width,
        strokeLineJoin=1,
        fillMode=0,  # even-odd, as the core's hit test
    )
    for subpath in shape.subpaths:
        current = (0.0, 0.0)
        for command in subpath:
            if command.op == "M":
                current = command.points[0]
                path.moveTo(*at(current))
            elif command.op == "L":
                current = command.points[0]
                path.lineTo(*at(current))
            elif command.op == "Q":
                (qx, qy), end = command.points
                c1 = (
                    current[0] + 2 / 3 * (qx - current[0]),
                    current[1] + 2 / 3 * (qy - current[1]),
                )
                c2 = (end[0] + 2 / 3 * (qx - end[0]), end[1] + 2 / 3 * (qy - end[1]))
                path.curveTo(*at(c1), *at(c2), *at(end))
                current = end
            elif command.op == "C":
                c1, c2, end = command.points
                path.curveTo(*at(c1), *at(c2), *at(end))
                current = end
            elif command.op == "Z":
                path.closePath()
    return path


def _captions(
    drawing: Drawing, view: str, left: float, width: float, height: float, fonts: Fonts
) -> None:
    """ "Front" or "Back" under a view, and big R and L beside its head: the patient's own
    right and left (seen from the front, the patient's right is on the reader's left)."""
    near, far = ("R", "L") if view == "front" else ("L", "R")
    drawing.add(
        String(
            left + width / 2,
            CAPTION_SPACE - 4 * mm,
            "Front" if view == "front" else "Back",
            fontName=fonts.bold,
            fontSize=8.5,
            fillColor=look.TEXT,
            textAnchor="middle",
        )
    )
    top = CAPTION_SPACE + height - 5 * mm
    for anchor, x, letter in (("start", left, near), ("end", left + width, far)):
        drawing.add(
            String(
                x,
                top,
                letter,
                fontName=fonts.bold,
                fontSize=10,
                fillColor=look.TEXT,
                textAnchor=anchor,
            )
        )


# ------------------------------------------------------------------ legend and table


def legend(fonts: Fonts, width: float) -> Drawing:
    """The grey ramp with its numbers: 0 (no pain) to 10 (worst)."""
    steps = SCORE_MAX + 1
    box = min(width / steps, 7 * mm)
    height = box + 9 * mm
    drawing = Drawing(box * steps, height)
    drawing.add(
        String(
            0,
            height - 8,
            "Pain score: shade and number on each marked place",
            fontName=fonts.regular,
            fontSize=7,
            fillColor=LABEL,
        )
    )
    top = height - 3.6 * mm - box
    for score in range(steps):
        drawing.add(
            Rect(
                score * box,
                top,
                box,
                box,
                fillColor=shade(score),
                strokeColor=OUTLINE,
                strokeWidth=0.4,
            )
        )
        drawing.add(
            String(
                score * box + box / 2,
                top - 7,
                str(score),
                fontName=fonts.regular,
                fontSize=6.5,
                fillColor=look.TEXT,
                textAnchor="middle",
            )
        )
    return drawing


def _region_table(marks: Sequence[MarkedRegion], st: Styles, width: float) -> Table:
    """The marked regions, worst first, with their scores and the view they are on."""
    ordered = sorted(marks, key=lambda m: -1 if m.score is None else m.score, reverse=True)
    head = [
        RichParagraph("Marked place (patient's words)", st.cell_head),
        RichParagraph("View", st.cell_head),
        RichParagraph("Pain 0 to 10", st.cell_head),
    ]
    rows: list[list[Any]] = [head]
    for mark in ordered:
        score = "no number given" if mark.score is None else f"<b>{mark.score}</b>"
        rows.append(
            [
                RichParagraph(esc(mark.name), st.cell),
                RichParagraph(mark.view.capitalize(), st.cell),
                RichParagraph(score, st.cell),
            ]
        )
    score_width = 22 * mm
    view_width = 13 * mm
    return Table(
        rows,
        colWidths=[width - score_width - view_width, view_width, score_width],
        repeatRows=1,
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st.cell.fontName, st.cell.fontSize),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, look.RULE),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, look.GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        ),
        hAlign="LEFT",
    )


__all__ = [
    "HEADING",
    "body_figure",
    "body_map_section",
    "header_figure",
    "header_key",
    "legend",
    "shade",
]
