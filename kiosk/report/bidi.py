"""Arabic (and any right-to-left script) in the PDFs, and font fallback, for ReportLab.

ReportLab draws characters left to right, one glyph per code point, in one font per
run of text. Arabic needs three things it does not do by itself:

1. **Shaping.** Arabic letters join, and each takes a different form at the start,
   middle and end of a word. ``arabic-reshaper`` replaces each letter by the
   presentation form (U+FB50 to U+FEFF) that has the right shape. Vowel marks (harakat) are
   dropped, as in most printed Arabic: without OpenType positioning ReportLab would
   draw them beside their letter rather than over it.
2. **Ordering.** Right-to-left text is stored in reading order and must be drawn in
   display order; Latin words and numbers inside it stay left to right. The Unicode
   bidirectional algorithm (``python-bidi``) computes the order. It must run **one line
   at a time, after wrapping**: reordering a whole paragraph and then wrapping it would
   put its first words on its last line.
3. **Fonts.** The body font (Atkinson Hyperlegible) has no Arabic; each character is
   drawn in the first bundled font that has it, or as "�" when none has it
   (:meth:`kiosk.report.fonts.Fonts.glyph`).

:class:`RichParagraph` is a ReportLab ``Paragraph`` that does all three. A paragraph
with no right-to-left text is only given fallback fonts and is otherwise wrapped by
ReportLab as usual. One with right-to-left text is wrapped here, in reading order, with
each word measured in the fonts it will be drawn in; then each line is reordered for
display and handed to ReportLab as explicit lines, so ReportLab only draws them
(aligned, split across pages) and never re-wraps them. Markup (bold, size, colour)
keeps working, as each character carries its own fragment of style through the
reordering.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import arabic_reshaper
from bidi import algorithm as _uba
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from kiosk.report.fonts import Fonts, register_fonts

# Harakat deleted (see above); lam-alef ligatures on (they are required in Arabic).
_RESHAPER = arabic_reshaper.ArabicReshaper(
    configuration={"delete_harakat": True, "support_ligatures": True}
)

#: A line may come out this much narrower than measured, never wider: ReportLab must
#: not find a reason to wrap a line this module already wrapped.
_SLACK = 0.01

Frag = Any  # reportlab.platypus.paraparser.ParaFrag (untyped)


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter (Arabic, Hebrew, ...)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def shape(text: str) -> str:
    """Arabic letters in ``text`` replaced by their joined presentation forms.

    Reading order is kept; anything that is not Arabic is returned unchanged.
    """
    if not any("\u0600" <= c <= "\u08ff" for c in text):
        return text
    result: str = _RESHAPER.reshape(text)
    return result


def base_is_rtl(text: str) -> bool:
    """The paragraph direction Unicode gives ``text``: that of its first strong letter."""
    return bool(_uba.get_base_level(text))


def visual_order(text: str, rtl: bool | None = None) -> list[tuple[int, str]]:
    """The characters of one line in display order, left to right.

    Each entry is the index of the character in ``text`` and the character to draw
    (brackets inside right-to-left runs are mirrored). ``rtl`` is the paragraph
    direction; None takes it from the first strong letter. Format characters the
    algorithm removes (embedding controls) are left out.

    This runs python-bidi's Python implementation of the algorithm step by step, as
    its one-call ``get_display`` gives the reordered text but not which character went
    where, and each character's style must follow it. ``tests/test_bidi.py`` checks
    that the result matches ``get_display``.
    """
    storage: dict[str, Any] = _uba.get_empty_storage()
    level = _uba.get_base_level(text) if rtl is None else int(rtl)
    storage["base_level"] = level
    storage["base_dir"] = ("L", "R")[level]
    _uba.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
        if not char["type"]:
            # A code point this Python's Unicode data does not assign has no bidi class,
            # and python-bidi stops on it with an AssertionError. Unicode's default for
            # unassigned code points outside the right-to-left blocks is L.
            char["type"] = char["orig"] = "L"
    _uba.explicit_embed_and_overrides(storage)
    _uba.resolve_weak_types(storage)
    _uba.resolve_neutral_types(storage, False)
    _uba.resolve_implicit_levels(storage, False)
    _uba.reorder_resolved_levels(storage, False)
    _uba.apply_mirroring(storage, False)
    return [(char["index"], char["ch"]) for char in storage["chars"]]


def visual_line(text: str, rtl: bool | None = None) -> str:
    """One line of text shaped and in display order, ready to draw left to right."""
    shaped = shape(text)
    return "".join(char for _index, char in visual_order(shaped, rtl))


# ------------------------------------------------------------------ font runs


@functools.lru_cache(maxsize=8192)
def _char_width(char: str, font: str, size: float) -> float:
    width: float = stringWidth(char, font, size)
    return width


def font_runs(text: str, font: str, fonts: Fonts) -> list[tuple[str, str]]:
    """``text`` cut into (font, text) runs, each drawn in a font that has its glyphs
    (characters no font has replaced, see :meth:`Fonts.glyph`)."""
    if fonts.plain(text, font):
        return [(font, text)] if text else []
    runs: list[tuple[str, str]] = []
    for char in text:
        chosen, drawn = fonts.glyph(char, font)
        if runs and runs[-1][0] == chosen:
            runs[-1] = (chosen, runs[-1][1] + drawn)
        elif drawn:
            runs.append((chosen, drawn))
    return runs


def text_width(text: str, font: str, size: float, fonts: Fonts | None = None) -> float:
    """The width of one line of text (already shaped) in ``font`` with fallback fonts."""
    fonts = fonts or register_fonts()
    return float(sum(stringWidth(run, name, size) for name, run in font_runs(text, font, fonts)))


def draw_line(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    align: str = "left",
    max_width: float | None = None,
    rtl: bool | None = None,
) -> None:
    """Draw one line of plain text on a canvas: shaped, ordered, with fallback fonts.

    ``align`` says where ``x`` is: the line's "left" end, its "right" end, or its
    "centre". With ``max_width``, a longer line is cut short (in reading order) with an
    ellipsis.
    """
    fonts = register_fonts()
    line = fit(text, font, size, max_width, rtl) if max_width is not None else text
    visual = visual_line(line, rtl)
    width = text_width(visual, font, size, fonts)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    for name, run in font_runs(visual, font, fonts):
        canvas.setFont(name, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, name, size)


def fit(text: str, font: str, size: float, width: float | None, rtl: bool | None = None) -> str:
    """``text`` cut short with an ellipsis, in reading order, so that it fits ``width``."""
    if width is None or text_width(visual_line(text, rtl), font, size) <= width:
        return text
    while text and text_width(visual_line(text + "…", rtl), font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# ------------------------------------------------------------------ paragraphs


def _is_text(frag: Frag) -> bool:
    return not hasattr(frag, "lineBreak") and not hasattr(frag, "cbDefn")


def _with_fallback(frags: Sequence[Frag], fonts: Fonts) -> list[Frag]:
    """The fragments, each cut where its characters need another font (or are replaced)."""
    out: list[Frag] = []
    for frag in frags:
        if not _is_text(frag):
            out.append(frag)
            continue
        runs = font_runs(frag.text, frag.fontName, fonts)
        if runs == [(frag.fontName, frag.text)]:
            out.append(frag)
        elif not runs:  # nothing to draw; the fragment keeps its place in the markup
            out.append(frag.clone(text=""))
        else:
            out.extend(frag.clone(text=run, fontName=name) for name, run in runs)
    return out


def _needs_fallback(frags: Iterable[Frag], fonts: Fonts) -> bool:
    return any(not fonts.plain(frag.text, frag.fontName) for frag in frags if _is_text(frag))


def _line_break(frag: Frag) -> Frag:
    brk = frag.clone(text="")
    brk.lineBreak = True
    return brk


_Char = tuple[str, Frag]  # a character (shaped) and the fragment whose style it has


def _hard_lines(frags: Sequence[Frag]) -> list[list[_Char]]:
    """The paragraph's characters, shaped, cut at explicit line breaks (``<br/>``)."""
    lines: list[list[_Char]] = [[]]
    for frag in frags:
        if hasattr(frag, "lineBreak"):
            lines.append([])
        elif _is_text(frag) and frag.text:
            lines[-1].extend((c, frag) for c in shape(frag.text))
    return lines


def _words(chars: list[_Char]) -> list[list[_Char]]:
    """The line cut after each space (the space stays with the word before it)."""
    words: list[list[_Char]] = [[]]
    for item in chars:
        words[-1].append(item)
        if item[0] == " ":
            words.append([])
    return [w for w in words if w]


def _width(chars: Iterable[_Char], fonts: Fonts) -> float:
    return sum(
        _char_width(drawn, font, frag.fontSize)
        for c, frag in chars
        for font, drawn in [fonts.glyph(c, frag.fontName)]
    )


def _trim(chars: list[_Char]) -> list[_Char]:
    start, end = 0, len(chars)
    while start < end and chars[start][0] == " ":
        start += 1
    while end > start and chars[end - 1][0] == " ":
        end -= 1
    return chars[start:end]


def wrap_logical(chars: list[_Char], width: float, fonts: Fonts) -> list[list[_Char]]:
    """Break one hard line into lines no wider than ``width``, in reading order.

    Lines break after spaces; a word wider than a whole line is broken between letters.
    """
    lines: list[list[_Char]] = []
    line: list[_Char] = []
    for word in _words(chars):
        if _width(_trim([*line, *word]), fonts) <= width - _SLACK:
            line.extend(word)
            continue
        if _trim(line):
            lines.append(_trim(line))
        line = []
        if _width(_trim(word), fonts) <= width - _SLACK:
            line = list(word)
            continue
        for item in word:  # a word longer than a line
            if line and _width(_trim([*line, item]), fonts) > width - _SLACK:
                lines.append(_trim(line))
                line = []
            line.append(item)
    if _trim(line) or not lines:
        lines.append(_trim(line))
    return lines


def _display_frags(line: list[_Char], rtl: bool, fonts: Fonts) -> list[Frag]:
    """One line (reading order) as fragments in display order, with fallback fonts."""
    text = "".join(c for c, _frag in line)
    out: list[Frag] = []
    current: tuple[int, str] | None = None
    buffer = ""
    for index, char in visual_order(text, rtl):
        frag = line[index][1]
        font, drawn = fonts.glyph(char, frag.fontName)
        key = (id(frag), font)
        if key != current and buffer:
            out.append(_owner(current, line).clone(text=buffer, fontName=current[1]))  # type: ignore[index]
            buffer = ""
        current = key
        buffer += drawn
    if buffer and current is not None:
        out.append(_owner(current, line).clone(text=buffer, fontName=current[1]))
    return out


def _owner(key: tuple[int, str] | None, line: list[_Char]) -> Frag:
    assert key is not None
    return next(frag for _c, frag in line if id(frag) == key[0])


def layout(frags: Sequence[Frag], width: float, rtl: bool, fonts: Fonts) -> list[Frag]:
    """Fragments for a paragraph with right-to-left text: wrapped in reading order to
    ``width``, each line then shaped and reordered, lines joined by explicit breaks."""
    first_text = next((f for f in frags if _is_text(f)), None)
    out: list[Frag] = []
    for hard in _hard_lines(frags):
        for line in wrap_logical(hard, width, fonts):
            if out and first_text is not None:
                out.append(_line_break(first_text))
            if line:
                out.extend(_display_frags(line, rtl, fonts))
            elif first_text is not None:  # an empty line keeps its height
                out.append(first_text.clone(text=" "))
    return out


def mirrored_style(style: ParagraphStyle) -> ParagraphStyle:
    """The style for right-to-left reading: right-aligned, indents on the right."""
    return ParagraphStyle(
        f"{style.name}_rtl",
        parent=style,
        alignment=TA_RIGHT if style.alignment == TA_LEFT else style.alignment,
        leftIndent=style.rightIndent,
        rightIndent=style.leftIndent,
    )


class RichParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A ``Paragraph`` with fallback fonts and right-to-left text drawn correctly.

    ``direction`` is the reading direction of the document: "rtl" for a page that reads
    right to left (lines start on the right), "ltr" for one that reads left to right,
    None to take each paragraph's own direction from its first letter (an Arabic name
    in an English summary reads right to left inside its left-aligned line). The style
    is not mirrored here: the document's styles say where lines start.
    """

    frags: list[Frag]  # ReportLab's parsed fragments (then its own word list, once wrapped)

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle | None = None,
        bulletText: str | None = None,  # ReportLab's name
        frags: list[Frag] | None = None,
        direction: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(text, style, bulletText, frags, **kwargs)
        self._logical: list[Frag] | None = None
        self._laid_out_at: float | None = None
        self._rtl = False
        if frags is not None:
            return  # a part that ``split`` cut from a paragraph already laid out
        fonts = register_fonts()
        parsed: list[Frag] = self.frags
        plain = "".join(f.text for f in parsed if _is_text(f))
        if has_rtl(plain):
            self._logical = parsed
            self._rtl = direction == "rtl" if direction else base_is_rtl(plain)
        elif _needs_fallback(parsed, fonts):
            self.frags = _with_fallback(parsed, fonts)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._logical is not None and self._laid_out_at != availWidth:
            style = self.style
            width = availWidth - style.leftIndent - style.rightIndent
            self.frags = layout(self._logical, width, self._rtl, register_fonts())
            self._laid_out_at = availWidth
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        return size
