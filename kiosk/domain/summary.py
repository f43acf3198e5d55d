"""The report data: a plain, frozen picture of one finished session.

``kiosk.domain.record.build_summary`` makes it, once per record: it filters the answers
to the questions shown and puts each into words. Everything downstream reads it: the
clinician's PDF, the patient's copy, the FHIR QuestionnaireResponse and the clinician's
list. None of them needs the flow or Qt. Every string in here is already the text the
patient saw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.domain.answers import Answer
from kiosk.domain.consent import ConsentDecision, Signer
from kiosk.domain.model import Level

if TYPE_CHECKING:
    from kiosk.domain.record import Record

#: A stroke of the signature: points (x, y) in the pad's own units, y pointing down.
Stroke = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Signature:
    width: float  # the pad's size when the patient signed, same units as the points
    height: float
    strokes: tuple[Stroke, ...]


@dataclass(frozen=True)
class FlagRow:
    level: Level
    rule_id: str
    #: The question exactly as the patient saw it, or a short label for identity flags.
    question: str
    #: The patient's answer in words.
    answer: str
    #: What the rule tells the clinician.
    message: str


@dataclass(frozen=True)
class AnswerRow:
    section: str
    question_id: str
    question: str
    answer: str
    #: 0 for a main question, 1 for a follow-up, 2 for a follow-up of a follow-up.
    depth: int
    unsure: bool


@dataclass(frozen=True)
class ShownAnswer:
    """One answer to a question that was shown, typed and in words, in asking order."""

    question_id: str
    answer: Answer
    #: In the words of the content the summary was built with (the clinician's).
    words: str
    #: In the words of the patient's language (the same as ``words`` when it is the same).
    patient_words: str
    #: 0 for a main question, 1 for a follow-up, 2 for a follow-up of a follow-up.
    depth: int


@dataclass(frozen=True)
class CheckRow:
    statement: str
    correct_answer: str  # "True" or "False"
    given_answer: str  # "True", "False" or "Not sure"
    understood: bool
    #: Shown in the clinic's language, not the patient's, for want of a translation: a
    #: wrong answer may then measure the patient's English rather than their understanding.
    untranslated: bool = False


@dataclass(frozen=True)
class MarkedRegion:
    """One place the patient marked on the body map, for the drawing and the table."""

    region_id: str  # the shape to shade: ``region-<id>`` in assets/body/<view>.svg
    name: str  # as the patient saw it
    view: str  # "front" or "back"
    side: str | None  # the patient's "left" or "right"
    score: int | None  # 0-10, None when the patient gave no number


@dataclass(frozen=True)
class Summary:
    document_id: str
    created: dt.datetime  # local time, timezone-aware
    clinic_name: str
    content_version: str
    language: str
    patient_name: str
    date_of_birth: dt.date
    age: int
    flags: tuple[FlagRow, ...]  # most serious first
    answers: tuple[AnswerRow, ...]  # in the order they were asked
    checks: tuple[CheckRow, ...]
    pages_viewed: tuple[str, ...]  # education page titles
    consent_version: str
    consent_title: str
    consent_text: tuple[str, ...]  # paragraphs, exactly as shown
    consent_agree_label: str
    #: When the patient signed, and the signature as a PNG; both None when not signed
    #: (a response rendered from a record that has no signature).
    signed_at: dt.datetime | None
    signature_png: bytes | None
    #: SHA-256 (hex) over the canonical JSON of the answers and the signature; printed
    #: on the PDF so a paper copy can be checked against the saved record.
    record_hash: str
    #: The patient's language named in itself ("العربية"); ``language`` is its code.
    language_name: str = ""
    #: The clinic's language (the content's own), in which untranslated parts were shown.
    clinic_language: str = ""
    #: Titles of the pages in ``pages_viewed`` that were shown in the clinic's language,
    #: not the patient's, for want of a translation (``Content.fallback_pages``).
    pages_untranslated: tuple[str, ...] = ()
    #: Where it hurts: the places marked on the body map, in content order (empty when
    #: the content has no body map or the patient answered "Not sure").
    body_map: tuple[MarkedRegion, ...] = ()
    #: The body-map question as the patient saw it (a heading for the drawing).
    body_map_question: str = ""
    #: The answers of the questions shown, typed, with their words (FHIR and the
    #: patient's copy read these; empty in a summary made by hand for a layout test).
    shown: tuple[ShownAnswer, ...] = ()
    #: The record the summary was built from, its answers narrowed to ``shown``.
    record: Record | None = None
    #: Which ending the patient chose at the consent (``GIVEN``: agreed and signed).
    consent_decision: ConsentDecision = ConsentDecision.GIVEN
    #: Who signed (or decided) when it was asked: the patient, or someone for them.
    signer: Signer | None = None

    @property
    def is_minor(self) -> bool:
        return self.age < 18
