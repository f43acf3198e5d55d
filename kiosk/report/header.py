"""The clinician's summary: its header and footer, drawn on every page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm

from kiosk.domain.summary import Summary
from kiosk.report import styles as look
from kiosk.report.bidi import draw_line
from kiosk.report.fonts import Fonts
from kiosk.report.page import (
    FOOTER_RULE,
    FOOTER_TEXT,
    FRAME_WIDTH,
    HEADER_RULE,
    HEADER_TOP,
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
)
from kiosk.report.page import fit as _fit
from kiosk.report.text import format_date, format_datetime, plain

TITLE = "Dry needling intake summary"


@dataclass
class PageDecor:
    """Draws the header and footer of a page, once the total number of pages is known."""

    summary: Summary
    fonts: Fonts

    def __call__(self, canvas: Any, page: int, total: int) -> None:
        s = self.summary
        regular, bold = self.fonts.regular, self.fonts.bold
        left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
        half = FRAME_WIDTH / 2 - 3 * mm
        top = PAGE_HEIGHT - HEADER_TOP

        canvas.saveState()
        canvas.setFillColor(look.TEXT)
        canvas.setFont(bold, 10)
        draw_line(canvas, left, top, plain(s.clinic_name), bold, 10, max_width=half)
        canvas.setFont(regular, 8.5)
        second = TITLE
        if page > 1:
            # Pages get separated; each one names the patient it belongs to.
            second = f"{TITLE} · {plain(s.patient_name)}, born {format_date(s.date_of_birth)}"
        # Drawn in the page's direction (left to right) whatever script the name is in.
        draw_line(canvas, left, top - 11, second, regular, 8.5, max_width=FRAME_WIDTH * 0.62)
        canvas.setFont(regular, 8.5)
        canvas.setFillColor(look.MUTED)
        canvas.drawRightString(right, top, f"Created {format_datetime(s.created)}")
        canvas.drawRightString(
            right, top - 11, _fit(f"Document {plain(s.document_id)}", regular, 8.5, half * 0.6)
        )
        canvas.setStrokeColor(look.RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, PAGE_HEIGHT - HEADER_RULE, right, PAGE_HEIGHT - HEADER_RULE)

        canvas.line(left, FOOTER_RULE, right, FOOTER_RULE)
        canvas.setFont(regular, 8)
        third = FRAME_WIDTH / 3 - 2 * mm
        canvas.drawString(
            left, FOOTER_TEXT, _fit(f"Document {plain(s.document_id)}", regular, 8, third)
        )
        canvas.drawCentredString(
            PAGE_WIDTH / 2,
            FOOTER_TEXT,
            _fit(f"Content version {plain(s.content_version)}", regular, 8, third),
        )
        canvas.setFillColor(look.TEXT)
        canvas.setFont(bold, 8)
        canvas.drawRightString(right, FOOTER_TEXT, f"Page {page} of {total}")
        canvas.restoreState()
