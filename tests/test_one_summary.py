"""One answer goes through ``visible_answers`` and ``describe`` once on its way to the files.

A record is saved (clinician PDF + FHIR QuestionnaireResponse + the archive's index row
with its flags, which the clinician's list reads), and its patient's copy is printed:
every one of them reads the one summary, so the filter runs once, the rules are
evaluated once, and each shown answer is put into words once.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import kiosk.app.summaries
import kiosk.report.patient_copy
from kiosk.app.archive import Archive
from kiosk.app.printing import PrintResult
from kiosk.content.paths import bundled_content_dir
from kiosk.domain.answers import describe
from kiosk.domain.flow import visible_answers
from kiosk.domain.model import Content
from kiosk.domain.rules import evaluate
from kiosk.interop.fhir import parse_response
from kiosk.saving import PdfSummaryWriter

DATA = Path(__file__).parent / "data"
#: Imported so that their copies of the two functions are counted too (the patient's
#: copy and the clinician's list are loaded lazily by the kiosk).
LAZY = (kiosk.app.summaries, kiosk.report.patient_copy)


def _count_everywhere(
    monkeypatch: pytest.MonkeyPatch, original: Callable[..., Any], counter: Callable[..., None]
) -> None:
    """Replace ``original`` in every kiosk module that holds it, counting each call."""

    def counted(*args: Any, **kwargs: Any) -> Any:
        counter(*args, **kwargs)
        return original(*args, **kwargs)

    for name, module in list(sys.modules.items()):
        if name.startswith("kiosk") and module is not None:
            for attr, value in list(vars(module).items()):
                if value is original:
                    monkeypatch.setattr(module, attr, counted)


@pytest.mark.parametrize(
    ("case", "language"),
    [("three-flags", "en"), ("body-map", "en"), ("pain-not-sure", "en"), ("three-flags", "es")],
)
def test_each_answer_is_filtered_and_worded_once(
    content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, language: str
) -> None:
    record = parse_response(content, json.loads((DATA / f"{case}.response.json").read_text()))
    # A Spanish-speaking patient: the clinician reads the clinic's words, the patient's
    # copy Spanish ones, so each answer is worded once in each language.
    record = replace(record, language=language)
    languages = sorted({content.language, language})
    filtered: list[int] = []
    evaluated: list[int] = []
    worded: Counter[tuple[str, str]] = Counter()
    _count_everywhere(monkeypatch, visible_answers, lambda *a, **k: filtered.append(1))
    _count_everywhere(monkeypatch, evaluate, lambda *a, **k: evaluated.append(1))
    _count_everywhere(
        monkeypatch,
        describe,
        lambda question, answer, words_in: worded.update([(question.id, words_in.language)]),
    )

    archive = Archive(tmp_path / "clinic.db", content, bundled_content_dir())
    writer = PdfSummaryWriter(tmp_path, "Test Clinic", archive=archive)
    saved = writer(content, record)
    [row] = archive.index().rows()
    archive.close()
    sent: list[str] = []

    def send(path: Path, title: str) -> PrintResult:
        sent.append(title)
        return PrintResult(True, "", None)

    writer.print_patient_copy(content, record, send)

    assert saved.pdf.is_file()
    assert saved.pdf.with_suffix(".json").is_file()
    assert sent == [f"{record.document_id}-copy"]
    assert row.document_id == record.document_id
    assert row.flags == len(writer.summary(content, record).flags)
    assert len(filtered) == 1, f"visible_answers ran {len(filtered)} times"
    assert len(evaluated) == 1, f"the rules were evaluated {len(evaluated)} times"
    expected = {(qid, lang) for qid in record.answers for lang in languages}
    assert set(worded) == expected, "every shown answer is put into words"
    twice = {qid: n for qid, n in worded.items() if n != 1}
    assert not twice, f"described more than once: {twice}"


def test_the_writer_keeps_no_summary_once_the_record_is_let_go(
    content: Content, tmp_path: Path
) -> None:
    import gc
    import weakref

    record = parse_response(content, json.loads((DATA / "no-flags.response.json").read_text()))
    writer = PdfSummaryWriter(tmp_path, "Test Clinic")
    summary = writer.summary(content, record)
    assert writer.summary(content, record) is summary, "the same record reuses its summary"
    gone = weakref.ref(summary)
    del summary, record
    gc.collect()
    assert gone() is None, "a patient's summary outlived their record"
