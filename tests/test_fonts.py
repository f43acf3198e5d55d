"""The bundled fonts: real TrueType files, the coverage each is there for, their licences,
and that the UI and the PDFs both use them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QLabel

from kiosk.domain.model import Content
from kiosk.report.bidi import visual_line
from kiosk.report.fonts import ARABIC_BLOCKS, register_fonts
from kiosk.ui.theme import FONT_FAMILIES
from kiosk.ui.theme import register_fonts as register_ui_fonts

REPO = Path(__file__).resolve().parents[1]
FONTS = REPO / "kiosk" / "assets" / "fonts"
BUNDLED = {
    "AtkinsonHyperlegible-Regular.ttf": ("Atkinson Hyperlegible", "Regular"),
    "AtkinsonHyperlegible-Bold.ttf": ("Atkinson Hyperlegible", "Bold"),
    "NotoSansArabic-Regular.ttf": ("Noto Sans Arabic", "Regular"),
    "NotoSansArabic-Bold.ttf": ("Noto Sans Arabic", "Bold"),
}


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_each_font_is_a_truetype_file(name: str) -> None:
    data = (FONTS / name).read_bytes()
    assert data[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, not OTF/CFF or WOFF
    assert len(data) > 20_000


@pytest.mark.skipif(shutil.which("fc-scan") is None, reason="needs fontconfig's fc-scan")
@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_fontconfig_sees_the_family_and_a_static_face(name: str) -> None:
    out = subprocess.run(
        ["fc-scan", "--format", "%{family}|%{style}|%{variable}|%{fontformat}", str(FONTS / name)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    family, style, variable, fmt = out.split("|")
    assert (family, style) == BUNDLED[name]
    assert variable == "False"  # a static instance: ReportLab cannot read variable fonts
    assert fmt == "TrueType"


def _is_arabic(code: int) -> bool:
    return any(low <= code <= high for low, high in ARABIC_BLOCKS)


def test_atkinson_has_no_arabic_so_the_fallback_is_needed() -> None:
    fonts = register_fonts()
    for name in (fonts.regular, fonts.bold):
        assert not [c for c in fonts.coverage[name] if _is_arabic(c)], name
        assert ord("A") in fonts.coverage[name]
        assert ord("ñ") in fonts.coverage[name]


def test_noto_sans_arabic_draws_every_shaped_letter_of_the_arabic_content(
    content: Content,
) -> None:
    """Every character the Arabic PDFs can contain: each UI string and question of the
    Arabic content, shaped into presentation forms as kiosk.report.bidi draws it."""
    fonts = register_fonts()
    ar = content.for_language("ar")
    texts = [
        *ar.strings.values(),
        *(q.text for q in ar.questions),
        *(o.label for q in ar.questions for o in q.options),
        *ar.consent.body,
        ar.consent.title,
        ar.consent.agree_label,
    ]
    needed = {c for text in texts for c in visual_line(text) if _is_arabic(ord(c))}
    assert len(needed) > 60  # letters in their joined forms, and the lam-alef ligatures
    for name in (fonts.arabic, fonts.arabic_bold):
        missing = sorted(hex(ord(c)) for c in needed if ord(c) not in fonts.coverage[name])
        assert not missing, (name, missing)


@pytest.mark.parametrize(
    ("licence", "copyright"),
    [
        ("AtkinsonHyperlegible-OFL.txt", "Copyright 2020 Braille Institute of America, Inc."),
        ("NotoSansArabic-OFL.txt", "Copyright 2022 The Noto Project Authors"),
    ],
)
def test_licences_are_bundled(licence: str, copyright: str) -> None:
    text = (FONTS / licence).read_text(encoding="utf-8")
    assert copyright in text
    assert "SIL OPEN FONT LICENSE Version 1.1" in text
    readme = (FONTS / "README.md").read_text(encoding="utf-8")
    assert licence in readme


def test_ui_uses_atkinson_with_arabic_and_dejavu_fallbacks(qtbot) -> None:
    register_ui_fonts()
    families = set(QFontDatabase.families())
    assert set(FONT_FAMILIES) <= families
    from kiosk.ui.theme import TextSize, stylesheet

    label = QLabel("Hello")
    qtbot.addWidget(label)
    label.setStyleSheet(stylesheet(TextSize.NORMAL))
    label.ensurePolished()
    assert label.font().families() == list(FONT_FAMILIES)
    assert QFontInfo(label.font()).family() == "Atkinson Hyperlegible"


def test_registering_the_ui_fonts_adds_each_bundled_font_once() -> None:
    """In a fresh process (Qt's font database included), every bundled font file becomes
    an application font, and a second call adds nothing. How long it takes is a
    benchmark (``python -m bench``: the first frame), not a timed test."""
    code = (
        "import json\n"
        "from PySide6.QtGui import QFontDatabase, QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "from kiosk.ui.theme import register_fonts\n"
        "register_fonts(); first = set(QFontDatabase.families())\n"
        "register_fonts(); second = set(QFontDatabase.families())\n"
        "print(json.dumps([sorted(first), sorted(second - first)]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    families, added_again = json.loads(done.stdout.strip().splitlines()[-1])
    for family in ("Atkinson Hyperlegible", "Noto Sans Arabic"):
        assert family in families, family
    assert added_again == []
