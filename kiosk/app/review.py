"""Review from any desk (``dn-kiosk review``): the clinician's list read from the clinic's
FHIR server instead of one kiosk's folder, so summaries from every kiosk are seen together.

``ServerSummaries`` has the clinician's list's interface (``entries``, ``entry``,
``pdf_file``, ``mark_reviewed``, ``mark_printed``), so the same clinician mode (sign-in,
list, viewer, printing) runs on it unchanged:

* the list is the server's QuestionnaireResponses with the kiosk's document identifier
  system, newest first; the name and date of birth come from the contained Patient, the
  flags from reading each response against this desk's content (a response of another
  content version is listed without flags: its content is on the kiosk that took it),
  and "Sent" is when the server stored it;
* a PDF is fetched from its DocumentReference when a summary is opened, checked against
  the attachment's SHA-1 ``hash``, and kept only in a private temporary folder (0700)
  until the desk app closes;
* "Mark reviewed" writes a completed ``Task`` to the server (focus: the response; owner:
  the clinician's name; ``kiosk.interop.fhir_bundle.review_task``), so every desk sees
  who reviewed it and when; printing is recorded on this desk only.

The desk's own clinician accounts and audit trail are in its own clinic database
(``data_dir``), as on a kiosk. Nothing of a patient is logged.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kiosk.app.config import Config
from kiosk.app.db import ClinicDb, optional_time, to_text
from kiosk.app.fhir_http import CREDENTIALS_REFUSED, CredentialsProblem, FhirClient, Unreachable
from kiosk.app.storage import atomic_write
from kiosk.app.summaries import SummaryEntry, SummaryFolderError
from kiosk.domain.model import Content, Level
from kiosk.domain.record import build_summary
from kiosk.interop.fhir import parse_response
from kiosk.interop.fhir_bundle import (
    REVIEW_SYSTEM,
    identifier_search,
    next_page,
    outcome_text,
    review_task,
    search_pages,
    sha1_base64,
)
from kiosk.interop.fhir_export import DOCUMENT_SYSTEM

if TYPE_CHECKING:
    from kiosk.app.clinic import ClinicServices

log = logging.getLogger("kiosk.review")

#: The most summaries the list reads (newest first).
MOST = 1000


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class ServerSummaries:
    """The clinician's list, read from the FHIR server (see the module's docstring)."""

    def __init__(self, client: FhirClient, content: Content, db: ClinicDb) -> None:
        self.client = client
        self.content = content
        self.db = db
        self._cache = tempfile.TemporaryDirectory(prefix="dn-kiosk-review-")
        self.cache = Path(self._cache.name)  # mkdtemp: mode 0700
        self._response_ids: dict[str, str] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Delete the PDFs fetched for viewing."""
        self._cache.cleanup()

    # ------------------------------------------------------------ the server

    def _get(self, path: str) -> Any:
        try:
            reply = self.client.request("GET", path)
        except (Unreachable, CredentialsProblem) as exc:
            raise SummaryFolderError(f"The clinic's FHIR server cannot be read: {exc}") from None
        if reply.status in (401, 403):
            raise SummaryFolderError(f"{CREDENTIALS_REFUSED} (HTTP {reply.status})")
        if not reply.ok:
            said = outcome_text(reply.body) or reply.text or "no details"
            raise SummaryFolderError(
                f"The clinic's FHIR server answered HTTP {reply.status}: {said}"
            )
        return reply.body

    def _search(self, query: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        page: str | None = query
        while page is not None and len(found) < MOST:
            bundle = self._get(page)
            found += search_pages(bundle)
            page = next_page(bundle)
        return found[:MOST]

    # ------------------------------------------------------------ reading

    def entries(self, today_only: bool = False, search: str = "") -> list[SummaryEntry]:
        """Every kiosk's summaries on the server, newest first."""
        system = quote(f"{DOCUMENT_SYSTEM}|", safe="")
        with self._lock:
            responses = self._search(
                f"QuestionnaireResponse?identifier={system}&_sort=-authored&_count=200"
            )
            reviews = self._reviews()
        printed = self._printed()
        entries = [e for e in (self._entry(r, reviews, printed) for r in responses) if e]
        if today_only:
            now = self.db.clock()
            entries = [e for e in entries if e.created.astimezone(now.tzinfo).date() == now.date()]
        day = _as_date(search.strip())
        wanted = _fold(search.strip())
        if day is not None:  # the day it was signed, or the date of birth
            entries = [e for e in entries if day in (e.created.date(), e.date_of_birth)]
        elif wanted:
            entries = [e for e in entries if wanted in _fold(e.patient_name)]
        entries.sort(key=lambda e: (e.created, e.document_id), reverse=True)
        return entries

    def entry(self, document_id: str) -> SummaryEntry | None:
        return next((e for e in self.entries() if e.document_id == document_id), None)

    def _reviews(self) -> dict[str, tuple[str, dt.datetime | None]]:
        """QuestionnaireResponse id -> (reviewer, when), the latest review of each."""
        code = quote(f"{REVIEW_SYSTEM}|reviewed", safe="")
        found: dict[str, tuple[str, dt.datetime | None]] = {}
        for task in self._search(f"Task?code={code}&_count=500"):
            focus = str((task.get("focus") or {}).get("reference", ""))
            owner = str((task.get("owner") or {}).get("display", "")) or "a clinician"
            when = _time(task.get("lastModified") or task.get("authoredOn"))
            response_id = focus.rpartition("/")[2]
            if response_id and (response_id not in found or _later(when, found[response_id][1])):
                found[response_id] = (owner, when)
        return found

    def _printed(self) -> dict[str, dt.datetime | None]:
        rows = self.db.query("SELECT document_id, printed_at FROM summary_status")
        return {r["document_id"]: optional_time(r["printed_at"]) for r in rows}

    def _entry(
        self,
        response: dict[str, Any],
        reviews: dict[str, tuple[str, dt.datetime | None]],
        printed: dict[str, dt.datetime | None],
    ) -> SummaryEntry | None:
        ident = response.get("identifier") or {}
        document_id = ident.get("value") if isinstance(ident, dict) else None
        created = _time(response.get("authored"))
        patient: dict[str, Any] = next(
            (c for c in response.get("contained") or [] if c.get("resourceType") == "Patient"),
            {},
        )
        names = patient.get("name") or [{}]
        try:
            born = dt.date.fromisoformat(str(patient.get("birthDate")))
        except ValueError:
            born = None
        if not isinstance(document_id, str) or created is None or born is None:
            return None  # not one of the kiosk's summaries
        self._response_ids[document_id] = str(response.get("id", ""))
        highest: Level | None = None
        flags = 0
        version = str(response.get("questionnaire", "")).rpartition("|")[2]
        if version == self.content.version:
            try:
                summary = build_summary(self.content, parse_response(self.content, response), "")
                highest = max((f.level for f in summary.flags), default=None)
                flags = len(summary.flags)
            except Exception as exc:  # listed without flags; never the patient's words
                log.warning("summary %s: flags not read (%s)", document_id, type(exc).__name__)
        reviewer, reviewed_at = reviews.get(str(response.get("id")), (None, None))
        stored = _time((response.get("meta") or {}).get("lastUpdated"))
        return SummaryEntry(
            document_id=document_id,
            created=created,
            patient_name=str(names[0].get("text", "")),
            date_of_birth=born,
            highest=highest,
            flags=flags,
            pdf=self.cache / f"{document_id}.pdf",
            record=self.cache / f"{document_id}.json",
            reviewed_by=reviewer,
            reviewed_at=reviewed_at if reviewer else None,
            printed_at=printed.get(document_id),
            content_version=version,
            language=str(response.get("language", "")),
            delivery=f"{stored.astimezone():%d %b %H:%M}" if stored else "on the server",
        )

    def pdf_file(self, entry: SummaryEntry) -> Path:
        """The summary's PDF, fetched from its DocumentReference and checked against its
        hash, in the private cache. Raises ``SummaryFolderError``."""
        if entry.pdf.is_file():
            return entry.pdf
        found = self._search(f"DocumentReference?{identifier_search(entry.document_id)}")
        for document in found:
            for content in document.get("content") or []:
                attachment = content.get("attachment") or {}
                if attachment.get("contentType") != "application/pdf" or not attachment.get("data"):
                    continue
                pdf = base64.b64decode(attachment["data"])
                if attachment.get("hash") and attachment["hash"] != sha1_base64(pdf):
                    raise SummaryFolderError(
                        f"The PDF of {entry.document_id} on the server does not match its hash"
                    )
                atomic_write(entry.pdf, pdf, replace=True)
                return entry.pdf
        raise SummaryFolderError(f"The server has no PDF for {entry.document_id}")

    # ------------------------------------------------------------ status

    def mark_reviewed(self, document_id: str, clinician_id: int) -> None:
        """Write the review to the server, as a completed Task (the caller audits it)."""
        rows = self.db.query("SELECT name FROM clinicians WHERE id = ?", (clinician_id,))
        name = rows[0]["name"] if rows else f"clinician #{clinician_id}"
        response_id = self._response_ids.get(document_id) or ""
        if not response_id:
            self.entries()
            response_id = self._response_ids.get(document_id, "")
        task = review_task(response_id, name, to_text(self.db.clock()))
        try:
            reply = self.client.request("POST", "Task", task)
        except (Unreachable, CredentialsProblem) as exc:
            raise SummaryFolderError(f"The review could not be sent: {exc}") from None
        if not reply.ok:
            said = outcome_text(reply.body) or reply.text or "no details"
            raise SummaryFolderError(
                f"The server did not take the review (HTTP {reply.status}: {said})"
            )

    def mark_printed(self, document_id: str) -> None:
        """Printing is recorded on this desk (the caller audits it)."""
        self.db.execute(
            "INSERT INTO summary_status (document_id, printed_at) VALUES (?, ?) "
            "ON CONFLICT (document_id) DO UPDATE SET printed_at = excluded.printed_at",
            (document_id, to_text(self.db.clock())),
        )


def _as_date(text: str) -> dt.date | None:
    """A date typed as 2026-11-27 or 27/11/2026 (or 27.11.2026), else None."""
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def _time(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.astimezone()


def _later(when: dt.datetime | None, than: dt.datetime | None) -> bool:
    return when is not None and (than is None or when > than)


def open_review(config: Config, content: Content) -> ClinicServices:
    """The desk's clinic services: its own accounts and audit trail (``data_dir``), the
    summaries from the FHIR server. Raises ``OSError`` (``ClinicDbError``)."""
    from kiosk.app.accounts import Accounts
    from kiosk.app.audit import Audit
    from kiosk.app.clinic import ClinicServices
    from kiosk.app.queue import PrintQueue

    db = ClinicDb(config.data_dir / "clinic.sqlite3")
    summaries = ServerSummaries(FhirClient.from_config(config), content, db)
    return ClinicServices(
        db=db,
        accounts=Accounts(db),
        audit=Audit(db),
        index=summaries,
        queue=PrintQueue(db),
        folder=summaries.cache,
        printer=config.printer,
        idle_seconds=config.clinician_idle_seconds,
        retention_days=config.retention_days,
        deliver=True,  # the list's "Sent" column: when the server stored each summary
    )
