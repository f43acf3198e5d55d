"""How a patient's journey ends at the consent: signed, or consent honestly withheld.

The consent text says "You can say no", so the consent screen has three endings, each
saved with every answer and the flags: consent given (agreed and signed), "I'd like to
talk to my physiotherapist first", and "I don't want dry needling". The clinician sees
which one on page 1, the clinician's list and the FHIR file; a record made before this
choice existed reads as consent given.
"""

from __future__ import annotations

import enum


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


__all__ = ["ConsentDecision"]
