"""The signature pad: strokes by finger, pen or mouse, kept as vectors."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.domain.summary import Signature, Stroke
from kiosk.ui.widgets.base import set_role


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
