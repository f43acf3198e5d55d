"""FHIR R4 in and out: ``fhir_export`` (Questionnaire, QuestionnaireResponse) and
``fhir_import`` (a response read back into a record), under one name for callers."""

from __future__ import annotations

from kiosk.interop.fhir_export import (
    ANSWER_SYSTEM,
    CONSENT_SYSTEM,
    DOCUMENT_SYSTEM,
    MAX_VALUE,
    MIN_VALUE,
    PAGE_VIEWED,
    QUESTIONNAIRE_URL,
    REGION_SYSTEM,
    SIGNER_SYSTEM,
    ExportError,
    question_item,
    questionnaire,
    response,
    response_for_record,
)
from kiosk.interop.fhir_import import ResponseInvalid, ResponseProblem, parse_response

__all__ = [
    "ANSWER_SYSTEM",
    "CONSENT_SYSTEM",
    "DOCUMENT_SYSTEM",
    "MAX_VALUE",
    "MIN_VALUE",
    "PAGE_VIEWED",
    "QUESTIONNAIRE_URL",
    "REGION_SYSTEM",
    "SIGNER_SYSTEM",
    "ExportError",
    "ResponseInvalid",
    "ResponseProblem",
    "parse_response",
    "question_item",
    "questionnaire",
    "response",
    "response_for_record",
]
