"""The summaries in the output folder, as the clinician's list shows them.

Each saved summary is a PDF and its FHIR QuestionnaireResponse (JSON) with the same
name. The JSON is read back with the core's parser (cached by path and modification
time, so a refresh reads only new files), its flags computed with the core's rules, and
its review and print status joined from the clinic database. A file that cannot be read
is skipped and logged by its file name (time and document id, never personal data).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kiosk.clinic.atrest import open_json
from kiosk.clinic.db import ClinicDb, optional_time, to_text
from kiosk.core.fhir import ResponseInvalid, parse_response
from kiosk.core.model import Content, Level
from kiosk.core.record import build_summary

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

    @property
    def status(self) -> str:
        """One of "printed", "reviewed" or "new" (printed wins)."""
        if self.printed_at is not None:
            return "printed"
        if self.reviewed_at is not None:
            return "reviewed"
        return "new"


@dataclass(frozen=True)
class _Parsed:
    document_id: str
    created: dt.datetime
    patient_name: str
    date_of_birth: dt.date
    highest: Level | None
    flags: int


def fold(text: str) -> str:
    """Text for matching: accents dropped (NFKD without combining marks), case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class SummaryIndex:
    def __init__(self, db: ClinicDb, folder: Path, content: Content, password: str = "") -> None:
        self.db = db
        self.folder = folder
        self.content = content
        #: The encryption_password, when records are sealed at rest.
        self.password = password
        # path -> (mtime_ns, parsed, or None for a file that could not be read)
        self._cache: dict[Path, tuple[int, _Parsed | None]] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ reading

    def entries(self, today_only: bool = False, search: str = "") -> list[SummaryEntry]:
        """The summaries, newest first; only today's, or only names matching ``search``."""
        parsed = self._scan()
        if today_only:
            now = self.db.clock()
            parsed = [
                (p, r) for p, r in parsed if r.created.astimezone(now.tzinfo).date() == now.date()
            ]
        wanted = fold(search.strip())
        if wanted:
            parsed = [(p, r) for p, r in parsed if wanted in fold(r.patient_name)]
        status = self._status()
        unmarked: _Status = (None, None, None)
        entries = [
            SummaryEntry(
                document_id=r.document_id,
                created=r.created,
                patient_name=r.patient_name,
                date_of_birth=r.date_of_birth,
                highest=r.highest,
                flags=r.flags,
                pdf=path.with_suffix(".pdf"),
                record=path,
                reviewed_by=reviewed_by,
                reviewed_at=reviewed_at,
                printed_at=printed_at,
            )
            for path, r in parsed
            for reviewed_by, reviewed_at, printed_at in (status.get(r.document_id, unmarked),)
        ]
        entries.sort(key=lambda e: (e.created, e.document_id), reverse=True)
        return entries

    def entry(self, document_id: str) -> SummaryEntry | None:
        return next((e for e in self.entries() if e.document_id == document_id), None)

    def _scan(self) -> list[tuple[Path, _Parsed]]:
        try:
            paths = sorted(
                p
                for p in self.folder.glob("*.json")
                if not p.name.startswith(".") and p.with_suffix(".pdf").is_file()
            )
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise SummaryFolderError(
                f"could not read the summaries folder {self.folder}: "
                f"{exc.strerror or type(exc).__name__}"
            ) from exc
        found: list[tuple[Path, _Parsed]] = []
        with self._lock:
            for path in paths:
                try:
                    mtime = path.stat().st_mtime_ns
                except OSError:
                    continue  # deleted since the listing
                cached = self._cache.get(path)
                if cached is None or cached[0] != mtime:
                    cached = (mtime, self._parse(path))
                    self._cache[path] = cached
                if cached[1] is not None:
                    found.append((path, cached[1]))
            for gone in self._cache.keys() - set(paths):
                del self._cache[gone]
        return found

    def _parse(self, path: Path) -> _Parsed | None:
        # Only the file name (time and document id) and the kind of problem are logged:
        # an exception's text could quote the patient's data.
        try:
            plain = open_json(path.read_bytes(), self.password)
            record = parse_response(self.content, json.loads(plain))
        except ResponseInvalid as exc:
            items = ", ".join(sorted({p.item for p in exc.problems}))
            log.warning("summary %s skipped: not a valid response (items: %s)", path.name, items)
            return None
        except Exception as exc:  # the file is outside input: OSError, JSON, or worse
            log.warning("summary %s skipped: %s", path.name, type(exc).__name__)
            return None
        flags = build_summary(self.content, record, "").flags
        return _Parsed(
            document_id=record.document_id,
            created=record.authored,
            patient_name=record.identity.name,
            date_of_birth=record.identity.date_of_birth,
            highest=max((f.level for f in flags), default=None),
            flags=len(flags),
        )

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
