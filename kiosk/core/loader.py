"""Load and validate a content folder.

Every problem is collected, not just the first, and each names the file, the key and
the reason, so that a clinic admin who edited a file can fix it without reading code::

    questions.toml: question[4] "pregnant_weeks" → enable_when[0].question:
        "pregnant" is not an earlier question

``load_content`` raises ``ContentInvalid`` holding every ``ContentProblem``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.core.bodymap import (
    SCORE_MAX,
    SCORE_MIN,
    SIDES,
    VIEWS,
    BodyDrawing,
    Region,
    ShapeError,
    check_shapes,
    load_shapes,
    parse_anchors,
)
from kiosk.core.loader_support import ContentInvalid, ContentProblem, Reader, paragraphs
from kiosk.core.locales import apply as apply_locale
from kiosk.core.model import (
    MONTHS_PROBLEM,
    UNSURE,
    Condition,
    Consent,
    Content,
    EducationPage,
    EnableWhen,
    JourneyPart,
    Level,
    Match,
    Option,
    Question,
    QuestionType,
    Rule,
    Section,
    Statement,
    Table,
    months_ok,
)

FILES = (
    "manifest.toml",
    "education.toml",
    "comprehension.toml",
    "regions.toml",
    "questions.toml",
    "rules.toml",
    "consent.toml",
    "strings.toml",
)

#: UI string keys every content folder must define, with the placeholders each needs.
REQUIRED_STRINGS: dict[str, tuple[str, ...]] = {
    "app.title": (),
    "language.fallback_note": (),
    "welcome.language": (),
    "welcome.text_size": (),
    "size.normal": (),
    "size.large": (),
    "size.extra_large": (),
    "welcome.contrast": (),
    "read_aloud.start": (),
    "read_aloud.stop": (),
    "read_aloud.description": (),
    "welcome.title": (),
    "welcome.body": (),
    "welcome.start": (),
    "nav.next": (),
    "nav.back": (),
    "nav.progress": ("step", "total"),
    "nav.more_below": (),
    "date.months": (),
    "date.format": ("day", "month", "year"),
    "part.education": (),
    "part.comprehension": (),
    "part.identity": (),
    "part.questions": (),
    "part.review": (),
    "part.consent": (),
    "answer.yes": (),
    "answer.no": (),
    "answer.unsure": (),
    "answer.true": (),
    "answer.false": (),
    "answer.none": (),
    "check.prompt": (),
    "check.right": (),
    "check.wrong": (),
    "check.answer": ("answer",),
    "identity.title": (),
    "identity.name": (),
    "identity.dob": (),
    "identity.day": (),
    "identity.month": (),
    "identity.year": (),
    "identity.error.name": (),
    "identity.error.date": (),
    "identity.error.future": (),
    "identity.date_hint": (),
    "date.more": ("part",),
    "date.less": ("part",),
    "keyboard.backspace": (),
    "keyboard.space": (),
    "keyboard.shift": (),
    "keyboard.done": (),
    "keyboard.done_name": (),
    "keyboard.symbols": (),
    "keyboard.symbols_name": (),
    "keyboard.letters": (),
    "keyboard.letters_name": (),
    "keyboard.latin": (),
    "keyboard.latin_name": (),
    "question.multi_hint": (),
    "question.text_counter": ("count", "limit"),
    "question.date_error": (),
    "bodymap.instructions": (),
    "bodymap.list_hint": (),
    "bodymap.show_map": (),
    "bodymap.show_list": (),
    "bodymap.front": (),
    "bodymap.back": (),
    "bodymap.your_left": (),
    "bodymap.your_right": (),
    "bodymap.map_name": (),
    "bodymap.map_description": (),
    "bodymap.marked": (),
    "bodymap.none_marked": (),
    "bodymap.how_bad": ("region",),
    "bodymap.score_name": ("region", "score"),
    "bodymap.chip": ("region", "score"),
    "bodymap.chip_unscored": ("region",),
    "bodymap.edit": (),
    "bodymap.need_score": (),
    "scale.need_score": (),
    "bodymap.group.head_neck": (),
    "bodymap.group.trunk": (),
    "bodymap.group.right_arm": (),
    "bodymap.group.left_arm": (),
    "bodymap.group.right_leg": (),
    "bodymap.group.left_leg": (),
    "question.text_error": (),
    "review.title": (),
    "review.intro": (),
    "review.change": (),
    "review.continue": (),
    "review.name": (),
    "review.dob": (),
    "consent.clear": (),
    "consent.finish": (),
    "consent.need_agree": (),
    "consent.error.empty": (),
    "consent.error.small": (),
    "saving.title": (),
    "done.title": (),
    "done.body": (),
    "done.restart": (),
    "copy.title": (),
    "copy.intro": (),
    "copy.name": (),
    "copy.date_of_birth": (),
    "copy.date": (),
    "copy.answers": (),
    "copy.question": (),
    "copy.answer": (),
    "copy.consent": (),
    "copy.signature": (),
    "copy.signed": ("date",),
    "copy.not_signed": (),
    "copy.page": ("page", "total"),
    "done.print_copy": (),
    "done.printing": (),
    "done.printed": (),
    "done.print_failed": (),
    "done.ask_copy": (),
    "save_failed.title": (),
    "save_failed.body": (),
    "idle.title": (),
    "idle.body": ("seconds",),
    "idle.stay": (),
    "error.title": (),
    "error.body": (),
    "broken.title": (),
    "broken.body": (),
}

_NOT_EARLIER = "is not an earlier question; a follow-up can only depend on questions before it"
_NOT_A_QUESTION = "is not a question in questions.toml"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _read_toml(folder: Path, name: str, problems: list[ContentProblem]) -> dict[str, Any] | None:
    path = folder / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.append(ContentProblem(name, "", "file is missing"))
    except tomllib.TOMLDecodeError as exc:
        problems.append(ContentProblem(name, "", f"is not valid TOML: {exc}"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(ContentProblem(name, "", f"cannot be read: {exc}"))
    return None


def _unique(reader: Reader, items: list[tuple[str, str | None]], what: str) -> None:
    seen: set[str] = set()
    for where, ident in items:
        if ident is None:
            continue
        if ident in seen:
            reader.problem(f"{where}.id", f'{what} id "{ident}" is used more than once')
        seen.add(ident)


# ------------------------------------------------------------------ per-file parsers


def _parse_manifest(
    r: Reader, data: dict[str, Any]
) -> tuple[str | None, str | None, tuple[JourneyPart, ...] | None]:
    r.known_keys(data, "", ("version", "language", "language_name", "journey"))
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


def _parse_education(r: Reader, data: dict[str, Any], assets: Path) -> list[EducationPage]:
    r.known_keys(data, "", ("page",))
    pages: list[EducationPage] = []
    raw_pages = r.tables(data, "page")
    if not raw_pages:
        r.problem("page", "there must be at least one education page")
    for i, raw in enumerate(raw_pages):
        where = f"page[{i}]"
        r.known_keys(raw, where, ("id", "title", "body", "image", "image_alt", "table"))
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
    _unique(r, [(f"page[{i}]", p.get("id")) for i, p in enumerate(raw_pages)], "page")
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
    r.known_keys(raw, where, ("columns", "rows"))
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


def _parse_statements(r: Reader, data: dict[str, Any]) -> list[Statement]:
    r.known_keys(data, "", ("statement",))
    out: list[Statement] = []
    raw_items = r.tables(data, "statement")
    for i, raw in enumerate(raw_items):
        where = f"statement[{i}]"
        r.known_keys(raw, where, ("id", "text", "correct", "explanation"))
        ident = r.ident(raw, where)
        text = r.get(raw, where, "text", str)
        correct = r.get(raw, where, "correct", bool)
        explanation = r.get(raw, where, "explanation", str)
        if ident and text and correct is not None and explanation:
            out.append(
                Statement(ident, " ".join(text.split()), correct, " ".join(explanation.split()))
            )
    _unique(r, [(f"statement[{i}]", s.get("id")) for i, s in enumerate(raw_items)], "statement")
    return out


def _parse_level(
    r: Reader, raw: dict[str, Any], where: str, key: str, default: Level | None
) -> Level | None:
    text = r.get(raw, where, key, str, required=default is None)
    if text is None:
        return default
    try:
        return Level.parse(text)
    except KeyError:
        r.problem(
            f"{where}.{key}", f'"{text}" is not a level (use contraindication, precaution or note)'
        )
        return None


def _parse_match(r: Reader, raw: dict[str, Any], where: str, key: str) -> Match:
    text = r.get(raw, where, key, str, required=False)
    if text is None:
        return Match.ALL
    try:
        return Match(text)
    except ValueError:
        r.problem(f"{where}.{key}", f'"{text}" must be "all" or "any"')
        return Match.ALL


def _parse_conditions(
    r: Reader,
    raw: object,
    where: str,
    questions: dict[str, Question],
    *,
    allow_age: bool,
    later_ids: frozenset[str] = frozenset(),
    places: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Condition, ...] | None:
    """Parse a list of conditions, checking each names a real question and real codes.

    For enable-when, ``questions`` holds only the questions before the asking one and
    ``later_ids`` the rest: a follow-up may only look back, so the questionnaire can
    never loop or depend on something not yet asked.
    """
    if not isinstance(raw, list) or not raw or not all(isinstance(c, dict) for c in raw):
        r.problem(
            where,
            'must be a non-empty list of conditions, like [{ question = "id", any_of = ["yes"] }]',
        )
        return None
    out: list[Condition] = []
    ok = True
    for i, cond in enumerate(raw):
        cw = f"{where}[{i}]"
        r.known_keys(
            cond,
            cw,
            # Places and age are for rules only: a follow-up asked because of a marked
            # place or an age has no FHIR enableWhen form.
            ("question", "any_of", "answered")
            + (("age_below", "regions_any_of", "regions_in") if allow_age else ()),
        )
        if allow_age and ("regions_any_of" in cond or "regions_in" in cond):
            regional = _parse_regional(r, cond, cw, questions, later_ids, places or {})
            if regional is None:
                ok = False
            else:
                out.append(regional)
            continue
        if "age_below" in cond and allow_age:
            age = r.get(cond, cw, "age_below", int)
            if age is None or not 0 < age < 150:
                if age is not None:
                    r.problem(f"{cw}.age_below", "must be between 1 and 149")
                ok = False
                continue
            if len(cond) > 1:
                r.problem(cw, "an age condition stands alone: give age_below and nothing else")
                ok = False
                continue
            out.append(Condition(age_below=age))
            continue
        qid = r.get(cond, cw, "question", str)
        if qid is None:
            ok = False
            continue
        if qid not in questions:
            reason = _NOT_EARLIER if qid in later_ids else _NOT_A_QUESTION
            r.problem(f"{cw}.question", f'"{qid}" {reason}')
            ok = False
            continue
        question = questions[qid]
        has_any = "any_of" in cond
        has_answered = "answered" in cond
        if has_any == has_answered:
            r.problem(cw, "needs exactly one of any_of or answered")
            ok = False
            continue
        if has_answered:
            answered = r.get(cond, cw, "answered", bool)
            if answered is not True:
                if answered is not None:
                    r.problem(f"{cw}.answered", "can only be true")
                ok = False
                continue
            out.append(Condition(question=qid, answered=True))
            continue
        codes = r.get(cond, cw, "any_of", list)
        if not codes or not all(isinstance(c, str) for c in codes):
            if codes is not None:
                r.problem(f"{cw}.any_of", "must be a non-empty list of answer codes")
            ok = False
            continue
        valid = {UNSURE} | _codes(question)
        for code in codes:
            if code not in valid:
                if question.type in (QuestionType.TEXT, QuestionType.DATE):
                    reason = (
                        f'question "{qid}" is a {question.type.value} question: '
                        'use answered = true or any_of = ["unsure"]'
                    )
                else:
                    answers = ", ".join(sorted(valid))
                    reason = f'"{code}" is not an answer of question "{qid}" (answers: {answers})'
                r.problem(f"{cw}.any_of", reason)
                ok = False
        out.append(Condition(question=qid, any_of=tuple(codes)))
    return tuple(out) if ok else None


def _parse_regional(
    r: Reader,
    cond: dict[str, Any],
    cw: str,
    questions: dict[str, Question],
    later_ids: frozenset[str],
    places: Mapping[str, tuple[str, ...]],
) -> Condition | None:
    """A condition on the marked regions of a body-map question.

    ``places`` maps every region id and group id to its region ids; a name outside it
    is a typo that would silently never match, so it is an error. The condition keeps
    the region ids of each name, so checking it needs no content.
    """
    if ("regions_any_of" in cond) == ("regions_in" in cond):
        r.problem(cw, "needs exactly one of regions_any_of or regions_in")
        return None
    if "any_of" in cond or "answered" in cond:
        r.problem(cw, "a regions condition takes no any_of or answered")
        return None
    body_maps = [q for q in questions.values() if q.type is QuestionType.BODY_MAP]
    qid = r.get(cond, cw, "question", str, required=False)
    if qid is None:
        if len(body_maps) != 1:
            r.problem(
                cw,
                'name the body-map question with question = "id"'
                if body_maps
                else "there is no body_map question (before it) for a regions condition",
            )
            return None
        qid = body_maps[0].id
    elif qid not in questions:
        reason = _NOT_EARLIER if qid in later_ids else _NOT_A_QUESTION
        r.problem(f"{cw}.question", f'"{qid}" {reason}')
        return None
    elif questions[qid].type is not QuestionType.BODY_MAP:
        r.problem(f"{cw}.question", f'"{qid}" is not a body_map question')
        return None
    if "regions_any_of" in cond:
        names = r.get(cond, cw, "regions_any_of", list)
        if not names or not all(isinstance(n, str) for n in names):
            if names is not None:
                r.problem(f"{cw}.regions_any_of", "must be a non-empty list of region or group ids")
            return None
        unknown = [n for n in names if n not in places]
        for name in unknown:
            r.problem(
                f"{cw}.regions_any_of", f'"{name}" is not a region id or group in regions.toml'
            )
        if unknown:
            return None
        return Condition(
            question=qid,
            regions_any_of=tuple(names),
            region_sets=tuple((n, places[n]) for n in names),
        )
    source = r.get(cond, cw, "regions_in", str)
    if source is None:
        return None
    named = questions.get(source)
    if named is None:
        reason = _NOT_EARLIER if source in later_ids else _NOT_A_QUESTION
        r.problem(f"{cw}.regions_in", f'"{source}" {reason}')
        return None
    if named.type not in (QuestionType.SINGLE, QuestionType.MULTI):
        r.problem(
            f"{cw}.regions_in",
            f'"{source}" must be a single or multi question whose option codes name places',
        )
        return None
    bad = [
        o.code
        for o in named.options
        if not o.exclusive and o.code not in PLACE_FREE_CODES and o.code not in places
    ]
    for code in bad:
        r.problem(
            f"{cw}.regions_in",
            f'option "{code}" of question "{source}" is not a region id or group in '
            f'regions.toml (only "other" and exclusive options may name no place)',
        )
    if bad:
        return None
    return Condition(
        question=qid,
        regions_in=source,
        region_sets=tuple((o.code, places[o.code]) for o in named.options if o.code in places),
    )


#: Option codes of a body-area question that name no place on the body map.
PLACE_FREE_CODES = frozenset({"other"})


def _codes(question: Question) -> set[str]:
    if question.type is QuestionType.YES_NO:
        return {"yes", "no"}
    if question.type is QuestionType.SCALE:
        return {str(n) for n in range(SCORE_MIN, SCORE_MAX + 1)}
    return {o.code for o in question.options}


def _parse_questions(
    r: Reader, data: dict[str, Any], regions: list[Region]
) -> tuple[list[Section], list[Question]]:
    r.known_keys(data, "", ("section", "question"))
    places = _places(regions)
    sections: list[Section] = []
    raw_sections = r.tables(data, "section")
    for i, raw in enumerate(raw_sections):
        where = f"section[{i}]"
        r.known_keys(raw, where, ("id", "title"))
        ident = r.ident(raw, where)
        title = r.get(raw, where, "title", str)
        if ident and title:
            sections.append(Section(ident, title.strip()))
    _unique(r, [(f"section[{i}]", s.get("id")) for i, s in enumerate(raw_sections)], "section")
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
    r.known_keys(
        raw,
        where,
        (
            "id",
            "section",
            "type",
            "text",
            "help",
            "options",
            "max_length",
            "enable_when",
            "enable_match",
            "unsure_level",
            "anchors",
        ),
    )
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
    unsure_level = _parse_level(r, raw, where, "unsure_level", Level.NOTE)
    enable_when = None
    if "enable_when" in raw:
        conditions = _parse_conditions(
            r,
            raw["enable_when"],
            f"{where}.enable_when",
            earlier,
            allow_age=False,
            later_ids=later_ids,
            places=places,
        )
        if conditions is not None:
            enable_when = EnableWhen(conditions, _parse_match(r, raw, where, "enable_match"))
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
        r.known_keys(item, ow, ("code", "label", "exclusive"))
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


def _parse_rules(
    r: Reader, data: dict[str, Any], questions: list[Question], regions: list[Region]
) -> list[Rule]:
    r.known_keys(data, "", ("rule",))
    places = _places(regions)
    by_id = {q.id: q for q in questions}
    rules: list[Rule] = []
    raw_rules = r.tables(data, "rule")
    for i, raw in enumerate(raw_rules):
        ident = raw.get("id") if isinstance(raw.get("id"), str) else None
        where = f'rule[{i}] "{ident}"' if ident else f"rule[{i}]"
        r.known_keys(raw, where, ("id", "level", "when", "match", "message"))
        ident = r.ident(raw, where)
        level = _parse_level(r, raw, where, "level", None)
        message = r.get(raw, where, "message", str)
        conditions = None
        if "when" not in raw:
            r.problem(f"{where}.when", "is missing")
        else:
            conditions = _parse_conditions(
                r, raw["when"], f"{where}.when", by_id, allow_age=True, places=places
            )
        match = _parse_match(r, raw, where, "match")
        if ident and level and message and conditions:
            rules.append(Rule(ident, level, conditions, " ".join(message.split()), match))
    _unique(r, [(f"rule[{i}]", x.get("id")) for i, x in enumerate(raw_rules)], "rule")
    return rules


def _places(regions: list[Region]) -> dict[str, tuple[str, ...]]:
    """Every name a rule may use for a place (region ids and group ids) -> its region ids."""
    places: dict[str, tuple[str, ...]] = {r.id: (r.id,) for r in regions}
    for group in dict.fromkeys(g for r in regions for g in r.groups):
        places[group] = tuple(r.id for r in regions if group in r.groups)
    return places


def region_options(regions: list[Region] | tuple[Region, ...]) -> tuple[Option, ...]:
    """A body-map question's answer codes: one per region, labelled with its name."""
    return tuple(Option(r.id, r.name) for r in regions)


def _parse_regions(r: Reader, data: dict[str, Any], assets: Path) -> list[Region]:
    r.known_keys(data, "", ("region",))
    raw_regions = r.tables(data, "region")
    regions: list[Region] = []
    for i, raw in enumerate(raw_regions):
        ident = raw.get("id") if isinstance(raw.get("id"), str) else None
        where = f'region[{i}] "{ident}"' if ident else f"region[{i}]"
        r.known_keys(raw, where, ("id", "view", "side", "name", "snomed", "groups"))
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
                r.known_keys(snomed, f"{where}.snomed", ("code", "display"))
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
    _unique(r, [(f"region[{i}]", x.get("id")) for i, x in enumerate(raw_regions)], "region")
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
            r.problem("", str(exc))
    for region_id, reason in check_shapes(regions, drawings):
        r.problem(f'region "{region_id}"', reason)
    return regions


def _parse_consent(r: Reader, data: dict[str, Any]) -> Consent | None:
    r.known_keys(data, "", ("version", "title", "body", "agree_label", "sign_prompt"))
    values = [
        r.get(data, "", key, str)
        for key in ("version", "title", "body", "agree_label", "sign_prompt")
    ]
    if not all(values):
        return None
    version, title, body, agree, prompt = values
    return Consent(
        version.strip(),
        title.strip(),
        paragraphs(body),
        " ".join(agree.split()),
        " ".join(prompt.split()),
    )


def _parse_strings(r: Reader, data: dict[str, Any]) -> dict[str, str]:
    r.known_keys(data, "", ("strings",))
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


# ------------------------------------------------------------------ entry point


def load_content(folder: Path, assets: Path) -> Content:
    """Load every content file in ``folder``; raise ``ContentInvalid`` listing all problems."""
    problems: list[ContentProblem] = []
    if not folder.is_dir():
        raise ContentInvalid(folder, [ContentProblem(str(folder), "", "is not a folder")])
    raw = {name: _read_toml(folder, name, problems) for name in FILES}
    extra = sorted(p.name for p in folder.glob("*.toml") if p.name not in FILES)
    for name in extra:
        problems.append(
            ContentProblem(
                name, "", f"is not a content file the kiosk reads (expected: {', '.join(FILES)})"
            )
        )

    def parse(name: str, fn: Callable[[Reader, dict[str, Any]], Any], default: Any) -> Any:
        data = raw[name]
        return default if data is None else fn(Reader(name, problems), data)

    version, language, journey = parse("manifest.toml", _parse_manifest, (None, None, None))
    education = parse("education.toml", lambda r, d: _parse_education(r, d, assets), [])
    statements = parse("comprehension.toml", _parse_statements, [])
    regions = parse("regions.toml", lambda r, d: _parse_regions(r, d, assets), [])
    sections, questions = parse(
        "questions.toml", lambda r, d: _parse_questions(r, d, regions), ([], [])
    )
    rules = parse("rules.toml", lambda r, d: _parse_rules(r, d, questions, regions), [])
    consent = parse("consent.toml", _parse_consent, None)
    strings = parse("strings.toml", _parse_strings, {})

    if journey is not None:
        if JourneyPart.EDUCATION in journey and raw["education.toml"] is not None and not education:
            problems.append(
                ContentProblem(
                    "education.toml", "page", "the journey has education but no page loaded"
                )
            )
        if (
            JourneyPart.COMPREHENSION in journey
            and raw["comprehension.toml"] is not None
            and not statements
        ):
            problems.append(
                ContentProblem(
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


def _with_translations(folder: Path, base: Content, problems: list[ContentProblem]) -> Content:
    """Read ``locales/*.toml`` and link every language to every other."""
    translated: dict[str, Content] = {}
    locales = folder / "locales"
    for path in sorted(locales.glob("*.toml")) if locales.is_dir() else []:
        name = f"locales/{path.name}"
        data = _read_toml(folder, name, problems)
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


__all__ = ["FILES", "REQUIRED_STRINGS", "ContentInvalid", "ContentProblem", "load_content"]
