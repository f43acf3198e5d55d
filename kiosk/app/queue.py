"""Auto-print jobs that failed, kept in the clinic database until they print or are dropped.

Only the document id, when it was queued, how many attempts failed and the last
staff-readable error (from ``print_pdf``, which holds no patient data) are kept.
"""

from __future__ import annotations

from kiosk.app.db import ClinicDb, to_text

#: Longer errors are cut: the message is for a status line, not a log.
MESSAGE_MAX = 300


class PrintQueue:
    def __init__(self, db: ClinicDb) -> None:
        self.db = db

    def add(self, document_id: str) -> None:
        """Queue a summary (no change if it is queued already)."""
        self.db.execute(
            "INSERT INTO print_queue (document_id, queued_at, attempts, last_error) "
            "VALUES (?, ?, 0, NULL) ON CONFLICT (document_id) DO NOTHING",
            (document_id, to_text(self.db.clock())),
        )

    def failed(self, document_id: str, message: str) -> None:
        """Count a failed attempt and keep its message (queueing the summary if need be)."""
        self.db.execute(
            "INSERT INTO print_queue (document_id, queued_at, attempts, last_error) "
            "VALUES (?, ?, 1, ?) ON CONFLICT (document_id) DO UPDATE SET "
            "attempts = attempts + 1, last_error = excluded.last_error",
            (document_id, to_text(self.db.clock()), message[:MESSAGE_MAX]),
        )

    def done(self, document_id: str) -> None:
        """Printed, or given up on: off the queue."""
        self.db.execute("DELETE FROM print_queue WHERE document_id = ?", (document_id,))

    def pending(self) -> list[tuple[str, int, str | None]]:
        """(document id, attempts, last error) of every queued summary, oldest first."""
        return [
            (r["document_id"], r["attempts"], r["last_error"])
            for r in self.db.query(
                "SELECT document_id, attempts, last_error FROM print_queue "
                "ORDER BY queued_at, document_id"
            )
        ]
