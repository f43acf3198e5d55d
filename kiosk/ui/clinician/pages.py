"""Clinician mode's pages: sign-in, the list of summaries, and the PDF viewer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.consent import ConsentDecision
from kiosk.domain.model import Level
from kiosk.ui.keyboard import STAFF_WORDS, OnScreenKeyboard
from kiosk.ui.widgets import MIN_TARGET, BigButton, Text, grab_touch_scrolling, set_role

if TYPE_CHECKING:
    # The clinic's services (argon2, cryptography, sqlite) are imported when clinician
    # mode needs them, not on the way to the welcome screen's first frame; QtPdf loads
    # with the first summary opened.
    from kiosk.app.accounts import Accounts
    from kiosk.app.printing import PrintResult
    from kiosk.app.summaries import SummaryEntry
    from kiosk.ui.clinician.mode import ClinicianMode


LEVEL_COLOURS = {
    Level.CONTRAINDICATION: "#B3261E",
    Level.PRECAUTION: "#8A5300",
    Level.NOTE: "#1F4E8C",
}

#: The list's consent column: a summary without a signature stands out.
CONSENT_WORDS = {
    ConsentDecision.GIVEN: "signed",
    ConsentDecision.TALK_FIRST: "NOT GIVEN: talk first",
    ConsentDecision.DECLINED: "DECLINED",
}


class SignInPage(QWidget):
    """Choose your name, then type your password. No shared PIN, no default account."""

    def __init__(self, accounts: Accounts, mode: ClinicianMode) -> None:
        super().__init__()
        self.setObjectName("sign-in")
        self.accounts = accounts
        self.mode = mode
        self.chosen = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 48, 80, 48)
        layout.setSpacing(18)
        layout.addWidget(Text("Staff sign-in", "title"))
        names = accounts.names()
        self.error = Text("", "error")
        self.error.setVisible(False)
        if not names:
            layout.addWidget(
                Text(
                    "There are no clinician accounts yet. On this computer, in the kiosk's "
                    'folder, run:  .venv/bin/python -m kiosk add-clinician "Your Name"',
                    "body",
                )
            )
        else:
            layout.addWidget(Text("Choose your name:", "label"))
            row = QHBoxLayout()
            row.setSpacing(14)
            for name in names:
                button = BigButton(name, "secondary", f"Sign in as {name}")
                button.setObjectName(f"clinician-{name}")
                button.clicked.connect(lambda _=False, n=name: self._choose(n))
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        self.prompt = Text("", "label")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setMinimumHeight(MIN_TARGET + 8)
        self.password.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.password.setInputMethodHints(
            Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
        )
        set_role(self.password, "field")
        self.password.returnPressed.connect(self._on_submit)
        self.submit = BigButton("Sign in", "primary")
        self.submit.setObjectName("sign-in-submit")
        self.submit.clicked.connect(self._on_submit)
        for widget in (self.prompt, self.password, self.submit):
            widget.setVisible(False)
        layout.addWidget(self.prompt)
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        cancel = BigButton("Cancel", "secondary")
        cancel.setObjectName("sign-in-cancel")
        cancel.clicked.connect(mode.close_mode)
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.submit)
        layout.addStretch(1)
        layout.addLayout(buttons)
        # Staff sign in by touch too: the patients' keyboard, in its password mode,
        # docked under Cancel and Sign in so neither is ever covered.
        self.keyboard = OnScreenKeyboard(None, self, STAFF_WORDS)
        self.keyboard.attach(self.password)
        layout.addWidget(self.keyboard)

    def _choose(self, name: str) -> None:
        self.chosen = name
        self.prompt.setText(f"Password for {name}:")
        for widget in (self.prompt, self.password, self.submit):
            widget.setVisible(True)
        self.password.clear()
        self.password.setFocus()
        self.keyboard.show_for(self.password)
        self.error.setVisible(False)

    def _on_submit(self) -> None:
        if not self.chosen:
            return
        result = self.accounts.sign_in(self.chosen, self.password.text())
        # The password never stays in the widget, nor in its undo history.
        self.password.setText("")
        self.password.clear()
        if result.ok and result.clinician_id is not None:
            self.mode.signed_in(result.clinician_id, result.name)
            return
        if result.locked_until is not None:
            message = (
                f"Too many wrong passwords: {self.chosen}'s account is locked until "
                f"{result.locked_until:%H:%M}. Another clinician can still sign in."
            )
        else:
            message = (
                f"That password is not right. {result.tries_left} tries left "
                "before a 5-minute lock."
            )
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.setVisible(True)


class ListPage(QWidget):
    """Summaries, newest first, with filter, search, and the print queue's state."""

    def __init__(self, mode: ClinicianMode) -> None:
        super().__init__()
        self.setObjectName("summary-list")
        self.mode = mode
        services = mode.services
        assert services is not None
        self.services = services
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(14)
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(Text("Summaries", "title"))
        heading.addWidget(Text(f"Signed in as {mode.clinician_name}", "hint"))
        top.addLayout(heading, 1)
        sign_out = BigButton("Sign out", "secondary")
        sign_out.setObjectName("sign-out")
        sign_out.clicked.connect(mode.sign_out)
        quit_button = BigButton(mode.close_label, "secondary")
        quit_button.setObjectName("quit")
        quit_button.clicked.connect(mode.quit_kiosk)
        top.addWidget(sign_out)
        top.addWidget(quit_button)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.today = BigButton("Today", "secondary")
        self.today.setObjectName("filter-today")
        self.today.setCheckable(True)
        self.all = BigButton("All", "secondary")
        self.all.setObjectName("filter-all")
        self.all.setCheckable(True)
        # An exclusive pair, switched by ``toggled``: the accessibility API's Toggle
        # action never emits ``clicked``.
        self.filter_group = QButtonGroup(self)
        self.filter_group.addButton(self.today)
        self.filter_group.addButton(self.all)
        self.today.toggled.connect(lambda on: self._on_filter_toggled(True, on))
        self.all.toggled.connect(lambda on: self._on_filter_toggled(False, on))
        self.search = QLineEdit()
        self.search.setPlaceholderText(mode.search_hint)
        self.search.setAccessibleName(mode.search_hint)
        self.search.setMinimumHeight(MIN_TARGET)
        set_role(self.search, "field")
        self.search.textChanged.connect(self.refresh)
        filters.addWidget(self.today)
        filters.addWidget(self.all)
        filters.addWidget(self.search, 1)
        layout.addLayout(filters)

        self.queue_banner = QFrame()
        set_role(self.queue_banner, "banner")
        banner = QHBoxLayout(self.queue_banner)
        self.queue_text = Text("", "error")
        self.retry_printing = BigButton("Retry printing", "secondary")
        self.retry_printing.setObjectName("retry-queue")
        self.retry_printing.clicked.connect(self._retry_queue)
        banner.addWidget(self.queue_text, 1)
        banner.addWidget(self.retry_printing)
        layout.addWidget(self.queue_banner)

        # With delivery on, a sixth column says where each summary is on its way.
        columns = ["Time", "Patient", "Flags", "Status", "Consent"]
        columns += ["Sent"] if services.deliver else []
        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName("summaries")
        self.table.setAccessibleName("Summaries")
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(MIN_TARGET)
        # A finger drags the list, as on the patients' pages (one gesture recognizer).
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        grab_touch_scrolling(self.table.viewport())
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.cellClicked.connect(self._on_cell_clicked)
        layout.addWidget(self.table, 1)
        self.empty = Text("No summaries here yet.", "hint")
        layout.addWidget(self.empty)
        self.entries: list[SummaryEntry] = []
        self._set_today(mode.today_only)

    def _on_filter_toggled(self, today: bool, checked: bool) -> None:
        if checked and today != self.mode.today_only:
            self._set_today(today)

    def _set_today(self, today: bool) -> None:
        self.mode.today_only = today
        self.today.setChecked(today)
        self.all.setChecked(not today)
        self.refresh()

    def refresh(self) -> None:
        problem = ""
        try:
            self.entries = self.services.index.entries(
                today_only=self.mode.today_only, search=self.search.text()
            )
        except OSError as exc:  # the folder, or the FHIR server at a desk: said, not raised
            self.entries, problem = [], exc.strerror or str(exc)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            level = entry.highest
            flags = f"{level.word} ({entry.flags})" if level else "none"
            when = f"{entry.created:%d %b %H:%M}"
            consent = CONSENT_WORDS[entry.consent]
            cells = [when, entry.patient_name, flags, entry.status, consent]
            if self.services.deliver:
                cells.append(entry.delivery or "not queued")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2 and level is not None:
                    item.setForeground(QColor(LEVEL_COLOURS[level]))
                if (col == 4 and entry.consent.withheld) or (
                    col == 5 and entry.delivery == "needs attention"
                ):
                    item.setForeground(QColor(LEVEL_COLOURS[Level.CONTRAINDICATION]))
                self.table.setItem(row, col, item)
        self.empty.setVisible(not self.entries)
        pending = self.services.queue.pending()
        lines = [problem] if problem else []
        if pending:
            last = next((error for _, _, error in pending if error), "not printed yet")
            lines.append(f"{len(pending)} summary(ies) waiting to print: {last}")
        backlog = self.services.backlog() if self.services.backlog else ""
        if backlog:
            lines.append(backlog)
        delivery = self.services.delivery_banner()
        if delivery:
            lines.append(delivery)
        if self.services.content_notice:
            lines.append(self.services.content_notice)
        self.queue_banner.setVisible(bool(lines))
        self.queue_text.setText("\n".join(lines))
        self.retry_printing.setVisible(bool(pending))  # the other lines are not printing

    def _on_cell_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.entries):
            self.mode.open_summary(self.entries[row])

    def _retry_queue(self) -> None:
        for document_id, _attempts, _error in self.services.queue.pending():
            entry = self.services.index.entry(document_id)
            if entry is not None:
                self.mode.print_summary(entry)


class ViewerPage(QWidget):
    """One summary in QtPdf's viewer: fit to width, page through, review, print."""

    def __init__(self, mode: ClinicianMode, entry: SummaryEntry) -> None:
        super().__init__()
        self.setObjectName("viewer")
        self.mode = mode
        self.entry = entry
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        bar = QHBoxLayout()
        back = BigButton("\u2190  List", "secondary", "Back to the list")
        back.setObjectName("viewer-back")
        back.clicked.connect(mode.show_list)
        self.previous = BigButton("\u2191  Page", "secondary", "Previous page")
        self.previous.setObjectName("previous-page")
        self.next = BigButton("\u2193  Page", "secondary", "Next page")
        self.next.setObjectName("next-page")
        self.page_label = Text("", "label")
        self.page_label.setWordWrap(False)
        fit = BigButton("Fit width", "secondary")
        fit.setObjectName("fit-width")
        self.review = BigButton("Mark reviewed", "primary")
        self.review.setObjectName("mark-reviewed")
        self.print_button = BigButton("Print", "primary")
        self.print_button.setObjectName("print")
        for widget in (back, self.previous, self.next, self.page_label, fit):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.review)
        bar.addWidget(self.print_button)
        layout.addLayout(bar)
        self.status = Text("", "hint")
        self.retry = BigButton("Retry", "secondary", "Retry printing")
        self.retry.setObjectName("retry-print")
        self.retry.setVisible(False)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.retry)
        layout.addLayout(status_row)
        # Where the summary is on its way to the clinic's FHIR server, and the server's
        # words when it refused it; "Send again" once staff have fixed what it said.
        self.delivery = Text("", "hint")
        self.delivery.setObjectName("delivery-status")
        self.send_again = BigButton("Send again", "secondary", "Send to the FHIR server again")
        self.send_again.setObjectName("send-again")
        self.send_again.clicked.connect(self._on_send_again)
        delivery_row = QHBoxLayout()
        delivery_row.addWidget(self.delivery, 1)
        delivery_row.addWidget(self.send_again)
        layout.addLayout(delivery_row)

        # QtPdf (PDFium) loads with the first summary opened, not at start-up.
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf-view")
        self.view.setAccessibleName("Summary document")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(self.view, 1)
        services = mode.services
        assert services is not None  # the viewer opens from the list, after sign-in
        if services.pdf_password:
            self.document.setPassword(services.pdf_password)
        try:
            error = self.document.load(str(services.index.pdf_file(entry)))
        except OSError as exc:  # at a desk, fetched from the FHIR server
            self.status.setText(f"This summary's PDF could not be fetched: {exc.strerror or exc}")
        else:
            if error != QPdfDocument.Error.None_:
                self.status.setText(
                    "This summary's PDF could not be opened. The saved record is kept."
                )

        self.previous.clicked.connect(lambda: self.go(-1))
        self.next.clicked.connect(lambda: self.go(1))
        fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.review.clicked.connect(self._on_review)
        self.print_button.clicked.connect(self._on_print)
        self.retry.clicked.connect(self._on_print)
        self._update_page()
        self._update_status()

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    @property
    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go(self, step: int) -> None:
        target = min(max(0, self.current_page + step), max(0, self.page_count - 1))
        self.view.pageNavigator().jump(target, QPointF(), self.view.pageNavigator().currentZoom())
        self._update_page()

    def _update_page(self) -> None:
        count = self.page_count
        self.page_label.setText(f"Page {self.current_page + 1} of {count}" if count else "")
        self.previous.setEnabled(self.current_page > 0)
        self.next.setEnabled(self.current_page < count - 1)

    def _update_status(self) -> None:
        entry = (
            self.mode.services.index.entry(self.entry.document_id) if self.mode.services else None
        )
        if entry is None:
            return
        self.entry = entry
        parts = [f"Status: {entry.status}"]
        if entry.reviewed_by and entry.reviewed_at:
            parts.append(f"reviewed by {entry.reviewed_by} at {entry.reviewed_at:%H:%M}")
        self.status.setText(";  ".join(parts))
        self.review.setEnabled(entry.reviewed_at is None)
        self._update_delivery(entry)

    def _update_delivery(self, entry: SummaryEntry) -> None:
        attention = entry.delivery == "needs attention"
        text = ""
        if entry.delivery:
            text = f"Clinic's FHIR server: {entry.delivery}"
            if entry.delivery_reason and entry.delivery != "delivered":
                text += f". {entry.delivery_reason}"
        self.delivery.setText(text)
        self.delivery.setVisible(bool(text))
        set_role(self.delivery, "error" if attention else "hint")
        self.delivery.style().unpolish(self.delivery)  # the stylesheet reads the role
        self.delivery.style().polish(self.delivery)
        self.send_again.setVisible(attention)

    def _on_send_again(self) -> None:
        self.mode.send_again(self.entry)
        self._update_status()

    def _on_review(self) -> None:
        try:
            self.mode.mark_reviewed(self.entry)
        except OSError as exc:  # at a desk: the FHIR server did not take it
            self.status.setText(f"Not marked reviewed: {exc.strerror or exc}")
            return
        self._update_status()

    def _on_print(self) -> None:
        self.print_button.setEnabled(False)
        self.retry.setVisible(False)
        self.status.setText("Sending to the printer…")
        self.mode.print_summary(self.entry)

    def show_print_result(self, result: PrintResult) -> None:
        self.print_button.setEnabled(True)
        set_role(self.status, "hint" if result.ok else "error")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        if result.ok:
            self._update_status()
            self.status.setText(f"{self.status.text()};  sent to the printer")
        else:
            self.status.setText(f"Not printed: {result.message}")
            self.retry.setVisible(True)
