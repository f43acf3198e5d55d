"""The machine checked against the settings: folders writable, printer known, private files,
and the FHIR server's files (``python -m kiosk check-config``).

Each check returns :class:`~kiosk.domain.problems.Problem` (file, key, reason). The
settings themselves are checked by :func:`kiosk.app.config.load_config`; this module
only looks at the machine, so it never needs more of the settings than their values.
"""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.app import fhir_config
from kiosk.domain.problems import Problem

if TYPE_CHECKING:
    from kiosk.app.config import Config

#: Seconds to wait for ``lpstat`` before saying the printer cannot be checked.
LPSTAT_TIMEOUT = 5.0


def lpstat_printer_known(name: str) -> bool | None:
    """Whether CUPS knows the printer ``name``; None when it cannot tell (CUPS is not
    installed, its scheduler is not running, or it does not answer in time)."""
    env = {**os.environ, "LC_ALL": "C"}  # the scheduler's answer is read as English
    try:
        found = subprocess.run(
            ["lpstat", "-p", name],
            capture_output=True,
            timeout=LPSTAT_TIMEOUT,
            env=env,
            check=False,
        )
        if found.returncode == 0:
            return True
        # An unknown printer and a stopped scheduler fail alike; ask which it is.
        scheduler = subprocess.run(
            ["lpstat", "-r"],
            capture_output=True,
            text=True,
            timeout=LPSTAT_TIMEOUT,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return False if scheduler.stdout.strip() == "scheduler is running" else None


def check_environment(
    config: Config,
    config_file: Path | None = None,
    printer_known: Callable[[str], bool | None] = lpstat_printer_known,
) -> list[Problem]:
    """What on this machine stops ``config`` from working, one problem per key.

    Creates the output, spool and data folders when missing (as the kiosk would) and
    writes and deletes a probe file in each. ``config_file`` is the settings file the
    config came from (the problems' ``where``; "" for the defaults), to check it is
    private when it holds the encryption password.
    """
    where = str(config_file) if config_file is not None else ""
    problems: list[Problem] = []
    folders = {
        "output_dir": config.output_dir,
        "spool_dir": config.spool_folder,
        "data_dir": config.data_dir,
    }
    for key, folder in folders.items():
        reason = _not_writable(folder)
        if reason:
            problems.append(Problem(where, key, f"{folder} {reason}"))
    if not config.content_dir.is_dir():
        problems.append(Problem(where, "content_dir", f"{config.content_dir} is not a folder"))
    if config.printer:
        known = printer_known(config.printer)
        if known is None:
            problems.append(
                Problem(
                    where,
                    "printer",
                    f"cannot check {config.printer!r}: "
                    "CUPS is not installed or not running (warning)",
                )
            )
        elif not known:
            problems.append(
                Problem(
                    where,
                    "printer",
                    f"{config.printer!r} is not a printer CUPS knows "
                    "(lpstat -p lists them; lpadmin adds one)",
                )
            )
    if config.encryption_password and config_file is not None:
        problem = _password_file_problem(config_file)
        if problem:
            problems.append(Problem(where, "encryption_password", problem))
    problems += [Problem(where, key, reason) for key, reason in _fhir_problems(config)]
    return problems


def _fhir_problems(config: Config) -> list[tuple[str, str]]:
    """The FHIR server's files (readable; the secrets private; the authority a
    certificate) and a plain-http address to another machine, as (key, reason)."""
    if not config.fhir_base_url:
        return []
    found: list[tuple[str, str]] = []
    secrets = {
        "fhir_token_file": config.fhir_token_file,
        "fhir_client_secret_file": config.fhir_client_secret_file,
    }
    for key, path in secrets.items():
        if path is None:
            continue
        try:
            if not path.read_text(encoding="utf-8").strip():
                found.append((key, f"{path} is empty"))
        except (OSError, UnicodeDecodeError) as exc:
            found.append((key, f"{path} cannot be read ({_why(exc)})"))
            continue
        mode = readable_by_others(path)
        if mode is not None:
            found.append(
                (
                    key,
                    f"{path} holds a secret but other users can read it (mode {mode:04o}); "
                    f"make it private: chmod 600 {path}",
                )
            )
    if config.fhir_ca_file is not None:
        reason = fhir_config.ca_file_problem(config.fhir_ca_file)
        if reason:
            found.append(("fhir_ca_file", reason))
    for key in ("fhir_base_url", "fhir_token_url"):
        reason = fhir_config.plain_http_problem(getattr(config, key))
        if reason:
            found.append((key, reason))
    return found


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return "not UTF-8 text"


def _not_writable(folder: Path) -> str:
    """Why the kiosk cannot write into ``folder``, or "" when it can."""
    if folder.exists() and not folder.is_dir():
        return "is not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".dn-kiosk-probe-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        return f"is not writable ({exc.strerror or exc})"
    return ""


def _password_file_problem(config_file: Path) -> str:
    """Why the settings file holding the password is not private enough, or ""."""
    mode = readable_by_others(config_file)
    if mode is None:
        return ""
    return (
        f"{config_file} holds the password but other users can read it "
        f"(mode {mode:04o}); make it private: chmod 600 {config_file}"
    )


def readable_by_others(path: Path) -> int | None:
    """The file's mode when its group or other users can read it, else None (also on
    Windows, where the file's ACL decides: see docs/deployment.md)."""
    if os.name != "posix":
        return None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    return mode if mode & (stat.S_IRGRP | stat.S_IROTH) else None
