"""The kiosk's own on-screen keyboard: big keys, English, Spanish and Arabic, and a number pad.

Chosen over Qt Virtual Keyboard because it needs no input-method plugin, no QML and no
environment variable, so it cannot silently fail to appear on a kiosk.

It never synthesises key events: a key calls ``QLineEdit.insert()`` or
``QLineEdit.backspace()`` on the field it serves. Those go through the field's validator
and length limit like typing does, and the field's undo history stays inside the field,
which is deleted with its screen at the end of the session (see ``KioskWindow.reset``).

Keys never take the focus, so the field keeps its cursor while the patient taps. Key
sizes follow the patient's text size: each key is about twice as tall as its letters, and
never smaller than ``MIN_TARGET``.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.model import Content
from kiosk.ui.widgets import MIN_TARGET, set_role

#: Key height as a multiple of the key font's pixel size.
KEY_SCALE = 1.8
#: Space between keys, in pixels.
KEY_GAP = 6

#: Letter rows per language. Arabic follows the standard (101) Arabic layout; لا types two
#: letters, as on a physical keyboard. The last row holds extra letters shown beside Space.
LETTERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (
        tuple("qwertyuiop"),
        tuple("asdfghjkl'"),
        tuple("zxcvbnm-."),
        (),
    ),
    "es": (
        tuple("qwertyuiop"),
        tuple("asdfghjklñ"),
        tuple("zxcvbnm-.'"),
        tuple("áéíóúü"),
    ),
    "ar": (
        ("ض", "ص", "ث", "ق", "ف", "غ", "ع", "ه", "خ", "ح", "ج", "د"),  # noqa: RUF001
        ("ش", "س", "ي", "ب", "ل", "ا", "ت", "ن", "م", "ك", "ط"),  # noqa: RUF001
        ("ئ", "ء", "ؤ", "ر", "لا", "ى", "ة", "و", "ز", "ظ", "ذ"),
        ("أ", "إ", "آ"),
    ),
}

#: The digits and signs page, the same in every language.
SYMBOLS: tuple[tuple[str, ...], ...] = (
    tuple("1234567890"),
    ("-", "'", ".", ",", "/", "(", ")", "&", "?"),
    ("!", ":", ";", '"', "+", "@", "#"),
    (),
)

#: The number pad for date fields: two rows of big digits, in reading order, with
#: Backspace and Done at their ends. Two rows, not four, leave the page room to show
#: the whole date above the pad, even at the largest text size.
PAD: tuple[tuple[str, ...], ...] = (tuple("12345"), tuple("67890"))


class Page(enum.Enum):
    LETTERS = "letters"
    #: English letters on the Arabic keyboard, for a name written in Latin letters.
    LATIN = "latin"
    SYMBOLS = "symbols"
    DIGITS = "digits"


class Action(enum.Enum):
    TYPE = "type"
    SHIFT = "shift"
    BACKSPACE = "backspace"
    SPACE = "space"
    DONE = "done"
    PAGE = "page"


@dataclass(frozen=True)
class KeyWords:
    """The keyboard's words in the patient's language (from the content's strings)."""

    backspace: str
    space: str
    shift: str
    done: str
    done_name: str
    symbols: str
    symbols_name: str
    letters: str
    letters_name: str
    latin: str
    latin_name: str

    @classmethod
    def of(cls, content: Content) -> KeyWords:
        t = content.text
        return cls(
            backspace=t("keyboard.backspace"),
            space=t("keyboard.space"),
            shift=t("keyboard.shift"),
            done=t("keyboard.done"),
            done_name=t("keyboard.done_name"),
            symbols=t("keyboard.symbols"),
            symbols_name=t("keyboard.symbols_name"),
            letters=t("keyboard.letters"),
            letters_name=t("keyboard.letters_name"),
            latin=t("keyboard.latin"),
            latin_name=t("keyboard.latin_name"),
        )


#: The keyboard's words on the staff's pages, which are in English and have no content.
STAFF_WORDS = KeyWords(
    backspace="Backspace",
    space="Space",
    shift="Capital letter",
    done="Done",
    done_name="Done: hide the keyboard",
    symbols="123",
    symbols_name="Numbers and signs",
    letters="ABC",
    letters_name="Letters",
    latin="abc",
    latin_name="English letters",
)


class Key(QPushButton):
    """One key: never takes the focus, so the field keeps its cursor."""

    def __init__(self, action: Action, value: str, label: str, name: str, units: float) -> None:
        super().__init__(label.replace("&", "&&"))  # a lone & would be a mnemonic
        self.action = action
        self.value = value
        #: What the key types now (its letter, in capitals while Shift is on).
        self.typed = value
        self.units = units
        set_role(self, "key" if action is Action.TYPE else "key-action")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(name)
        self.setObjectName(f"key-{action.value}" if action is not Action.TYPE else "key")
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_side(self, side: int) -> None:
        width = round(side * self.units + KEY_GAP * (self.units - 1))
        self.setFixedSize(QSize(max(width, MIN_TARGET), max(side, MIN_TARGET)))


class OnScreenKeyboard(QFrame):
    """Docks under the page; types into the field it serves.

    Fields are registered with ``attach``; tapping or focusing one shows the keyboard for
    it (letters, or the number pad for digits-only fields). "Done" hides it; tapping the
    field again brings it back.

    A password field (any echo mode but ``Normal``) gets the password mode: no capital
    letter switched on by itself, and nothing typed is shown or named anywhere but in
    the field, whose accessible text is its dots (the keys have no preview, and the
    keyboard's ``typed`` signal carries nothing).

    Signals:
        shown(QWidget): the keyboard appeared, or changed field; carries the field.
        closed(): the patient tapped Done.
        typed(): a key changed the field's text.
    """

    shown = Signal(QWidget)
    closed = Signal()
    typed = Signal()

    def __init__(
        self,
        content: Content | None,
        parent: QWidget | None = None,
        words: KeyWords | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        set_role(self, "keyboard")
        if words is None:
            assert content is not None, "the keyboard's words come from the content"
            words = KeyWords.of(content)
        self.words = words
        language = content.language if content is not None else "en"
        self.language = language if language in LETTERS else "en"
        # Key positions follow the physical layouts, which are not mirrored in Arabic.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self._fields: dict[QLineEdit, bool] = {}
        self._target: QLineEdit | None = None
        self.page = Page.LETTERS
        self.shifted = False
        self.keys: list[Key] = []
        self._row_keys: list[list[Key]] = []
        #: Each page's rows of keys, built the first time the page is shown and kept:
        #: switching pages only hides one page's keys and shows another's, so no layout
        #: or key is taken out or deleted while the keyboard lives (deleting taken-out
        #: row layouts by hand left stale Python wrappers behind).
        self._pages: dict[Page, list[list[Key]]] = {}
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(12, 10, 12, 10)
        self._rows.setSpacing(KEY_GAP)
        self.setVisible(False)
        self._build()

    # ------------------------------------------------------------ fields

    @property
    def has_case(self) -> bool:
        """Whether the letters on show have capitals (Arabic has none)."""
        return self.page is Page.LATIN or (self.page is Page.LETTERS and self.language != "ar")

    @property
    def target(self) -> QLineEdit | None:
        return self._target

    @property
    def secret(self) -> bool:
        """Whether the field served is a password (the password mode)."""
        field = self._target
        return field is not None and field.echoMode() != QLineEdit.EchoMode.Normal

    def attach(self, field: QLineEdit, words: bool = False) -> None:
        """Serve ``field``; ``words`` capitalises each word (for names), else the first."""
        self._fields[field] = words
        field.installEventFilter(self)

    def show_for(self, field: QLineEdit) -> None:
        digits = bool(field.inputMethodHints() & Qt.InputMethodHint.ImhDigitsOnly)
        page = Page.DIGITS if digits else Page.LETTERS
        changed = field is not self._target or not self.isVisible()
        self._target = field
        typing = (Page.SYMBOLS, Page.LATIN)
        if page is not self.page and not (page is Page.LETTERS and self.page in typing):
            self.page = page
            self._build()
        self._auto_shift()
        self.setVisible(True)
        if changed:
            self.shown.emit(field)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QLineEdit) and watched in self._fields:
            kind = event.type()
            if kind == QEvent.Type.FocusIn or kind == QEvent.Type.MouseButtonPress:
                self.show_for(watched)
            elif kind == QEvent.Type.MouseButtonRelease and self.page is Page.DIGITS:
                # A tapped date box is chosen whole: the digits typed next replace it,
                # rather than landing wherever the finger put the cursor.
                watched.selectAll()
        return False

    # ------------------------------------------------------------ keys

    def key_for(self, text: str) -> Key | None:
        """The visible key that types ``text`` right now, if there is one."""
        for key in self.keys:
            if key.action is Action.TYPE and key.typed == text:
                return key
        if text == " ":
            return self.action_key(Action.SPACE)
        return None

    def action_key(self, action: Action) -> Key | None:
        return next((k for k in self.keys if k.action is action), None)

    def press(self, key: Key) -> None:
        field = self._target
        action = key.action
        if action is Action.DONE:
            self.setVisible(False)
            self.closed.emit()
            return
        if action is Action.SHIFT:
            self.shifted = not self.shifted
            self._relabel()
            return
        if action is Action.PAGE:
            self.page = Page(key.value)
            self.shifted = False
            self._build()
            self._auto_shift()
            return
        if field is None:
            return
        if action is Action.BACKSPACE:
            field.backspace()
        elif action is Action.SPACE:
            field.insert(" ")
        else:
            field.insert(key.typed)
            self.shifted = False
        self._auto_shift()
        self.typed.emit()

    def _auto_shift(self) -> None:
        """Capital letter at the start of the field, and after a space or hyphen in a name."""
        field = self._target
        if self.secret:
            # A password's letters are as the owner types them: no capital by itself.
            self.shifted = False
            self._relabel()
            return
        if field is not None and self.has_case:
            before = field.text()[: field.cursorPosition()]
            words = self._fields.get(field, False)
            self.shifted = not before.strip() or (words and before[-1:] in (" ", "-"))
        self._relabel()

    # ------------------------------------------------------------ building

    def _build(self) -> None:
        """Show the keys of ``self.page``, building them the first time."""
        if self.page not in self._pages:
            self._pages[self.page] = self._build_page(self.page)
        for page, page_rows in self._pages.items():
            for row in page_rows:
                for key in row:
                    key.setVisible(page is self.page)
        rows = self._pages[self.page]
        self._row_keys = rows
        self.keys = [key for row in rows for key in row]
        self._relabel()
        self._size_keys()

    def _build_page(self, page: Page) -> list[list[Key]]:
        w = self.words
        rows: list[list[Key]] = []
        if page is Page.DIGITS:
            rows.append([self._char(c, 2) for c in PAD[0]])
            rows[0].append(Key(Action.BACKSPACE, "", "\u232b", w.backspace, 2))
            rows.append([self._char(c, 2) for c in PAD[1]])
            rows[1].append(Key(Action.DONE, "", w.done, w.done_name, 2))
        else:
            source = {
                Page.LETTERS: LETTERS[self.language],
                Page.LATIN: LETTERS["en"],
            }.get(page, SYMBOLS)
            has_case = page is Page.LATIN or (page is Page.LETTERS and self.language != "ar")
            first = [self._char(c) for c in source[0]]
            first.append(Key(Action.BACKSPACE, "", "\u232b", w.backspace, 1.5))
            rows.append(first)
            rows.append([self._char(c) for c in source[1]])
            third = [self._char(c) for c in source[2]]
            if has_case:
                third.insert(0, Key(Action.SHIFT, "", "\u21e7", w.shift, 1.5))
            rows.append(third)
            switches = []
            if page is not Page.SYMBOLS:
                switches.append(
                    Key(Action.PAGE, Page.SYMBOLS.value, w.symbols, w.symbols_name, 1.5)
                )
            if page is not Page.LETTERS:
                switches.append(
                    Key(Action.PAGE, Page.LETTERS.value, w.letters, w.letters_name, 1.5)
                )
            if self.language == "ar" and page is Page.LETTERS:
                switches.append(Key(Action.PAGE, Page.LATIN.value, w.latin, w.latin_name, 1.5))
            last = [*switches, *(self._char(c) for c in source[3])]
            last.append(Key(Action.SPACE, "", "", w.space, 4))
            last.append(Key(Action.DONE, "", w.done, w.done_name, 2))
            rows.append(last)
        for row_keys in rows:
            # No stretches around the keys: a row whose keys are all hidden (another
            # page's) then takes no room at all.
            line = QHBoxLayout()
            line.setSpacing(KEY_GAP)
            for key in row_keys:
                key.setParent(self)
                key.clicked.connect(functools.partial(self._on_key_clicked, key))
                line.addWidget(key)
            self._rows.addLayout(line)
            self._rows.setAlignment(line, Qt.AlignmentFlag.AlignHCenter)
        return rows

    def _on_key_clicked(self, key: Key, _checked: bool = False) -> None:
        self.press(key)

    def _char(self, char: str, units: float = 1) -> Key:
        return Key(Action.TYPE, char, char, char, units)

    def _relabel(self) -> None:
        shift = self.action_key(Action.SHIFT)
        if shift is not None:
            shift.setCheckable(True)
            shift.setChecked(self.shifted)
        for key in self.keys:
            if key.action is Action.TYPE:
                upper = key.value.upper()
                text = upper if self.shifted and len(upper) == 1 else key.value
                key.typed = text
                key.setText(text.replace("&", "&&"))
                key.setAccessibleName(text)

    def _size_keys(self) -> None:
        if not self.keys:
            return
        probe = self.keys[0]
        probe.ensurePolished()
        pixels = probe.font().pixelSize()
        if pixels <= 0:
            pixels = QFontMetrics(probe.font()).height()
        side = max(MIN_TARGET, round(pixels * KEY_SCALE))
        window = self.window()
        if window is not self and window.isVisible():
            # On a narrow screen, smaller keys (never under 64 px) rather than a keyboard
            # wider than the screen.
            margins = self._rows.contentsMargins()
            room = window.width() - margins.left() - margins.right()
            for row in self._row_keys:
                units = sum(k.units for k in row)
                fits = int((room - KEY_GAP * (units - 1)) / units)
                side = max(MIN_TARGET, min(side, fits))
        for key in self.keys:
            key.ensurePolished()
            key.set_side(side)
            # Words on action keys ("Done", "Listo") must never be cut off.
            needed = key.fontMetrics().horizontalAdvance(key.text()) + 36
            if needed > key.width():
                key.setFixedWidth(needed)

    def key_side(self) -> int:
        return min(k.height() for k in self.keys) if self.keys else 0

    def showEvent(self, event: QShowEvent) -> None:
        self._size_keys()  # now the window's width is known
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        # A new stylesheet (another text size) resizes the keys.
        if event.type() == QEvent.Type.StyleChange:
            self._size_keys()
        super().changeEvent(event)
