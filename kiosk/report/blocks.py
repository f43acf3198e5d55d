"""Building blocks the clinician's PDF sections share: a heading that keeps with what
follows it, a table in the report's cell font, and a colour as markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Table, TableStyle

from kiosk.report import styles as look
from kiosk.report.page import Paragraph
from kiosk.report.styles import Styles

# A table row taller than the space left on a page may split inside itself, but
# never into a sliver shorter than this.
MIN_ROW_SPLIT = 24
# A heading needs this much room below it (itself plus a few lines) or it moves on.
KEEP_WITH_HEADING = 90


def heading(markup: str, style: ParagraphStyle) -> list[Flowable]:
    """A heading that never ends a page: it moves on unless its content can start below.

    Not ``keepWithNext``: that keeps the heading with *all* of the next flowable, and
    a long answer or flag would then leave most of a page blank.
    """
    return [CondPageBreak(KEEP_WITH_HEADING), Paragraph(markup, style)]


def cell_table(st: Styles, rows: list[list[Any]], commands: Sequence[Any], **kwargs: Any) -> Table:
    """A table of flowables; its own cell font is set too, or the PDF names Helvetica."""
    font = ("FONT", (0, 0), (-1, -1), st.cell.fontName, st.cell.fontSize)
    return Table(rows, style=TableStyle([font, *commands]), **kwargs)


def hex_of(colour: Any) -> str:
    """A ReportLab colour as ``#rrggbb``, for ``<font color=...>`` markup."""
    return f"#{colour.hexval()[2:]}"


def muted(markup: str, size: float | None = None) -> str:
    """``markup`` (already escaped) in the muted label colour."""
    size_attr = f' size="{size}"' if size else ""
    return f'<font color="{hex_of(look.MUTED)}"{size_attr}>{markup}</font>'
