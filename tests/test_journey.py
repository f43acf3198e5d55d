"""A whole patient journey through the real window, then the PDF read back, then the wipe."""

from __future__ import annotations

import gc
import json
import logging
import weakref
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pypdf import PdfReader
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from kiosk.app.config import Config
from kiosk.app.storage import Saved
from kiosk.cli import main
from kiosk.domain.model import Content
from kiosk.interop import fhir
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import (
    Choice,
    answer_current,
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
from kiosk.ui.screens import ConsentScreen, QuestionScreen, ReviewScreen
from kiosk.ui.widgets import SignaturePad
from kiosk.ui.window import KioskWindow

NAME = "Zoë Quintanilla-Øberg"
DOB = ("29", "2", "1964")
TEXT_ANSWER = "Left knee replacement"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def patient_texts() -> list[str]:
    """Every piece of text held by any live widget, including undo-able field history."""
    texts = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.text())
        texts.append(widget.accessibleName())
    return texts


def test_full_journey_saves_a_readable_pdf_and_leaves_nothing_behind(
    window: KioskWindow,
    config: Config,
    content: Content,
    qtbot,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(f'clinic_name = "{config.clinic_name}"\n', encoding="utf-8")
    caplog.set_level(logging.DEBUG)
    choices: dict[str, Choice] = {
        "blood_thinner": ("yes",),
        "blood_thinner_which": ("warfarin", "aspirin"),
        "pregnant": ("no",),
        "surgery_or_implant": ("yes",),
        "surgery_what": TEXT_ANSWER,
        "surgery_when": "2025-03-14",
        "lymphoedema": ("unsure",),
    }
    seen = walk_to_consent(window, NAME, DOB, choices)

    # Every education page and every check statement was shown, in order.
    pages = [f"education-{p.id}" for p in content.education]
    assert [s for s in seen if s.startswith("education-")] == pages
    assert [s for s in seen if s.startswith("check-")] == [
        f"check-{s.id}" for s in content.statements
    ]
    # The follow-ups appeared because their condition held.
    assert "question-blood_thinner_which" in seen
    assert "question-surgery_when" in seen
    assert seen[-2] == "review"

    # Back on the review screen, change one answer: pregnant "no" -> "yes" opens a follow-up.
    tap(find_button(current(window), "Back"))
    assert isinstance(current(window), ReviewScreen)
    review = current(window)
    change = review.findChild(QAbstractButton, "change-pregnant")
    assert change is not None
    tap(change)
    assert current(window).objectName() == "question-pregnant"
    answer_current(window, ("yes",))
    tap_next(window)
    # The follow-up that the change opened is asked before returning to the review.
    screen = current(window)
    assert isinstance(screen, QuestionScreen)
    assert screen.question.id == "pregnant_weeks"
    answer_current(window, (screen.question.options[0].code,))
    tap_next(window)
    assert isinstance(current(window), ReviewScreen)
    review_text = " ".join(w.text() for w in current(window).findChildren(QLabel))
    assert screen.question.options[0].label in review_text
    assert NAME in review_text

    tap_next(window)
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    # As if the patient had copied their name somewhere along the way.
    QApplication.clipboard().setText(NAME)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    session_ref = weakref.ref(window.session)
    with qtbot.waitSignal(window.summary_saved, timeout=10_000) as saved_signal:
        tap_next(window)
    saved = saved_signal.args[0]
    assert isinstance(saved, Saved)
    assert current(window).objectName() == "done"

    # The PDF: patient's name, a flagged answer on page 1, and the consent version.
    reader = PdfReader(saved.pdf)
    page1 = reader.pages[0].extract_text()
    assert NAME in page1
    assert "PRECAUTION" in page1
    # The bleeding flag shows the drugs chosen (its rule reads them first).
    assert "Anticoagulant/antiplatelet" in page1
    assert content.question("blood_thinner_which").text in page1
    assert content.consent.version in "".join(p.extract_text() for p in reader.pages)
    # Flags come first, before the answers.
    everything = "\n".join(p.extract_text() for p in reader.pages)
    assert everything.index("PRECAUTION") < everything.index(content.section("understanding").title)
    # No personal data in metadata or file names.
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    assert "Zo" not in meta
    assert "1964" not in meta
    assert "Zo" not in saved.pdf.name
    assert "1964" not in saved.pdf.name
    # The record beside it is a FHIR QuestionnaireResponse that renders to the same text.
    response = json.loads(saved.record.read_text(encoding="utf-8"))
    QuestionnaireResponse.model_validate(response)
    record = fhir.parse_response(content, response)
    assert record.identity.name == NAME
    assert record.identity.date_of_birth.isoformat() == "1964-02-29"
    assert record.answers["surgery_what"].text == TEXT_ANSWER
    assert "pregnant_weeks" in record.answers
    assert record.signature_png is not None
    assert record.signature_png.startswith(b"\x89PNG")
    rendered = tmp_path / "rendered.pdf"
    argv = ["--config", str(config_file), "render", str(saved.record), "-o", str(rendered)]
    assert main(argv) == 0
    assert pdf_text(rendered) == pdf_text(saved.pdf)

    # The done screen goes back to welcome and everything of the patient is gone.
    tap(find_button(current(window), content.text("done.restart")))
    del review, screen, consent  # this test's own handles on the old screens
    settle()
    gc.collect()
    assert session_ref() is None
    assert current(window).objectName() == "welcome"
    texts = " ".join(patient_texts())
    for secret in (NAME, TEXT_ANSWER, "Quintanilla"):
        assert secret not in texts
    assert not [
        f for f in QApplication.allWidgets() if isinstance(f, QLineEdit) and f.isUndoAvailable()
    ]
    assert not [p for p in QApplication.allWidgets() if isinstance(p, SignaturePad)]
    assert QApplication.clipboard().text() == ""
    # The log says what happened, never to whom.
    assert "saved" in caplog.text
    for secret in (NAME, "Quintanilla", "1964", TEXT_ANSWER):
        assert secret not in caplog.text


def test_consent_refuses_a_dot_and_an_empty_pad_and_says_why(
    window: KioskWindow, content: Content
) -> None:
    walk_to_consent(window, "Sam Lee", ("1", "1", "1980"), {})
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    tap_next(window)
    assert current(window) is consent
    assert consent.error.isVisible()
    assert consent.error.text() == content.text("consent.error.empty")
    # A dot is refused as too small.
    draw(consent.pad, [[(0.5, 0.5), (0.505, 0.5)]])
    tap_next(window)
    assert current(window) is consent
    assert consent.error.text() == content.text("consent.error.small")
    # Clear empties the pad; a real signature then goes through.
    tap(consent.clear_button)
    assert consent.pad.is_empty()
    draw(consent.pad, signature_strokes())
    tap_next(window)
    assert current(window).objectName() == "done"


def test_consent_needs_the_agree_box(window: KioskWindow, content: Content) -> None:
    walk_to_consent(window, "Sam Lee", ("1", "1", "1980"), {})
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    draw(consent.pad, signature_strokes())
    tap_next(window)
    assert current(window) is consent
    assert consent.error.text() == content.text("consent.need_agree")


def test_identity_refuses_impossible_and_future_dates(
    window: KioskWindow, content: Content
) -> None:
    from kiosk.ui.screens import IdentityScreen

    def stop_at_identity(screen: QWidget) -> None:
        if isinstance(screen, IdentityScreen):
            raise _Stop

    with pytest.raises(_Stop):
        walk_to_consent(window, "", ("", "", ""), {}, on_screen=stop_at_identity)
    screen = current(window)
    assert isinstance(screen, IdentityScreen)
    tap_next(window)
    assert screen.error.text() == content.text("identity.error.name")
    type_into(screen.name, "Ana")
    for field, value in zip(
        (screen.date.day, screen.date.month, screen.date.year), ("31", "4", "1990"), strict=True
    ):
        type_into(field, value)
    tap_next(window)
    assert screen.error.text() == content.text("identity.error.date")
    screen.date.year.clear()
    type_into(screen.date.year, "2099")
    screen.date.day.clear()
    type_into(screen.date.day, "1")
    tap_next(window)
    assert screen.error.text() == content.text("identity.error.future")
    assert current(window) is screen


def test_identity_refuses_a_name_of_invisible_characters_as_an_empty_one(
    window: KioskWindow, content: Content
) -> None:
    """Zero-width joiners alone would print as a blank name on the clinician's summary."""
    from kiosk.ui.screens import IdentityScreen

    def stop_at_identity(screen: QWidget) -> None:
        if isinstance(screen, IdentityScreen):
            raise _Stop

    with pytest.raises(_Stop):
        walk_to_consent(window, "", ("1", "2", "1980"), {}, on_screen=stop_at_identity)
    screen = current(window)
    assert isinstance(screen, IdentityScreen)
    type_into(screen.name, "\u200d\u200c \u200d")
    assert screen.name.text() == "\u200d\u200c \u200d"
    assert not screen.error.isVisible()
    tap_next(window)
    assert current(window) is screen
    assert screen.error.isVisible()
    assert screen.error.text() == content.text("identity.error.name")
    type_into(screen.name, "Ana")  # after the joiners: a name that shows, and is taken
    tap_next(window)
    assert current(window) is not screen


class _Stop(Exception):
    pass


def sign_and_finish(win: KioskWindow, name: str) -> None:
    walk_to_consent(win, name, ("2", "3", "1971"), {})
    consent = current(win)
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    tap_next(win)


def nowhere_to_save(
    qtbot, config: Config, content: Content, tmp_path: Path
) -> tuple[KioskWindow, Path]:
    """A shown window whose output and spool folders are under a file: no save can work
    until the file (returned) is removed."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    writer = PdfSummaryWriter(blocker / "summaries", config.clinic_name, spool=blocker / "spool")
    win = create_window(config, content, (), writer)
    qtbot.addWidget(win)
    win.show()
    return win, blocker


def test_nowhere_to_save_keeps_the_record_in_memory_and_retries(
    qtbot, config: Config, content: Content, tmp_path: Path
) -> None:
    win, blocker = nowhere_to_save(qtbot, config, content, tmp_path)
    sign_and_finish(win, "Robin Park")
    # The patient is asked, calmly, to tell the front desk; nothing is lost.
    assert current(win).objectName() == "save-failed"
    texts = " ".join(label.text() for label in current(win).findChildren(QLabel))
    assert "front desk" in texts
    assert "Traceback" not in texts
    assert "Errno" not in texts
    assert win.session is None  # the session ends; only the signed record is kept
    assert len(win.saver.delivery.unsaved) == 1
    assert "only in memory" in win.saver.delivery.backlog()
    # The next patient can start; the record waits.
    win.reset()
    assert current(win).objectName() == "welcome"
    # Staff free the folder; the 30-second retry saves it.
    blocker.unlink()
    with qtbot.waitSignal(win.summary_saved, timeout=10_000):
        win.retry_timer.timeout.emit()
    assert win.saver.delivery.unsaved == []
    assert win.saver.delivery.backlog() == ""
    assert len(list((blocker / "summaries").glob("*.pdf"))) == 1


def test_a_full_output_folder_spools_then_moves_when_space_returns(
    qtbot, config: Config, content: Content, tmp_path: Path
) -> None:
    output = tmp_path / "output"
    output.write_text("not a folder yet: stands for a full or read-only disk")
    spool = tmp_path / "spool"
    writer = PdfSummaryWriter(output, config.clinic_name, spool=spool)
    win = create_window(config, content, (), writer)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.summary_saved, timeout=10_000) as saved:
        sign_and_finish(win, "Robin Park")
    assert saved.args[0].pdf.parent == spool
    assert current(win).objectName() == "save-failed"
    assert "1 in the spool folder" in win.saver.delivery.backlog()
    before = {p.name: p.read_bytes() for p in spool.iterdir()}
    win.retry_timer.timeout.emit()  # output still unusable: nothing moves, nothing lost
    assert {p.name: p.read_bytes() for p in spool.iterdir()} == before
    output.unlink()
    win.retry_timer.timeout.emit()
    assert sorted(p.name for p in output.iterdir()) == sorted(before)
    assert {p.name: p.read_bytes() for p in output.iterdir()} == before
    assert list(spool.iterdir()) == []
    assert win.saver.delivery.backlog() == ""
    assert not win.retry_timer.isActive()
    # The front-desk screen waited longer (30 s); the next patient's thank-you screen
    # is back to the usual wait.
    win.reset()
    with qtbot.waitSignal(win.summary_saved, timeout=10_000):
        sign_and_finish(win, "Sam Lee")
    assert current(win).objectName() == "done"
    assert win.done_timer.interval() == config.done_seconds * 1000
