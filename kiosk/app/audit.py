"""The audit trail: who did what to which summary, and when.

Never a patient name or an answer, and never a clinician's name or password: only the
time, the clinician's id, the action and the document id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.app.db import ClinicDb, from_text, to_text

ACTIONS = (
    "sign-in",
    "failed-sign-in",
    "sign-out",
    "view",
    "print",
    "print-failed",
    "mark-reviewed",
    "exit",
    "delete",
    "send-again",  # a summary the FHIR server refused, queued again by a clinician
)


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    clinician_id: int | None
    action: str
    document_id: str | None


class Audit:
    def __init__(self, db: ClinicDb) -> None:
        self.db = db

    def log(
        self, action: str, clinician_id: int | None = None, document_id: str | None = None
    ) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        self.db.execute(
            "INSERT INTO audit (at, clinician_id, action, document_id) VALUES (?, ?, ?, ?)",
            (to_text(self.db.clock()), clinician_id, action, document_id),
        )

    def rows(self) -> list[AuditRow]:
        """Every entry, oldest first."""
        return [
            AuditRow(from_text(r["at"]), r["clinician_id"], r["action"], r["document_id"])
            for r in self.db.query(
                "SELECT at, clinician_id, action, document_id FROM audit ORDER BY id"
            )
        ]
