"""Touch-first building blocks: big buttons, wrapped text, date fields, the signature pad.

Looks come from ``assets/styles/kiosk.qss`` through the ``role`` property each widget
sets; nothing here hard-codes a colour.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QIntValidator,
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
    QHBoxLayout,
    QLabel,
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


def set_role(widget: QWidget, role: str) -> None:
    widget.setProperty("role", role)


def centred(widget: QWidget, stretch: int = 0) -> QHBoxLayout:
    """A row that holds ``widget`` in the middle, with equal space either side."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget, stretch)
    row.addStretch(1)
    return row


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
        self.setContentsMargins(*LABEL_MARGINS.get(role, (0, 0, 0, 0)))
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


class ScrollPage(QScrollArea):
    """A vertical scroll area whose page is exactly as tall as its wrapped text needs.

    QScrollArea sizes its page from minimum size hints, which for word-wrapped labels
    assume a narrow column, so pages came out far too tall with empty space to scroll
    through. Here the page is sized by height-for-width at the real width instead.
    """

    def __init__(self, inner: QWidget, parent: QWidget | None = None, hint: str = "") -> None:
        super().__init__(parent)
        self.setWidget(inner)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        set_role(self, "page")
        inner.installEventFilter(self)
        # Kinetic scrolling with a finger. Touch only: with the mouse gesture QScroller
        # holds back presses, and taps on the answers would feel late.
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
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

    def _place_hint(self, *_: object) -> None:
        bar = self.verticalScrollBar()
        more = bar.maximum() > 0 and bar.value() < bar.maximum() - 4
        if not more:
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
        self._place_hint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()
            self._place_hint()
        return False


class DateFields(QWidget):
    """Day, month and year as three big number fields, in that order.

    Signals:
        edited(): any of the three changed.
    """

    edited = Signal()

    def __init__(
        self, day: str, month: str, year: str, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.day = self._field(day, 2, 1, 31, f"{name}: {day}")
        self.month = self._field(month, 2, 1, 12, f"{name}: {month}")
        self.year = self._field(year, 4, 1900, 2100, f"{name}: {year}")
        for label, field, width in (
            (day, self.day, 110),
            (month, self.month, 110),
            (year, self.year, 160),
        ):
            column = QVBoxLayout()
            caption = Text(label, "label")
            caption.setBuddy(field)
            column.addWidget(caption)
            field.setFixedWidth(width)
            column.addWidget(field)
            layout.addLayout(column)
        layout.addStretch(1)

    def _field(self, placeholder: str, length: int, low: int, high: int, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setMaxLength(length)
        field.setValidator(QIntValidator(0, high, field))
        field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        field.setAccessibleName(name)
        field.setMinimumHeight(MIN_TARGET + 8)
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        set_role(field, "field")
        field.textEdited.connect(self._on_text_edited)
        return field

    def _on_text_edited(self, _text: str) -> None:
        self.edited.emit()

    def values(self) -> tuple[str, str, str]:
        return self.day.text(), self.month.text(), self.year.text()

    def set_values(self, day: str, month: str, year: str) -> None:
        self.day.setText(day)
        self.month.setText(month)
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
