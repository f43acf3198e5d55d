"""Building and discarding the body-map screen leaves nothing behind, and builds few widgets.

The soak (bench/soak.py) grew by about 1 MiB each time the body-map screen was built.
Nothing of ours stayed alive: the screen's widgets and Python objects all went. What
grew was memory PySide 6.11 never gives back in full for every widget built (a small
Python object kept for some enum arguments, which pins the heap pages around it). The
screen built about a thousand widgets, most of them the list's forty 0-10 rows that no
one saw; it now builds a place's row the first time that place is marked.

Both tests count, they do not time or measure RSS.
"""

from __future__ import annotations

import gc
from collections import Counter

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from kiosk.app.journey import StepView, preview
from kiosk.domain.flow import Step, StepKind
from kiosk.domain.model import Content, QuestionType
from kiosk.ui.bodymap import BodyMapScreen

#: Widgets a fresh screen may build. It built about 1 020 before its list rows were
#: built on demand, about 210 after.
WIDGET_BUDGET = 400


def _flush() -> None:
    for _ in range(3):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()


def _question(content: Content):
    return next(q for q in content.questions if q.type is QuestionType.BODY_MAP)


def _view(content: Content) -> StepView:
    return preview(content, Step(StepKind.QUESTION, _question(content).id))


def _build_and_discard(content: Content, mark: bool = True) -> None:
    screen = BodyMapScreen(content, _view(content), _question(content))
    screen.resize(1280, 800)
    screen.show()
    QCoreApplication.processEvents()
    if mark:
        # Use the list too, so the rows built on demand are built and discarded.
        screen.show_list(True)
        screen.toggle_region(screen.regions[0].id)
        screen.set_score(screen.regions[0].id, 5)
        QCoreApplication.processEvents()
    screen.close()
    screen.deleteLater()
    del screen
    _flush()


def _python_objects() -> Counter[str]:
    gc.collect()
    return Counter(type(o).__name__ for o in gc.get_objects())


def test_a_fresh_body_map_builds_few_widgets(qtbot, content: Content) -> None:
    _flush()
    before = len(QApplication.allWidgets())
    screen = BodyMapScreen(content, _view(content), _question(content))
    qtbot.addWidget(screen)
    built = len(QApplication.allWidgets()) - before
    assert built <= WIDGET_BUDGET, f"{built} widgets for one body-map screen"
    # The list still names every place; its numbers come once a place is marked.
    assert len(screen.toggles) == len(screen.regions)
    assert not screen.list_scales
    screen.toggle_region(screen.regions[0].id)
    assert list(screen.list_scales) == [screen.regions[0].id]


def test_building_the_body_map_again_and_again_leaves_nothing_behind(
    qtbot, content: Content
) -> None:
    for _ in range(3):  # warm-up: first-use caches (fonts, styles, drawings)
        _build_and_discard(content)
    widgets = len(QApplication.allWidgets())
    objects = _python_objects()
    for _ in range(20):
        _build_and_discard(content)
    assert len(QApplication.allWidgets()) == widgets
    after = _python_objects()
    kinds = ("BodyMapScreen", "BodyMapView", "ScoreScale", "ChoiceButton", "BigButton")
    grown = {k: after[k] - objects[k] for k in kinds if after[k] != objects[k]}
    assert not grown, grown
    # A handful of objects may come and go between two counts; 20 screens' worth may not.
    assert sum(after.values()) - sum(objects.values()) < 200
