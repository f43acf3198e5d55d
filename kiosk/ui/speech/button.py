"""What a screen says aloud, and the button that says it (UI side of read-aloud)."""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QScrollArea, QWidget

from kiosk.ui.speech.service import ReadAloud
from kiosk.ui.widgets import BigButton, ChoiceButton, Text, laid_out_children

# ================================================================ what a screen says

#: Text roles that are not read aloud: the step counter, and staff-only details.
SILENT_ROLES = frozenset({"progress", "detail"})


def spoken_words(root: QWidget, illustration_alt: str = "") -> str:
    """The words a patient sees on ``root``, in reading order, one line each.

    Visible ``Text`` labels (except those whose property ``spoken`` is False) and the
    answers of ``ChoiceButton``s, top to bottom and along each row in layout order (the
    writing direction does not change the logical order). ``illustration_alt`` is said
    where the widget named "illustration" is, or at the end. Buttons' own words (Back,
    Next, Read aloud) are not read.
    """
    parts: list[str] = []
    alt_said = False

    def visit_widget(widget: QWidget) -> None:
        nonlocal alt_said
        if widget is not root and widget.isHidden():
            return
        if isinstance(widget, Text):
            if (
                widget.property("role") not in SILENT_ROLES
                and widget.property("spoken") is not False
            ):
                parts.append(widget.text())
            return
        if isinstance(widget, ChoiceButton):
            parts.append(widget.label())
            return
        if widget.objectName() == "illustration" and illustration_alt:
            parts.append(illustration_alt)
            alt_said = True
            return
        if isinstance(widget, QScrollArea):
            inner = widget.widget()
            if inner is not None:
                visit_widget(inner)
            return
        for child in laid_out_children(widget):
            visit_widget(child)

    visit_widget(root)
    if illustration_alt and not alt_said:
        parts.append(illustration_alt)
    lines = [" ".join(part.split()) for part in parts]
    # A full stop after a heading or an answer makes the engine pause there.
    return "\n".join(
        line if line[-1] in _END_MARKS else f"{line}."
        for line in lines
        if line and line != "\u2022"
    )


_END_MARKS = frozenset(".!?:;\u2026\u061f\u06d4")


# ================================================================ the button


def speaker_icon(colour: QColor, size: int, stop: bool = False) -> QIcon:
    """A loudspeaker with sound waves (or a stop square), drawn in ``colour``.

    Drawn rather than a glyph: none of the bundled fonts has a speaker symbol.
    """
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 24
    if stop:
        painter.fillRect(int(5 * s), int(5 * s), int(14 * s), int(14 * s), colour)
    else:
        body = QPainterPath()
        body.moveTo(3 * s, 9 * s)
        body.lineTo(7 * s, 9 * s)
        body.lineTo(12 * s, 4 * s)
        body.lineTo(12 * s, 20 * s)
        body.lineTo(7 * s, 15 * s)
        body.lineTo(3 * s, 15 * s)
        body.closeSubpath()
        painter.fillPath(body, colour)
        pen = QPen(colour, 2 * s)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        centre = QPointF(12 * s, 12 * s)
        for radius in (4.5 * s, 8.5 * s):
            painter.drawArc(
                int(centre.x() - radius),
                int(centre.y() - radius),
                int(2 * radius),
                int(2 * radius),
                -50 * 16,
                100 * 16,
            )
    painter.end()
    return QIcon(pixmap)


def _weakly(words: Callable[[], str]) -> Callable[[], str]:
    """``words``, holding its object weakly when it is a bound method.

    The button is a child of the screen whose ``speech_text`` it reads. Holding that
    bound method strongly makes a cycle through the Qt parent link, which Python's
    cycle collector cannot see: every screen built with a read-aloud button stayed in
    memory (about 50 KiB for the identity screen) after it was deleted.
    """
    if not isinstance(words, types.MethodType):
        return words
    method = weakref.WeakMethod(words)

    def read() -> str:
        bound = method()
        return "" if bound is None else bound()

    return read


class ReadAloudButton(BigButton):
    """ "Read aloud" with a speaker; "Stop" while reading. Hidden until a voice exists.

    ``bind()`` connects it to the service, the language and the screen's words.
    """

    def __init__(self, start_label: str, stop_label: str, description: str) -> None:
        super().__init__(start_label, "secondary", start_label)
        self.setObjectName("read-aloud")
        self._start_label = start_label
        self._stop_label = stop_label
        self.setAccessibleDescription(description)
        self.setMinimumWidth(64)
        self._service: ReadAloud | None = None
        self._language = ""
        self._words: Callable[[], str] = str
        self._showing_stop = False
        self.setVisible(False)
        self.clicked.connect(self._on_clicked)

    def bind(self, service: ReadAloud | None, language: str, words: Callable[[], str]) -> None:
        if self._service is not None:
            self._service.availability_changed.disconnect(self._refresh)
            self._service.speaking_changed.disconnect(self._on_speaking_changed)
        self._service, self._language, self._words = service, language, _weakly(words)
        if service is not None:
            service.availability_changed.connect(self._refresh)
            service.speaking_changed.connect(self._on_speaking_changed)
        self._on_speaking_changed(False)
        self._refresh()

    def _refresh(self) -> None:
        service = self._service
        self.setVisible(service is not None and service.available(self._language))

    def _on_clicked(self) -> None:
        service = self._service
        if service is None:
            return
        if service.speaking:
            service.stop()
        else:
            service.speak(self._language, self._words())

    def _on_speaking_changed(self, speaking: bool) -> None:
        self._showing_stop = speaking
        label = self._stop_label if speaking else self._start_label
        self.setText(label)
        self.setAccessibleName(label)
        self._update_icon()

    def _update_icon(self) -> None:
        size = max(24, self.fontMetrics().height())
        colour = self.palette().color(self.foregroundRole())
        self.setIcon(speaker_icon(colour, size, stop=self._showing_stop))
        self.setIconSize(QSize(size, size))

    def changeEvent(self, event: QEvent) -> None:
        # The stylesheet sets the colour and the text size: the icon follows both.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._update_icon()
        super().changeEvent(event)
