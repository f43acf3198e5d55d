"""``dn-kiosk review``: two kiosks (two data folders) deliver to one FHIR server (Medplum's
engine); a desk with its own clinician accounts lists both kiosks' summaries from the
server, newest first and searchable by name, opens one (its PDF fetched and checked
against its hash), marks it reviewed (a Task on the server, seen by every desk) and
prints it through the same path as a kiosk.

``DN_KIOSK_REVIEW_SCREENSHOT=docs/screenshots/review-two-kiosks.png`` saves the list as
the documentation shows it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication

from kiosk.app.accounts import Accounts
from kiosk.app.config import Config
from kiosk.app.fhir_http import FhirClient
from kiosk.app.printing import PrintResult
from kiosk.app.review import ServerSummaries, open_review
from kiosk.domain.model import Content
from kiosk.tools.journey import find_button, settle, tap, type_into
from kiosk.ui.app import apply_look
from kiosk.ui.clinician import ListPage, SignInPage, ViewerPage
from kiosk.ui.review import ReviewWindow
from tests.fhir_engine import FhirEngine, start_engine
from tests.test_fhir_delivery import Kiosk, ids

CLINICIAN = "Dr Ada Quist"
PASSWORD = "correct horse battery"


@pytest.fixture
def engine() -> Iterator[FhirEngine]:
    server = start_engine()
    yield server
    server.stop()


def kiosk_at(folder: Path, content: Content) -> Kiosk:
    return Kiosk(
        {
            "folder": folder / "summaries",
            "spool": folder / "data" / "spool",
            "db": folder / "data" / "clinic.sqlite3",
        },
        content,
    )


@pytest.fixture
def desk(tmp_path: Path, engine: FhirEngine, content: Content, qtbot) -> Iterator[ReviewWindow]:
    config = Config(
        output_dir=tmp_path / "desk" / "unused",
        data_dir=tmp_path / "desk" / "data",
        fhir_base_url=engine.base,
    )
    services = open_review(config, content)
    Accounts(services.db, hasher=PasswordHasher(time_cost=1, memory_cost=8192)).add(
        CLINICIAN, PASSWORD
    )
    printed: list[tuple[bytes, str]] = []

    def printer(pdf: Path, title: str) -> PrintResult:
        printed.append((pdf.read_bytes(), title))
        return PrintResult(True, "printed", "PDF-1")

    services.print_file = printer
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_look(app)
    window = ReviewWindow(services)
    window.printed = printed  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    assert isinstance(services.index, ServerSummaries)
    services.index.close()
    services.db.close()


def sign_in(window: ReviewWindow) -> ListPage:
    mode = window.mode
    assert mode is not None
    page = mode.page
    assert isinstance(page, SignInPage)
    tap(find_button(mode, f"Sign in as {CLINICIAN}"))
    type_into(page.password, PASSWORD)
    tap(page.submit)
    listing = mode.page
    assert isinstance(listing, ListPage)
    tap(listing.all)
    return listing


def test_a_desk_reviews_summaries_from_two_kiosks(
    tmp_path: Path, content: Content, engine: FhirEngine, desk: ReviewWindow, qtbot
) -> None:
    front, back = kiosk_at(tmp_path / "front", content), kiosk_at(tmp_path / "back", content)
    try:
        from_front = front.save(3)
        from_back = back.save(2, start=3)  # other patients, a little later
        for kiosk in (front, back):
            kiosk.run(kiosk.courier(FhirClient(engine.base)))
    finally:
        front.close()
        back.close()
    everyone = from_front + from_back

    listing = sign_in(desk)
    assert [e.document_id for e in listing.entries] == ids(everyone)[::-1]  # newest first
    names = [listing.table.item(r, 1).text() for r in range(listing.table.rowCount())]  # type: ignore[union-attr]
    assert names == ["Li Wei", "Kofi Mensah", "Zoe Brown", "Ana Núñez", "Zoë Ŝmith"]
    flags = listing.table.item(1, 2)  # the odd ones answered yes to a blood thinner
    assert flags is not None
    assert flags.text().startswith("PRECAUTION")
    sent = listing.table.item(0, 5)
    assert sent is not None
    assert sent.text()  # when the server stored it
    if os.environ.get("DN_KIOSK_REVIEW_SCREENSHOT"):
        settle()
        desk.grab().save(os.environ["DN_KIOSK_REVIEW_SCREENSHOT"])
    type_into(listing.search, "zoe")  # accents and case do not matter
    assert sorted(e.patient_name for e in listing.entries) == ["Zoe Brown", "Zoë Ŝmith"]
    listing.search.clear()
    type_into(listing.search, "27/11/2026")  # the day they signed
    assert len(listing.entries) == 5
    listing.search.clear()
    type_into(listing.search, "1980-01-02")  # a date of birth (all of them, here)
    assert len(listing.entries) == 5
    listing.search.clear()
    type_into(listing.search, "2026-11-28")
    assert listing.entries == []
    listing.search.clear()

    mode = desk.mode
    assert mode is not None
    row = [e.document_id for e in listing.entries].index(ids(from_back)[0])
    listing.table.cellClicked.emit(row, 1)
    settle()
    viewer = mode.page
    assert isinstance(viewer, ViewerPage)
    assert viewer.page_count >= 2
    fetched = viewer.entry.pdf
    assert fetched.read_bytes() == from_back[0].pdf.read_bytes()
    assert fetched.parent.stat().st_mode & 0o077 == 0  # a private folder
    tap(viewer.review)
    assert f"reviewed by {CLINICIAN}" in viewer.status.text()
    (task,) = engine.search("Task")
    assert task["status"] == "completed"
    assert task["owner"] == {"display": CLINICIAN}
    (response,) = [
        r
        for r in engine.search("QuestionnaireResponse")
        if r["identifier"]["value"] == ids(from_back)[0]
    ]
    assert task["focus"] == {"reference": f"QuestionnaireResponse/{response['id']}"}
    with qtbot.waitSignal(mode.print_finished, timeout=10_000):
        tap(viewer.print_button)
    assert desk.printed == [(from_back[0].pdf.read_bytes(), ids(from_back)[0])]  # type: ignore[attr-defined]
    tap(find_button(viewer, "Back to the list"))
    back_to = mode.page
    assert isinstance(back_to, ListPage)
    status = {e.document_id: e.status for e in back_to.entries}
    assert status[ids(from_back)[0]] == "printed"
    assert [s for d, s in status.items() if d != ids(from_back)[0]] == ["new"] * 4
    # Signing out comes back to the sign-in, not to a patient.
    mode.sign_out()
    settle()
    assert isinstance(desk.mode.page, SignInPage)  # type: ignore[union-attr]
    actions = [r.action for r in mode.services.audit.rows()]  # type: ignore[union-attr]
    assert actions == ["sign-in", "view", "mark-reviewed", "print", "sign-out"]


def test_a_server_that_cannot_be_read_is_said_in_the_list(
    tmp_path: Path, content: Content, desk: ReviewWindow, engine: FhirEngine
) -> None:
    engine.stop()
    listing = sign_in(desk)
    assert listing.entries == []
    assert listing.queue_banner.isVisible()
    assert listing.queue_text.text().startswith(
        "The clinic's FHIR server cannot be read: the connection was refused"
    )
    desk.mode.sign_out()  # type: ignore[union-attr]
    settle()


def test_review_without_a_server_says_what_to_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    settings = tmp_path / "kiosk.toml"
    settings.write_text(f'data_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    assert main(["--config", str(settings), "review"]) == 2
    assert capsys.readouterr().err == (
        "review reads the FHIR server: set fhir_base_url in the settings\n"
    )
