"""What a setting's value may be: each kind checks and converts a value read from the
settings file, with the reason when it is wrong, and says itself for the docs. The
settings (:class:`kiosk.app.config.Config`) are declared with these.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: An encryption password shorter than this is refused.
MIN_PASSWORD_LENGTH = 12

#: ``en`` or ``es-MX``: a language, optionally with a region.
LANGUAGE_CODE = re.compile(r"[a-z]{2}(-[A-Z]{2})?")

#: Characters CUPS does not allow in a printer name (lpadmin refuses them).
_PRINTER_FORBIDDEN = re.compile(r"[\s/\\#'\"?]")


class BadValue(ValueError):
    """A setting's value cannot be used; the message is the reason."""


class Kind:
    """What a setting's value may be: ``parse`` checks and converts a value from the file
    (raising :class:`BadValue` with the reason), ``describe`` says it for the docs."""

    def describe(self) -> str:
        return "text"

    def parse(self, value: object, base: Path) -> Any:
        if not isinstance(value, str) or not value.strip():
            raise BadValue("must be text in quotes")
        return value.strip()


class Folder(Kind):
    """A folder; a relative one is taken from the settings file's folder (``base``)."""

    def describe(self) -> str:
        return "folder"

    def parse(self, value: object, base: Path) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise BadValue("must be a folder path in quotes")
        folder = Path(value.strip()).expanduser()
        return folder if folder.is_absolute() else (base / folder).resolve()


@dataclass(frozen=True)
class WholeNumber(Kind):
    low: int
    high: int
    unit: str

    def describe(self) -> str:
        return f"whole number, {self.low} to {self.high}"

    def parse(self, value: object, base: Path) -> int:
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not self.low <= value <= self.high
        ):
            raise BadValue(
                f"must be a whole number of {self.unit} from {self.low} to {self.high} "
                f"(got {_shown(value)})"
            )
        return value


class Switch(Kind):
    def describe(self) -> str:
        return "`true` / `false`"

    def parse(self, value: object, base: Path) -> bool:
        if not isinstance(value, bool):
            raise BadValue(f"must be true or false (got {_shown(value)})")
        return value


class PrinterName(Kind):
    def parse(self, value: object, base: Path) -> str:
        if not isinstance(value, str):
            raise BadValue('must be a printer name in quotes (or "" for the default)')
        name = value.strip()
        if _PRINTER_FORBIDDEN.search(name) or len(name) > 127:
            raise BadValue(
                "not a CUPS printer name: at most 127 characters, without spaces, "
                f"/ \\ # ? or quotes (got {_shown(name)})"
            )
        return name


class LanguageCode(Kind):
    def parse(self, value: object, base: Path) -> str:
        if not isinstance(value, str) or not LANGUAGE_CODE.fullmatch(value):
            raise BadValue(f'must be a language code such as "en" or "es-MX" (got {_shown(value)})')
        return value


class Password(Kind):
    def parse(self, value: object, base: Path) -> str:
        # Never echo the password, not even part of it.
        if not isinstance(value, str):
            raise BadValue('must be text in quotes (or "" for no encryption)')
        if value and len(value) < MIN_PASSWORD_LENGTH:
            raise BadValue(
                f"must be at least {MIN_PASSWORD_LENGTH} characters long "
                f"(it has {len(value)}), or empty for no encryption"
            )
        return value


class OptionalText(Kind):
    """Text that may be empty ("" for none)."""

    def parse(self, value: object, base: Path) -> str:
        if not isinstance(value, str):
            raise BadValue('must be text in quotes (or "" for none)')
        return value.strip()


class WebAddress(Kind):
    """An ``https://`` (or ``http://``) address, "" for none; kept without a final ``/``."""

    def describe(self) -> str:
        return "web address"

    def parse(self, value: object, base: Path) -> str:
        if not isinstance(value, str):
            raise BadValue('must be a web address in quotes (or "" for none)')
        text = value.strip()
        if not text:
            return ""
        try:
            parts = urllib.parse.urlsplit(text)
            parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
        except ValueError:
            raise BadValue(f"not a web address (got {_shown(text)})") from None
        if parts.username is not None or parts.password is not None:
            # Never echo it: the part before @ may be a password.
            raise BadValue(
                "must not hold a user name or password; the kiosk reads its credentials "
                "from fhir_token_file or the client credentials"
            )
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise BadValue(
                f"must start with https:// (or http://) and name a server (got {_shown(text)})"
            )
        if parts.query or parts.fragment:
            raise BadValue(f"must not end in a ?query or #fragment (got {_shown(text)})")
        return text.rstrip("/")


class FilePath(Kind):
    """A file, "" for none; a relative one is taken from the settings file's folder."""

    def describe(self) -> str:
        return "file"

    def parse(self, value: object, base: Path) -> Path | None:
        if not isinstance(value, str):
            raise BadValue('must be a file path in quotes (or "" for none)')
        if not value.strip():
            return None
        path = Path(value.strip()).expanduser()
        return path if path.is_absolute() else (base / path).resolve()


def _shown(value: object) -> str:
    """A value as the reader wrote it, cut short, for "(got ...)" in a problem."""
    text = repr(value) if not isinstance(value, bool) else str(value).lower()
    return text if len(text) <= 40 else text[:37] + "..."
