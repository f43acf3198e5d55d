"""The content model: frozen dataclasses that the loader builds from the content files.

Nothing here knows about Qt, ReportLab or files. Every object is immutable, so one
loaded ``Content`` can be shared by every session of the day without risk.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from kiosk.domain.bodymap import Region

#: The answer code for "Not sure". It is reserved: no option may use it.
UNSURE = "unsure"


class QuestionType(enum.Enum):
    """The kinds of question the kiosk can ask."""

    YES_NO = "yes_no"  # Yes / No / Not sure
    SINGLE = "single"  # one option, or Not sure
    MULTI = "multi"  # several options; exclusive options stand alone; or Not sure
    TEXT = "text"  # short free text with a length limit, or Not sure
    DATE = "date"  # a calendar date, or Not sure
    #: Where it hurts: regions of the body map (codes are region ids), each with a
    #: 0-10 score; or Not sure.
    BODY_MAP = "body_map"
    #: A 0-10 numeric rating scale (codes "0" to "10"), words at some points; or Not sure.
    SCALE = "scale"


class Level(enum.IntEnum):
    """How serious a flag is. Higher sorts first on the clinician's summary."""

    NOTE = 1
    PRECAUTION = 2
    CONTRAINDICATION = 3

    @property
    def word(self) -> str:
        return self.name

    @classmethod
    def parse(cls, text: str) -> Level:
        return cls[text.upper()]


class Match(enum.Enum):
    """How several conditions combine."""

    ALL = "all"
    ANY = "any"


class JourneyPart(enum.Enum):
    """The parts of the patient journey, in the order the manifest gives them."""

    EDUCATION = "education"
    COMPREHENSION = "comprehension"
    IDENTITY = "identity"
    QUESTIONS = "questions"
    REVIEW = "review"
    CONSENT = "consent"


def split_months(text: str) -> tuple[str, ...]:
    """The month names of the ``date.months`` label: twelve names separated by commas
    (the Arabic comma too)."""
    return tuple(name.strip() for name in text.replace("\u060c", ",").split(","))


MONTHS_PROBLEM = "must list the 12 month names, January first, separated by commas"


def months_ok(text: str) -> bool:
    names = split_months(text)
    return len(names) == 12 and all(names)


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    #: An exclusive option ("None of these") cannot be combined with any other.
    exclusive: bool = False


@dataclass(frozen=True)
class Condition:
    """One test on the patient's data.

    Exactly one of the following is set (``question`` may come with the region kinds,
    naming the body-map question they read):

    * ``question`` with ``any_of``: the answer to that question contains one of these
      codes (``"unsure"`` included);
    * ``question`` with ``answered``: the question has any answer that is not "Not sure";
    * ``age_below``: the patient's age in whole years is below this number;
    * ``regions_any_of`` (with ``question``, a body-map question): a marked region is
      one of these region ids or belongs to one of these groups;
    * ``regions_in`` (with ``question``, a body-map question): a marked region is in a
      place named by the answer to the question ``regions_in`` (its codes are region or
      group ids, like "left_arm").
    """

    question: str | None = None
    any_of: tuple[str, ...] = ()
    answered: bool = False
    age_below: int | None = None
    regions_any_of: tuple[str, ...] = ()
    regions_in: str | None = None
    #: Filled by the loader for the region kinds: each place name (a region id, a group
    #: id, or an option code of ``regions_in``'s question) with its region ids.
    region_sets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def is_regional(self) -> bool:
        return bool(self.regions_any_of) or self.regions_in is not None


@dataclass(frozen=True)
class EnableWhen:
    conditions: tuple[Condition, ...]
    match: Match = Match.ALL


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    text: str
    type: QuestionType
    options: tuple[Option, ...] = ()
    help: str = ""
    max_length: int = 0  # TEXT only
    enable_when: EnableWhen | None = None
    #: The level that a "Not sure" answer raises when no rule says more.
    unsure_level: Level = Level.NOTE
    #: SCALE and BODY_MAP: words at some points of the 0-10 scale, e.g. (0, "No pain").
    anchors: tuple[tuple[int, str], ...] = ()

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def is_follow_up(self) -> bool:
        return self.enable_when is not None


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class EducationPage:
    id: str
    title: str
    #: Paragraphs. A paragraph whose lines all start with "- " is a bulleted list.
    body: tuple[str, ...]
    table: Table | None = None
    image: str | None = None  # a path relative to assets/
    image_alt: str = ""


@dataclass(frozen=True)
class Statement:
    """One true/false statement of the comprehension check."""

    id: str
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    conditions: tuple[Condition, ...]
    message: str
    match: Match = Match.ALL
    #: Where the rule's level comes from (the clinical facts reference: section, row and
    #: verification tag), for the clinical review page; never shown to anyone else.
    source: str = ""


@dataclass(frozen=True)
class Consent:
    version: str
    title: str
    body: tuple[str, ...]
    agree_label: str
    sign_prompt: str
    #: The agreement in the third person, when someone signs for the patient.
    agree_label_other: str = ""
    #: Who signs is asked (on a step before the consent) when any of these holds.
    ask_signer_when: tuple[Condition, ...] = ()

    def agree_label_for(self, someone_else: bool) -> str:
        return (
            self.agree_label_other if someone_else and self.agree_label_other else self.agree_label
        )


@dataclass(frozen=True)
class Content:
    """Everything the kiosk shows and decides with, as loaded from one content folder."""

    version: str
    language: str
    journey: tuple[JourneyPart, ...]
    education: tuple[EducationPage, ...]
    statements: tuple[Statement, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    consent: Consent
    #: UI strings by key, for example ``"nav.next"``.
    strings: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    #: The language's own name, for its button ("Español"), and its writing direction.
    language_name: str = ""
    direction: str = "ltr"
    #: Education pages and statements shown in the clinic's language for want of a
    #: translation (they carry a note saying so).
    fallback_pages: frozenset[str] = frozenset()
    fallback_statements: frozenset[str] = frozenset()
    #: Places on the body map, in content order (regions.toml).
    regions: tuple[Region, ...] = ()
    #: Every language the patient can choose, by code, this one included.
    translations: dict[str, Content] = field(
        default_factory=dict, hash=False, compare=False, repr=False
    )

    @property
    def right_to_left(self) -> bool:
        return self.direction == "rtl"

    def for_language(self, code: str) -> Content:
        """This content in another language; itself when that language is not offered."""
        return self.translations.get(code, self)

    @property
    def languages(self) -> list[Content]:
        """Every language on offer, the clinic's own first."""
        return [self.translations.get(self.language, self)] + [
            c for code, c in self.translations.items() if code != self.language
        ]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def region(self, region_id: str) -> Region:
        for r in self.regions:
            if r.id == region_id:
                return r
        raise KeyError(region_id)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def text(self, key: str, **values: object) -> str:
        """A UI string by key, with ``{name}`` placeholders filled in."""
        template = self.strings[key]
        return template.format(**values) if values else template
