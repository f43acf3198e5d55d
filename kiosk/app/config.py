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
- :func:`check_environment` (``kiosk.app.machine``) checks the machine against the
  settings (folders writable, printer known, the password's and secrets' files private).
  ``python -m kiosk check-config`` runs both, and with ``--online`` asks the FHIR server
  (``kiosk.app.fhir_config.online_check``).
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from kiosk.app import fhir_config
from kiosk.app.machine import check_environment, lpstat_printer_known
from kiosk.app.setting_kinds import (
    LANGUAGE_CODE,
    MIN_PASSWORD_LENGTH,
    BadValue,
    FilePath,
    Folder,
    Kind,
    LanguageCode,
    OptionalText,
    Password,
    PrinterName,
    Switch,
    WebAddress,
    WholeNumber,
)
from kiosk.content.paths import bundled_content_dir
from kiosk.domain.problems import Problem, ProblemsFound

APP_FOLDER = "dn-kiosk"
CONFIG_NAME = "kiosk.toml"
#: The machine-wide settings file, read when the user has none.
SYSTEM_CONFIG = Path("/etc") / APP_FOLDER / CONFIG_NAME


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
    fhir_base_url: str = setting(
        WebAddress(),
        """The clinic's FHIR R4 server, such as `https://ehr.example/fhir`: every summary
        is also sent there, from a queue that survives restarts and network outages (see
        [integration.md](docs/integration.md)). Empty: nothing is sent.""",
        default="",
        shown='`""` (off)',
    )
    fhir_token_file: Path | None = setting(
        FilePath(),
        """A file holding the bearer token for the FHIR server, readable only by the
        kiosk's user (`chmod 600`); read again whenever it changes. Or use the client
        credentials below.""",
        default=None,
        shown="none",
    )
    fhir_client_id: str = setting(
        OptionalText(),
        """OAuth2 client credentials: the kiosk's client id at `fhir_token_url` (with
        `fhir_client_secret_file`).""",
        default="",
    )
    fhir_client_secret_file: Path | None = setting(
        FilePath(),
        "OAuth2 client credentials: a file holding the client secret (`chmod 600`).",
        default=None,
        shown="none",
    )
    fhir_token_url: str = setting(
        WebAddress(), "OAuth2 client credentials: the server's token endpoint.", default=""
    )
    fhir_ca_file: Path | None = setting(
        FilePath(),
        """The certificate authority (PEM) that signed the FHIR server's certificate, for
        a clinic's own authority; only it is trusted then. None: the system's
        authorities.""",
        default=None,
        shown="none",
    )
    fhir_timeout_seconds: int = setting(
        WholeNumber(2, 300, "seconds"),
        "Seconds to wait for the FHIR server before trying again later.",
        default=30,
    )

    @property
    def delivery_on(self) -> bool:
        """Summaries are sent to a FHIR server (``fhir_base_url`` is set)."""
        return bool(self.fhir_base_url)

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
    if not problems:  # settings that only work together
        problems = [Problem(str(path), k, r) for k, r in fhir_config.settings_problems(values)]
    if problems:
        raise ConfigError(path, problems)
    return Config(**values)


def _unknown(key: str) -> str:
    close = difflib.get_close_matches(key, SETTINGS, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"not a known setting ({hint}known: {', '.join(SETTINGS)})"


__all__ = [
    "LANGUAGE_CODE",
    "MIN_PASSWORD_LENGTH",
    "SETTINGS",
    "Config",
    "ConfigError",
    "FilePath",
    "Folder",
    "Kind",
    "LanguageCode",
    "OptionalText",
    "Password",
    "PrinterName",
    "Setting",
    "Switch",
    "WebAddress",
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
