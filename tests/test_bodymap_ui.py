"""The body map and the 0-10 scale, as a patient's finger and a screen reader meet them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.app.config import Config
from kiosk.app.journey import AnswerGiven, preview, view_of
from kiosk.domain.answers import Answer
from kiosk.domain.flow import Step, StepKind
from kiosk.domain.model import UNSURE, Content, QuestionType
from kiosk.domain.session import Session
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import (
    current,
    draw,
    settle,
    signature_strokes,
    tap,
    tap_next,
    walk_to_consent,
)
from kiosk.ui.app import apply_look, create_window
from kiosk.ui.bodymap import BodyMapScreen, BodyMapView
from kiosk.ui.bodymap.view import COLOUR_TOKENS
from kiosk.ui.screens import ConsentScreen, ReviewScreen, ScaleScreen
from kiosk.ui.theme import HIGH_CONTRAST, NORMAL, TextSize, stylesheet
from kiosk.ui.widgets import MIN_TARGET


def body_map_question(content: Content) -> str:
    return next(q.id for q in content.questions if q.type is QuestionType.BODY_MAP)


def scale_question(content: Content) -> str:
    return next(q.id for q in content.questions if q.type is QuestionType.SCALE)


@pytest.fixture
def looks() -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_look(app)


def open_map(qtbot, content: Content, rtl: bool = False) -> BodyMapScreen:
    question = content.question(body_map_question(content))
    screen = BodyMapScreen(
        content, preview(content, Step(StepKind.QUESTION, question.id)), question
    )
    qtbot.addWidget(screen)
    if rtl:
        screen.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    settle()
    return screen


def inside(view: BodyMapView, region_id: str) -> QPoint:
    """A widget pixel whose drawing coordinates fall inside the region's own path."""
    point = view.point_in(region_id)
    inverse, ok = view.transform(view.view_of[region_id]).inverted()
    assert ok
    assert view.paths[region_id].contains(inverse.map(point)), f"{region_id}: not inside"
    return point.toPoint()


def tap_region(qtbot, view: BodyMapView, region_id: str) -> None:
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=inside(view, region_id))
    settle()


def visible_buttons(root: QWidget) -> list[QAbstractButton]:
    return [b for b in root.findChildren(QAbstractButton) if b.isVisibleTo(root)]


@pytest.fixture
def screens(qtbot, content: Content, looks: None) -> Iterator[BodyMapScreen]:
    screen = open_map(qtbot, content)
    yield screen
    screen.close()


# ---------------------------------------------------------------- tapping the drawing


@pytest.mark.parametrize(
    "region_id",
    ["knee_left", "knee_right", "chest_left", "upper_back_right", "calf_left", "head_jaw"],
)
def test_a_tap_inside_a_shape_marks_it_and_a_second_tap_unmarks_it(
    qtbot, screens: BodyMapScreen, region_id: str
) -> None:
    screen = screens
    tap_region(qtbot, screen.view, region_id)
    assert list(screen.scores) == [region_id]
    assert screen.current == region_id
    assert screen.toggles[region_id].isChecked()  # the list shows the same answer
    assert screen.panel_scale.isVisible()
    tap_region(qtbot, screen.view, region_id)
    assert screen.scores == {}
    assert not screen.toggles[region_id].isChecked()


def test_a_tap_outside_the_body_marks_nothing(qtbot, screens: BodyMapScreen) -> None:
    view = screens.view
    rect = view.view_rect("front")
    corner = QPoint(int(rect.left()) + 4, int(rect.bottom()) - 4)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=corner)
    assert screens.scores == {}
    assert not screens.next_button.isEnabled()


def test_every_region_can_be_hit_and_each_hit_is_its_own(screens: BodyMapScreen) -> None:
    view = screens.view
    assert set(view.paths) == {r.id for r in screens.content.regions}
    for region_id in view.paths:
        assert view.region_at(QPointF(inside(view, region_id))) == region_id


def test_left_and_right_are_the_patients_own(screens: BodyMapScreen) -> None:
    view = screens.view
    front, back = view.view_rect("front"), view.view_rect("back")
    # From the front the patient's left hand is on the viewer's right...
    assert view.point_in("wrist_hand_left").x() > front.center().x()
    assert view.point_in("wrist_hand_right").x() < front.center().x()
    # ...and from the back it is on the viewer's left.
    assert view.point_in("calf_left").x() < back.center().x()
    assert view.point_in("calf_right").x() > back.center().x()


# ---------------------------------------------------------------- scores


def test_each_marked_place_gets_its_own_score_and_the_answer_holds_them(
    qtbot, screens: BodyMapScreen
) -> None:
    screen = screens
    tap_region(qtbot, screen.view, "shoulder_right")
    tap(screen.panel_scale.buttons[7])
    tap_region(qtbot, screen.view, "lower_back_left")
    tap(screen.panel_scale.buttons[3])
    assert screen.scores == {"shoulder_right": 7, "lower_back_left": 3}
    # The number is written on the drawing and on the chip that picks the place again.
    assert screen.chip_buttons["shoulder_right"].text().endswith("7 of 10")
    tap(screen.chip_buttons["shoulder_right"])
    assert screen.current == "shoulder_right"
    tap(screen.panel_scale.buttons[8])
    assert screen.scores["shoulder_right"] == 8
    assert screen.result() == AnswerGiven(
        screen.question.id,
        Answer(
            codes=("shoulder_right", "lower_back_left"),
            scores=(("shoulder_right", 8), ("lower_back_left", 3)),
        ),
    )


def test_a_place_without_a_number_is_explained_not_refused_silently(
    qtbot, screens: BodyMapScreen
) -> None:
    screen = screens
    tap_region(qtbot, screen.view, "knee_left")
    tap(screen.panel_scale.buttons[5])
    tap_region(qtbot, screen.view, "thigh_back_right")
    assert screen.next_button.isEnabled()
    assert screen.result() is None
    assert screen.error.isVisible()
    assert screen.error.text() == screen.t("bodymap.need_score")
    assert screen.current == "thigh_back_right"
    tap(screen.panel_scale.buttons[2])
    assert not screen.error.isVisible()
    assert screen.result() is not None


def test_marking_through_the_list_edits_the_same_answer(qtbot, screens: BodyMapScreen) -> None:
    screen = screens
    tap(screen.list_button)
    assert screen.in_list_mode()
    assert not screen.view.isVisible()
    toggle = screen.toggles["elbow_left"]
    assert toggle.accessibleName() == screen.content.region("elbow_left").name
    tap(toggle)
    scale = screen.list_scales["elbow_left"]
    assert scale.isVisible()
    tap(scale.buttons[6])
    tap(screen.toggles["neck_back"])
    tap(screen.list_scales["neck_back"].buttons[0])
    assert screen.scores == {"elbow_left": 6, "neck_back": 0}
    # Back on the drawing, the same places are marked with the same numbers.
    tap(screen.map_button)
    assert screen.view.isVisible()
    assert screen.view.scores == {"elbow_left": 6, "neck_back": 0}
    # Unmarking in the list unmarks on the drawing.
    tap(screen.list_button)
    tap(screen.toggles["elbow_left"])
    assert not screen.list_scales["elbow_left"].isVisible()
    assert screen.view.scores == {"neck_back": 0}


def test_not_sure_clears_the_marks_and_a_new_mark_clears_not_sure(
    qtbot, screens: BodyMapScreen
) -> None:
    screen = screens
    tap_region(qtbot, screen.view, "hip_left")
    tap(screen.unsure)
    assert screen.scores == {}
    assert screen.answer() == Answer.unsure()
    assert screen.next_button.isEnabled()
    tap_region(qtbot, screen.view, "hip_left")
    assert not screen.unsure.isChecked()
    assert screen.answer() is None  # marked, but no number yet


def test_a_saved_answer_comes_back_when_the_patient_returns(qtbot, content: Content) -> None:
    session = Session(content, "Test Clinic")
    question = content.question(body_map_question(content))
    session.flow.set_answer(question.id, Answer(codes=("knee_left",), scores=(("knee_left", 9),)))
    screen = BodyMapScreen(
        content, view_of(session, Step(StepKind.QUESTION, question.id)), question
    )
    qtbot.addWidget(screen)
    assert screen.scores == {"knee_left": 9}
    assert screen.toggles["knee_left"].isChecked()
    assert screen.list_scales["knee_left"].value() == 9


# ---------------------------------------------------------------- touch and screen readers


def test_targets_are_big_and_every_control_is_named(qtbot, screens: BodyMapScreen) -> None:
    screen = screens
    tap_region(qtbot, screen.view, "forearm_right")
    problems: list[str] = []

    def check() -> None:
        for button in visible_buttons(screen):
            size = button.size()
            label = f"{button.objectName()} {button.accessibleName()!r}"
            if not button.accessibleName().strip():
                problems.append(f"{label}: no accessible name")
            if min(size.width(), size.height()) < MIN_TARGET:
                problems.append(f"{label}: {size.width()}x{size.height()}")

    check()
    tap(screen.list_button)
    check()
    assert not problems, "\n".join(problems)
    # The drawing itself is named and describes what is marked, in words.
    view = screen.view
    assert view.accessibleName() == screen.t("bodymap.map_name")
    description = view.accessibleDescription()
    assert screen.content.region("forearm_right").name in description
    # Each number says which place it scores.
    name = screen.list_scales["forearm_right"].buttons[4].accessibleName()
    assert screen.content.region("forearm_right").name in name
    assert "4" in name
    # Every place is in the list, by its name.
    names = {t.accessibleName() for t in screen.toggles.values()}
    assert names == {r.name for r in screen.content.regions}


def test_the_screen_says_left_and_right_are_the_patients_own(screens: BodyMapScreen) -> None:
    texts = {screens.view.texts["side.left"], screens.view.texts["side.right"]}
    assert texts == {screens.t("bodymap.your_left"), screens.t("bodymap.your_right")}
    assert "own" in screens.t("bodymap.map_description")
    assert "own" in screens.view.accessibleDescription()


def test_arabic_mirrors_the_layout_but_never_the_body(qtbot, content: Content, looks: None) -> None:
    arabic = content.for_language("ar")
    assert arabic.right_to_left
    screen = open_map(qtbot, arabic, rtl=True)
    view = screen.view
    # The columns swap: the drawing is on the right, the numbers on its left.
    assert view.mapTo(screen, QPoint(0, 0)).x() > screen.panel.mapTo(screen, QPoint(0, 0)).x()
    # The first view in reading order (front) is on the right.
    assert view.view_rect("front").left() > view.view_rect("back").left()
    # Each body is drawn as it is, never flipped: left stays the patient's left.
    assert view.transform("front").m11() > 0
    front = view.view_rect("front")
    assert view.point_in("wrist_hand_left").x() > front.center().x()
    tap_region(qtbot, view, "wrist_hand_left")
    assert list(screen.scores) == ["wrist_hand_left"]
    assert screen.content.region("wrist_hand_left").name in view.accessibleDescription()
    screen.close()


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_the_body_map_paints_in_the_active_themes_colours(
    qtbot, content: Content, looks: None, high_contrast: bool
) -> None:
    """The drawing used to keep its light colours in high contrast: a white card on the
    black screen. It now takes every colour from the theme the stylesheet applies."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = HIGH_CONTRAST if high_contrast else NORMAL
    other = NORMAL if high_contrast else HIGH_CONTRAST
    app.setStyleSheet(stylesheet(TextSize.NORMAL, high_contrast))
    try:
        screen = open_map(qtbot, content)
        view = screen.view
        for name, token in COLOUR_TOKENS.items():
            assert view.colours[name] == QColor(theme[token]), name
        image = view.grab().toImage()
        # Inside a place nobody has marked: the body's own fill.
        fill = image.pixelColor(inside(view, "chest_left")).name().upper()
        assert fill == theme["map_body"] != other["map_body"]
        # The card behind the front view, beside the feet.
        front = view.view_rect("front")
        card = image.pixelColor(QPoint(int(front.left()) + 12, view.height() - 12))
        assert card.name().upper() == theme["surface"] != other["surface"]
        screen.close()
    finally:
        app.setStyleSheet(stylesheet(TextSize.NORMAL, high_contrast=False))


# ---------------------------------------------------------------- the 0-10 scale


def open_scale(qtbot, content: Content, width: int) -> ScaleScreen:
    question = content.question(scale_question(content))
    screen = ScaleScreen(content, preview(content, Step(StepKind.QUESTION, question.id)), question)
    qtbot.addWidget(screen)
    screen.resize(width, 800)
    screen.show()
    qtbot.waitExposed(screen)
    settle()
    return screen


def test_scale_has_eleven_big_numbers_with_words_under_0_5_10(
    qtbot, content: Content, looks: None
) -> None:
    screen = open_scale(qtbot, content, 1280)
    scale = screen.scale
    assert [b.text() for b in scale.buttons] == [str(n) for n in range(11)]
    assert scale.rows() == 1
    for number in scale.buttons:
        assert min(number.width(), number.height()) >= MIN_TARGET
        assert number.accessibleName()
    question = screen.question
    for score, word in question.anchors:
        label = scale.words[score]
        assert label.text() == word
        assert word in scale.buttons[score].accessibleName()
        button = scale.buttons[score].geometry()
        # Under its number, and overlapping it sideways.
        assert label.geometry().top() >= button.bottom()
        assert label.geometry().left() <= button.right()
        assert label.geometry().right() >= button.left()
    tap(scale.buttons[7])
    assert screen.result() == AnswerGiven(question.id, Answer.of_score(7))
    screen.close()


def test_scale_wraps_into_two_rows_when_narrow(qtbot, content: Content, looks: None) -> None:
    screen = open_scale(qtbot, content, 700)
    scale = screen.scale
    assert scale.rows() == 2
    assert scale.buttons[6].y() > scale.buttons[5].y()
    for button in scale.buttons:
        assert min(button.width(), button.height()) >= MIN_TARGET
    # Tens sits under the second row, its word under it.
    assert scale.words[10].y() > scale.buttons[10].y()
    screen.close()


def test_scale_not_sure_and_back_again(qtbot, content: Content, looks: None) -> None:
    screen = open_scale(qtbot, content, 1280)
    assert not screen.next_button.isEnabled()
    tap(screen.unsure)
    assert screen.answer() == Answer.unsure()
    tap(screen.scale.buttons[2])
    assert not screen.unsure.isChecked()
    assert screen.answer() == Answer.of_score(2)
    tap(screen.scale.buttons[2])  # tapping the chosen number again takes it back
    assert screen.answer() is None
    assert not screen.next_button.isEnabled()
    screen.close()


# ---------------------------------------------------------------- the whole journey


def test_a_journey_with_places_reaches_the_review_and_the_pdf(
    qtbot, config: Config, content: Content, looks: None, tmp_path: Path
) -> None:
    window = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    where = body_map_question(content)
    review_text: list[str] = []

    def on_screen(screen: QWidget) -> None:
        if isinstance(screen, ReviewScreen):
            review_text.extend(label.text() for label in screen.findChildren(QLabel))

    seen = walk_to_consent(
        window,
        "Ana Lima",
        ("3", "4", "1950"),
        {where: ("upper_back_left=6", "wrist_hand_right=2"), scale_question(content): ("5",)},
        on_screen,
    )
    assert f"question-{where}" in seen
    left_back = content.region("upper_back_left").name
    right_hand = content.region("wrist_hand_right").name
    # The review says the places and their numbers in words.
    assert any(left_back in t and "6" in t for t in review_text), review_text
    assert any(right_hand in t for t in review_text)
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    with qtbot.waitSignal(window.summary_saved, timeout=10_000) as saved:
        tap_next(window)
    text = "\n".join(p.extract_text() for p in PdfReader(saved.args[0].pdf).pages)
    assert left_back in text
    assert right_hand in text
    window.close()


def test_unsure_on_the_body_map_goes_through_the_journey(
    qtbot, config: Config, content: Content, looks: None
) -> None:
    window = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    where = body_map_question(content)
    walk_to_consent(window, "Ana Lima", ("3", "4", "1950"), {where: (UNSURE,)})
    assert window.session is not None
    assert window.session.flow.answer_for(where) == Answer.unsure()
    window.close()
