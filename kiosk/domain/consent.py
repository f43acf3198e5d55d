"""How a patient's journey ends at the consent, and who gives it.

The consent text says "You can say no", so the consent screen has three endings, each
saved with every answer and the flags: consent given (agreed and signed), "I'd like to
talk to my physiotherapist first", and "I don't want dry needling". The clinician sees
which one on page 1, the clinician's list and the FHIR file; a record made before this
choice existed reads as consent given.

For a patient under 18, or one who has someone helping them (the content's
``ask_signer_when``), a step before the consent asks who signs: the patient, a parent or
guardian, or another person with authority to decide for them; with that person's
name and relationship, printed under the signature.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kiosk.domain.identity import clean_name, strip_controls

#: The longest relationship kept ("legal guardian", "son, with power of attorney").
RELATIONSHIP_MAX = 60


class ConsentDecision(enum.Enum):
    """Which of the consent screen's three endings the patient chose. The values are
    the codes saved in the FHIR file and the archive index: never change them."""

    GIVEN = "given"
    TALK_FIRST = "talk_first"
    DECLINED = "declined"

    @property
    def withheld(self) -> bool:
        """True for the two endings without a signature."""
        return self is not ConsentDecision.GIVEN

    @property
    def marking(self) -> str:
        """What the clinician reads first, on page 1 and in the list (English, as the
        rest of the clinician's summary)."""
        return _MARKINGS[self]


_MARKINGS = {
    ConsentDecision.GIVEN: "Consent given",
    ConsentDecision.TALK_FIRST: "CONSENT NOT GIVEN \u2013 patient wants to talk first",
    ConsentDecision.DECLINED: "DECLINED \u2013 patient does not want dry needling",
}


class SignerRole(enum.Enum):
    """Who signs the consent. The values are the codes saved in the FHIR file."""

    PATIENT = "patient"
    #: A parent or guardian (of a patient under 18, or a legal guardian).
    GUARDIAN = "guardian"
    #: Another person with authority to decide for the patient (power of attorney).
    AUTHORITY = "authority"

    @property
    def for_someone_else(self) -> bool:
        return self is not SignerRole.PATIENT

    @property
    def words(self) -> str:
        """The role in the clinician's words (English, as the rest of the summary)."""
        return _ROLE_WORDS[self]


_ROLE_WORDS = {
    SignerRole.PATIENT: "the patient",
    SignerRole.GUARDIAN: "parent or guardian",
    SignerRole.AUTHORITY: "another person with authority to decide for the patient",
}


@dataclass(frozen=True)
class Signer:
    """Who gives (or withholds) the consent. ``name`` and ``relationship`` are empty
    when the patient signs for themself."""

    role: SignerRole
    name: str = ""
    relationship: str = ""

    @property
    def for_someone_else(self) -> bool:
        return self.role.for_someone_else


class SignerProblem(enum.Enum):
    NO_NAME = "no name"
    NO_RELATIONSHIP = "no relationship"


class SignerRefused(ValueError):
    """Someone else signs, but their name or relationship is missing."""

    def __init__(self, problem: SignerProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def clean_relationship(raw: str) -> str:
    return " ".join(strip_controls(raw).split())[:RELATIONSHIP_MAX].rstrip()


def check_signer(signer: Signer) -> Signer:
    """The signer as kept: name and relationship cleaned (and dropped when the patient
    signs); ``SignerRefused`` when someone else signs without both."""
    if not signer.for_someone_else:
        return Signer(SignerRole.PATIENT)
    name = clean_name(signer.name)
    if not name:
        raise SignerRefused(SignerProblem.NO_NAME)
    relationship = clean_relationship(signer.relationship)
    if not relationship:
        raise SignerRefused(SignerProblem.NO_RELATIONSHIP)
    return Signer(signer.role, name, relationship)


def consented_by(signer: Signer | None) -> str:
    """Who consented for whom, in the clinician's words: "" when the patient did (or
    was not asked); else "Jane Doe (mother), parent or guardian"."""
    if signer is None or not signer.for_someone_else:
        return ""
    return f"{signer.name} ({signer.relationship}), {signer.role.words}"


__all__ = [
    "RELATIONSHIP_MAX",
    "ConsentDecision",
    "Signer",
    "SignerProblem",
    "SignerRefused",
    "SignerRole",
    "check_signer",
    "clean_relationship",
    "consented_by",
]
