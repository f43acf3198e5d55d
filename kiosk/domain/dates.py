"""How a month and a date are named: the one place every screen, report and file asks.

The patient's month names come from the content (``date.months`` in strings.toml and in
each locale), so the date picker, the review screen and the answers on paper name a
month the same way. The clinician's summary is laid out in English; its month names
are ``ENGLISH_MONTHS``, which a test holds equal to the English ``date.months``.
"""

from __future__ import annotations

import datetime as dt

from kiosk.domain.model import Content, split_months

ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def month_names(content: Content) -> tuple[str, ...]:
    """The twelve month names in the content's language, January first."""
    return split_months(content.text("date.months"))


def format_date(date: dt.date, content: Content | None = None) -> str:
    """A date as the patient reads it: "3 March 1956", "3 de marzo de 1956".

    Without ``content``, in English (the clinic's records and logs of dates).
    """
    if content is None:
        return f"{date.day} {ENGLISH_MONTHS[date.month - 1]} {date.year}"
    month = month_names(content)[date.month - 1]
    return content.text("date.format", day=date.day, month=month, year=date.year)


def short_date(date: dt.date) -> str:
    """``12 Mar 1985``: the clinician's summary, unambiguous whatever the reader's habit."""
    return f"{date.day} {ENGLISH_MONTHS[date.month - 1][:3]} {date.year}"
