"""The on-screen keyboard and the date pickers: big, named, typing without key events."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, keyboard_of, settle, tap, tap_next, walk_to_consent
from kiosk.ui.app import apply_look, create_window
from kiosk.ui.keyboard import LETTERS, Action, Key, OnScreenKeyboard, Page
from kiosk.ui.screens import IdentityScreen, QuestionScreen
from kiosk.ui.theme import TextSize, stylesheet
from kiosk.ui.widgets import MIN_TARGET, DateFields
from kiosk.ui.window import KioskWindow


class KeyCounter(QObject):
    """Counts key presses reaching any widget."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            self.count += 1
        return False


@pytest.fixture
def keys_pressed(qtbot) -> Iterator[KeyCounter]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    counter = KeyCounter()
    app.installEventFilter(counter)
    yield counter
    app.removeEventFilter(counter)


@pytest.fixture
def styled(qtbot) -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    yield app
    app.setStyleSheet(stylesheet())


def make_keyboard(
    qtbot, content: Content, language: str = "en"
) -> tuple[QWidget, OnScreenKeyboard, QLineEdit]:
    host = QWidget()
    qtbot.addWidget(host)
    field = QLineEdit(host)
    keyboard = OnScreenKeyboard(content.for_language(language), host)
    keyboard.attach(field, words=True)
    host.resize(1280, 500)
    host.show()
    keyboard.show_for(field)
    settle()
    return host, keyboard, field


def shifted(keyboard: OnScreenKeyboard) -> bool:
    return keyboard.shifted


def page_of(keyboard: OnScreenKeyboard) -> Page:
    return keyboard.page


def type_keys(keyboard: OnScreenKeyboard, *labels: str) -> None:
    for label in labels:
        key = keyboard.key_for(label)
        assert key is not None, f"no key {label!r}"
        tap(key)


def action(keyboard: OnScreenKeyboard, kind: Action) -> Key:
    key = keyboard.action_key(kind)
    assert key is not None
    return key


@pytest.mark.parametrize("size", list(TextSize))
@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_every_key_is_big_named_and_grows_with_the_text(
    qtbot, styled: QApplication, content: Content, size: TextSize, language: str
) -> None:
    styled.setStyleSheet(stylesheet(size))
    _host, keyboard, _ = make_keyboard(qtbot, content, language)
    for page in (Page.LETTERS, Page.SYMBOLS, Page.DIGITS):
        keyboard.page = page
        keyboard._build()
        settle()
        for key in keyboard.keys:
            assert key.isVisible()
            assert key.width() >= MIN_TARGET, key.accessibleName()
            assert key.height() >= MIN_TARGET, key.accessibleName()
            assert key.accessibleName().strip(), f"unnamed key {key.text()!r}"
            # Words on a key fit inside it.
            assert key.fontMetrics().horizontalAdvance(key.text()) < key.width()
        # Every key lies inside the keyboard: nothing cut off at the sides.
        for key in keyboard.keys:
            corner = key.mapTo(keyboard, QPoint(0, 0))
            assert corner.x() >= 0
            assert corner.x() + key.width() <= keyboard.width(), key.accessibleName()
    side = keyboard.key_side()
    if size is TextSize.EXTRA_LARGE:
        styled.setStyleSheet(stylesheet(TextSize.NORMAL))
        _host2, normal, _ = make_keyboard(qtbot, content, language)
        assert side > normal.key_side() >= MIN_TARGET


def test_keys_type_with_insert_and_backspace_never_key_events(
    qtbot, content: Content, keys_pressed: KeyCounter
) -> None:
    _host, keyboard, field = make_keyboard(qtbot, content)
    # A name starts with a capital; each word too.
    assert shifted(keyboard)
    type_keys(keyboard, "A", "n", "n")
    tap(action(keyboard, Action.SPACE))
    assert shifted(keyboard)
    type_keys(keyboard, "O", "'")
    assert not shifted(keyboard)
    tap(action(keyboard, Action.SHIFT))
    type_keys(keyboard, "N", "e", "i", "l", "-")
    assert shifted(keyboard)  # after a hyphen too
    type_keys(keyboard, "S", "m", "i", "t", "h", "x")
    tap(action(keyboard, Action.BACKSPACE))
    assert field.text() == "Ann O'Neil-Smith"
    # insert() keeps an undo history inside the field; screens are rebuilt to drop it.
    assert field.isUndoAvailable()
    assert keys_pressed.count == 0
    # The keys never took the focus from nothing or from the field.
    assert not any(isinstance(w, Key) for w in [QApplication.focusWidget()])


def test_the_counter_sees_a_real_key_press(qtbot, keys_pressed: KeyCounter) -> None:
    """The check above can fail: a real key press is counted."""
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClick(field, "a")
    assert keys_pressed.count >= 1


def test_symbols_page_and_back(qtbot, content: Content) -> None:
    _host, keyboard, field = make_keyboard(qtbot, content)
    tap(action(keyboard, Action.PAGE))
    assert page_of(keyboard) is Page.SYMBOLS
    type_keys(keyboard, "2", "0", "1", "9", ",", "&")
    ampersand = keyboard.key_for("&")
    assert ampersand is not None
    assert ampersand.text() == "&&"  # shown as "&", not taken as a mnemonic
    tap(action(keyboard, Action.PAGE))
    assert page_of(keyboard) is Page.LETTERS
    assert field.text() == "2019,&"


def test_spanish_has_enie_and_accents(qtbot, content: Content) -> None:
    _host, keyboard, field = make_keyboard(qtbot, content, "es")
    type_keys(keyboard, "J", "o", "s", "é")
    tap(action(keyboard, Action.SPACE))
    type_keys(keyboard, "P", "e", "ñ", "a")
    tap(action(keyboard, Action.SPACE))
    tap(action(keyboard, Action.SHIFT))  # shift already on after a space: now off
    tap(action(keyboard, Action.SHIFT))
    type_keys(keyboard, "Ú", "r", "s", "ü")
    assert field.text() == "José Peña Úrsü"
    for letter in "ñáéíóúü":
        assert any(letter in row for row in LETTERS["es"])
    assert action(keyboard, Action.SPACE).accessibleName() == "Espacio"
    assert action(keyboard, Action.BACKSPACE).accessibleName() == "Borrar"


def test_arabic_has_the_standard_layout_and_types_right_to_left_text(
    qtbot, content: Content
) -> None:
    _host, keyboard, field = make_keyboard(qtbot, content, "ar")
    letters = "".join("".join(row) for row in LETTERS["ar"])
    for letter in "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "ءأإآؤئةى":
        assert letter in letters, letter
    # The standard (101) layout: ض where Q is, ش where A is, ئ where Z is.
    assert LETTERS["ar"][0][0] == "ض"
    assert LETTERS["ar"][1][0] == "ش"
    assert LETTERS["ar"][2][0] == "ئ"
    assert keyboard.action_key(Action.SHIFT) is None  # Arabic has no capitals
    type_keys(keyboard, "أ", "ح", "م", "د")
    tap(action(keyboard, Action.SPACE))
    type_keys(keyboard, "لا")
    assert field.text() == "أحمد لا"
    assert field.isRightToLeft() or field.text()[0] == "أ"


def test_done_hides_and_a_tap_on_the_field_brings_it_back(qtbot, content: Content) -> None:
    _host, keyboard, field = make_keyboard(qtbot, content)
    tap(action(keyboard, Action.DONE))
    assert not keyboard.isVisible()
    tap(field)
    assert keyboard.isVisible()
    assert keyboard.target is field


def test_number_pad_for_digit_fields_respects_the_field(qtbot, content: Content) -> None:
    host, keyboard, _ = make_keyboard(qtbot, content)
    dates = DateFields("Day", "Month", "Year", "Date of birth", host)
    for box in dates.text_fields():
        keyboard.attach(box)
    dates.show()
    tap(dates.year)
    assert page_of(keyboard) is Page.DIGITS
    assert keyboard.target is dates.year
    type_keys(keyboard, "1", "9", "6", "4", "5")  # four digits at most
    assert dates.year.text() == "1964"
    tap(action(keyboard, Action.BACKSPACE))
    assert dates.year.text() == "196"
    # Tapping a box again chooses it whole: new digits replace the old.
    tap(dates.year)
    type_keys(keyboard, "1", "9", "5", "0")
    assert dates.year.text() == "1950"
    for key in keyboard.keys:
        assert min(key.width(), key.height()) >= MIN_TARGET


@pytest.fixture
def window(qtbot, config: Config, content: Content) -> KioskWindow:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_look(app)
    win = create_window(config, content, (), PdfSummaryWriter(config.output_dir, "Test"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


class _Here(Exception):
    pass


def stop_at(name: str) -> Callable[[QWidget], None]:
    def check(screen: QWidget) -> None:
        if screen.objectName() == name:
            raise _Here

    return check


def go_to_identity(window: KioskWindow) -> IdentityScreen:
    with pytest.raises(_Here):
        walk_to_consent(window, "", ("", "", ""), {}, stop_at("identity"), touch=True)
    screen = current(window)
    assert isinstance(screen, IdentityScreen)
    return screen


def test_identity_opens_with_the_keyboard_docked_above_back_and_next(
    window: KioskWindow,
) -> None:
    screen = go_to_identity(window)
    keyboard = keyboard_of(screen.name)
    settle()
    assert keyboard.isVisible()
    assert keyboard.target is screen.name
    # Docked under the page and above the footer: it covers neither Back nor Next.
    kb_top = keyboard.mapTo(screen, QPoint(0, 0)).y()
    kb_bottom = kb_top + keyboard.height()
    for button in (screen.back_button, screen.next_button):
        top = button.mapTo(screen, QPoint(0, 0)).y()
        assert top >= kb_bottom
        assert top + button.height() <= screen.height()
    assert kb_top >= screen.scroll_area.mapTo(screen, QPoint(0, 0)).y()
    # The field is in view above the keyboard.
    viewport = screen.scroll_area.viewport()
    top = screen.name.mapTo(viewport, QPoint(0, 0)).y()
    assert top >= 0
    assert top + screen.name.height() <= viewport.height()


def test_the_page_scrolls_to_keep_the_tapped_year_in_view(window: KioskWindow) -> None:
    screen = go_to_identity(window)
    keyboard = keyboard_of(screen.name)
    tap(screen.date.year)
    settle()
    viewport = screen.scroll_area.viewport()
    top = screen.date.year.mapTo(viewport, QPoint(0, 0)).y()
    assert top >= 0
    assert top + screen.date.year.height() <= viewport.height()
    assert page_of(keyboard) is Page.DIGITS


def test_date_pickers_step_and_keep_their_validation(window: KioskWindow, content: Content) -> None:
    screen = go_to_identity(window)
    keyboard = keyboard_of(screen.name)
    for ch in "Ana":
        tap(keyboard.key_for(ch) or action(keyboard, Action.SHIFT))
    dates = screen.date
    more = {s.accessibleName(): s for s in dates.steppers}
    day, month, year = (content.text(f"identity.{p}") for p in ("day", "month", "year"))
    for name in more:
        assert name, "a stepper without a name"
    plus_day = more[content.text("date.more", part=day)]
    minus_day = more[content.text("date.less", part=day)]
    plus_month = more[content.text("date.more", part=month)]
    plus_year = more[content.text("date.more", part=year)]
    minus_year = more[content.text("date.less", part=year)]
    tap(minus_day)  # from empty, the last day
    assert dates.day.text() == "31"
    for _ in range(4):
        tap(plus_month)
    assert dates.month.text() == "April"
    tap(plus_year)
    start = int(dates.year.text())
    assert start == screen.step_view.today.year - 50
    tap(minus_year)
    assert dates.values() == ("31", "4", str(start - 1))
    tap_next(window)
    assert screen.error.isVisible()
    assert screen.error.text() == content.text("identity.error.date")
    tap(plus_day)  # 31 wraps to 1
    assert dates.day.text() == "1"
    assert not screen.error.isVisible()
    for _ in range(60):
        tap(plus_year)
    assert int(dates.year.text()) == screen.step_view.today.year  # never past this year
    dates.year.setText(str(screen.step_view.today.year + 1))
    tap_next(window)
    assert screen.error.text() == content.text("identity.error.future")
    for box in (dates.day, dates.month, dates.year):
        assert min(box.width(), box.height()) >= MIN_TARGET
    for stepper in dates.steppers:
        assert min(stepper.width(), stepper.height()) >= MIN_TARGET


def test_months_by_name_in_the_patients_language(qtbot, content: Content) -> None:
    from kiosk.ui.widgets import month_names

    assert month_names("es")[0] == "Enero"
    assert month_names("ar")[11] == "ديسمبر"
    dates = DateFields("Día", "Mes", "Año", "Fecha", months=month_names("es"))
    qtbot.addWidget(dates)
    dates.set_values("9", "9", "1950")
    assert dates.month.text() == "Septiembre"
    assert dates.values() == ("9", "9", "1950")


def test_a_physical_keyboard_still_sets_the_month(qtbot) -> None:
    dates = DateFields("Day", "Month", "Year", "Date of birth")
    qtbot.addWidget(dates)
    dates.show()
    qtbot.keyClicks(dates.month, "12")
    assert dates.values()[1] == "12"
    qtbot.keyClicks(dates.month, "3")
    assert dates.month.text() == "March"


def test_the_free_text_question_opens_its_keyboard(window: KioskWindow) -> None:
    with pytest.raises(_Here):
        walk_to_consent(
            window,
            "Ana Lima",
            ("3", "4", "1950"),
            {"surgery_or_implant": ("yes",)},
            stop_at("question-surgery_what"),
            touch=True,
        )
    screen = current(window)
    assert isinstance(screen, QuestionScreen)
    assert screen.text_field is not None
    keyboard = keyboard_of(screen.text_field)
    assert keyboard.isVisible()
    assert keyboard.target is screen.text_field
    # Typed by touch, switching to the digits page and back.
    assert screen.text_field.text() == "Knee, 2019"


def test_the_arabic_keyboard_also_types_a_name_in_latin_letters(qtbot, content: Content) -> None:
    _host, keyboard, field = make_keyboard(qtbot, content, "ar")
    latin = [k for k in keyboard.keys if k.action is Action.PAGE and k.value == "latin"]
    assert len(latin) == 1
    assert latin[0].accessibleName() == "حروف إنجليزية"
    tap(latin[0])
    assert page_of(keyboard) is Page.LATIN
    assert shifted(keyboard)  # capitals, as for an English name
    type_keys(keyboard, "S", "a", "m")
    back = [k for k in keyboard.keys if k.action is Action.PAGE and k.value == "letters"]
    tap(back[0])
    tap(action(keyboard, Action.SPACE))
    type_keys(keyboard, "س")
    assert field.text() == "Sam س"


def test_on_a_narrow_screen_the_keys_shrink_to_fit_but_stay_big_enough(
    qtbot, styled: QApplication, content: Content
) -> None:
    styled.setStyleSheet(stylesheet(TextSize.EXTRA_LARGE))
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(1024, 600)
    host.show()
    keyboard = OnScreenKeyboard(content.for_language("ar"), host)
    field = QLineEdit(host)
    keyboard.attach(field)
    keyboard.setGeometry(0, 100, 1024, 400)
    keyboard.show_for(field)
    settle()
    widest = max(
        sum(k.width() for k in keyboard.keys if k.y() == y) for y in {k.y() for k in keyboard.keys}
    )
    assert widest <= 1024
    assert keyboard.key_side() >= MIN_TARGET
