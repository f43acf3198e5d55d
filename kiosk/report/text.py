"""Turning patient and content strings into text that is safe to print.

Every string from a ``Summary`` goes through :func:`esc` before it meets ``Paragraph``
markup, and through :func:`plain` before it is drawn straight onto the canvas.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape

from kiosk.domain.dates import short_date

# C0 and C1 control characters other than tab and line breaks (handled below); they
# have no glyph and some upset ReportLab's markup parser.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Lone surrogates cannot be encoded into the PDF at all.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_ENTITIES = {'"': "&quot;", "'": "&#39;"}


def clean(text: str) -> str:
    """The text without control characters or lone surrogates; line breaks become ``\\n``."""
    text = _CONTROL.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    text = _LINE_BREAK.sub("\n", text)
    return text.replace("\t", " ")


def esc(text: str) -> str:
    """The text as ``Paragraph`` markup that prints it literally, line breaks kept."""
    return escape(clean(text), _ENTITIES).replace("\n", "<br/>")


def plain(text: str) -> str:
    """The text on one line, for drawing straight onto the canvas (no markup there)."""
    return " ".join(clean(text).split())


def format_date(value: dt.date) -> str:
    """``12 Mar 1985``: unambiguous, whatever the reader's habit of day and month order."""
    return short_date(value)


def format_datetime(value: dt.datetime) -> str:
    """``27 Nov 2026, 14:05`` in the time the kiosk recorded (its local time)."""
    return f"{format_date(value)}, {value:%H:%M}"


#: Languages by code, named in English (the language of the clinician's summary).
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "it": "Italian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


def language_label(code: str, own_name: str = "") -> str:
    """``Arabic (العربية)``: the language in English, and in itself when that differs.

    A code the table does not know prints as itself, so the clinician still sees it.
    """
    english = LANGUAGE_NAMES.get(code.split("-")[0].lower(), code)
    if own_name and own_name.casefold() != english.casefold():
        return f"{english} ({own_name})"
    return english


def format_date_in(language: str, value: dt.date) -> str:
    """A date for a reader of ``language``: ``12 Mar 1985`` in English, else ``12/03/1985``.

    Only English month names are at hand, and day/month/year is the order Spanish and
    Arabic readers expect.
    """
    if language.split("-")[0] == "en":
        return format_date(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def format_datetime_in(language: str, value: dt.datetime) -> str:
    """``format_date_in`` with the time, ``27/11/2026 14:05`` (24-hour clock)."""
    if language.split("-")[0] == "en":
        return format_datetime(value)
    return f"{format_date_in(language, value.date())} {value:%H:%M}"
