"""The body map's unmarked picture, drawn once and shared (kiosk.ui.bodymap.layer): the
marks of one patient are drawn over it, never into it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF

from kiosk.domain.model import Content
from kiosk.ui.bodymap import BodyMapView
from kiosk.ui.bodymap.layer import base_layer
from tests.test_bodymap_ui import looks, open_map, tap_region  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("looks")

PLACE = "chest_left"


def away_from_badge(view: BodyMapView, region_id: str) -> QPoint:
    """A pixel inside the place, clear of the disc its number is written in."""
    centre = view.point_in(region_id)
    inverse, _ = view.transform(view.view_of[region_id]).inverted()
    for dx, dy in ((0, 24), (0, -24), (24, 0), (-24, 0), (18, 18), (-18, 18), (18, -18)):
        point = QPointF(centre.x() + dx, centre.y() + dy)
        if view.paths[region_id].contains(inverse.map(point)):
            return point.toPoint()
    raise AssertionError(f"{region_id}: no pixel clear of its badge")


def colour_at(view: BodyMapView, point: QPoint) -> str:
    return view.grab().toImage().pixelColor(point).name().upper()


def test_a_mark_is_drawn_over_the_shared_picture_and_not_into_it(qtbot, content: Content) -> None:
    first = open_map(qtbot, content)
    view = first.view
    point = away_from_badge(view, PLACE)
    unmarked = view.colours["bodyColor"].name().upper()
    assert colour_at(view, point) == unmarked
    shared = base_layer(view).cacheKey()

    tap_region(qtbot, view, PLACE)  # marked, no number yet
    assert colour_at(view, point) == view.colours["unscoredColor"].name().upper() != unmarked
    assert base_layer(view).cacheKey() == shared  # the mark is not in the picture
    first.close()

    # The next patient's body map: the same picture, and nothing marked on it.
    second = open_map(qtbot, content)
    assert base_layer(second.view).cacheKey() == shared
    assert colour_at(second.view, away_from_badge(second.view, PLACE)) == unmarked
    second.close()


def test_a_different_size_gets_its_own_picture(qtbot, content: Content) -> None:
    screen = open_map(qtbot, content)
    before = base_layer(screen.view).cacheKey()
    screen.resize(1000, 760)
    qtbot.waitUntil(lambda: base_layer(screen.view).cacheKey() != before, timeout=3000)
    pixmap = base_layer(screen.view)
    ratio = pixmap.devicePixelRatio()
    assert (pixmap.width() / ratio, pixmap.height() / ratio) == (
        screen.view.width(),
        screen.view.height(),
    )
    screen.close()
