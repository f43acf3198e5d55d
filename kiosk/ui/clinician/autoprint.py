"""Printing off the UI thread: each new summary when ``auto_print`` is on, and the relay
that brings a print result back to the UI thread."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.app.clinic import ClinicServices

if TYPE_CHECKING:
    from kiosk.app.printing import PrintResult

log = logging.getLogger("kiosk.ui")


class AutoPrinter(QObject):
    """Prints each new summary when ``auto_print`` is on, off the UI thread.

    A failure never reaches the patient: the job waits in the print queue, is retried
    every minute, and clinician mode shows why it is waiting.

    Signals:
        finished(str, object): document id and ``PrintResult``.
    """

    finished = Signal(str, object)

    def __init__(self, services: ClinicServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.relay = PrintRelay(self)
        self.relay.done.connect(self._on_done)
        self.retry = QTimer(self)
        self.retry.setObjectName("print-retry")
        self.retry.setInterval(60_000)
        self.retry.timeout.connect(self.retry_pending)
        self.retry.start()

    def submit(self, document_id: str) -> None:
        self.services.queue.add(document_id)
        self._print(document_id)

    def retry_pending(self) -> None:
        for document_id, _attempts, _error in self.services.queue.pending():
            self._print(document_id)

    def _print(self, document_id: str) -> None:
        entry = self.services.index.entry(document_id)
        if entry is None:
            return
        services, relay = self.services, self.relay

        def work() -> None:
            relay.done.emit(document_id, services.send_to_printer(entry.pdf, document_id))

        threading.Thread(target=work, name="auto-print", daemon=True).start()

    def _on_done(self, document_id: str, result: PrintResult) -> None:
        if result.ok:
            self.services.queue.done(document_id)
            self.services.index.mark_printed(document_id)
            self.services.audit.log("print", None, document_id)
        else:
            self.services.queue.failed(document_id, result.message)
            self.services.audit.log("print-failed", None, document_id)
            log.warning("summary %s not printed: %s", document_id, result.message)
        self.finished.emit(document_id, result)


class PrintRelay(QObject):
    """Carries a print result from a worker thread back to the UI thread (queued)."""

    done = Signal(str, object)
