"""ClinicServices (kiosk.app.clinic): the one place that picks how a PDF reaches the printer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.accounts import Accounts
from kiosk.app.audit import Audit
from kiosk.app.clinic import ClinicServices
from kiosk.app.db import ClinicDb
from kiosk.app.printing import PrintResult
from kiosk.app.queue import PrintQueue
from kiosk.app.summaries import SummaryIndex
from kiosk.domain.model import Content


@pytest.fixture
def services(content: Content, tmp_path: Path) -> Iterator[ClinicServices]:
    with ClinicDb(tmp_path / "clinic.sqlite3") as db:
        yield ClinicServices(
            db=db,
            accounts=Accounts(db),
            audit=Audit(db),
            index=SummaryIndex(db, tmp_path, content),
            queue=PrintQueue(db),
            folder=tmp_path,
            printer="Reception",
        )


def test_without_a_test_printer_a_plain_pdf_goes_to_cups_on_the_clinics_printer(
    services: ClinicServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path, str, str | None]] = []

    def fake_print_pdf(pdf: Path, title: str, printer: str | None = None) -> PrintResult:
        calls.append((pdf, title, printer))
        return PrintResult(True, "sent", "Reception-7")

    monkeypatch.setattr("kiosk.app.printing.print_pdf", fake_print_pdf)
    pdf = tmp_path / "copy.pdf"
    assert services.print_plain(pdf, "DN-1").ok
    assert services.send_to_printer(pdf, "DN-2").ok  # not encrypted: the same way
    assert calls == [(pdf, "DN-1", "Reception"), (pdf, "DN-2", "Reception")]


def test_a_given_print_file_replaces_cups(
    services: ClinicServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_cups(*_args: object) -> PrintResult:
        raise AssertionError("CUPS must not be used when print_file is given")

    monkeypatch.setattr("kiosk.app.printing.print_pdf", no_cups)
    seen: list[str] = []

    def printer(pdf: Path, title: str) -> PrintResult:
        seen.append(title)
        return PrintResult(False, "out of paper", None)

    services.print_file = printer
    result = services.print_plain(tmp_path / "copy.pdf", "DN-3")
    assert (result.ok, result.message, seen) == (False, "out of paper", ["DN-3"])
