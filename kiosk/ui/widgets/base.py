"""The basic touch-first building blocks: roles, reading order, text, buttons.

Looks come from ``assets/styles/kiosk.qss`` through the ``role`` property each widget
sets; nothing here hard-codes a colour.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import cast

import shiboken6
from PySide6.QtCore import (
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

#: The smallest touch target, in pixels, on any side.
MIN_TARGET = 64

#: Room each side of a text label for glyphs that draw past their advance width.
GLYPH_OVERHANG = 4


def set_role(widget: QWidget, role: str) -> None:
    widget.setProperty("role", role)


def centred(widget: QWidget, stretch: int = 0) -> QHBoxLayout:
    """A row that holds ``widget`` in the middle, with equal space either side."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget, stretch)
    row.addStretch(1)
    return row


def reading_order(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that Tab can reach, in the order a patient reads them.

    That is the order their layouts place them: top to bottom, and along a row in the
    writing direction (a right-to-left layout puts its first item on the right, and a
    grid's first column too). A focusable widget's own children are not visited.
    """
    found: list[QWidget] = []

    def visit_widget(widget: QWidget) -> None:
        if widget is not root and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(widget)
            if not isinstance(widget, QScrollArea):
                return
        if isinstance(widget, QScrollArea):
            inner = widget.widget()
            if inner is not None:
                visit_widget(inner)
            return
        for child in laid_out_children(widget):
            visit_widget(child)

    visit_widget(root)
    return found


def laid_out_children(widget: QWidget) -> Iterator[QWidget]:
    """The widgets ``widget``'s layout holds, in layout order: nested layouts walked in
    place, a grid's items by row then column."""
    layout = widget.layout()
    if layout is not None:
        yield from _layout_items(layout)


def _layout_items(layout: QLayout) -> Iterator[QWidget]:
    indices = list(range(layout.count()))
    if isinstance(layout, QGridLayout):
        grid = layout
        cells = {i: cast(tuple[int, int, int, int], grid.getItemPosition(i)) for i in indices}
        indices.sort(key=lambda i: cells[i][:2])
    for index in indices:
        item = layout.itemAt(index)
        if item is None:
            continue
        child, inner = item.widget(), item.layout()
        if inner is None:
            # PySide keeps the wrapper ``itemAt`` made for a plain item (a QWidgetItem or
            # a spacer) alive as long as the layout's wrapper, and finds it again by
            # address. Once Qt deletes the item (removeWidget, a deleted widget), a new
            # object at the same address (a scroll bar, say) came back as that stale
            # QWidgetItem: a 250-patient soak died on "'QWidgetItem' object has no
            # attribute 'valueChanged'". The wrapper is ours alone; drop it now.
            shiboken6.invalidate(item)
        if child is not None:
            yield child
        elif inner is not None:
            yield from _layout_items(inner)


def set_reading_order(root: QWidget) -> None:
    """Make Tab follow the reading order (widgets join the focus chain in the order they
    were parented, which is not always the order they are shown in)."""
    order = reading_order(root)
    for first, second in itertools.pairwise(order):
        QWidget.setTabOrder(first, second)


#: Inner spacing of the label roles that have a frame or background (left, top, right, bottom).
LABEL_MARGINS: dict[str, tuple[int, int, int, int]] = {
    "th": (12, 10, 12, 10),
    "td": (12, 10, 12, 10),
    "error": (16, 12, 16, 12),
    "feedback": (20, 16, 20, 16),
    "section": (0, 12, 0, 0),
    "detail": (4, 4, 4, 4),
}


class Text(QLabel):
    """A wrapped label in one of the stylesheet's text roles (title, body, hint, error...).

    Patient-facing text is always plain text: content files cannot inject markup.
    """

    def __init__(self, text: str = "", role: str = "body", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setText(text)
        set_role(self, role)
        left, top, right, bottom = LABEL_MARGINS.get(role, (0, 0, 0, 0))
        # A few pixels each side always: some Arabic letters (and italic overhangs) draw
        # past their advance at the start or end of a line and were clipped at the edge.
        self.setContentsMargins(max(left, GLYPH_OVERHANG), top, max(right, GLYPH_OVERHANG), bottom)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)


class BigButton(QPushButton):
    """A button at least 64 px on each side, with an accessible name equal to its words."""

    def __init__(
        self, text: str, role: str = "secondary", name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(text, parent)
        set_role(self, role)
        self.setMinimumSize(QSize(max(MIN_TARGET, 160), MIN_TARGET + 8))
        self.setAccessibleName(name or text)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Never narrower than its words: a squeezed button would cut them off.
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        # Touch screens have no hover; keyboard users still tab through the buttons.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class ChoiceButton(QPushButton):
    """A checkable answer button whose words wrap, so no answer is ever cut off.

    A tick or an empty circle in front of the words shows the choice without relying
    on colour. The words live in a child label; the button's own text stays empty, so
    its accessible name carries them for screen readers.

    Whatever flips the tick counts as the patient's choice: a tap, Space, or the
    accessibility API's Press or Toggle action (Toggle emits ``toggled`` and never
    ``clicked``, so switch access and voice control would otherwise draw a tick that
    records nothing). Only the screen showing its state, through ``setChecked``, is
    silent.

    Signals:
        chosen(str): the answer code, when the patient taps or toggles it.
    """

    chosen = Signal(str)

    def __init__(self, code: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "choice")
        self.code = code
        self.setCheckable(True)
        self.setAccessibleName(label)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        size = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        size.setHeightForWidth(True)
        self.setSizePolicy(size)
        # Layouts always honour a minimum size; the height-for-width below only adds to it.
        self.setMinimumHeight(MIN_TARGET + 16)
        row = QHBoxLayout(self)
        row.setContentsMargins(22, 14, 22, 14)
        row.setSpacing(16)
        self.mark = QLabel(self)
        self.mark.setMinimumWidth(30)  # grows with the text size, never cuts the mark
        self.words = QLabel(label, self)
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.words.setWordWrap(True)
        for part in (self.mark, self.words):
            # Taps go to the button, never to the labels inside it.
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            set_role(part, "choice-text")
        row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.words, 1)
        #: True while the screen sets the state itself (``setChecked`` from Python).
        self._showing = False
        self.toggled.connect(self._on_toggled)
        self._show_look(False)

    def label(self) -> str:
        return self.words.text()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        assert layout is not None
        return max(MIN_TARGET + 16, layout.heightForWidth(width))

    def sizeHint(self) -> QSize:
        layout = self.layout()
        assert layout is not None
        hint = layout.sizeHint()
        return QSize(hint.width(), self.heightForWidth(hint.width()))

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_TARGET * 3, MIN_TARGET + 16)

    def setChecked(self, checked: bool) -> None:
        """Show ``checked`` without it counting as the patient's choice."""
        self._showing = True
        try:
            super().setChecked(checked)
        finally:
            self._showing = False

    def _on_toggled(self, checked: bool) -> None:
        self._show_look(checked)
        if not self._showing:
            self.chosen.emit(self.code)

    def _show_look(self, checked: bool) -> None:
        # U+2713 CHECK MARK / U+25CB WHITE CIRCLE: DejaVu Sans draws both.
        self.mark.setText("\u2713" if checked else "\u25cb")
        self.setProperty("checkedLook", checked)
        for part in (self, self.mark, self.words):
            part.style().unpolish(part)
            part.style().polish(part)
