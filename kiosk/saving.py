"""Turning a finished record into saved files: the PDF and its FHIR QuestionnaireResponse.

This sits above the UI and the report: the UI is handed a writer and never imports
ReportLab, so the report stays off the boot path until the first patient signs. The
kiosk and ``python -m kiosk render`` both go through ``render_record``, so a summary
rendered later from the saved response is the summary the kiosk printed.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from kiosk.core.fhir import response
from kiosk.core.model import Content
from kiosk.core.record import Record, build_summary
from kiosk.core.storage import Saved, base_name, save_summary

log = logging.getLogger("kiosk")


def render_record(content: Content, record: Record, clinic_name: str) -> bytes:
    """The clinician's PDF for a record."""
    from kiosk.report import render_pdf

    return render_pdf(build_summary(content, record, clinic_name))


def response_json(content: Content, record: Record) -> bytes:
    return json.dumps(response(content, record), ensure_ascii=False, indent=2).encode("utf-8")


class PdfSummaryWriter:
    """Build the PDF for a record and save it, with its QuestionnaireResponse, atomically."""

    def __init__(self, folder: Path, clinic_name: str) -> None:
        self.folder = folder
        self.clinic_name = clinic_name

    def warm_up(self) -> None:
        """Import ReportLab and register the fonts ahead of the first patient (about 0.3 s)."""
        from kiosk.report import prepare

        prepare()

    def __call__(self, content: Content, record: Record) -> Saved:
        pdf = render_record(content, record, self.clinic_name)
        name = base_name(record.authored, record.document_id)
        saved = save_summary(self.folder, name, pdf, response_json(content, record))
        log.info("summary %s saved (%d bytes)", record.document_id, len(pdf))
        return saved
