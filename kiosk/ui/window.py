"""The kiosk window: the stack of screens, the overlays, and the wiring to the journey.

The patient's journey lives in ``kiosk.app.journey.JourneyController`` (no Qt): the
window builds the screen for each step from the registry (``kiosk.ui.screens.registry``),
hands the screen's result to the controller on Next and shows where that leads. Saving
is ``kiosk.app.delivery``, run off the UI thread by ``kiosk.ui.saver``. When the patient
moves on, the old screen is deleted and a new one is built; ``reset()`` drops the session,
deletes the screen and clears the clipboard, so nothing of a patient outlives their session.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard, QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk.app.clinic import ClinicServices
from kiosk.app.config import Config
from kiosk.app.delivery import SummaryArchive
from kiosk.app.journey import Finished, JourneyController, Refused, StepView
from kiosk.app.printing import PrintResult
from kiosk.domain.consent import ConsentDecision
from kiosk.domain.flow import Step, StepKind
from kiosk.domain.model import Content
from kiosk.domain.record import Record
from kiosk.domain.session import Session
from kiosk.ui.announce import announce
from kiosk.ui.clinician import ClinicianMode, StaffGesture
from kiosk.ui.idle import IdleWatcher, StillThereOverlay
from kiosk.ui.saver import Saver
from kiosk.ui.screens import (
    ConsentScreen,
    JourneyScreen,
    MessageScreen,
    ReviewScreen,
    Screen,
    saving_screen,
)
from kiosk.ui.screens.registry import build_screen
from kiosk.ui.spare import SpareScreen, SpareStill, SpareWelcome
from kiosk.ui.speech import ReadAloud
from kiosk.ui.theme import TextSize, register_fonts, stylesheet

log = logging.getLogger("kiosk.ui")


class _Listening(QTimer):
    """While read-aloud speaks, pokes the idle watcher every 15 s: listening is using
    the kiosk, so "are you still there?" never interrupts a sentence (a long page read
    slowly takes minutes; the idle timeout is 90 s)."""

    def __init__(self, idle: IdleWatcher, parent: QObject) -> None:
        super().__init__(parent)
        self.idle = idle
        self.setObjectName("read-aloud-listening")
        self.setInterval(15_000)
        self.timeout.connect(idle.poke)

    def on_speaking_changed(self, speaking: bool) -> None:
        self.idle.poke()
        if speaking:
            self.start()
        else:
            self.stop()


class KioskWindow(QWidget):
    """Signals:
    screen_changed(str): the object name of the screen now showing.
    summary_saved(object): a ``Saved`` after a patient's summary was written.
    session_reset(): the session was erased and the welcome screen is back.
    announced(str): what a screen reader was told when a screen appeared.
    """

    screen_changed = Signal(str)
    announced = Signal(str)
    summary_saved = Signal(object)
    session_reset = Signal()

    def __init__(
        self,
        config: Config,
        content: Content | None,
        problems: tuple[str, ...],
        writer: SummaryArchive,
        clinic: ClinicServices | None = None,
        clinic_problem: str = "",
    ) -> None:
        super().__init__()
        self.setObjectName("kiosk-window")
        self.config = config
        self.content = content
        self.problems = problems
        #: The patient's journey; it owns the session.
        self.journey = JourneyController(config.clinic_name)
        #: Saving, spooling, the 30-second retry and the patient's copy.
        self.saver = Saver(config, writer, content, self)
        self.saver.saved.connect(self.summary_saved)
        self.saver.copy_printed.connect(self._on_copy_printed)
        self.retry_timer = self.saver.retry_timer
        # The current patient's choices; reset for the next one.
        self.language = content.language if content else "en"
        self.text_size = TextSize.NORMAL
        self.high_contrast = False
        #: The record the done screen can print the patient's copy of; dropped by reset().
        self._copy_record: Record | None = None
        self.kiosk_mode = False
        #: Read-aloud; ``run_app`` sets it once the first frame is up (``set_speech``).
        self.speech: ReadAloud | None = None

        self.setWindowTitle(content.text("app.title") if content else "Dry needling kiosk")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)
        self.spare = SpareScreen(self.stack, build_screen)  # the next screen, built ahead
        self.welcomes = SpareWelcome(self.stack, config.clinic_name)  # the next patient's
        self.saving = SpareStill(self.stack)  # "Saving your answers", built on the consent
        self.current_screen: Screen | None = None

        self.idle = IdleWatcher(config.idle_seconds, self)
        self.idle.timed_out.connect(self._on_idle_timed_out)
        self.listening = _Listening(self.idle, self)
        self.overlay: StillThereOverlay | None = None
        self.done_timer = QTimer(self)
        self.done_timer.setObjectName("done-return")
        self.done_timer.setSingleShot(True)
        self.done_timer.setInterval(config.done_seconds * 1000)
        #: The thank-you wait while the front-desk screen's longer one is in force.
        self._usual_done_ms: int | None = None
        self.done_timer.timeout.connect(self.reset)

        # The clinic's side: reached only by the staff gesture, from the welcome screen.
        self.clinic_problem = "The clinic's database could not be opened."
        self.gesture = StaffGesture(self)
        self.gesture.triggered.connect(self._on_staff)
        self.attach_clinic(clinic, clinic_problem)
        self._show_welcome()

    def attach_clinic(self, clinic: ClinicServices | None, problem: str = "") -> None:
        """The clinic's services; ``kiosk.ui.app`` opens them after the first frame."""
        if problem:
            self.clinic_problem = problem
        self.saver.attach_clinic(clinic)

    # ------------------------------------------------------------ state for tests and tools

    @property
    def session(self) -> Session | None:
        return self.journey.session

    # ------------------------------------------------------------ screens

    def _swap(self, screen: Screen) -> None:
        self.spare.drop()  # a guess that did not come true, or the journey has ended
        old = self.current_screen
        self.current_screen = screen
        if self.stack.indexOf(screen) < 0:  # a spare is in the stack already
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        if old is not None:
            self.stack.removeWidget(old)
            old.hide()
            old.deleteLater()
        self.gesture.enabled = screen.objectName() in ("welcome", "content-broken")
        # Reading stops on every move: navigation, language, idle reset, session end.
        if self.speech is not None:
            self.speech.stop()
        self._bind_read_aloud(screen)
        self.idle.watch(screen)
        words = announce(screen)
        if words:
            self.announced.emit(words)
        self.screen_changed.emit(screen.objectName())

    def set_speech(self, speech: ReadAloud) -> None:
        """Use ``speech`` for the "Read aloud" buttons, from the current screen on."""
        self.speech = speech
        speech.speaking_changed.connect(self.listening.on_speaking_changed)
        if self.current_screen is not None:
            self._bind_read_aloud(self.current_screen)

    def _bind_read_aloud(self, screen: Screen) -> None:
        if screen.read_aloud is not None:
            screen.read_aloud.bind(
                self.speech, screen.speech_language or self.language, screen.speech_text
            )

    # ------------------------------------------------------------ the patient's choices

    @property
    def patient_content(self) -> Content:
        """The content in the language the patient chose."""
        assert self.content is not None
        return self.content.for_language(self.language)

    def _apply_choices(self) -> None:
        """Language direction, text size and contrast, for every screen from now on."""
        content = self.patient_content
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if content.right_to_left
            else Qt.LayoutDirection.LeftToRight
        )
        app = QApplication.instance()
        if isinstance(app, QApplication):
            register_fonts()  # the stylesheet names them; once per process
            sheet = stylesheet(self.text_size, self.high_contrast)
            if app.styleSheet() != sheet:  # setting it again re-polishes every widget
                app.setStyleSheet(sheet)
        # The walk-away prompt speaks the patient's language too.
        if self.overlay is not None:
            self.overlay.stop()
            self.overlay.deleteLater()
        self.overlay = StillThereOverlay(
            content.text("idle.title"),
            content.strings["idle.body"],
            content.text("idle.stay"),
            self.config.countdown_seconds,
            self,
        )
        self.overlay.stayed.connect(self.idle.arm)
        self.overlay.expired.connect(self.reset)

    def _choose(
        self, language: str | None = None, size: str | None = None, contrast: bool | None = None
    ) -> None:
        """The patient chose a language, a text size or the contrast on the welcome screen."""
        if language is not None:
            self.language = language
        if size is not None:
            self.text_size = TextSize[size]
        if contrast is not None:
            self.high_contrast = contrast
        self._apply_choices()
        self._show_welcome()

    def _show_welcome(self) -> None:
        """The welcome screen; or, when the content could not be loaded, what is wrong."""
        if self.content is None:
            self._swap(
                MessageScreen(
                    None,
                    "content-broken",
                    "This kiosk is not ready",
                    "Please tell the front desk. Staff: the content files have problems, "
                    "listed below. Fix them (see docs/content-format.md) and restart the kiosk.",
                    None,
                    self.problems,
                )
            )
            return
        if self.overlay is None:
            self._apply_choices()
        welcome = self.welcomes.welcome(
            self.patient_content, self.text_size.name, self.high_contrast
        )
        welcome.start_requested.connect(
            lambda: self._show_step(self.journey.start(self.patient_content))
        )
        welcome.language_chosen.connect(lambda code: self._choose(language=code))
        welcome.size_chosen.connect(lambda name: self._choose(size=name))
        welcome.contrast_toggled.connect(lambda on: self._choose(contrast=on))
        self.idle.disarm()
        self._swap(welcome)
        self.spare.follow(welcome, lambda _: self.journey.first_view(self.patient_content))

    def _show_step(self, view: StepView) -> None:
        screen = self.spare.take(view) or build_screen(view)
        screen.next_requested.connect(self._on_next)
        screen.back_requested.connect(self._on_back)
        if isinstance(screen, ReviewScreen):
            screen.change_requested.connect(self._on_change_requested)
        self._swap(screen)
        self.idle.arm()
        self.spare.follow(screen, self.journey.likely_next)
        if isinstance(screen, ConsentScreen):
            c = self.patient_content
            self.saving.prepare(c, lambda: saving_screen(c))

    # ------------------------------------------------------------ slots

    def _on_next(self) -> None:
        screen = self.current_screen
        if not self.journey.active or not isinstance(screen, JourneyScreen):
            return
        result = screen.result()
        if result is None:
            return  # the screen says why
        outcome = self.journey.submit(result)
        if isinstance(outcome, Refused):
            screen.refused(outcome.reason)
        elif isinstance(outcome, Finished):
            self._finish(outcome.record)
        else:
            self._show_step(outcome)

    def _on_back(self) -> None:
        screen = self.current_screen
        if not self.journey.active or not isinstance(screen, JourneyScreen):
            return
        view = self.journey.back(screen.kept_on_back())
        if view is None:
            self.reset()
        else:
            self._show_step(view)

    def _on_change_requested(self, kind: str, item_id: str) -> None:
        self._show_step(self.journey.edit(Step(StepKind(kind), item_id)))

    def _on_idle_timed_out(self) -> None:
        if self.overlay is not None and self.journey.active:
            log.info(
                "no input for %d s: asking whether the patient is still there",
                self.config.idle_seconds,
            )
            self.overlay.start()

    # ------------------------------------------------------------ finishing

    def _finish(self, record: Record) -> None:
        """Consent is signed: save the summary, then thank the patient.

        If it cannot reach the output folder, it goes to the spool folder, or failing
        that stays in memory; the patient is asked, calmly, to tell the front desk, and
        every 30 s the kiosk tries again (``kiosk.app.delivery``). The session ends as
        usual: only the finished record is kept until it is saved.
        """
        self.idle.disarm()
        # "Saving" at once (saving takes 130 ms or more; a tap that seems to do nothing is
        # tapped again), painted before the worker starts: posted events hold no input.
        c = self.patient_content
        self._swap(self.saving.get(c, lambda: saving_screen(c)))
        QApplication.sendPostedEvents()
        if self.saver.save(record, off_ui_thread=True).safe:
            self._show_done(record)
            return
        self.journey.end()
        screen = MessageScreen(
            c,
            "save-failed",
            c.text("save_failed.title"),
            c.text("save_failed.body"),
            c.text("done.restart"),
        )
        screen.action_requested.connect(self.reset)
        self._swap(screen)
        # Time to hand the tablet over; start(ms) keeps the interval: remember the usual.
        if self._usual_done_ms is None:
            self._usual_done_ms = self.done_timer.interval()
        self.done_timer.start(max(30_000, self.done_timer.interval()))

    def _show_done(self, record: Record | None) -> None:
        c = self.patient_content
        # The summary is safe on disk: the session can go now, before the thank-you.
        self.journey.end()
        # A copy in the patient's own language: printed here when the clinic has said
        # which printer to use (``printer``, or ``auto_print``); otherwise the front desk
        # makes it from the saved record, and the patient is told to ask there.
        offer = record is not None and self.saver.can_print_copy
        self._copy_record = record if offer else None
        # Consent withheld: just as kind, and saying what happens next.
        decision = record.decision if record is not None else ConsentDecision.GIVEN
        title, body = ("done.title", "done.body")
        if decision.withheld:
            title, body = ("done.withheld.title", f"done.{decision.value}")
        screen = MessageScreen(
            c,
            "done",
            c.text(title),
            c.text(body),
            c.text("done.restart"),
            note="" if offer else c.text("done.ask_copy"),
            extra=c.text("done.print_copy") if offer else None,
        )
        screen.action_requested.connect(self.reset)
        screen.extra_requested.connect(self._on_print_copy)
        self._swap(screen)
        self.welcomes.prepare_for(c, self.content, self.text_size, self.high_contrast)
        if self._usual_done_ms is not None:  # after a front-desk screen's longer wait
            self.done_timer.setInterval(self._usual_done_ms)
            self._usual_done_ms = None
        self.done_timer.start()

    def _on_print_copy(self) -> None:
        """Print the patient's copy (one per patient) on a worker thread; the screen says
        how it went. The job is titled with the document id only, and the file exists
        only while ``lp`` hands it over (``PdfSummaryWriter.print_patient_copy``)."""
        record, screen = self._copy_record, self.current_screen
        if record is None or self.saver.clinic is None or not isinstance(screen, MessageScreen):
            return
        self._copy_record = None
        screen.show_note(self.patient_content.text("done.printing"))
        # The usual wait again from now, to read how it went ("Finish now" still ends
        # at once). start() without an interval: the next patient's wait stays the same.
        self.done_timer.start()
        self.saver.print_copy(record)

    def _on_copy_printed(self, result: PrintResult) -> None:
        screen = self.current_screen
        if isinstance(screen, MessageScreen):
            key = "done.printed" if result.ok else "done.print_failed"
            screen.show_note(self.patient_content.text(key))

    # ------------------------------------------------------------ clinician mode

    def _on_staff(self) -> None:
        self.idle.disarm()
        mode = ClinicianMode(self.saver.clinic, self.clinic_problem)
        mode.finished.connect(self.reset)
        mode.quit_requested.connect(self._on_quit)
        self._swap(mode)

    def _on_quit(self) -> None:
        log.info("closed from clinician mode")
        self.kiosk_mode = False
        self.close()
        QApplication.quit()

    # ------------------------------------------------------------ recovering

    def recover(self) -> None:
        """After an unexpected error: keep anything signed, erase the rest, start again.

        Called by the exception guard (``kiosk.ui.guard``). A signed record is saved
        (or kept for the 30-second retry) before the session is dropped; a signed
        session that cannot make its record is logged by ``signed_record``.
        """
        # While the worker saves this session's summary, it must not be saved twice.
        record = None if self.saver.saving else self.journey.signed_record()
        if record is not None and not self.saver.delivery.was_saved(record.document_id):
            self.saver.save(record)
        self.journey.end()
        if isinstance(self.current_screen, ClinicianMode):
            self.current_screen.sign_out()
            return
        self.done_timer.stop()
        if self.overlay is not None:
            self.overlay.stop()
        self.idle.disarm()
        if self.content is None:
            self._show_welcome()  # the staff message again
            return
        c = self.patient_content
        screen = MessageScreen(
            c, "error", c.text("error.title"), c.text("error.body"), c.text("done.restart")
        )
        screen.action_requested.connect(self.reset)
        self._swap(screen)
        self.done_timer.start(self.config.done_seconds * 1000)

    # ------------------------------------------------------------ erasing

    def reset(self) -> None:
        """Erase the patient: drop the session, rebuild the screens, empty the clipboard.

        A signed summary is never dropped here: it is saved before the session ends, or
        kept (``Delivery.unsaved``) until it can be.
        """
        self.done_timer.stop()
        if self.overlay is not None:
            self.overlay.stop()
        self.journey.end()
        self._copy_record = None
        self.saver.forget_copy()
        if self.content is not None and (
            self.language != self.content.language
            or self.text_size is not TextSize.NORMAL
            or self.high_contrast
        ):
            self.language = self.content.language
            self.text_size = TextSize.NORMAL
            self.high_contrast = False
            self._apply_choices()
        clipboard = QGuiApplication.clipboard()
        clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(QClipboard.Mode.Selection)
        self._show_welcome()
        self.session_reset.emit()

    # ------------------------------------------------------------ window events

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self.overlay is not None:
            self.overlay.setGeometry(self.rect())
        super().resizeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk_mode:
            # In the waiting room only staff may close the kiosk (from the desktop session).
            event.ignore()
            return
        self.idle.close()
        self.gesture.close()
        if self.speech is not None:
            self.speech.shutdown()  # bounded: the speech process is killed if it hangs
        super().closeEvent(event)
