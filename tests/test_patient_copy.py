"""The patient's own copy: in their language, their answers and consent, no flags.

The Arabic copy is checked for its words (pypdf reads Arabic back as presentation
forms; NFKC gives the letters back) and rendered with pdftoppm; test_bidi.py checks the
shaping and ordering code point by code point.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.domain.answers import Answer
from kiosk.domain.flow import is_enabled, visible_answers
from kiosk.domain.identity import Identity
from kiosk.domain.model import Content, QuestionType
from kiosk.domain.record import Record, build_summary
from kiosk.report.patient_copy import patient_copy, render_patient_copy
from kiosk.saving import render_patient_copy as saving_render_patient_copy
from kiosk.saving import render_record
from tests.factories import make_signature_png

SIGNED = dt.datetime(2026, 11, 27, 14, 9, tzinfo=dt.timezone(dt.timedelta(hours=1)))
#: "Left knee replaced in 2024 (Zimmer), with metal screws": Arabic with Latin and digits.
ARABIC_TEXT = "استبدال الركبة اليسرى في عام 2024 (Zimmer)، مع مسامير معدنية"
ARABIC_NAME = "نادية حداد"


def make_record(
    content: Content,
    language: str = "en",
    name: str = "Nadia Haddad",
    free_text: str = "Left knee replacement, with a metal implant",
    signed: bool = True,
) -> Record:
    """A complete record: every question shown gets an answer ("yes" where it can, so
    follow-ups and flags come up), in question order."""
    answers: dict[str, Answer] = {}
    for q in content.questions:
        if not is_enabled(q, visible_answers(content, answers)):
            continue
        if q.type is QuestionType.YES_NO:
            answers[q.id] = Answer.of("yes")
        elif q.type in (QuestionType.SINGLE, QuestionType.MULTI):
            answers[q.id] = Answer.of(q.options[0].code)
        elif q.type is QuestionType.TEXT:
            answers[q.id] = Answer.of_text(free_text)
        elif q.type is QuestionType.DATE:
            answers[q.id] = Answer.of_date(dt.date(2026, 3, 14))
        elif q.type is QuestionType.SCALE:
            answers[q.id] = Answer.of_score(4)
        elif q.type is QuestionType.BODY_MAP:
            answers[q.id] = Answer.of_regions({q.options[0].code: 6})
    return Record(
        document_id="DN-20261127-7K3Q",
        content_version=content.version,
        language=language,
        identity=Identity(name, dt.date(1950, 3, 12)),
        answers=answers,
        checks={s.id: s.correct for s in content.statements},
        pages_viewed=tuple(p.id for p in content.education),
        authored=SIGNED,
        signed_at=SIGNED if signed else None,
        signature_png=make_signature_png() if signed else None,
    )


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with line breaks as spaces (a title may wrap)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def folded(text: str) -> str:
    """Letters and digits only, in NFKC (presentation forms back to letters): pypdf's
    spacing of right-to-left text is not the page's, and it moves neutral punctuation."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


@pytest.mark.parametrize("language", ["en", "es"])
def test_copy_is_in_the_patients_language_with_their_answers(
    content: Content, language: str
) -> None:
    c = content.for_language(language)
    record = make_record(content, language)
    pdf = saving_render_patient_copy(content, record, "Riverside Physiotherapy")
    text = pdf_text(pdf)
    for key in ("copy.title", "copy.answers", "copy.consent", "copy.signature"):
        assert c.text(key) in text
    assert c.consent.title in text
    assert c.consent.agree_label.split()[0] in text
    assert "Nadia Haddad" in text
    assert "Riverside Physiotherapy" in text
    # Answers in words, in this language: the first question and its "Yes".
    assert c.questions[0].text.split("?")[0][:30] in text
    assert c.text("answer.yes") in text
    # The other language's words are not there.
    other = content.for_language("es" if language == "en" else "en")
    assert other.text("copy.answers") not in text


def test_spanish_dates_are_day_month_year_digits(content: Content) -> None:
    summary = build_summary(content, make_record(content, "es"), "C")
    text = pdf_text(render_patient_copy(patient_copy(content, summary)))
    assert "12/03/1950" in text  # date of birth
    assert "14/03/2026" in text  # a date answer, not "14 Mar 2026"
    assert "Mar" not in text.replace("Marque", "")


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_copy_has_no_clinician_flags_or_record_check(content: Content, language: str) -> None:
    record = make_record(content, language)
    clinician = pdf_text(render_record(content, record, "C"))
    assert "Flags for the clinician" in clinician  # the record does raise flags
    text = pdf_text(saving_render_patient_copy(content, record, "C"))
    for clinical in ("CONTRAINDICATION", "PRECAUTION", "NOTE", "Flags", "SHA-256", "Initials"):
        assert clinical not in text
    for rule in content.rules:
        assert rule.message[:25] not in text


def test_copy_carries_the_signature_image_and_no_patient_data_in_metadata(
    content: Content,
) -> None:
    pdf = saving_render_patient_copy(content, make_record(content, "es"), "Riverside")
    reader = PdfReader(io.BytesIO(pdf))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1  # the signature
    meta = reader.metadata
    assert meta is not None
    values = " ".join(str(v) for v in meta.values())
    assert "Nadia" not in values
    assert "Haddad" not in values
    assert "1950" not in values
    assert meta.title == content.for_language("es").text("copy.title")
    assert meta.subject == "DN-20261127-7K3Q"


def test_unsigned_copy_says_so_and_has_no_image(content: Content) -> None:
    pdf = saving_render_patient_copy(content, make_record(content, signed=False), "C")
    reader = PdfReader(io.BytesIO(pdf))
    assert not [image for page in reader.pages for image in page.images]
    assert content.text("copy.not_signed") in pdf_text(pdf)


def test_arabic_copy_has_the_arabic_words_and_the_patients_text(content: Content) -> None:
    c = content.for_language("ar")
    assert c.right_to_left
    record = make_record(content, "ar", name=ARABIC_NAME, free_text=ARABIC_TEXT)
    text = folded(pdf_text(saving_render_patient_copy(content, record, "Riverside")))
    for key in ("copy.title", "copy.answers", "copy.consent", "copy.signature"):
        for word in c.text(key).split():
            assert folded(word) in text, (key, word)
    for word in ARABIC_NAME.split():
        assert folded(word) in text
    assert "Zimmer" in text
    assert "2024" in text
    assert folded(c.text("answer.yes")) in text


def test_arabic_patient_text_in_the_clinicians_summary_is_shaped(content: Content) -> None:
    """The clinician's summary stays in the clinic's language, names the patient's
    language, and prints their Arabic name and free text shaped (presentation forms)."""
    record = make_record(content, "ar", name=ARABIC_NAME, free_text=ARABIC_TEXT)
    raw = pdf_text(render_record(content, record, "Riverside"))
    assert "Patient's language: Arabic" in raw
    assert "Flags for the clinician" in raw
    assert any("\ufb50" <= ch <= "\ufeff" for ch in raw)  # joined forms, not bare letters
    text = folded(raw)
    for word in [*ARABIC_NAME.split(), "مسامير", "معدنية"]:
        assert folded(word) in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_arabic_copy_renders(content: Content, tmp_path: Path) -> None:
    record = make_record(content, "ar", name=ARABIC_NAME, free_text=ARABIC_TEXT)
    pdf = tmp_path / "copy.pdf"
    pdf.write_bytes(saving_render_patient_copy(content, record, "Riverside"))
    done = subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "rror" not in done.stderr  # poppler reports bad fonts or streams here
    page = next(tmp_path.glob("p*.png"))
    from PIL import Image

    with Image.open(page) as image:
        grey = image.convert("L")
        width, height = grey.size
        # Right to left: the text of the body sits against the right margin. Compare
        # ink in the right and left thirds of the page's upper half.
        right = grey.crop((2 * width // 3, 0, width, height // 2))
        left = grey.crop((0, 0, width // 3, height // 2))
        ink = [
            part.point(lambda v: 255 if v < 128 else 0).histogram()[255] for part in (left, right)
        ]
        assert ink[1] > ink[0] * 1.5, ink


# ---------------------------------------------------------------- the finish screen


def _finish_in(qtbot, window, language: str) -> None:
    from PySide6.QtWidgets import QPushButton

    from kiosk.tools.journey import current, draw, signature_strokes, tap, tap_next, walk_to_consent

    button = current(window).findChild(QPushButton, f"language-{language}")
    assert button is not None
    tap(button)
    walk_to_consent(window, "Nadia Haddad", ("5", "6", "1970"), {})
    from kiosk.ui.screens import ConsentScreen

    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    with qtbot.waitSignal(window.summary_saved, timeout=10_000):
        tap_next(window)


@pytest.fixture
def clinic(tmp_path: Path, content: Content):
    from kiosk.app.accounts import Accounts
    from kiosk.app.audit import Audit
    from kiosk.app.clinic import ClinicServices
    from kiosk.app.db import ClinicDb
    from kiosk.app.printing import PrintResult
    from kiosk.app.queue import PrintQueue
    from kiosk.app.summaries import SummaryIndex

    jobs: list[tuple[str, str, bytes, bool]] = []

    def send(pdf: Path, title: str) -> PrintResult:
        folder_mode = pdf.parent.stat().st_mode & 0o777
        jobs.append((pdf.name, title, pdf.read_bytes(), folder_mode == 0o700))
        return PrintResult(True, "sent", "PDF-1")

    db = ClinicDb(tmp_path / "clinic.sqlite3")
    services = ClinicServices(
        db=db,
        accounts=Accounts(db),
        audit=Audit(db),
        index=SummaryIndex(db, tmp_path / "out", content),
        queue=PrintQueue(db),
        folder=tmp_path / "out",
        print_file=send,
    )
    yield services, jobs
    db.close()


def _window(qtbot, content: Content, tmp_path: Path, services, printer: str):
    from kiosk.app.config import Config
    from kiosk.saving import PdfSummaryWriter
    from kiosk.ui.app import create_window

    config = Config(clinic_name="Test Clinic", output_dir=tmp_path / "out", printer=printer)
    window = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name), services
    )
    qtbot.addWidget(window)
    window.show()
    return window


def test_done_screen_prints_a_copy_in_the_patients_language(
    qtbot, content: Content, tmp_path: Path, clinic
) -> None:
    from kiosk.tools.journey import current, tap
    from kiosk.ui.screens import MessageScreen

    services, jobs = clinic
    window = _window(qtbot, content, tmp_path, services, printer="Reception")
    _finish_in(qtbot, window, "es")
    es = content.for_language("es")
    done = current(window)
    assert isinstance(done, MessageScreen)
    assert done.extra_button is not None
    assert done.extra_button.text() == es.text("done.print_copy")
    assert done.extra_button.accessibleName() == es.text("done.print_copy")
    assert done.extra_button.width() >= 64
    assert done.extra_button.height() >= 64
    tap(done.extra_button)
    assert done.extra_button.isHidden()  # one copy per patient
    qtbot.waitUntil(lambda: done.note.text() == es.text("done.printed"), timeout=10_000)
    assert len(jobs) == 1
    name, title, pdf, private = jobs[0]
    document = window.saver.delivery.last_saved
    assert title == f"{document}-copy"  # no patient data in the job title or file name
    assert name == f"{document}-copy.pdf"
    assert private
    text = pdf_text(pdf)
    assert es.text("copy.answers") in text
    assert "Nadia Haddad" in text
    assert "CONTRAINDICATION" not in text
    assert not list((tmp_path / "out").glob("*copy*"))  # never saved with the summaries
    window.reset()


def test_without_a_printer_the_patient_is_told_to_ask_at_the_front_desk(
    qtbot, content: Content, tmp_path: Path, clinic
) -> None:
    from kiosk.tools.journey import current
    from kiosk.ui.screens import MessageScreen

    services, jobs = clinic
    window = _window(qtbot, content, tmp_path, services, printer="")
    _finish_in(qtbot, window, "ar")
    done = current(window)
    assert isinstance(done, MessageScreen)
    assert done.extra_button is None
    assert done.note.text() == content.for_language("ar").text("done.ask_copy")
    assert not done.note.isHidden()
    assert not jobs
    window.reset()


def test_a_print_result_for_a_patient_who_has_gone_is_not_shown(
    qtbot, content: Content, tmp_path: Path, clinic
) -> None:
    from kiosk.tools.journey import current, tap
    from kiosk.ui.screens import MessageScreen

    services, jobs = clinic
    window = _window(qtbot, content, tmp_path, services, printer="Reception")
    _finish_in(qtbot, window, "en")
    done = current(window)
    assert isinstance(done, MessageScreen)
    assert done.extra_button is not None
    tap(done.extra_button)
    window.reset()  # "Finish now" before the copy is printed
    qtbot.waitUntil(lambda: len(jobs) == 1, timeout=10_000)
    qtbot.wait(50)  # the queued result arrives, and must not touch the welcome screen
    assert current(window).objectName() == "welcome"
    assert window._copy_record is None
    # Printing restarted the thank-you screen's wait without changing it for the next.
    _finish_in(qtbot, window, "en")
    assert window.done_timer.isActive()
    assert window.done_timer.interval() == window.config.done_seconds * 1000
    window.reset()


def test_staff_can_make_the_copy_later_from_the_saved_record(
    content: Content, tmp_path: Path
) -> None:
    """``python -m kiosk render RESPONSE.json -o OUT.pdf --patient-copy``: the saved
    QuestionnaireResponse keeps the patient's language, so the copy comes out in it."""
    import json

    from kiosk.cli import main
    from kiosk.interop import fhir

    record = make_record(content, "ar", name=ARABIC_NAME, free_text=ARABIC_TEXT)
    source = tmp_path / "response.json"
    source.write_text(json.dumps(fhir.response_for_record(content, record)), encoding="utf-8")
    out = tmp_path / "copy.pdf"
    assert main(["render", str(source), "-o", str(out), "--patient-copy"]) == 0
    text = folded(pdf_text(out.read_bytes()))
    assert folded(content.for_language("ar").text("copy.answers")) in text
    assert "Flags" not in text
