"""Colours and paragraph styles of the report, all made in one place.

Every paragraph style derives from ``body`` through ``parent=``, so a change of base
font or size carries through the whole document.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle

from kiosk.domain.model import Level
from kiosk.report.bidi import mirrored_style
from kiosk.report.fonts import Fonts

TEXT = HexColor("#1A1A1A")
MUTED = HexColor("#555555")
RULE = HexColor("#9A9A9A")
GRID = HexColor("#D0D0D0")
OK = HexColor("#1B6E2E")
OK_TINT = HexColor("#E6F4E9")
UNSURE = HexColor("#8A4B00")
UNSURE_TINT = HexColor("#FFF4DC")
ALERT = HexColor("#B3261E")
MISUNDERSTOOD = ALERT
MISUNDERSTOOD_TINT = HexColor("#FCE8E6")
HEADER_TINT = HexColor("#EFEFEF")
PAPER = white  # where the clinician writes by pen


@dataclass(frozen=True)
class LevelLook:
    """How a flag level shows: always a word, and a colour to back it up."""

    word: str
    badge: Color  # the badge's background
    badge_text: Color
    tint: Color  # the background of the flag's details


# Printed in grey the badges still differ, darkest for the most serious: red prints
# dark grey, amber mid grey, pale blue light grey.
LEVEL_LOOKS: dict[Level, LevelLook] = {
    Level.CONTRAINDICATION: LevelLook("CONTRAINDICATION", ALERT, white, HexColor("#FCE8E6")),
    # Amber is too light for white text, so the word is printed in black.
    Level.PRECAUTION: LevelLook("PRECAUTION", HexColor("#F2A900"), TEXT, HexColor("#FFF4DC")),
    Level.NOTE: LevelLook("NOTE", HexColor("#C7DAF3"), HexColor("#12386B"), HexColor("#EEF4FB")),
}


FOLLOW_UP_INDENT = 14  # points per level of follow-up
MAX_DEPTH = 3  # deeper follow-ups indent no further


@dataclass(frozen=True)
class Styles:
    """Every paragraph style the report uses."""

    body: ParagraphStyle
    small: ParagraphStyle
    patient_name: ParagraphStyle
    patient_meta: ParagraphStyle
    minor: ParagraphStyle
    consent_marking: ParagraphStyle  # consent withheld: the first thing on page 1
    consent_marking_note: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    cell: ParagraphStyle
    questions: tuple[ParagraphStyle, ...]  # by depth: follow-ups indent
    long_answers: tuple[ParagraphStyle, ...]  # by depth, under the question
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    badges: dict[Level, ParagraphStyle]  # the level word, coloured to sit on its badge
    flag_message: ParagraphStyle
    no_flags: ParagraphStyle
    bullet: ParagraphStyle
    consent: ParagraphStyle
    consent_title: ParagraphStyle
    signature_label: ParagraphStyle
    flag_actions: ParagraphStyle  # the clinician's tick boxes under each flag
    record_check: ParagraphStyle  # the label of the record's SHA-256
    record_code: ParagraphStyle  # the SHA-256 itself, in groups (the mono font is set inline)


def build_styles(fonts: Fonts) -> Styles:
    """Make all paragraph styles from one base style."""
    body = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=9.5,
        leading=12.5,
        textColor=TEXT,
        spaceAfter=3,
        bulletFontName=fonts.regular,  # Helvetica's "•" extracts as \x7f
        splitLongWords=1,  # ReportLab's default already; stated because we rely on it
    )
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0)
    cell_bold = ParagraphStyle("cell_bold", parent=cell, fontName=fonts.bold)
    heading = ParagraphStyle(
        "heading",
        parent=body,
        fontName=fonts.bold,
        fontSize=12.5,
        leading=15,
        spaceBefore=12,
        spaceAfter=5,
    )
    badge = ParagraphStyle("badge", parent=cell_bold, fontSize=9, leading=11, alignment=TA_CENTER)
    return Styles(
        body=body,
        small=small,
        patient_name=ParagraphStyle(
            "patient_name",
            parent=body,
            fontName=fonts.bold,
            fontSize=20,
            leading=24,
            spaceAfter=2,
        ),
        patient_meta=ParagraphStyle(
            "patient_meta", parent=body, fontSize=10.5, leading=14, spaceAfter=2
        ),
        minor=ParagraphStyle(
            "minor",
            parent=body,
            fontName=fonts.bold,
            fontSize=10.5,
            leading=13,
            textColor=white,
            spaceAfter=0,
        ),
        consent_marking=ParagraphStyle(
            "consent_marking",
            parent=body,
            fontName=fonts.bold,
            fontSize=15,
            leading=19,
            textColor=white,
            spaceAfter=2,
        ),
        consent_marking_note=ParagraphStyle(
            "consent_marking_note", parent=body, fontSize=10, leading=13, textColor=white
        ),
        heading=heading,
        subheading=ParagraphStyle(
            "subheading",
            parent=heading,
            fontSize=10,
            leading=13,
            spaceBefore=8,
            spaceAfter=3,
            textColor=MUTED,
        ),
        cell=cell,
        questions=tuple(
            ParagraphStyle(f"question_{depth}", parent=cell, leftIndent=FOLLOW_UP_INDENT * depth)
            for depth in range(MAX_DEPTH + 1)
        ),
        long_answers=tuple(
            ParagraphStyle(
                f"long_answer_{depth}",
                parent=cell,
                leftIndent=FOLLOW_UP_INDENT * (depth + 1),
                spaceBefore=2,
            )
            for depth in range(MAX_DEPTH + 1)
        ),
        cell_bold=cell_bold,
        cell_head=ParagraphStyle("cell_head", parent=cell_bold, fontSize=8, textColor=MUTED),
        badges={
            level: ParagraphStyle(
                f"badge_{level.name.lower()}", parent=badge, textColor=level_look.badge_text
            )
            for level, level_look in LEVEL_LOOKS.items()
        },
        flag_message=ParagraphStyle(
            "flag_message", parent=cell_bold, fontSize=10, leading=12.5, spaceAfter=2
        ),
        no_flags=ParagraphStyle(
            "no_flags",
            parent=body,
            fontName=fonts.bold,
            fontSize=11,
            leading=14,
            textColor=OK,
            spaceAfter=0,
        ),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2, spaceAfter=1),
        consent=ParagraphStyle("consent", parent=body, spaceAfter=5),
        consent_title=ParagraphStyle(
            "consent_title", parent=body, fontName=fonts.bold, fontSize=10.5, leading=13
        ),
        signature_label=ParagraphStyle(
            "signature_label", parent=small, spaceBefore=6, spaceAfter=2
        ),
        flag_actions=ParagraphStyle("flag_actions", parent=cell, leading=15),
        record_check=ParagraphStyle("record_check", parent=small, spaceBefore=4, spaceAfter=1),
        record_code=ParagraphStyle("record_code", parent=body, fontSize=10, leading=13),
    )


@dataclass(frozen=True)
class CopyStyles:
    """The paragraph styles of the patient's copy (``kiosk.report.patient_copy``)."""

    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    question: ParagraphStyle
    answer: ParagraphStyle
    consent_title: ParagraphStyle


def build_copy_styles(fonts: Fonts, right_to_left: bool) -> CopyStyles:
    """The copy's styles, a little larger than the clinician's (its reader may see
    less well), and for a right-to-left language right-aligned with indents mirrored."""
    body = ParagraphStyle(
        "copy_body",
        fontName=fonts.regular,
        fontSize=11,
        leading=15,
        textColor=TEXT,
        spaceAfter=4,
    )
    heading = ParagraphStyle(
        "copy_heading",
        parent=body,
        fontName=fonts.bold,
        fontSize=14,
        leading=18,
        spaceBefore=12,
        spaceAfter=5,
    )
    cell = ParagraphStyle("copy_cell", parent=body, fontSize=10.5, leading=14, spaceAfter=0)
    styles = CopyStyles(
        body=body,
        small=ParagraphStyle(
            "copy_small", parent=body, fontSize=9, leading=12, textColor=MUTED, spaceBefore=4
        ),
        title=ParagraphStyle(
            "copy_title", parent=heading, fontSize=18, leading=23, spaceBefore=0, spaceAfter=6
        ),
        heading=heading,
        subheading=ParagraphStyle(
            "copy_subheading",
            parent=heading,
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=3,
            textColor=MUTED,
        ),
        label=ParagraphStyle("copy_label", parent=cell, textColor=MUTED),
        value=ParagraphStyle("copy_value", parent=cell, fontName=fonts.bold),
        question=cell,
        answer=ParagraphStyle("copy_answer", parent=cell, fontName=fonts.bold),
        consent_title=ParagraphStyle(
            "copy_consent_title", parent=body, fontName=fonts.bold, fontSize=12, leading=16
        ),
    )
    if not right_to_left:
        return styles
    return CopyStyles(**{name: mirrored_style(style) for name, style in vars(styles).items()})
