"""Turning a finished record into saved files: the PDF and its FHIR QuestionnaireResponse.

This sits above the UI and the report: the UI is handed a writer and never imports
ReportLab, so the report stays off the boot path until the first patient signs. The
kiosk and ``python -m kiosk render`` both go through ``render_record``, so a summary
rendered later from the saved response is the summary the kiosk printed.
"""

from __future__ import annotations

import json
import logging
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk.app.storage import Saved, SaveError, atomic_write, base_name, save_summary
from kiosk.domain.model import Content
from kiosk.domain.record import Record, build_summary
from kiosk.domain.summary import Summary
from kiosk.interop.fhir import response

if TYPE_CHECKING:
    from kiosk.app.printing import PrintResult

log = logging.getLogger("kiosk")


class SaveHook(Protocol):
    """Told about every summary saved or moved (``kiosk.app.archive.Archive``: the index).

    Its methods never raise: the files are saved by the time they are called.
    """

    def saved(self, content: Content, summary: Summary, saved: Saved, spooled: bool) -> None: ...

    def moved(self, name: str, spool: Path, folder: Path) -> None: ...


def render_record(content: Content, record: Record, clinic_name: str) -> bytes:
    """The clinician's PDF for a record."""
    return render_summary(build_summary(content, record, clinic_name))


def render_summary(summary: Summary) -> bytes:
    """The clinician's PDF of the one summary."""
    from kiosk.report import render_pdf

    return render_pdf(summary)


def render_patient_copy(content: Content, source: Record | Summary, clinic_name: str) -> bytes:
    """The patient's own copy, in the language they used (``kiosk.report.patient_copy``).

    Never encrypted: it is for printing (CUPS prints an encrypted PDF blank) and the
    kiosk never saves it; the saved record can make it again.
    """
    from kiosk.report.patient_copy import patient_copy
    from kiosk.report.patient_copy import render_patient_copy as render

    summary = source if isinstance(source, Summary) else build_summary(content, source, clinic_name)
    return render(patient_copy(content, summary))


def response_json(content: Content, source: Record | Summary) -> bytes:
    """The FHIR QuestionnaireResponse, as the bytes the kiosk saves."""
    summary = source if isinstance(source, Summary) else build_summary(content, source, "")
    return json.dumps(response(content, summary), ensure_ascii=False, indent=2).encode("utf-8")


class PdfSummaryWriter:
    """Build the PDF for a record and save it, with its QuestionnaireResponse, atomically.

    When the output folder cannot take it (full, read-only, unplugged), the files go
    to the spool folder instead, and ``move_spooled`` carries them over once the
    output folder works again. Only when both fail does the call raise ``SaveError``;
    the window then keeps the record in memory and tries again.
    """

    def __init__(
        self,
        folder: Path,
        clinic_name: str,
        spool: Path | None = None,
        password: str = "",
        archive: SaveHook | None = None,
    ) -> None:
        self.folder = folder
        self.clinic_name = clinic_name
        self.spool = spool
        #: With an encryption_password, nothing of a patient reaches the disk in the clear.
        self.password = password
        #: Why the output folder could not be used last time; "" when it worked.
        self.problem = ""
        #: Keeps the archive index and the content versions (none in tools and tests).
        self.archive = archive
        #: Each record's summary while the caller still holds the record: the PDF, the
        #: FHIR file and the patient's copy are all made from it, so its answers are
        #: filtered and worded once. Weak keys: when the window lets the record go (the
        #: patient's session ends), the summary goes with it.
        self._summaries: weakref.WeakKeyDictionary[Record, tuple[Content, Summary]] = (
            weakref.WeakKeyDictionary()
        )

    def summary(self, content: Content, record: Record) -> Summary:
        """The one summary of ``record`` (built once, then reused for the same record)."""
        kept = self._summaries.get(record)
        if kept is not None and kept[0] is content:
            return kept[1]
        summary = build_summary(content, record, self.clinic_name)
        self._summaries[record] = (content, summary)
        return summary

    def is_spooled(self, saved: Saved) -> bool:
        return self.spool is not None and saved.pdf.parent == self.spool

    def spooled(self) -> list[Path]:
        """The summaries (PDFs) waiting in the spool folder."""
        if self.spool is None or not self.spool.is_dir():
            return []
        return sorted(p for p in self.spool.glob("*.pdf") if p.with_suffix(".json").is_file())

    def move_spooled(self) -> int:
        """Move spooled summaries into the output folder; returns how many moved."""
        moved = 0
        for pdf in self.spooled():
            record = pdf.with_suffix(".json")
            try:
                pdf_bytes, record_bytes = pdf.read_bytes(), record.read_bytes()
                save_summary(self.folder, pdf.stem, pdf_bytes, record_bytes)
            except SaveError as exc:
                if isinstance(exc.__cause__, FileExistsError) and self._already_there(pdf, record):
                    pass  # moved before, but the spool copy was not removed (a crash between)
                else:
                    self.problem = str(exc)
                    break
            except OSError as exc:
                log.error("spooled summary %s cannot be read (%s)", pdf.stem, exc.strerror)
                continue
            record.unlink(missing_ok=True)
            pdf.unlink(missing_ok=True)
            moved += 1
            if self.archive is not None and self.spool is not None:
                self.archive.moved(pdf.stem, self.spool, self.folder)
            log.info("spooled summary %s moved to the output folder", pdf.stem)
        if moved and not self.spooled():
            self.problem = ""
        return moved

    def _already_there(self, pdf: Path, record: Path) -> bool:
        target = self.folder / pdf.name
        try:
            return (
                target.read_bytes() == pdf.read_bytes()
                and target.with_suffix(".json").read_bytes() == record.read_bytes()
            )
        except OSError:
            return False

    def warm_up(self) -> None:
        """Import ReportLab and register the fonts ahead of the first patient (about 0.3 s)."""
        from kiosk.report import prepare

        prepare()

    def patient_copy(self, content: Content, record: Record) -> bytes:
        """The patient's copy of a record, as PDF bytes, for printing there and then."""
        return render_patient_copy(content, self.summary(content, record), self.clinic_name)

    def print_patient_copy(
        self, content: Content, record: Record, send: Callable[[Path, str], PrintResult]
    ) -> PrintResult:
        """Build the patient's copy and hand it to ``send`` (the printer); never raises.

        The copy is never saved: it exists, unencrypted (a printer prints an encrypted
        PDF blank), only in a private temporary folder (mode 0700) until ``lp`` has
        handed it to CUPS, written atomically, named and titled by the document id
        alone. With encryption at rest this is the same exposure as printing a
        summary (``ClinicServices.send_to_printer``).
        """
        from kiosk.app.printing import PrintResult

        try:
            pdf = self.patient_copy(content, record)
        except Exception as exc:  # logged by type only: its text could quote an answer
            log.error("patient's copy of %s not made (%s)", record.document_id, type(exc).__name__)
            return PrintResult(False, "The patient's copy could not be made", None)
        title = f"{record.document_id}-copy"
        try:
            with tempfile.TemporaryDirectory(prefix="dn-kiosk-copy-") as folder:
                path = Path(folder) / f"{title}.pdf"
                atomic_write(path, pdf)
                return send(path, title)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            return PrintResult(False, f"The patient's copy could not be written ({reason})", None)

    def __call__(self, content: Content, record: Record) -> Saved:
        summary = self.summary(content, record)
        pdf = render_summary(summary)
        name = base_name(record.authored, record.document_id)
        data = response_json(content, summary)
        if self.password:
            # cryptography is imported only by kiosks that encrypt, and not at start-up.
            from kiosk.app.atrest import encrypt_pdf, seal_json

            pdf = encrypt_pdf(pdf, self.password)
            data = seal_json(data, self.password)
        try:
            saved = save_summary(self.folder, name, pdf, data)
        except SaveError as exc:
            self.problem = str(exc)
            if self.spool is None:
                raise
            try:
                saved = save_summary(self.spool, name, pdf, data)
            except SaveError as spool_exc:
                raise SaveError(
                    f"{exc}; and the spool folder failed too: {spool_exc}"
                ) from spool_exc
            log.warning("summary %s kept in the spool folder: %s", record.document_id, exc)
            if self.archive is not None:
                self.archive.saved(content, summary, saved, spooled=True)
            return saved
        self.problem = ""
        log.info("summary %s saved (%d bytes)", record.document_id, len(pdf))
        if self.archive is not None:
            self.archive.saved(content, summary, saved, spooled=False)
        return saved
