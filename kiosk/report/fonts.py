"""The bundled fonts, registered with ReportLab once per process.

The PDFs use the kiosk's own fonts (``kiosk/assets/fonts/README.md``):

* Atkinson Hyperlegible, the body font: designed for low-vision readers, Latin only;
* Noto Sans Arabic for Arabic script (it has the presentation forms that
  ``kiosk.report.bidi`` shapes Arabic into);
* DejaVu Sans for everything else: Greek, Cyrillic, and symbols such as ☐ ✓ ↳;
* DejaVu Sans Mono for the record check, whose groups of hex digits are easier to
  compare by eye when every character is as wide as the next.

ReportLab has no font fallback of its own: ``kiosk.report.bidi`` picks, character by
character, the first of these fonts that has a glyph (:meth:`Fonts.for_char`). A
character none of them has is drawn as U+FFFD, the replacement character "�", so the
page shows it was there and the text layer says the same (:meth:`Fonts.glyph`).

ReportLab writes the text layer's map from glyphs back to characters (the ToUnicode
CMap) with a bug: a character above U+FFFF (😀) is written as ``<1F600>``, an odd
number of hex digits, and pypdf reads it back as nothing ("invalid hex string").
:func:`to_unicode_cmap` writes it as the PDF specification asks, in UTF-16.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.content.paths import assets_dir
from kiosk.domain.characters import is_default_ignorable

REGULAR_FILE = "AtkinsonHyperlegible-Regular.ttf"
BOLD_FILE = "AtkinsonHyperlegible-Bold.ttf"
ARABIC_FILE = "NotoSansArabic-Regular.ttf"
ARABIC_BOLD_FILE = "NotoSansArabic-Bold.ttf"
FALLBACK_FILE = "DejaVuSans.ttf"
FALLBACK_BOLD_FILE = "DejaVuSans-Bold.ttf"
MONO_FILE = "DejaVuSansMono.ttf"

#: Arabic script, as code points: the letters and the presentation forms.
ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)


#: Drawn for a character that no bundled font has.
REPLACEMENT = "\ufffd"

#: ReportLab's own CMap writer, which :func:`to_unicode_cmap` corrects.
_reportlab_cmap = ttfonts.makeToUnicodeCMap
#: A ``bfchar`` line whose character is above U+FFFF: five or six hex digits.
_ABOVE_BMP = re.compile(r"^(<[0-9A-F]{2}> )<([0-9A-F]{5,6})>$", re.MULTILINE)


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap for one font subset, with each character above U+FFFF
    written as its UTF-16 surrogate pair (``<D83DDE00>`` for 😀), as PDF requires of a
    ``bfchar`` destination; ReportLab writes ``<1F600>``. Other lines are unchanged."""
    cmap: str = _reportlab_cmap(fontname, subset)
    return _ABOVE_BMP.sub(
        lambda m: f"{m[1]}<{chr(int(m[2], 16)).encode('utf-16-be').hex().upper()}>", cmap
    )


#: Any character of the Arabic blocks, to tell at once that a string has none.
_ARABIC = re.compile(
    "[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in ARABIC_BLOCKS) + "]"
)


def is_arabic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ARABIC_BLOCKS)


@dataclass(frozen=True)
class Fonts:
    """The names under which the fonts are registered, and what each one can draw."""

    regular: str
    bold: str
    mono: str
    arabic: str = "NotoSansArabic"
    arabic_bold: str = "NotoSansArabic-Bold"
    fallback: str = "DejaVuSans"
    fallback_bold: str = "DejaVuSans-Bold"
    #: Code points each font has a glyph for, by font name.
    coverage: dict[str, frozenset[int]] = field(
        default_factory=dict, hash=False, compare=False, repr=False
    )

    def is_bold(self, font: str) -> bool:
        return font in (self.bold, self.arabic_bold, self.fallback_bold)

    def plain(self, text: str, font: str) -> bool:
        """Whether every character of ``text`` is drawn in ``font`` as it is (what
        :meth:`glyph` says one by one, in one test for the whole string): no Arabic, and
        nothing ``font`` lacks. Nearly all text is plain, and skips the per-character
        choice."""
        if _ARABIC.search(text) is not None:
            return False
        covered = self.coverage.get(font)
        return covered is None or covered.issuperset(map(ord, text))

    def for_char(self, char: str, font: str) -> str:
        """The font to draw ``char`` with, in text whose own font is ``font``.

        Arabic script goes to the Arabic font (of the same weight); any other
        character the font cannot draw goes to DejaVu Sans; the rest stays in ``font``.
        """
        bold = self.is_bold(font)
        if is_arabic(char):
            arabic = self.arabic_bold if bold else self.arabic
            if ord(char) in self.coverage.get(arabic, (ord(char),)):
                return arabic
        if font not in self.coverage or ord(char) in self.coverage[font]:
            return font
        # Invisible characters too (zero-width joiners, spaces): DejaVu has glyphs for
        # them, so they stay in the PDF's text layer.
        fallback = self.fallback_bold if bold else self.fallback
        return fallback if ord(char) in self.coverage.get(fallback, ()) else font

    def glyph(self, char: str, font: str) -> tuple[str, str]:
        """The font, and the text, to draw ``char`` with in text whose font is ``font``.

        ``char`` in :meth:`for_char`'s font when that has it. Otherwise no font would
        draw it but as a missing-glyph box, which pypdf reads back as NUL: an invisible
        character (a variation selector, a bidi control) is left out, as any renderer
        would, and any other is drawn as U+FFFD, which reads back as itself.
        """
        chosen = self.for_char(char, font)
        if chosen not in self.coverage or ord(char) in self.coverage[chosen]:
            return chosen, char
        if is_default_ignorable(char):
            return chosen, ""
        return self.for_char(REPLACEMENT, font), REPLACEMENT


def _fonts_dir() -> Path:
    """The folder that holds the bundled fonts: the one place kiosk.report finds assets."""
    return assets_dir() / "fonts"


@functools.cache
def register_fonts() -> Fonts:
    """Register the three families (regular and bold) and DejaVu Sans Mono.

    Cached: it is one-off work (about 0.2 s; see docs/performance.md).
    """
    # ReportLab looks the function up in its module each time it writes a PDF's
    # fonts, so from here on every TrueType font in every PDF gets the corrected map.
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    folder = _fonts_dir()
    names = {
        "AtkinsonHyperlegible": REGULAR_FILE,
        "AtkinsonHyperlegible-Bold": BOLD_FILE,
        "NotoSansArabic": ARABIC_FILE,
        "NotoSansArabic-Bold": ARABIC_BOLD_FILE,
        "DejaVuSans": FALLBACK_FILE,
        "DejaVuSans-Bold": FALLBACK_BOLD_FILE,
        "DejaVuSansMono": MONO_FILE,
    }
    coverage: dict[str, frozenset[int]] = {}
    for name, file in names.items():
        font = TTFont(name, str(folder / file))
        pdfmetrics.registerFont(font)
        coverage[name] = frozenset(font.face.charToGlyph)
    fonts = Fonts(
        regular="AtkinsonHyperlegible",
        bold="AtkinsonHyperlegible-Bold",
        mono="DejaVuSansMono",
        coverage=coverage,
    )
    # No oblique faces are bundled: <i> falls back to upright rather than to a
    # Latin-1-only built-in font.
    for regular, bold in (
        (fonts.regular, fonts.bold),
        (fonts.arabic, fonts.arabic_bold),
        (fonts.fallback, fonts.fallback_bold),
    ):
        pdfmetrics.registerFontFamily(
            regular, normal=regular, bold=bold, italic=regular, boldItalic=bold
        )
    return fonts
