"""Turning a signed session's summary into saved files: the PDF and its JSON record.

This sits above the UI and the report: the UI is handed a writer and never imports
ReportLab, so the report stays off the boot path until the first patient signs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.core.storage import Saved, base_name, save_summary
from kiosk.core.summary import Summary

log = logging.getLogger("kiosk")


class PdfSummaryWriter:
    """Build the PDF for a summary and save it, with its JSON record, atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def warm_up(self) -> None:
        """Import ReportLab and register the fonts ahead of the first patient (about 0.3 s)."""
        from kiosk.report import prepare

        prepare()

    def __call__(self, summary: Summary) -> Saved:
        from kiosk.report import render_pdf

        pdf = render_pdf(summary)
        saved = save_summary(
            self.folder, base_name(summary.created, summary.document_id), pdf, summary.to_json()
        )
        log.info("summary %s saved (%d bytes)", summary.document_id, len(pdf))
        return saved
