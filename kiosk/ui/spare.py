"""The next screen, built while the patient reads the current one.

A tap on Next then only switches the stack, instead of building forty or two hundred
widgets while the patient waits (docs/performance.md, "Screen changes"). Patients read
each screen for seconds; building the likely next screen takes up to about 100 ms, a
short moment after the current one is painted.

The spare is only ever a guess: ``JourneyController.likely_next`` with the screen's
draft answer, made again each time the patient changes that answer (so a "yes" that
opens a follow-up, or the last answer before the review, is built for too). ``take``
hands it out only when the step the journey actually moved to is shown exactly as the
spare shows it (the ``StepView``s are equal: the same step, number, total, answer and
everything else); otherwise it is thrown away and the screen is built as before.

It is dropped on every other screen change, so a spare that holds patient data (the
review's answers and name) never outlives the journey: ``KioskWindow._swap`` drops it
before any new screen appears, the welcome screen after a reset included.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStackedWidget

from kiosk.app.journey import StepView
from kiosk.domain.answers import Answer
from kiosk.domain.model import Content
from kiosk.ui.screens import JourneyScreen, Screen, WelcomeScreen
from kiosk.ui.theme import TextSize

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
        self._followed: Screen | None = None
        self._guess: Callable[[Answer | None], StepView | None] | None = None
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

    def follow(self, screen: Screen, guess: Callable[[Answer | None], StepView | None]) -> None:
        """Build ``guess``'s screen for ``screen`` shortly, and again whenever the
        patient changes its answer (an answer can open a follow-up, or change the
        review): ``guess`` gets the screen's draft answer."""
        self.drop()
        self._followed, self._guess = screen, guess
        screen.changed.connect(self._on_changed)
        self._timer.start()

    def _on_changed(self) -> None:
        if self._followed is not None:
            self._timer.start()  # again from now: the patient may still be choosing

    def _build_now(self) -> None:
        screen, guess = self._followed, self._guess
        draft = screen.draft() if isinstance(screen, JourneyScreen) else None
        view = guess(draft) if screen is not None and guess is not None else None
        if view is not None and view == self._view:
            return  # the spare already shows it
        self._discard()
        if view is None:
            return
        spare = self._build(view)
        self._stack.addWidget(spare)  # hidden; parented, so polished with its styles
        spare.ensurePolished()
        self._view, self._screen = view, spare

    def take(self, view: StepView) -> JourneyScreen | None:
        """The spare, when it shows exactly ``view``; else None (and it is dropped)."""
        screen = self._screen if self._view == view else None
        if screen is None:
            self.drop()
            return None
        self._view, self._screen = None, None
        self.drop()  # stops following the screen being left
        self.used += 1
        return screen

    def drop(self) -> None:
        """Forget the spare and delete its widgets; stop any build still to come."""
        self._timer.stop()
        followed, self._followed, self._guess = self._followed, None, None
        if followed is not None:
            with contextlib.suppress(RuntimeError):  # deleted already: the window closed
                followed.changed.disconnect(self._on_changed)
        self._discard()

    def _discard(self) -> None:
        screen, self._screen, self._view = self._screen, None, None
        if screen is not None:
            self.wasted += 1
            self._stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()


class SpareStill(QObject):
    """A screen that shows nothing of any patient, built ahead for ``key``.

    ``prepare(key, build)`` builds it into ``stack`` (hidden) after a delay; ``get(key,
    build)`` hands it out when it was built for the same key (by identity, as content
    objects are compared), and otherwise builds a new one at once.
    """

    def __init__(self, stack: QStackedWidget, delay_ms: int = DELAY_MS) -> None:
        super().__init__(stack)
        self._stack = stack
        self._key: object = None
        self._build: Callable[[], Screen] | None = None
        self._screen: Screen | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._build_now)

    @property
    def pending(self) -> bool:
        """A screen is still to be built."""
        return self._timer.isActive()

    @property
    def screen(self) -> Screen | None:
        return self._screen

    def prepare(self, key: object, build: Callable[[], Screen]) -> None:
        """Build ``build()`` shortly, for ``get(key, ...)``."""
        if self._build is not None and key is self._key:
            return  # built, or to be built, already
        self.drop()
        self._key, self._build = key, build
        self._timer.start()

    def _build_now(self) -> None:
        if self._build is None:
            return
        screen = self._build()
        self._stack.addWidget(screen)  # hidden; parented, so polished with its styles
        screen.ensurePolished()
        self._screen = screen

    def get(self, key: object, build: Callable[[], Screen]) -> Screen:
        """The screen built ahead for ``key``; else ``build()`` now."""
        screen = self._screen if key is self._key else None
        self._screen = None
        self.drop()
        return screen if screen is not None else build()

    def drop(self) -> None:
        """Forget the screen built ahead, or the one still to build."""
        self._timer.stop()
        self._key, self._build = None, None
        screen, self._screen = self._screen, None
        if screen is not None:
            self._stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()


class SpareWelcome(SpareStill):
    """The next patient's welcome screen, built while the thank-you screen shows.

    "Start again" (or the thank-you screen's own timeout) then only switches the stack,
    as Next does. The welcome holds nothing of a patient: the clinic's name and content
    in the clinic's language, at the usual text size and contrast. ``get`` hands it out
    only for that same content, size and contrast, and otherwise builds a new one.
    """

    def __init__(self, stack: QStackedWidget, clinic_name: str, delay_ms: int = DELAY_MS) -> None:
        super().__init__(stack, delay_ms)
        self._clinic_name = clinic_name

    def prepare_for(
        self, shown: Content, clinics: Content | None, size: TextSize, high_contrast: bool
    ) -> None:
        """Build the next welcome shortly, when the patient leaves the kiosk as the reset
        will set it: ``shown`` is the clinic's own language (``clinics``), at the usual
        size and contrast. Otherwise the reset restyles, and the welcome is built then."""
        usual = clinics is not None and shown is clinics.for_language(clinics.language)
        if usual and size is TextSize.NORMAL and not high_contrast:
            self.prepare(shown, lambda: self._new(shown, TextSize.NORMAL.name, False))

    def welcome(self, content: Content, size: str, high_contrast: bool) -> WelcomeScreen:
        """The welcome built ahead, when it was built for exactly these; else a new one."""
        usual = size == TextSize.NORMAL.name and not high_contrast
        screen = self.get(
            content if usual else None, lambda: self._new(content, size, high_contrast)
        )
        assert isinstance(screen, WelcomeScreen)
        return screen

    def _new(self, content: Content, size: str, high_contrast: bool) -> WelcomeScreen:
        return WelcomeScreen(content, self._clinic_name, size, high_contrast)
