"""Builders of realistic test data, with any field overridable."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import Any

from kiosk.core.model import Level
from kiosk.core.summary import AnswerRow, CheckRow, FlagRow, Signature, Summary

TZ = dt.timezone(dt.timedelta(hours=1))


def make_signature(strokes: int = 3) -> Signature:
    """A wavy, signature-like scribble on a 600 x 200 pad (y pointing down)."""
    lines = []
    for k in range(strokes):
        x0 = 40 + k * 180
        lines.append(
            tuple((x0 + i * 3.0, 110 + 45 * math.sin(i / 6 + k) - i * 0.4) for i in range(50))
        )
    return Signature(width=600, height=200, strokes=tuple(lines))


def make_answer(**overrides: Any) -> AnswerRow:
    values: dict[str, Any] = {
        "section": "Medical history",
        "question_id": "q",
        "question": "Do you have a heart condition?",
        "answer": "No",
        "depth": 0,
        "unsure": False,
    }
    values.update(overrides)
    return AnswerRow(**values)


def make_flag(**overrides: Any) -> FlagRow:
    values: dict[str, Any] = {
        "level": Level.PRECAUTION,
        "rule_id": "r",
        "question": "Do you take blood thinners?",
        "answer": "Yes",
        "message": "Bleeding risk: check medication.",
    }
    values.update(overrides)
    return FlagRow(**values)


def make_summary(**overrides: Any) -> Summary:
    """A complete adult session with two flags; keyword arguments replace fields."""
    summary = Summary(
        document_id="DN-20261127-0042",
        created=dt.datetime(2026, 11, 27, 14, 5, tzinfo=TZ),
        clinic_name="Northside Physiotherapy",
        content_version="2026.11.1",
        language="en",
        patient_name="Jane Example",
        date_of_birth=dt.date(1985, 3, 12),
        age=41,
        flags=(
            FlagRow(
                level=Level.CONTRAINDICATION,
                rule_id="anticoagulants",
                question="Do you take medicine that thins your blood (for example warfarin)?",
                answer="Yes",
                message="Anticoagulated: do not needle without checking recent INR.",
            ),
            FlagRow(
                level=Level.NOTE,
                rule_id="needle_fear",
                question="Have you ever fainted during an injection or blood test?",
                answer="Not sure",
                message="Possible vasovagal response: treat lying down.",
            ),
        ),
        answers=(
            make_answer(
                section="Medical history",
                question_id="blood_thinners",
                question="Do you take medicine that thins your blood (for example warfarin)?",
                answer="Yes",
            ),
            make_answer(
                section="Medical history",
                question_id="blood_thinners_which",
                question="Which medicine?",
                answer="Warfarin 5 mg daily",
                depth=1,
            ),
            make_answer(
                section="Medical history",
                question_id="pacemaker",
                question="Do you have a pacemaker or other implanted device?",
                answer="No",
            ),
            make_answer(
                section="Today",
                question_id="fainted",
                question="Have you ever fainted during an injection or blood test?",
                answer="Not sure",
                unsure=True,
            ),
            make_answer(
                section="Today",
                question_id="eaten",
                question="Have you eaten in the last four hours?",
                answer="Yes",
            ),
        ),
        checks=(
            CheckRow(
                statement="Dry needling uses the same needles as acupuncture.",
                correct_answer="True",
                given_answer="True",
                understood=True,
            ),
            CheckRow(
                statement="Soreness after treatment is a sign something went wrong.",
                correct_answer="False",
                given_answer="True",
                understood=False,
            ),
        ),
        pages_viewed=("What is dry needling?", "Risks and side effects"),
        consent_version="consent-2026.11.1",
        consent_title="Consent to dry needling",
        consent_text=(
            "I have read the information about dry needling and its risks.",
            "I understand that I can stop the treatment at any time.",
        ),
        consent_agree_label="I agree to receive dry needling",
        signed_at=dt.datetime(2026, 11, 27, 14, 9, tzinfo=TZ),
        signature=make_signature(),
    )
    return replace(summary, **overrides)
