"""The FHIR outbox: which summaries still have to reach the clinic's FHIR server.

One row per summary (table ``outbox`` in the clinic database, ``kiosk.app.db``), written
by :func:`queue` inside the transaction that writes the summary's index row
(``kiosk.app.archive.ArchiveIndex.put_all``): a saved summary is never forgotten, and
nothing is queued that was not saved. ``kiosk.app.courier`` sends them in the order
they were queued and writes back here what happened:

* **waiting**: not sent yet, or the last try failed in a way that may pass (the network,
  the server busy or down, the kiosk's credentials); ``next_attempt`` says when to try
  again, so the backoff holds across restarts;
* **delivered**: the server holds it; its ids are kept;
* **attention** (needs attention): the server refused this record (or it cannot be
  sent as it is); ``reason`` holds the server's words. It is never sent again by
  itself; staff can ask for it (:meth:`Outbox.send_again`).

No personal data here: document ids, file names (time and document id), states and
reasons. A server's reason may quote what it refused, so with encryption at rest the
reasons are sealed like the index's patient fields (``kiosk.app.atrest``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
from dataclasses import dataclass
from typing import Literal

from kiosk.app.db import ClinicDb, from_text, optional_time, to_text

State = Literal["waiting", "delivered", "attention"]
#: How clinician mode says each state.
STATE_WORDS: dict[str, str] = {
    "waiting": "waiting",
    "delivered": "delivered",
    "attention": "needs attention",
}
#: The longest reason kept (the server's words can be long).
MAX_REASON = 1000


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    document_id: str
    file_name: str
    content_version: str
    queued_at: dt.datetime
    state: State
    attempts: int
    next_attempt: dt.datetime | None
    reason: str
    delivered_at: dt.datetime | None
    server_response_id: str | None
    server_document_id: str | None


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int
    attention: int
    delivered: int
    #: When the oldest waiting summary was queued.
    oldest_waiting: dt.datetime | None
    #: Why the first waiting summary is still waiting ("" if it was never tried).
    reason: str


def queue(
    conn: sqlite3.Connection,
    document_id: str,
    file_name: str,
    content_version: str,
    now: dt.datetime,
) -> None:
    """Queue a summary for delivery, on ``conn`` inside the caller's transaction. A
    summary already queued keeps its row (and its state)."""
    conn.execute(
        "INSERT INTO outbox (document_id, file_name, content_version, queued_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (document_id) DO NOTHING",
        (document_id, file_name, content_version, to_text(now)),
    )


def _entry(r: sqlite3.Row, reason: str) -> OutboxEntry:
    return OutboxEntry(
        id=r["id"],
        document_id=r["document_id"],
        file_name=r["file_name"],
        content_version=r["content_version"],
        queued_at=from_text(r["queued_at"]),
        state=r["state"],
        attempts=r["attempts"],
        next_attempt=optional_time(r["next_attempt"]),
        reason=reason,
        delivered_at=optional_time(r["delivered_at"]),
        server_response_id=r["server_response_id"],
        server_document_id=r["server_document_id"],
    )


class Outbox:
    """The ``outbox`` and ``fhir_questionnaires`` tables; with ``password`` (the
    encryption_password) the reasons are sealed."""

    def __init__(self, db: ClinicDb, password: str = "") -> None:
        self.db = db
        self.password = password
        self._opened: dict[str, str] = {}

    def _seal(self, reason: str) -> str:
        reason = reason[:MAX_REASON]
        if not self.password:
            return reason
        from kiosk.app.atrest import seal_json

        return seal_json(reason.encode("utf-8"), self.password).decode("utf-8")

    def _open(self, stored: str | None) -> str:
        """A stored reason in words (each sealed one opened once)."""
        if not stored:
            return ""
        if stored not in self._opened:
            from kiosk.app.atrest import SealedError, open_json

            try:
                self._opened[stored] = open_json(stored.encode("utf-8"), self.password).decode()
            except (SealedError, UnicodeDecodeError):
                self._opened[stored] = "(the reason is sealed with another encryption_password)"
        return self._opened[stored]

    def _entry(self, r: sqlite3.Row) -> OutboxEntry:
        return _entry(r, self._open(r["reason"]))

    # ------------------------------------------------------------ reading

    def head(self) -> OutboxEntry | None:
        """The first waiting summary: delivery keeps the order they were saved in."""
        rows = self.db.query("SELECT * FROM outbox WHERE state = 'waiting' ORDER BY id LIMIT 1")
        return self._entry(rows[0]) if rows else None

    def entry(self, document_id: str) -> OutboxEntry | None:
        rows = self.db.query("SELECT * FROM outbox WHERE document_id = ?", (document_id,))
        return self._entry(rows[0]) if rows else None

    def entries(self) -> list[OutboxEntry]:
        return [self._entry(r) for r in self.db.query("SELECT * FROM outbox ORDER BY id")]

    def states(self) -> dict[str, tuple[State, str]]:
        """document id -> (state, reason), for the clinician's list."""
        rows = self.db.query("SELECT document_id, state, reason FROM outbox")
        return {r["document_id"]: (r["state"], self._open(r["reason"])) for r in rows}

    def undelivered(self) -> set[str]:
        """The document ids the server does not hold yet (waiting or needing attention)."""
        rows = self.db.query("SELECT document_id FROM outbox WHERE state != 'delivered'")
        return {r["document_id"] for r in rows}

    def counts(self) -> OutboxCounts:
        found = {"waiting": 0, "attention": 0, "delivered": 0}
        for r in self.db.query("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state"):
            found[r["state"]] = r["n"]
        head = self.head()
        return OutboxCounts(
            waiting=found["waiting"],
            attention=found["attention"],
            delivered=found["delivered"],
            oldest_waiting=head.queued_at if head else None,
            reason=head.reason if head else "",
        )

    # ------------------------------------------------------------ what happened

    def delivered(
        self, document_id: str, response_id: str, document_ref_id: str, now: dt.datetime
    ) -> None:
        self.db.execute(
            "UPDATE outbox SET state = 'delivered', delivered_at = ?, reason = NULL, "
            "next_attempt = NULL, server_response_id = ?, server_document_id = ? "
            "WHERE document_id = ?",
            (to_text(now), response_id, document_ref_id, document_id),
        )

    def needs_attention(self, document_id: str, reason: str) -> None:
        self.db.execute(
            "UPDATE outbox SET state = 'attention', reason = ?, next_attempt = NULL, "
            "attempts = attempts + 1 WHERE document_id = ?",
            (self._seal(reason), document_id),
        )

    def retry_later(self, document_id: str, reason: str, at: dt.datetime) -> None:
        """The try failed in a way that may pass: wait until ``at``."""
        self.db.execute(
            "UPDATE outbox SET reason = ?, next_attempt = ?, attempts = attempts + 1 "
            "WHERE document_id = ? AND state = 'waiting'",
            (self._seal(reason), to_text(at), document_id),
        )

    def send_again(self, document_id: str) -> bool:
        """Staff ask for a summary that needed attention to be sent again (after fixing
        what the server said). True if it was waiting for that."""
        with self.db.transaction() as conn:
            done = conn.execute(
                "UPDATE outbox SET state = 'waiting', next_attempt = NULL, attempts = 0 "
                "WHERE document_id = ? AND state = 'attention'",
                (document_id,),
            ).rowcount
        return done > 0

    def forget_delivered(self, document_ids: list[str]) -> None:
        """Rows of summaries deleted from disk (retention) that the server holds; a row
        still waiting stays, so the courier says that its files are gone."""
        with self.db.transaction() as conn:
            conn.executemany(
                "DELETE FROM outbox WHERE document_id = ? AND state = 'delivered'",
                [(d,) for d in document_ids],
            )

    # ------------------------------------------------------------ one courier at a time

    def claim(self, owner: str, now: dt.datetime, seconds: float) -> bool:
        """Take (or renew) the right to send for ``seconds``; False while another process
        holds it. ``owner`` is unique to the caller. A claim lapses when its time is up,
        or at once when the process that made it on this machine is gone (SIGKILL).

        So the kiosk's courier and ``python -m kiosk deliver`` never send at once.
        """
        mine = {"owner": owner, "pid": os.getpid(), "host": socket.gethostname()}
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT value FROM archive_meta WHERE key = 'courier-claim'"
            ).fetchone()
            if row is not None and not _lapsed(row["value"], owner, now):
                return False
            value = json.dumps({**mine, "until": to_text(now + dt.timedelta(seconds=seconds))})
            conn.execute(
                "INSERT INTO archive_meta (key, value) VALUES ('courier-claim', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (value,),
            )
        return True

    def release(self, owner: str) -> None:
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT value FROM archive_meta WHERE key = 'courier-claim'"
            ).fetchone()
            if row is not None and _claim_owner(row["value"]) == owner:
                conn.execute("DELETE FROM archive_meta WHERE key = 'courier-claim'")

    # ------------------------------------------------------------ questionnaires

    def questionnaire_sent(self, server: str, version: str) -> bool:
        rows = self.db.query(
            "SELECT 1 FROM fhir_questionnaires WHERE server = ? AND content_version = ?",
            (server, version),
        )
        return bool(rows)

    def mark_questionnaire(
        self, server: str, version: str, server_id: str | None, now: dt.datetime
    ) -> None:
        self.db.execute(
            "INSERT INTO fhir_questionnaires (server, content_version, sent_at, server_id) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (server, content_version) DO UPDATE SET "
            "sent_at = excluded.sent_at, server_id = excluded.server_id",
            (server, version, to_text(now), server_id),
        )


def _claim_owner(value: str) -> str:
    try:
        return str(json.loads(value).get("owner", ""))
    except (ValueError, AttributeError):
        return ""


def _lapsed(value: str, owner: str, now: dt.datetime) -> bool:
    """Whether a stored claim no longer holds against ``owner``."""
    try:
        claim = json.loads(value)
        if claim.get("owner") == owner or from_text(claim["until"]) <= now:
            return True
        # Signal 0 only asks whether the process exists, on POSIX; Windows' os.kill would
        # end it, so there a claim lapses only with time.
        if os.name == "posix" and claim.get("host") == socket.gethostname():
            os.kill(int(claim["pid"]), 0)  # raises when that process is gone
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return True  # unreadable: nobody can be relying on it
    return False
