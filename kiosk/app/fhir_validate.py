"""Checking what the kiosk sends against the FHIR models before it leaves the machine.

``fhir.resources`` (pydantic) holds the models; its ``R4B`` package is used, which is
FHIR R4 for every resource the kiosk sends (Bundle, QuestionnaireResponse,
DocumentReference, Questionnaire: R4B changed none of them). It is imported here only,
on the courier's thread, on the first delivery: about a second that the first frame and
the patients never wait for. The problems name the element and the rule, never the value
(which may be a patient's answer).
"""

from __future__ import annotations

from typing import Any


def problems(resource: dict[str, Any]) -> list[str]:
    """What is not valid FHIR R4 in ``resource`` (a Bundle is checked with its entries);
    an empty list when it is valid."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    kind = resource.get("resourceType")
    try:
        model = get_fhir_model_class(str(kind))
    except (KeyError, ValueError):
        return [f"resourceType: {kind!s:.40} is not a FHIR R4 resource"]
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        return [f"{_where(e['loc'])}: {e['msg']}" for e in exc.errors(include_input=False)]
    return []


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the resource)"
