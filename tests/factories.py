"""Builders of realistic test data, with any field overridable."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import math
import tomllib
from dataclasses import replace
from typing import Any

from PIL import Image, ImageDraw

from kiosk.content.paths import bundled_content_dir
from kiosk.domain.model import Level
from kiosk.domain.summary import AnswerRow, CheckRow, FlagRow, Summary

TZ = dt.timezone(dt.timedelta(hours=1))


@functools.cache
def make_signature_png(width: int = 1200, height: int = 400, strokes: int = 3) -> bytes:
    """A PNG of a wavy, signature-like scribble, as the pad saves it: dark ink on white,
    8-bit grey, twice the size of a 600 x 200 pad."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for k in range(strokes):
        x0 = width * (0.07 + 0.3 * k)
        points = [
            (x0 + i * width / 200, height * (0.55 + 0.22 * math.sin(i / 6 + k)) - i * 0.4)
            for i in range(50)
        ]
        draw.line(points, fill=15, width=max(2, height // 50), joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def make_record_hash(seed: str = "DN-20261127-0042") -> str:
    """64 hex characters, as the core's SHA-256 of the record would be."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


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
    """A complete, signed adult session with two flags; keyword arguments replace fields."""
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
        signature_png=make_signature_png(),
        record_hash=make_record_hash(),
    )
    return replace(summary, **overrides)


# ------------------------------------------------------------------- a typical session

THREE_FLAGS = (
    FlagRow(
        level=Level.CONTRAINDICATION,
        rule_id="acute_illness",
        question="Do you feel unwell today, or have a fever?",
        answer="Yes",
        message=(
            "Feels unwell today or has a fever: acute illness (absolute). "
            "Ask current symptoms; defer needling."
        ),
    ),
    FlagRow(
        level=Level.PRECAUTION,
        rule_id="anticoagulant",
        question="Which of these do you take?",
        answer="Warfarin",
        message=(
            "Anticoagulant/antiplatelet (which one in answers): bleeding/haematoma risk, "
            "not an absolute contraindication. Choose site and depth; avoid "
            "non-compressible sites."
        ),
    ),
    FlagRow(
        level=Level.NOTE,
        rule_id="warfarin",
        question="Which of these do you take?",
        answer="Warfarin",
        message="Takes warfarin: check recent INR.",
    ),
)

# How the typical patient answers, by question id; every other question is "No", "None
# of these" or the first option. (A "Not sure" would raise a fourth flag.)
_TYPICAL_CODES = {
    "unwell_today": "yes",
    "eaten_recent": "yes",
    "blood_thinner": "yes",
    "blood_thinner_which": "warfarin",
    "pregnant": "no",
    "trying_to_conceive": "no",
    "surgery_or_implant": "yes",
    "surgery_what": "Left knee replacement, with a metal implant",
    "surgery_when": "14 Mar 2026",
}


def _typical_answers() -> tuple[AnswerRow, ...]:
    """The questions of the bundled questionnaire that the typical patient is shown,
    with their answers."""
    with (bundled_content_dir() / "questions.toml").open("rb") as file:
        data = tomllib.load(file)
    sections = {section["id"]: section["title"] for section in data["section"]}
    codes: dict[str, str] = {}
    rows: list[AnswerRow] = []
    for question in data["question"]:
        conditions = question.get("enable_when", [])
        if not all(
            codes.get(c["question"]) in c.get("any_of", [])
            or (c.get("answered") and c["question"] in codes)
            for c in conditions
        ):
            continue
        options = {o["code"]: o["label"] for o in question.get("options", [])}
        default = "no" if question["type"] == "yes_no" else ""
        if "none" in options:
            default = "none"
        code = _TYPICAL_CODES.get(question["id"], default) or next(iter(options), "")
        codes[question["id"]] = code
        labels = {"yes": "Yes", "no": "No", "unsure": "Not sure", **options}
        rows.append(
            make_answer(
                section=sections[question["section"]],
                question_id=question["id"],
                question=question["text"],
                answer=labels.get(code, code),
                depth=1 if conditions else 0,
                unsure=code == "unsure",
            )
        )
    return tuple(rows)


def bundled_consent() -> tuple[str, ...]:
    """The paragraphs of the bundled consent text, as the kiosk shows them."""
    with (bundled_content_dir() / "consent.toml").open("rb") as file:
        body: str = tomllib.load(file)["body"]
    return tuple(p.strip() for p in body.strip().split("\n\n") if p.strip())


def make_typical_summary(**overrides: Any) -> Summary:
    """A typical session: the bundled questionnaire as one patient sees it (28 answers,
    4 follow-ups), 3 flags, 4 checks, 8 pages, the bundled consent."""
    values: dict[str, Any] = {
        "flags": THREE_FLAGS,
        "answers": _typical_answers(),
        "checks": (
            CheckRow("Dry needling injects medicine into the muscle.", "False", "False", True),
            CheckRow("Soreness for a day or two afterwards is common.", "True", "True", True),
            CheckRow("Dry needling is proven to cure long-term pain.", "False", "True", False),
            CheckRow("You can ask to stop at any time.", "True", "True", True),
        ),
        "pages_viewed": (
            "What is dry needling?",
            "Dry needling and acupuncture",
            "Trigger points and the twitch",
            "What a session feels like",
            "After your treatment",
            "What the research says",
            "Risks and how often they happen",
            "What to tell your physiotherapist",
        ),
        "consent_text": bundled_consent(),
        "consent_agree_label": (
            "I have read and understood this information. "
            "I know I can ask questions and can stop at any time."
        ),
    }
    values.update(overrides)
    return make_summary(**values)
