"""Conditions: the ``enable_when`` of a follow-up question and the ``when`` of a rule,
each checked to name real questions, answers and places; and levels and matches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.content.loader_schema import CONDITION, RULE_CONDITION
from kiosk.content.loader_support import Reader
from kiosk.domain.bodymap import (
    SCORE_MAX,
    SCORE_MIN,
    Region,
)
from kiosk.domain.model import (
    UNSURE,
    Condition,
    Level,
    Match,
    Question,
    QuestionType,
)

_NOT_EARLIER = "is not an earlier question; a follow-up can only depend on questions before it"
_NOT_A_QUESTION = "is not a question in questions.toml"


def parse_level(
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


def parse_match(r: Reader, raw: dict[str, Any], where: str, key: str) -> Match:
    text = r.get(raw, where, key, str, required=False)
    if text is None:
        return Match.ALL
    try:
        return Match(text)
    except ValueError:
        r.problem(f"{where}.{key}", f'"{text}" must be "all" or "any"')
        return Match.ALL


def parse_conditions(
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
        r.known_keys(cond, cw, (RULE_CONDITION if allow_age else CONDITION).keys)
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


def places_of(regions: list[Region]) -> dict[str, tuple[str, ...]]:
    """Every name a rule may use for a place (region ids and group ids) -> its region ids."""
    places: dict[str, tuple[str, ...]] = {r.id: (r.id,) for r in regions}
    for group in dict.fromkeys(g for r in regions for g in r.groups):
        places[group] = tuple(r.id for r in regions if group in r.groups)
    return places
