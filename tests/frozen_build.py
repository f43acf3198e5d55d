"""The frozen build the slow tests share (tests/test_frozen.py, tests/test_deb.py).

Which PyInstaller: ``DN_KIOSK_PYINSTALLER`` (a ``pyinstaller`` program, say from a
separate build venv), else the one importable by the interpreter running the tests.
Without either the tests skip with that reason, except on CI (``CI=true``), where they
fail: ``./run-tests.sh`` installs PyInstaller there (scripts/setup-build-tools.sh).
``DN_KIOSK_FROZEN`` names a folder already built from packaging/dn-kiosk.spec
(``.../dist/dn-kiosk``) to test instead of building one.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "dn-kiosk.spec"


def pyinstaller_command() -> list[str] | None:
    """How to run PyInstaller here, or None."""
    given = os.environ.get("DN_KIOSK_PYINSTALLER", "")
    if given:
        return [given]
    if importlib.util.find_spec("PyInstaller") is not None:
        return [sys.executable, "-m", "PyInstaller"]
    return None


def missing(reason: str) -> None:
    """Skip, or fail on CI, where the frozen build must be tested."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must test the frozen build: scripts/setup-build-tools.sh)")
    pytest.skip(reason)


def build(out: Path) -> Path:
    """Build the spec into ``out``; the folder with the ``dn-kiosk`` program."""
    command = pyinstaller_command()
    if command is None:
        missing(
            "PyInstaller is not installed (pip install 'pyinstaller>=6,<7', or set "
            "DN_KIOSK_PYINSTALLER to a pyinstaller program)"
        )
        raise AssertionError("unreachable")
    started = time.monotonic()
    done = subprocess.run(
        [
            *command,
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
            str(SPEC),
        ],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, f"PyInstaller failed:\n{done.stdout}\n{done.stderr[-6000:]}"
    print(f"frozen build: {time.monotonic() - started:.0f} s")  # noqa: T201 (shown with -s)
    return out / "dist" / "dn-kiosk"


def frozen_folder(work: Path) -> Path:
    """``DN_KIOSK_FROZEN``, or a new build under ``work``."""
    given = os.environ.get("DN_KIOSK_FROZEN", "")
    return Path(given) if given else build(work)
