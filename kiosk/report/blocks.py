"""Small building blocks the clinician's summary shares between its parts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Table, TableStyle

from kiosk.report import styles as look
from kiosk.report.page import Paragraph
from kiosk.report.styles import Styles

# A heading needs this much room below it (itself plus a few lines) or it moves on.
KEEP_WITH_HEADING = 90


def heading(markup: str, style: ParagraphStyle) -> list[Flowable]:
    """A heading that never ends a page: it moves on unless its content can start below.

    Not ``keepWithNext``: that keeps the heading with *all* of the next flowable, and
    a long answer or flag would then leave most of a page blank.
    """
    return [CondPageBreak(KEEP_WITH_HEADING), Paragraph(markup, style)]


def table(st: Styles, rows: list[list[Any]], commands: Sequence[Any], **kwargs: Any) -> Table:
    """A table of flowables; its own cell font is set too, or the PDF names Helvetica."""
    font = ("FONT", (0, 0), (-1, -1), st.cell.fontName, st.cell.fontSize)
    return Table(rows, style=TableStyle([font, *commands]), **kwargs)


def hex_colour(colour: Any) -> str:
    return f"#{colour.hexval()[2:]}"


def muted(markup: str, size: float | None = None) -> str:
    """``markup`` (already escaped) in the muted label colour."""
    size_attr = f' size="{size}"' if size else ""
    return f'<font color="{hex_colour(look.MUTED)}"{size_attr}>{markup}</font>'
