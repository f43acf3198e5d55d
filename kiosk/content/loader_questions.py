"""Parsers of the files that refer to each other: regions.toml (checked against the
body drawings), questions.toml (follow-ups look back only) and rules.toml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.content.drawings import check_shapes, load_shapes, parse_anchors
from kiosk.content.loader_conditions import parse_conditions, parse_level, parse_match, places_of
from kiosk.content.loader_files import unique
from kiosk.content.loader_schema import (
    OPTION,
    QUESTION,
    QUESTIONS,
    REGION,
    REGIONS,
    RULE,
    RULES,
    SECTION,
    SNOMED,
)
from kiosk.content.loader_support import Reader
from kiosk.domain.bodymap import (
    SIDES,
    VIEWS,
    BodyDrawing,
    Region,
    ShapeError,
)
from kiosk.domain.model import (
    UNSURE,
    EnableWhen,
    Level,
    Option,
    Question,
    QuestionType,
    Rule,
    Section,
)


def parse_questions(
    r: Reader, data: dict[str, Any], regions: list[Region]
) -> tuple[list[Section], list[Question]]:
    r.known_keys(data, "", QUESTIONS.keys)
    places = places_of(regions)
    sections: list[Section] = []
    raw_sections = r.tables(data, "section")
    for i, raw in enumerate(raw_sections):
        where = f"section[{i}]"
        r.known_keys(raw, where, SECTION.keys)
        ident = r.ident(raw, where)
        title = r.get(raw, where, "title", str)
        if ident and title:
            sections.append(Section(ident, title.strip()))
    unique(r, [(f"section[{i}]", s.get("id")) for i, s in enumerate(raw_sections)], "section")
    section_ids = {s.id for s in sections}

    raw_questions = r.tables(data, "question")
    all_ids = frozenset(str(q["id"]) for q in raw_questions if isinstance(q.get("id"), str))
    if not raw_questions:
        r.problem("question", "there must be at least one question")
    questions: list[Question] = []
    by_id: dict[str, Question] = {}
    for i, raw in enumerate(raw_questions):
        ident = raw.get("id") if isinstance(raw.get("id"), str) else None
        where = f'question[{i}] "{ident}"' if ident else f"question[{i}]"
        question = _parse_question(
            r, raw, where, section_ids, by_id, all_ids - by_id.keys(), places
        )
        if question is None:
            continue
        if question.type is QuestionType.BODY_MAP:
            if not regions:
                r.problem(f"{where}.type", "a body_map question needs the regions of regions.toml")
            # The places to mark are the regions, in content order, named in this language.
            question = replace(question, options=region_options(regions))
        if question.id in by_id:
            r.problem(f"{where}.id", f'question id "{question.id}" is used more than once')
            continue
        by_id[question.id] = question
        questions.append(question)
    return sections, questions


def _parse_question(
    r: Reader,
    raw: dict[str, Any],
    where: str,
    section_ids: set[str],
    earlier: dict[str, Question],
    later_ids: frozenset[str],
    places: Mapping[str, tuple[str, ...]] | None = None,
) -> Question | None:
    r.known_keys(raw, where, QUESTION.keys)
    problems_before = len(r.problems)
    ident = r.ident(raw, where)
    section = r.get(raw, where, "section", str)
    if section is not None and section not in section_ids:
        r.problem(f"{where}.section", f'"{section}" is not a section id in this file')
    text = r.get(raw, where, "text", str)
    help_text = r.get(raw, where, "help", str, required=False) or ""
    type_name = r.get(raw, where, "type", str)
    qtype: QuestionType | None = None
    if type_name is not None:
        try:
            qtype = QuestionType(type_name)
        except ValueError:
            known = ", ".join(t.value for t in QuestionType)
            r.problem(f"{where}.type", f'"{type_name}" is not a question type (use {known})')
    options: tuple[Option, ...] = ()
    if qtype in (QuestionType.SINGLE, QuestionType.MULTI):
        options = _parse_options(r, raw, where, qtype)
    elif "options" in raw and qtype is not None:
        r.problem(f"{where}.options", f"a {qtype.value} question has no options")
    max_length = 0
    if qtype is QuestionType.TEXT:
        max_length = r.get(raw, where, "max_length", int) or 0
        if "max_length" in raw and not 1 <= max_length <= 500:
            r.problem(f"{where}.max_length", "must be between 1 and 500")
    elif "max_length" in raw:
        r.problem(f"{where}.max_length", "only text questions have a max_length")
    anchors: tuple[tuple[int, str], ...] = ()
    if qtype in (QuestionType.SCALE, QuestionType.BODY_MAP):
        anchors = parse_anchors(r, raw.get("anchors"), f"{where}.anchors", required=True)
    elif "anchors" in raw and qtype is not None:
        r.problem(f"{where}.anchors", "only scale and body_map questions have anchors")
    unsure_level = parse_level(r, raw, where, "unsure_level", Level.NOTE)
    enable_when = None
    if "enable_when" in raw:
        conditions = parse_conditions(
            r,
            raw["enable_when"],
            f"{where}.enable_when",
            earlier,
            allow_age=False,
            later_ids=later_ids,
            places=places,
        )
        if conditions is not None:
            enable_when = EnableWhen(conditions, parse_match(r, raw, where, "enable_match"))
    elif "enable_match" in raw:
        r.problem(f"{where}.enable_match", "only makes sense with enable_when")
    if len(r.problems) > problems_before or not (
        ident and section and text and qtype and unsure_level
    ):
        return None
    return Question(
        id=ident,
        section=section,
        text=" ".join(text.split()),
        type=qtype,
        options=options,
        help=" ".join(help_text.split()),
        max_length=max_length,
        enable_when=enable_when,
        unsure_level=unsure_level,
        anchors=anchors,
    )


def _parse_options(
    r: Reader, raw: dict[str, Any], where: str, qtype: QuestionType
) -> tuple[Option, ...]:
    items = r.get(raw, where, "options", list)
    if items is None:
        return ()
    options: list[Option] = []
    for j, item in enumerate(items):
        ow = f"{where}.options[{j}]"
        if not isinstance(item, dict):
            r.problem(ow, 'must be a table like { code = "x", label = "X" }')
            continue
        r.known_keys(item, ow, OPTION.keys)
        code = r.ident(item, ow, "code")
        label = r.get(item, ow, "label", str)
        exclusive = r.get(item, ow, "exclusive", bool, required=False) or False
        if code == UNSURE:
            r.problem(
                f"{ow}.code", '"unsure" is reserved for the "Not sure" answer the kiosk always adds'
            )
            continue
        if exclusive and qtype is not QuestionType.MULTI:
            r.problem(f"{ow}.exclusive", "only options of multi questions can be exclusive")
        if code and label:
            options.append(Option(code, " ".join(label.split()), exclusive))
    codes = [o.code for o in options]
    for code in {c for c in codes if codes.count(c) > 1}:
        r.problem(f"{where}.options", f'code "{code}" is used more than once')
    if len(items) < 2:
        r.problem(f"{where}.options", "needs at least two options")
    return tuple(options)


def parse_rules(
    r: Reader, data: dict[str, Any], questions: list[Question], regions: list[Region]
) -> list[Rule]:
    r.known_keys(data, "", RULES.keys)
    places = places_of(regions)
    by_id = {q.id: q for q in questions}
    rules: list[Rule] = []
    raw_rules = r.tables(data, "rule")
    for i, raw in enumerate(raw_rules):
        ident = raw.get("id") if isinstance(raw.get("id"), str) else None
        where = f'rule[{i}] "{ident}"' if ident else f"rule[{i}]"
        r.known_keys(raw, where, RULE.keys)
        ident = r.ident(raw, where)
        level = parse_level(r, raw, where, "level", None)
        message = r.get(raw, where, "message", str)
        conditions = None
        if "when" not in raw:
            r.problem(f"{where}.when", "is missing")
        else:
            conditions = parse_conditions(
                r, raw["when"], f"{where}.when", by_id, allow_age=True, places=places
            )
        match = parse_match(r, raw, where, "match")
        source = r.get(raw, where, "source", str, required=False) or ""
        if ident and level and message and conditions:
            rules.append(
                Rule(
                    ident,
                    level,
                    conditions,
                    " ".join(message.split()),
                    match,
                    " ".join(source.split()),
                )
            )
    unique(r, [(f"rule[{i}]", x.get("id")) for i, x in enumerate(raw_rules)], "rule")
    return rules


def region_options(regions: list[Region] | tuple[Region, ...]) -> tuple[Option, ...]:
    """A body-map question's answer codes: one per region, labelled with its name."""
    return tuple(Option(r.id, r.name) for r in regions)


def parse_regions(r: Reader, data: dict[str, Any], assets: Path) -> list[Region]:
    r.known_keys(data, "", REGIONS.keys)
    raw_regions = r.tables(data, "region")
    regions: list[Region] = []
    for i, raw in enumerate(raw_regions):
        ident = raw.get("id") if isinstance(raw.get("id"), str) else None
        where = f'region[{i}] "{ident}"' if ident else f"region[{i}]"
        r.known_keys(raw, where, REGION.keys)
        before = len(r.problems)
        ident = r.ident(raw, where)
        view = r.get(raw, where, "view", str)
        if view is not None and view not in VIEWS:
            r.problem(f"{where}.view", f'"{view}" must be "front" or "back"')
        side = r.get(raw, where, "side", str, required=False)
        if side is not None and side not in SIDES:
            r.problem(f"{where}.side", f'"{side}" must be "left" or "right" (the patient\'s)')
        name = r.get(raw, where, "name", str)
        code = display = None
        if "snomed" in raw:
            snomed = r.get(raw, where, "snomed", dict)
            if snomed is not None:
                r.known_keys(snomed, f"{where}.snomed", SNOMED.keys)
                code = r.get(snomed, f"{where}.snomed", "code", str)
                display = r.get(snomed, f"{where}.snomed", "display", str)
                if code is not None and not re.fullmatch(r"[1-9][0-9]{5,17}", code):
                    r.problem(f"{where}.snomed.code", f'"{code}" is not a SNOMED CT code')
        groups = r.get(raw, where, "groups", list, required=False) or []
        for j, group in enumerate(groups):
            if not isinstance(group, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", group):
                r.problem(f"{where}.groups[{j}]", f"{group!r} is not a valid group id")
        if len(r.problems) == before and ident and view and name:
            regions.append(
                Region(
                    ident,
                    " ".join(name.split()),
                    view,
                    side,
                    code,
                    " ".join(display.split()) if display else None,
                    tuple(groups),
                )
            )
    unique(r, [(f"region[{i}]", x.get("id")) for i, x in enumerate(raw_regions)], "region")
    ids = {x.id for x in regions}
    for group in sorted({g for x in regions for g in x.groups} & ids):
        r.problem("groups", f'"{group}" is both a region id and a group id')
    if not regions:
        return regions
    drawings: dict[str, BodyDrawing] = {}
    for view in sorted({x.view for x in regions}):
        try:
            drawings[view] = load_shapes(assets / "body" / f"{view}.svg", view)
        except ShapeError as exc:
            r.problems.append(exc.problem)
    for region_id, reason in check_shapes(regions, drawings):
        r.problem(f'region "{region_id}"', reason)
    return regions
