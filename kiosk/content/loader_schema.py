"""What a content folder holds, declared in one place: its files, the keys each kind of
table may have (and which of them a translation gives again), and the UI strings every
language defines with the placeholders each needs. The loader and the locales check
files against these declarations; what each key means is in docs/content-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    """The keys one kind of TOML table may have."""

    #: The table, as the content format names it (for readers and the tests).
    table: str
    keys: tuple[str, ...]
    #: The keys a ``locales/<code>.toml`` file gives again in its language; the others
    #: (ids, codes, conditions) come from the main files only.
    translated: tuple[str, ...] = ()


MANIFEST = Keys("manifest.toml", ("version", "language", "language_name", "journey"))
EDUCATION = Keys("education.toml", ("page",))
PAGE = Keys(
    "education.toml [[page]]",
    ("id", "title", "body", "image", "image_alt", "table"),
    translated=("title", "body", "image_alt", "table"),
)
PAGE_TABLE = Keys("education.toml [[page]] table", ("columns", "rows"))
COMPREHENSION = Keys("comprehension.toml", ("statement",))
STATEMENT = Keys(
    "comprehension.toml [[statement]]",
    ("id", "text", "correct", "explanation"),
    translated=("text", "explanation"),
)
REGIONS = Keys("regions.toml", ("region",))
REGION = Keys("regions.toml [[region]]", ("id", "view", "side", "name", "snomed", "groups"))
SNOMED = Keys("regions.toml [[region]] snomed", ("code", "display"))
QUESTIONS = Keys("questions.toml", ("section", "question"))
SECTION = Keys("questions.toml [[section]]", ("id", "title"), translated=("title",))
QUESTION = Keys(
    "questions.toml [[question]]",
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
    translated=("text", "help", "options", "anchors"),
)
OPTION = Keys("questions.toml [[question]] options", ("code", "label", "exclusive"))
#: A follow-up's enable_when condition. Places and age are for rules only: a follow-up
#: asked because of a marked place or an age has no FHIR enableWhen form.
CONDITION = Keys("enable_when condition", ("question", "any_of", "answered"))
RULE_CONDITION = Keys(
    "rules.toml when condition",
    (*CONDITION.keys, "age_below", "regions_any_of", "regions_in"),
)
RULES = Keys("rules.toml", ("rule",))
RULE = Keys("rules.toml [[rule]]", ("id", "level", "when", "match", "message", "source"))
CONSENT = Keys(
    "consent.toml",
    (
        "version",
        "title",
        "body",
        "agree_label",
        "sign_prompt",
        "agree_label_other",
        "ask_signer_when",
    ),
    translated=("title", "body", "agree_label", "sign_prompt", "agree_label_other"),
)
STRINGS = Keys("strings.toml", ("strings",))
LOCALE = Keys(
    "locales/<code>.toml",
    (
        "language",
        "name",
        "direction",
        "fallback",
        "strings",
        "education",
        "statement",
        "section",
        "question",
        "consent",
        "region",
    ),
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
    "bodymap.zoom": (),
    "bodymap.zoom_description": (),
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
    # Consent that can be refused (issue 14)
    "consent.other_choices": (),
    "consent.talk_first": (),
    "consent.decline": (),
    "withhold.talk_first.title": (),
    "withhold.talk_first.body": (),
    "withhold.declined.title": (),
    "withhold.declined.body": (),
    "withhold.confirm": (),
    "withhold.back": (),
    "done.withheld.title": (),
    "done.talk_first": (),
    "done.declined": (),
    "copy.consent_unsigned": (),
    "copy.talk_first": (),
    "copy.declined": (),
    # Who signs (issue 14)
    "signer.title": (),
    "signer.intro": (),
    "signer.patient": (),
    "signer.guardian": (),
    "signer.authority": (),
    "signer.name": (),
    "signer.relationship": (),
    "signer.relationship_hint": (),
    "signer.error.choose": (),
    "signer.error.name": (),
    "signer.error.relationship": (),
    "consent.signing_for": ("name", "relationship"),
    "copy.signed_by": ("name", "relationship"),
}
