"""FHIR R4: the content as a ``Questionnaire``, a record as a ``QuestionnaireResponse``.

Plain dictionaries in and out, standard library only; the tests validate what comes
out with ``fhir.resources``. The mapping:

* every question is an item whose ``linkId`` is the question id, inside a group per
  section (``section.<id>``); education pages are ``display`` items, the
  comprehension statements ``choice`` items (``check.<id>``), and the consent a group
  with its text, the agreement (``boolean``) and the signature (``attachment``, PNG);
* yes/no, single and multiple choice are ``choice`` items whose ``answerOption``
  codings come from the answer code system; "Not sure" is always the coding
  ``unsure`` of that system, whatever the item's type;
* enable-when conditions become ``enableWhen`` with ``enableBehavior``;
* the patient is a contained ``Patient`` (name, birth date) referenced as ``subject``.

``parse_response`` reads a response back into a ``Record``, and reports every problem
with the item and the reason, so a bad file gets a clear line and never a traceback.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kiosk.domain.answers import Answer, AnswerError, check_answer
from kiosk.domain.bodymap import SCORE_MAX, SCORE_MIN
from kiosk.domain.flow import visible_answers
from kiosk.domain.identity import Identity, clean_name
from kiosk.domain.model import UNSURE, Content, Match, Question, QuestionType
from kiosk.domain.record import Record, unanswered

#: Reserved by RFC 2606 so that it never resolves: a clinic that publishes its
#: questionnaire replaces this base with its own.
BASE = "https://dn-kiosk.invalid/fhir"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/dry-needling-intake"
ANSWER_SYSTEM = f"{BASE}/CodeSystem/answer"
DOCUMENT_SYSTEM = f"{BASE}/NamingSystem/document-id"
PAGE_VIEWED = f"{BASE}/StructureDefinition/education-page-viewed"
#: Our own codes for the body map's regions (regions.toml ids); SNOMED CT where known.
REGION_SYSTEM = f"{BASE}/CodeSystem/body-region"
SNOMED = "http://snomed.info/sct"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
SCORE_TEXT = "Pain score, 0 (no pain) to 10 (worst pain imaginable)"
SITE_TEXT = "Body site"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

_TRUTH = {"true": True, "false": False, UNSURE: None}


class ExportError(ValueError):
    """The content uses something a FHIR Questionnaire cannot say exactly."""


# ------------------------------------------------------------------ export


def _coding(code: str, display: str) -> dict[str, str]:
    return {"system": ANSWER_SYSTEM, "code": code, "display": display}


def _options(question: Question, content: Content) -> list[tuple[str, str]]:
    if question.type is QuestionType.YES_NO:
        options = [("yes", content.text("answer.yes")), ("no", content.text("answer.no"))]
    else:
        options = [(o.code, o.label) for o in question.options]
    return [*options, (UNSURE, content.text("answer.unsure"))]


def _enable_when(question: Question, content: Content) -> tuple[list[dict[str, Any]], str]:
    assert question.enable_when is not None
    conditions = question.enable_when.conditions
    entries: list[dict[str, Any]] = []
    for c in conditions:
        assert c.question is not None
        if c.answered:
            entries.append({"question": c.question, "operator": "exists", "answerBoolean": True})
        kind = content.question(c.question).type
        for code in c.any_of:
            answer: dict[str, Any]
            if kind is QuestionType.SCALE and code != UNSURE:
                answer = {"answerInteger": int(code)}
            elif kind is QuestionType.BODY_MAP and code != UNSURE:
                answer = {"answerCoding": {"system": REGION_SYSTEM, "code": code}}
            else:
                answer = {"answerCoding": {"system": ANSWER_SYSTEM, "code": code}}
            entries.append({"question": c.question, "operator": "=", **answer})
    if question.enable_when.match is Match.ANY or len(conditions) == 1:
        behaviour = "any" if len(entries) > 1 else "all"
    elif all(len(c.any_of) <= 1 for c in conditions):
        behaviour = "all"
    else:
        raise ExportError(
            f'question "{question.id}": "all of" several conditions, one with several codes, '
            "has no exact FHIR enableWhen form; split the follow-up or use single codes"
        )
    return entries, behaviour


def question_item(question: Question, content: Content) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": question.id, "text": question.text, "required": True}
    if question.help:
        item["item"] = [{"linkId": f"{question.id}.help", "type": "display", "text": question.help}]
    if question.type is QuestionType.TEXT:
        item |= {"type": "string", "maxLength": question.max_length}
    elif question.type is QuestionType.DATE:
        item["type"] = "date"
    elif question.type is QuestionType.SCALE:
        item |= {"type": "integer", "extension": _score_range()}
    elif question.type is QuestionType.BODY_MAP:
        # One answer per marked region; under each, its score and its SNOMED CT site.
        item |= {"type": "choice", "repeats": True}
        item["answerOption"] = [
            {"valueCoding": {"system": REGION_SYSTEM, "code": r.id, "display": r.name}}
            for r in content.regions
        ] + [{"valueCoding": _coding(UNSURE, content.text("answer.unsure"))}]
        item.setdefault("item", []).extend(
            [
                {
                    "linkId": f"{question.id}.score",
                    "type": "integer",
                    "text": SCORE_TEXT,
                    "extension": _score_range(),
                },
                {"linkId": f"{question.id}.site", "type": "choice", "text": SITE_TEXT},
            ]
        )
    else:
        item["type"] = "choice"
        item["repeats"] = question.type is QuestionType.MULTI
        item["answerOption"] = [
            {"valueCoding": _coding(c, label)} for c, label in _options(question, content)
        ]
    if question.enable_when is not None:
        entries, behaviour = _enable_when(question, content)
        item["enableWhen"] = entries
        if len(entries) > 1:
            item["enableBehavior"] = behaviour
    return item


def _score_range() -> list[dict[str, Any]]:
    return [
        {"url": MIN_VALUE, "valueInteger": SCORE_MIN},
        {"url": MAX_VALUE, "valueInteger": SCORE_MAX},
    ]


def _region_answer(
    content: Content, question: Question, answer: Answer, region_id: str
) -> dict[str, Any]:
    """One marked region as an answer, with its score and SNOMED CT site nested under it."""
    region = content.region(region_id)
    nested: list[dict[str, Any]] = []
    score = answer.score(region_id)
    if score is not None:
        nested.append(
            {
                "linkId": f"{question.id}.score",
                "text": SCORE_TEXT,
                "answer": [{"valueInteger": score}],
            }
        )
    if region.snomed_code:
        site = {"system": SNOMED, "code": region.snomed_code}
        if region.snomed_display:
            site["display"] = region.snomed_display
        nested.append(
            {"linkId": f"{question.id}.site", "text": SITE_TEXT, "answer": [{"valueCoding": site}]}
        )
    out: dict[str, Any] = {
        "valueCoding": {"system": REGION_SYSTEM, "code": region.id, "display": region.name}
    }
    if nested:
        out["item"] = nested
    return out


def questionnaire(content: Content) -> dict[str, Any]:
    """The content as a FHIR R4 Questionnaire (a dict ready for ``json.dumps``)."""
    truth = [("true", content.text("answer.true")), ("false", content.text("answer.false"))]
    truth.append((UNSURE, content.text("answer.unsure")))
    items: list[dict[str, Any]] = [
        {
            "linkId": "education",
            "type": "group",
            "text": content.text("part.education"),
            "item": [
                {
                    "linkId": f"education.{p.id}",
                    "type": "display",
                    "text": "\n\n".join((p.title, *p.body)),
                }
                for p in content.education
            ],
        },
        {
            "linkId": "comprehension",
            "type": "group",
            "text": content.text("part.comprehension"),
            "item": [
                {
                    "linkId": f"check.{s.id}",
                    "type": "choice",
                    "text": s.text,
                    "answerOption": [{"valueCoding": _coding(c, label)} for c, label in truth],
                }
                for s in content.statements
            ],
        },
    ]
    for section in content.sections:
        questions = [
            question_item(q, content) for q in content.questions if q.section == section.id
        ]
        if questions:
            items.append(
                {
                    "linkId": f"section.{section.id}",
                    "type": "group",
                    "text": section.title,
                    "item": questions,
                }
            )
    consent = content.consent
    items.append(
        {
            "linkId": "consent",
            "type": "group",
            "text": f"{consent.title} ({consent.version})",
            "item": [
                {"linkId": "consent.text", "type": "display", "text": "\n\n".join(consent.body)},
                {
                    "linkId": "consent.agree",
                    "type": "boolean",
                    "text": consent.agree_label,
                    "required": True,
                },
                {"linkId": "consent.signature", "type": "attachment", "text": consent.sign_prompt},
            ],
        }
    )
    return {
        "resourceType": "Questionnaire",
        "id": "dry-needling-intake",
        "url": QUESTIONNAIRE_URL,
        "version": content.version,
        "name": "DryNeedlingIntake",
        "title": content.text("app.title"),
        "status": "active",
        "language": content.language,
        "subjectType": ["Patient"],
        "item": items,
    }


def response(content: Content, record: Record) -> dict[str, Any]:
    """A record as a completed FHIR R4 QuestionnaireResponse."""

    def answers_of(question: Question, answer: Answer) -> list[dict[str, Any]]:
        if answer.is_unsure:
            return [{"valueCoding": _coding(UNSURE, content.text("answer.unsure"))}]
        if question.type is QuestionType.TEXT:
            return [{"valueString": answer.text}]
        if question.type is QuestionType.DATE:
            return [{"valueDate": answer.text}]
        if question.type is QuestionType.SCALE:
            return [{"valueInteger": int(answer.codes[0])}]
        if question.type is QuestionType.BODY_MAP:
            return [_region_answer(content, question, answer, r) for r in answer.codes]
        labels = dict(_options(question, content))
        return [{"valueCoding": _coding(code, labels[code])} for code in answer.codes]

    truth_labels = {True: "answer.true", False: "answer.false", None: "answer.unsure"}
    truth_codes = {True: "true", False: "false", None: UNSURE}
    items: list[dict[str, Any]] = []
    checks = [
        {
            "linkId": f"check.{s.id}",
            "text": s.text,
            "answer": [
                {
                    "valueCoding": _coding(
                        truth_codes[record.checks[s.id]],
                        content.text(truth_labels[record.checks[s.id]]),
                    )
                }
            ],
        }
        for s in content.statements
        if s.id in record.checks
    ]
    if checks:
        items.append({"linkId": "comprehension", "item": checks})
    shown = visible_answers(content, record.answers)
    for section in content.sections:
        answered = [
            {"linkId": q.id, "text": q.text, "answer": answers_of(q, shown[q.id])}
            for q in content.questions
            if q.section == section.id and q.id in shown
        ]
        if answered:
            items.append(
                {"linkId": f"section.{section.id}", "text": section.title, "item": answered}
            )
    consent: list[dict[str, Any]] = [
        {"linkId": "consent.agree", "answer": [{"valueBoolean": True}]}
    ]
    if record.signature_png is not None:
        attachment = {
            "contentType": "image/png",
            "data": base64.b64encode(record.signature_png).decode("ascii"),
            "creation": (record.signed_at or record.authored).isoformat(),
        }
        consent.append({"linkId": "consent.signature", "answer": [{"valueAttachment": attachment}]})
    items.append({"linkId": "consent", "item": consent})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": record.document_id,
        "identifier": {"system": DOCUMENT_SYSTEM, "value": record.document_id},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{record.content_version}",
        "status": "completed",
        "language": record.language,
        "contained": [
            {
                "resourceType": "Patient",
                "id": "patient",
                "name": [{"text": record.identity.name}],
                "birthDate": record.identity.date_of_birth.isoformat(),
            }
        ],
        "subject": {"reference": "#patient"},
        "authored": record.authored.isoformat(),
        "extension": [{"url": PAGE_VIEWED, "valueString": page} for page in record.pages_viewed],
        "item": items,
    }


# ------------------------------------------------------------------ import


@dataclass(frozen=True)
class ResponseProblem:
    item: str
    reason: str

    def __str__(self) -> str:
        return f"{self.item}: {self.reason}"


class ResponseInvalid(ValueError):
    def __init__(self, problems: list[ResponseProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _walk(items: object, where: str, problems: list[ResponseProblem]) -> Iterator[dict[str, Any]]:
    """Every item with a linkId, depth first; groups are descended into."""
    if not isinstance(items, list):
        problems.append(ResponseProblem(where, "item must be a list"))
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
            problems.append(ResponseProblem(f"{where}[{i}]", "an item needs a linkId"))
            continue
        yield item
        if "item" in item:
            yield from _walk(item["item"], item["linkId"], problems)


def _one_value(
    item: dict[str, Any], link: str, problems: list[ResponseProblem]
) -> list[tuple[str, Any]]:
    """The (value type, value) of each answer of an item."""
    answers = item.get("answer", [])
    if not isinstance(answers, list):
        problems.append(ResponseProblem(link, "answer must be a list"))
        return []
    values: list[tuple[str, Any]] = []
    for a in answers:
        keys = [k for k in a if k.startswith("value")] if isinstance(a, dict) else []
        if len(keys) != 1:
            problems.append(ResponseProblem(link, "each answer needs exactly one value[x]"))
            continue
        values.append((keys[0], a[keys[0]]))
    return values


def _listed(codes: set[str]) -> str:
    return ", ".join(sorted(codes))


def _text_or(value: object, default: str) -> str:
    return value if isinstance(value, str) and value else default


def _code_of(value: Any) -> str | None:
    return (
        value.get("code")
        if isinstance(value, dict) and isinstance(value.get("code"), str)
        else None
    )


def _read_answer(
    question: Question, values: list[tuple[str, Any]], today: dt.date
) -> tuple[Answer | None, str | None]:
    """An Answer from FHIR answer values, or the reason it cannot be one."""
    if not values:
        return None, "has no answer"
    kinds = {k for k, _ in values}
    if kinds == {"valueCoding"} and [_code_of(v) for _, v in values] == [UNSURE]:
        return Answer.unsure(), None
    qtype = question.type
    expected = {
        QuestionType.TEXT: "valueString",
        QuestionType.DATE: "valueDate",
        QuestionType.SCALE: "valueInteger",
    }.get(qtype, "valueCoding")
    if kinds != {expected}:
        return (
            None,
            f"a {qtype.value} question needs {expected} answers, not {', '.join(sorted(kinds))}",
        )
    if qtype is QuestionType.TEXT or qtype is QuestionType.DATE:
        if len(values) != 1 or not isinstance(values[0][1], str):
            return None, f"needs one {expected}"
        text = values[0][1]
        if qtype is QuestionType.DATE:
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                return None, f'"{text}" is not a real date'
        candidate = Answer.of_text(text)
    elif qtype is QuestionType.SCALE:
        number = values[0][1]
        if len(values) != 1 or not isinstance(number, int) or isinstance(number, bool):
            return None, "needs one valueInteger from 0 to 10"
        candidate = Answer.of(str(number))
    else:
        codes = [_code_of(v) for _, v in values]
        if None in codes:
            return None, "each valueCoding needs a code"
        valid = (
            {"yes", "no"} if qtype is QuestionType.YES_NO else {o.code for o in question.options}
        )
        unknown = [c for c in codes if c not in valid]
        if unknown:
            return (
                None,
                f'"{unknown[0]}" is not an answer option (options: {_listed(valid | {UNSURE})})',
            )
        candidate = Answer(codes=tuple(c for c in codes if c is not None))
    try:
        return check_answer(question, candidate, today), None
    except AnswerError as exc:
        return None, str(exc)


def _read_body_map(
    question: Question, item: dict[str, Any], values: list[tuple[str, Any]]
) -> tuple[Answer | None, str | None]:
    """A body-map answer: region codings, each with its score nested under it."""
    if not values:
        return None, "has no answer"
    if [k for k, _ in values] == ["valueCoding"] and _code_of(values[0][1]) == UNSURE:
        return Answer.unsure(), None
    if {k for k, _ in values} != {"valueCoding"}:
        return None, "a body_map question needs valueCoding answers (one per marked region)"
    codes: list[str] = []
    scores: list[tuple[str, int]] = []
    score_link, site_link = f"{question.id}.score", f"{question.id}.site"
    for raw in item.get("answer", []):
        if not isinstance(raw, dict):
            continue  # _one_value has named it already
        coding = raw.get("valueCoding")
        code = _code_of(coding)
        if code is None or not isinstance(coding, dict) or coding.get("system") != REGION_SYSTEM:
            return None, f"each region needs a valueCoding with system {REGION_SYSTEM}"
        codes.append(code)
        nested = raw.get("item", [])
        if not isinstance(nested, list):
            return None, f'region "{code}": item must be a list'
        for sub in nested:
            link = sub.get("linkId") if isinstance(sub, dict) else None
            if link == site_link:
                continue  # the SNOMED CT site follows from the region; nothing to read
            if link != score_link:
                return None, f'region "{code}": {link!r} is not an item of a marked region'
            sub_values = sub.get("answer", [])
            if (
                not isinstance(sub_values, list)
                or len(sub_values) != 1
                or not isinstance(sub_values[0], dict)
                or not isinstance(sub_values[0].get("valueInteger"), int)
                or isinstance(sub_values[0].get("valueInteger"), bool)
            ):
                return None, f'region "{code}": {link!r} needs one valueInteger score'
            scores.append((code, sub_values[0]["valueInteger"]))
    try:
        return check_answer(
            question, Answer(codes=tuple(codes), scores=tuple(scores)), dt.date.max
        ), None
    except AnswerError as exc:
        return None, str(exc)


def _patient(
    data: dict[str, Any], problems: list[ResponseProblem], today: dt.date
) -> Identity | None:
    subject = data.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    if not isinstance(reference, str) or not reference.startswith("#"):
        problems.append(
            ResponseProblem("subject", "must reference the contained Patient, like #patient")
        )
        return None
    contained = data.get("contained", [])
    patient = next(
        (
            r
            for r in (contained if isinstance(contained, list) else [])
            if isinstance(r, dict)
            and r.get("resourceType") == "Patient"
            and r.get("id") == reference[1:]
        ),
        None,
    )
    if patient is None:
        problems.append(
            ResponseProblem("subject", f"no contained Patient with id {reference[1:]!r}")
        )
        return None
    names = patient.get("name")
    name = ""
    if isinstance(names, list) and names and isinstance(names[0], dict):
        first = names[0]
        given = first.get("given")
        parts = [*(g for g in given if isinstance(g, str))] if isinstance(given, list) else []
        parts.append(first.get("family") or "")
        text = first.get("text")
        joined = " ".join(p for p in parts if isinstance(p, str))
        name = clean_name(text if isinstance(text, str) and text.strip() else joined)
    if not name:
        problems.append(ResponseProblem("Patient.name", "is missing"))
    birth = patient.get("birthDate")
    try:
        dob = dt.date.fromisoformat(birth) if isinstance(birth, str) else None
    except ValueError:
        dob = None
    if dob is None:
        problems.append(ResponseProblem("Patient.birthDate", f"{birth!r} is not a real date"))
    elif dob > today:
        problems.append(ResponseProblem("Patient.birthDate", "is in the future"))
    return Identity(name, dob) if name and dob and dob <= today else None


def parse_response(content: Content, data: object) -> Record:
    """A QuestionnaireResponse for this content, as a Record; ``ResponseInvalid`` if not."""
    if not isinstance(data, dict):
        raise ResponseInvalid([ResponseProblem("resource", "must be a JSON object")])
    if data.get("resourceType") != "QuestionnaireResponse":
        found = data.get("resourceType")
        raise ResponseInvalid(
            [ResponseProblem("resourceType", f"is {found!r}, expected 'QuestionnaireResponse'")]
        )
    problems: list[ResponseProblem] = []
    canonical = data.get("questionnaire")
    url, _, version = canonical.partition("|") if isinstance(canonical, str) else ("", "", "")
    if url != QUESTIONNAIRE_URL:
        problems.append(
            ResponseProblem("questionnaire", f"must be {QUESTIONNAIRE_URL}|{content.version}")
        )
    elif version != content.version:
        problems.append(
            ResponseProblem(
                "questionnaire",
                f"was answered with content version {version or '?'}; "
                f"this kiosk has {content.version}",
            )
        )
    if data.get("status") != "completed":
        problems.append(
            ResponseProblem(
                "status", f"is {data.get('status')!r}; only completed responses are rendered"
            )
        )
    authored_text = data.get("authored")
    try:
        authored = (
            dt.datetime.fromisoformat(authored_text) if isinstance(authored_text, str) else None
        )
    except ValueError:
        authored = None
    if authored is None:
        problems.append(ResponseProblem("authored", f"{authored_text!r} is not a date and time"))
        authored = dt.datetime.now().astimezone()
    if authored.tzinfo is None:
        authored = authored.astimezone()
    today = authored.date()
    identity = _patient(data, problems, today)
    identifier = data.get("identifier")
    document_id = identifier.get("value") if isinstance(identifier, dict) else data.get("id")
    if not isinstance(document_id, str) or not document_id.strip():
        problems.append(ResponseProblem("identifier", "needs the document id as identifier.value"))
        document_id = ""

    questions = {q.id: q for q in content.questions}
    statements = {f"check.{s.id}": s for s in content.statements}
    groups = {"education", "comprehension", "consent"} | {
        f"section.{s.id}" for s in content.sections
    }
    answers: dict[str, Answer] = {}
    checks: dict[str, bool | None] = {}
    seen: set[str] = set()
    agreed = False
    signature: bytes | None = None
    for item in _walk(data.get("item", []), "item", problems):
        link = item["linkId"]
        if link in seen:
            problems.append(ResponseProblem(link, "appears more than once"))
            continue
        seen.add(link)
        if link in groups:
            continue
        values = _one_value(item, link, problems)
        if link in questions:
            if questions[link].type is QuestionType.BODY_MAP:
                answer, reason = _read_body_map(questions[link], item, values)
            else:
                answer, reason = _read_answer(questions[link], values, today)
            if reason:
                problems.append(ResponseProblem(link, reason))
            elif answer is not None:
                answers[link] = answer
        elif link in statements:
            codes = [_code_of(v) for k, v in values if k == "valueCoding"]
            if len(codes) != 1 or codes[0] not in _TRUTH:
                problems.append(
                    ResponseProblem(link, "needs one valueCoding: true, false or unsure")
                )
            else:
                checks[statements[link].id] = _TRUTH[codes[0]]
        elif link == "consent.agree":
            agreed = values == [("valueBoolean", True)]
            if not agreed:
                problems.append(
                    ResponseProblem(link, "the patient must have agreed (valueBoolean true)")
                )
        elif link == "consent.signature":
            signature = _signature(values, link, problems)
        else:
            problems.append(
                ResponseProblem(
                    link, f"is not an item of questionnaire {QUESTIONNAIRE_URL}|{content.version}"
                )
            )
    if not agreed and "consent.agree" not in seen:
        problems.append(
            ResponseProblem("consent.agree", "is missing: a summary needs the patient's agreement")
        )

    shown = visible_answers(content, answers)
    if not problems:
        # Only when every item read cleanly: a bad answer would otherwise also show up
        # as a missing one, and hide or show its follow-ups, one cause many lines.
        for qid in answers.keys() - shown.keys():
            problems.append(
                ResponseProblem(
                    qid, "is answered but not asked for these answers (see its enableWhen)"
                )
            )
        for qid in unanswered(content, shown):
            problems.append(
                ResponseProblem(
                    qid, 'has no answer; every question shown needs one ("Not sure" counts)'
                )
            )

    pages = _pages_viewed(data, content, problems)
    if problems or identity is None:
        raise ResponseInvalid(problems or [ResponseProblem("subject", "no patient")])
    return Record(
        document_id=document_id.strip(),
        content_version=content.version,
        language=_text_or(data.get("language"), content.language),
        identity=identity,
        answers=shown,
        checks=checks,
        pages_viewed=pages,
        authored=authored,
        signed_at=authored if signature is not None else None,
        signature_png=signature,
    )


def _signature(
    values: list[tuple[str, Any]], link: str, problems: list[ResponseProblem]
) -> bytes | None:
    if len(values) != 1 or values[0][0] != "valueAttachment" or not isinstance(values[0][1], dict):
        problems.append(ResponseProblem(link, "needs one valueAttachment"))
        return None
    attachment = values[0][1]
    if attachment.get("contentType") != "image/png":
        problems.append(ResponseProblem(link, "contentType must be image/png"))
        return None
    try:
        png = base64.b64decode(str(attachment.get("data", "")), validate=True)
    except (binascii.Error, ValueError):
        problems.append(ResponseProblem(link, "data is not base64"))
        return None
    if not png.startswith(PNG_MAGIC):
        problems.append(ResponseProblem(link, "data is not a PNG image"))
        return None
    return png


def _pages_viewed(
    data: dict[str, Any], content: Content, problems: list[ResponseProblem]
) -> tuple[str, ...]:
    pages: list[str] = []
    known = {p.id for p in content.education}
    extensions = data.get("extension", [])
    for ext in extensions if isinstance(extensions, list) else []:
        if isinstance(ext, dict) and ext.get("url") == PAGE_VIEWED:
            page = ext.get("valueString")
            if page not in known:
                problems.append(
                    ResponseProblem("extension", f"education page {page!r} is not in the content")
                )
            elif page not in pages:
                pages.append(page)
    return tuple(pages)


__all__ = [
    "QUESTIONNAIRE_URL",
    "ExportError",
    "ResponseInvalid",
    "ResponseProblem",
    "parse_response",
    "questionnaire",
    "response",
]
