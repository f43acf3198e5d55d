"""The two screen bases: ``Screen`` (any full-window page) and ``JourneyScreen`` (a step of
the journey, with its header, progress, Back and Next).

Every journey screen shares one lifecycle: it is built from the content item and a
``StepView`` (what it shows), never the session; on Next the window asks it for its
``result()`` (None, with a message shown, when it is not ready) and hands that to the
journey controller (``kiosk.app.journey``), which keeps it and moves on, or says why not;
the screen then shows that reason (``refused``). Screens never move the flow themselves.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.app.journey import Continue, Refusal, StepResult, StepView
from kiosk.domain.answers import Answer
from kiosk.domain.dates import month_names
from kiosk.domain.model import Content
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.speech import ReadAloudButton, spoken_words
from kiosk.ui.widgets import (
    BigButton,
    DateFields,
    ScrollPage,
    Text,
    reading_order,
    set_reading_order,
    set_role,
)

#: Text stays in a readable column even on a wide screen.
COLUMN_WIDTH = 1040

#: The text roles that head a screen, in the order a screen's heading is looked for.
HEADING_ROLES = ("hero", "title", "question")


class Screen(QWidget):
    """Base of every screen.

    Signals:
        next_requested(): the patient tapped the forward button.
        back_requested(): the patient tapped Back.
        changed(): what the screen would hand back may have changed.
    """

    next_requested = Signal()
    back_requested = Signal()
    #: What Next would hand back may have changed (an answer tapped or typed).
    changed = Signal()

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

    def heading(self) -> QWidget | None:
        """The words that say what this screen is: the first visible text in a heading
        role (``HEADING_ROLES``), in the order the screen was built. Focus moves here when
        the screen appears, so a screen reader starts reading at the top."""
        texts = [t for t in self.findChildren(Text) if not t.isHidden() and t.text().strip()]
        for role in HEADING_ROLES:
            for text in texts:
                if text.property("role") == role:
                    return text
        return texts[0] if texts else None

    def progress_text(self) -> str:
        """Where the patient is ("Step 14 of 43"), or nothing off the journey."""
        return ""

    def announcement(self) -> str:
        """What a screen reader says when this screen appears: the progress, then the heading."""
        heading = self.heading()
        words = heading.accessibleName() or heading.text() if isinstance(heading, Text) else ""
        return ". ".join(part for part in (self.progress_text(), words) if part)

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


class JourneyScreen(Screen):
    """A step of the journey: part title and progress on top, Back and Next at the bottom."""

    def __init__(
        self,
        content: Content,
        view: StepView,
        name: str,
        next_label: str | None = None,
    ) -> None:
        super().__init__(content, name)
        #: What this screen shows; read-only (the session is the controller's).
        self.step_view = view
        step, total, part = view.number, view.total, view.part

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

    def progress_text(self) -> str:
        return self.step_label.text()

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
        shown = parent if isinstance(parent, DateFields) else field
        self.scroll_area.keep_visible(shown, self.field_after(shown))

    def field_after(self, widget: QWidget) -> QLineEdit | None:
        """The next visible field on the page after ``widget`` (or after its own fields),
        in reading order: the one the patient fills in next."""
        passed = False
        for candidate in reading_order(self):
            inside = candidate is widget or widget.isAncestorOf(candidate)
            if inside:
                passed = True
            elif passed and isinstance(candidate, QLineEdit) and candidate.isVisibleTo(self):
                return candidate
        return None

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
            latest_year=self.step_view.today.year,
        )
        for field in fields.text_fields():
            self.add_keyboard(field)
        return fields

    def set_can_advance(self, ok: bool) -> None:
        self.next_button.setEnabled(ok)
        self.changed.emit()

    def draft(self) -> Answer | None:
        """The answer as it stands, without checking or showing anything (question
        screens have one; None elsewhere): for guessing which screen comes next."""
        return None

    def result(self) -> StepResult | None:
        """What the patient gave on this screen, for the journey controller to keep; None
        (with the reason shown) when it is not ready. Screens without one say ``Continue``."""
        return Continue()

    def kept_on_back(self) -> StepResult | None:
        """What must not be lost when the patient goes back from here (rarely anything)."""
        return None

    def refused(self, reason: Refusal) -> None:
        """The controller would not keep ``result()``: say why (each kind says it its way)."""


def arrows(content: Content) -> tuple[str, str]:
    """(back, forward) arrows for the writing direction: in Arabic, forward points left."""
    return ("\u2192", "\u2190") if content.right_to_left else ("\u2190", "\u2192")


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
