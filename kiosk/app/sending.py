"""Delivery to the clinic's FHIR server as the kiosk and the command line start it.

``courier_thread`` is what the kiosk runs (``kiosk.cli`` starts it once this copy holds
the single-copy lock, and stops it at exit); ``deliver`` is ``python -m kiosk deliver``,
the same courier in the foreground, for staff who want the outbox sent now and for the
tests that kill it at random moments.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from kiosk.app.config import Config
from kiosk.app.courier import Courier, CourierThread
from kiosk.app.db import ClinicDb
from kiosk.app.fhir_http import FhirClient
from kiosk.app.outbox import Outbox
from kiosk.app.versions import ContentVersions
from kiosk.domain.model import Content

Say = Callable[[str], None]


def db_path(config: Config) -> Path:
    return config.data_dir / "clinic.sqlite3"


def make_courier(config: Config, content: Content | None) -> Courier:
    """A courier for the settings' server, over its own connection to the database."""
    folders = [config.output_dir, config.spool_folder]
    versions = ContentVersions(content, folders) if content is not None else None
    return Courier(
        Outbox(ClinicDb(db_path(config)), config.encryption_password),
        FhirClient.from_config(config),
        folders,
        versions,
        config.encryption_password,
    )


def courier_thread(config: Config, content: Content | None) -> CourierThread:
    """The kiosk's courier, not started yet (``start()``; ``wake()`` after a save)."""
    return CourierThread(lambda: make_courier(config, content))


def deliver(config: Config, content: Content | None, wait: bool = False, say: Say = print) -> int:
    """Send what is due now (with ``wait``, keep going through the backoff until nothing
    waits). Says what happened; exit status 0 when nothing waits or needs attention."""
    if not config.delivery_on:
        say("Delivery is off: fhir_base_url is not set in the settings.")
        return 1
    courier = make_courier(config, content)
    delivered = 0
    first = True  # staff asked: the first try does not wait out the backoff
    try:
        while True:
            attempt, first = courier.step(now_please=first), False
            if attempt.outcome == "delivered":
                delivered += 1
                continue
            if attempt.outcome == "attention":
                say(f"{attempt.document_id} needs attention: {attempt.reason}")
                continue
            if wait and attempt.outcome in ("retry", "not-due", "busy"):
                time.sleep(attempt.wait)
                continue
            if attempt.outcome == "busy":
                say("The kiosk is sending right now; it carries on by itself.")
            break
        counts = courier.outbox.counts()
    finally:
        courier.release()
        courier.outbox.db.close()
    say(f"Delivered {delivered} now; {counts.delivered} delivered in all.")
    if counts.waiting:
        say(f"{counts.waiting} waiting: {counts.reason or 'not tried yet'}")
    if counts.attention:
        say(f"{counts.attention} need attention (clinician mode shows why).")
    return 0 if not counts.waiting and not counts.attention else 1
