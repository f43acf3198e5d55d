"""Write the QuestionnaireResponse files in tests/data/ that the golden tests render.

    python -m tests.make_golden_responses

Run it after a content change that alters questions or the content version, then
regenerate the expected text with ``./run-tests.sh tests/test_golden.py --regen-golden``
and read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.content.loader import load_content
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.domain.answers import Answer
from kiosk.domain.identity import Identity
from kiosk.domain.model import Content, Question, QuestionType
from kiosk.domain.record import Record, build_summary
from kiosk.domain.session import Session
from kiosk.domain.summary import Signature
from kiosk.interop import fhir

DATA = Path(__file__).resolve().parent / "data"
TZ = dt.timezone(dt.timedelta(hours=1))
WHEN = dt.datetime(2026, 11, 27, 9, 30, tzinfo=TZ)

Chooser = Callable[[Question], Answer]


def signature_png() -> bytes:
    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    draw.line([(40, 140), (120, 60), (200, 150), (300, 70), (420, 140), (560, 60)], fill=0, width=5)
    draw.line([(150, 110), (470, 100)], fill=0, width=4)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def plain(question: Question) -> Answer:
    """No, None of these, the first option: an unremarkable patient."""
    if question.id == "eaten_recent":
        return Answer.of("yes")
    if question.type is QuestionType.YES_NO:
        return Answer.of("no")
    if question.type is QuestionType.MULTI:
        exclusive = [o.code for o in question.options if o.exclusive]
        return Answer.of(exclusive[0] if exclusive else question.options[0].code)
    if question.type is QuestionType.SINGLE:
        return Answer.of(question.options[0].code)
    if question.type is QuestionType.TEXT:
        return Answer.of_text("Appendix removed")
    if question.type is QuestionType.SCALE:
        return Answer.of_score(4)
    if question.type is QuestionType.BODY_MAP:
        # The lower back: no rule looks there.
        return Answer.of_regions({"lower_back_left": 6, "lower_back_right": 3})
    return Answer.of_date(dt.date(2019, 6, 1))


def with_overrides(overrides: dict[str, Answer]) -> Chooser:
    return lambda q: overrides.get(q.id) or plain(q)


def record(
    content: Content,
    document_id: str,
    name: str,
    dob: dt.date,
    choose: Chooser,
    checks_right: bool = True,
    signed: bool = True,
) -> Record:
    session = Session(content, "Golden Clinic", clock=lambda: WHEN)
    session.document_id = document_id
    session.identity = Identity(name, dob)
    for question in content.questions:
        if any(s.id == question.id for s in session.flow.steps()):
            session.flow.set_answer(question.id, choose(question))
    for i, statement in enumerate(content.statements):
        session.checks[statement.id] = (
            statement.correct if checks_right or i % 2 else (not statement.correct)
        )
    for page in content.education:
        session.view_page(page.id)
    session.sign(Signature(600, 200, (((40.0, 140.0), (560.0, 60.0)),)), signature_png())
    made = session.record()
    if not signed:
        from dataclasses import replace

        made = replace(made, signed_at=None, signature_png=None)
    return made


def cases(content: Content) -> dict[str, Record]:
    long_text = ("Left total knee replacement, revised twice; " * 3).strip()[:120]
    return {
        "three-flags": record(
            content,
            "DN-GOLD0001",
            "Maria Fernández",
            dt.date(1961, 5, 12),
            with_overrides(
                {
                    "lymphoedema": Answer.of("yes"),
                    "lymphoedema_where": Answer.of("left_arm"),
                    "blood_thinner": Answer.of("yes"),
                    "blood_thinner_which": Answer.of("warfarin"),
                }
            ),
        ),
        "no-flags": record(content, "DN-GOLD0002", "John Smith", dt.date(1980, 1, 1), plain),
        # Places on the body map that meet the answers: lung disease under a marked upper
        # back, a marked left arm on the side of lymph-node removal, an implant where
        # it hurts.
        "body-map": record(
            content,
            "DN-GOLD0005",
            "Amina Haddad",
            dt.date(1972, 8, 3),
            with_overrides(
                {
                    "pain_where": Answer.of_regions(
                        {
                            "neck_back": 4,
                            "upper_trapezius_right": 8,
                            "upper_back_right": 6,
                            "upper_arm_left": 7,
                            "knee_left": 2,
                        }
                    ),
                    "pain_now": Answer.of_score(6),
                    "pain_duration": Answer.of("months"),
                    "pain_worse": Answer.of("sitting", "lifting"),
                    "lung_condition": Answer.of("yes"),
                    "lymphoedema": Answer.of("yes"),
                    "lymphoedema_where": Answer.of("left_arm"),
                    "surgery_or_implant": Answer.of("yes"),
                    "surgery_what": Answer.of_text("Left knee replacement"),
                    "implant_site": Answer.of("left_leg"),
                }
            ),
        ),
        "minor-not-sure": record(
            content,
            "DN-GOLD0003",
            "Ζωή Παπαδοπούλου",
            dt.date(2010, 11, 28),
            with_overrides(
                {
                    "pregnant": Answer.unsure(),
                    "diabetes": Answer.unsure(),
                    "allergies": Answer.unsure(),
                }
            ),
            checks_right=False,
        ),
        "unsigned-markup": record(
            content,
            "DN-GOLD0004",
            'O\'Brien <b>&amp; "Sons" Алексей',
            dt.date(1949, 2, 28),
            with_overrides(
                {
                    "surgery_or_implant": Answer.of("yes"),
                    "surgery_what": Answer.of_text(long_text),
                    "surgery_when": Answer.unsure(),
                }
            ),
            signed=False,
        ),
    }


def main() -> None:
    content = load_content(bundled_content_dir(), assets_dir())
    for name, made in cases(content).items():
        build_summary(content, made, "Golden Clinic")  # fails loudly if incomplete
        path = DATA / f"{name}.response.json"
        path.write_text(
            json.dumps(fhir.response_for_record(content, made), ensure_ascii=False, indent=2)
            + "\n",
            "utf-8",
        )
        print(f"wrote {path.relative_to(DATA.parent.parent)}")  # noqa: T201


if __name__ == "__main__":
    main()
