"""Touch scrolling costs no memory per page, and still scrolls every page.

Each ``QScroller.grabGesture`` call registers a new gesture recognizer with a new type
id, and PySide keeps a new Python enum class for every such id: with a scrolling page
on each screen, the soak (bench/soak.py) grew by about 0.25 MiB per patient. The pages
now share one recognizer (``kiosk.ui.widgets.grab_touch_scrolling``).
"""

from __future__ import annotations

import enum
import gc

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.ui.widgets import ScrollPage


def _page(qtbot) -> ScrollPage:
    inner = QWidget()
    layout = QVBoxLayout(inner)
    for n in range(80):
        layout.addWidget(QLabel(f"Line {n}"))
    page = ScrollPage(inner)
    qtbot.addWidget(page)
    page.resize(400, 300)
    return page


def _enum_classes() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, enum.EnumType))


def _drag_up(page: ScrollPage) -> int:
    viewport = page.viewport()
    device = QTest.createTouchDevice()
    QTest.touchEvent(viewport, device).press(0, QPoint(200, 250), viewport).commit()
    for y in range(240, 40, -10):
        QTest.qWait(10)
        QTest.touchEvent(viewport, device).move(0, QPoint(200, y), viewport).commit()
    QTest.touchEvent(viewport, device).release(0, QPoint(200, 40), viewport).commit()
    QTest.qWait(300)
    return page.verticalScrollBar().value()


def test_new_pages_leave_no_enum_classes_behind(qtbot) -> None:
    _page(qtbot)  # the first page may register the shared recognizer
    before = _enum_classes()
    for _ in range(30):
        _page(qtbot)
    assert _enum_classes() - before < 5


def test_every_page_scrolls_by_touch(qtbot) -> None:
    for _ in range(3):
        page = _page(qtbot)
        page.show()
        qtbot.waitExposed(page)
        assert page.verticalScrollBar().value() == 0
        assert _drag_up(page) > 100
        page.close()
