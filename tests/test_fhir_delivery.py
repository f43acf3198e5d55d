"""Delivery to a real FHIR engine: Medplum's (@medplum/fhir-router 4.5.2) behind the small
node:http adapter in tests/fhir_server, on 127.0.0.1 (tests/fhir_engine.py starts it).

What is checked here, on the server itself (searches by identifier, and the adapter's list
of what it stored in which order): each saved summary arrives once as a
QuestionnaireResponse and a DocumentReference whose PDF is the local file byte for byte;
a replay is answered 200 and creates nothing; a server that is down for a while gets
everything, in order, once; a record the server refuses needs attention with the
server's words while the others go on; a wrong token gives the staff message; TLS with
an unknown authority is refused until fhir_ca_file names it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import logging
import os
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.app.archive import Archive, ArchiveIndex
from kiosk.app.courier import Attempt, Backoff, Courier
from kiosk.app.db import SCHEMA_VERSION, ClinicDb
from kiosk.app.fhir_http import CREDENTIALS_REFUSED, ClientCredentials, FhirClient, TokenFile
from kiosk.app.outbox import Outbox, queue
from kiosk.app.storage import Saved
from kiosk.app.versions import ContentVersions
from kiosk.content.paths import bundled_content_dir
from kiosk.domain.model import Content
from kiosk.interop.fhir_bundle import DOCUMENT_TITLE, sha1_base64
from kiosk.interop.fhir_export import DOCUMENT_SYSTEM, OPTION_EXCLUSIVE, QUESTIONNAIRE_URL
from kiosk.saving import PdfSummaryWriter
from tests.fhir_engine import FhirEngine, free_port, make_tls, start_engine
from tests.old_schemas import V2_SCHEMA
from tests.test_clinic import NOW, FakeClock, make_record

FAR = "2999-01-01T00:00:00+00:00"
NAMES = ["Zoë Ŝmith", "Ana Núñez", "Zoe Brown", "Kofi Mensah", "Li Wei", "Sam O'Neil"]


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    return {
        "folder": tmp_path / "summaries",
        "spool": tmp_path / "data" / "spool",
        "db": tmp_path / "data" / "clinic.sqlite3",
    }


@pytest.fixture
def engine() -> Iterator[FhirEngine]:
    server = start_engine()
    yield server
    server.stop()


class Kiosk:
    """The saving side of a kiosk with delivery on, and couriers for its outbox."""

    def __init__(self, places: dict[str, Path], content: Content, password: str = "") -> None:
        self.places = places
        self.content = content
        self.password = password
        self.clock = FakeClock(NOW)
        self.archive = Archive(places["db"], content, bundled_content_dir(), password, deliver=True)
        self.writer = PdfSummaryWriter(
            places["folder"], "Clinic", places["spool"], password, archive=self.archive
        )
        self.db = ClinicDb(places["db"], self.clock)
        self.outbox = Outbox(self.db, password)
        self.saved: list[Saved] = []

    def save(self, count: int, start: int = 0) -> list[Saved]:
        made = []
        for n in range(start, start + count):
            record = make_record(
                self.content,
                NAMES[n % len(NAMES)],
                NOW + dt.timedelta(minutes=n),
                {"blood_thinner": "yes"} if n % 2 else None,
            )
            made.append(self.writer(self.content, record))
        self.saved += made
        return made

    def courier(self, client: FhirClient, **options: Any) -> Courier:
        folders = [self.places["folder"], self.places["spool"]]
        return Courier(
            self.outbox,
            client,
            folders,
            ContentVersions(self.content, folders),
            self.password,
            clock=self.clock,
            rng=lambda: 0.5,
            backoff=Backoff(first=1.0, most=8.0),
            **options,
        )

    def run(self, courier: Courier, limit: int = 200) -> list[Attempt]:
        """Steps until nothing is due, moving the clock through any backoff."""
        done: list[Attempt] = []
        try:
            for _ in range(limit):
                attempt = courier.step()
                done.append(attempt)
                assert attempt.outcome != "busy", "another courier holds the claim"
                if attempt.outcome == "idle":
                    return done
                if attempt.outcome == "not-due":
                    self.clock.advance(seconds=attempt.wait + 0.001)
        finally:
            courier.release()  # as the kiosk's courier thread does when it stops
        raise AssertionError(f"still delivering after {limit} steps: {done[-3:]}")

    def close(self) -> None:
        self.archive.close()
        self.db.close()


@pytest.fixture
def kiosk(places: dict[str, Path], content: Content) -> Iterator[Kiosk]:
    made = Kiosk(places, content)
    yield made
    made.close()


def ids(saved: list[Saved]) -> list[str]:
    """The document ids of saved summaries, in order (from the file names)."""
    return ["-".join(s.record.stem.split("-")[2:]) for s in saved]


def on_server(engine: FhirEngine, resource_type: str, document_id: str) -> list[dict[str, Any]]:
    return engine.search(resource_type, identifier=f"{DOCUMENT_SYSTEM}|{document_id}")


# ---------------------------------------------------------------- the outbox


def test_a_saved_summary_is_queued_with_its_index_row(kiosk: Kiosk) -> None:
    (saved,) = kiosk.save(1)
    (entry,) = kiosk.outbox.entries()
    (row,) = ArchiveIndex(kiosk.db).rows()
    assert entry.document_id == row.document_id == ids([saved])[0]
    assert entry.file_name == saved.record.stem
    assert entry.state == "waiting"
    assert entry.content_version == kiosk.content.version


def test_no_outbox_row_without_its_index_row_and_none_without_the_other(
    kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    """One transaction: when the outbox cannot be written, the index row is not written
    either (the list's next refresh adds both), and the other way round."""
    kiosk.db.execute("ALTER TABLE outbox RENAME TO outbox_gone")
    with caplog.at_level(logging.ERROR):
        kiosk.save(1)
    assert "saved but not indexed" in caplog.text
    assert ArchiveIndex(kiosk.db).rows() == []
    kiosk.db.execute("ALTER TABLE outbox_gone RENAME TO outbox")
    kiosk.db.execute("ALTER TABLE summaries RENAME TO summaries_gone")
    kiosk.save(1, start=1)
    assert kiosk.outbox.entries() == []
    kiosk.db.execute("ALTER TABLE summaries_gone RENAME TO summaries")
    # The files are saved; an index refresh from them queues both.
    from kiosk.app.summaries import SummaryIndex

    listed = SummaryIndex(kiosk.db, kiosk.places["folder"], kiosk.content, deliver=True).entries()
    assert len(listed) == 2
    assert {e.delivery for e in listed} == {"waiting"}
    assert len(kiosk.outbox.entries()) == 2


def test_a_version_2_database_gets_the_outbox_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(V2_SCHEMA)
        conn.execute(
            "INSERT INTO summaries VALUES ('DN-OLD00001', '2026-11-01T10:00:00+01:00', '{}', "
            "NULL, 0, '2026.11.2', 'en', 'folder', '20261101-100000-DN-OLD00001', 5)"
        )
    conn.close()
    with ClinicDb(path) as db:
        assert db.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION == 4
        assert [r["document_id"] for r in db.query("SELECT document_id FROM summaries")] == [
            "DN-OLD00001"
        ]
        # Summaries saved before delivery existed are not queued by the migration.
        assert Outbox(db).entries() == []
        with db.transaction() as conn:
            queue(conn, "DN-NEW00001", "20261127-100000-DN-NEW00001", "2026.11.2", NOW)
        assert [e.document_id for e in Outbox(db).entries()] == ["DN-NEW00001"]
    with ClinicDb(path) as db:  # opened again: nothing changes
        assert db.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        assert len(Outbox(db).entries()) == 1


def test_only_one_process_sends_at_a_time(kiosk: Kiosk) -> None:
    """The kiosk's courier and ``python -m kiosk deliver`` share one claim; it lapses
    with time, or at once when its process is gone (a SIGKILL)."""
    outbox = kiosk.outbox
    assert outbox.claim("kiosk", NOW, 60)
    assert not outbox.claim("deliver", NOW, 60)
    assert outbox.claim("kiosk", NOW + dt.timedelta(seconds=30), 60)  # renewed
    assert outbox.claim("deliver", NOW + dt.timedelta(seconds=91), 60)  # lapsed
    outbox.release("kiosk")  # not the holder: nothing changes
    assert not outbox.claim("kiosk", NOW + dt.timedelta(seconds=92), 60)
    outbox.release("deliver")
    assert outbox.claim("kiosk", NOW + dt.timedelta(seconds=93), 60)
    ended = subprocess.Popen(["true"])  # a process that has ended, as after a SIGKILL
    ended.wait()
    claim = {"owner": "gone", "pid": ended.pid, "host": socket.gethostname(), "until": FAR}
    kiosk.db.execute(
        "UPDATE archive_meta SET value = ? WHERE key = 'courier-claim'", (json.dumps(claim),)
    )
    assert outbox.claim("kiosk", NOW, 60)
    claim["pid"] = os.getpid()  # alive: it holds
    kiosk.db.execute(
        "UPDATE archive_meta SET value = ? WHERE key = 'courier-claim'", (json.dumps(claim),)
    )
    assert not outbox.claim("kiosk", NOW, 60)


# ---------------------------------------------------------------- what the server holds


def test_each_summary_arrives_once_with_its_pdf(kiosk: Kiosk, engine: FhirEngine) -> None:
    saved = kiosk.save(3)
    attempts = kiosk.run(kiosk.courier(FhirClient(engine.base)))
    assert [a.outcome for a in attempts] == ["delivered"] * 3 + ["idle"]
    for summary, document_id in zip(saved, ids(saved), strict=True):
        (response,) = on_server(engine, "QuestionnaireResponse", document_id)
        (document,) = on_server(engine, "DocumentReference", document_id)
        local = json.loads(summary.record.read_text("utf-8"))
        assert response["contained"] == local["contained"]
        assert response["item"] == local["item"]
        (content,) = document["content"]
        pdf = base64.b64decode(content["attachment"]["data"])
        assert pdf == summary.pdf.read_bytes()
        assert content["attachment"]["contentType"] == "application/pdf"
        assert content["attachment"]["hash"] == sha1_base64(pdf)
        assert (
            content["attachment"]["hash"]
            == base64.b64encode(hashlib.sha1(summary.pdf.read_bytes()).digest()).decode()
        )
        assert content["attachment"]["title"] == f"{DOCUMENT_TITLE} {document_id}"
        # The DocumentReference points at the response the server made of it.
        assert document["context"]["related"] == [
            {"reference": f"QuestionnaireResponse/{response['id']}"}
        ]
        entry = kiosk.outbox.entry(document_id)
        assert entry is not None
        assert (entry.state, entry.server_response_id, entry.server_document_id) == (
            "delivered",
            response["id"],
            document["id"],
        )
    # No personal data in anything a list of documents shows.
    for document in engine.search("DocumentReference"):
        shown = json.dumps({k: document[k] for k in ("description", "type")}) + json.dumps(
            document["content"][0]["attachment"]["title"]
        )
        assert not any(part in shown for name in NAMES for part in name.split())


def test_the_questionnaire_is_sent_once_per_version_with_its_exclusive_options(
    kiosk: Kiosk, engine: FhirEngine
) -> None:
    kiosk.save(2)
    kiosk.run(kiosk.courier(FhirClient(engine.base)))
    kiosk.save(1, start=2)
    kiosk.run(kiosk.courier(FhirClient(engine.base)))  # a new courier: a restarted kiosk
    found = engine.search("Questionnaire", url=QUESTIONNAIRE_URL, version=kiosk.content.version)
    assert len(found) == 1
    puts = [a for a in engine.arrivals() if a["resourceType"] == "Questionnaire"]
    assert len(puts) == 1
    exclusive = {
        (item["linkId"], option["valueCoding"]["code"])
        for item in _items(found[0]["item"])
        for option in item.get("answerOption", [])
        if {"url": OPTION_EXCLUSIVE, "valueBoolean": True} in option.get("extension", [])
    }
    assert ("heart_devices", "none") in exclusive
    assert ("heart_devices", "unsure") in exclusive
    assert ("pain_worse", "nothing") in exclusive
    assert not any(code in ("yes", "no") for _, code in exclusive)


def _items(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from _items(item.get("item", []))


def test_a_replay_is_answered_200_and_creates_nothing(kiosk: Kiosk, engine: FhirEngine) -> None:
    """The kiosk killed after the server stored a summary but before it noted so: the
    same bundle again finds both resources by their identifier."""
    saved = kiosk.save(2)
    kiosk.run(kiosk.courier(FhirClient(engine.base)))
    before = {e.document_id: e for e in kiosk.outbox.entries()}
    kiosk.db.execute("UPDATE outbox SET state = 'waiting', server_response_id = NULL")
    kiosk.run(kiosk.courier(FhirClient(engine.base)))
    statuses = [(a["resourceType"], a["identifier"], a["status"]) for a in engine.arrivals()]
    records = [s for s in statuses if s[0] != "Questionnaire"]
    first, second = ids(saved)
    assert records == [
        ("QuestionnaireResponse", first, 201),
        ("DocumentReference", first, 201),
        ("QuestionnaireResponse", second, 201),
        ("DocumentReference", second, 201),
        ("QuestionnaireResponse", first, 200),
        ("DocumentReference", first, 200),
        ("QuestionnaireResponse", second, 200),
        ("DocumentReference", second, 200),
    ]
    for document_id in (first, second):
        assert len(on_server(engine, "QuestionnaireResponse", document_id)) == 1
        assert len(on_server(engine, "DocumentReference", document_id)) == 1
        after = kiosk.outbox.entry(document_id)
        assert after is not None
        assert after.server_response_id == before[document_id].server_response_id


# ---------------------------------------------------------------- when it goes wrong


def test_a_server_down_then_up_gets_everything_in_order_once(
    kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    client = FhirClient(f"http://127.0.0.1:{port}/fhir", timeout=5)
    courier = kiosk.courier(client)
    first_half = kiosk.save(3)
    waits = []
    with caplog.at_level(logging.INFO):
        for _ in range(4):  # down: each try waits longer, and nothing moves on
            attempt = courier.step()
            assert attempt.outcome == "retry"
            assert attempt.document_id == ids(first_half)[0]
            assert "connection was refused" in attempt.reason
            waits.append(attempt.wait)
            assert courier.step().outcome == "not-due"
            kiosk.clock.advance(seconds=attempt.wait)
    assert waits == [0.75, 1.5, 3.0, 6.0]  # doubling, half of it jitter (rng 0.5 here)
    entry = kiosk.outbox.entry(ids(first_half)[0])
    assert entry is not None
    assert (entry.state, entry.attempts) == ("waiting", 4)
    # The backoff is in the database: a restarted kiosk waits it out too.
    kiosk.outbox.retry_later(entry.document_id, entry.reason, kiosk.clock() + dt.timedelta(hours=1))
    assert kiosk.courier(client).step().outcome == "not-due"
    kiosk.clock.advance(hours=1)
    engine = start_engine(port)
    try:
        second_half = kiosk.save(3, start=3)
        kiosk.run(courier)
        stored = [
            a["identifier"]
            for a in engine.arrivals()
            if a["resourceType"] == "QuestionnaireResponse"
        ]
        assert stored == ids(first_half + second_half)
        assert {a["status"] for a in engine.arrivals()} == {201}
        assert len(engine.search("DocumentReference")) == 6
    finally:
        engine.stop()
    assert {e.state for e in kiosk.outbox.entries()} == {"delivered"}
    # The log counted and explained, and never named anyone.
    assert "next try in" in caplog.text
    assert not any(part in caplog.text for name in NAMES for part in name.split())


def test_a_refused_record_needs_attention_and_the_others_flow(
    kiosk: Kiosk, engine: FhirEngine
) -> None:
    """Two resources on the server already carry the second record's identifier: the
    conditional create cannot choose (412), which only staff can sort out."""
    first, second, third = kiosk.save(3)
    clash = json.loads(second.record.read_text("utf-8"))
    clash.pop("id")
    client = FhirClient(engine.base)
    for _ in range(2):
        assert client.request("POST", "QuestionnaireResponse", clash).status == 201
    attempts = kiosk.run(kiosk.courier(client))
    assert [a.outcome for a in attempts] == ["delivered", "attention", "delivered", "idle"]
    refused = kiosk.outbox.entry(ids([second])[0])
    assert refused is not None
    assert refused.state == "attention"
    assert refused.reason.startswith("The server refused it (HTTP 412): ")
    assert "Multiple resources found matching condition" in refused.reason
    # Never sent again by itself; staff can ask, and it is refused again the same way.
    assert kiosk.courier(client).step().outcome == "idle"
    assert kiosk.outbox.send_again(refused.document_id)
    assert kiosk.run(kiosk.courier(client))[0].outcome == "attention"
    for summary in (first, third):
        assert len(on_server(engine, "DocumentReference", ids([summary])[0])) == 1


def test_a_record_that_is_not_valid_fhir_is_never_sent(kiosk: Kiosk, engine: FhirEngine) -> None:
    (saved,) = kiosk.save(1)
    data = json.loads(saved.record.read_text("utf-8"))
    data["authored"] = "yesterday"
    saved.record.write_text(json.dumps(data), "utf-8")
    (attempt, _) = kiosk.run(kiosk.courier(FhirClient(engine.base)))
    assert attempt.outcome == "attention"
    assert attempt.reason.startswith("Not sent: not valid FHIR R4 (")
    assert "entry[0].resource.authored" in attempt.reason
    assert "yesterday" not in attempt.reason  # the rule, never the value
    assert [a for a in engine.arrivals() if a["resourceType"] != "Questionnaire"] == []


def test_a_record_whose_files_are_gone_needs_attention(kiosk: Kiosk, engine: FhirEngine) -> None:
    (saved,) = kiosk.save(1)
    saved.pdf.unlink()
    (attempt, _) = kiosk.run(kiosk.courier(FhirClient(engine.base)))
    assert attempt.outcome == "attention"
    assert attempt.reason == "Its files are no longer in the output or spool folder."


def test_a_wrong_token_gives_the_staff_message_until_the_file_is_fixed(
    kiosk: Kiosk, tmp_path: Path
) -> None:
    engine = start_engine(token="the-right-token")
    try:
        token = tmp_path / "token"
        token.write_text("a-wrong-token\n", "utf-8")
        courier = kiosk.courier(FhirClient(engine.base, credentials=TokenFile(token)))
        kiosk.save(1)
        attempt = courier.step()
        assert attempt.outcome == "retry"
        assert attempt.reason == f"{CREDENTIALS_REFUSED} (HTTP 401)"
        assert engine.arrivals() == []
        token.write_text("the-right-token\n", "utf-8")  # read again: it changed
        assert [a.outcome for a in kiosk.run(courier)] == ["not-due", "delivered", "idle"]
    finally:
        engine.stop()


def test_oauth2_client_credentials(kiosk: Kiosk, tmp_path: Path) -> None:
    engine = start_engine(client="dn-kiosk:s3cret-s3cret")
    try:
        secret = tmp_path / "secret"
        secret.write_text("not-the-secret\n", "utf-8")
        client = FhirClient(engine.base)
        token_url = engine.base.replace("/fhir", "/oauth2/token")
        client.credentials = ClientCredentials("dn-kiosk", secret, token_url, client.post_form)
        courier = kiosk.courier(client)
        kiosk.save(1)
        attempt = courier.step()
        assert attempt.outcome == "retry"
        assert "refused the client credentials (HTTP 401: invalid_client)" in attempt.reason
        secret.write_text("s3cret-s3cret\n", "utf-8")
        assert [a.outcome for a in kiosk.run(courier)] == ["not-due", "delivered", "idle"]
    finally:
        engine.stop()


def test_tls_with_an_unknown_authority_is_refused_until_fhir_ca_file_names_it(
    kiosk: Kiosk, tmp_path: Path
) -> None:
    tls = make_tls(tmp_path)
    engine = start_engine(tls=tls)
    try:
        kiosk.save(1)
        untrusting = kiosk.courier(FhirClient(engine.base))
        attempt = untrusting.step()
        untrusting.release()
        assert attempt.outcome == "retry"
        assert "certificate is not trusted" in attempt.reason
        assert "fhir_ca_file" in attempt.reason
        assert engine.arrivals() == []
        kiosk.clock.advance(minutes=1)
        courier = kiosk.courier(FhirClient(engine.base, ca_file=tls[2]))
        assert [a.outcome for a in kiosk.run(courier)] == ["delivered", "idle"]
    finally:
        engine.stop()


# ---------------------------------------------------------------- retention


def test_retention_never_deletes_what_the_server_does_not_hold(
    kiosk: Kiosk, engine: FhirEngine, content: Content, caplog: pytest.LogCaptureFixture
) -> None:
    from kiosk.app.accounts import Accounts
    from kiosk.app.audit import Audit
    from kiosk.app.clinic import ClinicServices
    from kiosk.app.queue import PrintQueue
    from kiosk.app.summaries import SummaryIndex

    folder = kiosk.places["folder"]
    delivered, waiting = kiosk.save(2)
    first, second = ids([delivered, waiting])
    services = ClinicServices(
        db=kiosk.db,
        accounts=Accounts(kiosk.db),
        audit=Audit(kiosk.db),
        index=SummaryIndex(kiosk.db, folder, content, deliver=True),
        queue=PrintQueue(kiosk.db),
        folder=folder,
        retention_days=30,
        deliver=True,
    )
    kiosk.clock.advance(days=45)  # both are past the retention period
    with caplog.at_level(logging.INFO):
        assert services.purge_old() == []
    assert "2 summaries past 30 days kept until delivered" in caplog.text
    courier = kiosk.courier(FhirClient(engine.base))
    assert courier.step().outcome == "delivered"  # the first only
    courier.release()
    assert services.purge_old() == [first]
    assert not delivered.pdf.exists()
    assert waiting.pdf.exists()
    assert waiting.record.exists()
    # The delivered one's outbox row went with its files; the waiting one's stays.
    assert [e.document_id for e in kiosk.outbox.entries()] == [second]
    # With delivery off, retention is as it always was.
    services.deliver = False
    assert services.purge_old() == [second]


# ---------------------------------------------------------------- the command line


def kiosk_settings(kiosk: Kiosk, base: str) -> Path:
    places = kiosk.places
    path = places["db"].parent.parent / "kiosk.toml"
    path.write_text(
        f'output_dir = "{places["folder"]}"\nspool_dir = "{places["spool"]}"\n'
        f'data_dir = "{places["db"].parent}"\nfhir_base_url = "{base}"\n',
        encoding="utf-8",
    )
    return path


def test_deliver_sends_what_waits_and_says_so(
    kiosk: Kiosk, engine: FhirEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    kiosk.save(2)
    assert main(["--config", str(kiosk_settings(kiosk, engine.base)), "deliver"]) == 0
    assert capsys.readouterr().out == "Delivered 2 now; 2 delivered in all.\n"
    down = f"http://127.0.0.1:{free_port()}/fhir"
    kiosk.save(1, start=2)
    assert main(["--config", str(kiosk_settings(kiosk, down)), "deliver"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "Delivered 0 now; 2 delivered in all.",
        "1 waiting: the clinic's FHIR server cannot be reached: the connection was refused "
        "(is the server running?)",
    ]


def test_reindex_queues_what_was_never_queued_and_the_server_answers_200(
    kiosk: Kiosk, engine: FhirEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    """The database lost (or delivery turned on later): reindex queues every summary
    kept, and the ones the server has already are answered 200, not stored twice."""
    from kiosk.cli import main

    saved = kiosk.save(2)
    kiosk.run(kiosk.courier(FhirClient(engine.base)))
    kiosk.db.execute("DELETE FROM outbox")  # as after a lost database
    settings = kiosk_settings(kiosk, engine.base)
    assert main(["--config", str(settings), "reindex"]) == 0
    assert {e.state for e in kiosk.outbox.entries()} == {"waiting"}
    assert main(["--config", str(settings), "deliver"]) == 0
    capsys.readouterr()
    for document_id in ids(saved):
        assert len(on_server(engine, "DocumentReference", document_id)) == 1
    statuses = [a["status"] for a in engine.arrivals() if a["resourceType"] == "DocumentReference"]
    assert statuses == [201, 201, 200, 200]


def test_with_encryption_at_rest_the_server_gets_the_readable_pdf(
    places: dict[str, Path], content: Content, engine: FhirEngine
) -> None:
    """The files on the kiosk are sealed; what the clinic's record system receives must
    be readable there, so the courier opens them first (over TLS in a real clinic)."""
    from pypdf import PdfReader

    password = "correct horse battery staple"
    kiosk = Kiosk(places, content, password)
    try:
        (saved,) = kiosk.save(1)
        assert kiosk.run(kiosk.courier(FhirClient(engine.base)))[0].outcome == "delivered"
        (document_id,) = ids([saved])
        (response,) = on_server(engine, "QuestionnaireResponse", document_id)
        assert response["contained"][0]["name"] == [{"text": NAMES[0]}]
        (document,) = on_server(engine, "DocumentReference", document_id)
        sent = base64.b64decode(document["content"][0]["attachment"]["data"])
        local = PdfReader(saved.pdf)
        assert local.is_encrypted
        assert local.decrypt(password)
        received = PdfReader(io.BytesIO(sent))
        assert not received.is_encrypted
        assert [p.extract_text() for p in received.pages] == [p.extract_text() for p in local.pages]
        assert document["content"][0]["attachment"]["hash"] == sha1_base64(sent)
    finally:
        kiosk.close()


def test_with_encryption_at_rest_the_servers_words_are_sealed(tmp_path: Path) -> None:
    """A server's reason can quote what it refused (a name, a date of birth)."""
    password = "correct horse battery staple"
    words = "The server refused it (HTTP 400): invalid name 'Zoë Ŝmith' (at Patient.name)"
    with ClinicDb(tmp_path / "clinic.sqlite3") as db:
        with db.transaction() as conn:
            queue(conn, "DN-SEALED01", "20261127-100000-DN-SEALED01", "2026.11.2", NOW)
        Outbox(db, password).needs_attention("DN-SEALED01", words)
        (stored,) = db.query("SELECT reason FROM outbox")
        assert "Zo" not in stored["reason"]
        assert "refused" not in stored["reason"]
        entry = Outbox(db, password).entry("DN-SEALED01")
        assert entry is not None
        assert entry.reason == words
        assert Outbox(db, password).states() == {"DN-SEALED01": ("attention", words)}
        other = Outbox(db, "another long password").entry("DN-SEALED01")
        assert other is not None
        assert other.reason == "(the reason is sealed with another encryption_password)"


def test_a_spooled_summary_is_delivered_from_the_spool(
    places: dict[str, Path], content: Content, engine: FhirEngine
) -> None:
    places["folder"].parent.mkdir(parents=True, exist_ok=True)
    places["folder"].write_text("not a folder")  # the output folder cannot take it
    kiosk = Kiosk(places, content)
    try:
        (saved,) = kiosk.save(1)
        assert saved.pdf.parent == places["spool"]
        assert kiosk.run(kiosk.courier(FhirClient(engine.base)))[0].outcome == "delivered"
        (document,) = on_server(engine, "DocumentReference", ids([saved])[0])
        pdf = base64.b64decode(document["content"][0]["attachment"]["data"])
        assert pdf == saved.pdf.read_bytes()
    finally:
        kiosk.close()
