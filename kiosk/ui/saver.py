"""The Qt side of saving: run ``kiosk.app.delivery`` off the UI thread and on timers.

``Delivery`` decides (save, spool, keep in memory, the backlog text, the patient's copy);
``Saver`` only runs that work on a worker thread, retries every 30 seconds, keeps the
clinic's retention going, and reports back on the UI thread.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal

from kiosk.app.clinic import ClinicServices
from kiosk.app.config import Config
from kiosk.app.delivery import SAVE_RETRY_MS, Delivery, SaveOutcome, SummaryArchive
from kiosk.app.printing import PrintResult
from kiosk.app.storage import Saved
from kiosk.domain.model import Content
from kiosk.domain.record import Record
from kiosk.ui.clinician import AutoPrinter

log = logging.getLogger("kiosk.ui")


class _SaveDone(QObject):
    """Tells the UI thread (queued) that the worker has finished writing."""

    done = Signal()


class _CopyPrinted(QObject):
    """Carries the patient's-copy print result (token, ``PrintResult``) to the UI thread."""

    done = Signal(object, object)


class Saver(QObject):
    """Signals:
    saved(object): a ``Saved`` after a summary was written (output or spool folder).
    copy_printed(object): the ``PrintResult`` of the current patient's copy.
    """

    saved = Signal(object)
    copy_printed = Signal(object)

    def __init__(
        self, config: Config, archive: SummaryArchive, content: Content | None, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.config = config
        self.delivery = Delivery(archive, content)
        self.clinic: ClinicServices | None = None
        self.auto_printer: AutoPrinter | None = None
        #: A summary is being written on the worker thread.
        self.saving = False
        self._copy_token: object | None = None  # which patient a print result is for
        self._copy_relay = _CopyPrinted(self)
        self._copy_relay.done.connect(self._on_copy_done)
        self.retry_timer = QTimer(self)
        self.retry_timer.setObjectName("save-retry")
        self.retry_timer.setSingleShot(False)
        self.retry_timer.setInterval(SAVE_RETRY_MS)
        self.retry_timer.timeout.connect(self._on_retry)
        self.maintenance = QTimer(self)
        self.maintenance.setObjectName("retention")
        self.maintenance.setInterval(3_600_000)  # hourly; purge_old only deletes what is due
        self.maintenance.timeout.connect(self._on_maintenance)
        self.maintenance.start()

    def attach_clinic(self, clinic: ClinicServices | None) -> None:
        self.clinic = clinic
        if clinic is not None:
            clinic.backlog = self.delivery.backlog
            if self.config.auto_print and self.auto_printer is None:
                self.auto_printer = AutoPrinter(clinic, self)

    # ------------------------------------------------------------ saving

    def save(self, record: Record, off_ui_thread: bool = False) -> SaveOutcome:
        """Save ``record``; a failure keeps it for the retry (``Delivery.save``)."""
        outcome = self.delivery.save(record, self._write_off_ui_thread if off_ui_thread else None)
        if not outcome.safe:
            self.retry_timer.start()
        self._after_save(outcome)
        return outcome

    def _after_save(self, outcome: SaveOutcome) -> None:
        if outcome.saved is None:
            return
        if self.auto_printer is not None and not outcome.spooled:
            self.auto_printer.submit(outcome.document_id)
        self.saved.emit(outcome.saved)

    def _write_off_ui_thread(self, content: Content, record: Record) -> Saved:
        """The archive (building the PDF takes about 50 ms) on a worker thread.

        The UI thread waits in a local event loop that keeps painting and running timers
        but holds back input, so the kiosk never freezes and a second tap on Next cannot
        finish twice; input that arrives meanwhile is delivered afterwards, as it was
        when the UI thread built the PDF itself. Errors are raised here, as before.
        """
        archive = self.delivery.archive
        outcome: list[Saved | BaseException] = []
        loop = QEventLoop()
        relay = _SaveDone()
        relay.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

        def work() -> None:
            try:
                outcome.append(archive(content, record))
            except BaseException as exc:  # raised again on the UI thread
                outcome.append(exc)
            relay.done.emit()

        worker = threading.Thread(target=work, name="save-summary")
        self.saving = True
        try:
            worker.start()
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            worker.join()
            self.saving = False
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def _on_retry(self) -> None:
        """Every 30 s while anything is waiting: save what is in memory, move the spool."""
        if self.saving:  # a patient's summary is being saved right now; next time
            return
        for outcome in self.delivery.retry():
            self._after_save(outcome)
        if self.delivery.settled:
            self.retry_timer.stop()

    def _on_maintenance(self) -> None:
        if self.clinic is not None:
            try:
                self.clinic.purge_old()
            except OSError as exc:
                log.error("retention: could not delete old summaries (%s)", exc.strerror)

    # ------------------------------------------------------------ the patient's copy

    @property
    def can_print_copy(self) -> bool:
        """The clinic said which printer to use (``printer``, or ``auto_print``)."""
        wanted = bool(self.config.printer) or self.config.auto_print
        return wanted and self.clinic is not None

    def print_copy(self, record: Record) -> None:
        """Build and print the patient's copy on a worker thread; ``copy_printed`` says
        how it went, unless ``forget_copy`` was called first (the patient has gone)."""
        clinic = self.clinic
        assert clinic is not None
        token = self._copy_token = object()
        # Straight to the printer, never through the decrypting path of send_to_printer:
        # the copy is never encrypted, as it is never saved.
        delivery, relay, send = self.delivery, self._copy_relay, clinic.print_plain

        def work() -> None:
            relay.done.emit(token, delivery.print_copy(record, send)[1])

        threading.Thread(target=work, name="print-copy", daemon=True).start()

    def forget_copy(self) -> None:
        """The patient has gone: a print result that comes later is not shown."""
        self._copy_token = None

    def _on_copy_done(self, token: object, result: PrintResult) -> None:
        if token is not self._copy_token:
            return  # that patient has gone; the next one must not see it
        self._copy_token = None
        self.copy_printed.emit(result)
