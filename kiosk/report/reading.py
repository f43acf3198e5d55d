"""What the patient read and how well they understood it, on the clinician's summary:
the comprehension check and the education pages.

A page or statement the patient saw in the clinic's language, for want of a translation
into theirs (``Content.fallback_pages`` and ``fallback_statements``), is marked, and a
line above the list counts them: a wrong answer to a statement in a language the patient
does not read measures their English, not their understanding.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from kiosk.domain.summary import Summary
from kiosk.report import styles as look
from kiosk.report.blocks import MIN_ROW_SPLIT, cell_table, heading, hex_of
from kiosk.report.page import FRAME_WIDTH, Paragraph
from kiosk.report.styles import Styles
from kiosk.report.text import esc, language_label


def checks_section(s: Summary, st: Styles) -> list[Flowable]:
    checks = s.checks
    if not checks:
        return [
            *heading("Comprehension check", st.heading),
            Paragraph("No comprehension check was recorded.", st.body),
        ]
    understood = sum(c.understood for c in checks)
    title = f"Comprehension check ({understood} of {len(checks)} understood)"
    data: list[list[Any]] = [
        [Paragraph(h, st.cell_head) for h in ("Statement", "Correct", "Patient", "Understood")]
    ]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), look.HEADER_TINT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, look.GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, check in enumerate(checks, start=1):
        if check.understood:
            verdict = f'<font color="{hex_of(look.OK)}">✓ Yes</font>'
        else:
            verdict = f'<font color="{hex_of(look.MISUNDERSTOOD)}">✗ NO</font>'
            commands.append(("BACKGROUND", (0, i), (-1, i), look.MISUNDERSTOOD_TINT))
        data.append(
            [
                Paragraph(esc(check.statement) + _marked(s, check.untranslated), st.cell),
                Paragraph(esc(check.correct_answer), st.cell),
                Paragraph(esc(check.given_answer), st.cell_bold),
                Paragraph(verdict, st.cell_bold),
            ]
        )
    small_col = 24 * mm
    return [
        *heading(title, st.heading),
        *_untranslated(s, sum(c.untranslated for c in checks), "statement", st),
        cell_table(
            st,
            data,
            colWidths=[FRAME_WIDTH - 3 * small_col, small_col, small_col, small_col],
            commands=commands,
            repeatRows=1,
            splitInRow=MIN_ROW_SPLIT,
        ),
    ]


def education_section(s: Summary, st: Styles) -> list[Flowable]:
    titles = s.pages_viewed
    head = heading(f"Education pages viewed ({len(titles)})", st.heading)
    if not titles:
        return [*head, Paragraph("None.", st.body)]
    return [
        *head,
        *_untranslated(s, len(s.pages_untranslated), "page", st),
        *(
            Paragraph(esc(t) + _marked(s, t in s.pages_untranslated), st.bullet, bulletText="•")
            for t in titles
        ),
    ]


def _untranslated(s: Summary, count: int, what: str, st: Styles) -> list[Flowable]:
    """Above a list: how many of its items the patient saw in the clinic's language."""
    if not count:
        return []
    clinic, patient = language_label(s.clinic_language), language_label(s.language)
    return [
        Paragraph(
            f"<b>{count} {what}{'' if count == 1 else 's'} shown in {esc(clinic)}</b>, "
            f"not {esc(patient)}, for want of a translation (marked below).",
            st.body,
        )
    ]


def _marked(s: Summary, untranslated: bool) -> str:
    """The mark after an item the patient saw in the clinic's language."""
    if not untranslated:
        return ""
    return f" — shown in {esc(language_label(s.clinic_language))}"
