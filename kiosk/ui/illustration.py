"""An SVG drawing that fills the column width, sharp at every size and text scale.

A pixmap would be drawn once at one size and blur when scaled; QSvgRenderer paints the
vectors at whatever size the layout gives, and height-for-width keeps the drawing's
proportions so the scrolling page makes room for all of it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

#: Wider than this the drawing only grows taller and pushes the words off the screen.
MAX_WIDTH = 640


class Illustration(QWidget):
    """One drawing, named for screen readers and read-aloud by its alternative text."""

    def __init__(self, path: Path, alt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = QSvgRenderer(str(path), self)
        self.alt = alt
        self.setAccessibleName(alt)
        self.setAccessibleDescription(alt)
        self.setToolTip("")
        box = self.renderer.viewBoxF()
        self._ratio = box.height() / box.width() if box.width() > 0 else 0.6
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumWidth(240)

    def is_valid(self) -> bool:
        return self.renderer.isValid()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(min(width, MAX_WIDTH) * self._ratio)

    def sizeHint(self) -> QSize:
        return QSize(MAX_WIDTH, self.heightForWidth(MAX_WIDTH))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.heightForWidth(240))

    def drawing_rect(self) -> QRectF:
        """Where the drawing goes: as wide as allowed, centred, in its own proportions."""
        width = min(self.width(), MAX_WIDTH, self.height() / self._ratio)
        height = width * self._ratio
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.renderer.isValid():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.renderer.render(painter, self.drawing_rect())
        painter.end()
