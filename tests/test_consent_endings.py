"""Consent that can be refused: the consent screen's three endings (signed, "I'd like to
talk to my physiotherapist first", "I don't want dry needling"), each walked through the
real window and read back from the saved PDF and FHIR file; then the same decision in
the domain, FHIR, the archive index (with its migration), render and the patient's copy.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel

from kiosk.app.archive import Archive, ArchiveIndex, IndexRow, reindex
from kiosk.app.config import Config
from kiosk.app.db import SCHEMA_VERSION, ClinicDb
from kiosk.app.journey import ConsentWithheld, Finished, JourneyController
from kiosk.app.summaries import SummaryIndex
from kiosk.app.versions import ContentVersions
from kiosk.cli import main
from kiosk.content.paths import bundled_content_dir
from kiosk.domain.consent import ConsentDecision
from kiosk.domain.flow import StepKind
from kiosk.domain.model import Content, Level
from kiosk.domain.record import build_summary, canonical_json, record_hash
from kiosk.domain.session import ConsentError
from kiosk.interop import fhir
from kiosk.report.patient_copy import patient_copy, render_patient_copy
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import (
    current,
    end_at_consent,
    find_button,
    tap,
    walk_to_consent,
)
from kiosk.ui.screens import ConsentScreen
from kiosk.ui.window import KioskWindow
from tests.old_schemas import V2_SCHEMA
from tests.test_clinic import NOW, make_record

DATA = Path(__file__).parent / "data"
NAME = "Zoë Quintanilla-Øberg"
DOB = ("29", "2", "1964")
FLAGGED = {"blood_thinner": ("yes",)}
FLAGS_HEADING = "Flags for the clinician"
WITHHELD = (ConsentDecision.TALK_FIRST, ConsentDecision.DECLINED)


def screen_words(window: KioskWindow) -> str:
    return " ".join(label.text() for label in current(window).findChildren(QLabel))


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def images_in(path: Path) -> int:
    return sum(len(page.images) for page in PdfReader(path).pages)


def consent_items(response: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    group = next(i for i in response["item"] if i["linkId"] == "consent")
    return {i["linkId"]: i["answer"] for i in group["item"]}


# ---------------------------------------------------------------- through the window


@pytest.mark.parametrize("decision", list(ConsentDecision), ids=lambda d: d.value)
def test_each_ending_is_saved_with_its_marking_and_the_flags(
    window: KioskWindow,
    content: Content,
    config: Config,
    qtbot,
    tmp_path: Path,
    decision: ConsentDecision,
) -> None:
    walk_to_consent(window, NAME, DOB, FLAGGED)
    with qtbot.waitSignal(window.summary_saved, timeout=10_000) as saved_signal:
        end_at_consent(window, decision)
    saved = saved_signal.args[0]

    # A kind closing screen that says what happens next.
    assert current(window).objectName() == "done"
    words = screen_words(window)
    if decision is ConsentDecision.GIVEN:
        assert content.text("done.body") in words
    else:
        assert content.text("done.withheld.title") in words
        assert content.text(f"done.{decision.value}") in words
    assert window.session is None

    # Page 1: the marking first, above the flags; every flag and answer still there.
    pages = pdf_pages(saved.pdf)
    page1 = pages[0]
    assert "PRECAUTION" in page1
    everything = "\n".join(pages)
    assert content.question("blood_thinner").text in everything
    if decision is ConsentDecision.GIVEN:
        assert "CONSENT NOT GIVEN" not in everything
        assert "DECLINED" not in everything
        assert images_in(saved.pdf) == 1  # the signature
    else:
        marking = decision.marking
        assert marking in page1
        assert page1.index(marking) < page1.index(FLAGS_HEADING)
        assert page1.index(NAME) < page1.index(marking)
        # No signature, and no empty box implying one is missing.
        assert images_in(saved.pdf) == 0
        assert f"Not signed: {marking}" in everything
        assert "Signature" not in everything

    # The FHIR file records which ending it was, as a code.
    response = json.loads(saved.record.read_text(encoding="utf-8"))
    QuestionnaireResponse.model_validate(response)
    consent = consent_items(response)
    (coding,) = consent["consent.decision"]
    assert coding["valueCoding"]["system"] == fhir.CONSENT_SYSTEM
    assert coding["valueCoding"]["code"] == decision.value
    if decision is ConsentDecision.GIVEN:
        assert set(consent) == {"consent.decision", "consent.agree", "consent.signature"}
    else:
        assert set(consent) == {"consent.decision"}
    record = fhir.parse_response(content, response)
    assert record.decision is decision
    assert (record.signature_png is None) is decision.withheld

    # render prints the same summary, marking and all.
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(f'clinic_name = "{config.clinic_name}"\n', encoding="utf-8")
    rendered = tmp_path / "rendered.pdf"
    argv = ["--config", str(config_file), "render", str(saved.record), "-o", str(rendered)]
    assert main(argv) == 0
    assert pdf_pages(rendered) == pages


@pytest.mark.parametrize("decision", WITHHELD, ids=lambda d: d.value)
def test_the_card_asks_once_more_and_going_back_keeps_the_consent(
    window: KioskWindow, content: Content, qtbot, decision: ConsentDecision
) -> None:
    walk_to_consent(window, "Sam Lee", ("1", "1", "1980"), {})
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    button = consent.ending_buttons[decision]
    # As large as Finish, and as calm as Back.
    assert button.minimumHeight() >= consent.next_button.minimumHeight()
    assert button.height() >= consent.next_button.height()
    assert button.property("role") == consent.back_button.property("role") == "secondary"
    tap(button)
    assert consent.card.isVisible()
    assert consent.card.heading.text() == content.text(f"withhold.{decision.value}.title")
    tap(consent.card.back_button)
    assert not consent.card.isVisible()
    assert current(window) is consent
    assert window.session is not None
    assert not window.session.finished
    # Still free to sign.
    with qtbot.waitSignal(window.summary_saved, timeout=10_000) as saved:
        end_at_consent(window, ConsentDecision.GIVEN)
    assert saved.args[0].pdf.is_file()
    assert content.text("done.body") in screen_words(window)


def test_the_closing_screen_is_in_the_patients_language(
    window: KioskWindow, qtbot, content: Content
) -> None:
    tap(find_button(current(window), "Español"))
    spanish = content.for_language("es")
    walk_to_consent(window, "Ana Lima", ("3", "4", "1950"), {})
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    assert consent.ending_buttons[ConsentDecision.DECLINED].text() == spanish.text(
        "consent.decline"
    )
    with qtbot.waitSignal(window.summary_saved, timeout=10_000):
        end_at_consent(window, ConsentDecision.DECLINED)
    assert spanish.text("done.declined") in screen_words(window)


# ---------------------------------------------------------------- the domain


def test_a_withheld_record_needs_no_signature_and_keeps_every_answer(content: Content) -> None:
    when = NOW
    signed = make_record(content, "Ana Núñez", when, {"blood_thinner": "yes"})
    journey = JourneyController("Clinic", clock=lambda: when)
    journey.start(content)
    session = journey.session
    assert session is not None
    session.identity = signed.identity
    for qid, answer in signed.answers.items():
        if qid in {s.id for s in session.flow.steps()}:
            session.flow.set_answer(qid, answer)
    with pytest.raises(ConsentError, match="not signed"):
        session.record()
    with pytest.raises(ValueError, match="signing"):
        session.withhold(ConsentDecision.GIVEN)
    while journey.step.kind is not StepKind.CONSENT:
        session.flow.advance()
    outcome = journey.submit(ConsentWithheld(ConsentDecision.DECLINED))
    assert isinstance(outcome, Finished)
    record = outcome.record
    assert record.decision is ConsentDecision.DECLINED
    assert record.signature_png is None
    assert record.signed_at is None
    assert record.authored == when
    assert dict(record.answers) == dict(signed.answers)
    summary = build_summary(content, record, "Clinic")
    assert [f.rule_id for f in summary.flags] == [
        f.rule_id for f in build_summary(content, signed, "Clinic").flags
    ]
    assert summary.consent_decision is ConsentDecision.DECLINED
    # A crash now would still save it (crash recovery keeps finished records).
    assert journey.signed_record() == record


def test_the_decision_enters_the_record_check_only_when_consent_is_withheld(
    content: Content,
) -> None:
    signed = make_record(content, "Ana Núñez", NOW)
    assert b'"consent"' not in canonical_json(signed)  # so saved hashes still verify
    given = replace(signed, signature_png=None, signed_at=None)
    hashes = {record_hash(given)}
    for decision in WITHHELD:
        withheld = replace(given, decision=decision)
        assert f'"consent":"{decision.value}"'.encode() in canonical_json(withheld)
        hashes.add(record_hash(withheld))
    assert len(hashes) == 3


# ---------------------------------------------------------------- FHIR


def test_the_questionnaire_asks_the_decision_and_agreement_only_when_given(
    content: Content,
) -> None:
    questionnaire = fhir.questionnaire(content)
    Questionnaire.model_validate(questionnaire)
    group = next(i for i in questionnaire["item"] if i["linkId"] == "consent")
    items = {i["linkId"]: i for i in group["item"]}
    codes = [o["valueCoding"]["code"] for o in items["consent.decision"]["answerOption"]]
    assert codes == ["given", "talk_first", "declined"]
    for link in ("consent.agree", "consent.signature"):
        (condition,) = items[link]["enableWhen"]
        assert condition["question"] == "consent.decision"
        assert condition["answerCoding"]["code"] == "given"


def test_an_older_response_without_a_decision_reads_as_consent_given(content: Content) -> None:
    data = json.loads((DATA / "three-flags.response.json").read_text(encoding="utf-8"))
    assert "consent.decision" not in json.dumps(data)
    record = fhir.parse_response(content, data)
    assert record.decision is ConsentDecision.GIVEN


def test_a_withheld_response_with_a_signature_is_refused(content: Content) -> None:
    record = make_record(content, "Ana Núñez", NOW)
    response = fhir.response_for_record(content, record)
    group = next(i for i in response["item"] if i["linkId"] == "consent")
    decision = next(i for i in group["item"] if i["linkId"] == "consent.decision")
    decision["answer"][0]["valueCoding"]["code"] = "declined"
    with pytest.raises(fhir.ResponseInvalid) as caught:
        fhir.parse_response(content, response)
    assert {p.item for p in caught.value.problems} == {"consent.agree", "consent.signature"}
    decision["answer"][0]["valueCoding"]["code"] = "maybe"
    with pytest.raises(fhir.ResponseInvalid) as caught:
        fhir.parse_response(content, response)
    assert [p.item for p in caught.value.problems] == ["consent.decision"]


# ---------------------------------------------------------------- the archive index


def test_a_version_2_database_is_migrated_and_its_rows_read_as_signed(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(V2_SCHEMA)
        conn.execute(
            "INSERT INTO summaries VALUES ('DN-OLD00001', '2026-11-02T10:00:00+01:00', "
            '\'{"name": "Bea Ortiz", "date_of_birth": "1970-01-01"}\', 2, 1, '
            "'2026.11.1', 'en', 'folder', '20261102-100000-DN-OLD00001', 7)"
        )
    conn.close()
    declined = IndexRow(
        document_id="DN-NEW00001",
        created=NOW,
        patient_name="Ana Núñez",
        date_of_birth=dt.date(1980, 1, 2),
        highest=Level.PRECAUTION,
        flags=2,
        content_version="2026.11.2",
        language="es",
        location="folder",
        file_name="20261127-100000-DN-NEW00001",
        file_mtime_ns=5,
        consent=ConsentDecision.DECLINED,
    )
    with ClinicDb(path) as db:
        assert db.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION == 4
        index = ArchiveIndex(db)
        (old,) = index.rows()
        assert (old.document_id, old.patient_name, old.highest) == (
            "DN-OLD00001",
            "Bea Ortiz",
            Level.PRECAUTION,
        )
        assert old.consent is ConsentDecision.GIVEN
        index.put(declined)
    with ClinicDb(path) as db:  # opening a migrated file again changes nothing
        assert db.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        assert [r.consent for r in ArchiveIndex(db).rows()] == [
            ConsentDecision.DECLINED,
            ConsentDecision.GIVEN,
        ]
        with pytest.raises(Exception, match="CHECK"):
            db.execute("UPDATE summaries SET consent = 'maybe'")


def test_the_clinicians_list_shows_the_decision_and_reindex_fills_it(
    tmp_path: Path, content: Content
) -> None:
    folder, db_path = tmp_path / "summaries", tmp_path / "data" / "clinic.sqlite3"
    archive = Archive(db_path, content, bundled_content_dir())
    writer = PdfSummaryWriter(folder, "Clinic", tmp_path / "spool", "", archive)
    try:
        for hours, decision in enumerate(ConsentDecision):
            record = make_record(
                content, f"Patient {decision.value}", NOW + dt.timedelta(hours=hours)
            )
            if decision.withheld:
                record = replace(record, signature_png=None, signed_at=None, decision=decision)
            writer(content, record)
    finally:
        archive.close()

    def decisions(db: ClinicDb) -> dict[str, ConsentDecision]:
        index = SummaryIndex(db, folder, content)
        return {e.patient_name: e.consent for e in index.entries()}

    expected = {f"Patient {d.value}": d for d in ConsentDecision}
    with ClinicDb(db_path) as db:
        assert decisions(db) == expected
        db.execute("DELETE FROM summaries")
        report = reindex(db, folder, None, ContentVersions(content, [folder]))
        assert (report.folder, report.unreadable) == (3, [])
        assert decisions(db) == expected


# ---------------------------------------------------------------- the patient's copy


@pytest.mark.parametrize("decision", WITHHELD, ids=lambda d: d.value)
def test_the_patients_copy_says_plainly_they_did_not_sign(
    content: Content, decision: ConsentDecision
) -> None:
    record = replace(
        make_record(content, "Ana Núñez", NOW),
        signature_png=None,
        signed_at=None,
        decision=decision,
    )
    for language in ("en", "es", "ar"):
        record = replace(record, language=language)
        patient = content.for_language(language)
        copy = patient_copy(content, build_summary(content, record, "Clinic"))
        pdf = render_patient_copy(copy)
        reader = PdfReader(io.BytesIO(pdf))
        assert sum(len(p.images) for p in reader.pages) == 0
        if language == "en":
            text = " ".join(p.extract_text() for p in reader.pages)
            assert patient.text(f"copy.{decision.value}") in " ".join(text.split())
            assert patient.text("copy.signature") not in text
            assert patient.text("copy.not_signed") not in text
