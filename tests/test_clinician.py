"""Clinician mode, end to end: gesture, lock-out, sign-in, review, print, idle sign-out.

A patient finishes first; the clinician then finds that summary. Printing goes to the
real cups-pdf printer where CUPS runs (always in CI, see scripts/setup-cups.sh).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QScroller

from kiosk.app.accounts import Accounts
from kiosk.app.audit import Audit
from kiosk.app.clinic import ClinicServices
from kiosk.app.config import Config
from kiosk.app.db import ClinicDb
from kiosk.app.printing import PrintResult, print_pdf
from kiosk.app.queue import PrintQueue
from kiosk.app.summaries import SummaryIndex
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import (
    current,
    draw,
    find_button,
    settle,
    signature_strokes,
    tap,
    tap_next,
    type_into,
    walk_to_consent,
)
from kiosk.ui.app import create_window
from kiosk.ui.clinician import ClinicianMode, ListPage, SignInPage, ViewerPage
from kiosk.ui.screens import ConsentScreen
from kiosk.ui.window import KioskWindow
from tests.a11y import TOGGLE, act

PATIENT = "Henrietta Lacks-Oyelaran"
CLINICIAN = "Dr Ada Quist"
PASSWORD = "correct horse battery"


def cups_ready() -> bool:
    if shutil.which("lpstat") is None:
        return False
    status = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    printer = subprocess.run(["lpstat", "-p", "PDF"], capture_output=True, text=True, check=False)
    return "scheduler is running" in status.stdout and printer.returncode == 0


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now().astimezone()

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(tmp_path: Path, config: Config, content: Content, clock: Clock):
    db = ClinicDb(tmp_path / "data" / "clinic.sqlite3", clock=clock)
    accounts = Accounts(db, hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    accounts.add(CLINICIAN, PASSWORD)
    printing_for_real = cups_ready()
    if not printing_for_real and os.environ.get("CI") == "true":
        pytest.fail("CI must print to a real CUPS: scripts/setup-cups.sh did not start it")

    def send(pdf: Path, title: str) -> PrintResult:
        if printing_for_real:
            return print_pdf(pdf, title, "PDF")
        return PrintResult(True, "printed (no CUPS here: simulated)", "PDF-0")

    services = ClinicServices(
        db=db,
        accounts=accounts,
        audit=Audit(db),
        index=SummaryIndex(db, config.output_dir, content),
        queue=PrintQueue(db),
        folder=config.output_dir,
        idle_seconds=config.clinician_idle_seconds,
        print_file=send,
    )
    yield services
    db.close()


@pytest.fixture
def window(qtbot, config: Config, content: Content, services: ClinicServices) -> KioskWindow:
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name), services
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def finish_a_patient(window: KioskWindow, qtbot) -> None:
    walk_to_consent(
        window, PATIENT, ("4", "8", "1951"), {"blood_thinner": ("yes",), "pregnant": ("unsure",)}
    )
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    with qtbot.waitSignal(window.summary_saved, timeout=10_000):
        tap_next(window)
    window.reset()
    settle()


def hold_corner(window: KioskWindow, qtbot, ms: int) -> None:
    QTest.mousePress(
        window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, 20)
    )
    qtbot.wait(ms)
    QTest.mouseRelease(
        window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, 20)
    )
    settle()


def test_a_clinician_reviews_and_prints_what_a_patient_just_signed(
    window: KioskWindow, services: ClinicServices, content: Content, qtbot, clock: Clock
) -> None:
    finish_a_patient(window, qtbot)
    assert current(window).objectName() == "welcome"

    # A short press does nothing; a held press on the corner opens the sign-in.
    window.gesture.hold.setInterval(300)
    hold_corner(window, qtbot, 50)
    assert current(window).objectName() == "welcome"
    hold_corner(window, qtbot, 500)
    mode = current(window)
    assert isinstance(mode, ClinicianMode)
    sign_in = mode.page
    assert isinstance(sign_in, SignInPage)
    # Names of patients never show before sign-in.
    assert PATIENT not in " ".join(w.text() for w in mode.findChildren(QAbstractButton))

    tap(find_button(mode, f"Sign in as {CLINICIAN}"))
    for attempt in range(5):
        type_into(sign_in.password, f"wrong-{attempt}")
        tap(sign_in.submit)
    assert sign_in.error.isVisible()
    assert "locked until" in sign_in.error.text()
    # While locked, even the right password is refused.
    type_into(sign_in.password, PASSWORD)
    tap(sign_in.submit)
    assert isinstance(mode.page, SignInPage)
    assert not sign_in.password.text()
    assert not sign_in.password.isUndoAvailable()

    clock.now += dt.timedelta(minutes=6)
    type_into(sign_in.password, PASSWORD)
    tap(sign_in.submit)
    settle()
    listing = mode.page
    assert isinstance(listing, ListPage)
    assert listing.table.rowCount() == 1
    cells = [listing.table.item(0, col) for col in range(4)]
    texts = [cell.text() if cell is not None else "" for cell in cells]
    assert texts[1] == PATIENT
    assert texts[2].startswith("PRECAUTION")
    assert texts[3] == "new"
    type_into(listing.search, "henri")
    assert listing.table.rowCount() == 1
    listing.search.clear()
    type_into(listing.search, "nobody")
    assert listing.table.rowCount() == 0
    listing.search.clear()

    listing.table.cellClicked.emit(0, 1)
    settle()
    viewer = mode.page
    assert isinstance(viewer, ViewerPage)
    assert viewer.page_count >= 2
    assert viewer.page_label.text() == f"Page 1 of {viewer.page_count}"
    tap(viewer.next)
    assert viewer.current_page == 1
    tap(viewer.previous)
    assert viewer.current_page == 0

    tap(viewer.review)
    assert "reviewed by Dr Ada Quist" in viewer.status.text()
    with qtbot.waitSignal(mode.print_finished, timeout=30_000) as printed:
        tap(viewer.print_button)
    document_id, result = printed.args
    assert result.ok, result.message
    entry = services.index.entry(document_id)
    assert entry is not None
    assert entry.status == "printed"
    assert entry.reviewed_by == CLINICIAN

    # Left alone, clinician mode signs out and the patient welcome screen returns.
    mode.idle.timer.setInterval(100)
    mode.idle.arm()
    with qtbot.waitSignal(mode.finished, timeout=3000):
        pass
    settle()
    assert current(window).objectName() == "welcome"

    actions = [row.action for row in services.audit.rows()]
    assert actions == ["failed-sign-in"] * 6 + [
        "sign-in",
        "view",
        "mark-reviewed",
        "print",
        "sign-out",
    ]
    assert all(
        row.document_id == document_id
        for row in services.audit.rows()
        if row.action in ("view", "print")
    )
    # The audit trail tells the story without one patient name. Only the archive index
    # (the list's copy of the saved files; sealed with encryption at rest) holds names.
    with sqlite3.connect(services.db.path) as raw:
        dump = "\n".join(raw.iterdump())
        indexed = raw.execute("SELECT patient FROM summaries").fetchall()
    assert len(indexed) == 1
    assert PATIENT in indexed[0][0]
    dump = "\n".join(line for line in dump.splitlines() if indexed[0][0] not in line)
    assert PATIENT not in dump
    assert "Lacks" not in dump
    assert PASSWORD not in dump


def test_the_keyboard_shortcut_opens_sign_in_only_from_welcome(window: KioskWindow, qtbot) -> None:
    walk_to_consent(window, "Sam Lee", ("1", "1", "1980"), {}, on_screen=lambda s: None)
    QTest.keyClick(
        window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert not isinstance(current(window), ClinicianMode)
    window.reset()
    settle()
    QTest.keyClick(
        window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    mode = current(window)
    assert isinstance(mode, ClinicianMode)
    cancel = mode.findChild(QAbstractButton, "sign-in-cancel")
    assert cancel is not None
    tap(cancel)
    assert current(window).objectName() == "welcome"


def test_no_accounts_says_how_to_create_one(
    qtbot, config: Config, content: Content, tmp_path: Path
) -> None:
    db = ClinicDb(tmp_path / "empty.sqlite3")
    services = ClinicServices(
        db=db,
        accounts=Accounts(db),
        audit=Audit(db),
        index=SummaryIndex(db, config.output_dir, content),
        queue=PrintQueue(db),
        folder=config.output_dir,
    )
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name), services
    )
    qtbot.addWidget(win)
    win.show()
    win.gesture.triggered.emit()
    mode = current(win)
    assert isinstance(mode, ClinicianMode)
    assert mode.page is not None
    words = " ".join(label.text() for label in mode.page.findChildren(QLabel))
    assert "no clinician accounts yet" in words
    assert "add-clinician" in words
    tap(find_button(mode, "Cancel"))
    assert current(win).objectName() == "welcome"
    db.close()


def test_auto_print_never_troubles_the_patient_and_retries(
    qtbot, config: Config, content: Content, services: ClinicServices
) -> None:
    outcomes = [PrintResult(False, "Printer 'Reception' is stopped", None)]

    def flaky(pdf: Path, title: str) -> PrintResult:
        assert title.startswith("DN-")  # the job title is the document id, never a name
        return outcomes.pop(0) if outcomes else PrintResult(True, "sent", "PDF-9")

    services.print_file = flaky
    auto = replace(config, auto_print=True)
    win = create_window(
        auto, content, (), PdfSummaryWriter(auto.output_dir, auto.clinic_name), services
    )
    qtbot.addWidget(win)
    win.show()
    assert win.saver.auto_printer is not None
    with qtbot.waitSignal(win.saver.auto_printer.finished, timeout=20_000) as first:
        finish_a_patient(win, qtbot)
    document_id, result = first.args
    assert not result.ok
    # The patient was thanked and the kiosk went back to welcome: no printer talk.
    assert current(win).objectName() == "welcome"
    assert [d for d, _n, _e in services.queue.pending()] == [document_id]
    with qtbot.waitSignal(win.saver.auto_printer.finished, timeout=10_000) as second:
        win.saver.auto_printer.retry_pending()
    assert second.args[1].ok
    assert services.queue.pending() == []
    entry = services.index.entry(document_id)
    assert entry is not None
    assert entry.status == "printed"


def open_sign_in(window: KioskWindow, qtbot) -> tuple[ClinicianMode, SignInPage]:
    window.gesture.hold.setInterval(300)
    hold_corner(window, qtbot, 500)
    mode = current(window)
    assert isinstance(mode, ClinicianMode)
    sign_in = mode.page
    assert isinstance(sign_in, SignInPage)
    return mode, sign_in


def test_staff_sign_in_by_taps_alone(window: KioskWindow, qtbot) -> None:
    """Issue 17, part 3: a touch-only kiosk needs no USB keyboard for staff. The name, a
    wrong password, the right one and Sign in: every step a tap, not one key event."""
    mode, sign_in = open_sign_in(window, qtbot)
    keyboard = sign_in.keyboard
    assert not keyboard.isVisible()
    tap(find_button(mode, f"Sign in as {CLINICIAN}"))
    assert keyboard.isVisible()
    assert keyboard.target is sign_in.password
    assert keyboard.secret
    # No capital letter switched on by itself, as it is for a patient's name.
    assert not keyboard.shifted
    # Cancel, Sign in and the field stay above the keyboard, whole.
    keys_top = keyboard.mapTo(sign_in, QPoint(0, 0)).y()
    for widget in (sign_in.password, sign_in.submit, find_button(mode, "Cancel")):
        assert widget.mapTo(sign_in, QPoint(0, widget.height())).y() <= keys_top, widget
    assert keyboard.mapTo(sign_in, QPoint(0, keyboard.height())).y() <= sign_in.height()

    type_into(sign_in.password, "wrong-one", touch=True)
    tap(sign_in.submit)
    assert sign_in.error.isVisible()
    assert isinstance(mode.page, SignInPage)
    assert not sign_in.password.text()

    type_into(sign_in.password, PASSWORD, touch=True)
    # The field's accessible text is its dots: what is typed is never in the tree.
    text = QAccessible.queryAccessibleInterface(sign_in.password).textInterface()
    assert text is not None
    spoken = text.text(0, text.characterCount())
    assert PASSWORD not in spoken
    assert not any(ch.isalpha() for ch in spoken)
    assert PASSWORD not in sign_in.password.accessibleName()
    tap(sign_in.submit)
    settle()
    assert isinstance(mode.page, ListPage)


def showing_today(mode: ClinicianMode) -> bool:
    return mode.today_only


def test_the_staff_list_filters_answer_the_accessibility_toggle(window: KioskWindow, qtbot) -> None:
    mode, sign_in = open_sign_in(window, qtbot)
    tap(find_button(mode, f"Sign in as {CLINICIAN}"))
    type_into(sign_in.password, PASSWORD)
    tap(sign_in.submit)
    settle()
    listing = mode.page
    assert isinstance(listing, ListPage)
    assert showing_today(mode)
    # On a touch screen: rows and buttons at least 48 px high, and a finger drags the list.
    assert listing.table.verticalHeader().defaultSectionSize() >= 48
    for button in listing.findChildren(QAbstractButton):
        if button.isVisible():
            assert button.height() >= 48, button.accessibleName()
    assert QScroller.hasScroller(listing.table.viewport())
    act(listing.all, TOGGLE)
    assert not showing_today(mode)
    assert listing.all.isChecked()
    assert not listing.today.isChecked()
    act(listing.all, TOGGLE)  # the ticked filter stays ticked: never neither
    assert listing.all.isChecked()
    act(listing.today, TOGGLE)
    assert showing_today(mode)
    assert not listing.all.isChecked()
