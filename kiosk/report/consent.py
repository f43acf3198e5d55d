"""The consent on the clinician's summary: the marking on page 1 when the patient did
not give consent, and the consent part at the end (the text they read, then the
signature with the record check, or what they chose instead of signing)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

from kiosk.domain.consent import ConsentDecision, consented_by
from kiosk.domain.summary import Summary
from kiosk.report import styles as look
from kiosk.report.blocks import cell_table as _table
from kiosk.report.blocks import heading as _heading
from kiosk.report.blocks import muted as _muted
from kiosk.report.fonts import Fonts
from kiosk.report.page import FRAME_WIDTH, Paragraph
from kiosk.report.signature_box import SignatureBox
from kiosk.report.styles import Styles
from kiosk.report.text import esc, format_datetime

# The record check prints in groups of this many hex digits, easier to compare by eye.
HASH_GROUP = 8
HASH_LINE = 4  # groups on one line

RECORD_CHECK_NOTE = (
    "This code is computed from the saved answers and signature; the same code from "
    "the saved record proves this copy matches it."
)
#: The same, for a record without a signature (consent withheld).
UNSIGNED_CHECK_NOTE = (
    "This code is computed from the saved answers and the patient's decision; the same "
    "code from the saved record proves this copy matches it."
)

#: Under the marking: what it means for the appointment.
MARKING_NOTES = {
    ConsentDecision.TALK_FIRST: "The patient did not sign. They want to talk with their "
    "physiotherapist before deciding about dry needling. Their answers and the flags follow.",
    ConsentDecision.DECLINED: "The patient did not sign and does not want dry needling. "
    "Talk with them about other treatments. Their answers and the flags follow.",
}


BANNER_PADDING = 8


def consent_banner(s: Summary, st: Styles, width: float) -> Flowable | None:
    """Under the patient's name: a minor needs a guardian's consent, or, once given by
    someone else, who gave it ("MINOR — consent given by Ana Lima (mother), parent or
    guardian"); None for an adult who gave their own consent."""
    by = consented_by(s.signer) if s.consent_decision is ConsentDecision.GIVEN else ""
    if by:
        text = f"{'MINOR — c' if s.is_minor else 'C'}onsent given by {by}"
    elif s.is_minor:
        text = "MINOR — guardian consent needed"
    else:
        return None
    commands = [
        ("BACKGROUND", (0, 0), (-1, -1), look.ALERT if s.is_minor else look.TEXT),
        ("LEFTPADDING", (0, 0), (-1, -1), BANNER_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), BANNER_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    if not by:
        return _table(st, [[Paragraph(text, st.minor)]], hAlign="LEFT", commands=commands)
    # A name is as long as it is: the box hugs the words, and wraps them within ``width``.
    words = stringWidth(text, st.minor.fontName, st.minor.fontSize) + 2 * BANNER_PADDING + 2
    return _table(
        st,
        [[Paragraph(esc(text), st.minor)]],
        colWidths=[min(words, width)],
        hAlign="LEFT",
        commands=commands,
    )


def consent_marking(s: Summary, st: Styles) -> list[Flowable]:
    decision = s.consent_decision
    if not decision.withheld:
        return []
    colour = look.ALERT if decision is ConsentDecision.DECLINED else look.TEXT
    box = _table(
        st,
        [
            [
                [
                    Paragraph(esc(decision.marking), st.consent_marking),
                    Paragraph(esc(MARKING_NOTES[decision]), st.consent_marking_note),
                ]
            ]
        ],
        colWidths=[FRAME_WIDTH],
        commands=[
            ("BACKGROUND", (0, 0), (-1, -1), colour),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
        ],
    )
    return [Spacer(1, 8), box]


def consent_section(s: Summary, st: Styles, fonts: Fonts) -> list[Flowable]:
    head: list[Flowable] = [
        *_heading("Consent", st.heading),
        Paragraph(
            f"{esc(s.consent_title)} {_muted(f'(version {esc(s.consent_version)})', size=8.5)}",
            st.consent_title,
        ),
        Spacer(1, 3),
    ]
    paragraphs = [Paragraph(esc(p), st.consent) for p in s.consent_text]
    # Not a KeepTogether nested in another: that one would report itself as taller
    # than any page, so the outer one would always start a new page.
    signing = _not_signed(s, st, fonts) if s.consent_decision.withheld else _signing(s, st, fonts)
    # The consent text flows over pages like the rest, so a short list before it does
    # not sit alone on a page. As on paper, the signature never stands apart from the
    # text: it keeps at least the last paragraph with it, and the title keeps the first.
    if len(paragraphs) <= 1:
        return [KeepTogether([*head, *paragraphs, *signing])]
    first, *middle, last = paragraphs
    return [KeepTogether([*head, first]), *middle, KeepTogether([last, *signing])]


def _record_check(
    s: Summary, st: Styles, fonts: Fonts, note: str = RECORD_CHECK_NOTE
) -> list[Flowable]:
    groups = [s.record_hash[i : i + HASH_GROUP] for i in range(0, len(s.record_hash), HASH_GROUP)]
    # Four groups a line: two short lines are easier to compare than one long one.
    lines = [" ".join(groups[i : i + HASH_LINE]) for i in range(0, len(groups), HASH_LINE)]
    code = "<br/>".join(esc(line) for line in lines) or "(none)"
    return [
        Paragraph("Record check (SHA-256):", st.record_check),
        Paragraph(f'<font name="{fonts.mono}">{code}</font>', st.record_code),
        Paragraph(note, st.small),
    ]


def _not_signed(s: Summary, st: Styles, fonts: Fonts) -> list[Flowable]:
    """Consent withheld: what the patient chose instead, and no signature box (an
    empty one would suggest a signature is missing by mistake)."""
    chose = f"<b>Not signed: {esc(s.consent_decision.marking)}</b>"
    by = consented_by(s.signer)
    decided = [Paragraph(f"Decided by <b>{esc(by)}</b>, for {esc(s.patient_name)}.", st.body)]
    return [
        Spacer(1, 4),
        Paragraph(f"{chose} ({format_datetime(s.created)})", st.body),
        *(decided if by else []),
        *_record_check(s, st, fonts, UNSIGNED_CHECK_NOTE),
    ]


def _signed_by(s: Summary, st: Styles) -> list[Flowable]:
    """Who signed, when it was asked: someone for the patient (by name, relationship and
    role, then for whom), or the patient themself."""
    if s.signer is None or s.signature_png is None:
        return []
    by = consented_by(s.signer)
    if not by:
        return [Paragraph("Signed by <b>the patient</b>", st.body)]
    return [Paragraph(f"Signed by <b>{esc(by)}</b>, for {esc(s.patient_name)}", st.body)]


def _signing(s: Summary, st: Styles, fonts: Fonts) -> list[Flowable]:
    """The agreement, the signature, when it was given, and the check that ties this
    copy to the saved record: the signature box on the left, the rest beside it."""
    signed = s.signature_png is not None
    if not signed:
        when = "<b>Not signed</b>"
    elif s.signed_at is None:
        when = "Signed (time not recorded)"
    else:
        when = f"Signed <b>{format_datetime(s.signed_at)}</b>"
    box = SignatureBox(s.signature_png, fonts)
    beside = [Paragraph(when, st.body), *_signed_by(s, st), *_record_check(s, st, fonts)]
    gap = 6 * mm
    return [
        Spacer(1, 4),
        Paragraph(f"{'☑' if signed else '☐'} <b>{esc(s.consent_agree_label)}</b>", st.body),
        Spacer(1, 4),
        _table(
            st,
            [[[Paragraph("Signature", st.signature_label), box], beside]],
            colWidths=[box.width + gap, FRAME_WIDTH - box.width - gap],
            commands=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                # "Signed ..." level with the top of the box, below its label.
                ("TOPPADDING", (1, 0), (1, 0), 8),
            ],
        ),
    ]
