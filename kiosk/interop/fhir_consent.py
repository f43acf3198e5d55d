"""The consent part of a saved ``QuestionnaireResponse`` read back: the decision, who
signed, the agreement and the signature (``fhir_import`` hands each consent item here).

Older responses have neither ``consent.decision`` nor ``consent.signer``: they were
signed by the patient, so they read as consent given, with no signer recorded.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.consent import (
    ConsentDecision,
    Signer,
    SignerProblem,
    SignerRefused,
    SignerRole,
    check_signer,
)
from kiosk.interop.fhir_export import CONSENT_SYSTEM, PNG_MAGIC, SIGNER_SYSTEM

#: Says a problem: (item, reason).
Report = Callable[[str, str], None]
Values = list[tuple[str, Any]]

LINKS = frozenset(
    {
        "consent.agree",
        "consent.decision",
        "consent.signature",
        "consent.signer",
        "consent.signer.name",
        "consent.signer.relationship",
    }
)


def _coding(values: Values, system: str, codes: set[str]) -> str | None:
    value = values[0][1] if len(values) == 1 and values[0][0] == "valueCoding" else None
    if not isinstance(value, dict) or value.get("system") != system:
        return None
    code = value.get("code")
    return code if isinstance(code, str) and code in codes else None


def _text(values: Values) -> str | None:
    if len(values) == 1 and values[0][0] == "valueString" and isinstance(values[0][1], str):
        return values[0][1]
    return None


@dataclass
class ConsentItems:
    """The consent items of one response, read as they come, then checked together."""

    report: Report
    seen: set[str] = field(default_factory=set)
    agreed: bool = False
    signature: bytes | None = None
    decision: ConsentDecision = ConsentDecision.GIVEN
    role: SignerRole | None = None
    name: str = ""
    relationship: str = ""

    def read(self, link: str, values: Values) -> None:
        self.seen.add(link)
        if link == "consent.agree":
            self.agreed = values == [("valueBoolean", True)]
        elif link == "consent.signature":
            self.signature = _signature(values, link, self.report)
        elif link == "consent.decision":
            codes = {d.value: d for d in ConsentDecision}
            code = _coding(values, CONSENT_SYSTEM, set(codes))
            if code is None:
                self.report(link, f"needs one valueCoding of {CONSENT_SYSTEM}: {_listed(codes)}")
            else:
                self.decision = codes[code]
        elif link == "consent.signer":
            roles = {r.value: r for r in SignerRole}
            code = _coding(values, SIGNER_SYSTEM, set(roles))
            if code is None:
                self.report(link, f"needs one valueCoding of {SIGNER_SYSTEM}: {_listed(roles)}")
            else:
                self.role = roles[code]
        else:
            text = _text(values)
            if text is None:
                self.report(link, "needs one valueString")
            elif link == "consent.signer.name":
                self.name = text
            else:
                self.relationship = text

    def signer(self) -> Signer | None:
        """Who signed, checked; None when it was not asked (or could not be read)."""
        if self.role is None:
            for link in ("consent.signer.name", "consent.signer.relationship"):
                if link in self.seen and "consent.signer" not in self.seen:
                    self.report(link, "is given, but consent.signer is not")
            return None
        try:
            signer = check_signer(Signer(self.role, self.name, self.relationship))
        except SignerRefused as exc:
            named = exc.problem is SignerProblem.NO_NAME
            link = "consent.signer.name" if named else "consent.signer.relationship"
            self.report(link, f"is needed when a {self.role.value} signs for the patient")
            return None
        if not signer.for_someone_else and (self.name or self.relationship):
            self.report("consent.signer", "the patient signed: no name or relationship is kept")
        return signer

    def check(self) -> None:
        """Consent given needs the patient's agreement; a withheld one has neither the
        agreement nor a signature."""
        decision = self.decision
        if decision.withheld:
            if self.agreed:
                self.report("consent.agree", f"is given, but the decision is {decision.value}")
            if self.signature is not None:
                self.report("consent.signature", f"is given, but the decision is {decision.value}")
        elif "consent.agree" not in self.seen:
            self.report("consent.agree", "is missing: a summary needs the patient's agreement")
        elif not self.agreed:
            self.report("consent.agree", "the patient must have agreed (valueBoolean true)")


def _listed(codes: dict[str, Any]) -> str:
    return ", ".join(sorted(codes))


def _signature(values: Values, link: str, report: Report) -> bytes | None:
    if len(values) != 1 or values[0][0] != "valueAttachment" or not isinstance(values[0][1], dict):
        report(link, "needs one valueAttachment")
        return None
    attachment = values[0][1]
    if attachment.get("contentType") != "image/png":
        report(link, "contentType must be image/png")
        return None
    try:
        png = base64.b64decode(str(attachment.get("data", "")), validate=True)
    except (binascii.Error, ValueError):
        report(link, "data is not base64")
        return None
    if not png.startswith(PNG_MAGIC):
        report(link, "data is not a PNG image")
        return None
    return png


__all__ = ["LINKS", "ConsentItems"]
