"""The next screen, built while the patient reads the current one.

A tap on Next then only switches the stack, instead of building forty or two hundred
widgets while the patient waits (docs/performance.md, "Screen changes"). Patients read
each screen for seconds; building the likely next screen takes up to about 100 ms, a
short moment after the current one is painted.

The spare is only ever a guess. ``take`` hands it out only when the step the journey
actually moved to is shown exactly as the spare shows it (the ``StepView``s are equal:
the same step, number, total, answer and everything else); otherwise it is thrown away
and the screen is built as before. It is dropped on every other screen change, so a
spare that holds patient data (the review's answers and name) never outlives the
journey: ``KioskWindow._swap`` drops it before any new screen appears, the welcome
screen after a reset included.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStackedWidget

from kiosk.app.journey import StepView
from kiosk.ui.screens import JourneyScreen

#: How long after a screen change the next screen is built: after the new screen's
#: first frame, and well before anyone can have read it and tapped again.
DELAY_MS = 120


class SpareScreen(QObject):
    """Builds the likely next screen into ``stack`` (hidden) after a delay."""

    def __init__(
        self,
        stack: QStackedWidget,
        build: Callable[[StepView], JourneyScreen],
        delay_ms: int = DELAY_MS,
    ) -> None:
        super().__init__(stack)
        self._stack = stack
        self._build = build
        self._predict: Callable[[], StepView | None] | None = None
        self._view: StepView | None = None
        self._screen: JourneyScreen | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._build_now)
        #: Spares handed out, and thrown away unused (for the bench and the tests).
        self.used = 0
        self.wasted = 0

    @property
    def pending(self) -> bool:
        """A spare is still to be built."""
        return self._timer.isActive()

    @property
    def screen(self) -> JourneyScreen | None:
        return self._screen

    def prepare(self, predict: Callable[[], StepView | None]) -> None:
        """Build ``predict()``'s screen shortly (any earlier spare is dropped)."""
        self.drop()
        self._predict = predict
        self._timer.start()

    def _build_now(self) -> None:
        predict, self._predict = self._predict, None
        view = predict() if predict is not None else None
        if view is None:
            return
        screen = self._build(view)
        self._stack.addWidget(screen)  # hidden; parented, so polished with its styles
        screen.ensurePolished()
        self._view, self._screen = view, screen

    def take(self, view: StepView) -> JourneyScreen | None:
        """The spare, when it shows exactly ``view``; else None (and it is dropped)."""
        screen = self._screen if self._view == view else None
        if screen is None:
            self.drop()
            return None
        self._view, self._screen = None, None
        self.used += 1
        return screen

    def drop(self) -> None:
        """Forget the spare and delete its widgets; stop any build still to come."""
        self._timer.stop()
        self._predict = None
        screen, self._screen, self._view = self._screen, None, None
        if screen is not None:
            self.wasted += 1
            self._stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()
