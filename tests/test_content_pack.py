"""A clinic's own content folder that is older than the shipped content is said to staff,
with what changed in the rules (kiosk.app.content_pack), on the summaries list."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kiosk.app.accounts import Accounts
from kiosk.app.audit import Audit
from kiosk.app.clinic import ClinicServices
from kiosk.app.config import Config
from kiosk.app.content_pack import (
    content_notice,
    older_content_notice,
    rule_changes,
    version_key,
)
from kiosk.app.db import ClinicDb
from kiosk.app.queue import PrintQueue
from kiosk.app.summaries import SummaryIndex
from kiosk.content.loader import load_content
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.domain.model import Content, Level
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, find_button, settle, tap, type_into
from kiosk.ui.app import create_window
from kiosk.ui.clinician import ClinicianMode, ListPage

CLINICIAN = "Dr Ada Quist"
PASSWORD = "correct horse battery"


def older(content: Content, version: str = "2000.1.1") -> Content:
    return dataclasses.replace(content, version=version)


@pytest.mark.parametrize(
    ("version", "key"),
    [("2026.11.3", (2026, 11, 3)), ("7", (7,)), (" 1.2 ", (1, 2)), ("clinic-b", None), ("", None)],
)
def test_version_key(version: str, key: tuple[int, ...] | None) -> None:
    assert version_key(version) == key


def test_versions_compare_as_numbers_not_text() -> None:
    assert version_key("2026.9.1") < version_key("2026.11.0")  # type: ignore[operator]


def test_the_same_or_a_newer_clinic_version_says_nothing(content: Content) -> None:
    assert older_content_notice(content, content) == ""
    assert older_content_notice(older(content, "9999.1"), content) == ""
    assert older_content_notice(older(content, "clinic-b"), content) == ""


def test_an_older_version_says_both_versions_and_the_rule_changes(content: Content) -> None:
    first, second, *rest = content.rules
    changed = dataclasses.replace(second, level=Level.NOTE, message="An old wording.")
    extra = dataclasses.replace(first, id="clinic_only_rule")
    clinic = dataclasses.replace(older(content), rules=(changed, extra, *rest))
    notice = older_content_notice(clinic, content)
    assert f"(version 2000.1.1) is older than this kiosk's (version {content.version})" in notice
    assert f"New rules: {first.id}." in notice
    assert "Rules no longer shipped: clinic_only_rule." in notice
    assert f"Rules changed: {second.id}." in notice
    changes = rule_changes(clinic.rules, content.rules)
    assert changes.added == (first.id,)
    assert changes.removed == ("clinic_only_rule",)
    assert changes.changed == (second.id,)


def test_an_older_version_with_the_same_rules_says_so(content: Content) -> None:
    notice = older_content_notice(older(content), content)
    assert "The rules are the same" in notice
    assert not rule_changes(content.rules, content.rules)


def test_the_bundled_folder_itself_is_never_older(content: Content) -> None:
    assert content_notice(bundled_content_dir(), content) == ""


def test_a_clinic_folder_on_disk(content_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    """An edited copy left from an earlier release: an older version, one rule missing."""
    manifest = content_copy / "manifest.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(
        re.sub(r'^version = ".*"$', 'version = "2020.1.1"', text, flags=re.M), encoding="utf-8"
    )
    clinic = load_content(content_copy, assets_dir())
    missing = clinic.rules[0].id
    clinic = dataclasses.replace(clinic, rules=clinic.rules[1:])
    notice = content_notice(content_copy, clinic)
    assert "The clinic's content (version 2020.1.1) is older" in notice
    assert f"New rules: {missing}." in notice
    assert "is older than this kiosk's" in caplog.text  # logged for whoever reads the journal


@pytest.fixture
def db(tmp_path: Path):
    db = ClinicDb(tmp_path / "data" / "clinic.sqlite3")
    yield db
    db.close()


def test_staff_see_it_on_the_summaries_list(
    qtbot, config: Config, content: Content, db: ClinicDb
) -> None:
    notice = older_content_notice(older(content), content)
    accounts = Accounts(db, hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    accounts.add(CLINICIAN, PASSWORD)
    services = ClinicServices(
        db=db,
        accounts=accounts,
        audit=Audit(db),
        index=SummaryIndex(db, config.output_dir, content),
        queue=PrintQueue(db),
        folder=config.output_dir,
        content_notice=notice,
    )
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name), services
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.gesture.triggered.emit()  # the staff gesture
    settle()
    mode = current(win)
    assert isinstance(mode, ClinicianMode)
    tap(find_button(mode, f"Sign in as {CLINICIAN}"))
    type_into(mode.page.password, PASSWORD)  # type: ignore[union-attr]
    tap(mode.page.submit)  # type: ignore[union-attr]
    listing = mode.page
    assert isinstance(listing, ListPage)
    assert listing.queue_banner.isVisible()
    assert notice in listing.queue_text.text()
    assert not listing.retry_printing.isVisible()  # not a printing problem
    mode.sign_out()
