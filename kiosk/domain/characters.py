"""Which characters show anything: what a name or an answer needs to be read back.

A string can be non-empty and still print as nothing: zero-width joiners, variation
selectors, the Hangul filler letters, the blank Braille pattern. The identity screen
refuses such a name as it refuses an empty one, a text answer of them is empty, and the
PDFs draw nothing (rather than a missing-glyph box) for an invisible character their
fonts lack.
"""

from __future__ import annotations

import unicodedata

#: Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt, Unicode 15):
#: characters a renderer shows as nothing when it has no glyph for them.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
#: Drawn as blank space although Unicode does not class it as ignorable or as a space.
BLANK_SYMBOLS = frozenset("\u2800")  # BRAILLE PATTERN BLANK


def is_default_ignorable(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in DEFAULT_IGNORABLE)


def shows_something(char: str) -> bool:
    """Whether ``char`` alone puts something on the page a reader can see: a letter,
    digit, punctuation mark or symbol that is not blank. Spaces, controls, format
    characters and combining marks (an accent over nothing) do not."""
    return (
        unicodedata.category(char)[0] in "LNPS"
        and char not in BLANK_SYMBOLS
        and not is_default_ignorable(char)
    )


def has_visible(text: str) -> bool:
    """Whether ``text`` has at least one character that :func:`shows_something`."""
    return any(shows_something(c) for c in text)
