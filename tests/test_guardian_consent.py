"""Minors and those who consent for someone else: "Who is signing?" is asked before the
consent for a patient under 18 or one with someone helping them; a parent, guardian or
other person with authority is named (with their relationship) under the signature, on
page 1, in the FHIR file and on the patient's copy.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel

from kiosk.app.config import Config
from kiosk.app.journey import JourneyController, Refused, SignerGiven, StepView
from kiosk.cli import main
from kiosk.content.loader import ContentInvalid, load_content
from kiosk.content.paths import assets_dir
from kiosk.domain.consent import (
    ConsentDecision,
    Signer,
    SignerProblem,
    SignerRefused,
    SignerRole,
    check_signer,
)
from kiosk.domain.flow import Step, StepKind
from kiosk.domain.identity import Identity
from kiosk.domain.model import Content
from kiosk.domain.record import build_summary, canonical_json, record_hash
from kiosk.domain.session import Session
from kiosk.interop import fhir
from kiosk.report.patient_copy import patient_copy, render_patient_copy
from kiosk.report.pdf import render_pdf
from kiosk.tools.journey import (
    current,
    end_at_consent,
    find_button,
    tap,
    tap_next,
    type_into,
    walk_to_consent,
)
from kiosk.ui.screens import ConsentScreen, SignerScreen
from kiosk.ui.window import KioskWindow
from tests.test_clinic import NOW, make_record
from tests.test_fhir import signature_png

CHILD = "Tomás Ølund-Reyes"
GUARDIAN = Signer(SignerRole.GUARDIAN, "Jane Ølund", "mother")
BY_GUARDIAN = "Jane Ølund (mother), parent or guardian"


def born_years_ago(years: int, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def as_picked(day: dt.date) -> tuple[str, str, str]:
    return (str(day.day), str(day.month), str(day.year))


def pdf_pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def consent_items(response: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    group = next(i for i in response["item"] if i["linkId"] == "consent")
    return {i["linkId"]: i["answer"] for i in group["item"]}


# ---------------------------------------------------------------- through the window


def test_a_guardian_signs_for_a_15_year_old(
    window: KioskWindow, content: Content, config: Config, qtbot, tmp_path: Path
) -> None:
    seen = walk_to_consent(window, CHILD, as_picked(born_years_ago(15)), {}, signer=GUARDIAN)
    assert seen[-3:] == ["review", "signer", "consent"]
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    # The agreement reads in the third person, and says who signs.
    assert consent.agree.label() == content.consent.agree_label_other
    words = " ".join(label.text() for label in consent.findChildren(QLabel))
    assert content.text("consent.signing_for", name=GUARDIAN.name, relationship="mother") in words

    with qtbot.waitSignal(window.summary_saved, timeout=10_000) as saved_signal:
        end_at_consent(window, ConsentDecision.GIVEN)
    saved = saved_signal.args[0]
    pages = pdf_pages(saved.pdf)
    page1 = pages[0]
    # The banner says who consented, before the flags.
    assert f"MINOR — consent given by {BY_GUARDIAN}" in page1
    assert page1.index("MINOR") < page1.index("Flags for the clinician")
    assert "MINOR — guardian consent needed" not in page1
    everything = " ".join(pages)
    assert f"Signed by {BY_GUARDIAN}, for {CHILD}" in everything
    assert content.consent.agree_label_other in everything

    response = json.loads(saved.record.read_text(encoding="utf-8"))
    QuestionnaireResponse.model_validate(response)
    items = consent_items(response)
    assert items["consent.signer"][0]["valueCoding"]["code"] == "guardian"
    assert items["consent.signer.name"] == [{"valueString": GUARDIAN.name}]
    assert items["consent.signer.relationship"] == [{"valueString": "mother"}]
    record = fhir.parse_response(content, response)
    assert record.signer == GUARDIAN

    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(f'clinic_name = "{config.clinic_name}"\n', encoding="utf-8")
    rendered = tmp_path / "rendered.pdf"
    argv = ["--config", str(config_file), "render", str(saved.record), "-o", str(rendered)]
    assert main(argv) == 0
    assert pdf_pages(rendered) == pages


def test_who_is_signing_says_what_is_missing_and_keeps_it_on_back(
    window: KioskWindow, content: Content
) -> None:
    def stop(screen: object) -> None:
        if isinstance(screen, SignerScreen):
            raise _Stop

    with pytest.raises(_Stop):
        walk_to_consent(window, CHILD, as_picked(born_years_ago(12)), {}, on_screen=stop)
    # (the walk tapped "I am the patient"): back to the review and in again, untouched.
    tap(find_button(current(window), content.text("nav.back")))
    tap_next(window)
    screen = current(window)
    assert isinstance(screen, SignerScreen)
    assert not any(b.isChecked() for b in screen.buttons.values())
    assert not screen.details.isVisible()
    tap_next(window)
    assert current(window) is screen
    assert screen.error.text() == content.text("signer.error.choose")
    tap(screen.buttons[SignerRole.AUTHORITY])
    assert screen.details.isVisible()
    assert screen.keyboard is not None
    assert screen.keyboard.isVisible()
    assert screen.keyboard.target is screen.name
    tap_next(window)
    assert screen.error.text() == content.text("signer.error.name")
    type_into(screen.name, "Ana Lima", touch=True)
    tap_next(window)
    assert screen.error.text() == content.text("signer.error.relationship")
    type_into(screen.relationship, "aunt, legal guardian", touch=True)
    tap_next(window)
    assert isinstance(current(window), ConsentScreen)
    # Back: the choice and the words are still there.
    tap(find_button(current(window), content.text("nav.back")))
    back = current(window)
    assert isinstance(back, SignerScreen)
    assert back.buttons[SignerRole.AUTHORITY].isChecked()
    assert (back.name.text(), back.relationship.text()) == ("Ana Lima", "aunt, legal guardian")
    # Choosing the patient hides the fields and the keyboard.
    tap(back.buttons[SignerRole.PATIENT])
    assert not back.details.isVisible()
    assert back.keyboard is not None
    assert not back.keyboard.isVisible()
    tap_next(window)
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    assert consent.agree.label() == content.consent.agree_label


class _Stop(Exception):
    pass


def test_an_adult_with_help_is_asked_and_one_without_is_not(
    window: KioskWindow, content: Content, qtbot
) -> None:
    adult = as_picked(born_years_ago(40))
    seen = walk_to_consent(window, "Sam Lee", adult, {"help_understanding": ("no",)})
    assert "signer" not in seen
    window.reset()
    seen = walk_to_consent(window, "Sam Lee", adult, {"help_understanding": ("yes",)})
    assert "signer" in seen
    with qtbot.waitSignal(window.summary_saved, timeout=10_000) as saved:
        end_at_consent(window, ConsentDecision.GIVEN)
    everything = " ".join(pdf_pages(saved.args[0].pdf))
    assert "Signed by the patient" in everything
    assert "MINOR" not in everything


# ---------------------------------------------------------------- the domain


def minor_session(content: Content, years: int = 15) -> Session:
    session = Session(content, "Clinic", clock=lambda: NOW)
    signed = make_record(content, CHILD, NOW)
    session.identity = Identity(CHILD, born_years_ago(years, NOW.date()))
    for qid, answer in signed.answers.items():
        if qid in {s.id for s in session.flow.steps()}:
            session.flow.set_answer(qid, answer)
    return session


def test_the_step_is_asked_only_while_its_condition_holds(content: Content) -> None:
    session = minor_session(content)
    assert Step(StepKind.SIGNER) in session.flow.steps()
    assert session.flow.steps()[-2:] == [Step(StepKind.SIGNER), Step(StepKind.CONSENT)]
    session.signer = GUARDIAN
    # Back on the review, the date of birth is corrected: an adult, no helper.
    session.identity = Identity(CHILD, born_years_ago(30, NOW.date()))
    assert Step(StepKind.SIGNER) not in session.flow.steps()
    session.signature_png, session.signed_at = signature_png(), NOW
    assert session.record().signer is None  # what the patient no longer was asked


def test_check_signer_cleans_and_refuses(content: Content) -> None:
    assert check_signer(Signer(SignerRole.PATIENT, "x", "y")) == Signer(SignerRole.PATIENT)
    assert check_signer(Signer(SignerRole.GUARDIAN, "  Jane\u202e  Doe ", " mother ")) == Signer(
        SignerRole.GUARDIAN, "Jane Doe", "mother"
    )
    for signer, problem in (
        (Signer(SignerRole.GUARDIAN, " ", "mother"), SignerProblem.NO_NAME),
        (Signer(SignerRole.AUTHORITY, "Jane", "\u200b"), SignerProblem.NO_RELATIONSHIP),
    ):
        with pytest.raises(SignerRefused) as caught:
            check_signer(signer)
        assert caught.value.problem is problem


def test_the_journey_refuses_a_guardian_without_a_name(content: Content) -> None:
    journey = JourneyController("Clinic", clock=lambda: NOW)
    journey.start(content)
    session = journey.session
    assert session is not None
    donor = minor_session(content)
    session.identity = donor.identity
    for qid, answer in donor.flow.answers.items():
        if qid in {s.id for s in session.flow.steps()}:
            session.flow.set_answer(qid, answer)
    while journey.step.kind is not StepKind.SIGNER:
        session.flow.advance()
    outcome = journey.submit(SignerGiven(Signer(SignerRole.GUARDIAN, "", "mother")))
    assert isinstance(outcome, Refused)
    assert isinstance(outcome.reason, SignerRefused)
    view = journey.submit(SignerGiven(GUARDIAN))
    assert isinstance(view, StepView)
    assert view.step.kind is StepKind.CONSENT
    assert view.signer == GUARDIAN


def test_who_signed_enters_the_record_check_only_for_someone_else(content: Content) -> None:
    signed = make_record(content, CHILD, NOW)
    by_patient = replace(signed, signer=Signer(SignerRole.PATIENT))
    assert canonical_json(by_patient) == canonical_json(signed)
    by_guardian = replace(signed, signer=GUARDIAN)
    assert b'"signer":{"name":"Jane' in canonical_json(by_guardian)
    assert record_hash(by_guardian) != record_hash(signed)


# ---------------------------------------------------------------- FHIR, PDF and the copy


def test_the_questionnaire_asks_the_name_only_of_someone_else(content: Content) -> None:
    questionnaire = fhir.questionnaire(content)
    Questionnaire.model_validate(questionnaire)
    group = next(i for i in questionnaire["item"] if i["linkId"] == "consent")
    items = {i["linkId"]: i for i in group["item"]}
    roles = [o["valueCoding"]["code"] for o in items["consent.signer"]["answerOption"]]
    assert roles == ["patient", "guardian", "authority"]
    assert "required" not in items["consent.signer"]  # asked of minors and those with help
    for link in ("consent.signer.name", "consent.signer.relationship"):
        item = items[link]
        assert item["enableBehavior"] == "any"
        assert {c["answerCoding"]["code"] for c in item["enableWhen"]} == {"guardian", "authority"}
        assert {c["operator"] for c in item["enableWhen"]} == {"="}


def test_a_saved_signer_needs_a_name_and_relationship(content: Content) -> None:
    record = replace(make_record(content, CHILD, NOW), signer=GUARDIAN)
    response = fhir.response_for_record(content, record)
    assert fhir.parse_response(content, response).signer == GUARDIAN
    group = next(i for i in response["item"] if i["linkId"] == "consent")
    group["item"] = [i for i in group["item"] if i["linkId"] != "consent.signer.name"]
    with pytest.raises(fhir.ResponseInvalid) as caught:
        fhir.parse_response(content, response)
    assert [p.item for p in caught.value.problems] == ["consent.signer.name"]


def test_a_guardian_who_declines_is_named_and_the_minor_banner_stays(content: Content) -> None:
    record = replace(
        make_record(content, CHILD, NOW),
        identity=Identity(CHILD, born_years_ago(15, NOW.date())),
        signature_png=None,
        signed_at=None,
        decision=ConsentDecision.DECLINED,
        signer=GUARDIAN,
    )
    pdf = render_pdf(build_summary(content, record, "Clinic"))
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert "MINOR — guardian consent needed" in pages[0]
    assert ConsentDecision.DECLINED.marking in pages[0]
    assert f"Decided by {BY_GUARDIAN}, for {CHILD}." in " ".join(pages)


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_patients_copy_names_who_signed(content: Content, language: str) -> None:
    record = replace(make_record(content, CHILD, NOW), signer=GUARDIAN, language=language)
    patient = content.for_language(language)
    copy = patient_copy(content, build_summary(content, record, "Clinic"))
    assert copy.consent_agree_label == patient.consent.agree_label_other
    if language == "en":
        reader = PdfReader(io.BytesIO(render_patient_copy(copy)))
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        assert patient.text("copy.signed_by", name=GUARDIAN.name, relationship="mother") in text
        assert patient.text("copy.signature") not in text
        assert patient.consent.agree_label_other in text


def test_who_signs_is_asked_from_the_content(content_copy: Path) -> None:
    consent = content_copy / "consent.toml"
    text = consent.read_text(encoding="utf-8")
    consent.write_text(text.replace('"help_understanding"', '"no_such_question"'))
    with pytest.raises(ContentInvalid) as caught:
        load_content(content_copy, assets_dir())
    assert "consent.toml: ask_signer_when[1].question" in str(caught.value)
    # Without ask_signer_when, nobody is asked: the patient signs.
    start = text.index("ask_signer_when")
    consent.write_text(text[:start], encoding="utf-8")
    plain = load_content(content_copy, assets_dir())
    assert plain.consent.ask_signer_when == ()
