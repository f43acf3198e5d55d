"""The clinic services without Qt: accounts, audit, the summary index, retention, commands."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kiosk.app.accounts import LOCK_MINUTES, MAX_TRIES, AccountError, Accounts
from kiosk.app.audit import Audit
from kiosk.app.commands import add_clinician, list_clinicians, remove_clinician
from kiosk.app.db import SCHEMA_VERSION, ClinicDb, ClinicDbError
from kiosk.app.queue import PrintQueue
from kiosk.app.retention import purge
from kiosk.app.storage import base_name
from kiosk.app.summaries import SummaryIndex
from kiosk.domain.answers import Answer
from kiosk.domain.identity import Identity
from kiosk.domain.model import Content, Level, QuestionType
from kiosk.domain.record import Record
from kiosk.domain.session import Session
from kiosk.domain.summary import Signature
from kiosk.interop import fhir
from kiosk.saving import response_json
from tests.factories import make_signature_png

TZ = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=TZ)
PASSWORD = "correct horse battery"


class FakeClock:
    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path: Path, clock: FakeClock) -> Iterator[ClinicDb]:
    with ClinicDb(tmp_path / "data" / "clinic.sqlite3", clock) as database:
        yield database


@pytest.fixture(scope="session")
def hasher() -> PasswordHasher:
    """Argon2id with cheap parameters, so tests stay fast."""
    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture
def accounts(db: ClinicDb, hasher: PasswordHasher) -> Accounts:
    return Accounts(db, hasher)


def every_value(db: ClinicDb) -> list[object]:
    """Every value in every column of every table."""
    tables = [r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [
        value for table in tables for row in db.query(f"SELECT * FROM {table}") for value in row
    ]


# ---------------------------------------------------------------- the database


def test_database_is_created_private_with_its_schema(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "new" / "deeper" / "clinic.sqlite3"
    with ClinicDb(path, clock) as db:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert db.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION == 4
        assert db.query("PRAGMA journal_mode")[0][0] == "wal"
        tables = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {
            *("clinicians", "audit", "summary_status", "print_queue"),
            *("summaries", "archive_meta"),  # schema 2: the archive index
            *("outbox", "fhir_questionnaires"),  # schema 4: the FHIR outbox
        }
        # schema 3: how the consent ended, for the clinician's list
        assert "consent" in {r["name"] for r in db.query("PRAGMA table_info(summaries)")}
        Audit(db).log("exit")
    with ClinicDb(path, clock) as again:  # opening again keeps what is there
        assert [r.action for r in Audit(again).rows()] == ["exit"]


def test_an_unusable_database_is_a_staff_readable_error(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(b"this is not a database, not even close" * 100)
    with pytest.raises(ClinicDbError, match="could not open the clinic database") as caught:
        ClinicDb(path)
    assert isinstance(caught.value, OSError)
    assert caught.value.strerror == str(caught.value)


def test_a_database_from_a_newer_kiosk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    with pytest.raises(ClinicDbError, match="newer version"):
        ClinicDb(path)


def test_times_come_back_aware(db: ClinicDb, clock: FakeClock) -> None:
    Audit(db).log("view", 3, "DN-AAAA1111")
    (row,) = Audit(db).rows()
    assert row.at == NOW
    assert row.at.utcoffset() == dt.timedelta(hours=1)


def test_threads_share_the_connection(db: ClinicDb) -> None:
    audit = Audit(db)

    def work() -> None:
        for _ in range(20):
            audit.log("print", document_id="DN-THREAD00")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(audit.rows()) == 80


# ---------------------------------------------------------------- accounts


def test_add_list_and_remove(accounts: Accounts) -> None:
    bea = accounts.add("  Bea Ortiz ", PASSWORD)
    accounts.add("adam Li", PASSWORD)
    assert accounts.names() == ["adam Li", "Bea Ortiz"]
    assert accounts.name_of(bea) == "Bea Ortiz"
    accounts.remove("Bea Ortiz")
    assert accounts.names() == ["adam Li"]
    with pytest.raises(AccountError, match="no clinician called 'Bea Ortiz'"):
        accounts.remove("Bea Ortiz")
    with pytest.raises(AccountError):
        accounts.name_of(bea)


@pytest.mark.parametrize("again", ["Bea Ortiz", " bea  ortiz "])
def test_a_duplicate_name_is_refused(accounts: Accounts, again: str) -> None:
    accounts.add("Bea Ortiz", PASSWORD)
    with pytest.raises(AccountError, match=r"^a clinician called '.+' already exists$"):
        accounts.add(again, "another password")
    assert accounts.names() == ["Bea Ortiz"]


@pytest.mark.parametrize(
    ("name", "password", "reason"),
    [
        ("Bea", "short", "at least 8 characters"),
        ("Bea", "1234567", "at least 8 characters"),
        ("   ", PASSWORD, "cannot be empty"),
        ("x" * 61, PASSWORD, "at most 60 characters"),
        ("Bea\x1b[31m", PASSWORD, "control characters"),
        ("Bea\u202eevil", PASSWORD, "control characters"),
    ],
)
def test_bad_names_and_short_passwords_are_refused(
    accounts: Accounts, name: str, password: str, reason: str
) -> None:
    with pytest.raises(AccountError, match=reason):
        accounts.add(name, password)
    assert accounts.names() == []


def test_the_hash_is_argon2id_and_never_the_password(accounts: Accounts, db: ClinicDb) -> None:
    accounts.add("Bea", PASSWORD)
    (stored,) = db.query("SELECT hash FROM clinicians")
    assert stored[0].startswith("$argon2id$")
    assert PASSWORD not in stored[0]


def test_the_production_hasher_is_argon2id_with_default_cost(db: ClinicDb) -> None:
    Accounts(db).add("Bea", PASSWORD)
    (stored,) = db.query("SELECT hash FROM clinicians")
    default = PasswordHasher()
    assert stored[0].startswith(f"$argon2id$v=19$m={default.memory_cost},t={default.time_cost},")


def test_sign_in_with_the_right_password(accounts: Accounts) -> None:
    bea = accounts.add("Bea", PASSWORD)
    result = accounts.sign_in("Bea", PASSWORD)
    assert result.ok
    assert result.clinician_id == bea
    assert result.name == "Bea"
    assert result.tries_left == MAX_TRIES
    assert result.locked_until is None


def test_wrong_passwords_count_down(accounts: Accounts) -> None:
    accounts.add("Bea", PASSWORD)
    lefts = [accounts.sign_in("Bea", "wrong password").tries_left for _ in range(3)]
    assert lefts == [4, 3, 2]
    result = accounts.sign_in("Bea", "wrong password")
    assert not result.ok
    assert result.clinician_id is None
    assert result.locked_until is None


def test_a_success_resets_the_count(accounts: Accounts) -> None:
    accounts.add("Bea", PASSWORD)
    for _ in range(MAX_TRIES - 1):
        accounts.sign_in("Bea", "wrong password")
    assert accounts.sign_in("Bea", PASSWORD).ok
    assert accounts.sign_in("Bea", "wrong password").tries_left == MAX_TRIES - 1


def test_five_wrong_passwords_lock_the_account_for_five_minutes(
    accounts: Accounts, clock: FakeClock
) -> None:
    accounts.add("Bea", PASSWORD)
    for _ in range(MAX_TRIES - 1):
        accounts.sign_in("Bea", "wrong password")
    fifth = accounts.sign_in("Bea", "wrong password")
    assert fifth.tries_left == 0
    assert fifth.locked_until == NOW + dt.timedelta(minutes=LOCK_MINUTES)

    clock.advance(minutes=LOCK_MINUTES - 1)
    refused = accounts.sign_in("Bea", PASSWORD)
    assert not refused.ok
    assert refused.tries_left == 0
    assert refused.locked_until == fifth.locked_until

    clock.advance(minutes=1)
    assert accounts.sign_in("Bea", PASSWORD).ok


def test_after_a_lock_runs_out_the_count_starts_again(accounts: Accounts, clock: FakeClock) -> None:
    accounts.add("Bea", PASSWORD)
    for _ in range(MAX_TRIES):
        accounts.sign_in("Bea", "wrong password")
    clock.advance(minutes=LOCK_MINUTES, seconds=1)
    result = accounts.sign_in("Bea", "wrong password")
    assert result.tries_left == MAX_TRIES - 1
    assert result.locked_until is None


def test_an_unknown_name_fails_like_a_wrong_password(accounts: Accounts, clock: FakeClock) -> None:
    accounts.add("Bea", PASSWORD)
    for _ in range(MAX_TRIES):
        known = accounts.sign_in("Bea", "wrong password")
        unknown = accounts.sign_in("Nobody", "wrong password")
        assert (unknown.ok, unknown.clinician_id, unknown.tries_left, unknown.locked_until) == (
            known.ok,
            known.clinician_id,
            known.tries_left,
            known.locked_until,
        )
    assert unknown.locked_until is not None
    assert accounts.names() == ["Bea"]


def test_signing_in_rehashes_an_outdated_hash(
    db: ClinicDb, accounts: Accounts, hasher: PasswordHasher
) -> None:
    accounts.add("Bea", PASSWORD)
    (old,) = db.query("SELECT hash FROM clinicians")
    stronger = PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1)
    assert Accounts(db, stronger).sign_in("Bea", PASSWORD).ok
    (new,) = db.query("SELECT hash FROM clinicians")
    assert new[0] != old[0]
    assert ",t=2," in new[0]
    assert Accounts(db, stronger).sign_in("Bea", PASSWORD).ok


def test_every_attempt_is_audited_without_names_or_passwords(
    accounts: Accounts, db: ClinicDb
) -> None:
    bea = accounts.add("Bea Ortiz", PASSWORD)
    accounts.sign_in("Bea Ortiz", PASSWORD)
    accounts.sign_in("Bea Ortiz", "hunter2hunter2")
    accounts.sign_in("Zed Unknown", "swordfish-99")
    rows = Audit(db).rows()
    assert [(r.action, r.clinician_id, r.document_id) for r in rows] == [
        ("sign-in", bea, None),
        ("failed-sign-in", bea, None),
        ("failed-sign-in", None, None),
    ]
    audit_values = [v for r in db.query("SELECT * FROM audit") for v in r]
    assert not any("Bea" in str(v) or "Zed" in str(v) for v in audit_values)
    for secret in (PASSWORD, "hunter2hunter2", "swordfish-99"):
        assert not any(secret in str(v) for v in every_value(db))


def test_the_audit_knows_its_actions(db: ClinicDb, clock: FakeClock) -> None:
    audit = Audit(db)
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.log("sneak")
    audit.log("view", 1, "DN-AAAA1111")
    clock.advance(minutes=1)
    audit.log("sign-out", 1)
    assert [(r.at, r.action) for r in audit.rows()] == [
        (NOW, "view"),
        (NOW + dt.timedelta(minutes=1), "sign-out"),
    ]


# ---------------------------------------------------------------- summaries


def make_record(
    content: Content, name: str, when: dt.datetime, codes: dict[str, str] | None = None
) -> Record:
    """A signed record that raises no flags, except those the ``codes`` answers raise."""
    session = Session(content, "Clinic", clock=lambda: when)
    session.identity = Identity(name, dt.date(1980, 1, 2))
    chosen = {"eaten_recent": "yes", "needle_fear": "fine", **(codes or {})}
    for question in content.questions:
        if question.id not in {s.id for s in session.flow.steps()}:
            continue
        if question.id in chosen:
            code = chosen[question.id]
        elif question.type is QuestionType.YES_NO:
            code = "no"
        elif question.type is QuestionType.BODY_MAP:
            # A sore left knee, which no rule flags on its own.
            session.flow.set_answer(
                question.id, Answer(codes=("knee_left",), scores=(("knee_left", 3),))
            )
            continue
        elif question.type is QuestionType.SCALE:
            session.flow.set_answer(question.id, Answer.of_score(3))
            continue
        else:
            assert question.type in (QuestionType.SINGLE, QuestionType.MULTI), question.id
            options = [o.code for o in question.options]
            code = "none" if "none" in options else options[0]
        session.flow.set_answer(question.id, Answer.of(code))
    session.sign(Signature(600, 200, (((40.0, 150.0), (560.0, 50.0)),)), make_signature_png())
    return session.record()


def save(folder: Path, content: Content, record: Record, pdf: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    name = base_name(record.authored, record.document_id)
    (folder / f"{name}.json").write_bytes(response_json(content, record))
    if pdf:
        (folder / f"{name}.pdf").write_bytes(b"%PDF-1.4\n")
    return folder / f"{name}.json"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "summaries"


@pytest.fixture
def three(folder: Path, content: Content) -> dict[str, Record]:
    """Yesterday's clean record, and two of today's with flags."""
    records = {
        "clean": make_record(content, "Zoë Ŝmith", NOW - dt.timedelta(hours=18)),
        "contra": make_record(
            content,
            "Ana Núñez",
            NOW - dt.timedelta(hours=2),
            {"unwell_today": "yes", "blood_thinner": "yes"},
        ),
        "precaution": make_record(
            content, "Zoe Brown", NOW - dt.timedelta(minutes=30), {"blood_thinner": "yes"}
        ),
    }
    for record in records.values():
        save(folder, content, record)
    return records


def test_the_index_lists_summaries_newest_first_with_their_flags(
    db: ClinicDb, folder: Path, content: Content, three: dict[str, Record]
) -> None:
    index = SummaryIndex(db, folder, content)
    entries = index.entries()
    assert [e.document_id for e in entries] == [
        three[k].document_id for k in ("precaution", "contra", "clean")
    ]
    precaution, contra, clean = entries
    assert (contra.highest, contra.flags) == (Level.CONTRAINDICATION, 2)
    assert (precaution.highest, precaution.flags) == (Level.PRECAUTION, 1)
    assert (clean.highest, clean.flags) == (None, 0)
    assert contra.patient_name == "Ana Núñez"
    assert contra.date_of_birth == dt.date(1980, 1, 2)
    assert contra.created == three["contra"].authored
    assert contra.pdf.suffix == ".pdf"
    assert contra.pdf.exists()
    assert contra.record.suffix == ".json"
    assert contra.status == "new"


def test_a_record_without_its_pdf_is_not_listed(
    db: ClinicDb, folder: Path, content: Content
) -> None:
    save(folder, content, make_record(content, "Ana", NOW), pdf=False)
    assert SummaryIndex(db, folder, content).entries() == []
    assert SummaryIndex(db, folder / "missing", content).entries() == []


def test_today_only(
    db: ClinicDb, folder: Path, content: Content, three: dict[str, Record], clock: FakeClock
) -> None:
    index = SummaryIndex(db, folder, content)
    today = {e.document_id for e in index.entries(today_only=True)}
    assert today == {three["contra"].document_id, three["precaution"].document_id}
    clock.advance(days=1)
    assert index.entries(today_only=True) == []


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("zoe", {"clean", "precaution"}),
        ("ZOË", {"clean", "precaution"}),
        ("smith", {"clean"}),
        ("nunez", {"contra"}),
        ("  ana ", {"contra"}),
        ("", {"clean", "contra", "precaution"}),
        ("nobody", set()),
    ],
)
def test_search_ignores_case_and_accents(
    db: ClinicDb,
    folder: Path,
    content: Content,
    three: dict[str, Record],
    search: str,
    expected: set[str],
) -> None:
    found = {e.document_id for e in SummaryIndex(db, folder, content).entries(search=search)}
    assert found == {three[k].document_id for k in expected}


def test_reviewed_and_printed_status(
    db: ClinicDb,
    folder: Path,
    content: Content,
    three: dict[str, Record],
    accounts: Accounts,
    clock: FakeClock,
) -> None:
    index = SummaryIndex(db, folder, content)
    bea = accounts.add("Bea Ortiz", PASSWORD)
    doc = three["contra"].document_id
    index.mark_reviewed(doc, bea)
    entry = index.entry(doc)
    assert entry is not None
    assert (entry.status, entry.reviewed_by, entry.reviewed_at) == ("reviewed", "Bea Ortiz", NOW)
    assert entry.printed_at is None
    clock.advance(minutes=3)
    index.mark_printed(doc)
    entry = index.entry(doc)
    assert entry is not None
    assert entry.status == "printed"
    assert entry.printed_at == NOW + dt.timedelta(minutes=3)
    assert entry.reviewed_by == "Bea Ortiz"
    others = [e.status for e in index.entries() if e.document_id != doc]
    assert others == ["new", "new"]
    assert index.entry("DN-NOSUCH00") is None


def test_unreadable_files_are_skipped_and_logged_without_patient_data(
    db: ClinicDb,
    folder: Path,
    content: Content,
    three: dict[str, Record],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="kiosk.clinic")
    good = make_record(content, "Xavière Quillfeather", NOW)
    data = json.loads(response_json(content, good))
    data["contained"][0]["birthDate"] = "1980-13-45"
    bad = folder / "20261127-093000-DN-BADDATE0.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    bad.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n")
    broken = folder / "20261127-093100-DN-BROKEN00.json"
    broken.write_text('{"contained": [{"name": [{"text": "Xavière Quillfeather"', encoding="utf-8")
    broken.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n")

    # A shape the parser does not expect (a number for a name) must not crash the list.
    data["contained"][0] |= {"birthDate": "1980-01-02", "name": [{"text": 12345}]}
    odd = folder / "20261127-093200-DN-ODDSHAPE.json"
    odd.write_text(json.dumps(data), encoding="utf-8")
    odd.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n")

    entries = SummaryIndex(db, folder, content).entries()

    assert len(entries) == 3
    assert odd.name in caplog.text
    assert bad.name in caplog.text
    assert "Patient.birthDate" in caplog.text  # the item, never its value
    assert broken.name in caplog.text
    assert all(r.name == "kiosk.clinic" for r in caplog.records)
    for secret in ("Xavi", "Quillfeather", "1980-13-45"):
        assert secret not in caplog.text


def test_files_are_parsed_once_until_they_change(
    db: ClinicDb,
    folder: Path,
    content: Content,
    three: dict[str, Record],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = fhir.parse_response

    def counting(content: Content, data: object) -> Record:
        record = real(content, data)
        calls.append(record.document_id)
        return record

    monkeypatch.setattr("kiosk.app.archive.parse_response", counting)
    index = SummaryIndex(db, folder, content)
    index.entries()
    index.entries(search="zoe")
    assert len(calls) == 3
    changed = make_record(content, "Renamed Person", NOW, {"frail": "yes"})
    path = next(folder.glob(f"*{three['clean'].document_id}.json"))
    path.write_bytes(response_json(content, changed))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    names = {e.patient_name for e in index.entries()}
    assert len(calls) == 4
    assert "Renamed Person" in names


# ---------------------------------------------------------------- retention


def write_summary(folder: Path, created: dt.datetime, document_id: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    name = base_name(created, document_id)
    paths = [folder / f"{name}.pdf", folder / f"{name}.json"]
    for path in paths:
        path.write_bytes(b"{}")
    return paths


def test_purge_deletes_only_old_summaries_and_audits_them(db: ClinicDb, folder: Path) -> None:
    old = write_summary(folder, NOW - dt.timedelta(days=31), "DN-OLD00001")
    older = write_summary(folder, NOW - dt.timedelta(days=400), "DN-OLD00002")
    recent = write_summary(folder, NOW - dt.timedelta(days=29), "DN-NEW00001")
    # A name without a real date: its age comes from the file's modification time.
    undated_old = folder / "20261399-250000-DN-UNDATED1.pdf"
    undated_new = folder / "20261399-250000-DN-UNDATED2.pdf"
    for path in (undated_old, undated_new):
        path.write_bytes(b"%PDF")
    stamp = (NOW - dt.timedelta(days=90)).timestamp()
    os.utime(undated_old, (stamp, stamp))
    others = [
        folder / "notes.txt",
        folder / "20200101-000000-dn-lowercase.pdf",
        folder / "20200101-000000-DN-OLD00009.pdf.bak",
        folder / "clinic.sqlite3",
    ]
    for path in others:
        path.write_bytes(b"keep me")
        os.utime(path, (0, 0))
    (folder / "20200101-000000-DN-FOLDER01.json").mkdir()

    deleted = purge(folder, 30, Audit(db), NOW)

    assert sorted(deleted) == ["DN-OLD00001", "DN-OLD00002", "DN-UNDATED1"]
    assert not any(p.exists() for p in [*old, *older, undated_old])
    assert all(p.exists() for p in [*recent, undated_new, *others])
    rows = Audit(db).rows()
    assert sorted((r.action, r.document_id) for r in rows) == [
        ("delete", "DN-OLD00001"),
        ("delete", "DN-OLD00002"),
        ("delete", "DN-UNDATED1"),
    ]
    assert purge(folder, 30, Audit(db), NOW) == []
    assert purge(folder / "missing", 30, Audit(db), NOW) == []


def test_purge_refuses_a_retention_below_one_day(db: ClinicDb, folder: Path) -> None:
    with pytest.raises(ValueError, match="at least 1 day"):
        purge(folder, 0, Audit(db), NOW)


# ---------------------------------------------------------------- commands


class Console:
    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.said: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.answers.pop(0)

    def say(self, text: str) -> None:
        self.said.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.said)


def test_add_clinician_refuses_a_mismatch(db: ClinicDb) -> None:
    console = Console(PASSWORD, PASSWORD + "!")
    assert add_clinician(db, "Bea", console.ask, console.say) == 1
    assert "do not match" in console.text
    assert Accounts(db).names() == []


def test_add_clinician_refuses_a_short_password(db: ClinicDb) -> None:
    console = Console("short", "short")
    assert add_clinician(db, "Bea", console.ask, console.say) == 1
    assert "at least 8 characters" in console.text
    assert Accounts(db).names() == []


def test_add_clinician_adds_and_says_how_to_sign_in(db: ClinicDb, hasher: PasswordHasher) -> None:
    console = Console(PASSWORD, PASSWORD)
    assert add_clinician(db, "  Bea Ortiz ", console.ask, console.say) == 0
    assert len(console.prompts) == 2
    assert "Bea Ortiz" in console.text
    assert "hold the top-left corner for 3 seconds (or press Ctrl+Alt+S)" in console.text
    assert PASSWORD not in console.text
    assert Accounts(db, hasher).sign_in("Bea Ortiz", PASSWORD).ok


def test_add_clinician_refuses_a_taken_name_before_asking(db: ClinicDb, accounts: Accounts) -> None:
    accounts.add("Bea", PASSWORD)
    console = Console()
    assert add_clinician(db, "bea", console.ask, console.say) == 1
    assert console.prompts == []
    assert "already exists" in console.text


def test_add_clinician_can_be_cancelled(db: ClinicDb) -> None:
    def interrupted(prompt: str) -> str:
        raise KeyboardInterrupt

    said: list[str] = []
    assert add_clinician(db, "Bea", interrupted, said.append) == 1
    assert said == ["Cancelled. Nothing was changed."]


def test_list_and_remove_clinicians(db: ClinicDb, accounts: Accounts) -> None:
    said: list[str] = []
    assert list_clinicians(db, said.append) == 0
    assert said == ["No clinician accounts yet. Add one with: python -m kiosk add-clinician NAME"]
    accounts.add("Bea", PASSWORD)
    accounts.add("Adam", PASSWORD)
    said.clear()
    assert list_clinicians(db, said.append) == 0
    assert said == ["Adam", "Bea"]
    said.clear()
    assert remove_clinician(db, "Bea", said.append) == 0
    assert "Removed" in said[0]
    said.clear()
    assert remove_clinician(db, "Bea", said.append) == 1
    assert said == ["There is no clinician called 'Bea'."]
    assert accounts.names() == ["Adam"]


# ---------------------------------------------------------------- print queue


def test_print_queue(db: ClinicDb, clock: FakeClock) -> None:
    queue = PrintQueue(db)
    queue.add("DN-AAAA1111")
    clock.advance(seconds=1)
    queue.add("DN-BBBB2222")
    queue.add("DN-AAAA1111")  # already queued: no change
    assert queue.pending() == [("DN-AAAA1111", 0, None), ("DN-BBBB2222", 0, None)]
    queue.failed("DN-AAAA1111", "Printer 'front' is stopped")
    queue.failed("DN-AAAA1111", "Printer 'front' is not known to CUPS, or CUPS is not running")
    queue.failed("DN-CCCC3333", "Printer 'front' is stopped")  # never added: queued now
    assert queue.pending() == [
        ("DN-AAAA1111", 2, "Printer 'front' is not known to CUPS, or CUPS is not running"),
        ("DN-BBBB2222", 0, None),
        ("DN-CCCC3333", 1, "Printer 'front' is stopped"),
    ]
    queue.done("DN-AAAA1111")
    queue.done("DN-BBBB2222")
    assert queue.pending() == [("DN-CCCC3333", 1, "Printer 'front' is stopped")]
