"""FHIR R4 export: the content as a ``Questionnaire``, a summary as a ``QuestionnaireResponse``.

Plain dictionaries out, standard library only; the tests validate what comes out with
``fhir.resources``. The mapping:

* every question is an item whose ``linkId`` is the question id, inside a group per
  section (``section.<id>``); education pages are ``display`` items, the
  comprehension statements ``choice`` items (``check.<id>``), and the consent a group
  with its text, the decision (``consent.decision``: given, talk_first or declined,
  codes of ``CONSENT_SYSTEM``), who signed when that was asked (``consent.signer``:
  patient, guardian or authority, codes of ``SIGNER_SYSTEM``; for someone else also
  ``consent.signer.name`` and ``consent.signer.relationship``), and, only when consent
  is given, the agreement (``boolean``) and the signature (``attachment``, PNG);
* yes/no, single and multiple choice are ``choice`` items whose ``answerOption``
  codings come from the answer code system; "Not sure" is always the coding
  ``unsure`` of that system, whatever the item's type; in a repeating item, the options
  that stand alone ("None of these", "Not sure") carry the SDC
  ``questionnaire-optionExclusive`` extension;
* enable-when conditions become ``enableWhen`` with ``enableBehavior``;
* the patient is a contained ``Patient`` (name, birth date) referenced as ``subject``.

The response is written from the one ``Summary`` (``kiosk.domain.record.build_summary``),
so it holds exactly the answers the clinician's PDF shows. ``fhir_import`` reads it back.
"""

from __future__ import annotations

import base64
from typing import Any

from kiosk.domain.answers import Answer
from kiosk.domain.bodymap import SCORE_MAX, SCORE_MIN
from kiosk.domain.consent import ConsentDecision, Signer, SignerRole
from kiosk.domain.model import UNSURE, Content, Match, Question, QuestionType
from kiosk.domain.record import Record, build_summary
from kiosk.domain.summary import Summary

#: Reserved by RFC 2606 so that it never resolves: a clinic that publishes its
#: questionnaire replaces this base with its own.
BASE = "https://dn-kiosk.invalid/fhir"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/dry-needling-intake"
ANSWER_SYSTEM = f"{BASE}/CodeSystem/answer"
DOCUMENT_SYSTEM = f"{BASE}/NamingSystem/document-id"
PAGE_VIEWED = f"{BASE}/StructureDefinition/education-page-viewed"
#: How the consent ended: ``ConsentDecision`` values (given, talk_first, declined).
CONSENT_SYSTEM = f"{BASE}/CodeSystem/consent-decision"
DECISION_TEXT = "Consent decision"
#: Who signed: ``SignerRole`` values (patient, guardian, authority).
SIGNER_SYSTEM = f"{BASE}/CodeSystem/consent-signer"
SIGNER_TEXT = "Who signed the consent"
SIGNER_NAME_TEXT = "Full name of the person who signed for the patient"
SIGNER_RELATIONSHIP_TEXT = "Their relationship to the patient"
#: The words on "Who is signing?" for each choice (``strings.toml``).
SIGNER_LABELS = {
    SignerRole.PATIENT: "signer.patient",
    SignerRole.GUARDIAN: "signer.guardian",
    SignerRole.AUTHORITY: "signer.authority",
}
#: The words the patient tapped for each ending (``strings.toml``).
DECISION_LABELS = {
    ConsentDecision.GIVEN: "consent.finish",
    ConsentDecision.TALK_FIRST: "consent.talk_first",
    ConsentDecision.DECLINED: "consent.decline",
}
#: Our own codes for the body map's regions (regions.toml ids); SNOMED CT where known.
REGION_SYSTEM = f"{BASE}/CodeSystem/body-region"
SNOMED = "http://snomed.info/sct"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
#: SDC: an option that cannot be combined with any other ("None of these", "Not sure").
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
SCORE_TEXT = "Pain score, 0 (no pain) to 10 (worst pain imaginable)"
SITE_TEXT = "Body site"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


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
        ] + [_exclusive({"valueCoding": _coding(UNSURE, content.text("answer.unsure"))})]
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
            _exclusive(option) if item["repeats"] and _is_exclusive(question, c) else option
            for c, label in _options(question, content)
            for option in ({"valueCoding": _coding(c, label)},)
        ]
    if question.enable_when is not None:
        entries, behaviour = _enable_when(question, content)
        item["enableWhen"] = entries
        if len(entries) > 1:
            item["enableBehavior"] = behaviour
    return item


def _is_exclusive(question: Question, code: str) -> bool:
    """An option that clears every other choice: "Not sure", or one marked exclusive."""
    option = question.option(code)
    return code == UNSURE or (option is not None and option.exclusive)


def _exclusive(option: dict[str, Any]) -> dict[str, Any]:
    """Mark an answer option of a repeating item as standing alone (SDC optionExclusive)."""
    return {"extension": [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}], **option}


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
    # Agreement and signature are asked only when consent is given.
    given = [
        {
            "question": "consent.decision",
            "operator": "=",
            "answerCoding": {"system": CONSENT_SYSTEM, "code": ConsentDecision.GIVEN.value},
        }
    ]
    # "=" each other role, not "!=" patient: "!=" also holds when nobody was asked.
    someone_else = [
        {
            "question": "consent.signer",
            "operator": "=",
            "answerCoding": {"system": SIGNER_SYSTEM, "code": role.value},
        }
        for role in SignerRole
        if role.for_someone_else
    ]
    items.append(
        {
            "linkId": "consent",
            "type": "group",
            "text": f"{consent.title} ({consent.version})",
            "item": [
                {"linkId": "consent.text", "type": "display", "text": "\n\n".join(consent.body)},
                # Asked only for a minor or a patient with someone helping them
                # (ask_signer_when: an age has no enableWhen form, so none is given).
                {
                    "linkId": "consent.signer",
                    "type": "choice",
                    "text": SIGNER_TEXT,
                    "answerOption": [{"valueCoding": _signer(content, r)} for r in SignerRole],
                },
                {
                    "linkId": "consent.signer.name",
                    "type": "string",
                    "text": SIGNER_NAME_TEXT,
                    "required": True,
                    "enableWhen": someone_else,
                    "enableBehavior": "any",
                },
                {
                    "linkId": "consent.signer.relationship",
                    "type": "string",
                    "text": SIGNER_RELATIONSHIP_TEXT,
                    "required": True,
                    "enableWhen": someone_else,
                    "enableBehavior": "any",
                },
                {
                    "linkId": "consent.decision",
                    "type": "choice",
                    "text": DECISION_TEXT,
                    "required": True,
                    "answerOption": [
                        {"valueCoding": _decision(content, d)} for d in ConsentDecision
                    ],
                },
                {
                    "linkId": "consent.agree",
                    "type": "boolean",
                    "text": consent.agree_label,
                    "required": True,
                    "enableWhen": given,
                },
                {
                    "linkId": "consent.signature",
                    "type": "attachment",
                    "text": consent.sign_prompt,
                    "enableWhen": given,
                },
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


def _signer(content: Content, role: SignerRole) -> dict[str, str]:
    display = content.text(SIGNER_LABELS[role])
    return {"system": SIGNER_SYSTEM, "code": role.value, "display": display}


def _signer_items(content: Content, signer: Signer | None) -> list[dict[str, Any]]:
    if signer is None:
        return []
    items: list[dict[str, Any]] = [
        {
            "linkId": "consent.signer",
            "text": SIGNER_TEXT,
            "answer": [{"valueCoding": _signer(content, signer.role)}],
        }
    ]
    if signer.for_someone_else:
        for link, text, value in (
            ("consent.signer.name", SIGNER_NAME_TEXT, signer.name),
            ("consent.signer.relationship", SIGNER_RELATIONSHIP_TEXT, signer.relationship),
        ):
            items.append({"linkId": link, "text": text, "answer": [{"valueString": value}]})
    return items


def _decision(content: Content, decision: ConsentDecision) -> dict[str, str]:
    display = content.text(DECISION_LABELS[decision])
    return {"system": CONSENT_SYSTEM, "code": decision.value, "display": display}


def response_for_record(content: Content, record: Record) -> dict[str, Any]:
    """``response`` for a record that has no summary yet (tools and tests)."""
    return response(content, build_summary(content, record, ""))


def response(content: Content, summary: Summary) -> dict[str, Any]:
    """The summary's record as a completed FHIR R4 QuestionnaireResponse.

    The answers are the summary's ``shown`` ones: filtered once, in ``build_summary``.
    """
    if summary.record is None:
        raise ValueError("a summary made from a record is needed (build_summary)")
    record = summary.record

    def answers_of(question: Question, answer: Answer) -> list[dict[str, Any]]:
        if answer.is_unsure:
            return [{"valueCoding": _coding(UNSURE, content.text("answer.unsure"))}]
        if question.type is QuestionType.TEXT:
            return [{"valueString": answer.text}]
        if question.type is QuestionType.DATE:
            assert answer.date is not None, "checked answers of date questions have a date"
            return [{"valueDate": answer.date.isoformat()}]
        if question.type is QuestionType.SCALE:
            return [{"valueInteger": answer.score_value}]
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
    shown = {item.question_id: item.answer for item in summary.shown}
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
        *_signer_items(content, record.signer),
        {
            "linkId": "consent.decision",
            "text": DECISION_TEXT,
            "answer": [{"valueCoding": _decision(content, record.decision)}],
        },
    ]
    if not record.decision.withheld:
        consent.append({"linkId": "consent.agree", "answer": [{"valueBoolean": True}]})
    if record.signature_png is not None and not record.decision.withheld:
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


__all__ = [
    "ANSWER_SYSTEM",
    "CONSENT_SYSTEM",
    "DOCUMENT_SYSTEM",
    "MAX_VALUE",
    "MIN_VALUE",
    "OPTION_EXCLUSIVE",
    "PAGE_VIEWED",
    "PNG_MAGIC",
    "QUESTIONNAIRE_URL",
    "REGION_SYSTEM",
    "SIGNER_SYSTEM",
    "ExportError",
    "question_item",
    "questionnaire",
    "response",
    "response_for_record",
]
