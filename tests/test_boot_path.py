"""Nothing heavy on the way to the welcome screen's first frame.

ReportLab (about 0.2 s to import), QtPdf and QtPdfWidgets (the clinician's viewer),
QtTextToSpeech (read-aloud) and the report package are needed only later: after the
first frame, when a patient signs, or in clinician mode. A module-level import of any of
them anywhere on the boot path would slow every start-up, so this test starts the kiosk
the way ``python -m kiosk`` does, in a fresh interpreter (this test process has long
imported everything), and lists what is imported when the welcome screen is first
painted. The start-up time itself is a benchmark (``python -m bench``), not a test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Imported after the first frame, or only when needed.
NOT_AT_BOOT = (
    "reportlab",
    "kiosk.report",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtTextToSpeech",
    # FHIR validation (about a second): the courier's thread, at the first delivery.
    "fhir.resources",
    "pydantic",
)


def test_the_welcome_screen_is_painted_before_reportlab_qtpdf_and_speech_load(
    tmp_path: Path,
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "boot.py"), "kiosk", "--data", str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["screen"] == "welcome", done.stderr[-2000:]
    modules = set(report["modules"])
    # The check can see imports: the window's own modules are there.
    assert {"PySide6.QtWidgets", "kiosk.ui.window", "kiosk.ui.screens"} <= modules
    loaded = sorted(
        m for m in modules if any(m == name or m.startswith(name + ".") for name in NOT_AT_BOOT)
    )
    assert not loaded, f"imported before the first frame: {loaded}"
