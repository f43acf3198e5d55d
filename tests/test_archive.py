"""The archive index: a row per summary written at save time, the content versions kept
beside the records, ``reindex``, and the schema migration that added them."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.app.archive import Archive, ArchiveIndex, IndexRow
from kiosk.app.audit import Audit
from kiosk.app.db import SCHEMA_VERSION, ClinicDb, ClinicDbError
from kiosk.app.retention import purge
from kiosk.app.summaries import SummaryEntry, SummaryFolderError, SummaryIndex
from kiosk.app.versions import ContentVersions, load_snapshot
from kiosk.cli import main
from kiosk.content.loader import load_content
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.domain.model import Content, Level
from kiosk.domain.record import Record
from kiosk.interop import fhir
from kiosk.saving import PdfSummaryWriter
from tests.old_schemas import V1_SCHEMA
from tests.test_clinic import NOW, make_record

PASSWORD = "correct horse battery staple"
OLD_TEXT = "Do you take a medicine that thins the blood?"
NEW_TEXT = "Are you taking any blood-thinning tablets or injections?"


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    return {
        "folder": tmp_path / "summaries",
        "data": tmp_path / "data",
        "spool": tmp_path / "data" / "spool",
        "db": tmp_path / "data" / "clinic.sqlite3",
    }


@pytest.fixture
def archives() -> Iterator[list[Archive]]:
    made: list[Archive] = []
    yield made
    for archive in made:
        archive.close()


def writer_for(
    places: dict[str, Path],
    content: Content,
    archives: list[Archive],
    content_dir: Path | None = None,
    password: str = "",
) -> PdfSummaryWriter:
    archive = Archive(places["db"], content, content_dir or bundled_content_dir(), password)
    archives.append(archive)
    return PdfSummaryWriter(places["folder"], "Clinic", places["spool"], password, archive)


def config_file(tmp_path: Path, places: dict[str, Path], **extra: str) -> Path:
    settings = {
        "output_dir": places["folder"],
        "data_dir": places["data"],
        "spool_dir": places["spool"],
        **extra,
    }
    path = tmp_path / "kiosk.toml"
    path.write_text("".join(f'{k} = "{v}"\n' for k, v in settings.items()), encoding="utf-8")
    path.chmod(0o600)
    return path


def shown(entries: list[SummaryEntry]) -> list[tuple[object, ...]]:
    """What the clinician's list shows of each entry."""
    return [
        (
            e.document_id,
            e.created,
            e.patient_name,
            e.date_of_birth,
            e.highest,
            e.flags,
            e.status,
            e.content_version,
            e.language,
            e.pdf.name,
        )
        for e in entries
    ]


def listed(places: dict[str, Path], content: Content, password: str = "") -> list[SummaryEntry]:
    with ClinicDb(places["db"]) as db:
        return SummaryIndex(db, places["folder"], content, password).entries()


def pdf_text(path: Path, password: str = "") -> str:
    reader = PdfReader(path)
    if password:
        assert reader.decrypt(password)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def delete_database(places: dict[str, Path]) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{places['db']}{suffix}").unlink(missing_ok=True)


def three_records(content: Content) -> list[Record]:
    return [
        make_record(content, "Zoë Ŝmith", NOW - dt.timedelta(hours=18)),
        make_record(
            content,
            "Ana Núñez",
            NOW - dt.timedelta(hours=2),
            {"unwell_today": "yes", "blood_thinner": "yes"},
        ),
        make_record(content, "Zoe Brown", NOW - dt.timedelta(minutes=30), {"blood_thinner": "yes"}),
    ]


# ---------------------------------------------------------------- the schema


def test_a_version_1_database_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SCHEMA)
        conn.execute(
            "INSERT INTO clinicians (name, hash, created) VALUES ('Bea Ortiz', 'h', '2026-11-01')"
        )
        conn.execute(
            "INSERT INTO summary_status (document_id, reviewed_by, reviewed_at) "
            "VALUES ('DN-OLD00001', 1, '2026-11-02T10:00:00+01:00')"
        )
    conn.close()
    row = IndexRow(
        document_id="DN-NEW00001",
        created=NOW,
        patient_name="Ana Núñez",
        date_of_birth=dt.date(1980, 1, 2),
        highest=Level.PRECAUTION,
        flags=2,
        content_version="2026.11.2",
        language="es",
        location="folder",
        file_name="20261127-100000-DN-NEW00001",
        file_mtime_ns=5,
    )
    with ClinicDb(path) as db:
        assert db.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        tables = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"summaries", "archive_meta", "clinicians", "summary_status"} <= tables
        assert [r["name"] for r in db.query("SELECT name FROM clinicians")] == ["Bea Ortiz"]
        assert db.query("SELECT reviewed_by FROM summary_status")[0][0] == 1
        ArchiveIndex(db).put(row)
    with ClinicDb(path) as db:  # opening a migrated file again changes nothing
        assert db.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        assert ArchiveIndex(db).rows() == [row]


# ---------------------------------------------------------------- at save time


def test_saving_writes_the_row_and_keeps_the_content_version(
    places: dict[str, Path],
    content: Content,
    archives: list[Archive],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writer = writer_for(places, content, archives)
    record = make_record(content, "Ana Núñez", NOW, {"blood_thinner": "yes"})
    saved = writer(content, record)

    (row,) = archives[0].index().rows()
    assert (row.document_id, row.created, row.patient_name, row.date_of_birth) == (
        record.document_id,
        record.authored,
        "Ana Núñez",
        dt.date(1980, 1, 2),
    )
    assert (row.highest, row.flags) == (Level.PRECAUTION, 1)
    assert (row.content_version, row.language) == (content.version, "en")
    assert (row.location, row.file_name) == ("folder", saved.pdf.stem)

    kept = places["folder"] / "questionnaires"
    version = content.version
    assert sorted(p.name for p in kept.iterdir()) == [f"{version}.content.json", f"{version}.json"]
    assert json.loads((kept / f"{version}.json").read_text()) == fhir.questionnaire(content)
    again = load_snapshot(kept / f"{version}.content.json")
    assert again.version == version
    assert again.questions == content.questions
    assert again.rules == content.rules
    stamps = [p.stat().st_mtime_ns for p in sorted(kept.iterdir())]
    writer(content, make_record(content, "Zoe Brown", NOW + dt.timedelta(minutes=1)))
    assert [p.stat().st_mtime_ns for p in sorted(kept.iterdir())] == stamps  # once per version

    def no_parsing(content: Content, data: object) -> Record:
        raise AssertionError("the list read a file although its row was written at save time")

    monkeypatch.setattr("kiosk.app.archive.parse_response", no_parsing)
    assert [e.patient_name for e in listed(places, content)] == ["Zoe Brown", "Ana Núñez"]


def test_if_the_row_cannot_be_written_the_saved_summary_is_not_lost(
    tmp_path: Path,
    places: dict[str, Path],
    content: Content,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(path: Path) -> ClinicDb:
        raise ClinicDbError(f"the clinic database {path} could not be used: disk I/O error")

    archive = Archive(places["db"], content, bundled_content_dir(), open_db=broken)
    writer = PdfSummaryWriter(places["folder"], "Clinic", places["spool"], archive=archive)
    record = make_record(content, "Xavière Quillfeather", NOW, {"blood_thinner": "yes"})
    with caplog.at_level(logging.INFO):
        saved = writer(content, record)  # the patient is told it worked: it did

    assert saved.pdf.is_file()
    assert saved.record.is_file()
    assert (places["folder"] / "questionnaires" / f"{content.version}.json").is_file()
    assert f"summary {record.document_id} saved but not indexed (ClinicDbError)" in caplog.text
    assert "Quillfeather" not in caplog.text
    # The list's next refresh reads the file that has no row, once, and adds it.
    assert not places["db"].exists()
    (entry,) = listed(places, content)
    assert (entry.document_id, entry.patient_name, entry.highest, entry.flags) == (
        record.document_id,
        "Xavière Quillfeather",
        Level.PRECAUTION,
        1,
    )
    with ClinicDb(places["db"]) as db:
        assert [r.document_id for r in ArchiveIndex(db).rows()] == [record.document_id]

    # reindex recovers it too, from the files alone.
    delete_database(places)
    capsys.readouterr()
    assert main(["--config", str(config_file(tmp_path, places)), "reindex"]) == 0
    assert "Indexed 1 summary: 1 in the output folder" in capsys.readouterr().out
    with ClinicDb(places["db"]) as db:
        (row,) = ArchiveIndex(db).rows()
    assert (row.document_id, row.patient_name, row.highest, row.flags, row.location) == (
        record.document_id,
        "Xavière Quillfeather",
        Level.PRECAUTION,
        1,
        "folder",
    )


def test_a_spooled_summary_keeps_its_row_when_it_moves_to_the_output_folder(
    tmp_path: Path, places: dict[str, Path], content: Content, archives: list[Archive]
) -> None:
    writer = writer_for(places, content, archives)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the output folder should be")
    writer.folder = blocked
    record = make_record(content, "Ana Núñez", NOW, {"blood_thinner": "yes"})
    saved = writer(content, record)
    assert writer.is_spooled(saved)
    (row,) = archives[0].index().rows()
    assert (row.document_id, row.location) == (record.document_id, "spool")
    assert listed(places, content) == []  # the list shows the output folder, as before

    writer.folder = places["folder"]
    assert writer.move_spooled() == 1
    (moved,) = archives[0].index().rows()
    assert moved.location == "folder"
    assert (moved.document_id, moved.file_name, moved.flags) == (row.document_id, row.file_name, 1)
    kept = places["folder"] / "questionnaires" / f"{content.version}.content.json"
    assert kept.read_bytes() == (places["spool"] / kept.relative_to(places["folder"])).read_bytes()
    (entry,) = listed(places, content)
    assert entry.document_id == record.document_id
    assert entry.pdf.parent == places["folder"]


def test_a_folder_that_cannot_be_listed_is_an_error_not_an_empty_list(
    places: dict[str, Path],
    content: Content,
    archives: list[Archive],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = make_record(content, "Ana Núñez", NOW)
    writer_for(places, content, archives)(content, record)
    real = os.scandir

    def refused(path: object) -> object:
        if Path(str(path)) == places["folder"]:
            raise PermissionError(13, "Permission denied")
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr("kiosk.app.storage.os.scandir", refused)
    with pytest.raises(SummaryFolderError, match="Permission denied"):
        listed(places, content)
    monkeypatch.undo()
    # The rows were not dropped for files that only could not be seen.
    assert [r.document_id for r in archives[0].index().rows()] == [record.document_id]


def test_retention_deletes_the_index_rows_with_the_files(
    places: dict[str, Path], content: Content, archives: list[Archive]
) -> None:
    writer = writer_for(places, content, archives)
    old = make_record(content, "Ana Núñez", NOW - dt.timedelta(days=40))
    recent = make_record(content, "Zoe Brown", NOW - dt.timedelta(days=2))
    writer(content, old)
    writer(content, recent)
    with ClinicDb(places["db"]) as db:
        assert purge(places["folder"], 30, Audit(db), NOW) == [old.document_id]
        rows = ArchiveIndex(db).rows()
        assert [r.document_id for r in rows] == [recent.document_id]
        assert "Núñez" not in " ".join(
            str(v) for r in db.query("SELECT * FROM summaries") for v in r
        )


# ---------------------------------------------------------------- content versions


def test_older_summaries_stay_listed_opened_and_rendered_after_a_content_version_bump(
    tmp_path: Path,
    places: dict[str, Path],
    content_copy: Path,
    archives: list[Archive],
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = load_content(content_copy, assets_dir())
    writer = writer_for(places, first, archives, content_copy)
    records = three_records(first)
    for record in records:
        writer(first, record)
    before = shown(listed(places, first))
    assert len(before) == 3
    archives[0].close()

    # The clinic rewords a question and bumps the version.
    manifest = content_copy / "manifest.toml"
    manifest.write_text(manifest.read_text().replace(first.version, "2099.1.1"))
    questions = content_copy / "questions.toml"
    assert OLD_TEXT in questions.read_text()
    questions.write_text(questions.read_text().replace(OLD_TEXT, NEW_TEXT))
    second = load_content(content_copy, assets_dir())
    assert second.version == "2099.1.1"
    newer = make_record(second, "Mo Reyes", NOW + dt.timedelta(minutes=5), {"blood_thinner": "yes"})
    writer_for(places, second, archives, content_copy)(second, newer)

    # Listed, with the flags of the version they were answered with.
    entries = listed(places, second)
    assert shown(entries[1:]) == before
    assert entries[0].document_id == newer.document_id
    assert entries[0].content_version == "2099.1.1"
    kept = sorted(p.name for p in (places["folder"] / "questionnaires").iterdir())
    assert kept == [
        f"{first.version}.content.json",
        f"{first.version}.json",
        "2099.1.1.content.json",
        "2099.1.1.json",
    ]

    # Opened: the viewer shows the saved PDF.
    older = next(e for e in entries if e.document_id == records[1].document_id)
    assert "Ana Núñez" in pdf_text(older.pdf)

    # Re-rendered by the kiosk that now has the new content, with the old wording.
    config = config_file(tmp_path, places, content_dir=str(content_copy))
    out = tmp_path / "again.pdf"
    assert main(["--config", str(config), "render", str(older.record), "-o", str(out)]) == 0
    text = pdf_text(out)
    assert "Ana Núñez" in text
    assert OLD_TEXT in text
    assert NEW_TEXT not in text
    assert first.version in text

    # The index rebuilt from the files reads each one against its own version.
    delete_database(places)
    capsys.readouterr()
    assert main(["--config", str(config), "reindex"]) == 0
    assert "Indexed 4 summaries: 4 in the output folder" in capsys.readouterr().out
    assert shown(listed(places, second)) == shown(entries)

    # What made it work: without the kept version, render refuses the response as before.
    (places["folder"] / "questionnaires").rename(tmp_path / "elsewhere")
    assert main(["--config", str(config), "render", str(older.record), "-o", str(out)]) == 2
    assert f"answered with content version {first.version}" in capsys.readouterr().err


# ---------------------------------------------------------------- reindex


@pytest.mark.parametrize("password", ["", PASSWORD], ids=["plain", "encrypted at rest"])
def test_reindex_rebuilds_the_list_after_the_database_is_deleted(
    tmp_path: Path,
    places: dict[str, Path],
    content: Content,
    archives: list[Archive],
    capsys: pytest.CaptureFixture[str],
    password: str,
) -> None:
    writer = writer_for(places, content, archives, password=password)
    first, second, spooled = three_records(content)
    writer(content, first)
    writer(content, second)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the output folder should be")
    writer.folder = blocked
    assert writer.is_spooled(writer(content, spooled))
    writer.folder = places["folder"]
    # A file that is not a readable summary, with a name in it.
    broken = places["folder"] / "20261127-093100-DN-BROKEN00.json"
    broken.write_text('{"contained": [{"name": [{"text": "Xavière Quillfeather"', encoding="utf-8")
    broken.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n")

    before = shown(listed(places, content, password))
    assert [e[0] for e in before] == [second.document_id, first.document_id]
    rows_before = archives[0].index().rows()
    assert {r.document_id: r.location for r in rows_before} == {
        first.document_id: "folder",
        second.document_id: "folder",
        spooled.document_id: "spool",
    }
    archives[0].close()
    delete_database(places)

    settings = {"encryption_password": password} if password else {}
    config = config_file(tmp_path, places, **settings)
    capsys.readouterr()
    assert main(["--config", str(config), "reindex"]) == 1  # one file could not be read
    out = capsys.readouterr().out
    assert "Indexed 3 summaries: 2 in the output folder" in out
    assert "1 in the spool folder" in out
    assert f"  {broken.name}: cannot be read (JSONDecodeError)" in out
    assert "Quillfeather" not in out

    assert shown(listed(places, content, password)) == before
    with ClinicDb(places["db"]) as db:
        rows = ArchiveIndex(db, password).rows()
        assert [(r.document_id, r.location) for r in rows] == [
            (r.document_id, r.location) for r in rows_before
        ]
        stored = " ".join(str(v) for r in db.query("SELECT * FROM summaries") for v in r)
    for name in ("Núñez", "Zoë", "Brown"):
        assert (name in stored) is not bool(password)  # sealed when encryption is on


def test_the_kiosk_saves_through_the_archive(
    tmp_path: Path,
    places: dict[str, Path],
    content: Content,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The composition root (``python -m kiosk``) hands the window a writer that indexes."""
    handed: list[PdfSummaryWriter] = []

    def fake_run_app(
        config: object, content: object, problems: object, writer: object, *_: object, **__: object
    ) -> int:
        assert isinstance(writer, PdfSummaryWriter)
        handed.append(writer)
        return 0

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr("kiosk.logs.setup_logging", lambda data_dir: data_dir)
    monkeypatch.setattr("kiosk.ui.app.run_app", fake_run_app)
    assert main(["--config", str(config_file(tmp_path, places))]) == 0
    (writer,) = handed
    assert isinstance(writer.archive, Archive)
    record = make_record(content, "Ana Núñez", NOW, {"blood_thinner": "yes"})
    try:
        writer(content, record)
        (row,) = writer.archive.index().rows()
    finally:
        writer.archive.close()
    assert (row.document_id, row.patient_name, row.flags) == (record.document_id, "Ana Núñez", 1)


def test_an_unusable_snapshot_is_reported_once_and_not_used(
    tmp_path: Path, content: Content, caplog: pytest.LogCaptureFixture
) -> None:
    kept = tmp_path / "questionnaires"
    kept.mkdir()
    snapshot = {
        "format": "dn-kiosk-content/1",
        "version": "1999.1",
        "files": {"manifest.toml": 'version = "1999.1"\nlanguage = "en"\n'},
    }
    (kept / "1999.1.content.json").write_text(json.dumps(snapshot))
    versions = ContentVersions(content, [tmp_path])
    with caplog.at_level(logging.WARNING):
        assert versions.get("1999.1") is None
        assert versions.get("1999.1") is None
        assert versions.get("../1999.1") is None  # never a path
    (warning,) = caplog.records
    assert "1999.1.content.json unusable: " in warning.getMessage()
    assert "questions.toml: file is missing" in warning.getMessage()
    assert versions.get(content.version) is content
