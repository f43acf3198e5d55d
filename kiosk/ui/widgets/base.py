"""Touch-first building blocks: big buttons, wrapped text, date fields, the signature pad.

Looks come from ``assets/styles/kiosk.qss`` through the ``role`` property each widget
sets; nothing here hard-codes a colour.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import cast

from PySide6.QtCore import (
    QBuffer,
    QEvent,
    QIODevice,
    QLocale,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QIntValidator,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.summary import Signature, Stroke

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

    Signals:
        chosen(str): the answer code, when the patient taps it.
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
        self.toggled.connect(self._on_toggled)
        self.clicked.connect(self._on_clicked)
        self._on_toggled(False)

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

    def _on_toggled(self, checked: bool) -> None:
        # U+2713 CHECK MARK / U+25CB WHITE CIRCLE: DejaVu Sans draws both.
        self.mark.setText("\u2713" if checked else "\u25cb")
        self.setProperty("checkedLook", checked)
        for part in (self, self.mark, self.words):
            part.style().unpolish(part)
            part.style().polish(part)

    def _on_clicked(self) -> None:
        self.chosen.emit(self.code)


#: The one touch-scrolling gesture recognizer, and the widget that keeps it registered.
_touch_scrolling: tuple[QWidget, Qt.GestureType] | None = None


def grab_touch_scrolling(widget: QWidget) -> None:
    """QScroller's touch gesture on ``widget``, with one recognizer for the whole process.

    ``QScroller.grabGesture`` registers a new recognizer, with a new gesture type id, on
    every call, and PySide builds a new Python enum class for each new id, never freed:
    with a scrolling page on every screen that was about 0.25 MiB per patient
    (bench/soak.py). One recognizer, kept by a hidden widget that lives as long as the
    process, serves every page: a gesture drives the scroller of the widget it starts on.
    """
    global _touch_scrolling
    if _touch_scrolling is None:
        keeper = QWidget()
        kind = QScroller.grabGesture(keeper, QScroller.ScrollerGestureType.TouchGesture)
        _touch_scrolling = (keeper, kind)
    widget.grabGesture(_touch_scrolling[1])
    widget.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)  # as grabGesture does
    QScroller.scroller(widget)


class ScrollPage(QScrollArea):
    """A vertical scroll area whose page is exactly as tall as its wrapped text needs.

    QScrollArea sizes its page from minimum size hints, which for word-wrapped labels
    assume a narrow column, so pages came out far too tall with empty space to scroll
    through. Here the page is sized by height-for-width at the real width instead.

    Signals:
        laid_out(): the page was laid out again (widgets came or went).
    """

    laid_out = Signal()

    def __init__(self, inner: QWidget, parent: QWidget | None = None, hint: str = "") -> None:
        super().__init__(parent)
        self.setWidget(inner)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        set_role(self, "page")
        inner.installEventFilter(self)
        self._kept: QWidget | None = None
        # Kinetic scrolling with a finger. Touch only: with the mouse gesture QScroller
        # holds back presses, and taps on the answers would feel late.
        grab_touch_scrolling(self.viewport())
        properties = QScroller.scroller(self.viewport()).scrollerProperties()
        properties.setScrollMetric(
            QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
            QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
        )
        QScroller.scroller(self.viewport()).setScrollerProperties(properties)
        # "More below": shown while the page goes on under the bottom edge, so nobody
        # misses the rest of a page because the scroll bar is thin or unfamiliar.
        self.more_hint = QLabel(f"\u25bc  {hint}" if hint else "\u25bc", self)
        set_role(self.more_hint, "scroll_hint")
        self.more_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.more_hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.more_hint.setAccessibleName(hint or "More below")
        self.more_hint.hide()
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._place_hint)
        bar.rangeChanged.connect(self._place_hint)

    def keep_visible(self, widget: QWidget | None) -> None:
        """Keep ``widget`` in view now and whenever the page's room changes, as when the
        on-screen keyboard opens under it."""
        self._kept = widget
        self._place_hint()
        QTimer.singleShot(0, self, self._show_kept)

    def _show_kept(self) -> None:
        if self._kept is not None and self._kept.isVisible():
            # Room above for the field's label, below for a counter or a message.
            self.ensureWidgetVisible(self._kept, 0, 80)

    def _place_hint(self, *_: object) -> None:
        bar = self.verticalScrollBar()
        more = bar.maximum() > 0 and bar.value() < bar.maximum() - 4
        # While the keyboard is open the page is short, and the bar would cover the
        # very field the patient is typing into.
        if not more or self._kept is not None:
            self.more_hint.hide()
            return
        viewport = self.viewport().geometry()
        height = self.more_hint.sizeHint().height()
        self.more_hint.setGeometry(
            viewport.left(), viewport.bottom() + 1 - height, viewport.width(), height
        )
        self.more_hint.show()
        self.more_hint.raise_()

    def fit(self) -> None:
        inner = self.widget()
        if inner is None:
            return
        viewport = self.viewport().size()
        width = viewport.width()
        layout = inner.layout()
        if layout is not None and layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(width)
        else:
            height = inner.sizeHint().height()
        if height > viewport.height():
            # A scroll bar will show and take width: measure again at what is left.
            width = max(1, width - self.verticalScrollBar().sizeHint().width())
            if layout is not None and layout.hasHeightForWidth():
                height = layout.totalHeightForWidth(width)
        inner.resize(width, max(height, viewport.height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()
        self._show_kept()
        self._place_hint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()
            self._place_hint()
            self.laid_out.emit()
        return False


def month_names(language: str) -> tuple[str, ...]:
    """The twelve month names in ``language``, as they stand alone, with a capital."""
    locale = QLocale(language)
    names = (locale.standaloneMonthName(m, QLocale.FormatType.LongFormat) for m in range(1, 13))
    return tuple(n[:1].upper() + n[1:] for n in names)


class MonthField(QLineEdit):
    """The month by name, read-only: set with the plus and minus buttons beside it.

    A physical keyboard still works: digits type the month's number (1 then 2 is
    December), the arrow keys step, Backspace empties it. ``text()`` is the name shown;
    ``number()`` is the month.
    """

    def __init__(self, months: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.months = months
        self._number = 0
        self._typed = ""
        self.setReadOnly(True)

    def number(self) -> int:
        return self._number

    def set_number(self, number: int) -> None:
        self._number = number if 1 <= number <= 12 else 0
        self.setText(self.months[self._number - 1] if self._number else "")

    def clear(self) -> None:
        self._typed = ""
        self.set_number(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and len(text) == 1:
            typed = self._typed + text
            if not 1 <= int(typed) <= 12:
                typed = text
            self._typed = typed if len(typed) < 2 else ""
            self.set_number(int(typed))
            self.textEdited.emit(self.text())
        elif event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 1 if event.key() == Qt.Key.Key_Up else -1
            self.set_number((self._number - 1 + step) % 12 + 1 if self._number else 1)
            self.textEdited.emit(self.text())
        elif event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.clear()
            self.textEdited.emit(self.text())
        else:
            super().keyPressEvent(event)


class DateFields(QWidget):
    """Day, month and year, in that order, each a big box between a plus and a minus button.

    Touch alone is enough: the buttons step each part (the month by name, in the
    patient's language), and tapping the day or year box opens the number pad of the
    screen's on-screen keyboard. A physical keyboard types into the boxes as before.
    The steppers take no focus, so Tab goes day, month, year.

    Signals:
        edited(): any of the three changed.
    """

    edited = Signal()

    def __init__(
        self,
        day: str,
        month: str,
        year: str,
        name: str,
        parent: QWidget | None = None,
        *,
        months: tuple[str, ...] = (),
        more: tuple[str, str, str] = ("", "", ""),
        less: tuple[str, str, str] = ("", "", ""),
        start_year: int = 1970,
        latest_year: int = 2100,
    ) -> None:
        super().__init__(parent)
        self.start_year = start_year
        self.latest_year = latest_year
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(28)
        self.day = self._field(day, 2, 31, f"{name}: {day}")
        self.month = MonthField(months or month_names("en"), self)
        self._style(self.month, f"{name}: {month}")
        self.month.textEdited.connect(self._on_text_edited)
        self.year = self._field(year, 4, 2100, f"{name}: {year}")
        self.steppers: list[QPushButton] = []
        self.month.ensurePolished()
        widest_month = max(self.month.fontMetrics().horizontalAdvance(m) for m in self.month.months)
        for index, (label, field, width) in enumerate(
            (
                (day, self.day, 130),
                (month, self.month, max(240, widest_month + 48)),
                (year, self.year, 170),
            )
        ):
            column = QVBoxLayout()
            column.setSpacing(8)
            caption = Text(label, "label")
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
            caption.setBuddy(field)
            column.addWidget(caption)
            plus = self._stepper("+", more[index] or f"{label} +1", field, 1)
            minus = self._stepper("\u2212", less[index] or f"{label} \u22121", field, -1)
            for part in (plus, field, minus):
                part.setFixedWidth(width)
            column.addWidget(plus)
            column.addWidget(field)
            column.addWidget(minus)
            layout.addLayout(column)
        layout.addStretch(1)

    def _style(self, field: QLineEdit, name: str) -> None:
        field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        field.setAccessibleName(name)
        field.setMinimumHeight(MIN_TARGET + 8)
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        set_role(field, "field")

    def _field(self, placeholder: str, length: int, high: int, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setMaxLength(length)
        field.setValidator(QIntValidator(0, high, field))
        field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self._style(field, name)
        field.textEdited.connect(self._on_text_edited)
        return field

    def _stepper(self, sign: str, name: str, field: QLineEdit, step: int) -> QPushButton:
        button = QPushButton(sign, self)
        set_role(button, "stepper")
        button.setAccessibleName(name)
        button.setObjectName("more" if step > 0 else "less")
        button.setMinimumSize(QSize(MIN_TARGET + 8, MIN_TARGET + 8))
        # The boxes keep the focus (and a physical keyboard's typing) while these are tapped.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda _=False: self._step(field, step))
        self.steppers.append(button)
        return button

    def _step(self, field: QLineEdit, step: int) -> None:
        if isinstance(field, MonthField):
            now = field.number()
            field.set_number((now - 1 + step) % 12 + 1 if now else (1 if step > 0 else 12))
        elif field is self.day:
            now = int(field.text() or 0)
            field.setText(str((now - 1 + step) % 31 + 1 if now else (1 if step > 0 else 31)))
        else:
            now = int(field.text() or 0)
            if not now:
                value = self.start_year
            else:
                value = min(max(now + step, 1900), max(self.latest_year, 1900))
            field.setText(str(value))
        self.edited.emit()

    def _on_text_edited(self, _text: str) -> None:
        self.edited.emit()

    def text_fields(self) -> tuple[QLineEdit, QLineEdit]:
        """The boxes typed into (day and year); the month is set by its buttons."""
        return self.day, self.year

    def values(self) -> tuple[str, str, str]:
        month = self.month.number()
        return self.day.text(), str(month) if month else "", self.year.text()

    def set_values(self, day: str, month: str, year: str) -> None:
        self.day.setText(day)
        self.month.set_number(int(month) if month.isdigit() else 0)
        self.year.setText(year)


class SignaturePad(QWidget):
    """Draw a signature with a finger, a pen or a mouse.

    Strokes are kept as plain point lists in the pad's own pixels; the report draws them
    as vector lines, so the signature prints crisp at any size.

    Signals:
        changed(): a stroke was drawn or the pad was cleared.
    """

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        set_role(self, "signature")
        self._strokes: list[list[QPointF]] = []
        self._drawing = False

    # ------------------------------------------------------------ data

    def is_empty(self) -> bool:
        return not self._strokes

    def stroke_count(self) -> int:
        return len(self._strokes)

    def signature(self) -> Signature:
        strokes: tuple[Stroke, ...] = tuple(
            tuple((p.x(), p.y()) for p in stroke) for stroke in self._strokes if stroke
        )
        return Signature(width=float(self.width()), height=float(self.height()), strokes=strokes)

    def to_png(self, scale: float = 2.0) -> bytes:
        """The ink alone, black on white, at ``scale`` times the pad's size, as PNG bytes.

        This is what the record keeps and the PDF prints; the pad's frame and signing
        line are left out.
        """
        size = QSize(max(1, round(self.width() * scale)), max(1, round(self.height() * scale)))
        image = QImage(size, QImage.Format.Format_Grayscale8)
        image.fill(QColor("#FFFFFF"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        self._draw_ink(painter)
        painter.end()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # The type stub asks for bytes, but PySide6 6.11 only accepts a str here.
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        data = bytes(buffer.data().data())
        buffer.close()
        return data

    def clear(self) -> None:
        self._strokes = []
        self._drawing = False
        self.update()
        self.changed.emit()

    # ------------------------------------------------------------ input

    def _begin(self, pos: QPointF) -> None:
        self._drawing = True
        self._strokes.append([pos])
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if self._drawing:
            self._strokes[-1].append(pos)
            self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position())
            self._end()
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Keep the ink where it was drawn relative to the pad when the window changes size.
        old, new = event.oldSize(), event.size()
        if self._strokes and old.width() > 0 and old.height() > 0:
            sx, sy = new.width() / old.width(), new.height() / old.height()
            self._strokes = [[QPointF(p.x() * sx, p.y() * sy) for p in s] for s in self._strokes]
        super().resizeEvent(event)

    # ------------------------------------------------------------ drawing

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.fillRect(rect, QColor("#FFFFFF"))
        painter.setPen(QPen(QColor("#5B6675"), 2))
        painter.drawRoundedRect(rect, 12, 12)
        # A signing line, as on paper.
        baseline = rect.bottom() - rect.height() * 0.25
        painter.setPen(QPen(QColor("#9AA3AF"), 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(rect.left() + 40, baseline), QPointF(rect.right() - 40, baseline))
        self._draw_ink(painter)
        painter.end()

    def _draw_ink(self, painter: QPainter) -> None:
        ink = QPen(QColor("#0F1B2D"), 4)
        ink.setCapStyle(Qt.PenCapStyle.RoundCap)
        ink.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(ink)
        for stroke in self._strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0])
                continue
            path = QPainterPath(stroke[0])
            for point in stroke[1:]:
                path.lineTo(point)
            painter.drawPath(path)
