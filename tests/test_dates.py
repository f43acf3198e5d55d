"""Months are named in one place: the content's ``date.months``, through kiosk.domain.dates."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from kiosk.app.journey import view_of
from kiosk.domain.dates import ENGLISH_MONTHS, format_date, month_names, short_date
from kiosk.domain.flow import Step, StepKind
from kiosk.domain.model import Content, split_months
from kiosk.domain.session import Session

STRINGS = Path(__file__).parent.parent / "kiosk" / "content" / "strings.toml"


def test_the_english_months_are_the_contents() -> None:
    strings = tomllib.loads(STRINGS.read_text(encoding="utf-8"))
    table = strings.get("strings", strings)
    assert split_months(table["date.months"]) == ENGLISH_MONTHS


def test_the_clinicians_short_date_and_the_patients_long_date_agree() -> None:
    day = dt.date(1985, 9, 12)
    assert short_date(day) == "12 Sep 1985"
    assert format_date(day) == "12 September 1985"


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_picker_and_the_review_name_a_month_the_same_way(
    qtbot, content: Content, language: str
) -> None:
    from kiosk.ui.screens import IdentityScreen

    c = content.for_language(language)
    session = Session(c, "Clinic")
    screen = IdentityScreen(c, view_of(session, Step(StepKind.IDENTITY)))
    qtbot.addWidget(screen)
    names = month_names(c)
    assert screen.date.month.months == names
    for month in range(1, 13):
        # The review screen says the date of birth with format_date(..., content).
        assert names[month - 1] in format_date(dt.date(1990, month, 3), c)
