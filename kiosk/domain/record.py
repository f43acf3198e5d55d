"""The record of one finished session, and the summary built from it.

A ``Record`` is what the patient gave, as codes: identity, answers, comprehension
answers, pages seen, signature. It is what the kiosk saves (as a FHIR
QuestionnaireResponse) and what ``python -m kiosk render`` reads back, and
``build_summary`` turns it into the report data in both cases, so a summary rendered
later is the summary the kiosk printed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kiosk.domain.answers import Answer, describe, describe_region, format_date
from kiosk.domain.consent import ConsentDecision, Signer
from kiosk.domain.flow import depth, is_enabled, visible_answers
from kiosk.domain.identity import Identity
from kiosk.domain.model import Content, Question, QuestionType
from kiosk.domain.rules import Flag, evaluate
from kiosk.domain.summary import (
    AnswerRow,
    CheckRow,
    FlagRow,
    MarkedRegion,
    ShownAnswer,
    Summary,
)


@dataclass(frozen=True)
class Record:
    document_id: str
    content_version: str
    language: str
    identity: Identity
    answers: Mapping[str, Answer] = field(hash=False)
    #: Comprehension answers by statement id: True, False, or None for "Not sure".
    checks: Mapping[str, bool | None] = field(hash=False)
    pages_viewed: tuple[str, ...]
    #: When the record was completed; the summary's date.
    authored: dt.datetime
    signed_at: dt.datetime | None
    signature_png: bytes | None
    #: Which ending the patient chose at the consent; only ``GIVEN`` has a signature.
    decision: ConsentDecision = ConsentDecision.GIVEN
    #: Who signed (or decided), when it was asked; None when it was not.
    signer: Signer | None = None

    def age(self) -> int:
        return self.identity.age_on(self.authored.date())


class RecordIncomplete(ValueError):
    """A record that cannot make a summary, for example with a question unanswered."""


def canonical_json(record: Record) -> bytes:
    """The record's content in one fixed byte form: sorted keys, no spaces, UTF-8.

    The signature enters as the SHA-256 of its PNG, so the form stays small.
    """
    data = {
        "document": record.document_id,
        "contentVersion": record.content_version,
        "patient": {
            "name": record.identity.name,
            "birthDate": record.identity.date_of_birth.isoformat(),
        },
        "answers": {qid: _answer_json(a) for qid, a in sorted(record.answers.items())},
        "checks": dict(sorted(record.checks.items())),
        "signedAt": record.signed_at.isoformat() if record.signed_at else None,
        "signature": hashlib.sha256(record.signature_png).hexdigest()
        if record.signature_png
        else None,
    }
    if record.decision.withheld:
        # Only then, so every signed record (and the hash printed on its PDF) keeps
        # the byte form it was first saved with.
        data["consent"] = record.decision.value
    signer = record.signer
    if signer is not None and signer.for_someone_else:
        # Who consented for the patient is part of what the signature vouches for.
        data["signer"] = {
            "role": signer.role.value,
            "name": signer.name,
            "relationship": signer.relationship,
        }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def _answer_json(answer: Answer) -> dict[str, object]:
    # The byte form the record hash was first defined on, before answers were typed:
    # a scale score as its one code ("7"), a date as ISO text. Kept so that saved
    # records (and the hash printed on their PDFs) still verify.
    codes = list(answer.codes)
    if answer.score_value is not None:
        codes = [str(answer.score_value)]
    text = answer.date.isoformat() if answer.date is not None else answer.text
    data: dict[str, object] = {"codes": codes, "text": text}
    if answer.scores:
        # Only when there are scores, so records without a body map keep their hashes.
        data["scores"] = [[region, score] for region, score in answer.scores]
    return data


def record_hash(record: Record) -> str:
    return hashlib.sha256(canonical_json(record)).hexdigest()


def unanswered(content: Content, shown: Mapping[str, Answer]) -> list[str]:
    """Ids of questions that are shown for these answers but have no answer.

    ``shown`` must already be filtered (``visible_answers``), as the flow keeps them.
    """
    return [q.id for q in content.questions if is_enabled(q, shown) and q.id not in shown]


def build_summary(content: Content, record: Record, clinic_name: str) -> Summary:
    """The one summary of a record: the answers shown, their words, and the flags.

    This is the only place answers are filtered (``visible_answers``) and put into
    words (``describe``) on their way out: the PDF, the patient's copy, the FHIR
    response and the clinician's list all read the ``Summary``. Raises
    ``RecordIncomplete`` if a question shown for these answers has no answer.
    """
    answers = visible_answers(content, record.answers)
    missing = unanswered(content, answers)
    if missing:
        raise RecordIncomplete(f"no answer to: {', '.join(missing)}")
    age = record.age()
    patient = content.for_language(record.language)
    shown = tuple(
        _shown(content, patient, q, answers[q.id]) for q in content.questions if q.id in answers
    )
    words = {item.question_id: item.words for item in shown}

    def flag_row(flag: Flag) -> FlagRow:
        if flag.question_id is None:
            dob = format_date(record.identity.date_of_birth)
            return FlagRow(
                flag.level,
                flag.rule_id,
                content.text("review.dob"),
                f"{dob} (age {age})",
                flag.message,
            )
        question = content.question(flag.question_id)
        if flag.regions:
            # Only the marked places that raised the flag, not every place marked.
            given = answers[question.id]
            answer = ", ".join(describe_region(question, given, r) for r in flag.regions)
        else:
            answer = words[question.id]
        return FlagRow(flag.level, flag.rule_id, question.text, answer, flag.message)

    answer_rows = tuple(
        AnswerRow(
            section=content.section(question.section).title,
            question_id=item.question_id,
            question=question.text,
            answer=item.words,
            depth=item.depth,
            unsure=item.answer.is_unsure,
        )
        for item in shown
        for question in (content.question(item.question_id),)
    )
    truth = {True: content.text("answer.true"), False: content.text("answer.false")}
    check_rows = tuple(
        CheckRow(
            statement=s.text,
            correct_answer=truth[s.correct],
            given_answer=content.text("answer.unsure") if given is None else truth[given],
            understood=given is s.correct,
            untranslated=s.id in patient.fallback_statements,
        )
        for s in content.statements
        if s.id in record.checks
        for given in (record.checks[s.id],)
    )
    titles = {p.id: p.title for p in content.education}
    return Summary(
        document_id=record.document_id,
        created=record.authored,
        clinic_name=clinic_name,
        content_version=record.content_version,
        language=record.language,
        patient_name=record.identity.name,
        date_of_birth=record.identity.date_of_birth,
        age=age,
        flags=tuple(flag_row(f) for f in evaluate(content, answers, age)),
        answers=answer_rows,
        checks=check_rows,
        pages_viewed=tuple(titles[p] for p in record.pages_viewed if p in titles),
        consent_version=content.consent.version,
        consent_title=content.consent.title,
        consent_text=content.consent.body,
        consent_agree_label=content.consent.agree_label_for(
            record.signer is not None and record.signer.for_someone_else
        ),
        consent_decision=record.decision,
        signer=record.signer,
        signed_at=record.signed_at,
        signature_png=record.signature_png,
        record_hash=record_hash(record),
        **_body_map(content, answers),
        language_name=_language_name(content, record.language),
        clinic_language=content.language,
        pages_untranslated=tuple(
            titles[p] for p in record.pages_viewed if p in titles and p in patient.fallback_pages
        ),
        shown=shown,
        record=replace(record, answers=answers),
    )


def _shown(content: Content, patient: Content, question: Question, answer: Answer) -> ShownAnswer:
    words = describe(question, answer, content)
    if patient is not content:
        # The patient's copy is in their own language: the one other wording.
        words_there = describe(patient.question(question.id), answer, patient)
    else:
        words_there = words
    return ShownAnswer(question.id, answer, words, words_there, depth(content, question))


def _body_map(content: Content, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The first answered body-map question's marks, for the drawing on the summary."""
    for question in content.questions:
        answer = answers.get(question.id)
        if question.type is not QuestionType.BODY_MAP or answer is None or answer.is_unsure:
            continue
        marks = []
        for region_id in answer.codes:
            region = content.region(region_id)
            marks.append(
                MarkedRegion(
                    region_id, region.name, region.view, region.side, answer.score(region_id)
                )
            )
        return {"body_map": tuple(marks), "body_map_question": question.text}
    return {}


def _language_name(content: Content, code: str) -> str:
    """The language's name in itself, or "" when the content does not offer it."""
    if code == content.language:
        return content.language_name
    translation = content.translations.get(code)
    return translation.language_name if translation is not None else ""
