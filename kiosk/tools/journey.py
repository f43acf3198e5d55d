"""Drive the real kiosk window like a patient would: taps, typing, a drawn signature.

Used by the tests and by the screenshot tool. Every action goes through real Qt input
events (``QTest``), so what passes here passes for a finger on the glass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from kiosk.domain.consent import ConsentDecision, Signer, SignerRole
from kiosk.domain.model import UNSURE, QuestionType
from kiosk.ui.bodymap import BodyMapScreen
from kiosk.ui.keyboard import Action, OnScreenKeyboard
from kiosk.ui.screens import (
    CheckScreen,
    ConsentScreen,
    EducationScreen,
    IdentityScreen,
    QuestionScreen,
    ReviewScreen,
    ScaleScreen,
    SignerScreen,
)
from kiosk.ui.widgets import DateFields, SignaturePad
from kiosk.ui.window import KioskWindow

#: A choice for one question: answer codes, or text / an ISO date for those types.
#: Body-map questions take "region=score" codes (``("knee_left=4",)``), scale questions
#: a number (``("7",)``); both also take ``("unsure",)``.
Choice = tuple[str, ...] | str


def settle() -> None:
    """Let queued events run and deleted widgets go, as between two taps."""
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def tap(widget: QWidget) -> None:
    if not widget.isVisible() or not widget.isEnabled():
        raise AssertionError(f"cannot tap {widget.objectName() or widget}: hidden or disabled")
    QTest.mouseClick(
        widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget.rect().center()
    )
    settle()


def type_into(field: QWidget, text: str, touch: bool = False) -> None:
    """Type ``text`` as key events, one per character, in any script.

    ``QTest.keyClicks`` only knows ASCII and aborts the process on anything else.
    With ``touch``, tap the field and then the on-screen keyboard's keys instead: no key
    event at all, as a patient without a keyboard would.
    """
    if touch:
        _type_by_touch(field, text)
        return
    field.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                field, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )
    settle()


def keyboard_of(field: QWidget) -> OnScreenKeyboard:
    """The on-screen keyboard of the screen that holds ``field``."""
    widget: QWidget | None = field
    while widget is not None:
        keyboard = getattr(widget, "keyboard", None)
        if isinstance(keyboard, OnScreenKeyboard):
            return keyboard
        widget = widget.parentWidget()
    raise AssertionError(f"no on-screen keyboard serves {field.objectName() or field}")


def _type_by_touch(field: QWidget, text: str) -> None:
    assert isinstance(field, QLineEdit), f"cannot type into {field}"
    keyboard = keyboard_of(field)
    tap(field)
    assert keyboard.isVisible(), "tapping the field shows no keyboard"
    assert keyboard.target is field, "the keyboard serves another field"
    for ch in text:
        tap(_key_for(keyboard, ch))


def _key_for(keyboard: OnScreenKeyboard, ch: str) -> QWidget:
    """The key that types ``ch``, tapping a page key (letters, digits, English letters
    on the Arabic keyboard) and Shift first where needed."""
    for page in (keyboard.page.value, "letters", "latin", "symbols"):
        if not _go_to_page(keyboard, page):
            continue
        for _ in range(2):
            key = keyboard.key_for(ch)
            if key is not None:
                return key
            shift = keyboard.action_key(Action.SHIFT)
            if shift is None or ch.lower() == ch.upper() or ch.isupper() == keyboard.shifted:
                break
            tap(shift)
    raise AssertionError(f"no key on the on-screen keyboard types {ch!r}")


def _go_to_page(keyboard: OnScreenKeyboard, page: str) -> bool:
    for _ in range(3):
        if keyboard.page.value == page:
            return True
        switches = {k.value: k for k in keyboard.keys if k.action is Action.PAGE}
        if page in switches:
            tap(switches[page])
        elif "letters" in switches:
            tap(switches["letters"])
        else:
            return False
    return keyboard.page.value == page


def pick_date(fields: DateFields, day: str, month: str, year: str, touch: bool = False) -> None:
    """Set a date: typed into the boxes, or with ``touch`` by the number pad (day and
    year) and the month's + button, as a finger would."""
    if not touch:
        boxes = (fields.day, fields.month, fields.year)
        for field, value in zip(boxes, (day, month, year), strict=True):
            type_into(field, value)
        return
    plus = [s for s in fields.steppers if s.objectName() == "more"]
    for field, value in ((fields.day, day), (fields.year, year)):
        if value:
            type_into(field, value, touch=True)
    if month:
        for _ in range(13):
            if fields.month.number() == int(month):
                break
            tap(plus[1])
        assert fields.month.number() == int(month), "the month buttons never reach it"


def find_button(root: QWidget, name: str) -> QAbstractButton:
    """A button by its accessible name, as a screen reader would find it."""
    for button in root.findChildren(QAbstractButton):
        if button.accessibleName() == name and button.isVisible():
            return button
    names = sorted(b.accessibleName() for b in root.findChildren(QAbstractButton) if b.isVisible())
    raise AssertionError(f"no visible button named {name!r}; there are: {names}")


def find_named(root: QWidget, name: str) -> QWidget:
    for widget in root.findChildren(QWidget):
        if widget.accessibleName() == name and widget.isVisible():
            return widget
    raise AssertionError(f"no visible widget named {name!r}")


def _mouse(widget: QWidget, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


def draw(pad: SignaturePad, strokes: list[list[tuple[float, float]]]) -> None:
    """Draw strokes given as fractions (0..1) of the pad's width and height."""
    w, h = pad.width(), pad.height()
    for stroke in strokes:
        points = [QPointF(x * w, y * h) for x, y in stroke]
        _mouse(pad, QEvent.Type.MouseButtonPress, points[0], Qt.MouseButton.LeftButton)
        for p in points[1:]:
            _mouse(pad, QEvent.Type.MouseMove, p, Qt.MouseButton.LeftButton)
        _mouse(pad, QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)
    settle()


def signature_strokes() -> list[list[tuple[float, float]]]:
    """A plausible two-stroke signature across most of the pad."""
    wave = [(0.1 + i * 0.012, 0.55 + 0.2 * math.sin(i / 4)) for i in range(50)]
    cross = [(0.3 + i * 0.03, 0.35) for i in range(12)]
    return [wave, cross]


def current(window: KioskWindow) -> QWidget:
    assert window.current_screen is not None
    return window.current_screen


def next_button(window: KioskWindow) -> QWidget:
    return current(window).findChild(QWidget, "next")  # type: ignore[return-value]


def tap_next(window: KioskWindow) -> None:
    tap(next_button(window))


def tap_at(widget: QWidget, pos: QPointF) -> None:
    """A tap at one point of a widget (the body map's places are not buttons)."""
    if not widget.isVisible():
        raise AssertionError(f"cannot tap {widget.objectName() or widget}: hidden")
    QTest.mouseClick(
        widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos.toPoint()
    )
    settle()


def answer_body_map(screen: BodyMapScreen, choice: tuple[str, ...]) -> None:
    """Mark places as a patient does: a tap inside each shape (or its list button), then
    a tap on its number."""
    if choice == (UNSURE,):
        if not screen.unsure.isChecked():
            tap(screen.unsure)
        return
    for item in choice:
        region_id, _, score = item.partition("=")
        if region_id not in screen.scores:
            if screen.in_list_mode():
                tap(screen.toggles[region_id])
            else:
                tap_at(screen.view, screen.view.point_in(region_id))
        assert region_id in screen.scores, f"tapping {region_id} did not mark it"
        if score:
            if screen.in_list_mode():
                scale = screen.list_scales[region_id]
            else:
                if screen.current != region_id:
                    tap(screen.chip_buttons[region_id])
                scale = screen.panel_scale
            if scale.value() != int(score):
                tap(scale.buttons[int(score)])


def answer_scale(screen: ScaleScreen, choice: tuple[str, ...]) -> None:
    if choice == (UNSURE,):
        if not screen.unsure.isChecked():
            tap(screen.unsure)
    elif screen.scale.value() != int(choice[0]):
        tap(screen.scale.buttons[int(choice[0])])


def answer_current(window: KioskWindow, choice: Choice, touch: bool = False) -> None:
    """Answer the question on screen: tap the option buttons, or type text / a date
    (with ``touch``, on the on-screen keyboard and the date buttons)."""
    screen = current(window)
    if isinstance(screen, BodyMapScreen):
        assert not isinstance(choice, str), "a body map takes region=score codes"
        answer_body_map(screen, choice)
        return
    if isinstance(screen, ScaleScreen):
        assert not isinstance(choice, str), "a scale takes a number code"
        answer_scale(screen, choice)
        return
    assert isinstance(screen, QuestionScreen), f"not a question: {screen.objectName()}"
    if isinstance(choice, str):
        if screen.question.type is QuestionType.DATE:
            year, month, day = choice.split("-")
            assert screen.date_fields is not None
            pick_date(screen.date_fields, day, month, year, touch)
        else:
            assert screen.text_field is not None
            type_into(screen.text_field, choice, touch)
        return
    wanted = set(choice)
    for button in screen.buttons:
        if button.code in wanted and not button.isChecked():
            tap(button)


def default_choice(screen: QuestionScreen | BodyMapScreen | ScaleScreen) -> Choice:
    """A plain answer for any question: "No", the first option, some text, a date, a
    pain of 3; "Not sure" on the body map (walks that mark places name them)."""
    q = screen.question
    if q.type is QuestionType.BODY_MAP:
        return (UNSURE,)
    if q.type is QuestionType.SCALE:
        return ("3",)
    if q.type is QuestionType.YES_NO:
        return ("no",)
    if q.type in (QuestionType.SINGLE, QuestionType.MULTI):
        exclusive = [o.code for o in q.options if o.exclusive]
        return (exclusive[0],) if exclusive else (q.options[0].code,)
    if q.type is QuestionType.TEXT:
        return "Knee, 2019"
    return "2020-05-17"


def walk_to_consent(
    window: KioskWindow,
    name: str,
    dob: tuple[str, str, str],
    choices: Mapping[str, Choice],
    on_screen: Callable[[QWidget], None] | None = None,
    touch: bool = False,
    signer: Signer | None = None,
) -> list[str]:
    """From the welcome screen to the consent screen; returns the screen names passed.

    ``choices`` answers questions by id; any other question gets ``default_choice``.
    "Who is signing?" (for a minor, or a patient with help) is answered with ``signer``,
    by default the patient.
    Comprehension statements are answered correctly, except that the first is answered
    "Not sure", so the summary shows a misunderstanding.
    """
    seen: list[str] = []
    start = current(window).findChild(QAbstractButton, "start")
    assert start is not None, "not on the welcome screen"
    tap(start)
    first_check = True
    while True:
        screen = current(window)
        seen.append(screen.objectName())
        if isinstance(screen, ConsentScreen):
            if on_screen:
                on_screen(screen)
            return seen
        if isinstance(screen, EducationScreen):
            pass
        elif isinstance(screen, CheckScreen):
            code = UNSURE if first_check else ("true" if screen.statement.correct else "false")
            first_check = False
            tap(screen.findChild(QWidget, f"choice-{code}"))  # type: ignore[arg-type]
        elif isinstance(screen, IdentityScreen):
            type_into(screen.name, name, touch)
            pick_date(screen.date, *dob, touch=touch)
        elif isinstance(screen, QuestionScreen | BodyMapScreen | ScaleScreen):
            answer_current(window, choices.get(screen.question.id, default_choice(screen)), touch)
        elif isinstance(screen, SignerScreen):
            choose_signer(screen, signer or Signer(SignerRole.PATIENT), touch)
        elif isinstance(screen, ReviewScreen):
            pass
        if on_screen:
            on_screen(screen)
        tap_next(window)
        if len(seen) > 500:
            raise AssertionError("the journey does not end")


def choose_signer(screen: SignerScreen, signer: Signer, touch: bool = False) -> None:
    """Tap who is signing; for someone else, type their name and relationship."""
    button = screen.buttons[signer.role]
    if not button.isChecked():
        tap(button)
    if signer.for_someone_else:
        for field, text in ((screen.name, signer.name), (screen.relationship, signer.relationship)):
            if field.text() != text:
                field.clear()
                type_into(field, text, touch)


def end_at_consent(window: KioskWindow, decision: ConsentDecision) -> None:
    """On the consent screen, end as the patient chooses: tick, sign and Finish; or tap
    "talk first" / "I don't want dry needling" and make sure on the card that follows."""
    screen = current(window)
    assert isinstance(screen, ConsentScreen), f"not the consent: {screen.objectName()}"
    if decision is ConsentDecision.GIVEN:
        tap(screen.agree)
        draw(screen.pad, signature_strokes())
        tap_next(window)
        return
    tap(screen.ending_buttons[decision])
    assert screen.card.isVisible(), "no card to make sure"
    tap(screen.card.confirm_button)
