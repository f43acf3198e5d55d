"""The kiosk's settings: one TOML file, every key documented and defaulted.

Example (``--config /etc/dn-kiosk/kiosk.toml``)::

    clinic_name = "Riverside Physiotherapy"
    output_dir = "/srv/dn-kiosk/summaries"
    idle_seconds = 90

Without ``--config`` the kiosk reads the first file that exists on the search path
(:func:`config_search_path`): ``$XDG_CONFIG_HOME/dn-kiosk/kiosk.toml`` (or
``~/.config/dn-kiosk/kiosk.toml``), then ``/etc/dn-kiosk/kiosk.toml``; with neither, the
defaults. docs/configuration.md describes every key.

Each setting is declared once, as a field of :class:`Config` made by :func:`setting`
(kind and limits, default, meaning); the checks, ``check-config`` and the settings
table in README.md and docs/configuration.md (:func:`settings_table`) come from it.

Two checks, both returning :class:`~kiosk.domain.problems.Problem` (file, key, reason):

- :func:`load_config` checks the file itself (unknown keys, wrong types, values out of
  range) and raises :class:`ConfigError`;
- :func:`check_environment` checks the machine against the settings (folders writable,
  printer known, the password's file private). ``python -m kiosk check-config`` runs both.
"""

from __future__ import annotations

import difflib
import os
import stat
import subprocess
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from kiosk.app.setting_kinds import (
    LANGUAGE_CODE,
    MIN_PASSWORD_LENGTH,
    BadValue,
    Folder,
    Kind,
    LanguageCode,
    Password,
    PrinterName,
    Switch,
    WholeNumber,
)
from kiosk.content.paths import bundled_content_dir
from kiosk.domain.problems import Problem, ProblemsFound

APP_FOLDER = "dn-kiosk"
CONFIG_NAME = "kiosk.toml"
#: The machine-wide settings file, read when the user has none.
SYSTEM_CONFIG = Path("/etc") / APP_FOLDER / CONFIG_NAME

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


# ---------------------------------------------------------------- the settings


@dataclass(frozen=True)
class Setting:
    """One setting as declared on its :class:`Config` field."""

    name: str
    kind: Kind
    #: The default as the docs show it (computed defaults such as folders say how).
    default_text: str
    #: What it does, for the docs.
    meaning: str


def setting(
    kind: Kind,
    meaning: str,
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | None = None,
    shown: str = "",
    repr: bool = True,  # as in dataclasses.field()
) -> Any:
    """Declare a :class:`Config` field: its kind (type and limits), default and meaning.

    The field is the one declaration of a setting: the checks, ``check-config`` and the
    settings table in README.md and docs/configuration.md all come from it.
    """
    if not shown:
        shown = _default_text(default)
    info = {"setting": (kind, shown, " ".join(meaning.split()))}
    if default_factory is not None:
        return field(default_factory=default_factory, metadata=info, repr=repr)
    return field(default=default, metadata=info, repr=repr)


def _default_text(value: object) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value}`"


@dataclass(frozen=True)
class Config:
    """The kiosk's settings. Each field declares one setting (see :func:`setting`)."""

    clinic_name: str = setting(
        Kind(),
        "The clinic's name, on the welcome screen and on every summary.",
        default="Physiotherapy clinic",
    )
    output_dir: Path = setting(
        Folder(),
        "Where each summary (PDF and JSON) is saved for clinicians.",
        default_factory=lambda: default_data_dir() / "summaries",
        shown="`~/.local/share/dn-kiosk/summaries`",
    )
    spool_dir: Path | None = setting(
        Folder(),
        """Where a summary goes when `output_dir` cannot take it (full, read-only, an
        unplugged share); the kiosk moves it to `output_dir` once it can. Keep it on a
        different disk or share from `output_dir` if you can.""",
        default=None,
        shown="`data_dir`/`spool`",
    )
    content_dir: Path = setting(
        Folder(),
        "A folder of edited content files ([content-format.md](docs/content-format.md)).",
        default_factory=bundled_content_dir,
        shown="the bundled `kiosk/content`",
    )
    data_dir: Path = setting(
        Folder(),
        """The clinic's database (accounts, audit trail, review and print status), the
        single-copy lock `kiosk.lock`, and log files under `logs/`.""",
        default_factory=default_data_dir,
        shown="`~/.local/share/dn-kiosk`",
    )
    language: str = setting(
        LanguageCode(),
        """The language the kiosk speaks to patients: a code such as `en` or `es-MX` (two
        lower-case letters, optionally `-` and two upper-case letters). Today the content
        folder has one language (its `manifest.toml`), and only the code's form is
        checked.""",
        default="en",
    )
    idle_seconds: int = setting(
        WholeNumber(5, 3600, "seconds"),
        "Seconds without a touch before the kiosk asks whether the patient is still there.",
        default=90,
    )
    countdown_seconds: int = setting(
        WholeNumber(3, 600, "seconds"),
        "Seconds that question waits before the kiosk erases everything and starts over.",
        default=20,
    )
    done_seconds: int = setting(
        WholeNumber(3, 600, "seconds"),
        "Seconds the thank-you screen stays before the kiosk returns to the welcome screen.",
        default=10,
    )
    clinician_idle_seconds: int = setting(
        WholeNumber(15, 3600, "seconds"),
        "Clinician mode signs out after this many seconds without input.",
        default=120,
    )
    printer: str = setting(
        PrinterName(),
        r"""The CUPS printer for summaries, as `lpstat -p` names it; empty means the
        system's default printer. No spaces, `/`, `\`, `#`, `?` or quotes (CUPS does not
        allow them).""",
        default="",
        shown='`""` (the system\'s default printer)',
    )
    auto_print: bool = setting(
        Switch(), "Print each summary as soon as the patient signs.", default=False
    )
    retention_days: int = setting(
        WholeNumber(1, 3650, "days"),
        """Summaries older than this many days are deleted, at start-up and every hour;
        each deletion is audited.""",
        default=30,
    )
    hide_cursor: bool = setting(
        Switch(), "Hide the mouse pointer over the kiosk, for touch screens.", default=False
    )
    encryption_password: str = setting(
        Password(),
        """Encrypts the summaries kept on disk (see
        [`encryption_password`](docs/configuration.md#encryption_password)). At least 12
        characters when set. Never shown in logs, messages or `repr`.""",
        default="",
        shown='`""` (off)',
        repr=False,
    )

    @property
    def spool_folder(self) -> Path:
        """Where summaries wait: ``spool_dir``, or ``data_dir``/spool when it is not set.

        Worked out on each use rather than stored, so that
        ``dataclasses.replace(config, data_dir=...)`` moves the spool along with it.
        """
        return self.spool_dir if self.spool_dir is not None else self.data_dir / "spool"


def declared_settings() -> tuple[Setting, ...]:
    """Every setting, in the order of :class:`Config`'s fields."""
    found = []
    for f in fields(Config):
        kind, shown, meaning = f.metadata["setting"]
        found.append(Setting(f.name, kind, shown, meaning))
    return tuple(found)


SETTINGS: tuple[str, ...] = tuple(f.name for f in fields(Config))
_DECLARED = {s.name: s for s in declared_settings()}


def settings_table(docs_folder: str = "docs/") -> str:
    """The Markdown table of every setting, for README.md (``docs_folder`` "docs/") and
    docs/configuration.md (``docs_folder`` ""): links in the meanings are written from
    the repository's root and made relative to the page."""
    rows = [
        "| key | type | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for s in declared_settings():
        meaning = s.meaning.replace("](docs/", f"]({docs_folder}")
        rows.append(f"| `{s.name}` | {s.kind.describe()} | {s.default_text} | {meaning} |")
    return "\n".join(rows) + "\n"


class ConfigError(ProblemsFound):
    """The settings file cannot be used; ``problems`` names each key and reason (the key
    is "" when the file as a whole is at fault)."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        super().__init__(str(path), problems)


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

    def whole_file(reason: str) -> ConfigError:
        return ConfigError(path, [Problem(str(path), "", reason)])

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise whole_file("file not found") from None
    except IsADirectoryError:
        raise whole_file("is a folder, not a settings file") from None
    except tomllib.TOMLDecodeError as exc:
        raise whole_file(f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise whole_file("not valid TOML: the file is not UTF-8 text") from None
    except OSError as exc:
        raise whole_file(f"cannot be read: {exc.strerror or exc}") from None


def config_from_settings(data: dict[str, Any], path: Path) -> Config:
    """Check every key of ``data`` (read from ``path``) and build the settings.

    Relative folders are taken from the settings file's own folder.
    """
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        declared = _DECLARED.get(key)
        if declared is None:
            problems.append(Problem(str(path), key, _unknown(key)))
            continue
        try:
            values[key] = declared.kind.parse(value, path.parent)
        except BadValue as exc:
            problems.append(Problem(str(path), key, str(exc)))
    if problems:
        raise ConfigError(path, problems)
    return Config(**values)


def _unknown(key: str) -> str:
    close = difflib.get_close_matches(key, SETTINGS, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"not a known setting ({hint}known: {', '.join(SETTINGS)})"


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


__all__ = [
    "LANGUAGE_CODE",
    "MIN_PASSWORD_LENGTH",
    "SETTINGS",
    "Config",
    "ConfigError",
    "Folder",
    "Kind",
    "LanguageCode",
    "Password",
    "PrinterName",
    "Setting",
    "Switch",
    "WholeNumber",
    "check_environment",
    "config_from_settings",
    "config_search_path",
    "declared_settings",
    "find_config",
    "load_config",
    "lpstat_printer_known",
    "read_settings",
    "setting",
    "settings_table",
]
