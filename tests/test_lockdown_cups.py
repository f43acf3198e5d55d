"""packaging/debian/lockdown-cups.sh: with encryption at rest on, CUPS keeps no copy of
printed summaries (``PreserveJobFiles No``); otherwise cupsd.conf is left alone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "packaging" / "debian" / "lockdown-cups.sh"
CUPSD = """\
LogLevel warn
PreserveJobFiles 86400
Listen localhost:631
"""


def lock(tmp_path: Path, settings: str, cupsd: str = CUPSD) -> tuple[str, str]:
    toml = tmp_path / "kiosk.toml"
    toml.write_text(settings, encoding="utf-8")
    conf = tmp_path / "cupsd.conf"
    conf.write_text(cupsd, encoding="utf-8")
    done = subprocess.run(
        ["sh", str(SCRIPT), str(toml), str(conf)],
        env={"PATH": "/usr/bin:/bin"},  # no systemd here: CUPS is not reloaded
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return conf.read_text(encoding="utf-8"), done.stdout


@pytest.mark.parametrize(
    "settings", ['encryption_password = "s3cret-phrase"\n', "encryption_password = 'x y'\n"]
)
def test_with_encryption_cups_keeps_no_job_files(tmp_path: Path, settings: str) -> None:
    conf, said = lock(tmp_path, settings)
    assert "PreserveJobFiles 86400" not in conf
    assert conf.rstrip().endswith("PreserveJobFiles No")
    assert "LogLevel warn" in conf
    assert "Listen localhost:631" in conf
    assert "PreserveJobFiles No" in said
    again, said = lock(tmp_path, settings, conf)
    assert again == conf  # idempotent
    assert said == ""


@pytest.mark.parametrize(
    "settings",
    [
        "",
        '# encryption_password = "commented out"\n',
        'encryption_password = ""\n',
        'clinic_name = "No encryption_password = here"\n',
    ],
)
def test_without_encryption_cupsd_conf_is_untouched(tmp_path: Path, settings: str) -> None:
    conf, said = lock(tmp_path, settings)
    assert conf == CUPSD
    assert said == ""


def test_without_cups_it_does_nothing(tmp_path: Path) -> None:
    toml = tmp_path / "kiosk.toml"
    toml.write_text('encryption_password = "s3cret"\n', encoding="utf-8")
    done = subprocess.run(
        ["sh", str(SCRIPT), str(toml), str(tmp_path / "no-cups" / "cupsd.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "no-cups").exists()
