"""Sending the outbox to the clinic's FHIR server: one summary at a time, in the order they
were saved, on a thread of its own (never the UI's).

``Courier.step`` makes one attempt at the first waiting summary (``kiosk.app.outbox``):

1. its files (output folder, else spool), opened with the encryption_password if set;
2. once per content version and server, that version's Questionnaire, by conditional
   update on its canonical url and version;
3. the transaction Bundle (``kiosk.interop.fhir_bundle``), checked against the FHIR R4
   models (``kiosk.app.fhir_validate``) before it is sent;
4. the server's answer decides: 200/201 delivered (its ids kept); 5xx, 408, 429, a
   refused or timed-out connection, a TLS or credentials problem wait and try again,
   with exponential backoff and jitter, without limit, the next try's time kept in the
   database across restarts; any other 4xx with an OperationOutcome needs attention,
   with the server's words, and is never sent again by itself.

A summary that waits holds the ones after it, so they arrive in order; one that needs
attention does not. A replay (the kiosk killed after the server stored a summary but
before it noted so) is harmless: the bundle's ``ifNoneExist`` makes the server answer
200 with what it has.

``CourierThread`` runs the steps: woken when a summary is queued, sleeping through the
backoff, and stopped when the kiosk closes. The log names document ids, counts and the
kind of failure, never a patient; the server's own words go to the database, where
clinician mode shows them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kiosk.app import fhir_validate
from kiosk.app.fhir_http import (
    CREDENTIALS_REFUSED,
    CredentialsProblem,
    FhirClient,
    Reply,
    Unreachable,
)
from kiosk.app.outbox import Outbox, OutboxEntry
from kiosk.app.versions import ContentVersions
from kiosk.domain.session import local_now
from kiosk.interop import fhir
from kiosk.interop.fhir_bundle import (
    AnswerUnreadable,
    BundleError,
    Stored,
    outcome_text,
    questionnaire_update,
    read_transaction_response,
    record_bundle,
)

log = logging.getLogger("kiosk.fhir")

Outcome = Literal["idle", "not-due", "busy", "delivered", "attention", "retry"]


@dataclass(frozen=True)
class Backoff:
    """The wait after the n-th failure in a row: ``first`` doubling up to ``most``
    seconds, of which a random half ("equal jitter"), so that kiosks that lost the
    server together do not all come back in the same second."""

    first: float = 5.0
    most: float = 600.0

    def delay(self, failures: int, rng: Callable[[], float] = random.random) -> float:
        plain = min(self.most, self.first * 2.0 ** min(failures, 40))
        return float(plain / 2 + rng() * plain / 2)


@dataclass(frozen=True)
class Attempt:
    """What one step did, and how long until another is worth making."""

    outcome: Outcome
    document_id: str = ""
    #: Why (for staff: may hold the server's words).
    reason: str = ""
    wait: float = 0.0
    #: Why, for the log (never the server's words).
    logged: str = ""


class _Refused(Exception):
    """This summary cannot go as it is: it needs attention."""


class _Later(Exception):
    """It may pass: try again later (after at least ``at_least`` seconds). ``logged`` is
    the reason without the server's own words, which could quote a patient."""

    def __init__(self, reason: str, at_least: float = 0.0, logged: str = "") -> None:
        super().__init__(reason)
        self.at_least = at_least
        self.logged = logged or reason


class Courier:
    """Delivers the outbox of one clinic database to one FHIR server."""

    def __init__(
        self,
        outbox: Outbox,
        client: FhirClient,
        folders: Sequence[Path],
        versions: ContentVersions | None = None,
        password: str = "",
        *,
        clock: Callable[[], dt.datetime] = local_now,
        rng: Callable[[], float] = random.random,
        backoff: Backoff | None = None,
    ) -> None:
        self.outbox = outbox
        self.client = client
        #: Where a summary's files may be: the output folder, then the spool folder.
        self.folders = list(folders)
        self.versions = versions
        self.password = password
        self.clock = clock
        self.rng = rng
        self.backoff = backoff or Backoff()
        self.owner = uuid.uuid4().hex
        #: The claim outlasts the longest step: a token, a Questionnaire and a bundle.
        self.claim_seconds = 3 * client.timeout + 60

    # ------------------------------------------------------------ one step

    def step(self, now_please: bool = False) -> Attempt:
        """Try the first waiting summary once, if it is due (or ``now_please``: staff
        asked, so the backoff is not waited out this once)."""
        head = self.outbox.head()
        if head is None:
            return Attempt("idle")
        now = self.clock()
        if head.next_attempt is not None and head.next_attempt > now and not now_please:
            wait = (head.next_attempt - now).total_seconds()
            return Attempt("not-due", head.document_id, head.reason, wait)
        if not self.outbox.claim(self.owner, now, self.claim_seconds):
            return Attempt("busy", head.document_id, "another process is sending", 15.0)
        document = head.document_id
        try:
            stored = self._deliver(head)
        except _Refused as exc:
            self.outbox.needs_attention(document, str(exc))
            log.warning(
                "fhir: summary %s needs attention (the reason is in clinician mode)", document
            )
            return Attempt("attention", document, str(exc))
        except _Later as exc:
            wait = max(self.backoff.delay(head.attempts, self.rng), exc.at_least)
            self.outbox.retry_later(document, str(exc), now + dt.timedelta(seconds=wait))
            log.info("fhir: summary %s waits; next try in %.0f s: %s", document, wait, exc.logged)
            return Attempt("retry", document, str(exc), wait, exc.logged)
        self.outbox.delivered(document, stored.response_id, stored.document_id, self.clock())
        log.info(
            "fhir: summary %s delivered (%s)",
            document,
            "created" if stored.created else "the server had it already",
        )
        return Attempt("delivered", document)

    def release(self) -> None:
        self.outbox.release(self.owner)

    def _deliver(self, head: OutboxEntry) -> Stored:
        response, pdf, folder = self._files(head)
        self._questionnaire(head.content_version, folder)
        try:
            bundle = record_bundle(response, pdf)
        except BundleError as exc:
            raise _Refused(f"Cannot be sent: {exc}.") from None
        found = fhir_validate.problems(bundle)
        if found:
            raise _Refused(f"Not sent: not valid FHIR R4 ({'; '.join(found[:5])}).")
        reply = self._send("POST", "", bundle)
        try:
            return read_transaction_response(reply.body)
        except AnswerUnreadable as exc:
            raise _Refused(f"The server's answer could not be read ({exc}).") from None

    def _files(self, head: OutboxEntry) -> tuple[dict[str, Any], bytes, Path]:
        """The saved response and PDF (opened), and the folder they are in."""
        for folder in self.folders:
            record, pdf = folder / f"{head.file_name}.json", folder / f"{head.file_name}.pdf"
            if record.is_file() and pdf.is_file():
                break
        else:
            raise _Refused("Its files are no longer in the output or spool folder.")
        try:
            raw_record, raw_pdf = record.read_bytes(), pdf.read_bytes()
        except OSError as exc:  # an unplugged share: it may come back
            raise _Later(f"its files cannot be read now ({exc.strerror or 'error'})") from None
        if self.password:
            from kiosk.app.atrest import SealedError, decrypt_pdf, open_json

            try:
                raw_record = open_json(raw_record, self.password)
                raw_pdf = decrypt_pdf(raw_pdf, self.password)
            except SealedError:
                raise _Refused("Its files cannot be opened with the encryption_password.") from None
        try:
            data = json.loads(raw_record)
        except ValueError:
            raise _Refused("Its JSON file is not valid JSON.") from None
        if not isinstance(data, dict):
            raise _Refused("Its JSON file is not a FHIR resource.")
        return data, raw_pdf, folder

    def _questionnaire(self, version: str, folder: Path) -> None:
        """Put the Questionnaire of ``version`` on the server, once per server."""
        server = self.client.base_url
        if self.outbox.questionnaire_sent(server, version):
            return
        content = self.versions.get(version, folder) if self.versions else None
        if content is None:
            log.warning(
                "fhir: content version %s is not kept: its Questionnaire is not sent", version
            )
            self.outbox.mark_questionnaire(server, version, None, self.clock())
            return
        path, body = questionnaire_update(fhir.questionnaire(content))
        found = fhir_validate.problems(body)
        if found:
            log.error(
                "fhir: Questionnaire %s is not valid FHIR R4, not sent: %s", version, found[:3]
            )
            self.outbox.mark_questionnaire(server, version, None, self.clock())
            return
        try:
            reply = self._send("PUT", path, body)
        except _Refused as exc:  # the summaries stand on their own: they still go
            log.error("fhir: the server refused Questionnaire %s: %s", version, exc)
            self.outbox.mark_questionnaire(server, version, None, self.clock())
            return
        made = reply.body.get("id") if isinstance(reply.body, dict) else None
        self.outbox.mark_questionnaire(server, version, made, self.clock())
        log.info("fhir: Questionnaire %s on the server (HTTP %d)", version, reply.status)

    def _send(self, method: str, path: str, body: object) -> Reply:
        try:
            reply = self.client.request(method, path, body)
        except Unreachable as exc:
            raise _Later(f"the clinic's FHIR server cannot be reached: {exc}") from None
        except CredentialsProblem as exc:
            raise _Later(str(exc)) from None
        if reply.ok:
            return reply
        status, words = reply.status, outcome_text(reply.body)
        if status in (401, 403):
            raise _Later(f"{CREDENTIALS_REFUSED} (HTTP {status})")
        if status in (408, 429) or status >= 500:
            plain = f"the server answered HTTP {status}"
            said = f"{plain}: {words}" if words else plain
            raise _Later(said, reply.retry_after() or 0.0, plain)
        if 400 <= status < 500 and words:
            raise _Refused(f"The server refused it (HTTP {status}): {words}")
        if 300 <= status < 400:
            where = reply.headers.get("location", "another address")
            raise _Later(
                f"the server redirects (HTTP {status}) to {where}: set fhir_base_url to it"
            )
        raise _Later(
            f"the server answered HTTP {status} without a FHIR OperationOutcome "
            f"({reply.text[:80] or 'no text'}): check fhir_base_url"
        )


class CourierThread:
    """Runs a courier's steps on a thread of its own until ``stop``.

    ``make`` builds the courier on that thread (it opens the database there), so the
    caller never waits. ``wake`` after queueing a summary; otherwise the thread looks at
    the outbox every ``idle_seconds``, and sleeps through a backoff.
    """

    def __init__(self, make: Callable[[], Courier], idle_seconds: float = 60.0) -> None:
        self._make = make
        self.idle_seconds = idle_seconds
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fhir-courier", daemon=True)
        self._last: tuple[int, int] | None = None

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the thread to stop after its current request; True if it did in time."""
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            courier = self._make()
        except Exception as exc:
            log.error("fhir: the courier cannot start (%s): nothing is sent", type(exc).__name__)
            return
        try:
            while not self._stopping.is_set():
                wait = self._step(courier)
                if wait > 0 and not self._stopping.is_set():
                    self._wake.wait(wait)
                    self._wake.clear()
        finally:
            try:
                courier.release()
                courier.outbox.db.close()
            except Exception as exc:  # the claim lapses by itself
                log.debug("fhir: claim not released (%s)", type(exc).__name__)

    def _step(self, courier: Courier) -> float:
        try:
            attempt = courier.step()
        except Exception as exc:  # a database or programming error: logged, retried
            log.error("fhir: delivery step failed (%s)", type(exc).__name__)
            return 30.0
        if attempt.outcome in ("delivered", "attention"):
            return 0.0
        if attempt.outcome != "busy":
            # Going to sleep: let `python -m kiosk deliver` send meanwhile if asked.
            courier.release()
        self._log_counts(courier.outbox, attempt)
        return self.idle_seconds if attempt.outcome == "idle" else max(0.05, attempt.wait)

    def _log_counts(self, outbox: Outbox, attempt: Attempt) -> None:
        """How many wait and why, when that changes; never a name."""
        counts = outbox.counts()
        now = (counts.waiting, counts.attention)
        if now == self._last and attempt.outcome != "retry":
            return
        self._last = now
        if attempt.outcome == "retry":
            log.warning(
                "fhir: %d waiting, %d need attention; next try in %.0f s: %s",
                counts.waiting,
                counts.attention,
                attempt.wait,
                attempt.logged or attempt.reason,
            )
        else:
            log.info(
                "fhir: %d waiting, %d need attention, %d delivered",
                counts.waiting,
                counts.attention,
                counts.delivered,
            )
