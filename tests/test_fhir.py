"""FHIR R4: the Questionnaire and QuestionnaireResponse validate, and answers round-trip."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from PIL import Image, ImageDraw
from pypdf import PdfReader

from kiosk.cli import main
from kiosk.domain.answers import Answer
from kiosk.domain.identity import Identity
from kiosk.domain.model import UNSURE, Content, QuestionType
from kiosk.domain.record import Record, build_summary
from kiosk.domain.session import Session
from kiosk.domain.summary import Signature
from kiosk.interop import fhir
from kiosk.saving import render_record

TZ = dt.timezone(dt.timedelta(hours=1))
SIGNED = dt.datetime(2026, 11, 27, 9, 30, tzinfo=TZ)


def signature_png() -> bytes:
    image = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(image).line([(40, 150), (200, 60), (380, 150), (560, 50)], fill=0, width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def full_record(content: Content, name: str = "Ана Ñúñez-O'Brien") -> Record:
    """A record that uses every question type, follow-ups, Not sure, and every check."""
    session = Session(content, "Clinic", clock=lambda: SIGNED)
    session.identity = Identity(name, dt.date(1958, 2, 28))
    flow = session.flow
    for question in content.questions:
        if question.id not in {s.id for s in flow.steps()}:
            continue
        if question.id == "blood_thinner":
            answer = Answer.of("yes")
        elif question.id == "lymphoedema":
            answer = Answer.unsure()
        elif question.type is QuestionType.YES_NO:
            answer = Answer.of("yes" if question.id == "surgery_or_implant" else "no")
        elif question.type is QuestionType.MULTI:
            ordinary = [o.code for o in question.options if not o.exclusive]
            answer = Answer.of(*ordinary[:2])
        elif question.type is QuestionType.SINGLE:
            answer = Answer.of(question.options[-1].code)
        elif question.type is QuestionType.TEXT:
            answer = Answer.of_text('Knee <replaced> & "fine"')
        elif question.type is QuestionType.SCALE:
            answer = Answer.of_score(7)
        elif question.type is QuestionType.BODY_MAP:
            # One region with a SNOMED CT code, one without, and one without a score.
            answer = Answer(
                codes=("shoulder_left", "wrist_hand_right", "calf_right"),
                scores=(("shoulder_left", 7), ("wrist_hand_right", 0)),
            )
        else:
            answer = Answer.of_date(dt.date(2025, 3, 14))
        flow.set_answer(question.id, answer)
    for i, statement in enumerate(content.statements):
        session.checks[statement.id] = None if i == 0 else statement.correct
    for page in content.education:
        session.view_page(page.id)
    session.sign(Signature(600, 200, (((40.0, 150.0), (560.0, 50.0)),)), signature_png())
    return session.record()


# ---------------------------------------------------------------- Questionnaire


def test_questionnaire_validates_and_mirrors_the_content(content: Content) -> None:
    data = fhir.questionnaire(content)
    Questionnaire.model_validate(data)
    assert data["url"] == fhir.QUESTIONNAIRE_URL
    assert data["version"] == content.version
    items = {i["linkId"]: i for i in _all_items(data["item"])}
    for question in content.questions:
        item = items[question.id]
        assert item["text"] == question.text
        if question.type in (QuestionType.YES_NO, QuestionType.SINGLE, QuestionType.MULTI):
            codes = [o["valueCoding"]["code"] for o in item["answerOption"]]
            assert codes[-1] == UNSURE
            assert item["repeats"] is (question.type is QuestionType.MULTI)
        assert ("enableWhen" in item) == question.is_follow_up
    displays = [
        i for i in items.values() if i["type"] == "display" and i["linkId"].startswith("education.")
    ]
    assert len(displays) == len(content.education)
    assert items["consent.signature"]["type"] == "attachment"


def test_enable_when_uses_the_answer_codes(content: Content) -> None:
    items = {i["linkId"]: i for i in _all_items(fhir.questionnaire(content)["item"])}
    weeks = items["pregnant_weeks"]
    assert weeks["enableWhen"] == [
        {
            "question": "pregnant",
            "operator": "=",
            "answerCoding": {"system": fhir.ANSWER_SYSTEM, "code": "yes"},
        }
    ]
    conceive = items["trying_to_conceive"]
    assert conceive["enableBehavior"] == "any"
    assert {e["answerCoding"]["code"] for e in conceive["enableWhen"]} == {"no", UNSURE}


def test_export_command_writes_the_questionnaire(tmp_path: Path) -> None:
    out = tmp_path / "q.json"
    assert main(["export-questionnaire", "-o", str(out)]) == 0
    Questionnaire.model_validate(json.loads(out.read_text(encoding="utf-8")))


def _all_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for item in items:
        found.append(item)
        found += _all_items(item.get("item", []))
    return found


# ---------------------------------------------------------------- QuestionnaireResponse


def test_response_validates_and_round_trips(content: Content) -> None:
    record = full_record(content)
    data = fhir.response_for_record(content, record)
    QuestionnaireResponse.model_validate(data)
    assert data["status"] == "completed"
    assert data["questionnaire"] == f"{fhir.QUESTIONNAIRE_URL}|{content.version}"
    assert data["contained"][0]["name"][0]["text"] == record.identity.name
    back = fhir.parse_response(content, json.loads(json.dumps(data)))
    assert back.identity == record.identity
    assert dict(back.answers) == dict(record.answers)
    assert dict(back.checks) == dict(record.checks)
    assert back.pages_viewed == record.pages_viewed
    assert back.signature_png == record.signature_png
    assert back.authored == record.authored
    assert back.document_id == record.document_id
    # Every kind of answer made the trip.
    values = {k for i in _all_items(data["item"]) for a in i.get("answer", []) for k in a}
    assert values == {
        "valueCoding",
        "valueString",
        "valueDate",
        "valueBoolean",
        "valueAttachment",
        "valueInteger",  # the pain scale, and each region's score
        "item",  # a body-map region's nested score and body site
    }
    assert build_summary(content, back, "Clinic") == build_summary(content, record, "Clinic")


def test_response_holds_no_hidden_answers(content: Content) -> None:
    record = full_record(content)
    data = fhir.response_for_record(content, record)
    links = {i["linkId"] for i in _all_items(data["item"])}
    assert "pregnant_weeks" not in links  # pregnant was answered "no"


# ---------------------------------------------------------------- render: bad input


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "response.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def find(data: dict[str, Any], link: str) -> dict[str, Any]:
    return next(i for i in _all_items(data["item"]) if i["linkId"] == link)


def drop(data: dict[str, Any], link: str) -> None:
    for group in data["item"]:
        group["item"] = [i for i in group.get("item", []) if i["linkId"] != link]


BAD = [
    ("invalid JSON", lambda d: "{not json", "not valid JSON"),
    ("wrong resource", lambda d: {**d, "resourceType": "Patient"}, "resourceType: is 'Patient'"),
    (
        "unknown linkId",
        lambda d: find(d, "needle_fear").update(linkId="needle_fears"),
        "needle_fears: is not an item",
    ),
    (
        "wrong answer type",
        lambda d: find(d, "surgery_what").update(answer=[{"valueBoolean": True}]),
        "surgery_what: a text question needs valueString answers, not valueBoolean",
    ),
    (
        "unknown option code",
        lambda d: find(d, "needle_fear")["answer"][0]["valueCoding"].update(code="terrified"),
        'needle_fear: "terrified" is not an answer option',
    ),
    ("missing required answer", lambda d: drop(d, "diabetes"), "diabetes: has no answer"),
    (
        "impossible date",
        lambda d: find(d, "surgery_when").update(answer=[{"valueDate": "2025-02-30"}]),
        'surgery_when: "2025-02-30" is not a real date',
    ),
    (
        "impossible birth date",
        lambda d: d["contained"][0].update(birthDate="1958-02-29"),
        "Patient.birthDate: '1958-02-29' is not a real date",
    ),
    (
        "name that is not text",
        lambda d: d["contained"][0].update(name=[{"text": 12345}]),
        "Patient.name: is missing",
    ),
    (
        "name of invisible characters",
        lambda d: d["contained"][0].update(name=[{"text": "\u200d\u200c \u200d"}]),
        "Patient.name: has nothing to read (only invisible characters)",
    ),
    (
        "Not sure with an option",
        lambda d: find(d, "allergies")["answer"].append({"valueCoding": {"code": UNSURE}}),
        'allergies: "Not sure" cannot be combined with another answer',
    ),
    (
        "None of these with an option",
        lambda d: find(d, "allergies")["answer"].append({"valueCoding": {"code": "none"}}),
        'allergies: "None of these" cannot be combined with another answer',
    ),
    (
        "Not sure with yes",
        lambda d: find(d, "diabetes")["answer"].append({"valueCoding": {"code": UNSURE}}),
        'diabetes: "Not sure" cannot be combined with another answer',
    ),
    (
        "other content version",
        lambda d: d.update(questionnaire=f"{fhir.QUESTIONNAIRE_URL}|1999.1"),
        "questionnaire: was answered with content version 1999.1",
    ),
    (
        "answer to a question not asked",
        lambda d: find(d, "section.pregnancy")["item"].insert(
            1, {"linkId": "pregnant_weeks", "answer": [{"valueCoding": {"code": "weeks_0_12"}}]}
        ),
        "pregnant_weeks: is answered but not asked",
    ),
]


@pytest.mark.parametrize(("case", "breaks", "message"), BAD, ids=[b[0] for b in BAD])
def test_render_names_the_item_and_the_reason(
    content: Content,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    breaks: Any,
    message: str,
) -> None:
    data = fhir.response_for_record(content, full_record(content))
    changed = breaks(data)
    source = write(tmp_path, changed if changed is not None else data)
    out = tmp_path / "out.pdf"
    assert main(["render", str(source), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    # As every command lists problems: a heading, then file, item and reason on one line.
    assert lines == [f"1 problem(s) in {source}:", f"  {source}: {lines[1].split(': ', 1)[1]}"]
    assert message in lines[1], lines[1]
    assert not out.exists()


def test_render_without_signature_says_not_signed(content: Content, tmp_path: Path) -> None:
    data = fhir.response_for_record(content, full_record(content))
    drop(data, "consent.signature")
    out = tmp_path / "out.pdf"
    assert main(["render", str(write(tmp_path, data)), "-o", str(out)]) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "NOT SIGNED" in text


def test_render_gives_the_kiosk_pdf(content: Content, tmp_path: Path) -> None:
    record = full_record(content)
    kiosk_pdf = render_record(content, record, "Physiotherapy clinic")
    source = write(tmp_path, fhir.response_for_record(content, record))
    out = tmp_path / "out.pdf"
    assert main(["render", str(source), "-o", str(out)]) == 0
    texts = [
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        for pdf in (kiosk_pdf, out.read_bytes())
    ]
    assert texts[0] == texts[1]
    assert record.identity.name in texts[1]


def test_signature_attachment_must_be_a_png(
    content: Content, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = fhir.response_for_record(content, full_record(content))
    find(data, "consent.signature")["answer"][0]["valueAttachment"]["data"] = base64.b64encode(
        b"GIF89a"
    ).decode()
    assert main(["render", str(write(tmp_path, data)), "-o", str(tmp_path / "o.pdf")]) == 2
    assert "consent.signature: data is not a PNG image" in capsys.readouterr().err


# ---------------------------------------------------------------- body map and scale


def _item(data: dict[str, Any], link: str) -> dict[str, Any]:
    return next(i for i in _all_items(data["item"]) if i["linkId"] == link)


def test_body_map_regions_carry_snomed_sites_and_scores(content: Content) -> None:
    record = full_record(content)
    data = fhir.response_for_record(content, record)
    answers = _item(data, "pain_where")["answer"]
    assert [a["valueCoding"]["code"] for a in answers] == [
        "shoulder_left",
        "wrist_hand_right",
        "calf_right",
    ]
    assert {a["valueCoding"]["system"] for a in answers} == {fhir.REGION_SYSTEM}
    assert answers[0]["valueCoding"]["display"] == "Left shoulder"
    nested = {sub["linkId"]: sub["answer"][0] for sub in answers[0]["item"]}
    assert nested["pain_where.score"] == {"valueInteger": 7}
    assert nested["pain_where.site"]["valueCoding"] == {
        "system": "http://snomed.info/sct",
        "code": "91775009",
        "display": "Structure of left shoulder region",
    }
    # No SNOMED CT code is claimed for "wrist and hand"; its score of 0 is kept.
    hand = {sub["linkId"]: sub["answer"][0] for sub in answers[1]["item"]}
    assert hand == {"pain_where.score": {"valueInteger": 0}}
    # A region without a score has only its site.
    assert [sub["linkId"] for sub in answers[2]["item"]] == ["pain_where.site"]
    assert _item(data, "pain_now")["answer"] == [{"valueInteger": 7}]


def test_questionnaire_lists_every_region_and_the_score_range(content: Content) -> None:
    data = fhir.questionnaire(content)
    item = _item(data, "pain_where")
    codes = [o["valueCoding"]["code"] for o in item["answerOption"]]
    assert codes == [*(r.id for r in content.regions), UNSURE]
    assert item["repeats"] is True
    children = {c["linkId"]: c for c in item["item"]}
    assert children["pain_where.score"]["type"] == "integer"
    scale = _item(data, "pain_now")
    assert scale["type"] == "integer"
    assert {e["url"]: e["valueInteger"] for e in scale["extension"]} == {
        fhir.MIN_VALUE: 0,
        fhir.MAX_VALUE: 10,
    }


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda a: a[0]["item"][0]["answer"][0].update(valueInteger=11), "from 0 to 10"),
        (lambda a: a[0]["valueCoding"].update(code="elbow_middle"), "unknown region"),
        (lambda a: a[0]["valueCoding"].update(system=fhir.ANSWER_SYSTEM), "system"),
        (lambda a: a[0]["item"][0]["answer"][0].update(valueInteger="7"), "valueInteger"),
    ],
)
def test_a_bad_body_map_answer_is_a_named_problem(content: Content, mutate, reason) -> None:
    data = json.loads(json.dumps(fhir.response_for_record(content, full_record(content))))
    mutate(_item(data, "pain_where")["answer"])
    with pytest.raises(fhir.ResponseInvalid) as caught:
        fhir.parse_response(content, data)
    assert any(p.item == "pain_where" and reason in p.reason for p in caught.value.problems), (
        caught.value.problems
    )


def test_a_scale_answer_out_of_range_is_refused(content: Content) -> None:
    data = json.loads(json.dumps(fhir.response_for_record(content, full_record(content))))
    _item(data, "pain_now")["answer"] = [{"valueInteger": 12}]
    with pytest.raises(fhir.ResponseInvalid, match="pain_now"):
        fhir.parse_response(content, data)
