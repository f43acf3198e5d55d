"""Getting a signed record safely to disk, without Qt: save, spool, keep in memory, retry.

``Delivery`` makes the decisions the window used to make itself: whether a summary is
safe in the output folder or the patient must be asked to tell the front desk, what is
kept in memory, what the 30-second retry does, what clinician mode is told about the
backlog, and how the patient's copy is printed. The window only runs the slow part (the
PDF) on a worker thread and shows the outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk.app.storage import Saved, SummaryWriter
from kiosk.domain.model import Content
from kiosk.domain.record import Record

if TYPE_CHECKING:
    from kiosk.app.printing import PrintResult

log = logging.getLogger("kiosk.app")

#: How often a summary that could not be saved is tried again, in milliseconds.
SAVE_RETRY_MS = 30_000
#: How many saved document ids are remembered (to never save one twice after a crash).
RECENT = 20

Write = Callable[[Content, Record], Saved]
Send = Callable[[Path, str], "PrintResult"]


class SummaryArchive(SummaryWriter, Protocol):
    """Where signed records go (``kiosk.saving.PdfSummaryWriter``): the output folder,
    or a spool folder when that fails, and the patient's copy made on demand."""

    #: Why the output folder could not be used last time; "" when it worked.
    problem: str

    def is_spooled(self, saved: Saved) -> bool:
        """True when ``saved`` went to the spool folder, not the output folder."""
        ...

    def spooled(self) -> list[Path]:
        """The summaries waiting in the spool folder."""
        ...

    def move_spooled(self) -> int:
        """Move spooled summaries into the output folder; how many moved."""
        ...

    def print_patient_copy(self, content: Content, record: Record, send: Send) -> PrintResult:
        """Build the patient's copy and hand it to ``send``; never raises."""
        ...


@dataclass(frozen=True)
class SaveOutcome:
    """How saving a finished record went."""

    document_id: str
    saved: Saved | None
    spooled: bool = False

    @property
    def safe(self) -> bool:
        """In the output folder: the patient can go. Otherwise they tell the front desk."""
        return self.saved is not None and not self.spooled


class Delivery:
    """What happens to signed records until they are in the output folder."""

    def __init__(self, archive: SummaryArchive, content: Content | None) -> None:
        self.archive = archive
        self.content = content
        #: Signed records that could not be saved anywhere yet; retried every 30 s.
        self.unsaved: list[Record] = []
        #: Why the last save failed; "" once everything is saved.
        self.problem = ""
        self._recent: list[str] = []

    # ------------------------------------------------------------ saving

    def save(self, record: Record, write: Write | None = None) -> SaveOutcome:
        """Save ``record`` with ``write`` (by default the archive itself, on this thread).

        On failure the record is kept in memory for ``retry``; the error is logged by
        its path (an OSError) or its type only, never its text, which could quote an
        answer.
        """
        assert self.content is not None
        try:
            saved = (write or self.archive)(self.content, record)
        except Exception as exc:
            detail = str(exc) if isinstance(exc, OSError) else type(exc).__name__
            log.error(
                "summary %s not saved (%s); kept in memory, will retry", record.document_id, detail
            )
            self.problem = detail
            self.unsaved.append(record)
            return SaveOutcome(record.document_id, None)
        self._recent.append(record.document_id)
        del self._recent[:-RECENT]  # only recent ones matter, and ids are not personal
        return SaveOutcome(record.document_id, saved, self.archive.is_spooled(saved))

    def was_saved(self, document_id: str) -> bool:
        return document_id in self._recent

    @property
    def last_saved(self) -> str | None:
        """The document id saved last (ids are not personal)."""
        return self._recent[-1] if self._recent else None

    def retry(self) -> list[SaveOutcome]:
        """Save what is in memory, move the spool; the records saved now."""
        done: list[SaveOutcome] = []
        for record in list(self.unsaved):
            self.unsaved.remove(record)
            outcome = self.save(record)  # back on the list if it fails again
            if outcome.saved is not None:
                done.append(outcome)
        self.archive.move_spooled()
        if self.settled:
            self.problem = ""
        return done

    @property
    def settled(self) -> bool:
        """Nothing in memory or in the spool folder: no retry needed."""
        return not self.unsaved and not self.archive.spooled()

    def backlog(self) -> str:
        """For clinician mode: what is not yet in the output folder, and why."""
        in_memory, spooled = len(self.unsaved), len(self.archive.spooled())
        if not in_memory and not spooled:
            return ""
        problem = self.archive.problem or self.problem
        parts = []
        if spooled:
            parts.append(f"{spooled} in the spool folder")
        if in_memory:
            parts.append(f"{in_memory} only in memory (do not close the kiosk)")
        return (
            f"Summaries not yet in the output folder: {', '.join(parts)}. "
            f"Tried again every {SAVE_RETRY_MS // 1000} seconds. "
            f"Reason: {problem or 'unknown'}"
        )

    # ------------------------------------------------------------ the patient's copy

    def print_copy(self, record: Record, send: Send) -> tuple[str, PrintResult]:
        """Build and print the patient's copy of ``record``; (document id, result).

        Never raises: a failure becomes a result the done screen can put kindly.
        """
        from kiosk.app.printing import PrintResult

        assert self.content is not None
        try:
            result = self.archive.print_patient_copy(self.content, record, send)
        except Exception as exc:  # never raw to the patient; logged by type only
            result = PrintResult(False, f"the copy failed ({type(exc).__name__})", None)
        # Logged, not audited: the copy adds nothing to the record and is never kept.
        if result.ok:
            log.info("patient's copy of %s sent to the printer", record.document_id)
        else:
            log.warning("patient's copy of %s not printed: %s", record.document_id, result.message)
        return record.document_id, result
