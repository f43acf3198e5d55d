"""Turning patient and content strings into text that is safe to print.

Every string from a ``Summary`` goes through :func:`esc` before it meets ``Paragraph``
markup, and through :func:`plain` before it is drawn straight onto the canvas.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape

# C0 and C1 control characters other than tab and line breaks (handled below); they
# have no glyph and some upset ReportLab's markup parser.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Lone surrogates cannot be encoded into the PDF at all.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_ENTITIES = {'"': "&quot;", "'": "&#39;"}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: dt.datetime) -> str:
    """``27 Nov 2026, 14:05`` in the time the kiosk recorded (its local time)."""
    return f"{format_date(value)}, {value:%H:%M}"
