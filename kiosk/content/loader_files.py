"""Parsers of the content files that stand alone: manifest, education, comprehension,
consent and strings (see ``loader``, which calls them)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from kiosk.content.loader_conditions import parse_conditions
from kiosk.content.loader_schema import (
    COMPREHENSION,
    CONSENT,
    EDUCATION,
    MANIFEST,
    PAGE,
    PAGE_TABLE,
    REQUIRED_STRINGS,
    STATEMENT,
    STRINGS,
)
from kiosk.content.loader_support import Reader, paragraphs
from kiosk.domain.model import (
    MONTHS_PROBLEM,
    Condition,
    Consent,
    EducationPage,
    JourneyPart,
    Question,
    Statement,
    Table,
    months_ok,
)
from kiosk.domain.problems import Problem

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def read_toml(folder: Path, name: str, problems: list[Problem]) -> dict[str, Any] | None:
    path = folder / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.append(Problem(name, "", "file is missing"))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(name, "", f"is not valid TOML: {exc}"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, "", f"cannot be read: {exc}"))
    return None


def unique(reader: Reader, items: list[tuple[str, str | None]], what: str) -> None:
    seen: set[str] = set()
    for where, ident in items:
        if ident is None:
            continue
        if ident in seen:
            reader.problem(f"{where}.id", f'{what} id "{ident}" is used more than once')
        seen.add(ident)


def parse_manifest(
    r: Reader, data: dict[str, Any]
) -> tuple[str | None, str | None, tuple[JourneyPart, ...] | None]:
    r.known_keys(data, "", MANIFEST.keys)
    version = r.get(data, "", "version", str)
    language = r.get(data, "", "language", str)
    r.get(data, "", "language_name", str, required=False)
    raw = r.get(data, "", "journey", list)
    if raw is None:
        return version, language, None
    parts: list[JourneyPart] = []
    for i, name in enumerate(raw):
        try:
            parts.append(JourneyPart(name))
        except ValueError:
            known = ", ".join(p.value for p in JourneyPart)
            r.problem(f"journey[{i}]", f'"{name}" is not a part of the journey (known: {known})')
            return version, language, None
    problems_before = len(r.problems)
    if len(set(parts)) != len(parts):
        r.problem("journey", "names a part more than once")
    for needed in (
        JourneyPart.IDENTITY,
        JourneyPart.QUESTIONS,
        JourneyPart.REVIEW,
        JourneyPart.CONSENT,
    ):
        if needed not in parts:
            r.problem("journey", f'must include "{needed.value}"')
    if parts and parts[-1] is not JourneyPart.CONSENT:
        r.problem("journey", 'must end with "consent"')
    if (
        JourneyPart.REVIEW in parts
        and JourneyPart.QUESTIONS in parts
        and parts.index(JourneyPart.REVIEW) < parts.index(JourneyPart.QUESTIONS)
    ):
        r.problem("journey", '"review" must come after "questions"')
    if len(r.problems) > problems_before:
        return version, language, None
    return version, language, tuple(parts)


def parse_education(r: Reader, data: dict[str, Any], assets: Path) -> list[EducationPage]:
    r.known_keys(data, "", EDUCATION.keys)
    pages: list[EducationPage] = []
    raw_pages = r.tables(data, "page")
    if not raw_pages:
        r.problem("page", "there must be at least one education page")
    for i, raw in enumerate(raw_pages):
        where = f"page[{i}]"
        r.known_keys(raw, where, PAGE.keys)
        ident = r.ident(raw, where)
        title = r.get(raw, where, "title", str)
        body = r.get(raw, where, "body", str)
        image = r.get(raw, where, "image", str, required=False)
        image_alt = r.get(raw, where, "image_alt", str, required=False) or ""
        if image is not None:
            # The page's id as well as its index: an admin searches the file for the id.
            _check_asset(r, f'{where}.image (page "{ident}")', image, assets)
            if not image_alt.strip():
                r.problem(f"{where}.image_alt", "is needed when a page has an image")
        table = None
        if "table" in raw:
            table = _parse_table(r, raw["table"], f"{where}.table")
        if ident and title and body:
            pages.append(
                EducationPage(ident, title.strip(), paragraphs(body), table, image, image_alt)
            )
    unique(r, [(f"page[{i}]", p.get("id")) for i, p in enumerate(raw_pages)], "page")
    return pages


def _check_asset(r: Reader, key: str, rel: str, assets: Path) -> None:
    path = Path(rel)
    if path.is_absolute() or ".." in path.parts:
        r.problem(key, f'"{rel}" must be a path inside assets/, without ".."')
    elif not (assets / path).is_file():
        r.problem(key, f'"{rel}" does not exist in {assets}')


def _parse_table(r: Reader, raw: object, where: str) -> Table | None:
    if not isinstance(raw, dict):
        r.problem(where, "must be a table with columns and rows")
        return None
    r.known_keys(raw, where, PAGE_TABLE.keys)
    columns = r.get(raw, where, "columns", list)
    rows = r.get(raw, where, "rows", list)
    if columns is None or rows is None:
        return None
    ok = True
    if len(columns) < 2 or not all(isinstance(c, str) for c in columns):
        r.problem(f"{where}.columns", "must be a list of at least two texts")
        ok = False
    for j, row in enumerate(rows):
        if not isinstance(row, list) or not all(isinstance(c, str) for c in row):
            r.problem(f"{where}.rows[{j}]", "must be a list of texts")
            ok = False
        elif len(row) != len(columns):
            r.problem(
                f"{where}.rows[{j}]", f"has {len(row)} cells but there are {len(columns)} columns"
            )
            ok = False
    if not rows:
        r.problem(f"{where}.rows", "must have at least one row")
        ok = False
    if not ok:
        return None
    return Table(tuple(columns), tuple(tuple(" ".join(c.split()) for c in row) for row in rows))


def parse_statements(r: Reader, data: dict[str, Any]) -> list[Statement]:
    r.known_keys(data, "", COMPREHENSION.keys)
    out: list[Statement] = []
    raw_items = r.tables(data, "statement")
    for i, raw in enumerate(raw_items):
        where = f"statement[{i}]"
        r.known_keys(raw, where, STATEMENT.keys)
        ident = r.ident(raw, where)
        text = r.get(raw, where, "text", str)
        correct = r.get(raw, where, "correct", bool)
        explanation = r.get(raw, where, "explanation", str)
        if ident and text and correct is not None and explanation:
            out.append(
                Statement(ident, " ".join(text.split()), correct, " ".join(explanation.split()))
            )
    unique(r, [(f"statement[{i}]", s.get("id")) for i, s in enumerate(raw_items)], "statement")
    return out


def parse_consent(
    r: Reader, data: dict[str, Any], questions: list[Question] | None = None
) -> Consent | None:
    r.known_keys(data, "", CONSENT.keys)
    texts = {key: r.get(data, "", key, str) for key in CONSENT.keys if key != "ask_signer_when"}
    # Optional: without it, the patient always signs for themself.
    asked: tuple[Condition, ...] | None = ()
    if "ask_signer_when" in data:
        by_id = {q.id: q for q in questions or []}
        where = "ask_signer_when"
        asked = parse_conditions(r, data[where], where, by_id, allow_age=True)
    words = {key: text for key, text in texts.items() if text}
    if len(words) < len(texts) or asked is None:
        return None
    return Consent(
        words["version"].strip(),
        words["title"].strip(),
        paragraphs(words["body"]),
        " ".join(words["agree_label"].split()),
        " ".join(words["sign_prompt"].split()),
        " ".join(words["agree_label_other"].split()),
        asked,
    )


def parse_strings(r: Reader, data: dict[str, Any]) -> dict[str, str]:
    r.known_keys(data, "", STRINGS.keys)
    table = r.get(data, "", "strings", dict)
    if table is None:
        return {}
    strings: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str):
            r.problem(f"strings.{key}", "must be text")
            continue
        strings[key] = value.strip()
    for key, needed in REQUIRED_STRINGS.items():
        if key not in strings:
            r.problem(f'strings."{key}"', "is missing")
            continue
        if key == "date.months" and not months_ok(strings[key]):
            r.problem(f'strings."{key}"', MONTHS_PROBLEM)
        found = set(_PLACEHOLDER.findall(strings[key]))
        if found != set(needed):
            want = ", ".join("{" + n + "}" for n in needed) or "no placeholders"
            r.problem(f'strings."{key}"', f"must use exactly {want}")
    for key in strings:
        if key not in REQUIRED_STRINGS:
            r.problem(f'strings."{key}"', "is not used by the kiosk (a typo?)")
    return strings
