"""The FHIR settings' own checks: which settings only work together, the certificate
authority file, plain http to another machine, and ``check-config --online``, which asks
the server itself.

Kept apart from ``kiosk.app.config`` (the declarations) and ``kiosk.app.machine`` (the
folder and printer checks) so each stays small; none of them imports this module's
network code until ``--online`` asks for it.
"""

from __future__ import annotations

import ipaddress
import ssl
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.domain.problems import Problem

if TYPE_CHECKING:
    from kiosk.app.config import Config

#: The settings that make sense only with ``fhir_base_url``.
NEEDS_SERVER = (
    "fhir_token_file",
    "fhir_client_id",
    "fhir_client_secret_file",
    "fhir_token_url",
    "fhir_ca_file",
)
#: OAuth2 client credentials: all three, or none.
CLIENT_CREDENTIALS = ("fhir_client_id", "fhir_client_secret_file", "fhir_token_url")


def settings_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, reason) for settings that only work together, from the parsed ``values``."""
    found: list[tuple[str, str]] = []
    if not values.get("fhir_base_url"):
        for key in NEEDS_SERVER:
            if values.get(key):
                found.append((key, "has no effect without fhir_base_url (the FHIR server)"))
        return found
    given = [k for k in CLIENT_CREDENTIALS if values.get(k)]
    if given and len(given) < len(CLIENT_CREDENTIALS):
        for key in CLIENT_CREDENTIALS:
            if key not in given:
                found.append(
                    (
                        key,
                        f"needed with {' and '.join(given)}: OAuth2 client credentials "
                        f"need all of {', '.join(CLIENT_CREDENTIALS)}",
                    )
                )
    if given and values.get("fhir_token_file"):
        found.append(
            (
                "fhir_token_file",
                "use either fhir_token_file or the client credentials "
                f"({', '.join(CLIENT_CREDENTIALS)}), not both",
            )
        )
    return found


def ca_file_problem(path: Path) -> str:
    """Why ``path`` is not a usable certificate authority file, or ""."""
    try:
        ssl.create_default_context(cafile=str(path))
    except OSError as exc:
        if isinstance(exc, ssl.SSLError):
            return f"{path} holds no certificate authority in PEM form ({exc.reason or exc})"
        return f"{path} cannot be read ({exc.strerror or type(exc).__name__})"
    return ""


def plain_http_problem(url: str) -> str:
    """A reason when ``url`` is plain http to another machine: patient data would cross
    the network unencrypted."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or _loopback(parts.hostname or ""):
        return ""
    return (
        f"{url} is plain http: patient data would cross the network unencrypted; "
        "use https:// (warning)"
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_online(config: Config, where: str, say: Callable[[str], None]) -> list[Problem]:
    """``check-config --online``: say what the FHIR server answered; its problems."""
    if not config.delivery_on:
        say("--online: no fhir_base_url is set, so there is no server to ask.")
        return []
    found, notes = online_check(config)
    for note in notes:
        say(f"Asked the FHIR server: {note}")
    return [Problem(where, key, reason) for key, reason in found]


def online_check(config: Config) -> tuple[list[tuple[str, str]], list[str]]:
    """Ask the FHIR server: ``/metadata``, or when it has none, a search for the kiosk's
    Questionnaire. Returns (problems as (key, reason), notes saying what it answered)."""
    from kiosk.app.fhir_http import (
        CREDENTIALS_REFUSED,
        CredentialsProblem,
        FhirClient,
        Unreachable,
    )
    from kiosk.interop.fhir_bundle import outcome_text
    from kiosk.interop.fhir_export import QUESTIONNAIRE_URL

    base = config.fhir_base_url
    client = FhirClient.from_config(config)
    notes: list[str] = []

    def said(reply: Any) -> str:
        return outcome_text(reply.body) or reply.text or "no details"

    try:
        reply = client.request("GET", "metadata")
        if reply.status in (401, 403):
            return [("fhir_base_url", f"{CREDENTIALS_REFUSED} (HTTP {reply.status})")], notes
        body = reply.body if isinstance(reply.body, dict) else {}
        if reply.ok and body.get("resourceType") == "CapabilityStatement":
            version = str(body.get("fhirVersion", "?"))
            software = body.get("software")
            software = software if isinstance(software, dict) else {}
            name = " ".join(str(software.get(k, "")) for k in ("name", "version")).strip()
            notes.append(f"{base}/metadata: FHIR {version}, {name or 'software not named'}")
            if not version.startswith("4.0"):
                return [
                    (
                        "fhir_base_url",
                        f"the server speaks FHIR {version}; the kiosk sends FHIR R4 (4.0.1)",
                    )
                ], notes
            return [], notes
        kind = body.get("resourceType") or "no JSON"
        notes.append(f"{base}/metadata: no CapabilityStatement (HTTP {reply.status}, {kind})")
        search = "Questionnaire?url=" + urllib.parse.quote(QUESTIONNAIRE_URL, safe="")
        reply = client.request("GET", search)
    except CredentialsProblem as exc:
        return [(exc.key, str(exc))], notes
    except Unreachable as exc:
        key = "fhir_ca_file" if exc.tls and config.fhir_ca_file else "fhir_base_url"
        return [(key, f"{base} cannot be reached: {exc}")], notes
    if reply.status in (401, 403):
        return [("fhir_base_url", f"{CREDENTIALS_REFUSED} (HTTP {reply.status})")], notes
    body = reply.body if isinstance(reply.body, dict) else {}
    if reply.ok and body.get("resourceType") == "Bundle":
        found = body.get("total", len(body.get("entry") or []))
        notes.append(
            f"{base}: a search for the kiosk's Questionnaire answered {reply.status} "
            f"({found} found)"
        )
        return [], notes
    return [
        (
            "fhir_base_url",
            f"{base} does not answer as a FHIR server: a search answered "
            f"HTTP {reply.status} ({said(reply)})",
        )
    ], notes
