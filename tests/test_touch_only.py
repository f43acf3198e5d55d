"""The whole journey by touch alone, in English, Spanish and Arabic: not one key event.

Only taps (mouse clicks on widgets, the on-screen keyboard's keys included) and a drawn
signature, from the welcome screen to the saved PDF; then the session must be gone.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import unicodedata
import weakref
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit

from kiosk.app.storage import Saved
from kiosk.domain.model import Content
from kiosk.interop import fhir
from kiosk.tools.journey import (
    Choice,
    current,
    draw,
    find_button,
    settle,
    signature_strokes,
    tap,
    tap_next,
    walk_to_consent,
)
from kiosk.ui.keyboard import Key
from kiosk.ui.screens import ConsentScreen
from kiosk.ui.window import KioskWindow

#: (language, name typed, free-text answer typed): each uses its layout's own letters.
CASES = [
    ("en", "Mary O'Neil-Smith", "Left knee, 2019"),
    ("es", "José Peña Núñez", "Rodilla, 2019"),
    ("ar", "أحمد الخطيب", "ركبة يسرى"),
]


class KeyEvents(QObject):
    """Counts every key press or release delivered to any object in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.KeyRelease,
            QEvent.Type.ShortcutOverride,
        ):
            self.count += 1
        return False


@pytest.fixture
def key_events(qtbot) -> Iterator[KeyEvents]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    counter = KeyEvents()
    app.installEventFilter(counter)
    yield counter
    app.removeEventFilter(counter)


def touch_choices(text: str) -> dict[str, Choice]:
    return {"surgery_or_implant": ("yes",), "surgery_what": text, "surgery_when": "2024-11-03"}


def arabic_words(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(("language", "name", "text"), CASES)
def test_the_whole_journey_by_touch_alone(
    window: KioskWindow,
    content: Content,
    qtbot,
    key_events: KeyEvents,
    language: str,
    name: str,
    text: str,
) -> None:
    if language != content.language:
        button = current(window).findChild(QAbstractButton, f"language-{language}")
        assert button is not None
        tap(button)
    assert window.language == language
    walk_to_consent(window, name, ("29", "2", "1964"), touch_choices(text), touch=True)
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    session_ref = weakref.ref(window.session)
    with qtbot.waitSignal(window.summary_saved, timeout=15_000) as saved_signal:
        tap_next(window)
    saved = saved_signal.args[0]
    assert isinstance(saved, Saved)

    # The record holds exactly what was typed on the on-screen keyboard.
    response = json.loads(saved.record.read_text(encoding="utf-8"))
    record = fhir.parse_response(content, response)
    assert record.identity.name == name
    assert record.identity.date_of_birth.isoformat() == "1964-02-29"
    assert record.answers["surgery_what"].text == text
    assert record.answers["surgery_when"].date == dt.date(2024, 11, 3)
    # The PDF shows the name. Arabic comes out as presentation forms: compare by word.
    pdf = "\n".join(page.extract_text() for page in PdfReader(saved.pdf).pages)
    if language == "ar":
        flat = arabic_words(pdf)
        for word in name.split():
            assert word in flat, f"{word!r} not in the PDF"
    else:
        assert name in pdf

    # Finish, and the patient is gone.
    tap(find_button(current(window), window.patient_content.text("done.restart")))
    del consent
    settle()
    gc.collect()
    assert session_ref() is None
    assert current(window).objectName() == "welcome"
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLineEdit):
            assert name not in widget.text()
            assert not widget.isUndoAvailable()
        assert name not in widget.accessibleName()
    assert not [k for k in QApplication.allWidgets() if isinstance(k, Key)]

    # Not one key event on the way.
    assert key_events.count == 0


def test_the_key_counter_can_fail(qtbot, key_events: KeyEvents) -> None:
    """One keyClick anywhere is seen, so the check above is not empty."""
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClick(field, "x")
    assert key_events.count >= 2
