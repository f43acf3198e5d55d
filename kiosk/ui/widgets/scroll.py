"""A scroll area for touch: pages sized to their wrapped text, one touch-scroll gesture."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QScroller, QScrollerProperties, QWidget

from kiosk.ui.widgets.base import set_role

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
        self._kept_next: QWidget | None = None
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

    def keep_visible(self, widget: QWidget | None, then: QWidget | None = None) -> None:
        """Keep ``widget`` in view now and whenever the page's room changes, as when the
        on-screen keyboard opens under it; and ``then`` (the next field) below it too,
        when both fit, so the patient sees where they go next and never taps a key
        meaning to reach a field hidden under the keyboard."""
        self._kept = widget
        self._kept_next = then
        self._place_hint()
        QTimer.singleShot(0, self, self._show_kept)

    def _show_kept(self) -> None:
        kept = self._kept
        if kept is None or not kept.isVisible():
            return
        following = self._kept_next
        if following is not None and following.isVisible():
            for above in (80, 8):
                if self._show_span(kept, following, above, 8):
                    return
        # Room above for the field's label, below for a counter or a message; less when
        # the page is short (the largest text), but always the whole field.
        for margin in (80, 40, 8, 0):
            if self._show_span(kept, kept, margin, margin):
                return
        self._show_span(kept, kept, 0, 0, force=True)

    def _show_span(
        self, first: QWidget, last: QWidget, above: int, below: int, force: bool = False
    ) -> bool:
        """Scroll as little as possible to show from ``above`` px over ``first`` down to
        ``below`` px under ``last``; False, without scrolling, when that is taller than
        the page (unless ``force``: then its top).

        Not ``ensureWidgetVisible``: for a line edit it shows only the text cursor, so a
        field could stay half under the keyboard."""
        inner = self.widget()
        if inner is None:
            return False
        room = self.viewport().height()
        top = max(0, first.mapTo(inner, QPoint(0, 0)).y() - above)
        bottom = last.mapTo(inner, QPoint(0, last.height())).y() + below
        if bottom - top > room and not force:
            return False
        bar = self.verticalScrollBar()
        value = bar.value()
        if value > top or bottom - top > room:
            value = top
        elif value + room < bottom:
            value = bottom - room
        bar.setValue(value)
        return True

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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A screen that opens its keyboard while being built is sized before it shows:
        # bring the field into view once it can be.
        if self._kept is not None:
            QTimer.singleShot(0, self, self._show_kept)

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
