"""The screens. Each is built fresh for one step and deleted when the patient moves on.

Every screen shares one small lifecycle: it is constructed from the content item and
the session, emits ``next_requested`` / ``back_requested``, and on Next the window calls
``commit()``, which writes the screen's answer into the session (or shows why it cannot
and returns False). Screens never move the flow themselves; ``KioskWindow`` does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.paths import asset
from kiosk.domain.answers import (
    Answer,
    AnswerError,
    clean_text,
    describe,
    format_date,
    toggle_multi,
)
from kiosk.domain.dates import month_names
from kiosk.domain.flow import Step, StepKind
from kiosk.domain.identity import DateInvalid, DateProblem, Identity, clean_name, parse_date
from kiosk.domain.model import UNSURE, Content, EducationPage, Question, QuestionType, Statement
from kiosk.domain.session import Session
from kiosk.domain.signature import SignatureProblem, SignatureRefused
from kiosk.ui.illustration import Illustration
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.speech import ReadAloudButton, spoken_words
from kiosk.ui.widgets import (
    MIN_TARGET,
    BigButton,
    ChoiceButton,
    DateFields,
    ScrollPage,
    SignaturePad,
    Text,
    centred,
    set_reading_order,
    set_role,
)

#: Text stays in a readable column even on a wide screen.
COLUMN_WIDTH = 1040


class Screen(QWidget):
    """Base of every screen.

    Signals:
        next_requested(): the patient tapped the forward button.
        back_requested(): the patient tapped Back.
    """

    next_requested = Signal()
    back_requested = Signal()

    def __init__(self, content: Content | None, name: str) -> None:
        super().__init__()
        self._content = content
        self.setObjectName(name)
        set_role(self, "screen")
        #: "Read aloud", hidden until ``KioskWindow`` binds it to a service with a voice.
        self.read_aloud: ReadAloudButton | None = None
        #: The language its words are read in (a page shown in the clinic's language).
        self.speech_language = content.language if content is not None else ""

    @property
    def content(self) -> Content:
        # Only the broken-content screen has no content, and it never asks for text.
        assert self._content is not None
        return self._content

    def t(self, key: str, **values: object) -> str:
        return self.content.text(key, **values)

    def speech_text(self) -> str:
        """What "Read aloud" says: the visible words in reading order, with the options
        of a question and the picture's alt text (``illustration_alt``, where set)."""
        return spoken_words(self, getattr(self, "illustration_alt", ""))

    def add_read_aloud(self) -> ReadAloudButton:
        self.read_aloud = ReadAloudButton(
            self.t("read_aloud.start"), self.t("read_aloud.stop"), self.t("read_aloud.description")
        )
        return self.read_aloud

    def read_aloud_row(self) -> QHBoxLayout:
        """A row for the top of a page, with "Read aloud" at its end."""
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_read_aloud())
        return row

    def scrolling_page(self, margins: tuple[int, int, int, int]) -> QVBoxLayout:
        """Fill the screen with a page that scrolls when large text needs the room."""
        page = QWidget()
        set_role(page, "body")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        hint = self.t("nav.more_below") if self._content is not None else ""
        outer.addWidget(ScrollPage(page, self, hint))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(*margins)
        return layout

    def commit(self) -> bool:
        """Write this screen's answer into the session; False (with a message) if not ready."""
        return True


class JourneyScreen(Screen):
    """A step of the journey: part title and progress on top, Back and Next at the bottom."""

    def __init__(
        self,
        content: Content,
        session: Session,
        name: str,
        next_label: str | None = None,
    ) -> None:
        super().__init__(content, name)
        self.session = session
        step, total = session.flow.position()
        part = session.flow.current.part

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        header = QFrame(self)
        set_role(header, "header")
        head = QHBoxLayout(header)
        head.setContentsMargins(40, 16, 40, 12)
        self.part_label = Text(self.t(f"part.{part.value}"), "part")
        self.step_label = Text(self.t("nav.progress", step=step, total=total), "progress")
        self.step_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.step_label.setWordWrap(False)
        head.addWidget(self.part_label, 1)
        head.addWidget(self.step_label, 0)
        head.addSpacing(12)
        head.addWidget(self.add_read_aloud(), 0)
        outer.addWidget(header)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, total)
        self.progress.setValue(step)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(10)
        self.progress.setAccessibleName(self.step_label.text())
        outer.addWidget(self.progress)

        # The body sits in a centred column inside a scroll area.
        inner = QWidget()
        set_role(inner, "body")
        centre = QHBoxLayout(inner)
        centre.setContentsMargins(40, 28, 40, 28)
        column_host = QWidget(inner)
        column_host.setMaximumWidth(COLUMN_WIDTH)
        self.body = QVBoxLayout(column_host)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(20)
        centre.addStretch(1)
        centre.addWidget(column_host, 100)
        centre.addStretch(1)
        self.scroll_area = ScrollPage(inner, self, self.t("nav.more_below"))
        outer.addWidget(self.scroll_area, 1)

        footer = QFrame(self)
        set_role(footer, "footer")
        foot = QHBoxLayout(footer)
        foot.setContentsMargins(40, 14, 40, 18)
        back, forward = arrows(content)
        self.back_button = BigButton(
            f"{back}  {self.t('nav.back')}", "secondary", self.t("nav.back")
        )
        self.back_button.setObjectName("back")
        self.next_button = BigButton(
            f"{next_label or self.t('nav.next')}  {forward}",
            "primary",
            next_label or self.t("nav.next"),
        )
        self.next_button.setObjectName("next")
        self.next_button.setMinimumWidth(260)
        foot.addWidget(self.back_button)
        foot.addStretch(1)
        foot.addWidget(self.next_button)
        outer.addWidget(footer)
        self.footer = footer
        self.keyboard: OnScreenKeyboard | None = None

        self.back_button.clicked.connect(self.back_requested)
        self.next_button.clicked.connect(self.next_requested)

    def finish_body(self) -> None:
        self.body.addStretch(1)
        set_reading_order(self)
        # Widgets added later (a marked place's chip, a message) join the order too.
        self.scroll_area.laid_out.connect(self._on_page_laid_out)

    def _on_page_laid_out(self) -> None:
        set_reading_order(self)

    def add_keyboard(self, field: QLineEdit, words: bool = False) -> OnScreenKeyboard:
        """The screen's on-screen keyboard, docked between the page and Back / Next (so it
        never covers them), now serving ``field`` too. The page scrolls to keep the field
        in view above it."""
        if self.keyboard is None:
            self.keyboard = OnScreenKeyboard(self.content, self)
            outer = self.layout()
            assert isinstance(outer, QVBoxLayout)
            outer.insertWidget(outer.indexOf(self.footer), self.keyboard)
            self.keyboard.shown.connect(self._on_keyboard_shown)
            self.keyboard.closed.connect(self._on_keyboard_closed)
        self.keyboard.attach(field, words)
        return self.keyboard

    def _on_keyboard_shown(self, field: QWidget) -> None:
        # A date box brings its whole date into view: captions, boxes and buttons.
        parent = field.parentWidget()
        self.scroll_area.keep_visible(parent if isinstance(parent, DateFields) else field)

    def _on_keyboard_closed(self) -> None:
        self.scroll_area.keep_visible(None)

    def make_date_fields(self, name: str, start_year: int) -> DateFields:
        """Day, month (by name) and year pickers, with the number pad for day and year."""
        parts = (self.t("identity.day"), self.t("identity.month"), self.t("identity.year"))
        fields = DateFields(
            *parts,
            name,
            months=month_names(self.content),
            more=(
                self.t("date.more", part=parts[0]),
                self.t("date.more", part=parts[1]),
                self.t("date.more", part=parts[2]),
            ),
            less=(
                self.t("date.less", part=parts[0]),
                self.t("date.less", part=parts[1]),
                self.t("date.less", part=parts[2]),
            ),
            start_year=start_year,
            latest_year=self.session.today.year,
        )
        for field in fields.text_fields():
            self.add_keyboard(field)
        return fields

    def set_can_advance(self, ok: bool) -> None:
        self.next_button.setEnabled(ok)


# ---------------------------------------------------------------- welcome and endings


def arrows(content: Content) -> tuple[str, str]:
    """(back, forward) arrows for the writing direction: in Arabic, forward points left."""
    return ("\u2192", "\u2190") if content.right_to_left else ("\u2190", "\u2192")


class WelcomeScreen(Screen):
    """The first screen: a big Start, and the patient's choices of language, text size
    and contrast, which apply at once and reset for the next patient.

    Signals:
        start_requested()
        language_chosen(str): a language code.
        size_chosen(str): a ``TextSize`` name.
        contrast_toggled(bool)
    """

    start_requested = Signal()
    language_chosen = Signal(str)
    size_chosen = Signal(str)
    contrast_toggled = Signal(bool)

    def __init__(
        self,
        content: Content,
        clinic_name: str,
        size: str = "NORMAL",
        high_contrast: bool = False,
    ) -> None:
        super().__init__(content, "welcome")
        layout = self.scrolling_page((80, 40, 80, 32))
        layout.addLayout(self.read_aloud_row())
        layout.addStretch(2)
        clinic = Text(clinic_name, "clinic")
        clinic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(clinic)
        title = Text(self.t("welcome.title"), "hero")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        lead = Text(self.t("app.title"), "subtitle")
        lead.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(lead)
        body = Text(self.t("welcome.body"), "lead")
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setMaximumWidth(900)
        layout.addSpacing(12)
        layout.addLayout(centred(body, 10))
        layout.addSpacing(28)
        forward = arrows(content)[1]
        self.start_button = BigButton(
            f"{self.t('welcome.start')}  {forward}", "hero", self.t("welcome.start")
        )
        self.start_button.setObjectName("start")
        self.start_button.setMinimumSize(420, 110)
        layout.addLayout(centred(self.start_button))
        layout.addStretch(2)

        # Each choice's name sits above its buttons, so long words in big text still fit.
        choices = QGridLayout()
        choices.setHorizontalSpacing(14)
        choices.setVerticalSpacing(6)
        self.language_buttons: list[BigButton] = []
        row = 0
        if len(content.languages) > 1:
            choices.addWidget(Text(self.t("welcome.language"), "label"), row, 0)
            row += 1
            line = QHBoxLayout()
            for language in content.languages:
                button = BigButton(language.language_name, "secondary", language.language_name)
                button.setObjectName(f"language-{language.language}")
                button.setCheckable(True)
                button.setChecked(language.language == content.language)
                # Each name is shown in its own script and direction.
                button.setLayoutDirection(
                    Qt.LayoutDirection.RightToLeft
                    if language.right_to_left
                    else Qt.LayoutDirection.LeftToRight
                )
                button.clicked.connect(
                    lambda _=False, code=language.language: self.language_chosen.emit(code)
                )
                line.addWidget(button)
                self.language_buttons.append(button)
            line.addStretch(1)
            choices.addLayout(line, row, 0)
            row += 1
        choices.addWidget(Text(self.t("welcome.text_size"), "label"), row, 0)
        row += 1
        sizes = QHBoxLayout()
        self.size_buttons: list[BigButton] = []
        for step, (name, key) in enumerate(
            (
                ("NORMAL", "size.normal"),
                ("LARGE", "size.large"),
                ("EXTRA_LARGE", "size.extra_large"),
            ),
            start=1,
        ):
            button = BigButton(self.t(key), "secondary", self.t(key))
            button.setObjectName(f"size-{name.lower()}")
            # Each size button shows its own size (the stylesheet's sizeStep rules).
            button.setProperty("sizeStep", step)
            button.setCheckable(True)
            button.setChecked(name == size)
            button.clicked.connect(lambda _=False, n=name: self.size_chosen.emit(n))
            sizes.addWidget(button)
            self.size_buttons.append(button)
        self.contrast_button = BigButton(
            f"\u25d0  {self.t('welcome.contrast')}", "secondary", self.t("welcome.contrast")
        )
        self.contrast_button.setObjectName("contrast")
        self.contrast_button.setCheckable(True)
        self.contrast_button.setChecked(high_contrast)
        self.contrast_button.toggled.connect(self.contrast_toggled)
        sizes.addStretch(1)
        choices.addLayout(sizes, row, 0)
        contrast_row = QHBoxLayout()
        contrast_row.addWidget(self.contrast_button)
        contrast_row.addStretch(1)
        choices.addLayout(contrast_row, row + 1, 0)
        layout.addLayout(choices)
        self.start_button.clicked.connect(self.start_requested)
        set_reading_order(self)


class MessageScreen(Screen):
    """A centred title, a message and one big button: done, save failed, saving.

    The done screen may also carry a note (how to get a copy) and a second button
    (print a copy); ``show_note`` updates the note, for example once the copy is printed.

    Signals:
        action_requested(): the button was tapped.
        extra_requested(): the second button was tapped.
    """

    action_requested = Signal()
    extra_requested = Signal()

    def __init__(
        self,
        content: Content | None,
        name: str,
        title: str,
        body: str,
        action: str | None,
        details: tuple[str, ...] = (),
        note: str = "",
        extra: str | None = None,
    ) -> None:
        super().__init__(content, name)
        layout = self.scrolling_page((80, 60, 80, 60))
        if content is not None:
            layout.addLayout(self.read_aloud_row())
        layout.addStretch(2)
        heading = Text(title, "hero")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(heading)
        message = Text(body, "lead")
        message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(message)
        self.note = Text(note, "lead")
        self.note.setObjectName("note")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)
        self.extra_button: BigButton | None = None
        if extra:
            layout.addSpacing(24)
            self.extra_button = BigButton(extra, "secondary", extra)
            self.extra_button.setObjectName("extra")
            self.extra_button.setMinimumSize(360, 88)
            layout.addLayout(centred(self.extra_button))
            self.extra_button.clicked.connect(self.extra_requested)
        if details:
            # Staff-facing details (the content problems): smaller, left-aligned, scrollable.
            box = QWidget()
            lines = QVBoxLayout(box)
            for line in details:
                item = Text(line, "detail")
                item.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                lines.addWidget(item)
            lines.addStretch(1)
            scroll = ScrollPage(box, self)
            scroll.setMinimumHeight(240)
            layout.addWidget(scroll, 4)
        self.action_button: BigButton | None = None
        if action:
            layout.addSpacing(32)
            self.action_button = BigButton(action, "hero", action)
            self.action_button.setObjectName("action")
            self.action_button.setMinimumSize(360, 96)
            layout.addLayout(centred(self.action_button))
            self.action_button.clicked.connect(self.action_requested)
        layout.addStretch(3)
        set_reading_order(self)

    def show_note(self, text: str) -> None:
        """Replace the note, and take the second button away: it has done its job."""
        self.note.setText(text)
        self.note.setVisible(bool(text))
        if self.extra_button is not None:
            self.extra_button.setEnabled(False)
            self.extra_button.hide()


# ---------------------------------------------------------------- education


class EducationScreen(JourneyScreen):
    def __init__(self, content: Content, session: Session, page: EducationPage) -> None:
        super().__init__(content, session, f"education-{page.id}")
        self.page = page
        fallback_note(self, page.id in content.fallback_pages)
        self.body.addWidget(Text(page.title, "title"))
        #: The picture's words, for read-aloud; empty when the page has no picture.
        self.illustration_alt = page.image_alt if page.image else ""
        self.illustration: Illustration | None = None
        if page.image:
            self.illustration = Illustration(asset(page.image), page.image_alt)
            self.illustration.setObjectName("illustration")
            self.body.addWidget(self.illustration)
        for paragraph in page.body:
            if paragraph.startswith("- "):
                items = [line[2:] for line in paragraph.splitlines()]
                for item in items:
                    row = QHBoxLayout()
                    bullet = Text("\u2022", "body")
                    bullet.setFixedWidth(28)
                    bullet.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
                    row.addWidget(bullet, 0, Qt.AlignmentFlag.AlignTop)
                    row.addWidget(Text(item, "body"), 1)
                    self.body.addLayout(row)
            else:
                self.body.addWidget(Text(paragraph, "body"))
        if page.table:
            self.body.addWidget(_table(page.table.columns, page.table.rows))
        self.finish_body()
        session.view_page(page.id)


def fallback_note(screen: JourneyScreen, fell_back: bool) -> None:
    """Say so when a page shows in the clinic's language, and lay that page out in it."""
    if not fell_back:
        return
    note = Text(screen.t("language.fallback_note"), "hint")
    # Read aloud in the page's language: not the note, nor the header in the patient's.
    note.setProperty("spoken", False)
    screen.part_label.setProperty("spoken", False)
    screen.body.addWidget(note)
    base = screen.content.for_language(
        next(iter(screen.content.translations), screen.content.language)
    )
    screen.speech_language = base.language
    page = screen.scroll_area.widget()
    if page is not None and not base.right_to_left:
        page.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def _table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> QWidget:
    frame = QFrame()
    set_role(frame, "table")
    grid = QGridLayout(frame)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(0)
    for col, heading in enumerate(columns):
        cell = Text(heading, "th")
        grid.addWidget(cell, 0, col)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            cell = Text(value, "th" if col == 0 else "td")
            grid.addWidget(cell, r, col)
    grid.setColumnStretch(0, 2)
    for col in range(1, len(columns)):
        grid.setColumnStretch(col, 3)
    return frame


# ---------------------------------------------------------------- comprehension check


class CheckScreen(JourneyScreen):
    """One true-or-false statement. The first answer counts; the explanation follows it."""

    def __init__(self, content: Content, session: Session, statement: Statement) -> None:
        super().__init__(content, session, f"check-{statement.id}")
        self.statement = statement
        fallback_note(self, statement.id in content.fallback_statements)
        self.body.addWidget(Text(self.t("check.prompt"), "hint"))
        self.body.addWidget(Text(statement.text, "question"))
        self.buttons: list[ChoiceButton] = []
        for code, key in (
            ("true", "answer.true"),
            ("false", "answer.false"),
            (UNSURE, "answer.unsure"),
        ):
            button = ChoiceButton(code, self.t(key))
            button.setObjectName(f"choice-{code}")
            button.chosen.connect(self._on_chosen)
            self.body.addWidget(button)
            self.buttons.append(button)
        self.feedback = Text("", "feedback")
        self.feedback.setVisible(False)
        self.body.addWidget(self.feedback)
        self.finish_body()
        given = session.checks.get(statement.id, "missing")
        if given != "missing":
            self._show(given if isinstance(given, bool) or given is None else None)
        else:
            self.set_can_advance(False)

    def _on_chosen(self, code: str) -> None:
        if self.statement.id in self.session.checks:
            return
        given = {"true": True, "false": False}.get(code)
        self.session.checks[self.statement.id] = given
        self._show(given)

    def _show(self, given: bool | None) -> None:
        code = {True: "true", False: "false", None: UNSURE}[given]
        for button in self.buttons:
            button.setChecked(button.code == code)
            button.setEnabled(button.code == code)
        right = given is self.statement.correct
        verdict = self.t("check.right" if right else "check.wrong")
        truth = self.t("answer.true" if self.statement.correct else "answer.false")
        answer = self.t("check.answer", answer=truth)
        self.feedback.setText(f"{verdict} {answer} {self.statement.explanation}")
        self.feedback.setProperty("right", right)
        self.feedback.style().unpolish(self.feedback)
        self.feedback.style().polish(self.feedback)
        self.feedback.setVisible(True)
        self.feedback.setAccessibleName(self.feedback.text())
        self.set_can_advance(True)


# ---------------------------------------------------------------- identity


class IdentityScreen(JourneyScreen):
    def __init__(self, content: Content, session: Session) -> None:
        super().__init__(content, session, "identity")
        self.body.addWidget(Text(self.t("identity.title"), "title"))
        name_label = Text(self.t("identity.name"), "label")
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.name.setAccessibleName(self.t("identity.name"))
        self.name.setMinimumHeight(MIN_TARGET + 8)
        self.name.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.name.setInputMethodHints(
            Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhSensitiveData
        )
        set_role(self.name, "field")
        name_label.setBuddy(self.name)
        self.body.addWidget(name_label)
        self.body.addWidget(self.name)
        self.body.addSpacing(12)
        self.body.addWidget(Text(self.t("identity.dob"), "label"))
        self.body.addWidget(Text(self.t("identity.date_hint"), "hint"))
        # The year buttons start from 50 years ago: nearer most patients than today.
        self.date = self.make_date_fields(self.t("identity.dob"), session.today.year - 50)
        self.body.addWidget(self.date)
        self.error = Text("", "error")
        self.error.setVisible(False)
        self.body.addWidget(self.error)
        self.finish_body()
        if session.identity is not None:
            dob = session.identity.date_of_birth
            self.name.setText(session.identity.name)
            self.date.set_values(str(dob.day), str(dob.month), str(dob.year))
        self.name.textEdited.connect(self._on_edited)
        self.date.edited.connect(self._on_edited)
        # The name is what this screen asks first: its keyboard is open from the start,
        # and the field has the focus (for a physical keyboard too).
        self.add_keyboard(self.name, words=True).show_for(self.name)
        self.setFocusProxy(self.name)

    def _on_edited(self, *_: object) -> None:
        self.error.setVisible(False)

    def commit(self) -> bool:
        name = clean_name(self.name.text())
        if not name:
            return self._fail(self.t("identity.error.name"), self.name)
        try:
            dob = parse_date(*self.date.values(), today=self.session.today)
        except DateInvalid as exc:
            key = (
                "identity.error.future"
                if exc.problem is DateProblem.FUTURE
                else "identity.error.date"
            )
            return self._fail(self.t(key), self.date.day)
        self.session.identity = Identity(name, dob)
        return True

    def _fail(self, message: str, focus: QWidget) -> bool:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.setVisible(True)
        focus.setFocus()
        return False


# ---------------------------------------------------------------- questions


class QuestionScreen(JourneyScreen):
    """One question, with big answer buttons and "Not sure" always offered."""

    def __init__(self, content: Content, session: Session, question: Question) -> None:
        super().__init__(content, session, f"question-{question.id}")
        self.question = question
        answer = session.flow.answer_for(question.id)
        section = content.section(question.section).title
        self.body.addWidget(Text(section, "hint"))
        self.body.addWidget(Text(question.text, "question"))
        if question.help:
            self.body.addWidget(Text(question.help, "hint"))
        self.codes: tuple[str, ...] = answer.codes if answer else ()
        self.buttons: list[ChoiceButton] = []
        self.text_field: QLineEdit | None = None
        self.date_fields: DateFields | None = None
        self.error = Text("", "error")
        self.error.setVisible(False)
        kind = question.type
        if kind is QuestionType.MULTI:
            self.body.addWidget(Text(self.t("question.multi_hint"), "hint"))
        if kind is QuestionType.TEXT:
            self._build_text(answer)
        elif kind is QuestionType.DATE:
            self._build_date(answer)
        choices = self._choices()
        grid = QGridLayout()
        grid.setSpacing(14)
        columns = 2 if len(choices) > 5 else 1
        for i, (code, label) in enumerate(choices):
            button = ChoiceButton(code, label)
            button.setObjectName(f"choice-{code}")
            button.chosen.connect(self._on_chosen)
            grid.addWidget(button, i // columns, i % columns)
            self.buttons.append(button)
        self.body.addLayout(grid)
        self.body.addWidget(self.error)
        self.finish_body()
        self._sync()

    def _choices(self) -> list[tuple[str, str]]:
        q = self.question
        if q.type is QuestionType.YES_NO:
            options = [("yes", self.t("answer.yes")), ("no", self.t("answer.no"))]
        elif q.type in (QuestionType.SINGLE, QuestionType.MULTI):
            options = [(o.code, o.label) for o in q.options]
        else:
            options = []
        return [*options, (UNSURE, self.t("answer.unsure"))]

    def _build_text(self, answer: Answer | None) -> None:
        field = QLineEdit()
        field.setMaxLength(self.question.max_length)
        field.setAccessibleName(self.question.text)
        field.setMinimumHeight(MIN_TARGET + 8)
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        set_role(field, "field")
        if answer and not answer.is_unsure:
            field.setText(answer.text)
        self.counter = Text("", "hint")
        self.body.addWidget(field)
        self.body.addWidget(self.counter)
        field.textChanged.connect(self._on_text_changed)
        self.text_field = field
        self._update_counter()
        self.add_keyboard(field).show_for(field)
        self.setFocusProxy(field)

    def _build_date(self, answer: Answer | None) -> None:
        fields = self.make_date_fields(self.question.text, self.session.today.year)
        if answer and answer.date is not None:
            date = answer.date
            fields.set_values(str(date.day), str(date.month), str(date.year))
        fields.edited.connect(self._on_date_edited)
        self.body.addWidget(fields)
        self.date_fields = fields

    def _update_counter(self) -> None:
        assert self.text_field is not None
        self.counter.setText(
            self.t(
                "question.text_counter",
                count=len(self.text_field.text()),
                limit=self.question.max_length,
            )
        )

    # ------------------------------------------------------------ slots

    def _on_chosen(self, code: str) -> None:
        if self.question.type is QuestionType.MULTI:
            self.codes = toggle_multi(self.question, self.codes, code)
        elif (
            code in self.codes
            and code == UNSURE
            and self.question.type in (QuestionType.TEXT, QuestionType.DATE)
        ):
            self.codes = ()  # tapping "Not sure" again goes back to typing
        else:
            self.codes = (code,)
        if code == UNSURE and self.text_field is not None:
            self.text_field.clear()
        self.error.setVisible(False)
        self._sync()

    def _on_text_changed(self, _text: str) -> None:
        self._update_counter()
        if self.text_field is not None and clean_text(self.text_field.text()):
            self.codes = ()
        self._sync()

    def _on_date_edited(self) -> None:
        self.codes = ()
        self.error.setVisible(False)
        self._sync()

    def _sync(self) -> None:
        for button in self.buttons:
            button.setChecked(button.code in self.codes)
        self.set_can_advance(self._has_answer())

    def _has_answer(self) -> bool:
        if self.codes:
            return True
        if self.text_field is not None:
            # Invisible characters alone (zero-width space, bidi controls) are no answer.
            return bool(clean_text(self.text_field.text()))
        if self.date_fields is not None:
            return all(v.strip() for v in self.date_fields.values())
        return False

    def answer(self) -> Answer | None:
        if self.codes:
            return Answer(codes=self.codes)
        if self.text_field is not None and clean_text(self.text_field.text()):
            return Answer.of_text(self.text_field.text())
        if self.date_fields is not None:
            try:
                return Answer.of_date(
                    parse_date(*self.date_fields.values(), today=self.session.today)
                )
            except DateInvalid:
                return None
        return None

    def commit(self) -> bool:
        answer = self.answer()
        if answer is None:
            self.error.setText(self.t("question.date_error"))
            self.error.setVisible(True)
            return False
        try:
            self.session.flow.set_answer(self.question.id, answer)
        except AnswerError:
            # The buttons prevent this; a refusal with a message is still better than a crash.
            key = "question.date_error" if self.date_fields else "question.text_error"
            self.error.setText(self.t(key))
            self.error.setVisible(True)
            return False
        return True


# ---------------------------------------------------------------- review


class ReviewScreen(JourneyScreen):
    """Every answer, each with Change.

    Signals:
        change_requested(str, str): the step kind and id to change.
    """

    change_requested = Signal(str, str)

    def __init__(self, content: Content, session: Session) -> None:
        super().__init__(content, session, "review", next_label=content.text("review.continue"))
        self.body.addWidget(Text(self.t("review.title"), "title"))
        self.body.addWidget(Text(self.t("review.intro"), "hint"))
        identity = session.identity
        if identity is not None:
            # Read aloud in a waiting room, a name and date of birth tell everyone who
            # the patient is; the labels are read, the values are not.
            self._row(
                self.t("review.name"),
                identity.name,
                0,
                Step(StepKind.IDENTITY),
                "identity-name",
                spoken=False,
            )
            self._row(
                self.t("review.dob"),
                format_date(identity.date_of_birth, self.content),
                0,
                Step(StepKind.IDENTITY),
                "identity-dob",
                spoken=False,
            )
        section = ""
        for item in session.flow.review_items():
            title = content.section(item.question.section).title
            if title != section:
                section = title
                self.body.addWidget(Text(title, "section"))
            self._row(
                item.question.text,
                describe(item.question, item.answer, content),
                item.depth,
                Step(StepKind.QUESTION, item.question.id),
                item.question.id,
            )
        self.finish_body()

    def _row(
        self, question: str, answer: str, depth: int, step: Step, key: str, spoken: bool = True
    ) -> None:
        row = QFrame()
        set_role(row, "review-row")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(20 + 40 * depth, 12, 12, 12)
        texts = QVBoxLayout()
        texts.addWidget(Text(question, "review-question"))
        answer_text = Text(answer, "review-answer")
        if not spoken:
            answer_text.setProperty("spoken", False)
        texts.addWidget(answer_text)
        layout.addLayout(texts, 1)
        change = BigButton(
            self.t("review.change"), "secondary", f"{self.t('review.change')}: {question}"
        )
        change.setObjectName(f"change-{key}")
        change.clicked.connect(lambda: self.change_requested.emit(step.kind.value, step.id))
        layout.addWidget(change, 0, Qt.AlignmentFlag.AlignVCenter)
        self.body.addWidget(row)


# ---------------------------------------------------------------- consent


class ConsentScreen(JourneyScreen):
    """The consent text, "I have read and understood", and the signature pad."""

    def __init__(self, content: Content, session: Session) -> None:
        super().__init__(content, session, "consent", next_label=content.text("consent.finish"))
        consent = content.consent
        self.body.addWidget(Text(consent.title, "title"))
        for paragraph in consent.body:
            self.body.addWidget(Text(paragraph.replace("- ", "\u2022 "), "body"))
        self.agree = ChoiceButton("agree", consent.agree_label)
        self.agree.setObjectName("agree")
        self.agree.setMinimumHeight(MIN_TARGET + 24)
        set_role(self.agree, "agree")
        self.agree.toggled.connect(self._on_agree_toggled)
        self.body.addWidget(self.agree)
        # Why a signature was refused shows right above the pad, where the patient looks.
        self.error = Text("", "error")
        self.error.setVisible(False)
        self.body.addWidget(self.error)
        self.body.addWidget(Text(consent.sign_prompt, "label"))
        self.pad = SignaturePad(consent.sign_prompt)
        self.pad.setObjectName("signature")
        self.pad.setMinimumHeight(240)
        self.pad.changed.connect(self._on_pad_changed)
        pad_row = QHBoxLayout()
        pad_row.addWidget(self.pad, 1)
        self.clear_button = BigButton(self.t("consent.clear"), "secondary", self.t("consent.clear"))
        self.clear_button.setObjectName("clear")
        self.clear_button.clicked.connect(self.pad.clear)
        pad_row.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.body.addLayout(pad_row)
        self.finish_body()

    def _on_agree_toggled(self, _checked: bool) -> None:
        self.error.setVisible(False)

    def _on_pad_changed(self) -> None:
        self.error.setVisible(False)

    def commit(self) -> bool:
        if not self.agree.isChecked():
            return self._fail(self.t("consent.need_agree"))
        try:
            self.session.sign(self.pad.signature(), self.pad.to_png())
        except SignatureRefused as exc:
            key = (
                "consent.error.empty"
                if exc.problem is SignatureProblem.EMPTY
                else "consent.error.small"
            )
            return self._fail(self.t(key))
        return True

    def _fail(self, message: str) -> bool:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.setVisible(True)
        # Bring the message and the pad into view once the page has been laid out again.
        QTimer.singleShot(0, self._show_signing_area)
        return False

    def _show_signing_area(self) -> None:
        self.scroll_area.ensureWidgetVisible(self.pad, 0, 24)
        self.scroll_area.ensureWidgetVisible(self.error, 0, 24)
