"""The kiosk window: one screen at a time, driven by the pure flow in ``kiosk.core``.

``KioskWindow`` is the only controller. It owns the patient's ``Session`` and the one
screen on show; when the patient moves on, the old screen is deleted and a new one is
built for the next step. ``reset()`` drops the session, deletes the screen and clears the
clipboard, so nothing of a patient outlives their session.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard, QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk.clinic.printing import PrintResult
from kiosk.core.config import Config
from kiosk.core.flow import Step, StepKind
from kiosk.core.model import Content, QuestionType
from kiosk.core.record import Record
from kiosk.core.session import Session
from kiosk.core.storage import Saved, SummaryWriter
from kiosk.ui.bodymap import BodyMapScreen
from kiosk.ui.clinician import AutoPrinter, ClinicianMode, ClinicServices, StaffGesture
from kiosk.ui.idle import IdleWatcher, StillThereOverlay
from kiosk.ui.scale import ScaleScreen
from kiosk.ui.screens import (
    CheckScreen,
    ConsentScreen,
    EducationScreen,
    IdentityScreen,
    JourneyScreen,
    MessageScreen,
    QuestionScreen,
    ReviewScreen,
    Screen,
    WelcomeScreen,
)
from kiosk.ui.speech import ReadAloud
from kiosk.ui.theme import TextSize, register_fonts, stylesheet

log = logging.getLogger("kiosk.ui")


class _SaveDone(QObject):
    """Tells the UI thread (queued) that the worker has finished writing."""

    done = Signal()


class _CopyPrinted(QObject):
    """Carries the patient's-copy print result (token, ``PrintResult``) to the UI thread."""

    done = Signal(object, object)


#: How often a summary that could not be saved is tried again, in milliseconds.
SAVE_RETRY_MS = 30_000


class KioskWindow(QWidget):
    """Signals:
    screen_changed(str): the object name of the screen now showing.
    summary_saved(object): a ``Saved`` after a patient's summary was written.
    session_reset(): the session was erased and the welcome screen is back.
    """

    screen_changed = Signal(str)
    summary_saved = Signal(object)
    session_reset = Signal()

    def __init__(
        self,
        config: Config,
        content: Content | None,
        problems: tuple[str, ...],
        writer: SummaryWriter,
        clinic: ClinicServices | None = None,
        clinic_problem: str = "",
    ) -> None:
        super().__init__()
        self.setObjectName("kiosk-window")
        self.config = config
        self.content = content
        self.problems = problems
        self.writer = writer
        self._session: Session | None = None
        # The current patient's choices; reset for the next one.
        self.language = content.language if content else "en"
        self.text_size = TextSize.NORMAL
        self.high_contrast = False
        #: Signed records that could not be saved anywhere yet; retried every 30 s.
        self._unsaved: list[Record] = []
        self.save_problem = ""
        self._saved_documents: list[str] = []
        self._saving = False  # a summary is being written on the worker thread
        #: The record the done screen can print the patient's copy of; dropped by reset().
        self._copy_record: Record | None = None
        self._copy_token: object | None = None  # which patient a print result is for
        self._copy_relay = _CopyPrinted(self)
        self._copy_relay.done.connect(self._on_copy_printed)
        self.kiosk_mode = False
        #: Read-aloud; ``run_app`` sets it once the first frame is up (``set_speech``).
        self.speech: ReadAloud | None = None

        self.setWindowTitle(content.text("app.title") if content else "Dry needling kiosk")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)
        self.current_screen: Screen | None = None

        self.idle = IdleWatcher(config.idle_seconds, self)
        self.idle.timed_out.connect(self._on_idle_timed_out)
        self.overlay: StillThereOverlay | None = None
        self.done_timer = QTimer(self)
        self.done_timer.setObjectName("done-return")
        self.done_timer.setSingleShot(True)
        self.done_timer.setInterval(config.done_seconds * 1000)
        #: The thank-you wait while the front-desk screen's longer one is in force.
        self._usual_done_ms: int | None = None
        self.done_timer.timeout.connect(self.reset)
        self.retry_timer = QTimer(self)
        self.retry_timer.setObjectName("save-retry")
        self.retry_timer.setSingleShot(False)
        self.retry_timer.setInterval(SAVE_RETRY_MS)
        self.retry_timer.timeout.connect(self._on_retry)

        # The clinic's side: reached only by the staff gesture, from the welcome screen.
        self.clinic: ClinicServices | None = None
        self.clinic_problem = "The clinic's database could not be opened."
        self.gesture = StaffGesture(self)
        self.gesture.triggered.connect(self._on_staff)
        self.auto_printer: AutoPrinter | None = None
        self.attach_clinic(clinic, clinic_problem)
        self.maintenance = QTimer(self)
        self.maintenance.setObjectName("retention")
        self.maintenance.setInterval(3_600_000)  # hourly; purge_old only deletes what is due
        self.maintenance.timeout.connect(self._on_maintenance)
        self.maintenance.start()

        if content is None:
            self._show_broken()
            return
        self._show_welcome()

    def attach_clinic(self, clinic: ClinicServices | None, problem: str = "") -> None:
        """The clinic's services; ``kiosk.ui.app`` opens them after the first frame."""
        self.clinic = clinic
        if problem:
            self.clinic_problem = problem
        if clinic is not None:
            clinic.backlog = self.backlog
            if self.config.auto_print and self.auto_printer is None:
                self.auto_printer = AutoPrinter(clinic, self)

    # ------------------------------------------------------------ state for tests and tools

    @property
    def session(self) -> Session | None:
        return self._session

    # ------------------------------------------------------------ screens

    def _swap(self, screen: Screen) -> None:
        old = self.current_screen
        self.current_screen = screen
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
        screen.setFocus()
        self.screen_changed.emit(screen.objectName())

    def set_speech(self, speech: ReadAloud) -> None:
        """Use ``speech`` for the "Read aloud" buttons, from the current screen on."""
        self.speech = speech
        # Listening is using the kiosk: don't ask "are you still there?" mid-sentence
        # (a long page read slowly takes minutes; the idle timeout is 90 s).
        self.listening = QTimer(self)
        self.listening.setObjectName("read-aloud-listening")
        self.listening.setInterval(15_000)
        self.listening.timeout.connect(self.idle.poke)
        speech.speaking_changed.connect(self._on_speaking_changed)
        if self.current_screen is not None:
            self._bind_read_aloud(self.current_screen)

    def _on_speaking_changed(self, speaking: bool) -> None:
        self.idle.poke()
        if speaking:
            self.listening.start()
        else:
            self.listening.stop()

    def _bind_read_aloud(self, screen: QWidget) -> None:
        button = getattr(screen, "read_aloud", None)
        if button is not None and isinstance(screen, Screen):
            button.bind(self.speech, screen.speech_language or self.language, screen.speech_text)

    def _show_broken(self) -> None:
        screen = MessageScreen(
            None,
            "content-broken",
            "This kiosk is not ready",
            "Please tell the front desk. Staff: the content files have problems, listed below. "
            "Fix them (see docs/content-format.md) and restart the kiosk.",
            None,
            self.problems,
        )
        self._swap(screen)

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
        self.overlay.stayed.connect(self._on_stayed)
        self.overlay.expired.connect(self.reset)

    def _on_language(self, code: str) -> None:
        self.language = code
        self._apply_choices()
        self._show_welcome()

    def _on_size(self, name: str) -> None:
        self.text_size = TextSize[name]
        self._apply_choices()
        self._show_welcome()

    def _on_contrast(self, on: bool) -> None:
        self.high_contrast = on
        self._apply_choices()
        self._show_welcome()

    def _show_welcome(self) -> None:
        assert self.content is not None
        if self.overlay is None:
            self._apply_choices()
        welcome = WelcomeScreen(
            self.patient_content, self.config.clinic_name, self.text_size.name, self.high_contrast
        )
        welcome.start_requested.connect(self._on_start)
        welcome.language_chosen.connect(self._on_language)
        welcome.size_chosen.connect(self._on_size)
        welcome.contrast_toggled.connect(self._on_contrast)
        self.idle.disarm()
        self._swap(welcome)

    def _show_step(self) -> None:
        session = self._session
        assert session is not None
        assert self.content is not None
        step = session.flow.current
        screen = self._build(step, session)
        screen.next_requested.connect(self._on_next)
        screen.back_requested.connect(self._on_back)
        if isinstance(screen, ReviewScreen):
            screen.change_requested.connect(self._on_change_requested)
        self._swap(screen)
        self.idle.arm()

    def _build(self, step: Step, session: Session) -> JourneyScreen:
        content = session.content
        if step.kind is StepKind.EDUCATION:
            page = next(p for p in content.education if p.id == step.id)
            return EducationScreen(content, session, page)
        if step.kind is StepKind.CHECK:
            statement = next(s for s in content.statements if s.id == step.id)
            return CheckScreen(content, session, statement)
        if step.kind is StepKind.IDENTITY:
            return IdentityScreen(content, session)
        if step.kind is StepKind.QUESTION:
            question = content.question(step.id)
            if question.type is QuestionType.BODY_MAP:
                return BodyMapScreen(content, session, question)
            if question.type is QuestionType.SCALE:
                return ScaleScreen(content, session, question)
            return QuestionScreen(content, session, question)
        if step.kind is StepKind.REVIEW:
            return ReviewScreen(content, session)
        return ConsentScreen(content, session)

    # ------------------------------------------------------------ slots

    def _on_start(self) -> None:
        assert self.content is not None
        self._session = Session(self.patient_content, self.config.clinic_name)
        self._show_step()

    def _on_next(self) -> None:
        screen, session = self.current_screen, self._session
        if screen is None or session is None or not screen.commit():
            return
        if session.flow.current.kind is StepKind.CONSENT:
            self._finish(session)
            return
        session.flow.advance()
        self._show_step()

    def _on_back(self) -> None:
        session = self._session
        if session is None:
            return
        if session.flow.is_first and not session.flow.editing:
            self.reset()
            return
        session.flow.back()
        self._show_step()

    def _on_change_requested(self, kind: str, item_id: str) -> None:
        assert self._session is not None
        self._session.flow.edit(Step(StepKind(kind), item_id))
        self._show_step()

    def _on_idle_timed_out(self) -> None:
        if self.overlay is not None and self._session is not None:
            log.info(
                "no input for %d s: asking whether the patient is still there",
                self.config.idle_seconds,
            )
            self.overlay.start()

    def _on_stayed(self) -> None:
        self.idle.arm()

    # ------------------------------------------------------------ finishing

    def _finish(self, session: Session) -> None:
        """Consent is signed: save the summary, then thank the patient.

        If it cannot reach the output folder, it goes to the spool folder, or failing
        that stays in memory; either way the patient is asked, calmly, to tell the
        front desk, the kiosk carries on, and every 30 s it tries again. The patient's
        session ends as usual: only the finished record is kept until it is saved.
        """
        self.idle.disarm()
        record = session.record()
        saved = self._try_save(record, off_ui_thread=True)
        if saved is None:
            self._unsaved.append(record)
        if saved is None or self._is_spooled(saved):
            self.retry_timer.start()
            self._show_front_desk()
        else:
            self._show_done(saved, record)

    def _try_save(self, record: Record, off_ui_thread: bool = False) -> Saved | None:
        assert self.content is not None
        try:
            if off_ui_thread:
                saved = self._write_off_ui_thread(record)
            else:
                saved = self.writer(self.content, record)
        except Exception as exc:
            # An OSError's message holds a path, never patient data; other errors are
            # logged by type only, in case their text quotes an answer.
            detail = str(exc) if isinstance(exc, OSError) else type(exc).__name__
            log.error(
                "summary %s not saved (%s); kept in memory, will retry", record.document_id, detail
            )
            self.save_problem = detail
            return None
        self._saved_documents.append(record.document_id)
        del self._saved_documents[:-20]  # only recent ones matter, and ids are not personal
        if self.auto_printer is not None and not self._is_spooled(saved):
            self.auto_printer.submit(record.document_id)
        self.summary_saved.emit(saved)
        return saved

    def _write_off_ui_thread(self, record: Record) -> Saved:
        """The writer (building the PDF takes about 50 ms) on a worker thread.

        The UI thread waits in a local event loop that keeps painting and running timers
        but holds back input, so the kiosk never freezes and a second tap on Next cannot
        finish twice; input that arrives meanwhile is delivered afterwards, as it was
        when the UI thread built the PDF itself. Errors are raised here, as before.
        """
        assert self.content is not None
        content, writer = self.content, self.writer
        outcome: list[Saved | BaseException] = []
        loop = QEventLoop()
        relay = _SaveDone()
        relay.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

        def work() -> None:
            try:
                outcome.append(writer(content, record))
            except BaseException as exc:  # raised again on the UI thread
                outcome.append(exc)
            relay.done.emit()

        worker = threading.Thread(target=work, name="save-summary")
        self._saving = True
        try:
            worker.start()
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            worker.join()
            self._saving = False
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def _is_spooled(self, saved: Saved) -> bool:
        is_spooled = getattr(self.writer, "is_spooled", None)
        return bool(is_spooled(saved)) if callable(is_spooled) else False

    def _show_front_desk(self) -> None:
        assert self.content is not None
        c = self.patient_content
        self._session = None
        screen = MessageScreen(
            c,
            "save-failed",
            c.text("save_failed.title"),
            c.text("save_failed.body"),
            c.text("done.restart"),
        )
        screen.action_requested.connect(self.reset)
        self._swap(screen)
        # Long enough for the patient to hand the tablet over, then ready for the next.
        # start(ms) keeps the new interval: remember the usual one for the next patient.
        if self._usual_done_ms is None:
            self._usual_done_ms = self.done_timer.interval()
        self.done_timer.start(max(30_000, self.done_timer.interval()))

    def _on_retry(self) -> None:
        """Every 30 s while anything is waiting: save what is in memory, move the spool."""
        if self._saving:  # a patient's summary is being saved right now; next time
            return
        for record in list(self._unsaved):
            saved = self._try_save(record)
            if saved is not None:
                self._unsaved.remove(record)
        move = getattr(self.writer, "move_spooled", None)
        if callable(move):
            move()
        if not self._unsaved and not self._spooled_count():
            self.save_problem = ""
            self.retry_timer.stop()

    def _spooled_count(self) -> int:
        spooled = getattr(self.writer, "spooled", None)
        return len(spooled()) if callable(spooled) else 0

    def backlog(self) -> str:
        """For clinician mode: what is not yet in the output folder, and why."""
        in_memory, spooled = len(self._unsaved), self._spooled_count()
        if not in_memory and not spooled:
            return ""
        problem = getattr(self.writer, "problem", "") or self.save_problem
        parts = []
        if spooled:
            parts.append(f"{spooled} in the spool folder")
        if in_memory:
            parts.append(f"{in_memory} only in memory (do not close the kiosk)")
        return (
            f"Summaries not yet in the output folder: {', '.join(parts)}. "
            f"Tried again every 30 seconds. Reason: {problem or 'unknown'}"
        )

    def _show_done(self, _saved: Saved, record: Record | None = None) -> None:
        assert self.content is not None
        c = self.patient_content
        # The summary is safe on disk: the session can go now, before the thank-you.
        self._session = None
        # A copy in the patient's own language: printed here when the clinic has said
        # which printer to use (``printer``, or ``auto_print``); otherwise the front desk
        # makes it from the saved record, and the patient is told to ask there.
        offer = record is not None and self._can_print_copy()
        self._copy_record = record if offer else None
        screen = MessageScreen(
            c,
            "done",
            c.text("done.title"),
            c.text("done.body"),
            c.text("done.restart"),
            note="" if offer else c.text("done.ask_copy"),
            extra=c.text("done.print_copy") if offer else None,
        )
        screen.action_requested.connect(self.reset)
        screen.extra_requested.connect(self._on_print_copy)
        self._swap(screen)
        if self._usual_done_ms is not None:  # after a front-desk screen's longer wait
            self.done_timer.setInterval(self._usual_done_ms)
            self._usual_done_ms = None
        self.done_timer.start()

    def _can_print_copy(self) -> bool:
        wanted = bool(self.config.printer) or self.config.auto_print
        return wanted and self.clinic is not None and hasattr(self.writer, "print_patient_copy")

    def _on_print_copy(self) -> None:
        """Build and print the patient's copy on a worker thread; the screen says how it went.

        One copy per patient. The job is titled with the document id only, and the
        file exists only while ``lp`` hands it over (``PdfSummaryWriter.print_patient_copy``).
        """
        record, clinic, screen = self._copy_record, self.clinic, self.current_screen
        if record is None or clinic is None or not isinstance(screen, MessageScreen):
            return
        assert self.content is not None
        self._copy_record = None
        screen.show_note(self.patient_content.text("done.printing"))
        # The usual wait again from now, to read how it went ("Finish now" still ends
        # at once). start() without an interval: the next patient's wait stays the same.
        self.done_timer.start()
        token = self._copy_token = object()
        content, relay = self.content, self._copy_relay
        print_copy = getattr(self.writer, "print_patient_copy", None)
        send = _copy_printer(clinic)

        def work() -> None:
            try:
                assert callable(print_copy)
                result: PrintResult = print_copy(content, record, send)
            except Exception as exc:  # never raw to the patient; logged by type only
                result = PrintResult(False, f"the copy failed ({type(exc).__name__})", None)
            relay.done.emit(token, (record.document_id, result))

        threading.Thread(target=work, name="print-copy", daemon=True).start()

    def _on_copy_printed(self, token: object, outcome: tuple[str, PrintResult]) -> None:
        document_id, result = outcome
        # Logged, not audited: the copy adds nothing to the record and is never kept.
        if result.ok:
            log.info("patient's copy of %s sent to the printer", document_id)
        else:
            log.warning("patient's copy of %s not printed: %s", document_id, result.message)
        screen = self.current_screen
        if token is not self._copy_token or not isinstance(screen, MessageScreen):
            return  # that patient has gone; the next one must not see it
        self._copy_token = None
        key = "done.printed" if result.ok else "done.print_failed"
        screen.show_note(self.patient_content.text(key))

    # ------------------------------------------------------------ clinician mode

    def _on_staff(self) -> None:
        self.idle.disarm()
        mode = ClinicianMode(self.clinic, self.clinic_problem)
        mode.finished.connect(self._on_clinician_done)
        mode.quit_requested.connect(self._on_quit)
        self._swap(mode)

    def _on_clinician_done(self) -> None:
        if self.content is None:
            self._show_broken()
        else:
            self.reset()

    def _on_quit(self) -> None:
        log.info("closed from clinician mode")
        self.kiosk_mode = False
        self.close()
        QApplication.quit()

    def _on_maintenance(self) -> None:
        if self.clinic is not None:
            try:
                self.clinic.purge_old()
            except OSError as exc:
                log.error("retention: could not delete old summaries (%s)", exc.strerror)

    # ------------------------------------------------------------ recovering

    def recover(self) -> None:
        """After an unexpected error: keep anything signed, erase the rest, start again.

        Called by the exception guard (``kiosk.ui.guard``). A signed record is saved
        (or kept for the 30-second retry) before the session is dropped.
        """
        session = self._session
        # While the worker saves this session's summary, it must not be saved twice.
        if session is not None and session.signature_png is not None and not self._saving:
            try:
                record = session.record()
            except Exception:
                record = None
            unsaved = record is not None and record.document_id not in self._saved_documents
            if record is not None and unsaved and self._try_save(record) is None:
                self._unsaved.append(record)
                self.retry_timer.start()
        self._session = None
        if isinstance(self.current_screen, ClinicianMode):
            self.current_screen.sign_out()
            return
        if self.content is None:
            self._show_broken()
            return
        self.done_timer.stop()
        if self.overlay is not None:
            self.overlay.stop()
        self.idle.disarm()
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
        kept (``_unsaved``) until it can be.
        """
        self.done_timer.stop()
        if self.overlay is not None:
            self.overlay.stop()
        self._session = None
        self._copy_record = None
        self._copy_token = None
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


def _copy_printer(clinic: ClinicServices) -> Callable[[Path, str], PrintResult]:
    """How the patient's copy reaches the clinic's printer: straight to it, never
    through the decrypting path of ``ClinicServices.send_to_printer`` (the copy is
    never encrypted, as it is never saved)."""
    return clinic.print_plain
