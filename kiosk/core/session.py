"""One patient's session: everything they enter, held in one object that is dropped at reset.

Nothing about a patient lives anywhere else in the core, so dropping the ``Session`` (and
rebuilding the screens, which the UI does) erases the patient.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from kiosk.core.answers import describe, format_date
from kiosk.core.flow import Flow
from kiosk.core.identity import Identity
from kiosk.core.model import Content
from kiosk.core.rules import Flag, evaluate
from kiosk.core.signature import SignatureProblem, SignatureRefused, check_signature
from kiosk.core.summary import AnswerRow, CheckRow, FlagRow, Signature, Summary

Clock = Callable[[], dt.datetime]

# Crockford's base 32 without look-alikes (no I, L, O, U): easy to read out over a phone.
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def new_document_id() -> str:
    """A random id like ``DN-7K3QX2M9``: no personal data, and unique enough to never clash."""
    return "DN-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


class ConsentError(ValueError):
    """The summary cannot be made: consent or a signature is missing."""


class Session:
    def __init__(self, content: Content, clinic_name: str, clock: Clock = local_now) -> None:
        self.content = content
        self.clinic_name = clinic_name
        self._clock = clock
        self.started = clock()
        self.flow = Flow(content, self.started.date())
        self.identity: Identity | None = None
        #: Comprehension answers by statement id: True, False, or None for "Not sure".
        self.checks: dict[str, bool | None] = {}
        self.pages_viewed: list[str] = []
        self.signature: Signature | None = None
        self.signed_at: dt.datetime | None = None
        self.document_id = new_document_id()

    @property
    def today(self) -> dt.date:
        return self.flow.today

    def age(self) -> int | None:
        return None if self.identity is None else self.identity.age_on(self.today)

    def view_page(self, page_id: str) -> None:
        if page_id not in self.pages_viewed:
            self.pages_viewed.append(page_id)

    def flags(self) -> tuple[Flag, ...]:
        return evaluate(self.content, self.flow.answers, self.age())

    def sign(self, signature: Signature) -> None:
        """Record the signature, or raise ``SignatureRefused`` saying why it cannot be used."""
        check_signature(signature)
        self.signature = signature
        self.signed_at = self._clock()

    def summary(self) -> Summary:
        """The report data; needs identity, every shown question answered, and a signature."""
        if self.identity is None:
            raise ConsentError("no name and date of birth")
        if self.signature is None or self.signed_at is None:
            raise ConsentError("not signed")
        missing = self.flow.unanswered()
        if missing:
            raise ConsentError(f"{len(missing)} question(s) unanswered")
        content = self.content
        answers = self.flow.answers
        age = self.age()
        assert age is not None

        def flag_row(flag: Flag) -> FlagRow:
            if flag.question_id is None:
                dob = format_date(self.identity.date_of_birth) if self.identity else ""
                return FlagRow(
                    flag.level,
                    flag.rule_id,
                    content.text("review.dob"),
                    f"{dob} (age {age})",
                    flag.message,
                )
            question = content.question(flag.question_id)
            return FlagRow(
                flag.level,
                flag.rule_id,
                question.text,
                describe(question, answers[question.id], content),
                flag.message,
            )

        answer_rows = tuple(
            AnswerRow(
                section=content.section(item.question.section).title,
                question_id=item.question.id,
                question=item.question.text,
                answer=describe(item.question, item.answer, content),
                depth=item.depth,
                unsure=item.answer.is_unsure,
            )
            for item in self.flow.review_items()
        )
        truth = {True: content.text("answer.true"), False: content.text("answer.false")}
        check_rows = tuple(
            CheckRow(
                statement=s.text,
                correct_answer=truth[s.correct],
                given_answer=truth[given]
                if (given := self.checks.get(s.id)) is not None
                else content.text("answer.unsure"),
                understood=self.checks.get(s.id) is s.correct,
            )
            for s in content.statements
            if s.id in self.checks
        )
        titles = {p.id: p.title for p in content.education}
        return Summary(
            document_id=self.document_id,
            created=self._clock(),
            clinic_name=self.clinic_name,
            content_version=content.version,
            language=content.language,
            patient_name=self.identity.name,
            date_of_birth=self.identity.date_of_birth,
            age=age,
            flags=tuple(flag_row(f) for f in self.flags()),
            answers=answer_rows,
            checks=check_rows,
            pages_viewed=tuple(titles[p] for p in self.pages_viewed if p in titles),
            consent_version=content.consent.version,
            consent_title=content.consent.title,
            consent_text=content.consent.body,
            consent_agree_label=content.consent.agree_label,
            signed_at=self.signed_at,
            signature=self.signature,
        )


__all__ = [
    "ConsentError",
    "Session",
    "SignatureProblem",
    "SignatureRefused",
    "local_now",
    "new_document_id",
]
