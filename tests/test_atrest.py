"""Encryption at rest: with a password, no summary or response is on disk in the clear."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.app.atrest import (
    SealedError,
    decrypt_pdf,
    encrypt_pdf,
    is_sealed,
    open_json,
    seal_json,
)
from kiosk.app.db import ClinicDb
from kiosk.app.summaries import SummaryIndex
from kiosk.domain.model import Content
from kiosk.interop import fhir
from kiosk.saving import PdfSummaryWriter, render_record
from tests.test_fhir import full_record

PASSWORD = "correct horse battery staple"
NAME = "Ottoline Encryptova"


def test_seal_and_open() -> None:
    plain = json.dumps({"name": NAME}).encode()
    sealed = seal_json(plain, PASSWORD)
    assert is_sealed(sealed)
    assert NAME.encode() not in sealed
    assert open_json(sealed, PASSWORD) == plain
    assert open_json(plain, "") == plain  # plain files pass through
    with pytest.raises(SealedError, match="does not open"):
        open_json(sealed, "wrong password here")
    with pytest.raises(SealedError, match="no encryption_password"):
        open_json(sealed, "")
    damaged = sealed.replace(b'"nonce": "', b'"nonce": "AAAA', 1)
    with pytest.raises(SealedError):
        open_json(damaged, PASSWORD)


def test_writer_encrypts_everything_it_saves(content: Content, tmp_path: Path) -> None:
    record = full_record(content, name=NAME)
    writer = PdfSummaryWriter(
        tmp_path / "out", "Clinic", spool=tmp_path / "spool", password=PASSWORD
    )
    saved = writer(content, record)
    for path in (tmp_path / "out").iterdir():
        raw = path.read_bytes()
        assert NAME.encode() not in raw, path.name
        assert "Encryptova".encode("utf-16-be") not in raw
    reader = PdfReader(saved.pdf)
    assert reader.is_encrypted
    assert reader.decrypt(PASSWORD)
    assert NAME in reader.pages[0].extract_text()
    plain_pdf = decrypt_pdf(saved.pdf.read_bytes(), PASSWORD)
    assert not PdfReader(io.BytesIO(plain_pdf)).is_encrypted
    response = json.loads(open_json(saved.record.read_bytes(), PASSWORD))
    assert fhir.parse_response(content, response).identity.name == NAME


def test_the_clinician_list_opens_sealed_records_only_with_the_password(
    content: Content, tmp_path: Path
) -> None:
    record = full_record(content, name=NAME)
    PdfSummaryWriter(tmp_path / "out", "Clinic", password=PASSWORD)(content, record)
    with ClinicDb(tmp_path / "clinic.sqlite3", clock=lambda: record.authored) as db:
        assert [
            e.patient_name for e in SummaryIndex(db, tmp_path / "out", content, PASSWORD).entries()
        ] == [NAME]
        assert SummaryIndex(db, tmp_path / "out", content).entries() == []


def test_render_reads_a_sealed_response_and_writes_an_encrypted_pdf(
    content: Content, tmp_path: Path
) -> None:
    from kiosk.cli import main

    record = full_record(content, name=NAME)
    saved = PdfSummaryWriter(tmp_path / "out", "Clinic", password=PASSWORD)(content, record)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'encryption_password = "{PASSWORD}"\n')
    config.chmod(0o600)
    out = tmp_path / "again.pdf"
    assert main(["--config", str(config), "render", str(saved.record), "-o", str(out)]) == 0
    reader = PdfReader(out)
    assert reader.is_encrypted
    assert reader.decrypt(PASSWORD)


def test_encrypt_pdf_round_trip(content: Content) -> None:
    pdf = render_record(content, full_record(content, name=NAME), "Clinic")
    locked = encrypt_pdf(pdf, PASSWORD)
    assert PdfReader(io.BytesIO(locked)).is_encrypted
    assert decrypt_pdf(locked, PASSWORD)[:5] == b"%PDF-"
    with pytest.raises(SealedError):
        decrypt_pdf(locked, "not the password")


def test_printing_sends_a_clear_copy_that_does_not_stay(content: Content, tmp_path: Path) -> None:
    from kiosk.app.accounts import Accounts
    from kiosk.app.audit import Audit
    from kiosk.app.clinic import ClinicServices
    from kiosk.app.printing import PrintResult
    from kiosk.app.queue import PrintQueue

    record = full_record(content, name=NAME)
    saved = PdfSummaryWriter(tmp_path / "out", "Clinic", password=PASSWORD)(content, record)
    seen: list[Path] = []

    def printer(pdf: Path, title: str) -> PrintResult:
        seen.append(pdf)
        assert not PdfReader(pdf).is_encrypted  # CUPS would print an encrypted PDF blank
        assert title == record.document_id
        return PrintResult(True, "sent", "PDF-1")

    with ClinicDb(tmp_path / "clinic.sqlite3") as db:
        services = ClinicServices(
            db=db,
            accounts=Accounts(db),
            audit=Audit(db),
            index=SummaryIndex(db, tmp_path / "out", content, PASSWORD),
            queue=PrintQueue(db),
            folder=tmp_path / "out",
            print_file=printer,
            pdf_password=PASSWORD,
        )
        assert services.send_to_printer(saved.pdf, record.document_id).ok
    assert len(seen) == 1
    assert not seen[0].exists()
