"""The summaries in the output folder, as the clinician's list shows them.

The list reads the archive index (``kiosk.app.archive``): one row per saved summary,
written when it was saved, with the patient's name, date of birth and flags as they
were computed against the content version the patient answered. So a summary stays
listed, with its own flags, after the content version changes. Review and print
status are joined from ``summary_status``.

The files stay the truth: each refresh lists the folder (names and modification times,
no reading), reads any file that has no row yet or changed since (saved by another
kiosk, or while the database could not be written), and drops rows whose files are
gone (retention, deleted by hand). A file that cannot be read is skipped and logged
once by its file name (time and document id, never personal data).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.app.archive import ArchiveIndex, IndexRow, sync
from kiosk.app.db import ClinicDb, optional_time, to_text
from kiosk.app.outbox import STATE_WORDS, Outbox
from kiosk.app.versions import ContentVersions
from kiosk.domain.consent import ConsentDecision
from kiosk.domain.model import Content, Level

log = logging.getLogger("kiosk.clinic")

#: (reviewer's name, reviewed at, printed at)
_Status = tuple[str | None, dt.datetime | None, dt.datetime | None]


class SummaryFolderError(OSError):
    """The summaries folder could not be listed. The message (also ``strerror``) is for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.strerror = message


@dataclass(frozen=True)
class SummaryEntry:
    document_id: str
    created: dt.datetime
    patient_name: str
    date_of_birth: dt.date
    #: The most serious flag, None if none.
    highest: Level | None
    #: How many flags.
    flags: int
    pdf: Path
    #: The QuestionnaireResponse JSON.
    record: Path
    #: The reviewing clinician's name.
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    printed_at: dt.datetime | None
    #: The content version the patient answered, and the language they used.
    content_version: str = ""
    language: str = ""
    #: Signed, or consent withheld (the patient wants to talk first, or declined).
    consent: ConsentDecision = ConsentDecision.GIVEN
    #: With delivery to a FHIR server on: "waiting", "delivered" or "needs attention"
    #: ("" when off, or for a summary that was never queued), and why.
    delivery: str = ""
    delivery_reason: str = ""

    @property
    def status(self) -> str:
        """One of "printed", "reviewed" or "new" (printed wins)."""
        if self.printed_at is not None:
            return "printed"
        if self.reviewed_at is not None:
            return "reviewed"
        return "new"


class SummarySource(Protocol):
    """What clinician mode reads summaries from: this folder's index (``SummaryIndex``) on
    a kiosk, the FHIR server (``kiosk.app.review.ServerSummaries``) at a desk."""

    def entries(self, today_only: bool = False, search: str = "") -> list[SummaryEntry]: ...

    def entry(self, document_id: str) -> SummaryEntry | None: ...

    def pdf_file(self, entry: SummaryEntry) -> Path:
        """The entry's PDF on this machine (fetched first if need be)."""
        ...

    def mark_reviewed(self, document_id: str, clinician_id: int) -> None: ...

    def mark_printed(self, document_id: str) -> None: ...


def fold(text: str) -> str:
    """Text for matching: accents dropped (NFKD without combining marks), case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class SummaryIndex:
    def __init__(
        self,
        db: ClinicDb,
        folder: Path,
        content: Content,
        password: str = "",
        versions: ContentVersions | None = None,
        deliver: bool = False,
    ) -> None:
        self.db = db
        self.folder = folder
        self.content = content
        #: The encryption_password, when records are sealed at rest.
        self.password = password
        #: The content of every version kept beside the records (``questionnaires/``).
        self.versions = versions or ContentVersions(content, [folder])
        self.deliver = deliver
        #: With ``deliver``, a file added to the index is queued for the FHIR server too.
        self.archive = ArchiveIndex(db, password, deliver)
        self.outbox = Outbox(db, password)
        # file name -> mtime of files that could not be read (logged once each)
        self._unreadable: dict[str, int] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ reading

    def entries(self, today_only: bool = False, search: str = "") -> list[SummaryEntry]:
        """The summaries, newest first; only today's, or only names matching ``search``."""
        rows = self._rows()
        if today_only:
            now = self.db.clock()
            rows = [r for r in rows if r.created.astimezone(now.tzinfo).date() == now.date()]
        wanted = fold(search.strip())
        if wanted:
            rows = [r for r in rows if wanted in fold(r.patient_name)]
        status = self._status()
        sent = self.outbox.states() if self.deliver else {}
        unmarked: _Status = (None, None, None)
        entries = [
            SummaryEntry(
                document_id=r.document_id,
                created=r.created,
                patient_name=r.patient_name,
                date_of_birth=r.date_of_birth,
                highest=r.highest,
                flags=r.flags,
                pdf=self.folder / f"{r.file_name}.pdf",
                record=self.folder / f"{r.file_name}.json",
                reviewed_by=reviewed_by,
                reviewed_at=reviewed_at,
                printed_at=printed_at,
                content_version=r.content_version,
                language=r.language,
                consent=r.consent,
                delivery=STATE_WORDS[state] if state else "",
                delivery_reason=reason,
            )
            for r in rows
            for reviewed_by, reviewed_at, printed_at in (status.get(r.document_id, unmarked),)
            for state, reason in (sent.get(r.document_id, ("", "")),)
        ]
        entries.sort(key=lambda e: (e.created, e.document_id), reverse=True)
        return entries

    def entry(self, document_id: str) -> SummaryEntry | None:
        return next((e for e in self.entries() if e.document_id == document_id), None)

    def pdf_file(self, entry: SummaryEntry) -> Path:
        return entry.pdf

    def _rows(self) -> list[IndexRow]:
        with self._lock:
            try:
                result = sync(self.archive, self.folder, "folder", self.versions, self._unreadable)
            except OSError as exc:
                raise SummaryFolderError(
                    f"could not read the summaries folder {self.folder}: "
                    f"{exc.strerror or type(exc).__name__}"
                ) from exc
            for name, reason in result.unreadable:
                log.warning("summary %s skipped: %s", name, reason)
            if result.added:
                log.info("%d summaries added to the index from the folder", len(result.added))
            return self.archive.rows("folder")

    def _status(self) -> dict[str, _Status]:
        rows = self.db.query(
            "SELECT s.document_id, s.reviewed_by, c.name, s.reviewed_at, s.printed_at "
            "FROM summary_status s LEFT JOIN clinicians c ON c.id = s.reviewed_by"
        )
        status: dict[str, _Status] = {}
        for r in rows:
            reviewer = r["name"]
            if reviewer is None and r["reviewed_by"] is not None:
                reviewer = f"clinician #{r['reviewed_by']} (account removed)"
            status[r["document_id"]] = (
                reviewer,
                optional_time(r["reviewed_at"]),
                optional_time(r["printed_at"]),
            )
        return status

    # ------------------------------------------------------------ status

    def mark_reviewed(self, document_id: str, clinician_id: int) -> None:
        """Record the review (the caller audits it: ``Audit.log("mark-reviewed", ...)``)."""
        self.db.execute(
            "INSERT INTO summary_status (document_id, reviewed_by, reviewed_at) VALUES (?, ?, ?) "
            "ON CONFLICT (document_id) DO UPDATE SET "
            "reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at",
            (document_id, clinician_id, to_text(self.db.clock())),
        )

    def mark_printed(self, document_id: str) -> None:
        """Record a successful print (the caller audits it)."""
        self.db.execute(
            "INSERT INTO summary_status (document_id, printed_at) VALUES (?, ?) "
            "ON CONFLICT (document_id) DO UPDATE SET printed_at = excluded.printed_at",
            (document_id, to_text(self.db.clock())),
        )
