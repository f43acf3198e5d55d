"""The kiosk's settings: one TOML file, every key documented and defaulted.

Example (``--config /etc/dn-kiosk/kiosk.toml``)::

    clinic_name = "Riverside Physiotherapy"
    output_dir = "/srv/dn-kiosk/summaries"
    idle_seconds = 90
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kiosk.core.paths import bundled_content_dir


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dn-kiosk"


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


_LIMITS = {
    "idle_seconds": (5, 3600),
    "countdown_seconds": (3, 600),
    "done_seconds": (3, 600),
    "clinician_idle_seconds": (15, 3600),
    "retention_days": (1, 3650),
}


class ConfigError(ValueError):
    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def load_config(path: Path | None) -> Config:
    """The settings from ``path``, or the defaults when ``path`` is None."""
    if path is None:
        return Config()
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(path, ["file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    except OSError as exc:
        raise ConfigError(path, [f"cannot be read: {exc.strerror}"]) from None
    problems: list[str] = []
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(Config)}
    for key, value in data.items():
        if key not in known:
            problems.append(f"{key}: not a known setting (known: {', '.join(known)})")
            continue
        if key.endswith("_dir"):
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{key}: must be a folder path in quotes")
                continue
            folder = Path(value).expanduser()
            values[key] = folder if folder.is_absolute() else (path.parent / folder).resolve()
        elif key in _LIMITS:
            low, high = _LIMITS[key]
            unit = "days" if key.endswith("_days") else "seconds"
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                problems.append(f"{key}: must be a whole number of {unit} from {low} to {high}")
                continue
            values[key] = value
        elif key == "auto_print":
            if not isinstance(value, bool):
                problems.append(f"{key}: must be true or false")
                continue
            values[key] = value
        elif key == "printer":
            if not isinstance(value, str):
                problems.append(f'{key}: must be a printer name in quotes (or "" for the default)')
                continue
            values[key] = value.strip()
        else:
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{key}: must be text in quotes")
                continue
            values[key] = value.strip()
    if problems:
        raise ConfigError(path, problems)
    return Config(**values)
