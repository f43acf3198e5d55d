"""The clinic's services as the UI and the command line use them: one object, no Qt.

Handed to the clinician mode and the kiosk window by the composition root
(``kiosk.ui.app``, ``kiosk.cli``), so tests drive the UI with real services over a
temporary database and a real CUPS, or swap ``print_file`` for a fake printer.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # argon2, cryptography and sqlite are imported when clinician mode needs them, not
    # on the way to the welcome screen's first frame.
    from kiosk.app.accounts import Accounts
    from kiosk.app.audit import Audit
    from kiosk.app.db import ClinicDb
    from kiosk.app.outbox import Outbox
    from kiosk.app.printing import PrintResult
    from kiosk.app.queue import PrintQueue
    from kiosk.app.summaries import SummarySource

    Printer = Callable[[Path, str], PrintResult]


#: Clinician mode shows a banner when a summary has waited this long for the FHIR server.
DELIVERY_LATE = dt.timedelta(minutes=15)


@dataclass
class ClinicServices:
    db: ClinicDb
    accounts: Accounts
    audit: Audit
    index: SummarySource
    queue: PrintQueue
    folder: Path
    printer: str = ""
    idle_seconds: int = 120
    retention_days: int = 30
    #: How a PDF reaches the printer; ``print_pdf`` through CUPS unless a test says otherwise.
    print_file: Printer | None = None
    #: What is not yet saved in the output folder (spool, memory), for the list's banner.
    backlog: Callable[[], str] | None = None
    #: The encryption_password when summaries are encrypted at rest.
    pdf_password: str = ""
    #: Summaries are sent to a FHIR server (``fhir_base_url``).
    deliver: bool = False
    #: Wakes the FHIR courier (set when it runs), so "Send again" goes at once.
    wake_courier: Callable[[], None] | None = None
    #: Said on the summaries list: the clinic's content is older than the shipped one
    #: (``kiosk.app.content_pack``); "" when it is not.
    content_notice: str = ""
    _outbox: Outbox | None = field(default=None, init=False, repr=False)

    def purge_old(self) -> list[str]:
        """Delete summaries past the retention period (each deletion is audited), except,
        while delivery is on, those the FHIR server does not hold yet."""
        from kiosk.app.retention import purge

        keep = self.outbox().undelivered() if self.deliver else frozenset()
        return purge(self.folder, self.retention_days, self.audit, self.db.clock(), keep)

    def outbox(self) -> Outbox:
        """The FHIR outbox (one, so each sealed reason is opened once)."""
        from kiosk.app.outbox import Outbox

        if self._outbox is None:
            self._outbox = Outbox(self.db, self.pdf_password)
        return self._outbox

    def send_again(self, document_id: str) -> bool:
        """A summary that needed attention goes to the FHIR server again."""
        queued = self.outbox().send_again(document_id)
        if queued and self.wake_courier is not None:
            self.wake_courier()
        return queued

    def delivery_banner(self) -> str:
        """For the list: summaries needing attention, or waiting more than 15 minutes."""
        if not self.deliver:
            return ""
        counts = self.outbox().counts()
        lines = []
        if counts.attention:
            lines.append(
                f"{counts.attention} summary(ies) need attention: the clinic's FHIR server "
                "refused them (open one to see why)."
            )
        oldest = counts.oldest_waiting
        if oldest is not None and self.db.clock() - oldest > DELIVERY_LATE:
            minutes = int((self.db.clock() - oldest).total_seconds() // 60)
            lines.append(
                f"{counts.waiting} summary(ies) waiting to be sent, the oldest for {minutes} "
                f"minutes: {counts.reason or 'not tried yet'}."
            )
        return "\n".join(lines)

    def print_plain(self, pdf: Path, title: str) -> PrintResult:
        """Hand an unencrypted PDF to the clinic's printer: the one place that chooses
        between a test's ``print_file`` and CUPS (``lp``)."""
        if self.print_file is not None:
            return self.print_file(pdf, title)
        from kiosk.app.printing import print_pdf

        return print_pdf(pdf, title, self.printer or None)

    def send_to_printer(self, pdf: Path, title: str) -> PrintResult:
        """Print a saved summary, decrypting it first when summaries are encrypted."""
        if self.pdf_password:
            return self._print_decrypted(pdf, title)
        return self.print_plain(pdf, title)

    def _print_decrypted(self, pdf: Path, title: str) -> PrintResult:
        """CUPS prints an encrypted PDF as a blank page: send a clear copy that lives
        only until lp has handed it to CUPS, in a private folder."""
        from kiosk.app.atrest import SealedError, decrypt_pdf
        from kiosk.app.printing import PrintResult

        try:
            plain = decrypt_pdf(pdf.read_bytes(), self.pdf_password)
        except (OSError, SealedError) as exc:
            return PrintResult(False, f"The summary could not be opened for printing ({exc})", None)
        with tempfile.TemporaryDirectory(prefix="dn-kiosk-print-") as folder:
            clear = Path(folder) / pdf.name
            clear.write_bytes(plain)
            return self.print_plain(clear, title)
