"""One patient's session: everything they enter, held in one object that is dropped at reset.

Nothing about a patient lives anywhere else in the core, so dropping the ``Session`` (and
rebuilding the screens, which the UI does) erases the patient.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from kiosk.domain.consent import ConsentDecision, Signer
from kiosk.domain.flow import Flow
from kiosk.domain.identity import Identity
from kiosk.domain.model import Content
from kiosk.domain.record import Record
from kiosk.domain.signature import SignatureProblem, SignatureRefused, check_signature
from kiosk.domain.summary import Signature

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
        self._identity: Identity | None = None
        #: Who signs, when the flow asks (``Flow.asks_signer``).
        self.signer: Signer | None = None
        #: Comprehension answers by statement id: True, False, or None for "Not sure".
        self.checks: dict[str, bool | None] = {}
        self.pages_viewed: list[str] = []
        self.signature_png: bytes | None = None
        self.signed_at: dt.datetime | None = None
        #: Consent given (with a signature), or withheld at the consent screen.
        self.decision = ConsentDecision.GIVEN
        #: When the patient withheld consent: the record's time when there is no signature.
        self.withheld_at: dt.datetime | None = None
        self.document_id = new_document_id()

    @property
    def identity(self) -> Identity | None:
        return self._identity

    @identity.setter
    def identity(self, identity: Identity | None) -> None:
        # The flow asks who signs for a minor: it needs the age.
        self._identity = identity
        self.flow.age = None if identity is None else identity.age_on(self.today)

    @property
    def today(self) -> dt.date:
        return self.flow.today

    def age(self) -> int | None:
        return None if self.identity is None else self.identity.age_on(self.today)

    def view_page(self, page_id: str) -> None:
        if page_id not in self.pages_viewed:
            self.pages_viewed.append(page_id)

    def sign(self, signature: Signature, png: bytes) -> None:
        """Keep the signature (as the PNG the record stores), or raise ``SignatureRefused``.

        The strokes are checked here, whatever drew them; the PNG is what is kept.
        """
        check_signature(signature)
        self.signature_png = png
        self.signed_at = self._clock()
        self.decision = ConsentDecision.GIVEN
        self.withheld_at = None

    def withhold(self, decision: ConsentDecision) -> None:
        """The patient ends without signing: they want to talk first, or decline.

        Any signature kept before is dropped: the record says what the patient chose last.
        """
        if not decision.withheld:
            raise ValueError("consent is given by signing (Session.sign)")
        self.decision = decision
        self.withheld_at = self._clock()
        self.signature_png = None
        self.signed_at = None

    @property
    def finished(self) -> bool:
        """Signed, or consent withheld: the record is ready to save."""
        return self.signature_png is not None or self.decision.withheld

    def record(self) -> Record:
        """The finished record; needs identity, and a signature unless consent was
        withheld (then every answer is saved all the same, without one)."""
        if self.identity is None:
            raise ConsentError("no name and date of birth")
        if self.decision.withheld:
            if self.withheld_at is None:
                raise ConsentError("no time the consent was withheld")
            authored = self.withheld_at
        elif self.signature_png is None or self.signed_at is None:
            raise ConsentError("not signed")
        else:
            authored = self.signed_at
        if self.flow.unanswered():
            raise ConsentError(f"{len(self.flow.unanswered())} question(s) unanswered")
        return Record(
            document_id=self.document_id,
            content_version=self.content.version,
            language=self.content.language,
            identity=self.identity,
            answers=self.flow.answers,
            checks=dict(self.checks),
            pages_viewed=tuple(self.pages_viewed),
            authored=authored,
            signed_at=self.signed_at,
            signature_png=self.signature_png,
            decision=self.decision,
            # Only while the step is asked: a patient who went back and changed the
            # answer that asked it signs for themself.
            signer=self.signer if self.flow.asks_signer() else None,
        )


__all__ = [
    "ConsentError",
    "Session",
    "SignatureProblem",
    "SignatureRefused",
    "local_now",
    "new_document_id",
]
