"""Every place on the body map can be hit by a shaky finger (issue 17, part 5).

A place's tap area is measured as the largest square of pixels that all mark it (the
side of the largest square inside its hit area): a tap anywhere in that square marks the
place. At 1280 x 800 and normal text the hip bands offer about 10 px and the wrists and
hands 14 px; enlarged (the "Bigger" button, then a tap on the part of the body), every
place offers at least 44 x 44 px.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QPushButton

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, pick_date, settle, tap, tap_at, tap_next, type_into
from kiosk.ui.app import create_window
from kiosk.ui.bodymap import BodyMapScreen
from kiosk.ui.bodymap.view import BodyMapView
from kiosk.ui.screens import IdentityScreen
from kiosk.ui.window import KioskWindow
from tests.a11y import TOGGLE, act

#: The smallest tap area on any side, in pixels (WCAG 2.5.5's 44 CSS px).
MIN_TAP = 44


def to_body_map(qtbot, config: Config, content: Content) -> tuple[KioskWindow, BodyMapScreen]:
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    tap(current(win).findChild(QPushButton, "start"))  # type: ignore[arg-type]
    while not isinstance(current(win), BodyMapScreen):
        screen = current(win)
        button = screen.findChild(QPushButton, "choice-true")
        if button is not None:
            tap(button)
        if isinstance(screen, IdentityScreen):
            type_into(screen.name, "Ana Lima")
            pick_date(screen.date, "3", "4", "1950")
        tap_next(win)
    screen = current(win)
    assert isinstance(screen, BodyMapScreen)
    settle()
    qtbot.wait(50)
    settle()
    return win, screen


def hit_map(view: BodyMapView) -> tuple[list[str], QImage]:
    """Each pixel painted with the index (+1) of the place a tap there marks, in the
    order ``region_at`` tries them (the first that contains the point wins)."""
    ids = list(view.paths)
    image = QImage(view.size(), QImage.Format.Format_RGB32)
    image.fill(QColor(0, 0, 0))
    painter = QPainter(image)
    for side in view.view_order():
        painter.save()
        painter.setClipRect(view.view_rect(side))
        painter.setTransform(view.transform(side))
        for index in reversed(range(len(ids))):
            if view.view_of[ids[index]] == side:
                painter.fillPath(view.paths[ids[index]], QColor.fromRgb(index + 1))
        painter.restore()
    painter.end()
    return ids, image


def tap_squares(view: BodyMapView, only: str | None = None) -> dict[str, tuple[int, QRect]]:
    """Each place's largest square of pixels that all mark it: (side, where)."""
    ids, image = hit_map(view)
    width, height = image.width(), image.height()
    data = bytes(image.constBits())
    line = image.bytesPerLine()

    def at(x: int, y: int) -> int:
        offset = y * line + x * 4
        return data[offset] | data[offset + 1] << 8 | data[offset + 2] << 16

    wanted = ids.index(only) + 1 if only is not None else None
    best: dict[str, tuple[int, QRect]] = {}
    last_ids = [0] * width
    last_sides = [0] * width
    for y in range(height):
        row_ids = [at(x, y) for x in range(width)]
        sides = [0] * width
        for x in range(width):
            index = row_ids[x]
            if index == 0 or (wanted is not None and index != wanted):
                continue
            same = x > 0 and row_ids[x - 1] == last_ids[x] == last_ids[x - 1] == index
            side = 1 + min(last_sides[x], sides[x - 1], last_sides[x - 1]) if same else 1
            sides[x] = side
            name = ids[index - 1]
            if side > best.get(name, (0, QRect()))[0]:
                best[name] = (side, QRect(x - side + 1, y - side + 1, side, side))
        last_ids, last_sides = row_ids, sides
    # The painting agrees with the widget's own hit test at each square's centre.
    for name, (_side, square) in best.items():
        assert view.region_at(QPointF(square.center())) == name, name
    return best


def zoomed_view(view: BodyMapView) -> str | None:
    """The view enlarged now (a function, so that type narrowing does not stick)."""
    return view.zoomed[0] if view.zoomed is not None else None


def test_every_place_has_a_tap_area_and_small_ones_are_small(
    qtbot, config: Config, content: Content
) -> None:
    _win, screen = to_body_map(qtbot, config, content)
    squares = tap_squares(screen.view)
    assert set(squares) == set(screen.view.paths), "a place that no tap can reach"
    small = sorted(name for name, (side, _) in squares.items() if side < MIN_TAP)
    # Why enlarging exists: hands, wrists, feet and hips are small on the whole figure.
    assert {"wrist_hand_left", "ankle_foot_right", "hip_left"} <= set(small)


def test_enlarged_every_place_offers_at_least_44_px(
    qtbot, config: Config, content: Content
) -> None:
    _win, screen = to_body_map(qtbot, config, content)
    view = screen.view
    tap(screen.zoom_button)
    assert view.zoom_mode
    too_small: list[str] = []
    for name in view.paths:
        assert zoomed_view(view) is None
        # A tap on the place in the whole figure enlarges the part around it...
        tap_at(view, view.point_in(name))
        assert zoomed_view(view) == view.view_of[name]
        assert name not in screen.scores, "the enlarging tap marked a place"
        side, _square = tap_squares(view, only=name).get(name, (0, QRect()))
        if side < MIN_TAP:
            too_small.append(f"{name}: {side} px")
        view.zoom_out()
    assert not too_small, "\n".join(too_small)


def test_enlarged_taps_mark_places_and_the_button_shows_the_whole_body(
    qtbot, config: Config, content: Content
) -> None:
    _win, screen = to_body_map(qtbot, config, content)
    view = screen.view
    act(screen.zoom_button, TOGGLE)  # through the accessibility API too
    tap_at(view, view.point_in("wrist_hand_left"))
    assert zoomed_view(view) == "front"
    tap_at(view, view.point_in("wrist_hand_left"))
    assert "wrist_hand_left" in screen.scores
    tap_at(view, view.point_in("wrist_hand_left"))
    assert "wrist_hand_left" not in screen.scores
    tap(screen.zoom_button)
    assert zoomed_view(view) is None
    assert not view.zoom_mode
    # Both figures again: a tap marks at once.
    tap_at(view, view.point_in("abdomen"))
    assert "abdomen" in screen.scores
    # The list of places has no drawing to enlarge.
    tap(screen.list_button)
    assert not screen.zoom_button.isVisible()
    assert not screen.zoom_button.isChecked()
    assert Qt.FocusPolicy.NoFocus != screen.zoom_button.focusPolicy()
