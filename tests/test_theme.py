"""Colours and text sizes: every text/background pair is readable (WCAG)."""

from __future__ import annotations

import re

import pytest

from kiosk.ui.theme import HIGH_CONTRAST, NORMAL, TEXT_PAIRS, TextSize, contrast, stylesheet


@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_normal_theme_reaches_aa(text: str, background: str) -> None:
    assert contrast(NORMAL[text], NORMAL[background]) >= 4.5


@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_high_contrast_reaches_aaa(text: str, background: str) -> None:
    assert contrast(HIGH_CONTRAST[text], HIGH_CONTRAST[background]) >= 7.0


def test_contrast_formula() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_both_palettes_define_every_token_the_stylesheet_uses() -> None:
    for size in TextSize:
        for high in (False, True):
            assert "@" not in re.sub(r'"[^"]*"', "", stylesheet(size, high))
    assert NORMAL.keys() == HIGH_CONTRAST.keys()


def test_text_sizes_scale_every_font() -> None:
    sizes = [
        [int(n) for n in re.findall(r"font-size:\s*(\d+)px", stylesheet(size))] for size in TextSize
    ]
    assert all(large > normal for normal, large in zip(sizes[0], sizes[2], strict=True))
    assert max(sizes[0]) * 1.5 == pytest.approx(max(sizes[2]), abs=1)
