"""What the kiosk sends to a FHIR server, and how it reads the answers: plain dictionaries,
standard library only (``kiosk.app.courier`` sends them; ``kiosk.app.fhir_validate``
checks them with ``fhir.resources`` first).

Each saved summary goes as one **transaction** Bundle of two entries:

* the ``QuestionnaireResponse`` exactly as saved (its contained ``Patient`` included),
  created with ``ifNoneExist: identifier=<document system>|<document id>``;
* a ``DocumentReference`` carrying the clinician's PDF inline (``attachment.data``,
  ``application/pdf``, SHA-1 ``hash``, a ``title`` with the document id and no personal
  data), with the same identifier and ``ifNoneExist``, the same contained ``Patient`` as
  its subject, and ``context.related`` pointing at the response (a ``urn:uuid`` the
  server rewrites to the response's id, or to the existing one on a replay).

So a replay after a crash or a timeout creates nothing: the server finds both by their
identifier and answers 200 instead of 201. The ``urn:uuid`` placeholders are derived
from the document id, so a replay is byte for byte the same request.

The Questionnaire of each content version goes once, as a conditional update on its
canonical url and version (``PUT Questionnaire?url=...&version=...``).
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from kiosk.interop.fhir_export import DOCUMENT_SYSTEM

LOINC = "http://loinc.org"
#: LOINC 74465-6 "Questionnaire response Document".
DOCUMENT_TYPE = {"system": LOINC, "code": "74465-6", "display": "Questionnaire response Document"}
DOCUMENT_TITLE = "Dry-needling intake summary"
#: The namespace of the placeholders' name-based UUIDs (uuid5 of the kiosk's base URL).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://dn-kiosk.invalid/fhir")


def placeholder(resource_type: str, document_id: str) -> str:
    """The ``urn:uuid`` of a bundle entry: the same for the same document, every time."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{resource_type}/{document_id}')}"


def identifier_search(document_id: str) -> str:
    """The search that finds a record's resources: ``identifier=<system>|<id>``."""
    return f"identifier={quote(DOCUMENT_SYSTEM, safe=':/')}|{quote(document_id, safe='')}"


def sha1_base64(data: bytes) -> str:
    """An attachment's ``hash``: the SHA-1 of the data, base64 (FHIR R4 says SHA-1)."""
    return base64.b64encode(hashlib.sha1(data, usedforsecurity=False).digest()).decode("ascii")


class BundleError(ValueError):
    """The saved response cannot be sent as it is (no identifier, no patient)."""


def record_bundle(response: dict[str, Any], pdf: bytes) -> dict[str, Any]:
    """The transaction Bundle for one saved summary: its QuestionnaireResponse (as saved)
    and a DocumentReference carrying ``pdf``."""
    ident = response.get("identifier")
    if not isinstance(ident, dict) or ident.get("system") != DOCUMENT_SYSTEM:
        raise BundleError("the response has no document identifier")
    document_id = ident.get("value")
    if not isinstance(document_id, str) or not document_id:
        raise BundleError("the response has no document identifier")
    patients = [c for c in response.get("contained", []) if c.get("resourceType") == "Patient"]
    if len(patients) != 1:
        raise BundleError("the response does not contain exactly one patient")
    answers = {k: v for k, v in response.items() if k != "id"}  # the server names it
    response_url = placeholder("QuestionnaireResponse", document_id)
    authored = response.get("authored")
    attachment: dict[str, Any] = {
        "contentType": "application/pdf",
        "data": base64.b64encode(pdf).decode("ascii"),
        "hash": sha1_base64(pdf),
        "size": len(pdf),
        "title": f"{DOCUMENT_TITLE} {document_id}",
    }
    document: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "identifier": [{"system": DOCUMENT_SYSTEM, "value": document_id}],
        "status": "current",
        "docStatus": "final",
        "type": {"coding": [DOCUMENT_TYPE], "text": DOCUMENT_TITLE},
        "contained": [patients[0]],
        "subject": {"reference": f"#{patients[0].get('id', 'patient')}"},
        "description": f"{DOCUMENT_TITLE}: the answers, flags and signed consent, as a PDF",
        "content": [{"attachment": attachment}],
        "context": {"related": [{"reference": response_url}]},
    }
    if isinstance(authored, str):
        document["date"] = authored
        attachment["creation"] = authored
    search = identifier_search(document_id)
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": response_url,
                "resource": answers,
                "request": {
                    "method": "POST",
                    "url": "QuestionnaireResponse",
                    "ifNoneExist": search,
                },
            },
            {
                "fullUrl": placeholder("DocumentReference", document_id),
                "resource": document,
                "request": {"method": "POST", "url": "DocumentReference", "ifNoneExist": search},
            },
        ],
    }


def questionnaire_update(questionnaire: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(path, body) of the conditional update that puts a content version's
    Questionnaire on the server once: ``Questionnaire?url=...&version=...``."""
    body = {k: v for k, v in questionnaire.items() if k != "id"}  # the server names it
    url, version = body["url"], body["version"]
    return f"Questionnaire?url={quote(url, safe='')}&version={quote(version, safe='')}", body


# ------------------------------------------------------------------ review from any desk

#: A clinician's review, written back to the server as a completed Task whose focus is the
#: QuestionnaireResponse (``dn-kiosk review``): who and when, for every desk to see,
#: without changing the patient's resources (an access policy may forbid that).
REVIEW_SYSTEM = "https://dn-kiosk.invalid/fhir/CodeSystem/review"
REVIEWED = {"system": REVIEW_SYSTEM, "code": "reviewed", "display": "Intake summary reviewed"}


def review_task(response_id: str, clinician: str, when: str) -> dict[str, Any]:
    """The Task that says ``clinician`` reviewed the response ``response_id`` at ``when``."""
    return {
        "resourceType": "Task",
        "status": "completed",
        "intent": "order",
        "code": {"coding": [REVIEWED]},
        "description": f"{DOCUMENT_TITLE} reviewed",
        "focus": {"reference": f"QuestionnaireResponse/{response_id}"},
        "owner": {"display": clinician},
        "authoredOn": when,
        "lastModified": when,
    }


def search_pages(first: object) -> list[dict[str, Any]]:
    """The resources of one searchset page (its ``entry`` resources)."""
    if not isinstance(first, dict) or first.get("resourceType") != "Bundle":
        return []
    return [
        e["resource"]
        for e in first.get("entry") or []
        if isinstance(e, dict) and isinstance(e.get("resource"), dict)
    ]


def next_page(bundle: object) -> str | None:
    """The ``next`` link of a searchset page, if there is one."""
    if not isinstance(bundle, dict):
        return None
    for link in bundle.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next":
            url = link.get("url")
            return url if isinstance(url, str) else None
    return None


# ------------------------------------------------------------------ answers


@dataclass(frozen=True)
class Stored:
    """The server's ids for a delivered record, and whether it made them now (201)."""

    response_id: str
    document_id: str
    created: bool


class AnswerUnreadable(ValueError):
    """A 2xx answer that is not the transaction-response the kiosk asked for."""


def read_transaction_response(answer: object) -> Stored:
    """The server's ids from the answer to ``record_bundle``: the first entry is the
    QuestionnaireResponse, the second the DocumentReference (the order of the request)."""
    if not isinstance(answer, dict) or answer.get("resourceType") != "Bundle":
        raise AnswerUnreadable("the answer is not a Bundle")
    if answer.get("type") != "transaction-response":
        raise AnswerUnreadable(f"the answer is a {answer.get('type')!s:.40} Bundle")
    entries = answer.get("entry")
    if not isinstance(entries, list) or len(entries) != 2:
        raise AnswerUnreadable("the answer does not have two entries")
    ids: list[str] = []
    statuses: list[str] = []
    for entry, wanted in zip(entries, ("QuestionnaireResponse", "DocumentReference"), strict=True):
        reply = entry.get("response") if isinstance(entry, dict) else None
        if not isinstance(reply, dict):
            raise AnswerUnreadable("an entry has no response")
        status = str(reply.get("status", "")).split(" ")[0]
        if status not in ("200", "201"):
            raise AnswerUnreadable(f"an entry answered {status or 'nothing'}")
        ids.append(_id_from(reply.get("location"), entry.get("resource"), wanted))
        statuses.append(status)
    return Stored(ids[0], ids[1], created="201" in statuses)


def _id_from(location: object, resource: object, resource_type: str) -> str:
    """The logical id from ``Type/id/_history/v`` (or from the resource itself)."""
    if isinstance(location, str):
        parts = location.split("?")[0].split("/")
        if resource_type in parts:
            at = len(parts) - 1 - parts[::-1].index(resource_type)
            if at + 1 < len(parts) and parts[at + 1]:
                return parts[at + 1]
    if isinstance(resource, dict) and isinstance(resource.get("id"), str):
        return str(resource["id"])
    raise AnswerUnreadable(f"no {resource_type} id in the answer")


def outcome_text(answer: object, limit: int = 600) -> str:
    """The server's own words from an OperationOutcome (each issue's text, diagnostics
    and where), or "" when the answer is not one."""
    if not isinstance(answer, dict) or answer.get("resourceType") != "OperationOutcome":
        return ""
    words: list[str] = []
    for issue in answer.get("issue") or []:
        if not isinstance(issue, dict):
            continue
        details = issue.get("details")
        text = details.get("text") if isinstance(details, dict) else None
        said = " ".join(str(t) for t in (text, issue.get("diagnostics")) if t) or str(
            issue.get("code", "")
        )
        where = issue.get("expression") or issue.get("location")
        if isinstance(where, list) and where:
            said += f" (at {', '.join(str(w) for w in where)})"
        words.append(said)
    text = "; ".join(w for w in words if w) or "an OperationOutcome without words"
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "DOCUMENT_TITLE",
    "DOCUMENT_TYPE",
    "REVIEWED",
    "REVIEW_SYSTEM",
    "AnswerUnreadable",
    "BundleError",
    "Stored",
    "identifier_search",
    "next_page",
    "outcome_text",
    "placeholder",
    "questionnaire_update",
    "read_transaction_response",
    "record_bundle",
    "review_task",
    "search_pages",
    "sha1_base64",
]
