"""Printing a summary through CUPS' ``lp`` command.

``print_pdf`` never raises: every failure comes back as a ``PrintResult`` whose message
staff can act on. Messages never hold patient data: the job's title is the document id,
and the file is called "the summary", never by its path.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PrintResult", "print_pdf"]

# "request id is PDF-12 (1 file(s))"
_REQUEST_ID = re.compile(r"request id is (\S+)")
# The first line of `lpstat -p NAME` for a stopped queue: "printer PDF disabled since ...".
_STOPPED = re.compile(r"\b(disabled|stopped)\b")


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    message: str  # staff-readable, no patient data
    job: str | None  # "PDF-12" from lp's "request id is PDF-12 (1 file(s))"


def _fail(message: str) -> PrintResult:
    return PrintResult(ok=False, message=message, job=None)


def _c_locale_env() -> dict[str, str]:
    """The environment with CUPS' messages in English, so that they can be matched."""
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    env.pop("LANGUAGE", None)
    return env


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _scrub(message: str, pdf: Path) -> str:
    """Replaces the summary's path and file name in a message from CUPS by "the summary"."""
    names = {str(pdf), pdf.name}
    with contextlib.suppress(OSError, RuntimeError):
        names.add(str(pdf.resolve()))
    for text in sorted((n for n in names if n), key=len, reverse=True):
        message = message.replace(f'"{text}"', "the summary").replace(text, "the summary")
    return message


def _not_set_up() -> PrintResult:
    return _fail("Printing is not set up on this computer (CUPS' lp command is missing)")


def _timed_out(timeout: float) -> PrintResult:
    return _fail(
        f"The printing system did not answer within {timeout:g} seconds; "
        "check that CUPS is running and try again"
    )


def _check_pdf(pdf: Path) -> PrintResult | None:
    """None when the file is a PDF that can be printed, else why not."""
    if not pdf.is_file():
        return _fail("The summary to print was not found; it may have been deleted")
    from pypdf import PdfReader  # imported here: it stays off the kiosk's start-up path

    try:
        encrypted = PdfReader(pdf).is_encrypted
    except Exception:  # pypdf raises many kinds of error on a damaged file
        return _fail("The summary cannot be printed: it is not a readable PDF file")
    if encrypted:
        # cups-pdf (and some printers) print an encrypted PDF as a blank page.
        return _fail(
            "The summary cannot be printed: it is encrypted and would come out blank; "
            "print an unencrypted copy"
        )
    return None


def _stopped(printer: str, lpstat: str, timeout: float) -> PrintResult | None:
    """A failure when CUPS says the queue is stopped; None otherwise (lp says the rest)."""
    try:
        done = subprocess.run(
            [lpstat, "-p", printer],
            capture_output=True,
            text=True,
            errors="replace",
            env=_c_locale_env(),
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return _timed_out(timeout)
    except OSError:
        return None  # no lpstat: let lp answer
    if done.returncode != 0:
        return None  # unknown printer or scheduler down: lp's own error says which
    if _STOPPED.search(_first_line(done.stdout)):
        return _fail(
            f"Printer '{printer}' is stopped; restart it in the printer settings "
            f"(cupsenable {printer})"
        )
    return None


def _lpstat_beside(lp: str) -> str:
    """The lpstat that goes with this lp: in the same folder when lp is given as a path."""
    if os.sep in lp:
        beside = Path(lp).with_name("lpstat")
        if beside.exists():
            return str(beside)
    return "lpstat"


def print_pdf(
    pdf: Path,
    title: str,
    printer: str | None = None,
    lp: str = "lp",
    timeout: float = 20.0,
) -> PrintResult:
    """Prints ``pdf`` with ``lp [-d PRINTER] -t TITLE -- FILE``; never raises.

    ``title`` becomes the job's name in CUPS (and cups-pdf's file name): pass the
    document id, never a patient's name. ``printer`` None means CUPS' default printer.
    """
    lp_path = shutil.which(lp)
    if lp_path is None:
        return _not_set_up()

    problem = _check_pdf(pdf)
    if problem is not None:
        return problem

    deadline = time.monotonic() + timeout
    if printer is not None:
        problem = _stopped(printer, _lpstat_beside(lp_path), timeout)
        if problem is not None:
            return problem

    command = [lp_path]
    if printer is not None:
        command += ["-d", printer]
    command += ["-t", title, "--", str(pdf)]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            errors="replace",
            env=_c_locale_env(),
            timeout=max(deadline - time.monotonic(), 0.1),
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        return _not_set_up()
    except subprocess.TimeoutExpired:
        return _timed_out(timeout)
    except OSError as exc:
        return _fail(f"Printing failed: lp could not be run ({exc.strerror or 'no reason given'})")

    where = f"printer '{printer}'" if printer is not None else "the default printer"
    which = f"Printer '{printer}'" if printer is not None else "The default printer"
    if done.returncode == 0:
        found = _REQUEST_ID.search(done.stdout)
        job = found.group(1) if found else None
        return PrintResult(
            ok=True,
            message=f"Sent to {where}" + (f" (job {job})" if job else ""),
            job=job,
        )

    reason = _first_line(done.stderr) or _first_line(done.stdout)
    if "printer or class does not exist" in reason:
        return _fail(f"{which} is not known to CUPS, or CUPS is not running")
    if "No default destination" in reason:
        return _fail("No default printer is set in CUPS, or CUPS is not running")
    if "not accepting jobs" in reason:
        how = f" (cupsaccept {printer})" if printer is not None else ""
        return _fail(f"{which} is not accepting jobs; allow it in the printer settings{how}")
    reason = re.sub(r"^lp:\s*(Error\s*-\s*)?", "", reason)
    if not reason:
        reason = f"lp ended with exit code {done.returncode}"
    return _fail(f"Printing failed: {_scrub(reason, pdf)}")
