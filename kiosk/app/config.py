"""The kiosk's settings: one TOML file, every key documented and defaulted.

Example (``--config /etc/dn-kiosk/kiosk.toml``)::

    clinic_name = "Riverside Physiotherapy"
    output_dir = "/srv/dn-kiosk/summaries"
    idle_seconds = 90

Without ``--config`` the kiosk reads the first file that exists on the search path
(:func:`config_search_path`): ``$XDG_CONFIG_HOME/dn-kiosk/kiosk.toml`` (or
``~/.config/dn-kiosk/kiosk.toml``), then ``/etc/dn-kiosk/kiosk.toml``; with neither, the
defaults. docs/configuration.md describes every key.

Two checks, both returning problems as ``"key: reason"``:

- :func:`load_config` checks the file itself (unknown keys, wrong types, values out of
  range) and raises :class:`ConfigError`;
- :func:`check_environment` checks the machine against the settings (folders writable,
  printer known, the password's file private). ``python -m kiosk check-config`` runs both.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import subprocess
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kiosk.content.paths import bundled_content_dir

APP_FOLDER = "dn-kiosk"
CONFIG_NAME = "kiosk.toml"
#: The machine-wide settings file, read when the user has none.
SYSTEM_CONFIG = Path("/etc") / APP_FOLDER / CONFIG_NAME

#: ``spool_dir`` left at this value means "``data_dir`` / spool".
_FOLLOW_DATA_DIR = Path()

#: An encryption password shorter than this is refused.
MIN_PASSWORD_LENGTH = 12

#: ``en`` or ``es-MX``: a language, optionally with a region.
LANGUAGE_CODE = re.compile(r"[a-z]{2}(-[A-Z]{2})?")

#: Characters CUPS does not allow in a printer name (lpadmin refuses them).
_PRINTER_FORBIDDEN = re.compile(r"[\s/\\#'\"?]")

#: Seconds to wait for ``lpstat`` before saying the printer cannot be checked.
LPSTAT_TIMEOUT = 5.0


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_FOLDER


def config_search_path() -> list[Path]:
    """Where the kiosk looks for its settings when no ``--config`` is given, in order."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    # The XDG spec says a relative value is invalid and must be ignored.
    user = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return [user / APP_FOLDER / CONFIG_NAME, SYSTEM_CONFIG]


def find_config() -> Path | None:
    """The first settings file on the search path that exists, or None."""
    for candidate in config_search_path():
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Config:
    #: Printed at the top of every summary and on the welcome screen.
    clinic_name: str = "Physiotherapy clinic"
    #: Where summaries (PDF and JSON) are saved.
    output_dir: Path = field(default_factory=lambda: default_data_dir() / "summaries")
    #: The content folder; the bundled demo content by default.
    content_dir: Path = field(default_factory=bundled_content_dir)
    #: Seconds without a touch before "Are you still there?".
    idle_seconds: int = 90
    #: Seconds that question counts down before the session is erased.
    countdown_seconds: int = 20
    #: Seconds the thank-you screen stays before the kiosk returns to welcome.
    done_seconds: int = 10
    #: Where the clinic's database (accounts, audit, review status) lives.
    data_dir: Path = field(default_factory=default_data_dir)
    #: The CUPS printer for summaries; empty means the system's default printer.
    printer: str = ""
    #: Print each summary as soon as the patient signs.
    auto_print: bool = False
    #: Summaries older than this many days are deleted (at start-up and daily).
    retention_days: int = 30
    #: Seconds without input before clinician mode signs out.
    clinician_idle_seconds: int = 120
    #: Where summaries wait when ``output_dir`` is full or read-only; ``data_dir``/spool
    #: when left out.
    spool_dir: Path = _FOLLOW_DATA_DIR
    #: The language the kiosk speaks: a code such as ``en`` or ``es-MX``.
    language: str = "en"
    #: Hide the mouse pointer (for touch screens).
    hide_cursor: bool = False
    #: Encrypts the files kept at rest; empty means off. Never shown in logs or repr.
    encryption_password: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.spool_dir == _FOLLOW_DATA_DIR:
            # Frozen: the one place a field is filled in after construction.
            object.__setattr__(self, "spool_dir", self.data_dir / "spool")


SETTINGS: tuple[str, ...] = tuple(f.name for f in fields(Config))

_LIMITS = {
    "idle_seconds": (5, 3600),
    "countdown_seconds": (3, 600),
    "done_seconds": (3, 600),
    "clinician_idle_seconds": (15, 3600),
    "retention_days": (1, 3650),
}

_FOLDERS = ("output_dir", "content_dir", "data_dir", "spool_dir")
_SWITCHES = ("auto_print", "hide_cursor")


class ConfigError(ValueError):
    """The settings file cannot be used. Each problem is ``"key: reason"`` (or, when the
    file as a whole is at fault, just the reason)."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def load_config(path: Path | None) -> Config:
    """The settings from ``path``; with None, from the first file on the search path, or
    the defaults when there is none. Raises :class:`ConfigError` listing every problem."""
    if path is None:
        path = find_config()
        if path is None:
            return Config()
    return config_from_settings(read_settings(path), path)


def read_settings(path: Path) -> dict[str, Any]:
    """The raw key/value pairs of a settings file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(path, ["file not found"]) from None
    except IsADirectoryError:
        raise ConfigError(path, ["is a folder, not a settings file"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    except UnicodeDecodeError:
        raise ConfigError(path, ["not valid TOML: the file is not UTF-8 text"]) from None
    except OSError as exc:
        raise ConfigError(path, [f"cannot be read: {exc.strerror or exc}"]) from None


def config_from_settings(data: dict[str, Any], path: Path) -> Config:
    """Check every key of ``data`` (read from ``path``) and build the settings.

    Relative folders are taken from the settings file's own folder.
    """
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in SETTINGS:
            problems.append(_unknown(key))
            continue
        problem, parsed = _check_value(key, value, path.parent)
        if problem:
            problems.append(f"{key}: {problem}")
        else:
            values[key] = parsed
    if problems:
        raise ConfigError(path, problems)
    return Config(**values)


def _unknown(key: str) -> str:
    close = difflib.get_close_matches(key, SETTINGS, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"{key}: not a known setting ({hint}known: {', '.join(SETTINGS)})"


def _shown(value: object) -> str:
    """A value as the reader wrote it, cut short, for "(got ...)" in a problem."""
    text = repr(value) if not isinstance(value, bool) else str(value).lower()
    return text if len(text) <= 40 else text[:37] + "..."


def _check_value(key: str, value: object, base: Path) -> tuple[str, Any]:
    """``("", parsed)`` for a good value, ``(reason, None)`` for a bad one."""
    if key in _FOLDERS:
        if not isinstance(value, str) or not value.strip():
            return "must be a folder path in quotes", None
        folder = Path(value.strip()).expanduser()
        return "", folder if folder.is_absolute() else (base / folder).resolve()
    if key in _LIMITS:
        low, high = _LIMITS[key]
        unit = "days" if key.endswith("_days") else "seconds"
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return (
                f"must be a whole number of {unit} from {low} to {high} (got {_shown(value)})",
                None,
            )
        return "", value
    if key in _SWITCHES:
        if not isinstance(value, bool):
            return f"must be true or false (got {_shown(value)})", None
        return "", value
    if key == "printer":
        if not isinstance(value, str):
            return 'must be a printer name in quotes (or "" for the default)', None
        name = value.strip()
        if _PRINTER_FORBIDDEN.search(name) or len(name) > 127:
            return (
                "not a CUPS printer name: at most 127 characters, without spaces, "
                f"/ \\ # ? or quotes (got {_shown(name)})"
            ), None
        return "", name
    if key == "language":
        if not isinstance(value, str) or not LANGUAGE_CODE.fullmatch(value):
            return f'must be a language code such as "en" or "es-MX" (got {_shown(value)})', None
        return "", value
    if key == "encryption_password":
        # Never echo the password, not even part of it.
        if not isinstance(value, str):
            return 'must be text in quotes (or "" for no encryption)', None
        if value and len(value) < MIN_PASSWORD_LENGTH:
            return (
                f"must be at least {MIN_PASSWORD_LENGTH} characters long "
                f"(it has {len(value)}), or empty for no encryption"
            ), None
        return "", value
    # clinic_name, and any plain-text setting added later.
    if not isinstance(value, str) or not value.strip():
        return "must be text in quotes", None
    return "", value.strip()


# ---------------------------------------------------------------- the machine


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
) -> list[str]:
    """What on this machine stops ``config`` from working, as ``"key: reason"`` lines.

    Creates the output, spool and data folders when missing (as the kiosk would) and
    writes and deletes a probe file in each. ``config_file`` is the settings file the
    config came from, to check it is private when it holds the encryption password.
    """
    problems: list[str] = []
    for key in ("output_dir", "spool_dir", "data_dir"):
        folder: Path = getattr(config, key)
        reason = _not_writable(folder)
        if reason:
            problems.append(f"{key}: {folder} {reason}")
    if not config.content_dir.is_dir():
        problems.append(f"content_dir: {config.content_dir} is not a folder")
    if config.printer:
        known = printer_known(config.printer)
        if known is None:
            problems.append(
                f"printer: cannot check {config.printer!r}: "
                "CUPS is not installed or not running (warning)"
            )
        elif not known:
            problems.append(
                f"printer: {config.printer!r} is not a printer CUPS knows "
                "(lpstat -p lists them; lpadmin adds one)"
            )
    if config.encryption_password and config_file is not None:
        problem = _password_file_problem(config_file)
        if problem:
            problems.append(f"encryption_password: {problem}")
    return problems


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
    if os.name != "posix":
        return ""  # Windows: use the file's ACL (see docs/deployment.md)
    try:
        mode = stat.S_IMODE(config_file.stat().st_mode)
    except OSError:
        return ""
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return (
            f"{config_file} holds the password but other users can read it "
            f"(mode {mode:04o}); make it private: chmod 600 {config_file}"
        )
    return ""
