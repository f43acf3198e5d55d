"""The patient's own copy: their answers and the consent they signed, in their language.

Not the clinician's summary: no flags, no clinical notes, no record check; only what
the patient saw and gave, in the words they saw it in (``content.for_language`` of the
record's language). In a right-to-left language the page reads right to left: lines
start on the right and table columns are mirrored.

The copy is printed for the patient there and then; the kiosk never saves it (the
record it is made from is saved, so staff can make it again).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.domain.consent import ConsentDecision, Signer
from kiosk.domain.model import Content
from kiosk.domain.summary import Summary
from kiosk.report import styles as look
from kiosk.report.bidi import RichParagraph, draw_line
from kiosk.report.fonts import Fonts
from kiosk.report.page import build_document, setup_fonts
from kiosk.report.signature_box import SignatureBox
from kiosk.report.styles import CopyStyles, build_copy_styles
from kiosk.report.text import esc, format_date_in, format_datetime_in, plain

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
HEADER_TOP = 13 * mm
HEADER_RULE = 19 * mm
FOOTER_RULE = 15 * mm
FOOTER_TEXT = 10 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
KEEP_WITH_HEADING = 80
#: Answers longer than this (free text) go under their question, full width.
LONG_ANSWER = 120


@dataclass(frozen=True)
class CopyRow:
    section: str
    question: str
    answer: str  # in words, as the patient saw it
    depth: int


@dataclass(frozen=True)
class PatientCopy:
    """Everything the patient's copy shows, already in the patient's language."""

    language: str
    right_to_left: bool
    #: The labels of the page (``copy.*`` strings) in the patient's language.
    labels: dict[str, str]
    clinic_name: str
    document_id: str
    created: dt.datetime
    patient_name: str
    date_of_birth: dt.date
    rows: tuple[CopyRow, ...]
    consent_title: str
    consent_version: str
    consent_text: tuple[str, ...]
    consent_agree_label: str
    signed_at: dt.datetime | None
    signature_png: bytes | None
    #: Signed, or consent withheld (then the copy says so, with no signature box).
    decision: ConsentDecision = ConsentDecision.GIVEN
    #: Who signed, when it was asked (a parent or guardian is named under the signature).
    signer: Signer | None = None


LABELS = (
    "copy.title",
    "copy.intro",
    "copy.name",
    "copy.date_of_birth",
    "copy.date",
    "copy.answers",
    "copy.question",
    "copy.answer",
    "copy.consent",
    "copy.signature",
    "copy.signed",
    "copy.not_signed",
    "copy.page",
    "copy.consent_unsigned",
    "copy.talk_first",
    "copy.declined",
    "copy.signed_by",
)

#: What the copy says instead of a signature when consent was withheld.
WITHHELD = {
    ConsentDecision.TALK_FIRST: "copy.talk_first",
    ConsentDecision.DECLINED: "copy.declined",
}


def patient_copy(content: Content, summary: Summary) -> PatientCopy:
    """The copy's data: the one summary, read in the language the patient used.

    The answers and their words are the summary's (``ShownAnswer.patient_words``); only
    the labels, questions and section titles come from the patient's content here.
    """
    c = content.for_language(summary.language)
    language = c.language
    rows = []
    for item in summary.shown:
        question = c.question(item.question_id)
        answer = item.answer
        if answer.date is not None:
            # The patient reads a date in their own digits (``format_date_in``).
            words = format_date_in(language, answer.date)
        else:
            words = item.patient_words
        rows.append(
            CopyRow(
                section=c.section(question.section).title,
                question=question.text,
                answer=words,
                depth=item.depth,
            )
        )
    return PatientCopy(
        language=language,
        right_to_left=c.right_to_left,
        labels={key: c.strings[key] for key in LABELS},
        clinic_name=summary.clinic_name,
        document_id=summary.document_id,
        created=summary.created,
        patient_name=summary.patient_name,
        date_of_birth=summary.date_of_birth,
        rows=tuple(rows),
        consent_title=c.consent.title,
        consent_version=c.consent.version,
        consent_text=c.consent.body,
        consent_agree_label=c.consent.agree_label_for(
            summary.signer is not None and summary.signer.for_someone_else
        ),
        signed_at=summary.signed_at,
        signature_png=summary.signature_png,
        decision=summary.consent_decision,
        signer=summary.signer,
    )


def render_patient_copy(copy: PatientCopy) -> bytes:
    buffer = io.BytesIO()
    build_patient_copy(copy, buffer)
    return buffer.getvalue()


def build_patient_copy(copy: PatientCopy, out: BinaryIO) -> None:
    """Write the patient's copy as a PDF to ``out``."""
    fonts = setup_fonts()
    build_document(
        out,
        _story(copy, build_copy_styles(fonts, copy.right_to_left), fonts),
        _Decor(copy, fonts),
        fonts,
        5 * mm,
        # No patient data in the metadata (file browsers and print queues show it).
        title=plain(copy.labels["copy.title"]),
        author=plain(copy.clinic_name),
        subject=plain(copy.document_id),
        lang=copy.language,
    )


@dataclass
class _Decor:
    """The clinic's name at the top and "page X of Y" at the foot, on the reading side."""

    copy: PatientCopy
    fonts: Fonts

    def __call__(self, canvas: Any, page: int, total: int) -> None:
        c, fonts = self.copy, self.fonts
        rtl = c.right_to_left
        start, end = (PAGE_WIDTH - MARGIN_X, MARGIN_X) if rtl else (MARGIN_X, PAGE_WIDTH - MARGIN_X)
        start_align, end_align = ("right", "left") if rtl else ("left", "right")
        top = PAGE_HEIGHT - HEADER_TOP
        canvas.saveState()
        canvas.setFillColor(look.TEXT)
        clinic = plain(c.clinic_name)
        width = FRAME_WIDTH * 0.6
        draw_line(canvas, start, top, clinic, fonts.bold, 10.5, start_align, width, rtl)
        canvas.setFillColor(look.MUTED)
        date = format_date_in(c.language, c.created.date())
        draw_line(canvas, end, top, date, fonts.regular, 9, end_align, rtl=rtl)
        canvas.setStrokeColor(look.RULE)
        canvas.setLineWidth(0.6)
        rule = PAGE_HEIGHT - HEADER_RULE
        canvas.line(MARGIN_X, rule, PAGE_WIDTH - MARGIN_X, rule)
        canvas.line(MARGIN_X, FOOTER_RULE, PAGE_WIDTH - MARGIN_X, FOOTER_RULE)
        number = c.labels["copy.page"].format(page=page, total=total)
        draw_line(canvas, end, FOOTER_TEXT, number, fonts.regular, 8.5, end_align, rtl=rtl)
        draw_line(canvas, start, FOOTER_TEXT, plain(c.document_id), fonts.regular, 8, start_align)
        canvas.restoreState()


def _story(c: PatientCopy, st: CopyStyles, fonts: Fonts) -> list[Flowable]:
    return [
        *_opening(c, st),
        *_answers(c, st),
        *_consent(c, st, fonts),
    ]


def _p(c: PatientCopy, markup: str, style: Any) -> RichParagraph:
    return RichParagraph(markup, style, direction="rtl" if c.right_to_left else "ltr")


def _row(c: PatientCopy, cells: list[Any]) -> list[Any]:
    """Table cells in reading order, laid out in display order (mirrored in RTL)."""
    return cells[::-1] if c.right_to_left else cells


def _widths(c: PatientCopy, widths: list[float]) -> list[float]:
    return widths[::-1] if c.right_to_left else widths


def _heading(c: PatientCopy, text: str, style: Any) -> list[Flowable]:
    return [CondPageBreak(KEEP_WITH_HEADING), _p(c, esc(text), style)]


def _opening(c: PatientCopy, st: CopyStyles) -> list[Flowable]:
    labels = c.labels
    facts = [
        (labels["copy.name"], c.patient_name),
        (labels["copy.date_of_birth"], format_date_in(c.language, c.date_of_birth)),
        (labels["copy.date"], format_datetime_in(c.language, c.created)),
    ]
    label_width = 45 * mm
    table = Table(
        [
            _row(c, [_p(c, esc(label), st.label), _p(c, esc(value), st.value)])
            for label, value in facts
        ],
        colWidths=_widths(c, [label_width, FRAME_WIDTH - label_width]),
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )
    return [
        _p(c, esc(labels["copy.title"]), st.title),
        _p(c, esc(labels["copy.intro"]), st.body),
        Spacer(1, 4),
        table,
    ]


def _answers(c: PatientCopy, st: CopyStyles) -> list[Flowable]:
    parts: list[Flowable] = _heading(c, c.labels["copy.answers"], st.heading)
    for section, rows in _by_section(c.rows):
        parts += _heading(c, section, st.subheading)
        parts += [_answer(c, row, st) for row in rows]
    return parts


def _answer(c: PatientCopy, row: CopyRow, st: CopyStyles) -> Table:
    indent = 12 * min(max(row.depth, 0), 3)
    question = _p(c, esc(row.question), st.question)
    answer = _p(c, esc(row.answer), st.answer)
    near = "RIGHTPADDING" if c.right_to_left else "LEFTPADDING"
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.4, look.GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if len(row.answer) > LONG_ANSWER:
        commands.append((near, (0, 0), (0, 0), 2 + indent))
        return Table(
            [[[question, answer]]],
            colWidths=[FRAME_WIDTH],
            style=TableStyle(commands),
            splitInRow=24,
        )
    question_width = FRAME_WIDTH * 0.6
    column = 1 if c.right_to_left else 0  # where the question sits on the page
    commands.append((near, (column, 0), (column, 0), 2 + indent))
    return Table(
        [_row(c, [question, answer])],
        colWidths=_widths(c, [question_width, FRAME_WIDTH - question_width]),
        style=TableStyle(commands),
        splitInRow=24,
    )


def _by_section(rows: Sequence[CopyRow]) -> list[tuple[str, list[CopyRow]]]:
    groups: list[tuple[str, list[CopyRow]]] = []
    for row in rows:
        if groups and groups[-1][0] == row.section:
            groups[-1][1].append(row)
        else:
            groups.append((row.section, [row]))
    return groups


def _consent(c: PatientCopy, st: CopyStyles, fonts: Fonts) -> list[Flowable]:
    labels = c.labels
    withheld = c.decision.withheld
    head: list[Flowable] = [
        *_heading(c, labels["copy.consent_unsigned" if withheld else "copy.consent"], st.heading),
        _p(c, esc(c.consent_title), st.consent_title),
    ]
    paragraphs = [_p(c, esc(p), st.body) for p in c.consent_text]
    signed = c.signature_png is not None
    signing: list[Flowable]
    if withheld:
        # Said plainly, with no signature box: nothing is missing from this copy.
        signing = [Spacer(1, 4), _p(c, f"<b>{esc(labels[WITHHELD[c.decision]])}</b>", st.body)]
    else:
        signing = _signing(c, st, fonts, signed)
    if len(paragraphs) <= 1:
        return [KeepTogether([*head, *paragraphs, *signing])]
    first, *middle, last = paragraphs
    return [KeepTogether([*head, first]), *middle, KeepTogether([last, *signing])]


def _signing(c: PatientCopy, st: CopyStyles, fonts: Fonts, signed: bool) -> list[Flowable]:
    labels = c.labels
    # Over the signature: "Your signature", or who signed for the patient.
    label = _p(c, esc(labels["copy.signature"]), st.small)
    if c.signer is not None and c.signer.for_someone_else:
        by = labels["copy.signed_by"].format(name=c.signer.name, relationship=c.signer.relationship)
        label = _p(c, f"<b>{esc(by)}</b>", st.body)
    signing: list[Flowable] = [
        Spacer(1, 4),
        _p(c, f"{'☑' if signed else '☐'} <b>{esc(c.consent_agree_label)}</b>", st.body),
        label,
    ]
    if signed:
        box = SignatureBox(c.signature_png, fonts)
        box.hAlign = "RIGHT" if c.right_to_left else "LEFT"
        signing.append(box)
        if c.signed_at is not None:
            when = format_datetime_in(c.language, c.signed_at)
            signing.append(_p(c, esc(labels["copy.signed"].format(date=when)), st.small))
    else:
        signing.append(_p(c, f"<b>{esc(labels['copy.not_signed'])}</b>", st.body))
    return signing
