"""Clinician mode: sign-in, list and viewer in one stack, with its idle sign-out."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.app.clinic import ClinicServices
from kiosk.ui.clinician.autoprint import PrintRelay
from kiosk.ui.clinician.pages import ListPage, SignInPage, ViewerPage
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import BigButton, Text, centred

if TYPE_CHECKING:
    from kiosk.app.printing import PrintResult
    from kiosk.app.summaries import SummaryEntry

log = logging.getLogger("kiosk.ui")


class ClinicianMode(Screen):
    """Sign-in, list and viewer, in one stack.

    Signals:
        finished(): signed out (or cancelled); back to the patient welcome screen.
        quit_requested(): a signed-in clinician chose to close the kiosk.
        print_finished(str, object): document id and ``PrintResult`` of a print.
    """

    finished = Signal()
    quit_requested = Signal()
    print_finished = Signal(str, object)

    def __init__(
        self,
        services: ClinicServices | None,
        unavailable: str = "",
        close_label: str = "Close the kiosk",
        search_hint: str = "Search by name",
    ) -> None:
        super().__init__(None, "clinician")
        self.services = services
        #: The list's button that ends the program ("Close" at a desk).
        self.close_label = close_label
        #: What the list's search field takes (a desk also takes a date).
        self.search_hint = search_hint
        self.clinician_id: int | None = None
        self.clinician_name = ""
        self.today_only = True
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.relay = PrintRelay(self)
        self.relay.done.connect(self._on_print_done)
        self.idle = IdleWatcher(services.idle_seconds if services else 120, self)
        self.idle.timer.setObjectName("clinician-idle")
        self.idle.timed_out.connect(self._on_idle)
        self.idle.arm()
        self.page: QWidget | None = None
        self.viewer: ViewerPage | None = None
        if services is None:
            self._show(self._message_page("Clinician mode is unavailable", unavailable))
        else:
            self._show(SignInPage(services.accounts, self))

    # ------------------------------------------------------------ pages

    def _show(self, page: QWidget) -> None:
        old = self.page
        self.page = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()

    def _message_page(self, title: str, body: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(80, 60, 80, 60)
        layout.addStretch(1)
        layout.addWidget(Text(title, "title"))
        layout.addWidget(Text(body, "body"))
        back = BigButton("Back to the welcome screen", "primary")
        back.clicked.connect(self.close_mode)
        layout.addLayout(centred(back))
        layout.addStretch(2)
        return page

    def signed_in(self, clinician_id: int, name: str) -> None:
        self.clinician_id = clinician_id
        self.clinician_name = name
        self.show_list()

    def show_list(self) -> None:
        assert self.services is not None
        self.viewer = None
        self._show(ListPage(self))

    def open_summary(self, entry: SummaryEntry) -> None:
        assert self.services is not None
        self.services.audit.log("view", self.clinician_id, entry.document_id)
        self.viewer = ViewerPage(self, entry)
        self._show(self.viewer)

    # ------------------------------------------------------------ actions

    def mark_reviewed(self, entry: SummaryEntry) -> None:
        assert self.services is not None
        assert self.clinician_id is not None
        self.services.index.mark_reviewed(entry.document_id, self.clinician_id)
        self.services.audit.log("mark-reviewed", self.clinician_id, entry.document_id)

    def send_again(self, entry: SummaryEntry) -> None:
        """Queue a summary the FHIR server refused again, once staff have fixed why."""
        assert self.services is not None
        if self.services.send_again(entry.document_id):
            self.services.audit.log("send-again", self.clinician_id, entry.document_id)

    def print_summary(self, entry: SummaryEntry) -> None:
        """Print on a worker thread; the result comes back as ``print_finished``."""
        services = self.services
        assert services is not None
        relay = self.relay

        def work() -> None:
            result = services.send_to_printer(entry.pdf, entry.document_id)
            relay.done.emit(entry.document_id, result)

        threading.Thread(target=work, name="print", daemon=True).start()

    def _on_print_done(self, document_id: str, result: PrintResult) -> None:
        services = self.services
        if services is None:
            return
        if result.ok:
            services.index.mark_printed(document_id)
            services.queue.done(document_id)
            services.audit.log("print", self.clinician_id, document_id)
        else:
            services.audit.log("print-failed", self.clinician_id, document_id)
        if self.viewer is not None and self.viewer.entry.document_id == document_id:
            self.viewer.show_print_result(result)
        self.print_finished.emit(document_id, result)

    def sign_out(self) -> None:
        if self.services is not None and self.clinician_id is not None:
            self.services.audit.log("sign-out", self.clinician_id)
        self.close_mode()

    def quit_kiosk(self) -> None:
        if self.services is not None:
            self.services.audit.log("exit", self.clinician_id)
        self.idle.disarm()
        self.quit_requested.emit()

    def close_mode(self) -> None:
        self.idle.disarm()
        self.idle.close()
        self.clinician_id = None
        self.finished.emit()

    def _on_idle(self) -> None:
        log.info("clinician mode idle: signing out")
        self.sign_out()
