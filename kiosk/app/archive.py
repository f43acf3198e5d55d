"""The archive index: one row per saved summary, written when it is saved, and the
questionnaire of every content version that produced a record.

The files stay the truth. Each saved summary is a PDF and its FHIR QuestionnaireResponse
(JSON) in the output folder, or in the spool folder while the output folder fails. The
index (table ``summaries`` in the clinic database, ``kiosk.app.db``) is a copy of what
the clinician's list needs from them: document id, time, the patient's name and date of
birth (sealed with the encryption_password when encryption at rest is on), the most
serious flag and the number of flags, how the consent ended, content version, language
and where the files are. So:

* ``Archive.saved`` writes the row (and keeps the content version, below) right after
  the files are saved. If that fails the summary is still saved: the failure is logged,
  and the clinician's list adds any file without a row at its next refresh
  (``sync``), reading it once.
* With delivery to a FHIR server on, each row is written in one transaction with its
  outbox entry (``kiosk.app.outbox``), however the row is written (save, sync, reindex).
* ``reindex`` rebuilds every row from the files (``python -m kiosk reindex``), for
  example after the database file was deleted.

Content versions are kept beside the records by ``kiosk.app.versions``, so a
response is always read against the version it was answered with.

Logging names files (time and document id) and kinds of problem, never personal data.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kiosk.app.db import ClinicDb, from_text, to_text
from kiosk.app.outbox import queue
from kiosk.app.storage import Saved, listing
from kiosk.app.versions import (
    QUESTIONNAIRES,
    ContentVersions,
    content_sources,
    copy_versions,
    keep_version,
    manifest_version,
    response_version,
    version_stem_or_q,
)
from kiosk.domain.consent import ConsentDecision
from kiosk.domain.model import Content, Level
from kiosk.domain.record import build_summary
from kiosk.domain.summary import Summary
from kiosk.interop.fhir import ResponseInvalid, parse_response

# kiosk.app.atrest (cryptography) is imported where it is used: the writer builds an
# Archive at start-up, and the first frame should not wait for it.

# The clinician's list logged under this name before the index existed; kept, so one
# logger holds everything about the summaries' files.
log = logging.getLogger("kiosk.clinic")

Location = Literal["folder", "spool"]


@dataclass(frozen=True)
class IndexRow:
    document_id: str
    created: dt.datetime
    patient_name: str
    date_of_birth: dt.date
    #: The most serious flag, None if none.
    highest: Level | None
    flags: int
    content_version: str
    language: str
    location: Location
    #: The summary's base name: ``file_name + ".pdf"`` and ``+ ".json"``.
    file_name: str
    #: The JSON file's modification time when it was indexed.
    file_mtime_ns: int = 0
    #: Signed, or consent withheld (wants to talk first, declined).
    consent: ConsentDecision = ConsentDecision.GIVEN


class UnreadableSummary(ValueError):
    """A saved summary that cannot be indexed; the message names no personal data."""


# ------------------------------------------------------------------ rows


def row_for(summary: Summary, location: Location, file_name: str, mtime_ns: int = 0) -> IndexRow:
    """The index row of a summary: read from the one summary the PDF and the FHIR file
    were made from (``build_summary``), so the list's flags are the PDF's flags."""
    return IndexRow(
        document_id=summary.document_id,
        created=summary.created,
        patient_name=summary.patient_name,
        date_of_birth=summary.date_of_birth,
        highest=max((f.level for f in summary.flags), default=None),
        flags=len(summary.flags),
        content_version=summary.content_version,
        language=summary.language,
        location=location,
        file_name=file_name,
        file_mtime_ns=mtime_ns,
        consent=summary.consent_decision,
    )


def read_summary(
    path: Path, versions: ContentVersions, password: str, location: Location
) -> IndexRow:
    """The index row for a saved JSON file, read against the content version it names.

    Raises ``UnreadableSummary`` with a reason that names no personal data.
    """
    from kiosk.app.atrest import SealedError, open_json

    try:
        mtime = path.stat().st_mtime_ns
        data = json.loads(open_json(path.read_bytes(), password))
    except SealedError as exc:
        raise UnreadableSummary(str(exc)) from None
    except (OSError, ValueError) as exc:  # an exception's text could quote the patient
        raise UnreadableSummary(f"cannot be read ({type(exc).__name__})") from None
    version = response_version(data)
    content = versions.get(version, path.parent) or versions.current
    if version and content.version != version:  # no version at all: parse_response says
        where = ", ".join(str(f / QUESTIONNAIRES) for f in versions.where(path.parent))
        stem = version_stem_or_q(version)  # "?" for text that could not name a file
        raise UnreadableSummary(
            f"answered with content version {stem}, which is not kept "
            f"(looked for {stem}.content.json in {where})"
        )
    try:
        record = parse_response(content, data)
        return row_for(build_summary(content, record, ""), location, path.stem, mtime)
    except ResponseInvalid as exc:
        items = ", ".join(sorted({p.item for p in exc.problems}))
        raise UnreadableSummary(f"not a valid response (items: {items})") from None
    except Exception as exc:  # outside input: a shape the parser does not expect
        raise UnreadableSummary(f"cannot be read ({type(exc).__name__})") from None


class ArchiveIndex:
    """The ``summaries`` table. Patient fields are sealed when ``password`` is set; with
    ``deliver``, each row written is queued in the FHIR outbox in the same transaction."""

    def __init__(self, db: ClinicDb, password: str = "", deliver: bool = False) -> None:
        self.db = db
        self.password = password
        self.deliver = deliver
        self._salt: bytes | None = None
        # stored patient text -> (name, date of birth): each sealed value opened once.
        self._opened: dict[str, tuple[str, dt.date]] = {}
        self._refused: set[str] = set()

    def _seal_salt(self) -> bytes:
        from kiosk.app.atrest import new_salt

        if self._salt is None:
            fresh = base64.b64encode(new_salt()).decode()
            self.db.execute(
                "INSERT OR IGNORE INTO archive_meta (key, value) VALUES ('seal-salt', ?)", (fresh,)
            )
            (row,) = self.db.query("SELECT value FROM archive_meta WHERE key = 'seal-salt'")
            self._salt = base64.b64decode(row["value"])
        return self._salt

    def _patient_text(self, name: str, date_of_birth: dt.date) -> str:
        from kiosk.app.atrest import seal_json

        plain = json.dumps(
            {"name": name, "date_of_birth": date_of_birth.isoformat()}, ensure_ascii=False
        ).encode("utf-8")
        if self.password:
            plain = seal_json(plain, self.password, self._seal_salt())
        return plain.decode("utf-8")

    def _patient(self, text: str) -> tuple[str, dt.date]:
        from kiosk.app.atrest import open_json

        opened = self._opened.get(text)
        if opened is None:
            data = json.loads(open_json(text.encode("utf-8"), self.password))
            opened = (str(data["name"]), dt.date.fromisoformat(data["date_of_birth"]))
            self._opened[text] = opened
        return opened

    def put(self, row: IndexRow) -> None:
        """Add or replace the row of ``row.document_id``."""
        self.put_all([row])

    def put_all(self, rows: Sequence[IndexRow]) -> None:
        params = [
            (
                r.document_id,
                to_text(r.created),
                self._patient_text(r.patient_name, r.date_of_birth),
                None if r.highest is None else int(r.highest),
                r.flags,
                r.content_version,
                r.language,
                r.location,
                r.file_name,
                r.file_mtime_ns,
                r.consent.value,
            )
            for r in rows
        ]
        now = self.db.clock()
        with self.db.transaction() as conn:
            if self.deliver:
                for r in rows:
                    queue(conn, r.document_id, r.file_name, r.content_version, now)
            conn.executemany(
                "INSERT INTO summaries (document_id, created, patient, highest, flags, "
                "content_version, language, location, file_name, file_mtime_ns, consent) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (document_id) DO UPDATE "
                "SET created = excluded.created, patient = excluded.patient, "
                "highest = excluded.highest, flags = excluded.flags, "
                "content_version = excluded.content_version, language = excluded.language, "
                "location = excluded.location, file_name = excluded.file_name, "
                "file_mtime_ns = excluded.file_mtime_ns, consent = excluded.consent",
                params,
            )

    def files(self, location: Location) -> dict[str, tuple[str, int]]:
        """file name -> (document id, mtime) of the rows in one location (nothing opened)."""
        rows = self.db.query(
            "SELECT document_id, file_name, file_mtime_ns FROM summaries WHERE location = ?",
            (location,),
        )
        return {r["file_name"]: (r["document_id"], r["file_mtime_ns"]) for r in rows}

    def rows(self, location: Location | None = None) -> list[IndexRow]:
        """The rows, newest first; a row whose patient fields cannot be opened (another
        encryption password) is left out and logged once by its document id."""
        from kiosk.app.atrest import SealedError

        sql = "SELECT * FROM summaries"
        params: tuple[str, ...] = ()
        if location is not None:
            sql, params = sql + " WHERE location = ?", (location,)
        found: list[IndexRow] = []
        for r in self.db.query(sql + " ORDER BY created DESC, document_id DESC", params):
            try:
                name, born = self._patient(r["patient"])
            except (SealedError, ValueError, KeyError, TypeError) as exc:
                if r["document_id"] not in self._refused:
                    self._refused.add(r["document_id"])
                    log.warning("index row %s not shown: %s", r["document_id"], type(exc).__name__)
                continue
            found.append(
                IndexRow(
                    document_id=r["document_id"],
                    created=from_text(r["created"]),
                    patient_name=name,
                    date_of_birth=born,
                    highest=None if r["highest"] is None else Level(r["highest"]),
                    flags=r["flags"],
                    content_version=r["content_version"],
                    language=r["language"],
                    location=r["location"],
                    file_name=r["file_name"],
                    file_mtime_ns=r["file_mtime_ns"],
                    consent=ConsentDecision(r["consent"]),
                )
            )
        return found

    def moved(self, file_name: str, location: Location, mtime_ns: int) -> str | None:
        """Point the row of ``file_name`` at its new location; its content version, if any."""
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE summaries SET location = ?, file_mtime_ns = ? WHERE file_name = ?",
                (location, mtime_ns, file_name),
            )
            row = conn.execute(
                "SELECT content_version FROM summaries WHERE file_name = ?", (file_name,)
            ).fetchone()
        return None if row is None else str(row["content_version"])

    def forget(self, document_ids: Iterable[str]) -> None:
        with self.db.transaction() as conn:
            conn.executemany(
                "DELETE FROM summaries WHERE document_id = ?", [(d,) for d in document_ids]
            )

    def clear(self) -> None:
        self.db.execute("DELETE FROM summaries")


# ------------------------------------------------------------------ keeping rows true


@dataclass
class SyncResult:
    added: list[IndexRow] = field(default_factory=list)
    #: (file name, reason) of files that could not be indexed.
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def sync(
    index: ArchiveIndex,
    folder: Path,
    location: Location,
    versions: ContentVersions,
    skip: dict[str, int] | None = None,
) -> SyncResult:
    """Make the rows of one location match the files there: files without a row (or
    changed since) are read and added; rows whose files are gone (retention, deleted by
    hand) are dropped. ``skip`` (file name -> mtime) remembers unreadable files, so each
    is read and logged once until it changes. Raises ``OSError`` if the folder cannot
    be listed.
    """
    files = listing(folder)
    known = index.files(location)
    result = SyncResult()
    for name in sorted(files):
        mtime = files[name]
        if known.get(name, ("", -1))[1] == mtime:
            continue
        if skip is not None and skip.get(name) == mtime:
            continue
        try:
            result.added.append(
                read_summary(folder / f"{name}.json", versions, index.password, location)
            )
        except UnreadableSummary as exc:
            result.unreadable.append((f"{name}.json", str(exc)))
            if skip is not None:
                skip[name] = mtime
    if result.added:
        index.put_all(result.added)
    gone = [doc for name, (doc, _) in known.items() if name not in files]
    if gone:
        index.forget(gone)
    return result


@dataclass(frozen=True)
class ReindexReport:
    folder: int
    spool: int
    unreadable: list[tuple[str, str]]


def reindex(
    db: ClinicDb,
    folder: Path,
    spool: Path | None,
    versions: ContentVersions,
    password: str = "",
    deliver: bool = False,
) -> ReindexReport:
    """Rebuild the whole index from the files in ``folder`` and ``spool``.

    Every file is read first; then the old rows are replaced in one transaction, so a
    failure half-way leaves the index as it was. A summary in both places (a crash
    while moving it out of the spool) counts as in the output folder. A summary a
    running kiosk saves while this reads may lose its row; the list's next refresh
    reads its file and adds it again. With ``deliver``, a summary never queued for the
    FHIR server is queued (one already queued keeps its state).
    """
    index = ArchiveIndex(db, password, deliver)
    rows: dict[str, IndexRow] = {}
    unreadable: list[tuple[str, str]] = []
    places: list[tuple[Location, Path]] = [("folder", folder)]
    if spool is not None and spool != folder:
        places.insert(0, ("spool", spool))
    for location, where in places:  # spool first, so the output folder's copy wins
        for name in sorted(listing(where)):
            try:
                row = read_summary(where / f"{name}.json", versions, password, location)
            except UnreadableSummary as exc:
                unreadable.append((f"{name}.json", str(exc)))
                continue
            rows[row.document_id] = row
    with db.transaction():
        index.clear()
        index.put_all(list(rows.values()))
    counts = {loc: sum(r.location == loc for r in rows.values()) for loc in ("folder", "spool")}
    return ReindexReport(counts["folder"], counts["spool"], unreadable)


# ------------------------------------------------------------------ at save time


class Archive:
    """What the summary writer calls once the files are saved (``PdfSummaryWriter``).

    It keeps the content version beside the records and writes the index row (with the
    summary's outbox entry when ``deliver``; then ``on_queued`` wakes the courier). It
    never raises: the summary is saved by then, and whatever fails here is logged and
    mended later (the list's next refresh reads a file without a row and queues it;
    ``reindex`` rebuilds). The database opens on the first save, off the boot path.
    """

    def __init__(
        self,
        db_path: Path,
        content: Content,
        content_dir: Path,
        password: str = "",
        open_db: Callable[[Path], ClinicDb] = ClinicDb,
        *,
        deliver: bool = False,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        self.db_path = db_path
        self.password = password
        self.deliver = deliver
        self.on_queued = on_queued
        self._open_db = open_db
        self._db: ClinicDb | None = None
        self._index: ArchiveIndex | None = None
        self._lock = threading.Lock()
        #: (folder, version) pairs kept already by this process.
        self._kept: set[tuple[Path, str]] = set()
        self.sources: dict[str, str] | None = None
        try:
            sources = content_sources(content_dir)
        except OSError as exc:
            log.error("content files not readable to keep them (%s)", type(exc).__name__)
        else:
            # Read now, next to loading: a folder edited since would be another version.
            if manifest_version(sources) == content.version:
                self.sources = sources
            else:
                log.error("content folder changed since it was loaded: version not kept")

    def index(self) -> ArchiveIndex:
        with self._lock:
            if self._index is None:
                self._db = self._open_db(self.db_path)
                self._index = ArchiveIndex(self._db, self.password, self.deliver)
            return self._index

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
            self._db, self._index = None, None

    def keep(self, content: Content, folder: Path) -> None:
        if (folder, content.version) in self._kept or self.sources is None:
            return
        keep_version(content, self.sources, folder)
        self._kept.add((folder, content.version))

    def saved(self, content: Content, summary: Summary, saved: Saved, spooled: bool) -> None:
        """The files of ``summary`` are saved (``spooled``: in the spool folder)."""
        try:
            self.keep(content, saved.record.parent)
        except Exception as exc:  # never the patient's problem; the record is saved
            log.error(
                "content version %s not kept beside %s (%s)",
                content.version,
                saved.record.name,
                type(exc).__name__,
            )
        try:
            mtime = saved.record.stat().st_mtime_ns
            location: Location = "spool" if spooled else "folder"
            self.index().put(row_for(summary, location, saved.record.stem, mtime))
        except Exception as exc:
            log.error(
                "summary %s saved but not indexed (%s): the clinician's list adds it when "
                "it next refreshes; python -m kiosk reindex rebuilds the index",
                summary.document_id,
                type(exc).__name__,
            )
            return
        if self.deliver and self.on_queued is not None:
            self.on_queued()

    def moved(self, name: str, spool: Path, folder: Path) -> None:
        """The summary ``name`` moved from the spool folder to the output folder: its row
        follows it, and the content versions kept in the spool are kept there too."""
        try:
            mtime = (folder / f"{name}.json").stat().st_mtime_ns
            self.index().moved(name, "folder", mtime)
        except Exception as exc:
            log.error("summary %s moved; index not updated (%s)", name, type(exc).__name__)
        try:
            copy_versions(spool, folder)
        except OSError as exc:
            log.error("content versions not copied from the spool (%s)", type(exc).__name__)
