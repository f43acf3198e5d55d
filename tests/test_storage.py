"""Saving is atomic, names carry no personal data, and failures leave nothing half-written."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kiosk.app.config import Config, ConfigError, load_config
from kiosk.app.storage import SaveError, atomic_write, base_name, save_summary

CREATED = dt.datetime(2026, 11, 27, 14, 15, 2)


def test_base_name_is_time_and_id_only() -> None:
    assert base_name(CREATED, "DN-7K3QX2M9") == "20261127-141502-DN-7K3QX2M9"


def test_save_writes_both_files_and_no_temp_files(tmp_path: Path) -> None:
    saved = save_summary(tmp_path / "new" / "folder", "n1", b"%PDF-1.4 x", b"{}")
    assert saved.pdf.read_bytes() == b"%PDF-1.4 x"
    assert saved.record.read_bytes() == b"{}"
    assert sorted(p.name for p in saved.pdf.parent.iterdir()) == ["n1.json", "n1.pdf"]
    assert (saved.pdf.stat().st_mode & 0o777) == 0o600


def test_an_existing_summary_is_never_overwritten(tmp_path: Path) -> None:
    save_summary(tmp_path, "same", b"first", b"{1}")
    with pytest.raises(SaveError, match="already exists"):
        save_summary(tmp_path, "same", b"second", b"{2}")
    assert (tmp_path / "same.pdf").read_bytes() == b"first"
    assert (tmp_path / "same.json").read_bytes() == b"{1}"


def test_a_failed_write_leaves_no_partial_file_and_keeps_earlier_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_summary(tmp_path, "earlier", b"old pdf", b"old json")
    real_fsync = os.fsync
    calls = {"n": 0}

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # the PDF's data: the disk is full
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(SaveError, match="No space left on device"):
        save_summary(tmp_path, "later", b"new pdf", b"new json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier.json", "earlier.pdf"]
    assert (tmp_path / "earlier.pdf").read_bytes() == b"old pdf"


def test_an_unwritable_folder_is_a_save_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SaveError) as caught:
        save_summary(blocker / "sub", "x", b"a", b"b")
    assert "could not save" in str(caught.value)


def test_atomic_write_falls_back_to_rename_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    atomic_write(tmp_path / "a.pdf", b"data")
    assert (tmp_path / "a.pdf").read_bytes() == b"data"
    with pytest.raises(FileExistsError):
        atomic_write(tmp_path / "a.pdf", b"other")
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


# ---------------------------------------------------------------- config


def test_default_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    config = load_config(None)
    assert config.output_dir == tmp_path / "dn-kiosk" / "summaries"
    assert config.idle_seconds == 90
    assert config.countdown_seconds == 20
    assert config.done_seconds == 10


def test_config_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('clinic_name = "Riverside"\noutput_dir = "out"\nidle_seconds = 120\n')
    config = load_config(path)
    assert config.clinic_name == "Riverside"
    assert config.output_dir == tmp_path / "out"
    assert config.idle_seconds == 120


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("idle_second = 5", "idle_second: not a known setting"),
        ('idle_seconds = "90"', "idle_seconds: must be a whole number of seconds from 5 to 3600"),
        ("idle_seconds = 1", "idle_seconds: must be a whole number"),
        ("output_dir = 3", "output_dir: must be a folder path"),
        ("clinic_name = ", "not valid TOML"),
    ],
)
def test_config_problems_name_the_key(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert reason in str(caught.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_config_defaults_are_valid() -> None:
    Config()
