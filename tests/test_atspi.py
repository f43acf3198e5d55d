"""The kiosk as a screen reader, a switch or voice control meets it: through AT-SPI.

Each test starts the kiosk on an Xvfb screen with the accessibility bus on
(``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``; offscreen, Qt never registers there), inside
its own D-Bus session, and drives it with ``tests/atspi_driver.py`` under Debian's
Python (pyatspi is a Debian package). The driver finds controls by accessible name and
acts with AT-SPI actions only. These tests need ``xvfb``, ``at-spi2-core``, ``dbus`` and
``python3-pyatspi`` (``scripts/setup-atspi.sh`` installs them as root, and
``./run-tests.sh`` runs it): they skip without them, and fail on CI (CI=true).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain.model import Content
from kiosk.tools.xvfb import xvfb_screen

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = "/usr/bin/python3"


def _missing() -> str:
    for tool in ("Xvfb", "dbus-run-session"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is missing"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        return "python3-pyatspi is not installed"
    return ""


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """An Xvfb screen of the kiosk's size: skip without the tools, fail on CI."""
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must test AT-SPI: run scripts/setup-atspi.sh as root)")
        pytest.skip(f"{reason}; run scripts/setup-atspi.sh as root to set it up")
    with xvfb_screen() as screen:
        if screen is None:
            pytest.fail("Xvfb did not start")
        yield screen


def words_of(content: Content, language: str) -> dict[str, str]:
    """The accessible names the driver looks for, in ``language``."""
    t = content.for_language(language).text
    dob = t("identity.dob")
    return {
        "name": t("identity.name"),
        "day": f"{dob}: {t('identity.day')}",
        "year": f"{dob}: {t('identity.year')}",
        "month_more": t("date.more", part=t("identity.month")),
        "unsure": t("answer.unsure"),
        "talk_first": t("consent.talk_first"),
        "confirm": t("withhold.confirm"),
        "done": t("done.withheld.title"),
        "next": t("nav.next"),
        "review_continue": t("review.continue"),
    }


def drive(
    display: str, tmp_path: Path, language: str, content: Content
) -> dict[str, dict[str, object]]:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'output_dir = "{tmp_path / "out"}"\ndata_dir = "{tmp_path / "data"}"\n',
        encoding="utf-8",
    )
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS")
        },
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
    }
    result = subprocess.run(
        [
            "dbus-run-session",
            "--",
            SYSTEM_PYTHON,
            str(ROOT / "tests" / "atspi_driver.py"),
            language,
            json.dumps(words_of(content, language)),
            "--",
            sys.executable,
            str(ROOT / "main.py"),
            "--config",
            str(config),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=ROOT,
    )
    steps = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            fact = json.loads(line)
            steps[fact.pop("step")] = fact
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return steps


@pytest.mark.parametrize(
    ("language", "start", "progress"),
    [("en", "Start", "Step 1 of"), ("es", "Empezar", "Paso 1 de"), ("ar", "البدء", "1")],
)
def test_language_check_and_announcement_through_atspi_alone(
    display: str, tmp_path: Path, content: Content, language: str, start: str, progress: str
) -> None:
    """Issue 17: the language chosen by AT-SPI's Toggle switches the kiosk (and unticks
    English); the first screen is announced with its progress; a check answer toggled
    through AT-SPI enables Next."""
    steps = drive(display, tmp_path, language, content)
    assert steps["language"]["start"] == start
    assert steps["language"]["english_checked"] is (language == "en")
    announced = steps["first screen"]["announced"]
    assert isinstance(announced, list)
    assert announced, "the first screen was not announced"
    assert progress in announced[0]
    assert steps["check"] == {"next_enabled_before": False, "next_enabled_after": True}
    # ...and on to the end, saved: the clinician's PDF is in the output folder.
    assert steps["journey"]["done"] is True
    assert list((tmp_path / "out").glob("*.pdf")), "no summary PDF was saved"
