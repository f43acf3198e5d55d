"""An unexpected error in a slot: logged without patient data, session erased, back to welcome."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, settle, tap, tap_next, type_into, walk_to_consent
from kiosk.ui import guard
from kiosk.ui.app import create_window
from kiosk.ui.screens import IdentityScreen

SECRET = "Wolfgang Errorsson"


class _Stop(Exception):
    pass


def test_a_bug_in_a_slot_erases_the_patient_and_recovers(
    qtbot, config: Config, content: Content, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(win)
    win.show()

    def stop(screen: object) -> None:
        if isinstance(screen, IdentityScreen):
            raise _Stop

    with pytest.raises(_Stop):
        walk_to_consent(win, "", ("", "", ""), {}, on_screen=stop)
    identity = current(win)
    assert isinstance(identity, IdentityScreen)
    type_into(identity.name, SECRET)
    for field, value in zip(
        (identity.date.day, identity.date.month, identity.date.year),
        ("1", "2", "1950"),
        strict=True,
    ):
        type_into(field, value)

    def bug() -> None:
        raise ValueError(f"bad value {SECRET}")

    identity.next_button.clicked.connect(bug)
    uninstall = guard.install(win)
    try:
        tap_next(win)
    finally:
        uninstall()
    settle()
    assert current(win).objectName() == "error"
    assert win.session is None
    words = " ".join(w.text() for w in current(win).findChildren(QLabel))
    assert "front desk" in words
    assert "ValueError" not in words
    assert "ValueError at" in caplog.text
    assert "test_guard.py" in caplog.text
    assert SECRET not in caplog.text
    assert "Errorsson" not in caplog.text
    del identity
    finish = current(win).findChild(QPushButton, "action")
    assert finish is not None
    tap(finish)
    settle()
    assert current(win).objectName() == "welcome"
    assert not [w for w in win.findChildren(QLineEdit) if SECRET in w.text()]


def test_the_guard_can_be_removed() -> None:
    import sys

    before = sys.excepthook

    class Window:
        def recover(self) -> None:
            pass

    uninstall = guard.install(Window())
    assert sys.excepthook is not before
    uninstall()
    assert sys.excepthook is before


def test_a_signed_session_that_cannot_be_saved_is_logged_when_recovering(
    qtbot, config: Config, content: Content, caplog: pytest.LogCaptureFixture
) -> None:
    """recover() used to swallow this silently; now the log says what was lost, and how
    (no name, no answer), and the patient still gets the calm error screen."""
    from kiosk.domain.summary import Signature

    caplog.set_level(logging.INFO)
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(win)
    win.show()
    walk_to_consent(win, SECRET, ("1", "2", "1950"), {})
    session = win.session
    assert session is not None
    document_id = session.document_id
    session.sign(Signature(600, 200, (((40.0, 150.0), (560.0, 50.0)),)), b"png")
    session.identity = None  # whatever broke: the record cannot be made any more
    del session
    win.recover()
    settle()
    assert current(win).objectName() == "error"
    assert win.session is None
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert document_id in errors[0].getMessage()
    assert "could not make its record" in errors[0].getMessage()
    assert SECRET not in caplog.text
    assert not config.output_dir.exists() or not any(config.output_dir.iterdir())
