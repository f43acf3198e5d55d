"""The clinic's SQLite file: clinician accounts, the audit trail, review status, print queue,
and the archive index of saved summaries.

One connection per ``ClinicDb``, shared between threads (the UI may print from a worker)
and guarded by a lock. Times are stored as ISO 8601 text with their UTC offset and read
back as timezone-aware datetimes.

Patient data: only the archive index (table ``summaries``, written by
``kiosk.app.archive``) holds any, and only what the clinician's list shows: the
patient's name and date of birth, sealed with the encryption_password when encryption
at rest is on (``kiosk.app.atrest``), plus flag counts, versions and file names. The
index is a copy of what the saved files say; deleting the database loses none of it
(``python -m kiosk reindex`` rebuilds it). Every other table refers to a summary by its
document id only.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any

from kiosk.domain.session import local_now

Clock = Callable[[], dt.datetime]

#: Bumped (with a migration in ``_MIGRATIONS``) whenever the schema changes.
SCHEMA_VERSION = 4

#: Version 1, as it was first released; later versions are steps in ``_MIGRATIONS``.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS clinicians (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    failed INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    clinician_id INTEGER,
    action TEXT NOT NULL,
    document_id TEXT
);
CREATE TABLE IF NOT EXISTS summary_status (
    document_id TEXT PRIMARY KEY,
    reviewed_by INTEGER,
    reviewed_at TEXT,
    printed_at TEXT
);
CREATE TABLE IF NOT EXISTS print_queue (
    document_id TEXT PRIMARY KEY,
    queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
"""

#: The statements that take a database from version ``n - 1`` to ``n``. They run inside
#: one write transaction after the version is read again under the write lock, so two
#: processes opening an old file at once cannot both run a step (``ALTER TABLE`` has no
#: ``IF NOT EXISTS``).
_MIGRATIONS: dict[int, str] = {
    # 2: the archive index, one row per saved summary (``kiosk.app.archive``). ``patient``
    # is JSON with the name and date of birth, sealed when encryption at rest is on;
    # ``location`` is "folder" (output folder) or "spool"; ``file_name`` the summary's
    # base name (``20261127-141502-DN-7K3QX2M9``); ``file_mtime_ns`` the JSON file's
    # modification time when it was indexed, so a changed file is read again.
    # ``archive_meta`` holds the salt the patient fields are sealed with.
    2: """
CREATE TABLE IF NOT EXISTS summaries (
    document_id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    patient TEXT NOT NULL,
    highest INTEGER,
    flags INTEGER NOT NULL,
    content_version TEXT NOT NULL,
    language TEXT NOT NULL,
    location TEXT NOT NULL CHECK (location IN ('folder', 'spool')),
    file_name TEXT NOT NULL,
    file_mtime_ns INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS summaries_by_file ON summaries (location, file_name);
CREATE TABLE IF NOT EXISTS archive_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
""",
    # 3: how the consent ended (``ConsentDecision``: given, talk_first, declined), so the
    # clinician's list shows a patient who did not sign. Every row before this step was
    # signed: "given".
    3: """
ALTER TABLE summaries ADD COLUMN consent TEXT NOT NULL DEFAULT 'given'
    CHECK (consent IN ('given', 'talk_first', 'declined'));
""",
    # 4: the FHIR outbox (``kiosk.app.outbox``): one row per summary to send to the
    # clinic's FHIR server, queued in the transaction that writes its ``summaries`` row;
    # ``id`` orders delivery. ``state`` is waiting, delivered or attention (the server
    # refused it: ``reason`` holds its words); ``next_attempt`` is when a waiting row may
    # be tried again (backoff after a failure, kept across restarts); the server's ids
    # once delivered. ``fhir_questionnaires``: the content versions whose Questionnaire
    # each server has (sent once per version). No personal data in either table.
    4: """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    content_version TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting'
        CHECK (state IN ('waiting', 'delivered', 'attention')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT,
    reason TEXT,
    delivered_at TEXT,
    server_response_id TEXT,
    server_document_id TEXT
);
CREATE INDEX IF NOT EXISTS outbox_by_state ON outbox (state, id);
CREATE TABLE IF NOT EXISTS fhir_questionnaires (
    server TEXT NOT NULL,
    content_version TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    server_id TEXT,
    PRIMARY KEY (server, content_version)
);
""",
}


class ClinicDbError(OSError):
    """The clinic database could not be opened or used. The message is for staff.

    An ``OSError``, so callers that handle disk trouble handle this too; ``strerror``
    holds the same message.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.strerror = message


def to_text(moment: dt.datetime) -> str:
    """A timezone-aware datetime as stored: ISO 8601 with its offset."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat()


def from_text(text: str) -> dt.datetime:
    """A stored time back as an aware datetime (a naive one is taken as local time)."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.astimezone()


def optional_time(text: object) -> dt.datetime | None:
    return from_text(text) if isinstance(text, str) and text else None


class ClinicDb:
    """One SQLite file (``data_dir / "clinic.sqlite3"``), schema created on first open."""

    def __init__(self, path: Path, clock: Clock = local_now) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.RLock()
        self._depth = 0
        self._conn: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                # Created 0600 before SQLite touches it; SQLite gives its -wal and -shm
                # files the same permissions as the database.
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        except OSError as exc:
            raise ClinicDbError(
                f"could not create the clinic database {path}: {exc.strerror or type(exc).__name__}"
            ) from exc
        try:
            conn = sqlite3.connect(path, timeout=5, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise ClinicDbError(f"could not open the clinic database {path}: {exc}") from exc
        self._conn = conn
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            self._migrate()
        except sqlite3.Error as exc:
            self.close()
            raise ClinicDbError(f"could not open the clinic database {path}: {exc}") from exc
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------ lifetime

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> ClinicDb:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------ access

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ClinicDbError(f"the clinic database {self.path} is closed")
        return self._conn

    def _error(self, exc: sqlite3.Error) -> ClinicDbError:
        # SQLite's messages ("database is locked", "disk I/O error") hold no patient data.
        return ClinicDbError(f"the clinic database {self.path} could not be used: {exc}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one write transaction (nested calls join the outer one).

        ``BEGIN IMMEDIATE`` takes the write lock at once, so a read-modify-write (a failed
        sign-in count) cannot interleave with another process such as the command line.
        """
        with self._lock:
            conn = self._connection()
            outer = self._depth == 0
            try:
                if outer:
                    conn.execute("BEGIN IMMEDIATE")
                self._depth += 1
                try:
                    yield conn
                finally:
                    self._depth -= 1
                if outer:
                    conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if outer:
                    self._rollback(conn)
                raise self._error(exc) from exc
            except BaseException:
                if outer:
                    self._rollback(conn)
                raise

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Every row of one read."""
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One write in its own transaction; the new row's id (for an INSERT)."""
        with self.transaction() as conn:
            return conn.execute(sql, params).lastrowid or 0

    # ------------------------------------------------------------ schema

    def _migrate(self) -> None:
        (version,) = self.query("PRAGMA user_version")[0]
        if version > SCHEMA_VERSION:
            raise ClinicDbError(
                f"the clinic database {self.path} was made by a newer version of the kiosk "
                f"(schema {version}; this one knows {SCHEMA_VERSION})"
            )
        with self.transaction() as conn:
            # Read again inside the write lock: another process may have migrated meanwhile.
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            # Version 1's tables (``IF NOT EXISTS``), then each numbered step after it.
            steps = [
                _SCHEMA,
                *(_MIGRATIONS[n] for n in range(max(version, 1) + 1, 1 + SCHEMA_VERSION)),
            ]
            for script in steps:
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            if version < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
