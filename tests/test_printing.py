"""Printing through CUPS (kiosk/app/printing.py).

Two kinds of test:
- with stand-ins for ``lp`` and ``lpstat`` (small shell scripts in tmp_path): what is run,
  how the answers are read, refusals, the time-out. They need no CUPS.
- with the real CUPS and the cups-pdf printer "PDF" that scripts/setup-cups.sh sets up
  (the ``cups`` fixture): they skip without it, but fail on CI (CI=true), where
  printing must really be tested.
"""

from __future__ import annotations

import csv
import io
import os
import pwd
import re
import shutil
import stat
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from kiosk.app.printing import PrintResult, print_pdf

PRINTER = "PDF"
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
PATIENT = "Zoë Patient"
# Text that must never reach CUPS' records of a job.
PATIENT_WORDS = ("Zoë", "Zoe", "Patient")


# ---------------------------------------------------------------- helpers


def make_pdf(path: Path, lines: list[str], pages: int = 1) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        y = 780
        for line in [*lines, f"Page {page + 1}"]:
            pdf.drawString(72, y, line)
            y -= 20
        pdf.showPage()
    pdf.save()
    return path


def run_c(*command: str) -> subprocess.CompletedProcess[str]:
    """Runs a CUPS command with its messages in English."""
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=20, check=False)


def wait_for(what: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if what():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def write_script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@dataclass(frozen=True)
class FakeCups:
    """Stand-ins for lp and lpstat in one folder; lp records its arguments and LC_ALL."""

    lp: Path
    folder: Path

    def args(self) -> list[str]:
        return (self.folder / "lp-args").read_text(encoding="utf-8").splitlines()

    def ran(self) -> bool:
        return (self.folder / "lp-args").exists()

    def lc_all(self) -> str:
        return (self.folder / "lp-lc-all").read_text(encoding="utf-8").strip()


def fake_cups(
    folder: Path,
    lp_body: str = 'echo "request id is PDF-12 (1 file(s))"\n',
    lpstat_body: str = 'echo "printer $2 is idle.  enabled since Fri Nov 27 14:39:16 2026"\n',
) -> FakeCups:
    folder.mkdir(exist_ok=True)
    record = (
        f'printf "%s\\n" "$@" > "{folder}/lp-args"\n'
        f'printf "%s\\n" "$LC_ALL" > "{folder}/lp-lc-all"\n'
    )
    lp = write_script(folder / "lp", record + lp_body)
    write_script(folder / "lpstat", lpstat_body)
    return FakeCups(lp=lp, folder=folder)


@pytest.fixture
def summary(tmp_path: Path) -> Path:
    """A small summary PDF whose file name is a document id, as the kiosk's are."""
    return make_pdf(tmp_path / "DN-TEST1234.pdf", ["Dry needling summary", PATIENT], pages=2)


# ---------------------------------------------------------------- without CUPS


def test_runs_lp_with_the_printer_the_title_and_the_file_in_the_c_locale(
    tmp_path: Path, summary: Path
) -> None:
    fake = fake_cups(tmp_path / "bin")
    result = print_pdf(summary, "DN-TEST1234", printer=PRINTER, lp=str(fake.lp))
    assert result == PrintResult(
        ok=True, message="Sent to printer 'PDF' (job PDF-12)", job="PDF-12"
    )
    assert fake.args() == ["-d", PRINTER, "-t", "DN-TEST1234", "--", str(summary)]
    assert fake.lc_all() == "C"


def test_without_a_printer_lp_uses_the_default_destination(tmp_path: Path, summary: Path) -> None:
    fake = fake_cups(tmp_path / "bin", lp_body='echo "request id is Office-3 (1 file(s))"\n')
    result = print_pdf(summary, "DN-TEST1234", lp=str(fake.lp))
    assert result.ok
    assert result.job == "Office-3"
    assert fake.args() == ["-t", "DN-TEST1234", "--", str(summary)]


def test_lp_missing_says_printing_is_not_set_up(summary: Path) -> None:
    result = print_pdf(summary, "DN-TEST1234", printer=PRINTER, lp="/nonexistent/lp")
    assert result == PrintResult(
        ok=False,
        message="Printing is not set up on this computer (CUPS' lp command is missing)",
        job=None,
    )


def test_a_missing_summary_is_reported_without_its_path(tmp_path: Path) -> None:
    fake = fake_cups(tmp_path / "bin")
    gone = tmp_path / "DN-GONE0001.pdf"
    result = print_pdf(gone, "DN-GONE0001", printer=PRINTER, lp=str(fake.lp))
    assert not result.ok
    assert result.message == "The summary to print was not found; it may have been deleted"
    assert not fake.ran()


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    fake = fake_cups(tmp_path / "bin")
    junk = tmp_path / "DN-JUNK0001.pdf"
    junk.write_bytes(b"this is not a PDF at all\n" * 10)
    result = print_pdf(junk, "DN-JUNK0001", printer=PRINTER, lp=str(fake.lp))
    assert not result.ok
    assert "not a readable PDF" in result.message
    assert not fake.ran()


def test_an_encrypted_pdf_is_refused(tmp_path: Path, summary: Path) -> None:
    """cups-pdf prints an encrypted PDF as one blank page while lp says all is well."""
    writer = PdfWriter(clone_from=summary)
    # RC4 is built into pypdf; AES would need the cryptography package.
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "DN-LOCK0001.pdf"
    with locked.open("wb") as out:
        writer.write(out)
    assert PdfReader(locked).is_encrypted

    fake = fake_cups(tmp_path / "bin")
    result = print_pdf(locked, "DN-LOCK0001", printer=PRINTER, lp=str(fake.lp))
    assert not result.ok
    assert "encrypted" in result.message
    assert str(locked) not in result.message
    assert not fake.ran()


def test_a_stopped_queue_is_reported_before_lp_runs(tmp_path: Path, summary: Path) -> None:
    fake = fake_cups(
        tmp_path / "bin",
        lpstat_body=(
            'echo "printer $2 disabled since Fri Nov 27 14:39:13 2026 -"\necho "    Paused"\n'
        ),
    )
    result = print_pdf(summary, "DN-TEST1234", printer=PRINTER, lp=str(fake.lp))
    assert result == PrintResult(
        ok=False,
        message="Printer 'PDF' is stopped; restart it in the printer settings (cupsenable PDF)",
        job=None,
    )
    assert not fake.ran()


def test_lp_hanging_times_out(tmp_path: Path, summary: Path) -> None:
    fake = fake_cups(tmp_path / "bin", lp_body="exec sleep 30\n")
    started = time.monotonic()
    result = print_pdf(summary, "DN-TEST1234", lp=str(fake.lp), timeout=0.5)
    elapsed = time.monotonic() - started
    assert not result.ok
    assert result.job is None
    assert "did not answer within 0.5 seconds" in result.message
    assert elapsed < 5


def test_lpstat_hanging_times_out_too(tmp_path: Path, summary: Path) -> None:
    fake = fake_cups(tmp_path / "bin", lpstat_body="exec sleep 30\n")
    started = time.monotonic()
    result = print_pdf(summary, "DN-TEST1234", printer=PRINTER, lp=str(fake.lp), timeout=0.5)
    assert not result.ok
    assert "did not answer" in result.message
    assert time.monotonic() - started < 5
    assert not fake.ran()


@pytest.mark.parametrize(
    ("stderr", "printer", "message"),
    [
        (
            "lp: Error - The printer or class does not exist.",
            "Front-Desk",
            "Printer 'Front-Desk' is not known to CUPS, or CUPS is not running",
        ),
        (
            "lp: Error - No default destination.",
            None,
            "No default printer is set in CUPS, or CUPS is not running",
        ),
        (
            'lp: Destination "Front-Desk" is not accepting jobs.',
            "Front-Desk",
            "Printer 'Front-Desk' is not accepting jobs; allow it in the printer settings "
            "(cupsaccept Front-Desk)",
        ),
        (
            'lp: Error - unable to access "{path}" - Permission denied\nsecond line',
            "Front-Desk",
            "Printing failed: unable to access the summary - Permission denied",
        ),
        ("", "Front-Desk", "Printing failed: lp ended with exit code 1"),
    ],
    ids=["unknown-printer", "no-default", "not-accepting", "other-error", "no-message"],
)
def test_lp_errors_become_staff_messages_without_paths(
    tmp_path: Path, summary: Path, stderr: str, printer: str | None, message: str
) -> None:
    text = stderr.replace("{path}", str(summary))
    fake = fake_cups(tmp_path / "bin", lp_body=f"cat >&2 <<'END'\n{text}\nEND\nexit 1\n")
    result = print_pdf(summary, "DN-TEST1234", printer=printer, lp=str(fake.lp))
    assert result == PrintResult(ok=False, message=message, job=None)
    assert summary.name not in result.message


# ---------------------------------------------------------------- with the real CUPS


@dataclass(frozen=True)
class Cups:
    output: Path  # where cups-pdf puts what this user prints


def cups_pdf_output_folder() -> Path:
    """cups-pdf's ``Out`` folder for this user (Debian's default: ${HOME}/PDF)."""
    out = "${HOME}/PDF"
    try:
        for line in CUPS_PDF_CONF.read_text(encoding="utf-8", errors="replace").splitlines():
            found = re.match(r"\s*Out\s+(\S.*?)\s*$", line)
            if found:
                out = found.group(1)
    except OSError:
        pass
    user = pwd.getpwuid(os.getuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must test printing: run scripts/setup-cups.sh as root)")
    pytest.skip(f"{reason}; run scripts/setup-cups.sh as root to set it up")


@pytest.fixture(scope="session")
def cups() -> Cups:
    """The running CUPS scheduler with the cups-pdf printer PDF: skip without it, fail on CI."""
    if shutil.which("lpstat") is None or shutil.which("lp") is None:
        _unavailable("CUPS is not installed (no lp or lpstat)")
    if run_c("lpstat", "-r").stdout.strip() != "scheduler is running":
        _unavailable("the CUPS scheduler is not running")
    if run_c("lpstat", "-p", PRINTER).returncode != 0:
        _unavailable(f"CUPS has no printer {PRINTER} (cups-pdf)")
    return Cups(output=cups_pdf_output_folder())


def unique_title() -> str:
    return f"DN-TEST{uuid.uuid4().hex[:8].upper()}"


def job_number(job: str | None) -> str:
    assert job is not None
    found = re.fullmatch(rf"{PRINTER}-(\d+)", job)
    assert found, job
    return found.group(1)


def completed_jobs() -> str:
    return run_c("lpstat", "-W", "completed", "-o", PRINTER).stdout


def wait_until_completed(job: str) -> None:
    assert wait_for(
        lambda: re.search(rf"^{re.escape(job)}\s", completed_jobs(), re.M) is not None
    ), f"job {job} did not complete within 10 s; lpstat -o: {run_c('lpstat', '-o').stdout!r}"


def wait_for_output(cups: Cups, title: str) -> Path:
    """The file that cups-pdf made for the job titled ``title``, once it is whole."""
    found: list[Path] = []

    def readable() -> bool:
        found[:] = sorted(cups.output.glob(f"{title}*.pdf")) if cups.output.is_dir() else []
        if len(found) != 1:
            return False
        try:
            return len(PdfReader(found[0]).pages) >= 1
        except Exception:  # still being written
            return False

    assert wait_for(readable), (
        f"no readable output for {title} in {cups.output} within 10 s: {found}"
    )
    return found[0]


@pytest.fixture
def printed(cups: Cups) -> Iterator[list[str]]:
    """Glob patterns (in cups-pdf's folder) of the files a test printed: deleted after it."""
    patterns: list[str] = []
    yield patterns
    for pattern in patterns:
        for file in cups.output.glob(pattern):
            file.unlink(missing_ok=True)


def test_prints_to_the_cups_pdf_printer(cups: Cups, summary: Path, printed: list[str]) -> None:
    title = unique_title()
    result = print_pdf(summary, title, printer=PRINTER)
    printed.append(f"{title}*.pdf")
    assert result.ok, result.message
    number = job_number(result.job)
    assert result.message == f"Sent to printer 'PDF' (job {result.job})"

    output = wait_for_output(cups, title)
    # TitlePref=1: the file is named after the job's title.
    assert output.name == f"{title}-job_{number}.pdf"
    # cups-pdf re-renders through Ghostscript: the pages survive, the text may not.
    assert len(PdfReader(output).pages) == 2


def test_cups_keeps_only_the_document_id(cups: Cups, summary: Path, printed: list[str]) -> None:
    """The summary holds a patient's name; what CUPS and cups-pdf record must not."""
    result = print_pdf(summary, "DN-TEST1234", printer=PRINTER)
    assert result.ok, result.message
    assert result.job is not None
    number = job_number(result.job)
    printed.append(f"DN-TEST1234*job_{number}.pdf")
    wait_until_completed(result.job)

    output = cups.output / f"DN-TEST1234-job_{number}.pdf"
    assert wait_for(output.exists), f"{output} did not appear"
    for word in PATIENT_WORDS:
        assert word not in output.name

    listing = completed_jobs()
    assert re.search(rf"^{re.escape(result.job)}\s", listing, re.M), listing
    for word in PATIENT_WORDS:
        assert word not in listing


def test_ipp_job_attributes_hold_no_patient_data(
    cups: Cups, summary: Path, printed: list[str], tmp_path: Path
) -> None:
    """CUPS shows job names only to their owner: ask as the owner over IPP (ipptool)."""
    ipptool = shutil.which("ipptool")
    if ipptool is None:
        _unavailable("ipptool is missing (Debian package cups-ipp-utils)")
    title = unique_title()
    result = print_pdf(summary, title, printer=PRINTER)
    printed.append(f"{title}*.pdf")
    assert result.ok, result.message
    assert result.job is not None
    wait_until_completed(result.job)
    wait_for_output(cups, title)

    request = tmp_path / "get-jobs.test"
    request.write_text(
        """{
    NAME "Get-Jobs"
    OPERATION Get-Jobs
    GROUP operation-attributes-tag
    ATTR charset attributes-charset utf-8
    ATTR naturalLanguage attributes-natural-language en
    ATTR uri printer-uri $uri
    ATTR name requesting-user-name $user
    ATTR keyword which-jobs all
    ATTR keyword requested-attributes job-id,job-name,document-name-supplied
    STATUS successful-ok
    DISPLAY job-id
    DISPLAY job-name
    DISPLAY document-name-supplied
}
""",
        encoding="utf-8",
    )
    answer = run_c(ipptool, "-c", f"ipp://localhost/printers/{PRINTER}", str(request))
    assert answer.returncode == 0, answer.stdout + answer.stderr
    rows = list(csv.DictReader(io.StringIO(answer.stdout)))
    ours = [row for row in rows if row.get("job-id") == job_number(result.job)]
    assert len(ours) == 1, answer.stdout
    assert ours[0]["job-name"] == title
    assert ours[0]["document-name-supplied"] == summary.name
    for word in PATIENT_WORDS:
        assert word not in answer.stdout


def test_an_unknown_printer_is_reported(cups: Cups, summary: Path) -> None:
    result = print_pdf(summary, "DN-TEST1234", printer="NO-SUCH-PRINTER")
    assert result == PrintResult(
        ok=False,
        message="Printer 'NO-SUCH-PRINTER' is not known to CUPS, or CUPS is not running",
        job=None,
    )


def test_a_stopped_cups_queue_is_reported(cups: Cups, summary: Path) -> None:
    stop = run_c("cupsdisable", PRINTER)
    assert stop.returncode == 0, stop.stderr
    try:
        assert "disabled" in run_c("lpstat", "-p", PRINTER).stdout
        result = print_pdf(summary, "DN-TEST1234", printer=PRINTER)
    finally:
        start = run_c("cupsenable", PRINTER)
    assert start.returncode == 0, start.stderr
    assert result == PrintResult(
        ok=False,
        message="Printer 'PDF' is stopped; restart it in the printer settings (cupsenable PDF)",
        job=None,
    )
