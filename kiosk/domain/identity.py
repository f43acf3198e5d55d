"""Who the patient is: name and date of birth, checked, and the age computed from them."""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from dataclasses import dataclass

from kiosk.domain.characters import has_visible

NAME_MAX = 100
EARLIEST_BIRTH_YEAR = 1900


class DateProblem(enum.Enum):
    INCOMPLETE = "incomplete"  # a field is empty or not a number
    NOT_A_DATE = "not_a_date"  # 31 April, 29 February 2023, year 1850
    FUTURE = "future"


class DateInvalid(ValueError):
    def __init__(self, problem: DateProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Identity:
    name: str
    date_of_birth: dt.date

    def age_on(self, today: dt.date) -> int:
        return age_on(self.date_of_birth, today)


def strip_controls(text: str) -> str:
    """Remove control and format characters (bidi overrides, NUL, escapes) and unpaired surrogates.

    Zero-width joiners stay: some scripts need them to spell a name correctly. The
    characters go first and the result is then put in NFC, so that cleaning twice
    changes nothing (a removed character can let a letter and its accent join).
    """
    keep = {"\u200c", "\u200d", "\t", "\n"}
    kept = "".join(
        ch
        for ch in text
        if ch in keep or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return unicodedata.normalize("NFC", kept)


def clean_name(raw: str) -> str:
    """The name as it will be printed; empty if nothing usable was typed.

    A name with nothing a reader could see (zero-width joiners, variation selectors,
    Hangul fillers, accents over nothing: see ``kiosk.domain.characters``) is as empty as
    one of spaces, so the identity screen refuses both with the same message.

    Idempotent: ``clean_name(clean_name(x)) == clean_name(x)``, which the record check
    (a hash over the name) relies on when a saved response is read back.
    """
    name = " ".join(strip_controls(raw).split())[:NAME_MAX].rstrip()
    return name if has_visible(name) else ""


def parse_date(day: str, month: str, year: str, today: dt.date) -> dt.date:
    """A date of birth from three typed fields; raises ``DateInvalid`` saying what is wrong."""
    parts = [p.strip() for p in (day, month, year)]
    if not all(p.isdigit() and p.isascii() for p in parts):
        raise DateInvalid(DateProblem.INCOMPLETE)
    d, m, y = (int(p) for p in parts)
    if y < EARLIEST_BIRTH_YEAR:
        raise DateInvalid(DateProblem.NOT_A_DATE)
    try:
        date = dt.date(y, m, d)
    except ValueError:
        raise DateInvalid(DateProblem.NOT_A_DATE) from None
    if date > today:
        raise DateInvalid(DateProblem.FUTURE)
    return date


def age_on(birth: dt.date, today: dt.date) -> int:
    """Age in whole years on ``today``.

    Someone born on 29 February turns a year older on 1 March in common years: before
    then, (month, day) of today sorts before (2, 29).
    """
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
