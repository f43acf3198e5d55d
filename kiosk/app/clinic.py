"""The clinic's services as one object: accounts, audit, the summary index, printing, purge.

The composition root (``kiosk.cli``) builds a ``ClinicServices`` and hands it to the UI;
clinician mode, the automatic printer and the patient's copy reach the clinic only
through it. No Qt here: the tests and the command line use it as it is.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # argon2, cryptography and sqlite load when clinician mode needs them, not on the
    # way to the welcome screen's first frame.
    from kiosk.clinic.accounts import Accounts
    from kiosk.clinic.audit import Audit
    from kiosk.clinic.db import ClinicDb
    from kiosk.clinic.printing import PrintResult
    from kiosk.clinic.queue import PrintQueue
    from kiosk.clinic.summaries import SummaryIndex

    Printer = Callable[[Path, str], PrintResult]


@dataclass
class ClinicServices:
    db: ClinicDb
    accounts: Accounts
    audit: Audit
    index: SummaryIndex
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

    def purge_old(self) -> list[str]:
        """Delete summaries past the retention period (each deletion is audited)."""
        from kiosk.clinic.retention import purge

        return purge(self.folder, self.retention_days, self.audit, self.db.clock())

    def print_plain(self, pdf: Path, title: str) -> PrintResult:
        """Send a PDF that is not encrypted to the clinic's printer as it is.

        The one place that chooses between a test's ``print_file`` and CUPS. The
        patient's copy (never saved, so never encrypted) goes this way directly.
        """
        if self.print_file is not None:
            return self.print_file(pdf, title)
        from kiosk.clinic.printing import print_pdf

        return print_pdf(pdf, title, self.printer or None)

    def send_to_printer(self, pdf: Path, title: str) -> PrintResult:
        """Print a saved summary, decrypting it first when summaries are encrypted."""
        if self.pdf_password:
            return self._print_decrypted(pdf, title)
        return self.print_plain(pdf, title)

    def _print_decrypted(self, pdf: Path, title: str) -> PrintResult:
        """CUPS prints an encrypted PDF as a blank page: send a clear copy that lives
        only until lp has handed it to CUPS, in a private folder."""
        from kiosk.clinic.atrest import SealedError, decrypt_pdf
        from kiosk.clinic.printing import PrintResult

        try:
            plain = decrypt_pdf(pdf.read_bytes(), self.pdf_password)
        except (OSError, SealedError) as exc:
            return PrintResult(False, f"The summary could not be opened for printing ({exc})", None)
        with tempfile.TemporaryDirectory(prefix="dn-kiosk-print-") as folder:
            clear = Path(folder) / pdf.name
            clear.write_bytes(plain)
            return self.print_plain(clear, title)
