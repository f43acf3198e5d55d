"""Walking a layout leaves no Python wrapper of a Qt layout item behind.

PySide keeps the wrapper that ``QLayout.itemAt`` returns alive as long as the layout's
own wrapper and finds it again by the item's address. When Qt deletes the item
(``removeWidget``, a widget deleted), a new object at the same address came back as the
stale wrapper: an in-process 250-patient soak died on "'QWidgetItem' object has no
attribute 'valueChanged'" when a scroll bar was born where a walked item had been.
``reading_order`` and ``laid_out_children`` walk every screen's layouts, so they must
not leave such wrappers; these tests fail without ``shiboken6.invalidate`` in
``kiosk.ui.widgets.base._layout_items``.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.screens.scale import ScoreScale
from kiosk.ui.widgets import laid_out_children, reading_order


def item_wrappers() -> set[int]:
    """The live wrappers of layout items that are not layouts (QWidgetItem, spacers)."""
    return {
        id(w)
        for w in shiboken6.getAllValidWrappers()
        if isinstance(w, QLayoutItem) and not isinstance(w, QLayout)
    }


def build_nested(qtbot) -> tuple[QWidget, list[QPushButton]]:
    root = QWidget()
    qtbot.addWidget(root)
    outer = QVBoxLayout(root)
    row = QHBoxLayout()
    grid = QGridLayout()
    buttons = [QPushButton(f"b{i}") for i in range(6)]
    outer.addWidget(buttons[0])
    outer.addStretch(1)
    row.addWidget(buttons[1])
    row.addSpacing(20)
    row.addWidget(buttons[2])
    outer.addLayout(row)
    for i, button in enumerate(buttons[3:]):
        grid.addWidget(button, 0, i)
    outer.addLayout(grid)
    return root, buttons


def test_the_reading_order_walk_leaves_no_item_wrapper(qtbot):
    root, buttons = build_nested(qtbot)
    before = item_wrappers()

    order = reading_order(root)

    assert order == buttons  # the walk itself still works
    assert item_wrappers() <= before  # none made by the walk is left


def test_laid_out_children_leaves_no_item_wrapper_after_a_widget_is_removed(qtbot):
    root, buttons = build_nested(qtbot)
    layout = root.layout()
    assert layout is not None
    before = item_wrappers()

    assert list(laid_out_children(root))[:1] == [buttons[0]]
    layout.removeWidget(buttons[0])  # Qt deletes the QWidgetItem that held it
    buttons[0].deleteLater()

    assert item_wrappers() <= before  # none made by the walk is left
    # and what is still laid out is walked as before
    assert reading_order(root) == buttons[1:]


def test_the_pain_scale_rearranged_keeps_working_and_leaves_no_item_wrapper(qtbot):
    scale = ScoreScale(((0, "No pain"), (10, "Worst pain")), lambda score, word: str(score))
    qtbot.addWidget(scale)
    before = item_wrappers()
    rows = set()
    for width in (1200, 400, 1200, 400):
        scale.resize(width, 300)
        scale.show()
        qtbot.wait(1)
        rows.add(scale.rows())
        assert reading_order(scale) == scale.buttons
    assert rows == {1, 2}  # it really wrapped and unwrapped
    assert item_wrappers() <= before  # none made by the walk is left
