"""Golden summaries: each saved response in tests/data renders to exactly the expected text.

The expected files change only on purpose: ``./run-tests.sh tests/test_golden.py
--regen-golden`` rewrites them, and the diff shows what a clinician will now read.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from kiosk.domain.model import Content
from kiosk.interop import fhir
from kiosk.saving import render_record

DATA = Path(__file__).resolve().parent / "data"
CASES = sorted(DATA.glob("*.response.json"))


def expected_path(source: Path) -> Path:
    return source.with_name(source.name.replace(".response.json", ".expected.txt"))


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 4


@pytest.mark.parametrize("source", CASES, ids=[c.name.split(".")[0] for c in CASES])
def test_golden_summary_text(
    source: Path, content: Content, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)
    record = fhir.parse_response(content, json.loads(source.read_text(encoding="utf-8")))
    pdf = render_record(content, record, "Golden Clinic")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(
        f"=== page {i} ===\n{page.extract_text()}\n" for i, page in enumerate(reader.pages, 1)
    )
    expected = expected_path(source)
    if request.config.getoption("--regen-golden"):
        expected.write_text(text, encoding="utf-8")
    assert expected.is_file(), f"{expected.name} is missing: run with --regen-golden and review it"
    assert text == expected.read_text(encoding="utf-8")
