"""Load and validate a content folder.

Every problem is collected, not just the first, and each names the file, the key and
the reason, so that a clinic admin who edited a file can fix it without reading code::

    questions.toml: question[4] "pregnant_weeks" → enable_when[0].question:
        "pregnant" is not an earlier question

``load_content`` raises ``ContentInvalid`` holding every ``Problem``.

The loader is these modules, all self-contained (they import the model, the body map
and the problem type, nothing of the UI): ``loader`` (this entry point),
``loader_schema`` (the files and the UI strings a folder defines), ``loader_files``
(manifest, education, comprehension, consent, strings), ``loader_questions``
(regions, questions, rules), ``loader_conditions`` (enable-when and rule conditions),
``loader_support`` (the error and the TOML reader) and ``locales`` (translations).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.content.loader_files import (
    parse_consent,
    parse_education,
    parse_manifest,
    parse_statements,
    parse_strings,
    read_toml,
)
from kiosk.content.loader_questions import (
    parse_questions,
    parse_regions,
    parse_rules,
    region_options,
)
from kiosk.content.loader_schema import FILES, REQUIRED_STRINGS
from kiosk.content.loader_support import ContentInvalid, Reader
from kiosk.content.locales import apply as apply_locale
from kiosk.domain.model import Content, JourneyPart
from kiosk.domain.problems import Problem

# ------------------------------------------------------------------ entry point


def load_content(folder: Path, assets: Path) -> Content:
    """Load every content file in ``folder``; raise ``ContentInvalid`` listing all problems."""
    problems: list[Problem] = []
    if not folder.is_dir():
        raise ContentInvalid(folder, [Problem(str(folder), "", "is not a folder")])
    raw = {name: read_toml(folder, name, problems) for name in FILES}
    extra = sorted(p.name for p in folder.glob("*.toml") if p.name not in FILES)
    for name in extra:
        problems.append(
            Problem(
                name, "", f"is not a content file the kiosk reads (expected: {', '.join(FILES)})"
            )
        )

    def parse(name: str, fn: Callable[[Reader, dict[str, Any]], Any], default: Any) -> Any:
        data = raw[name]
        return default if data is None else fn(Reader(name, problems), data)

    version, language, journey = parse("manifest.toml", parse_manifest, (None, None, None))
    education = parse("education.toml", lambda r, d: parse_education(r, d, assets), [])
    statements = parse("comprehension.toml", parse_statements, [])
    regions = parse("regions.toml", lambda r, d: parse_regions(r, d, assets), [])
    sections, questions = parse(
        "questions.toml", lambda r, d: parse_questions(r, d, regions), ([], [])
    )
    rules = parse("rules.toml", lambda r, d: parse_rules(r, d, questions, regions), [])
    consent = parse("consent.toml", lambda r, d: parse_consent(r, d, questions), None)
    strings = parse("strings.toml", parse_strings, {})

    if journey is not None:
        if JourneyPart.EDUCATION in journey and raw["education.toml"] is not None and not education:
            problems.append(
                Problem("education.toml", "page", "the journey has education but no page loaded")
            )
        if (
            JourneyPart.COMPREHENSION in journey
            and raw["comprehension.toml"] is not None
            and not statements
        ):
            problems.append(
                Problem(
                    "comprehension.toml",
                    "statement",
                    "the journey has a comprehension check but no statement",
                )
            )
    if problems:
        raise ContentInvalid(folder, problems)
    assert version
    assert language
    assert journey
    assert consent
    manifest = raw["manifest.toml"] or {}
    base = Content(
        version=version.strip(),
        language=language.strip(),
        journey=journey,
        education=tuple(education),
        statements=tuple(statements),
        sections=tuple(sections),
        questions=tuple(questions),
        rules=tuple(rules),
        consent=consent,
        strings=strings,
        language_name=str(manifest.get("language_name") or language),
        regions=tuple(regions),
    )
    return _with_translations(folder, base, problems)


def _with_translations(folder: Path, base: Content, problems: list[Problem]) -> Content:
    """Read ``locales/*.toml`` and link every language to every other."""
    translated: dict[str, Content] = {}
    locales = folder / "locales"
    for path in sorted(locales.glob("*.toml")) if locales.is_dir() else []:
        name = f"locales/{path.name}"
        data = read_toml(folder, name, problems)
        if data is not None:
            content = apply_locale(Reader(name, problems), data, base, path.stem)
            if content is not None:
                translated[path.stem] = content
    if problems:
        raise ContentInvalid(folder, problems)
    every: dict[str, Content] = {}
    linked = replace(base, translations=every)
    every[base.language] = linked
    for code, content in translated.items():
        every[code] = replace(content, translations=every)
    return linked


__all__ = [
    "FILES",
    "REQUIRED_STRINGS",
    "ContentInvalid",
    "Problem",
    "load_content",
    "region_options",
]
