"""The frozen build (PyInstaller, one folder) does what the venv does.

Slow on purpose (marked ``frozen``: a build takes about a minute and a half on two busy
cores): it builds ``packaging/dn-kiosk.spec`` into ``tmp_path`` and runs the frozen
``dn-kiosk`` from a folder outside the checkout, with none of the checkout's Python on
its path: ``validate-content``, ``render`` of a saved response (the PDF's text compared
with the venv's and with the golden text), the read-aloud host started as ``dn-kiosk
speech-host`` (what the kiosk itself does when frozen), and the kiosk offscreen.

The build is the ``frozen_folder`` fixture (tests/frozen_build.py, shared with
tests/test_deb.py): which PyInstaller it uses, when it skips and when it fails are said
there.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.frozen

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
CASE = "three-flags"
KIOSK_SECONDS = 5.0


@dataclass(frozen=True)
class Frozen:
    folder: Path
    program: Path
    env: dict[str, str]
    cwd: Path
    config: Path

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.program), *args],
            cwd=self.cwd,
            env=self.env,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def clean_env(home: Path) -> dict[str, str]:
    """No PYTHONPATH or venv: the frozen program must bring everything itself."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def write_config(folder: Path, work: Path) -> Path:
    config = folder / "kiosk.toml"
    # The clinic name the golden texts were made with, so a whole text can be compared.
    config.write_text(
        'clinic_name = "Golden Clinic"\n'
        f"output_dir = '{work / 'summaries'}'\n"
        f"data_dir = '{work / 'data'}'\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory, frozen_folder: Path) -> Frozen:
    work = tmp_path_factory.mktemp("frozen")
    folder = frozen_folder
    program = folder / "dn-kiosk"
    assert program.is_file(), f"no dn-kiosk in {folder}"
    cwd = work / "elsewhere"
    cwd.mkdir()
    return Frozen(folder, program, clean_env(work / "home"), cwd, write_config(cwd, work))


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return "".join(
        f"=== page {i} ===\n{page.extract_text()}\n" for i, page in enumerate(reader.pages, 1)
    )


def test_validate_content_reads_the_bundled_content(frozen: Frozen) -> None:
    done = frozen.run("validate-content")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is valid" in done.stdout
    checked = Path(done.stdout.split(":")[0]).resolve()  # "<folder>: content version ..."
    assert checked.is_relative_to(frozen.folder.resolve()), done.stdout
    venv = subprocess.run(
        [sys.executable, "-m", "kiosk", "validate-content"],
        capture_output=True,
        text=True,
        check=False,
    )
    # The same sentence after the folder's name.
    assert done.stdout.split(":", 1)[1] == venv.stdout.split(":", 1)[1]


@pytest.mark.parametrize("patient_copy", [False, True], ids=["clinician", "patient-copy"])
def test_render_gives_the_same_pdf_text_as_the_venv(
    frozen: Frozen, tmp_path: Path, patient_copy: bool
) -> None:
    response = DATA / f"{CASE}.response.json"
    extra = ["--patient-copy"] if patient_copy else []
    out = tmp_path / "frozen.pdf"
    args = ["--config", str(frozen.config), "render", str(response)]
    done = frozen.run(*args, "-o", str(out), *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    venv_out = tmp_path / "venv.pdf"
    venv = subprocess.run(
        [sys.executable, "-m", "kiosk", *args, "-o", str(venv_out), *extra],
        env={**os.environ, "HOME": frozen.env["HOME"]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert venv.returncode == 0, venv.stdout + venv.stderr
    assert pdf_text(out) == pdf_text(venv_out)
    if not patient_copy:
        assert pdf_text(out) == (DATA / f"{CASE}.expected.txt").read_text(encoding="utf-8")


def test_the_speech_host_runs_from_the_frozen_program(frozen: Frozen) -> None:
    """What ReadAloud starts when frozen: the same first message as the venv's host."""
    quit_now = json.dumps({"cmd": "quit"}) + "\n"
    done = frozen.run("speech-host", "--languages", "en,es,ar", stdin=quit_now)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    first = json.loads(done.stdout.splitlines()[0])
    venv = subprocess.run(
        [sys.executable, "-m", "kiosk.ui.speech.host", "--languages", "en,es,ar"],
        input=quit_now,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert first == json.loads(venv.stdout.splitlines()[0])
    assert first["event"] == "voices"


def test_qtpdf_and_the_speech_plugins_are_in_the_bundle(frozen: Frozen) -> None:
    internal = frozen.folder / "_internal"
    names = {p.name for p in internal.rglob("*")}
    assert any(n.startswith("libQt6Pdf.so") for n in names), "QtPdf's library is missing"
    assert any(n.startswith("QtPdf.") and n.endswith(".so") for n in names), "PySide6.QtPdf"
    assert any(n.startswith("QtTextToSpeech.") for n in names), "PySide6.QtTextToSpeech"
    assert any("texttospeech" in str(p) for p in internal.rglob("*speechd*")), "speechd plugin"


def test_the_kiosk_starts_offscreen(frozen: Frozen) -> None:
    with subprocess.Popen(
        [str(frozen.program), "--config", str(frozen.config)],
        cwd=frozen.cwd,
        env=frozen.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as kiosk:
        try:
            time.sleep(KIOSK_SECONDS)
            still_running = kiosk.poll() is None
            kiosk.send_signal(signal.SIGTERM)
            _, stderr = kiosk.communicate(timeout=30)
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
                kiosk.wait()
    assert still_running, f"the kiosk exited with {kiosk.returncode}:\n{stderr}"
    assert "Traceback" not in stderr, stderr
    assert "kiosk started" in stderr, f"the window never came up:\n{stderr}"
    errors = [line for line in stderr.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert not errors, stderr


def test_the_bundle_carries_no_test_tools(frozen: Frozen) -> None:
    internal = frozen.folder / "_internal"
    for tool in ("pytest", "hypothesis", "mypy"):
        assert not (internal / tool).exists(), tool
