"""Random, hostile answer sets: each renders a readable PDF with the answers, or is refused.

The main property draws a complete answer set for the bundled content: a name and text
answers from a hostile alphabet (right-to-left overrides, combining marks, emoji, 10 kB
strings, ``<b>`` and ``&`` markup, NUL and control characters, lone surrogates, only
spaces), a date of birth, an answer to every question shown (in order, as the flow asks
them: yes/no/"Not sure", single options, multiple options honouring exclusive ones, dates,
a few combinations the screens never send), comprehension answers, pages seen.

Each answer set goes the kiosk's whole way: ``clean_name`` (an empty result is refused
by the identity screen with its message), ``Flow.set_answer`` (an ``AnswerError`` is a
refusal, whose message must be one short printable line; the patient then corrects the
answer), ``Session.record``, the FHIR QuestionnaireResponse as the kiosk writes it
(``response_json``), parsed back by ``parse_response``, and the PDF (``render_record``),
read back with pypdf. Nothing else may be raised.

Two smaller tests type hostile strings as key events into the real window's name field
and a text answer's field: each is refused with a visible message (or Next stays
disabled) and the patient corrects it, or it is saved and is in the PDF.

CI (``CI=true``) runs 2000 answer sets, about four minutes on two cores; elsewhere the
default is 300 (about 40 s). ``DN_FUZZ_EXAMPLES=N`` sets the number, and
``python -m bench.soak --patients 0 --fuzz 10000`` runs the long version.
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bidi.mirror import MIRRORED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel, QWidget
from reportlab.pdfbase import pdfmetrics

from kiosk.app.config import Config
from kiosk.domain.answers import Answer, AnswerError, clean_text, describe
from kiosk.domain.identity import Identity, clean_name
from kiosk.domain.model import UNSURE, Content, Question, QuestionType
from kiosk.domain.record import Record, record_hash
from kiosk.domain.session import Session
from kiosk.domain.summary import Signature
from kiosk.interop import fhir
from kiosk.report import prepare
from kiosk.report.fonts import REPLACEMENT
from kiosk.saving import PdfSummaryWriter, render_record, response_json
from kiosk.tools.journey import (
    Choice,
    answer_current,
    current,
    default_choice,
    draw,
    next_button,
    signature_strokes,
    tap,
    tap_next,
    type_into,
    walk_to_consent,
)
from kiosk.ui.app import create_window
from kiosk.ui.bodymap import BodyMapScreen
from kiosk.ui.screens import ConsentScreen, IdentityScreen, QuestionScreen, ScaleScreen
from kiosk.ui.window import KioskWindow
from tests.factories import make_signature_png

# A failing example with a 10 kB string is printed with its repr, and Hypothesis warns
# about the size; as an error (filterwarnings=error) that warning would hide the failure
# behind a FlakyStrategyDefinition.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

#: 2000 answer sets on CI (``CI=true``, as .ci/run has it), 300 on a developer's machine;
#: ``DN_FUZZ_EXAMPLES`` overrides both.
EXAMPLES = int(os.environ.get("DN_FUZZ_EXAMPLES") or (2000 if os.environ.get("CI") else 300))
#: Where to write the counts of what the property saw (used by bench/soak.py --fuzz).
STATS_FILE = os.environ.get("DN_FUZZ_STATS", "")

TZ = dt.timezone(dt.timedelta(hours=1))
SIGNED = dt.datetime(2026, 11, 27, 9, 30, tzinfo=TZ)
TODAY = SIGNED.date()
#: The clinic's name starts every page's header, which is drawn after the page's body.
CLINIC = "Fuzzingham Test Clinic"
SIGNATURE = Signature(600, 200, (((40.0, 150.0), (300.0, 60.0), (560.0, 50.0)),))

STATS: collections.Counter[str] = collections.Counter()

# ------------------------------------------------------------------ strategies

HOSTILE_PIECES = (
    # bidi controls and invisible characters
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad",
    # NUL, controls, escapes, line and paragraph separators
    "\x00", "\x01", "\x08", "\x1b[31m", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\r\n",
    "\t", "\x0b", "\x0c",
    # combining marks, alone and stacked
    "\u0301", "\u0308", "\u0327", "\u20dd", "e\u0301\u0302\u0303", "\u0e49",
    # emoji, with skin tones and joiners
    "😀", "🩺", "👍🏽", "👨\u200d👩\u200d👧", "❤", "✅", "🇪🇸",
    # above U+FFFF and in no font: drawn as U+FFFD; invisible (a variation selector): left out
    "\U0001d49c", "e\U000e0100",
    # markup and format strings
    "<b>", "</b>", "<br/>", "<font color='red'>", "<para>", "&amp;", "&", "&#0;", "&lt;",
    "<", ">", "'", '"', "\\", "%s", "%(name)s", "{0}", "${x}",
    # lone surrogates (they cannot be encoded as UTF-8)
    "\ud800", "\udfff",
    # real names and words in other scripts
    "שלום", "مرحبا", "中文", "Ω", "ﬁ", "Zoë", "Ñúñez", "O'Brien", "Ngô Thị", "ǅ",
)  # fmt: skip
REAL_NAMES = (
    "Ana María López",
    "Zoë Quintanilla-Øberg",
    "Ζωή Παπαδοπούλου",
    "Сергей Иванов",
    "Nguyễn Văn An",
    "Siobhán O'Sullivan",
    "Jean-Luc D'Arcy",
)

pieces = st.sampled_from(HOSTILE_PIECES)
surrogates = st.characters(categories=["Cs"])
mixed = st.lists(
    st.one_of(pieces, st.text(max_size=6), st.characters(), surrogates), max_size=25
).map("".join)
long_strings = st.tuples(
    st.one_of(pieces, st.text(min_size=1, max_size=8), st.sampled_from(REAL_NAMES)),
    st.integers(2_000, 10_240),
).map(lambda t: (t[0] * (t[1] // len(t[0]) + 1))[: t[1]])
#: Around the limits: names are cut at 100 characters, text answers refused above 120.
medium_strings = st.tuples(
    st.lists(st.one_of(pieces, st.sampled_from(REAL_NAMES), st.text(max_size=4)), min_size=1),
    st.integers(30, 130),
).map(lambda t: ("".join(t[0]) * t[1])[: t[1]])
only_spaces = st.text(alphabet=" \t\n\u00a0\u2003\u3000\u200b", min_size=1, max_size=40)
hostile_text = st.one_of(
    st.sampled_from(REAL_NAMES), mixed, medium_strings, long_strings, only_spaces, st.text()
)
#: Text answers: fewer of the strings that are refused (too long, empty), so that more
#: hostile text reaches the PDF.
hostile_answer = st.one_of(
    mixed, medium_strings, st.text(), st.sampled_from(REAL_NAMES), long_strings, only_spaces
)


def _parents(question: Question) -> set[str]:
    if question.enable_when is None:
        return set()
    return {c.question for c in question.enable_when.conditions if c.question}


def draw_answer(content: Content, data: st.DataObject, question: Question) -> Answer:
    """An answer as the screens would send it, or now and then one they never send."""
    kind = question.type
    roll = data.draw(st.integers(0, 19), label=f"{question.id}: kind of answer")
    if roll == 0:
        return Answer.unsure()
    if roll == 1:  # what the screens never send: the core must still refuse it clearly
        return data.draw(
            st.sampled_from(
                [
                    Answer(codes=(UNSURE, "yes")),
                    Answer(codes=("no-such-code",)),
                    Answer(codes=()),
                    Answer(text="text", codes=("yes",)),
                    *([Answer(codes=(question.options[0].code,) * 2)] if question.options else []),
                ]
            ),
            label=f"{question.id}: malformed",
        )
    if kind is QuestionType.YES_NO:
        # Mostly "No", as in a waiting room; "Yes" half the time where it opens follow-ups.
        opens = any(question.id in _parents(q) for q in content.questions)
        choices = ["yes", "no"] if opens else ["yes", "no", "no", "no", "no", "no"]
        return Answer.of(data.draw(st.sampled_from(choices), label=question.id))
    if kind is QuestionType.SINGLE:
        return Answer.of(data.draw(st.sampled_from([o.code for o in question.options])))
    if kind is QuestionType.MULTI:
        exclusive = [o.code for o in question.options if o.exclusive]
        ordinary = [o.code for o in question.options if not o.exclusive]
        pick_exclusive: bool = data.draw(st.booleans(), label=f"{question.id}: exclusive")
        if exclusive and pick_exclusive:
            picked = [data.draw(st.sampled_from(exclusive))]
            if roll == 2:  # an exclusive option with another: refused
                picked.append(ordinary[0])
            return Answer.of(*picked)
        codes = data.draw(st.lists(st.sampled_from(ordinary), min_size=1, unique=True))
        return Answer.of(*codes)
    if kind is QuestionType.TEXT:
        return Answer.of_text(data.draw(hostile_answer, label=question.id))
    if kind is QuestionType.SCALE:
        return Answer.of_score(data.draw(st.integers(0, 10), label=question.id))
    if kind is QuestionType.BODY_MAP:
        regions = data.draw(
            st.lists(st.sampled_from([o.code for o in question.options]), max_size=6, unique=True),
            label=f"{question.id}: regions",
        )
        scores = [data.draw(st.integers(0, 10), label=region) for region in regions]
        if roll == 2:  # a score out of range: refused
            scores = [*scores[:-1], 11] if scores else scores
        return Answer.of_regions(list(zip(regions, scores, strict=True)))
    if roll == 2:  # a date in the future: refused
        return Answer.of_date(
            data.draw(st.dates(TODAY + dt.timedelta(days=1), dt.date(2100, 1, 1)))
        )
    return Answer.of_date(data.draw(st.dates(dt.date(1900, 1, 1), TODAY), label=question.id))


def corrected(question: Question) -> Answer:
    """What the patient answers after being told theirs could not be taken."""
    if question.type is QuestionType.TEXT:
        return Answer.of_text("Knee, 2019")
    if question.type is QuestionType.DATE:
        return Answer.of_date(dt.date(2020, 5, 17))
    if question.type is QuestionType.YES_NO:
        return Answer.of("no")
    if question.type is QuestionType.SCALE:
        return Answer.of_score(5)
    if question.type is QuestionType.BODY_MAP:
        return Answer.of_regions({question.options[0].code: 5})
    exclusive = [o.code for o in question.options if o.exclusive]
    return Answer.of(exclusive[0] if exclusive else question.options[0].code)


# ------------------------------------------------------------------ what the PDF can say


def _char_class(codes: list[int]) -> str:
    """A regular-expression character class body for these code points, as ranges."""
    parts, codes = [], sorted(codes)
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(f"{re.escape(chr(codes[i]))}-{re.escape(chr(codes[j]))}")
        i = j + 1
    return "".join(parts)


# Characters pypdf reorders or moves when a page has right-to-left text (its ranges).
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
#: Every character that is not strongly left-to-right: neutrals and weak types (digits,
#: brackets, punctuation, symbols, emoji), which the bidi algorithm places by their
#: neighbours. All planes: emoji above U+FFFF are neutral (ON).
_NEUTRAL = _char_class(
    [c for c in range(1, 0x110000) if unicodedata.bidirectional(chr(c)) not in ("L", "R", "AL")]
)
_MARKS = _char_class([c for c in range(0x110000) if unicodedata.combining(chr(c))])
HAS_RTL = re.compile(f"[{_RTL}]")
#: Compared as a multiset, not in order: combining marks (at the edge of a needle they
#: may reorder with a neighbour's), and on a page with right-to-left text, which pypdf
#: reverses in runs and moves neutral characters around, RTL and neutral characters too.
LOOSE = {False: re.compile(f"[{_MARKS}]"), True: re.compile(f"[{_MARKS}{_RTL}{_NEUTRAL}]")}


@pytest.fixture(scope="module")
def undrawable() -> re.Pattern[str]:
    """What is not compared: characters missing from either DejaVu Sans face the report
    uses (a character no font has is drawn as U+FFFD, and one that a single weight lacks
    may be, so U+FFFD itself is not compared either: ``test_pdf_characters.py`` checks
    the replacement), and white space (lines wrap anywhere, even in a word). Characters
    above U+FFFF that DejaVu draws (😀) are compared like any other."""
    prepare()
    faces = [pdfmetrics.getFont(f).face.charToGlyph for f in ("DejaVuSans", "DejaVuSans-Bold")]
    keep = [
        c
        for c in set(faces[0]) & set(faces[1])
        if c > 0 and c != ord(REPLACEMENT) and not chr(c).isspace()
    ]
    return re.compile(f"[^{_char_class(keep)}]")


#: What the PDF's right-to-left handling (kiosk.report.bidi) changes, by design: Arabic
#: is drawn in its joined presentation forms (NFKC gives the letters back); Arabic vowel
#: marks are dropped (without OpenType positioning they cannot sit on their letters);
#: bidi controls and boundary-neutral characters (zero-width joiners, soft hyphens) are
#: consumed by the ordering (rule X9); and brackets in a right-to-left run are mirrored,
#: so each mirrored pair compares as one character.
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
_CONSUMED = [0x061C, 0x200E, 0x200F] + [  # the marks, and what the algorithm removes
    c
    for c in range(0x110000)
    if unicodedata.bidirectional(chr(c))
    in ("BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI")
]
_DROPPED = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"  # harakat
    f"{_char_class(sorted(_CONSUMED))}]"
)
_MIRROR_FOLD = {ord(a): min(a, b) for a, b in MIRRORED.items()}


def comparable(text: str, undrawable: re.Pattern[str]) -> str:
    """The characters of ``text`` that can be compared with what pypdf reads, in NFD."""
    text = _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _DROPPED.sub("", text).translate(_MIRROR_FOLD)
    return unicodedata.normalize("NFD", undrawable.sub("", text))


def split_order(text: str, rtl: bool) -> tuple[str, collections.Counter[str]]:
    """The characters compared in order, and (see ``LOOSE``) those compared as a multiset."""
    loose = LOOSE[rtl]
    return loose.sub("", text), collections.Counter(loose.findall(text))


class PdfText:
    """The text pypdf reads from each page's body (header and footer cut off), read page
    by page as needed, as comparable characters."""

    def __init__(self, pdf: bytes, undrawable: re.Pattern[str]) -> None:
        self.reader = PdfReader(io.BytesIO(pdf))
        assert len(self.reader.pages) >= 1
        self.undrawable = undrawable
        self._bodies: dict[int, str] = {}
        self._views: dict[tuple[int, bool], tuple[str, collections.Counter[str]]] = {}

    def __len__(self) -> int:
        return len(self.reader.pages)

    def body(self, i: int) -> str:
        if i not in self._bodies:
            text = self.reader.pages[i].extract_text()
            cut = text.rfind(CLINIC)
            assert cut >= 0, "every page has its header"
            self._bodies[i] = comparable(text[:cut], self.undrawable)
        return self._bodies[i]

    def is_rtl(self, i: int) -> bool:
        return HAS_RTL.search(self.body(i)) is not None

    def page(self, i: int, rtl: bool) -> tuple[str, collections.Counter[str]]:
        """Page ``i`` split by :func:`split_order`."""
        if (i, rtl) not in self._views:
            self._views[i, rtl] = split_order(self.body(i), rtl)
        return self._views[i, rtl]


def assert_in_pdf(needle: str, pdf: PdfText, what: str) -> None:
    """``needle`` is in the PDF: its comparable characters in order and unbroken on one
    page, or broken once where a table row continues on the next page; the rest (see
    ``LOOSE``) at least as often as in the needle, on that page or those two."""
    text = comparable(needle, pdf.undrawable)
    if HAS_RTL.search(text) and LOOSE[True].sub("", text):
        _assert_mixed_in_pdf(text, needle, pdf, what)
        return
    for i in range(len(pdf)):
        rtl = pdf.is_rtl(i)
        ordered, loose = pdf.page(i, rtl)
        want, want_loose = split_order(text, rtl)
        if want in ordered and not want_loose - loose:
            return
    for i in range(len(pdf) - 1):
        rtl = pdf.is_rtl(i) or pdf.is_rtl(i + 1)
        (first, loose1), (second, loose2) = pdf.page(i, rtl), pdf.page(i + 1, rtl)
        want, want_loose = split_order(text, rtl)
        if want_loose - (loose1 + loose2):
            continue
        if any(want[:k] in first and want[k:] in second for k in range(1, len(want))):
            return
    raise AssertionError(f"{what} {needle!r} (compared as {text!r}) is not in the PDF")


def _assert_mixed_in_pdf(text: str, needle: str, pdf: PdfText, what: str) -> None:
    """A needle with both right-to-left and left-to-right letters can form a right-to-left
    paragraph, and a wrapped paragraph is reordered line by line (UAX #9, L1-L2):
    "<Arabic>Ana María López…" wrapped after "Ana" draws "Ana" at the left of the first
    line and "María López" on the next, so even left-to-right runs change places. What
    still holds: every character is there (as a multiset), and each left-to-right word
    reads in order, or in two pieces where a line broke inside it; on one page or two."""
    want = collections.Counter(text)
    words = [comparable(w, pdf.undrawable) for w in re.split(r"\s+", needle)]
    words = [w for word in words for w in LOOSE[True].split(word) if w]

    def found(pages: list[int]) -> bool:
        have = sum((collections.Counter(pdf.body(i)) for i in pages), collections.Counter())
        ordered = "\n".join(pdf.page(i, True)[0] for i in pages)
        return not want - have and all(
            w in ordered or any(w[:k] in ordered and w[k:] in ordered for k in range(1, len(w)))
            for w in words
        )

    if any(found([i]) for i in range(len(pdf))):
        return
    if any(found([i, i + 1]) for i in range(len(pdf) - 1)):
        return
    raise AssertionError(f"{what} {needle!r} (compared as {text!r}) is not in the PDF")


def assert_refused_clearly(exc: AnswerError) -> None:
    message = str(exc)
    assert message, "a refusal must say why"
    assert len(message) <= 200, f"not short: {message!r}"
    assert message.isprintable(), f"not one clear line: {message!r}"
    assert "Traceback" not in message


def same_text(a: str, b: str) -> bool:
    """Equal once both are NFC and without surrounding space."""
    return unicodedata.normalize("NFC", a).strip() == unicodedata.normalize("NFC", b).strip()


# ------------------------------------------------------------------ the property


@pytest.fixture(scope="module", autouse=True)
def _write_stats() -> Iterator[None]:
    yield
    if STATS_FILE:
        Path(STATS_FILE).write_text(json.dumps(dict(STATS)), encoding="utf-8")


def build_record(content: Content, data: st.DataObject) -> Record:
    """One patient's whole input, refusals included, as the kiosk would record it."""
    raw_name = data.draw(hostile_text, label="name")
    name = clean_name(raw_name)
    if not name:
        STATS["name refused"] += 1
        assert content.text("identity.error.name"), "the identity screen says why"
        name = data.draw(st.sampled_from(REAL_NAMES), label="name, typed again")
    session = Session(content, CLINIC, clock=lambda: SIGNED)
    session.identity = Identity(name, data.draw(st.dates(dt.date(1900, 1, 1), TODAY)))
    flow = session.flow
    while flow.unanswered():
        question = flow.unanswered()[0]
        answer = draw_answer(content, data, question)
        try:
            flow.set_answer(question.id, answer)
        except AnswerError as exc:
            STATS["answer refused"] += 1
            assert_refused_clearly(exc)
            flow.set_answer(question.id, corrected(question))
    for statement in content.statements:
        session.checks[statement.id] = data.draw(st.sampled_from([True, False, None]))
    for page in content.education:
        if data.draw(st.booleans()):
            session.view_page(page.id)
    session.sign(SIGNATURE, make_signature_png())
    return session.record()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_any_answer_set_renders_a_pdf_with_its_answers_or_is_refused(
    content: Content, undrawable: re.Pattern[str], data: st.DataObject
) -> None:
    """What "contains the answers" means: the patient's cleaned name, every text answer,
    every date answer (in the summary's words, "17 May 2020") and every choice answer's
    labels are found by :func:`assert_in_pdf` in the text pypdf extracts from the pages'
    bodies; "Not sure" answers as the summary's "NOT SURE" marker."""
    STATS["examples"] += 1
    record = build_record(content, data)

    # The record as the kiosk saves it, and read back.
    saved = response_json(content, record)
    parsed = fhir.parse_response(content, json.loads(saved))
    assert parsed.document_id == record.document_id
    assert same_text(parsed.identity.name, record.identity.name)
    assert parsed.identity.date_of_birth == record.identity.date_of_birth
    assert parsed.answers.keys() == record.answers.keys()
    for qid, answer in record.answers.items():
        assert parsed.answers[qid].codes == answer.codes, qid
        assert same_text(parsed.answers[qid].text, answer.text), qid
    assert parsed.checks == record.checks
    assert parsed.pages_viewed == record.pages_viewed

    # The PDF, read back.
    pdf = PdfText(render_record(content, record, CLINIC), undrawable)
    STATS["pdfs"] += 1
    assert_in_pdf(record.identity.name, pdf, "the name")
    for qid, answer in record.answers.items():
        question = content.question(qid)
        words = "NOT SURE" if answer.is_unsure else describe(question, answer, content)
        assert_in_pdf(words, pdf, f"the answer to {qid}")
        if question.type is QuestionType.TEXT and not answer.is_unsure:
            STATS["text answers found"] += 1


#: Found by the fuzz run (2 000 examples): a name that starts in Arabic and wraps.
WRAPPED_MIXED_NAME = "\u0645\u0631\u062d\u0628\u0627Ana María López" * 4 + "\u0645"


def test_a_wrapped_right_to_left_name_is_found_and_a_changed_one_is_not(
    content: Content, undrawable: re.Pattern[str]
) -> None:
    """The oracle for mixed-direction text (see ``_assert_mixed_in_pdf``) finds the
    name drawn over two reordered lines, and still notices a word read backwards or a
    letter that is not drawn."""
    session = Session(content, CLINIC, clock=lambda: SIGNED)
    session.identity = Identity(clean_name(WRAPPED_MIXED_NAME), dt.date(2000, 1, 1))
    while session.flow.unanswered():
        question = session.flow.unanswered()[0]
        session.flow.set_answer(question.id, corrected(question))
    session.sign(SIGNATURE, make_signature_png())
    record = session.record()
    pdf = PdfText(render_record(content, record, CLINIC), undrawable)
    assert "Ana" in pdf.body(0)
    assert "MaríaLópez" in unicodedata.normalize("NFC", pdf.body(0))
    assert_in_pdf(record.identity.name, pdf, "the name")
    for changed in (
        WRAPPED_MIXED_NAME.replace("López", "zepóL", 1),
        WRAPPED_MIXED_NAME + "\u0628",  # one Arabic letter more than is drawn
    ):
        with pytest.raises(AssertionError, match="is not in the PDF"):
            assert_in_pdf(changed, pdf, "the changed name")


def test_the_oracle_compares_emoji_and_ignores_what_no_font_has(
    content: Content, undrawable: re.Pattern[str]
) -> None:
    """😀 (above U+FFFF, drawn by DejaVu) is compared, so one too many is noticed;
    U+1D49C (in no font) is drawn as U+FFFD, which is not compared."""
    assert comparable("Zo\u00eb \U0001f600 \U0001d49c", undrawable) == "Zoe\u0308\U0001f600"
    session = Session(content, CLINIC, clock=lambda: SIGNED)
    session.identity = Identity("Zo\u00eb \U0001f600 \U0001d49c Quist", dt.date(2000, 1, 1))
    while session.flow.unanswered():
        question = session.flow.unanswered()[0]
        session.flow.set_answer(question.id, corrected(question))
    session.sign(SIGNATURE, make_signature_png())
    record = session.record()
    pdf = PdfText(render_record(content, record, CLINIC), undrawable)
    assert_in_pdf(record.identity.name, pdf, "the name")
    with pytest.raises(AssertionError, match="is not in the PDF"):
        assert_in_pdf("Zo\u00eb \U0001f600\U0001f600 Quist", pdf, "the changed name")


# ------------------------------------------------------------------ known gaps


@pytest.mark.parametrize(
    "raw",
    ["e\u200b\u0301 Lee", "x" * 99 + " y"],
    ids=["format-character-between-letter-and-mark", "cut-just-after-a-space"],
)
def test_cleaning_twice_changes_nothing_so_the_record_check_survives(
    content: Content, raw: str
) -> None:
    name = clean_name(raw)
    assert clean_name(name) == name
    assert clean_text(clean_text(raw)) == clean_text(raw)
    session = Session(content, CLINIC, clock=lambda: SIGNED)
    session.identity = Identity(name, dt.date(1980, 1, 1))
    while session.flow.unanswered():
        question = session.flow.unanswered()[0]
        session.flow.set_answer(question.id, corrected(question))
    session.sign(SIGNATURE, make_signature_png())
    record = session.record()
    parsed = fhir.parse_response(content, json.loads(response_json(content, record)))
    assert record_hash(parsed) == record_hash(record)


# ------------------------------------------------------------------ through the real window

TEXT_CASES = [
    pytest.param("\u200b", id="zero-width-space"),
    pytest.param("\u202e", id="right-to-left-override"),
    pytest.param("\u2066\u2069", id="bidi-isolates"),
    pytest.param("\x00\x01\x1b", id="controls"),
    pytest.param("   ", id="only-spaces"),
    pytest.param("<b>Knee</b> &amp; hip & <br/>", id="markup"),
    pytest.param("Knie \U0001f600 e\u0301\u0302 \u202eevil", id="emoji-marks-override"),
    pytest.param("\u05d1\u05e8\u05da \u05e9\u05de\u05d0\u05dc 2019", id="hebrew"),
    pytest.param("x" * 500, id="too-long"),
]
NAME_CASES = [
    pytest.param("\u200b\u202e", id="invisible"),
    pytest.param("   ", id="only-spaces"),
    pytest.param("<b>Ann</b> & Co &amp;", id="markup"),
    pytest.param("Zo\u00eb \U0001f600 e\u0301\u0302 \u0645\u0631\u062d\u0628\u0627", id="mixed"),
    pytest.param("y" * 500, id="too-long"),
    # Found by the fuzz run: Arabic, then Latin letters between neutrals and a bracket.
    pytest.param("\u0645\u0631\u062d\u0628\u0627&amp;{", id="arabic-then-markup"),
]


class _Here(Exception):
    pass


def _stop_at(name: str) -> Callable[[QWidget], None]:
    def on_screen(screen: QWidget) -> None:
        if screen.objectName() == name:
            raise _Here

    return on_screen


def _next_or_refusal(win: KioskWindow, fix: Callable[[], None]) -> bool:
    """Tap Next if it is enabled. A refusal (Next disabled, or the screen stays and shows
    its error) is followed by the patient's correction; returns whether it was refused."""
    screen = current(win)
    if next_button(win).isEnabled():
        tap_next(win)
        if current(win) is not screen:
            return False
        error = getattr(screen, "error", None)
        assert isinstance(error, QLabel), "a screen that refuses has an error label"
        assert error.isVisible(), "refused without a message"
        assert error.text().strip(), "refused with an empty message"
    fix()
    tap_next(win)
    assert current(win) is not screen, "the correction was not taken"
    return True


def _finish(qtbot, win: KioskWindow) -> Path:
    """From any step to the saved PDF, answering plainly."""
    while not isinstance(current(win), ConsentScreen):
        screen = current(win)
        if isinstance(screen, QuestionScreen | BodyMapScreen | ScaleScreen):
            answer_current(win, default_choice(screen))
        tap_next(win)
    consent = current(win)
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    with qtbot.waitSignal(win.summary_saved, timeout=10_000) as saved:
        tap_next(win)
    pdf: Path = saved.args[0].pdf
    return pdf


@pytest.fixture
def window(qtbot, content: Content, tmp_path: Path) -> KioskWindow:
    config = Config(clinic_name=CLINIC, output_dir=tmp_path / "out", data_dir=tmp_path / "data")
    win = create_window(config, content, (), PdfSummaryWriter(config.output_dir, CLINIC))
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.mark.parametrize("typed", TEXT_CASES)
def test_hostile_text_typed_as_an_answer_is_saved_or_refused(
    qtbot, window: KioskWindow, undrawable: re.Pattern[str], typed: str
) -> None:
    choices: dict[str, Choice] = {"surgery_or_implant": ("yes",), "surgery_what": typed}
    with pytest.raises(_Here):
        walk_to_consent(
            window, "Sam Lee", ("1", "2", "1980"), choices, _stop_at("question-surgery_what")
        )
    screen = current(window)
    assert isinstance(screen, QuestionScreen)
    field = screen.text_field
    assert field is not None
    accepted = clean_text(field.text())

    def retype() -> None:
        field.clear()
        type_into(field, "Knee, 2019")

    if _next_or_refusal(window, retype):
        accepted = "Knee, 2019"
    assert accepted, "an answer with nothing in it was taken"
    pdf = PdfText(_finish(qtbot, window).read_bytes(), undrawable)
    assert_in_pdf(accepted, pdf, "the typed answer")


@pytest.mark.parametrize("typed", NAME_CASES)
def test_hostile_name_typed_in_is_saved_or_refused(
    qtbot, window: KioskWindow, content: Content, undrawable: re.Pattern[str], typed: str
) -> None:
    with pytest.raises(_Here):
        walk_to_consent(window, typed, ("1", "2", "1980"), {}, _stop_at("identity"))
    screen = current(window)
    assert isinstance(screen, IdentityScreen)
    accepted = clean_name(screen.name.text())

    def retype() -> None:
        assert screen.error.text() == content.text("identity.error.name")
        screen.name.clear()
        type_into(screen.name, "Sam Lee")

    if _next_or_refusal(window, retype):
        accepted = "Sam Lee"
    pdf = PdfText(_finish(qtbot, window).read_bytes(), undrawable)
    assert_in_pdf(accepted, pdf, "the typed name")
