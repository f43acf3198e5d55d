"""The bundled fonts, registered with ReportLab once per process.

ReportLab's built-in fonts cover Latin-1 only; DejaVu Sans covers Latin, Greek and
Cyrillic, so a patient's name prints as typed. DejaVu Sans Mono prints the record check,
whose groups of hex digits are easier to compare by eye when every character is as
wide as the next.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.core.paths import assets_dir

REGULAR_FILE = "DejaVuSans.ttf"
BOLD_FILE = "DejaVuSans-Bold.ttf"
MONO_FILE = "DejaVuSansMono.ttf"


@dataclass(frozen=True)
class Fonts:
    """The names under which the fonts are registered."""

    regular: str
    bold: str
    mono: str


def _fonts_dir() -> Path:
    """The folder that holds the bundled fonts: the one place kiosk.report finds assets."""
    return assets_dir() / "fonts"


@functools.cache
def register_fonts() -> Fonts:
    """Register DejaVu Sans (regular and bold) as one family, and DejaVu Sans Mono.

    Cached: it is one-off work (see docs/performance.md for its cost).
    """
    folder = _fonts_dir()
    fonts = Fonts(regular="DejaVuSans", bold="DejaVuSans-Bold", mono="DejaVuSansMono")
    pdfmetrics.registerFont(TTFont(fonts.regular, str(folder / REGULAR_FILE)))
    pdfmetrics.registerFont(TTFont(fonts.bold, str(folder / BOLD_FILE)))
    pdfmetrics.registerFont(TTFont(fonts.mono, str(folder / MONO_FILE)))
    # No oblique face is bundled: <i> falls back to upright rather than to a
    # Latin-1-only built-in font.
    pdfmetrics.registerFontFamily(
        fonts.regular,
        normal=fonts.regular,
        bold=fonts.bold,
        italic=fonts.regular,
        boldItalic=fonts.bold,
    )
    return fonts
