"""The kiosk's look: colour tokens for normal and high contrast, and three text sizes.

``assets/styles/kiosk.qss`` is written with ``@token`` colours and pixel font sizes;
``stylesheet()`` fills in a palette and scales the fonts. ``tests/test_theme.py``
computes the WCAG contrast of every text/background pair below: at least 4.5:1 in the
normal theme and 7:1 in high contrast.
"""

from __future__ import annotations

import enum
import logging
import re
import time
from functools import lru_cache

from kiosk.content.paths import asset, assets_dir

log = logging.getLogger("kiosk.ui")


#: The UI's fonts, bundled in assets/fonts: Atkinson Hyperlegible (made for low-vision
#: readers) for Latin text, then the fallbacks for what it has no glyph for: Noto Sans
#: Arabic for Arabic script, DejaVu Sans for the rest (Greek, Cyrillic, ✓ ○ and arrows).
FONT_FAMILIES = ("Atkinson Hyperlegible", "Noto Sans Arabic", "DejaVu Sans")


class TextSize(enum.Enum):
    NORMAL = 1.0
    LARGE = 1.25
    EXTRA_LARGE = 1.5


NORMAL: dict[str, str] = {
    "bg": "#F6F4EF",
    "surface": "#FFFFFF",
    "ink": "#18212B",
    "muted": "#3F4A57",
    "border": "#5B6675",
    "line": "#D5D9DE",
    "primary": "#0B5E5A",
    "primary_dark": "#084441",
    "on_primary": "#FFFFFF",
    "error": "#A1261B",
    "error_bg": "#FDECEA",
    "right": "#1D6B2F",
    "tint": "#E6F0EF",
    "track": "#E3E7EB",
    "cell_line": "#C4CDD5",
    "disabled_bg": "#C9D1D6",
    "disabled_border": "#A3ADB6",
    "focus": "#B7791F",
    "scroll": "#7A8591",
    "overlay": "rgba(24, 33, 43, 190)",
    # The body map's drawing: an unmarked place, the lines between places, and a place
    # marked without a number yet.
    "map_body": "#F4EFE8",
    "map_cut": "#8A9BAB",
    "map_unscored": "#FFE7A8",
}

HIGH_CONTRAST: dict[str, str] = {
    "bg": "#000000",
    "surface": "#000000",
    "ink": "#FFFFFF",
    "muted": "#E6E6E6",
    "border": "#FFFFFF",
    "line": "#FFFFFF",
    "primary": "#FFE14D",
    "primary_dark": "#FFFFFF",
    "on_primary": "#000000",
    "error": "#FF9E94",
    "error_bg": "#000000",
    "right": "#8CFF8C",
    "tint": "#1A1A1A",
    "track": "#333333",
    "cell_line": "#FFFFFF",
    "disabled_bg": "#333333",
    "disabled_border": "#FFFFFF",
    "focus": "#00E5FF",
    "scroll": "#FFFFFF",
    "overlay": "rgba(0, 0, 0, 220)",
    "map_body": "#1A1A1A",
    "map_cut": "#B3B3B3",
    "map_unscored": "#FFE14D",
}

#: (text token, background token) pairs that the stylesheet puts together.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("ink", "bg"),
    ("ink", "surface"),
    ("muted", "bg"),
    ("muted", "surface"),
    ("primary", "bg"),  # section and part headings
    ("primary", "surface"),
    ("on_primary", "primary"),
    ("on_primary", "primary_dark"),
    ("error", "error_bg"),
    ("error", "surface"),
    ("right", "surface"),
    ("ink", "tint"),
    ("muted", "disabled_bg"),
    ("border", "surface"),  # disabled choice text
)


_registered: list[str] = []


def register_fonts() -> None:
    """Add the bundled fonts to Qt's font database, once per process.

    Cheap enough for the boot path: about 6 ms for all seven files on the reference
    machine, most of it Qt reading the system's font list, which the first label would
    do anyway (measured by ``python -m bench``, the first frame). The time is logged.
    """
    if _registered:
        return
    from PySide6.QtGui import QFontDatabase  # theme.py itself stays free of Qt

    started = time.perf_counter()
    for path in sorted((assets_dir() / "fonts").glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("font %s could not be loaded", path.name)
        _registered.append(path.name)
    log.debug("bundled fonts registered in %.1f ms", (time.perf_counter() - started) * 1000)


def palette(high_contrast: bool) -> dict[str, str]:
    return HIGH_CONTRAST if high_contrast else NORMAL


@lru_cache(maxsize=8)
def stylesheet(size: TextSize = TextSize.NORMAL, high_contrast: bool = False) -> str:
    text = asset("styles/kiosk.qss").read_text(encoding="utf-8")
    colours = palette(high_contrast)
    text = text.replace("@font_families", ", ".join(f'"{f}"' for f in FONT_FAMILIES))
    # Longest names first, so @primary_dark is not read as @primary + "_dark".
    for name in sorted(colours, key=len, reverse=True):
        text = text.replace(f"@{name}", colours[name])
    return re.sub(
        r"font-size:\s*(\d+)px",
        lambda m: f"font-size: {round(int(m.group(1)) * size.value)}px",
        text,
    )


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
