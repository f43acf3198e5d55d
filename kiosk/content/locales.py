"""Translations: ``locales/<code>.toml`` files that give the same content in other languages.

Only text is translated. Ids, answer codes, rules and conditions come from the main
files, so every language asks the same questions and raises the same flags, and a
record in any language is read the same way. ``apply`` checks a translation against
the content, key by key, and builds the translated ``Content``; every problem names
the file, the key and the reason, like the rest of the loader.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from kiosk.content.drawings import parse_anchors
from kiosk.content.loader_schema import CONSENT, LOCALE, PAGE, QUESTION, SECTION, STATEMENT
from kiosk.content.loader_support import Reader, paragraphs
from kiosk.domain.bodymap import Region
from kiosk.domain.model import (
    MONTHS_PROBLEM,
    Consent,
    Content,
    EducationPage,
    Option,
    Question,
    QuestionType,
    Section,
    Statement,
    Table,
    months_ok,
)

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
FALLBACK_PARTS = frozenset({"education", "comprehension"})
DIRECTIONS = ("ltr", "rtl")
_CODE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")


def apply(r: Reader, data: dict[str, Any], base: Content, code: str) -> Content | None:
    """The content translated by one locale file, or None if it has problems (recorded)."""
    before = len(r.problems)
    r.known_keys(data, "", LOCALE.keys)
    language = r.get(data, "", "language", str)
    if language is not None and language != code:
        r.problem("language", f'is "{language}" but the file is named {code}.toml')
    if not _CODE.match(code):
        r.problem("", f'"{code}" is not a language code like "es" or "pt-BR"')
    if code == base.language:
        r.problem(
            "language", f'"{code}" is the clinic\'s own language: its text is in the main files'
        )
    name = r.get(data, "", "name", str) or code
    direction = r.get(data, "", "direction", str) or "ltr"
    if direction not in DIRECTIONS:
        r.problem("direction", 'must be "ltr" or "rtl"')
    fallback = r.get(data, "", "fallback", list, required=False) or []
    if not all(isinstance(f, str) and f in FALLBACK_PARTS for f in fallback):
        r.problem("fallback", 'may only list "education" and "comprehension"')
        fallback = []

    strings = _strings(r, data, base)
    education = _education(r, data, base, "education" in fallback)
    statements = _statements(r, data, base, "comprehension" in fallback)
    sections = _sections(r, data, base)
    regions = _regions(r, data, base)
    questions = _questions(r, data, base, regions)
    consent = _consent(r, data, base)
    if len(r.problems) > before:
        return None
    return replace(
        base,
        language=code,
        language_name=name,
        direction=direction,
        education=tuple(page for page, _ in education),
        statements=tuple(statement for statement, _ in statements),
        sections=sections,
        questions=questions,
        consent=consent,
        strings=strings,
        regions=regions,
        fallback_pages=frozenset(page.id for page, fell_back in education if fell_back),
        fallback_statements=frozenset(s.id for s, fell_back in statements if fell_back),
        translations={},
    )


def _table(r: Reader, data: dict[str, Any], key: str) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
        r.problem(key, f"must be tables like [{key}.<id>]")
        return {}
    return table


def _extra(r: Reader, found: dict[str, Any], known: set[str], key: str, what: str) -> None:
    for ident in sorted(found.keys() - known):
        r.problem(f"{key}.{ident}", f"is not a {what} in the main content files")


def _text(r: Reader, table: dict[str, Any], where: str, key: str) -> str:
    value = r.get(table, where, key, str)
    return " ".join(value.split()) if value else ""


def _strings(r: Reader, data: dict[str, Any], base: Content) -> dict[str, str]:
    table = data.get("strings")
    if not isinstance(table, dict):
        r.problem("strings", "is missing: every label of the kiosk needs a translation")
        return dict(base.strings)
    out: dict[str, str] = {}
    for key, english in base.strings.items():
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            r.problem(f'strings."{key}"', "is missing")
            continue
        if set(_PLACEHOLDER.findall(value)) != set(_PLACEHOLDER.findall(english)):
            want = (
                ", ".join("{" + n + "}" for n in sorted(set(_PLACEHOLDER.findall(english))))
                or "no placeholders"
            )
            r.problem(f'strings."{key}"', f"must use exactly {want}")
            continue
        if key == "date.months" and not months_ok(value):
            r.problem(f'strings."{key}"', MONTHS_PROBLEM)
            continue
        out[key] = value.strip()
    for key in sorted(table.keys() - base.strings.keys()):
        r.problem(f'strings."{key}"', "is not a label of the kiosk (a typo?)")
    return out


def _education(
    r: Reader, data: dict[str, Any], base: Content, may_fall_back: bool
) -> list[tuple[EducationPage, bool]]:
    found = _table(r, data, "education")
    _extra(r, found, {p.id for p in base.education}, "education", "page")
    out: list[tuple[EducationPage, bool]] = []
    for page in base.education:
        raw = found.get(page.id)
        where = f"education.{page.id}"
        if raw is None:
            if not may_fall_back:
                r.problem(where, 'is missing (or add "education" to fallback)')
            out.append((page, True))
            continue
        r.known_keys(raw, where, PAGE.translated)
        body = r.get(raw, where, "body", str)
        table = page.table
        if page.table is not None:
            table = _translated_table(r, raw.get("table"), f"{where}.table", page.table)
        elif "table" in raw:
            r.problem(f"{where}.table", "the page has no table in the main content")
        image_alt = page.image_alt
        if page.image:
            image_alt = _text(r, raw, where, "image_alt") or page.image_alt
        translated = EducationPage(
            page.id,
            _text(r, raw, where, "title"),
            paragraphs(body or ""),
            table,
            page.image,
            image_alt,
        )
        if len(translated.body) != len(page.body):
            r.problem(
                f"{where}.body",
                f"has {len(translated.body)} paragraphs; the main page has {len(page.body)}",
            )
        out.append((translated, False))
    return out


def _translated_table(r: Reader, raw: object, where: str, original: Table) -> Table:
    if not isinstance(raw, dict):
        r.problem(where, "is missing: the page has a table")
        return original
    columns, rows = raw.get("columns"), raw.get("rows")
    shape_ok = (
        isinstance(columns, list)
        and isinstance(rows, list)
        and len(columns) == len(original.columns)
        and len(rows) == len(original.rows)
        and all(isinstance(row, list) and len(row) == len(original.columns) for row in rows)
        and all(isinstance(c, str) for c in columns)
        and all(isinstance(c, str) for row in rows for c in row)
    )
    if not shape_ok:
        r.problem(
            where,
            f"must have {len(original.columns)} columns and {len(original.rows)} rows of text",
        )
        return original
    assert isinstance(columns, list)
    assert isinstance(rows, list)
    return Table(tuple(columns), tuple(tuple(" ".join(c.split()) for c in row) for row in rows))


def _statements(
    r: Reader, data: dict[str, Any], base: Content, may_fall_back: bool
) -> list[tuple[Statement, bool]]:
    found = _table(r, data, "statement")
    _extra(r, found, {s.id for s in base.statements}, "statement", "statement")
    out: list[tuple[Statement, bool]] = []
    for statement in base.statements:
        raw = found.get(statement.id)
        where = f"statement.{statement.id}"
        if raw is None:
            if not may_fall_back:
                r.problem(where, 'is missing (or add "comprehension" to fallback)')
            out.append((statement, True))
            continue
        r.known_keys(raw, where, STATEMENT.translated)
        out.append(
            (
                Statement(
                    statement.id,
                    _text(r, raw, where, "text"),
                    statement.correct,
                    _text(r, raw, where, "explanation"),
                ),
                False,
            )
        )
    return out


def _sections(r: Reader, data: dict[str, Any], base: Content) -> tuple[Section, ...]:
    found = _table(r, data, "section")
    _extra(r, found, {s.id for s in base.sections}, "section", "section")
    out = []
    for section in base.sections:
        raw = found.get(section.id)
        if raw is None:
            r.problem(f"section.{section.id}", "is missing")
            out.append(section)
            continue
        r.known_keys(raw, f"section.{section.id}", SECTION.translated)
        out.append(Section(section.id, _text(r, raw, f"section.{section.id}", "title")))
    return tuple(out)


def _regions(r: Reader, data: dict[str, Any], base: Content) -> tuple[Region, ...]:
    """Region names: ``[region]`` maps every region id to its name in this language."""
    if not base.regions:
        if "region" in data:
            r.problem("region", "the main content has no regions")
        return ()
    table = data.get("region")
    if not isinstance(table, dict):
        r.problem("region", 'is missing: give the name of every region, like head_jaw = "..."')
        return base.regions
    out = []
    for region in base.regions:
        name = table.get(region.id)
        if not isinstance(name, str) or not name.strip():
            r.problem(f"region.{region.id}", "is missing")
            out.append(region)
            continue
        out.append(replace(region, name=" ".join(name.split())))
    for ident in sorted(table.keys() - {x.id for x in base.regions}):
        r.problem(f"region.{ident}", "is not a region in regions.toml")
    return tuple(out)


def _questions(
    r: Reader, data: dict[str, Any], base: Content, regions: tuple[Region, ...]
) -> tuple[Question, ...]:
    found = _table(r, data, "question")
    _extra(r, found, {q.id for q in base.questions}, "question", "question")
    out = []
    for question in base.questions:
        raw = found.get(question.id)
        where = f"question.{question.id}"
        if raw is None:
            r.problem(where, "is missing")
            out.append(question)
            continue
        r.known_keys(raw, where, QUESTION.translated)
        anchors = question.anchors
        if question.anchors:
            anchors = parse_anchors(
                r,
                raw.get("anchors"),
                f"{where}.anchors",
                required=True,
                expected=frozenset(p for p, _ in question.anchors),
            )
        elif "anchors" in raw:
            r.problem(f"{where}.anchors", "the question has no anchors in the main content")
        help_text = question.help
        if question.help:
            help_text = _text(r, raw, where, "help")
        elif "help" in raw:
            r.problem(f"{where}.help", "the question has no help text in the main content")
        options = question.options
        if question.type in (QuestionType.SINGLE, QuestionType.MULTI):
            labels = raw.get("options")
            if not isinstance(labels, dict):
                r.problem(f"{where}.options", "is missing: give a label for every option code")
            else:
                codes = {o.code for o in question.options}
                for code in sorted(codes - labels.keys()):
                    r.problem(f"{where}.options.{code}", "is missing")
                for code in sorted(labels.keys() - codes):
                    r.problem(f"{where}.options.{code}", "is not an option of this question")
                options = tuple(
                    Option(o.code, " ".join(str(labels.get(o.code, o.label)).split()), o.exclusive)
                    for o in question.options
                )
        elif "options" in raw:
            r.problem(
                f"{where}.options", f"a {question.type.value} question has no options to translate"
            )
        if question.type is QuestionType.BODY_MAP:
            options = tuple(Option(x.id, x.name) for x in regions)
        out.append(
            replace(
                question,
                text=_text(r, raw, where, "text"),
                help=help_text,
                options=options,
                anchors=anchors or question.anchors,
            )
        )
    return tuple(out)


def _consent(r: Reader, data: dict[str, Any], base: Content) -> Consent:
    raw = data.get("consent")
    if not isinstance(raw, dict):
        r.problem("consent", "is missing")
        return base.consent
    r.known_keys(raw, "consent", CONSENT.translated)
    body = paragraphs(r.get(raw, "consent", "body", str) or "")
    return Consent(
        base.consent.version,
        _text(r, raw, "consent", "title"),
        body,
        _text(r, raw, "consent", "agree_label"),
        _text(r, raw, "consent", "sign_prompt"),
        _text(r, raw, "consent", "agree_label_other"),
        base.consent.ask_signer_when,
    )
