"""FHIR R4 import: a ``QuestionnaireResponse`` read back into a ``Record``.

``parse_response`` reports every problem with the item and the reason, so a bad file
gets a clear line and never a traceback. ``fhir_export`` writes what this reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from kiosk.domain.answers import Answer, AnswerError, check_answer
from kiosk.domain.flow import visible_answers
from kiosk.domain.identity import Identity, clean_name
from kiosk.domain.model import UNSURE, Content, Question, QuestionType
from kiosk.domain.problems import Problem, ProblemsFound
from kiosk.domain.record import Record, unanswered
from kiosk.interop.fhir_consent import LINKS as CONSENT_LINKS
from kiosk.interop.fhir_consent import ConsentItems
from kiosk.interop.fhir_export import PAGE_VIEWED, QUESTIONNAIRE_URL, REGION_SYSTEM

_TRUTH = {"true": True, "false": False, UNSURE: None}


class ResponseProblem(Problem):
    """A problem with a saved response: ``key`` is the item (its linkId or a field)."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__("", item, reason)

    @property
    def item(self) -> str:
        return self.key


class ResponseInvalid(ProblemsFound):
    problems: tuple[ResponseProblem, ...]

    def __init__(self, problems: list[ResponseProblem]) -> None:
        super().__init__("the response", problems)


def _walk(items: object, where: str, problems: list[ResponseProblem]) -> Iterator[dict[str, Any]]:
    """Every item with a linkId, depth first; groups are descended into."""
    if not isinstance(items, list):
        problems.append(ResponseProblem(where, "item must be a list"))
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
            problems.append(ResponseProblem(f"{where}[{i}]", "an item needs a linkId"))
            continue
        yield item
        if "item" in item:
            yield from _walk(item["item"], item["linkId"], problems)


def _one_value(
    item: dict[str, Any], link: str, problems: list[ResponseProblem]
) -> list[tuple[str, Any]]:
    """The (value type, value) of each answer of an item."""
    answers = item.get("answer", [])
    if not isinstance(answers, list):
        problems.append(ResponseProblem(link, "answer must be a list"))
        return []
    values: list[tuple[str, Any]] = []
    for a in answers:
        keys = [k for k in a if k.startswith("value")] if isinstance(a, dict) else []
        if len(keys) != 1:
            problems.append(ResponseProblem(link, "each answer needs exactly one value[x]"))
            continue
        values.append((keys[0], a[keys[0]]))
    return values


def _listed(codes: set[str]) -> str:
    return ", ".join(sorted(codes))


def _text_or(value: object, default: str) -> str:
    return value if isinstance(value, str) and value else default


def _code_of(value: Any) -> str | None:
    return (
        value.get("code")
        if isinstance(value, dict) and isinstance(value.get("code"), str)
        else None
    )


def _read_answer(
    question: Question, values: list[tuple[str, Any]], today: dt.date
) -> tuple[Answer | None, str | None]:
    """An Answer from FHIR answer values, or the reason it cannot be one."""
    if not values:
        return None, "has no answer"
    kinds = {k for k, _ in values}
    if kinds == {"valueCoding"} and [_code_of(v) for _, v in values] == [UNSURE]:
        return Answer.unsure(), None
    qtype = question.type
    expected = {
        QuestionType.TEXT: "valueString",
        QuestionType.DATE: "valueDate",
        QuestionType.SCALE: "valueInteger",
    }.get(qtype, "valueCoding")
    if kinds != {expected}:
        return (
            None,
            f"a {qtype.value} question needs {expected} answers, not {', '.join(sorted(kinds))}",
        )
    if qtype is QuestionType.TEXT or qtype is QuestionType.DATE:
        if len(values) != 1 or not isinstance(values[0][1], str):
            return None, f"needs one {expected}"
        text = values[0][1]
        if qtype is QuestionType.DATE:
            try:
                candidate = Answer.of_date(dt.date.fromisoformat(text))
            except ValueError:
                return None, f'"{text}" is not a real date'
        else:
            candidate = Answer.of_text(text)
    elif qtype is QuestionType.SCALE:
        number = values[0][1]
        if len(values) != 1 or not isinstance(number, int) or isinstance(number, bool):
            return None, "needs one valueInteger from 0 to 10"
        candidate = Answer.of_score(number)
    else:
        codes = [_code_of(v) for _, v in values]
        if None in codes:
            return None, "each valueCoding needs a code"
        valid = (
            {"yes", "no"} if qtype is QuestionType.YES_NO else {o.code for o in question.options}
        ) | {UNSURE}
        unknown = [c for c in codes if c not in valid]
        if unknown:
            return None, f'"{unknown[0]}" is not an answer option (options: {_listed(valid)})'
        # Known codes that do not go together ("Not sure" or "None of these" with another
        # option): check_answer says "cannot be combined".
        candidate = Answer(codes=tuple(c for c in codes if c is not None))
    try:
        return check_answer(question, candidate, today), None
    except AnswerError as exc:
        return None, str(exc)


def _read_body_map(
    question: Question, item: dict[str, Any], values: list[tuple[str, Any]]
) -> tuple[Answer | None, str | None]:
    """A body-map answer: region codings, each with its score nested under it."""
    if not values:
        return None, "has no answer"
    if [k for k, _ in values] == ["valueCoding"] and _code_of(values[0][1]) == UNSURE:
        return Answer.unsure(), None
    if {k for k, _ in values} != {"valueCoding"}:
        return None, "a body_map question needs valueCoding answers (one per marked region)"
    codes: list[str] = []
    scores: list[tuple[str, int]] = []
    score_link, site_link = f"{question.id}.score", f"{question.id}.site"
    for raw in item.get("answer", []):
        if not isinstance(raw, dict):
            continue  # _one_value has named it already
        coding = raw.get("valueCoding")
        code = _code_of(coding)
        if code is None or not isinstance(coding, dict) or coding.get("system") != REGION_SYSTEM:
            return None, f"each region needs a valueCoding with system {REGION_SYSTEM}"
        codes.append(code)
        nested = raw.get("item", [])
        if not isinstance(nested, list):
            return None, f'region "{code}": item must be a list'
        for sub in nested:
            link = sub.get("linkId") if isinstance(sub, dict) else None
            if link == site_link:
                continue  # the SNOMED CT site follows from the region; nothing to read
            if link != score_link:
                return None, f'region "{code}": {link!r} is not an item of a marked region'
            sub_values = sub.get("answer", [])
            if (
                not isinstance(sub_values, list)
                or len(sub_values) != 1
                or not isinstance(sub_values[0], dict)
                or not isinstance(sub_values[0].get("valueInteger"), int)
                or isinstance(sub_values[0].get("valueInteger"), bool)
            ):
                return None, f'region "{code}": {link!r} needs one valueInteger score'
            scores.append((code, sub_values[0]["valueInteger"]))
    try:
        return check_answer(
            question, Answer(codes=tuple(codes), scores=tuple(scores)), dt.date.max
        ), None
    except AnswerError as exc:
        return None, str(exc)


def _patient(
    data: dict[str, Any], problems: list[ResponseProblem], today: dt.date
) -> Identity | None:
    subject = data.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    if not isinstance(reference, str) or not reference.startswith("#"):
        problems.append(
            ResponseProblem("subject", "must reference the contained Patient, like #patient")
        )
        return None
    contained = data.get("contained", [])
    patient = next(
        (
            r
            for r in (contained if isinstance(contained, list) else [])
            if isinstance(r, dict)
            and r.get("resourceType") == "Patient"
            and r.get("id") == reference[1:]
        ),
        None,
    )
    if patient is None:
        problems.append(
            ResponseProblem("subject", f"no contained Patient with id {reference[1:]!r}")
        )
        return None
    names = patient.get("name")
    raw = ""
    if isinstance(names, list) and names and isinstance(names[0], dict):
        first = names[0]
        given = first.get("given")
        parts = [*(g for g in given if isinstance(g, str))] if isinstance(given, list) else []
        parts.append(first.get("family") or "")
        text = first.get("text")
        joined = " ".join(p for p in parts if isinstance(p, str))
        raw = text if isinstance(text, str) and text.strip() else joined
    name = clean_name(raw)
    if not name:
        # A name of zero-width joiners is not missing, but no one could read it either.
        reason = "has nothing to read (only invisible characters)" if raw.strip() else "is missing"
        problems.append(ResponseProblem("Patient.name", reason))
    birth = patient.get("birthDate")
    try:
        dob = dt.date.fromisoformat(birth) if isinstance(birth, str) else None
    except ValueError:
        dob = None
    if dob is None:
        problems.append(ResponseProblem("Patient.birthDate", f"{birth!r} is not a real date"))
    elif dob > today:
        problems.append(ResponseProblem("Patient.birthDate", "is in the future"))
    return Identity(name, dob) if name and dob and dob <= today else None


def parse_response(content: Content, data: object) -> Record:
    """A QuestionnaireResponse for this content, as a Record; ``ResponseInvalid`` if not."""
    if not isinstance(data, dict):
        raise ResponseInvalid([ResponseProblem("resource", "must be a JSON object")])
    if data.get("resourceType") != "QuestionnaireResponse":
        found = data.get("resourceType")
        raise ResponseInvalid(
            [ResponseProblem("resourceType", f"is {found!r}, expected 'QuestionnaireResponse'")]
        )
    problems: list[ResponseProblem] = []
    canonical = data.get("questionnaire")
    url, _, version = canonical.partition("|") if isinstance(canonical, str) else ("", "", "")
    if url != QUESTIONNAIRE_URL:
        problems.append(
            ResponseProblem("questionnaire", f"must be {QUESTIONNAIRE_URL}|{content.version}")
        )
    elif version != content.version:
        problems.append(
            ResponseProblem(
                "questionnaire",
                f"was answered with content version {version or '?'}; "
                f"this kiosk has {content.version}",
            )
        )
    if data.get("status") != "completed":
        problems.append(
            ResponseProblem(
                "status", f"is {data.get('status')!r}; only completed responses are rendered"
            )
        )
    authored_text = data.get("authored")
    try:
        authored = (
            dt.datetime.fromisoformat(authored_text) if isinstance(authored_text, str) else None
        )
    except ValueError:
        authored = None
    if authored is None:
        problems.append(ResponseProblem("authored", f"{authored_text!r} is not a date and time"))
        authored = dt.datetime.now().astimezone()
    if authored.tzinfo is None:
        authored = authored.astimezone()
    today = authored.date()
    identity = _patient(data, problems, today)
    identifier = data.get("identifier")
    document_id = identifier.get("value") if isinstance(identifier, dict) else data.get("id")
    if not isinstance(document_id, str) or not document_id.strip():
        problems.append(ResponseProblem("identifier", "needs the document id as identifier.value"))
        document_id = ""

    questions = {q.id: q for q in content.questions}
    statements = {f"check.{s.id}": s for s in content.statements}
    groups = {"education", "comprehension", "consent"} | {
        f"section.{s.id}" for s in content.sections
    }
    answers: dict[str, Answer] = {}
    checks: dict[str, bool | None] = {}
    seen: set[str] = set()
    consent = ConsentItems(lambda item, reason: problems.append(ResponseProblem(item, reason)))
    for item in _walk(data.get("item", []), "item", problems):
        link = item["linkId"]
        if link in seen:
            problems.append(ResponseProblem(link, "appears more than once"))
            continue
        seen.add(link)
        if link in groups:
            continue
        values = _one_value(item, link, problems)
        if link in questions:
            if questions[link].type is QuestionType.BODY_MAP:
                answer, reason = _read_body_map(questions[link], item, values)
            else:
                answer, reason = _read_answer(questions[link], values, today)
            if reason:
                problems.append(ResponseProblem(link, reason))
            elif answer is not None:
                answers[link] = answer
        elif link in statements:
            codes = [_code_of(v) for k, v in values if k == "valueCoding"]
            if len(codes) != 1 or codes[0] not in _TRUTH:
                problems.append(
                    ResponseProblem(link, "needs one valueCoding: true, false or unsure")
                )
            else:
                checks[statements[link].id] = _TRUTH[codes[0]]
        elif link in CONSENT_LINKS:
            consent.read(link, values)
        else:
            problems.append(
                ResponseProblem(
                    link, f"is not an item of questionnaire {QUESTIONNAIRE_URL}|{content.version}"
                )
            )
    consent.check()
    signer = consent.signer()

    shown = visible_answers(content, answers)
    if not problems:
        # Only when every item read cleanly: a bad answer would otherwise also show up
        # as a missing one, and hide or show its follow-ups, one cause many lines.
        for qid in answers.keys() - shown.keys():
            problems.append(
                ResponseProblem(
                    qid, "is answered but not asked for these answers (see its enableWhen)"
                )
            )
        for qid in unanswered(content, shown):
            problems.append(
                ResponseProblem(
                    qid, 'has no answer; every question shown needs one ("Not sure" counts)'
                )
            )

    pages = _pages_viewed(data, content, problems)
    if problems or identity is None:
        raise ResponseInvalid(problems or [ResponseProblem("subject", "no patient")])
    return Record(
        document_id=document_id.strip(),
        content_version=content.version,
        language=_text_or(data.get("language"), content.language),
        identity=identity,
        answers=shown,
        checks=checks,
        pages_viewed=pages,
        authored=authored,
        signed_at=authored if consent.signature is not None else None,
        signature_png=consent.signature,
        decision=consent.decision,
        signer=signer,
    )


def _pages_viewed(
    data: dict[str, Any], content: Content, problems: list[ResponseProblem]
) -> tuple[str, ...]:
    pages: list[str] = []
    known = {p.id for p in content.education}
    extensions = data.get("extension", [])
    for ext in extensions if isinstance(extensions, list) else []:
        if isinstance(ext, dict) and ext.get("url") == PAGE_VIEWED:
            page = ext.get("valueString")
            if page not in known:
                problems.append(
                    ResponseProblem("extension", f"education page {page!r} is not in the content")
                )
            elif page not in pages:
                pages.append(page)
    return tuple(pages)


__all__ = ["ResponseInvalid", "ResponseProblem", "parse_response"]
