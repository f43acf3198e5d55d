"""The kiosk as a clinic installs it: a wheel in a fresh virtual environment, no checkout.

Slow on purpose (marked ``install``, about 20 s): it builds the wheel from
``pyproject.toml`` with pip (build isolation fetches setuptools from PyPI, as any
``pip wheel .`` does), creates a virtual environment under ``tmp_path``, installs the
wheel there and runs the installed ``dn-kiosk`` from a folder outside the checkout:
``validate-content``, ``render`` of a saved response, and the kiosk itself offscreen.
Anything the package finds through the repository layout instead of through its own
files (fonts, drawings, stylesheet, content) fails here and nowhere else, because every
other test imports ``kiosk`` from the checkout.

Qt and the other dependencies are not downloaded again: the wheel is installed with
``--no-deps``, and a ``.pth`` file lends the new environment the site-packages of the
interpreter running the tests. That folder may hold the checkout's editable install,
but a ``.pth`` line only adds a folder to ``sys.path``; the ``.pth`` files inside it (the
editable finder) are not run, and the new environment's own site-packages comes first.
``test_kiosk_is_imported_from_the_new_environment`` proves where ``kiosk`` comes from.

It runs with every other test (``./run-tests.sh``; CI has PyPI). To leave it out while
working offline: ``-m "not install"``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import ZipFile

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.install

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
CASE = "three-flags"
#: Not sources (.gitignore): the wheel is built from a copy without them, as from a clean
#: checkout; a stale build/lib left by an earlier build would hide a file missing from
#: the package data.
NOT_SOURCES = (
    ".git",
    ".venv",
    "build",
    "dist",
    "out",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".*_cache",
    ".hypothesis",
)
#: Seconds the kiosk must keep running offscreen.
KIOSK_SECONDS = 5.0


@dataclass(frozen=True)
class Installed:
    root: Path  # the new virtual environment
    python: Path
    dn_kiosk: Path
    wheel: Path
    env: dict[str, str]
    cwd: Path  # a folder outside the checkout
    config: Path  # settings with every folder under tmp_path, whatever /etc holds

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.dn_kiosk), *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _checked(args: list[str], timeout: float = 300) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def _build_wheel(work: Path) -> Path:
    source = work / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    out = work / "wheels"
    _checked(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(out),
            str(source),
        ],
    )
    wheels = list(out.glob("dn_kiosk-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _dependency_folders() -> list[str]:
    """The running interpreter's site-packages (``sys.prefix``), where Qt and the rest are."""
    paths = sysconfig.get_paths(vars={"base": sys.prefix, "platbase": sys.prefix})
    return list(dict.fromkeys([paths["purelib"], paths["platlib"]]))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel-install")
    assert not work.resolve().is_relative_to(REPO), "the test needs a folder outside the checkout"
    wheel = _build_wheel(work)
    root = work / "venv"
    venv.create(root, with_pip=False)
    python = root / "bin" / "python"
    _checked(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            str(wheel),
        ],
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "dn_kiosk_test_dependencies.pth").write_text(
        "".join(f"{folder}\n" for folder in _dependency_folders()), encoding="utf-8"
    )
    home = work / "home"
    cwd = work / "elsewhere"
    cwd.mkdir()
    config = cwd / "kiosk.toml"
    # The clinic name the golden texts were made with, so a whole text can be compared.
    config.write_text(
        'clinic_name = "Golden Clinic"\n'
        f"output_dir = '{work / 'summaries'}'\n"  # TOML literal strings: no escapes
        f"data_dir = '{work / 'data'}'\n",
        encoding="utf-8",
    )
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
        PATH=f"{root / 'bin'}{os.pathsep}{env.get('PATH', '')}",
    )
    return Installed(root, python, root / "bin" / "dn-kiosk", wheel, env, cwd, config)


def test_the_wheel_holds_every_asset_and_content_file(installed: Installed) -> None:
    with ZipFile(installed.wheel) as wheel:
        shipped = set(wheel.namelist())
    for folder in ("kiosk/assets", "kiosk/content"):
        files = [
            p.relative_to(REPO).as_posix()
            for p in sorted((REPO / folder).rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        ]
        assert files, f"{folder} is empty in the checkout"
        missing = [f for f in files if f not in shipped]
        assert not missing, f"not in the wheel: {missing}"
    for licence in ("AtkinsonHyperlegible-OFL.txt", "NotoSansArabic-OFL.txt", "LICENSE-DejaVu.txt"):
        assert f"kiosk/assets/fonts/{licence}" in shipped


def test_kiosk_is_imported_from_the_new_environment(installed: Installed) -> None:
    done = subprocess.run(
        [
            str(installed.python),
            "-c",
            "import json, kiosk\n"
            "from kiosk.content.paths import assets_dir, bundled_content_dir\n"
            "print(json.dumps([kiosk.__file__, str(assets_dir()), str(bundled_content_dir())]))",
        ],
        cwd=installed.cwd,
        env=installed.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for where in json.loads(done.stdout):
        assert Path(where).resolve().is_relative_to(installed.root.resolve()), where
        assert not Path(where).resolve().is_relative_to(REPO), where


def test_validate_content(installed: Installed) -> None:
    done = installed.run("validate-content")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is valid" in done.stdout
    checked = Path(done.stdout.split(":")[0]).resolve()  # "<folder>: content version ..."
    assert checked.is_relative_to(installed.root.resolve()), done.stdout


def test_render_a_saved_response(installed: Installed) -> None:
    out = installed.cwd / "out.pdf"
    done = installed.run(
        "--config",
        str(installed.config),
        "render",
        str(DATA / f"{CASE}.response.json"),
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    reader = PdfReader(out)
    text = "".join(
        f"=== page {i} ===\n{page.extract_text()}\n" for i, page in enumerate(reader.pages, 1)
    )
    assert text == (DATA / f"{CASE}.expected.txt").read_text(encoding="utf-8")
    embedded = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]  # pypdf types it as a bare PdfObject
        for ref in resources["/Font"].get_object().values():
            font = ref.get_object()
            if font["/Subtype"] == "/TrueType":
                assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
                embedded.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert {"AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"} <= embedded


def test_the_kiosk_starts_offscreen(installed: Installed) -> None:
    with subprocess.Popen(
        [str(installed.dn_kiosk), "--config", str(installed.config)],
        cwd=installed.cwd,
        env=installed.env,
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
    # Python's default for SIGTERM (the kiosk sets no handler); 0 if it ever gets one.
    assert kiosk.returncode in (-signal.SIGTERM, 0), stderr
    assert "Traceback" not in stderr, stderr
    assert "kiosk started" in stderr, f"the window never came up:\n{stderr}"
    errors = [line for line in stderr.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert not errors, stderr
