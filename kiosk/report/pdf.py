"""The clinician's PDF summary of one session, built from a plain ``Summary``.

Order on the page follows what a clinician needs first: who the patient is, then the
flags, then the evidence (where it hurts, answers, comprehension check, education), then
the consent. When places are marked on the body map, their drawing sits in the right-hand
side of the patient header, so it is on page 1 without pushing the flags far down.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Spacer,
    Table,
)

from kiosk.domain.summary import AnswerRow, FlagRow, Summary
from kiosk.report import styles as look
from kiosk.report.blocks import MIN_ROW_SPLIT, cell_table, heading, hex_of
from kiosk.report.blocks import muted as _muted
from kiosk.report.body import body_map_section, header_figure, header_key
from kiosk.report.consent import consent_banner, consent_marking, consent_section
from kiosk.report.fonts import Fonts
from kiosk.report.header import TITLE, PageDecor
from kiosk.report.page import (
    CREATOR,
    FRAME_WIDTH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Paragraph,
    body_frame,
    build_document,
    setup_fonts,
)
from kiosk.report.reading import checks_section, education_section
from kiosk.report.styles import LEVEL_LOOKS, Styles, build_styles
from kiosk.report.text import esc, format_date, language_label, plain

__all__ = [
    "CREATOR",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "TITLE",
    "Paragraph",
    "body_frame",
    "build_report",
    "prepare",
    "render_pdf",
]

# Answers longer than this (free text) print under their question, full width.
LONG_ANSWER = 160


def build_report(summary: Summary, out: BinaryIO) -> None:
    """Write the clinician's PDF summary of ``summary`` to ``out``, in one layout pass."""
    fonts = setup_fonts()
    build_document(
        out,
        _story(summary, build_styles(fonts), fonts),
        PageDecor(summary, fonts),
        fonts,
        4 * mm,
        # No patient data in the metadata: file browsers and print queues show it.
        title=TITLE,
        author=plain(summary.clinic_name),
        subject=plain(summary.document_id),
    )


def prepare() -> None:
    """Do the slow one-off work (registering the fonts) before the first patient needs it."""
    setup_fonts()


def render_pdf(summary: Summary) -> bytes:
    """The PDF summary as bytes."""
    buffer = io.BytesIO()
    build_report(summary, buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------- the story


def _story(summary: Summary, st: Styles, fonts: Fonts) -> list[Flowable]:
    return [
        # The body drawing, if any, is in the header: on page 1 however many flags follow.
        *_patient(summary, st, fonts),
        # Consent withheld: said before anything else the clinician reads.
        *consent_marking(summary, st),
        *_flags(summary.flags, st),
        # The table of marked places and scores: evidence, after the flags.
        *body_map_section(summary, st, fonts),
        *_answers(summary.answers, st),
        *checks_section(summary, st),
        *education_section(summary, st),
        *consent_section(summary, st, fonts),
    ]


HEADER_FIGURE_GAP = 6 * mm  # between the patient's details and the body drawing


def _patient(s: Summary, st: Styles, fonts: Fonts) -> list[Flowable]:
    """Name, date of birth, age, language (and the minor marker); with the body drawing
    on the right when places are marked."""
    figure = header_figure(s, fonts)
    if figure is None:
        return _patient_details(s, st, FRAME_WIDTH)
    side = figure.width + HEADER_FIGURE_GAP
    left = FRAME_WIDTH - side
    parts = _patient_details(s, st, left)
    above: list[Flowable] = []
    name = parts[0]
    _, name_height = name.wrap(left, PAGE_HEIGHT)
    if name_height > st.patient_name.leading * 1.5:
        # A name too long for one line beside the drawing keeps the full width above it
        # rather than break inside a word.
        above, parts = [name], parts[1:]
    return [
        *above,
        cell_table(
            st,
            [[[*parts, *header_key(s, st, fonts, left)], figure]],
            colWidths=[left, side],
            commands=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ],
            hAlign="LEFT",
        ),
    ]


def _patient_details(s: Summary, st: Styles, width: float) -> list[Flowable]:
    language = esc(language_label(s.language, s.language_name))
    meta = (
        f"Date of birth <b>{format_date(s.date_of_birth)}</b>"
        f"&nbsp;&nbsp;·&nbsp;&nbsp;Age <b>{s.age}</b>"
        f"&nbsp;&nbsp;·&nbsp;&nbsp;Patient's language: <b>{language}</b>"
    )
    parts: list[Flowable] = [
        Paragraph(esc(s.patient_name), st.patient_name),
        Paragraph(meta, st.patient_meta),
    ]
    banner = consent_banner(s, st, width)
    if banner is not None:
        parts += [Spacer(1, 3), banner]
    return parts


def _flags(flags: Sequence[FlagRow], st: Styles) -> list[Flowable]:
    if not flags:
        box = cell_table(
            st,
            [[Paragraph("✓ No precautions flagged", st.no_flags)]],
            colWidths=[FRAME_WIDTH],
            commands=(
                [
                    ("BOX", (0, 0), (-1, -1), 1, look.OK),
                    ("BACKGROUND", (0, 0), (-1, -1), look.OK_TINT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ]
            ),
        )
        return [*heading("Flags for the clinician", st.heading), box]
    return [
        *heading(f"Flags for the clinician ({len(flags)})", st.heading),
        *(_flag(flag, st) for flag in flags),
    ]


FLAG_BADGE_WIDTH = 40 * mm  # "CONTRAINDICATION" on one line
FLAG_DETAIL_PADDING = 8
FLAG_ACTIONS = ("discussed", "cleared", "defer")
BOX_SIZE = 14  # the tick boxes' font size: big enough to tick by pen


def _flag(flag: FlagRow, st: Styles) -> Flowable:
    level = LEVEL_LOOKS[flag.level]
    details: list[Flowable] = [
        Paragraph(esc(flag.message), st.flag_message),
        Paragraph(f"{_muted('Asked:')} {esc(flag.question)}", st.cell),
        Paragraph(f"{_muted('Answer:')} <b>{esc(flag.answer)}</b>", st.cell),
        _flag_actions(st, FRAME_WIDTH - FLAG_BADGE_WIDTH - FLAG_DETAIL_PADDING - 6),
    ]
    table = cell_table(
        st,
        [[Paragraph(level.word, st.badges[flag.level]), details]],
        colWidths=[FLAG_BADGE_WIDTH, FRAME_WIDTH - FLAG_BADGE_WIDTH],
        commands=(
            [
                # Boxes of consecutive flags meet on one line.
                ("BOX", (0, 0), (-1, -1), 1, look.TEXT),
                ("LINEAFTER", (0, 0), (0, 0), 0.5, look.TEXT),
                ("BACKGROUND", (0, 0), (0, 0), level.badge),
                ("BACKGROUND", (1, 0), (1, 0), level.tint),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (0, 0), 3),
                ("RIGHTPADDING", (0, 0), (0, 0), 3),
                ("LEFTPADDING", (1, 0), (1, 0), FLAG_DETAIL_PADDING),
            ]
        ),
        splitInRow=MIN_ROW_SPLIT,
    )
    # A flag moves to the next page whole rather than leave its tick boxes behind;
    # only one taller than a page splits.
    return KeepTogether([table])


def _flag_actions(st: Styles, width: float) -> Table:
    """What the clinician fills in by pen: tick boxes and initials, on a white strip."""
    box = f'<font size="{BOX_SIZE}">☐</font>'
    ticks = "&nbsp;&nbsp;&nbsp;&nbsp;".join(f"{box}&nbsp;{word}" for word in FLAG_ACTIONS)
    initials_width = 55 * mm
    return cell_table(
        st,
        [
            [
                Paragraph(ticks, st.flag_actions),
                Paragraph(f'Initials: <font size="{BOX_SIZE}">__________</font>', st.flag_actions),
            ]
        ],
        colWidths=[width - initials_width, initials_width],
        commands=(
            [
                ("BACKGROUND", (0, 0), (-1, -1), look.PAPER),
                ("LINEABOVE", (0, 0), (-1, 0), 0.5, look.RULE),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
        hAlign="LEFT",
        spaceBefore=4,
    )


def _answers(answers: Sequence[AnswerRow], st: Styles) -> list[Flowable]:
    parts: list[Flowable] = heading("Answers", st.heading)
    if not answers:
        return [*parts, Paragraph("No questions were answered.", st.body)]
    for section, rows in _by_section(answers):
        parts += heading(esc(section), st.subheading)
        parts += [_answer(row, st) for row in rows]
    return parts


def _answer(row: AnswerRow, st: Styles) -> Table:
    question = Paragraph(
        ("↳ " if row.depth > 0 else "") + esc(row.question),
        st.questions[min(max(row.depth, 0), len(st.questions) - 1)],
    )
    answer = _answer_text(row, st)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.4, look.GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]
    if len(row.answer) <= LONG_ANSWER:
        question_width = FRAME_WIDTH * 0.58
        if row.unsure:
            commands.append(("BACKGROUND", (1, 0), (1, 0), look.UNSURE_TINT))
        return cell_table(
            st,
            [[question, answer]],
            colWidths=[question_width, FRAME_WIDTH - question_width],
            commands=(commands),
            splitInRow=MIN_ROW_SPLIT,
        )
    # A long answer in the narrow answer column would be a tall ribbon of text; it
    # gets the full width under its question instead. Both share one cell, so the
    # question never ends a page without the start of its answer.
    if row.unsure:
        commands.append(("BACKGROUND", (0, 0), (0, 0), look.UNSURE_TINT))
    return cell_table(
        st,
        [[[question, answer]]],
        colWidths=[FRAME_WIDTH],
        commands=(commands),
        splitInRow=MIN_ROW_SPLIT,
    )


def _answer_text(row: AnswerRow, st: Styles) -> Paragraph:
    if len(row.answer) <= LONG_ANSWER:
        style = st.cell_bold
    else:
        style = st.long_answers[min(max(row.depth, 0), len(st.long_answers) - 1)]
    if not row.unsure:
        return Paragraph(esc(row.answer), style)
    marker = f'<font color="{hex_of(look.UNSURE)}"><b>? NOT SURE</b></font>'
    # The answer is in the patient's language; show it too unless it only repeats.
    if row.answer.strip().casefold() in {"", "not sure"}:
        return Paragraph(marker, style)
    return Paragraph(f"{marker} ({esc(row.answer)})", style)


def _by_section(answers: Sequence[AnswerRow]) -> list[tuple[str, list[AnswerRow]]]:
    """Runs of consecutive answers from the same section, in the order asked."""
    groups: list[tuple[str, list[AnswerRow]]] = []
    for row in answers:
        if groups and groups[-1][0] == row.section:
            groups[-1][1].append(row)
        else:
            groups.append((row.section, [row]))
    return groups
