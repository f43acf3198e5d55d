"""The kiosk window: one screen at a time, driven by the pure flow in ``kiosk.core``.

``KioskWindow`` is the only controller. It owns the patient's ``Session`` and the one
screen on show; when the patient moves on, the old screen is deleted and a new one is
built for the next step. ``reset()`` drops the session, deletes the screen and clears the
clipboard, so nothing of a patient outlives their session.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QClipboard, QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.config import Config
from kiosk.core.flow import Step, StepKind
from kiosk.core.model import Content
from kiosk.core.record import Record
from kiosk.core.session import Session
from kiosk.core.storage import Saved, SummaryWriter
from kiosk.ui.clinician import AutoPrinter, ClinicianMode, ClinicServices, StaffGesture
from kiosk.ui.idle import IdleWatcher, StillThereOverlay
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

log = logging.getLogger("kiosk.ui")

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
        self._pending: Record | None = None
        self.kiosk_mode = False

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
        self.done_timer.timeout.connect(self.reset)
        self.retry_timer = QTimer(self)
        self.retry_timer.setObjectName("save-retry")
        self.retry_timer.setInterval(SAVE_RETRY_MS)
        self.retry_timer.timeout.connect(self._on_retry)

        # The clinic's side: reached only by the staff gesture, from the welcome screen.
        self.clinic = clinic
        self.clinic_problem = clinic_problem or "The clinic's database could not be opened."
        self.gesture = StaffGesture(self)
        self.gesture.triggered.connect(self._on_staff)
        self.auto_printer = AutoPrinter(clinic, self) if clinic and config.auto_print else None
        self.maintenance = QTimer(self)
        self.maintenance.setObjectName("retention")
        self.maintenance.setInterval(3_600_000)  # hourly; purge_old only deletes what is due
        self.maintenance.timeout.connect(self._on_maintenance)
        self.maintenance.start()

        if content is None:
            self._show_broken()
            return
        self.overlay = StillThereOverlay(
            content.text("idle.title"),
            content.strings["idle.body"],
            content.text("idle.stay"),
            config.countdown_seconds,
            self,
        )
        self.overlay.stayed.connect(self._on_stayed)
        self.overlay.expired.connect(self.reset)
        self._show_welcome()

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
        screen.setFocus()
        self.screen_changed.emit(screen.objectName())

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

    def _show_welcome(self) -> None:
        assert self.content is not None
        welcome = WelcomeScreen(self.content, self.config.clinic_name)
        welcome.start_requested.connect(self._on_start)
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
            return QuestionScreen(content, session, content.question(step.id))
        if step.kind is StepKind.REVIEW:
            return ReviewScreen(content, session)
        return ConsentScreen(content, session)

    # ------------------------------------------------------------ slots

    def _on_start(self) -> None:
        assert self.content is not None
        self._session = Session(self.content, self.config.clinic_name)
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
        """Consent is signed: build and save the summary, then thank the patient."""
        self.idle.disarm()
        self._pending = session.record()
        self._save()

    def _save(self) -> None:
        record = self._pending
        assert record is not None
        assert self.content is not None
        try:
            saved = self.writer(self.content, record)
        except Exception as exc:
            # The message of an OSError can hold a path, never patient data; other errors
            # are logged by type only, in case their text quotes an answer.
            detail = str(exc) if isinstance(exc, OSError) else type(exc).__name__
            log.error("summary %s not saved (%s); will retry", record.document_id, detail)
            self._show_save_failed()
            return
        self.retry_timer.stop()
        self._pending = None
        if self.auto_printer is not None:
            self.auto_printer.submit(record.document_id)
        self.summary_saved.emit(saved)
        self._show_done(saved)

    def _show_save_failed(self) -> None:
        assert self.content is not None
        if self.current_screen is not None and self.current_screen.objectName() == "save-failed":
            return  # already showing; the retry timer keeps going
        c = self.content
        screen = MessageScreen(
            c,
            "save-failed",
            c.text("save_failed.title"),
            c.text("save_failed.body"),
            c.text("save_failed.retry"),
        )
        screen.action_requested.connect(self._on_retry)
        self._swap(screen)
        self.retry_timer.start()

    def _on_retry(self) -> None:
        if self._pending is not None:
            self._save()

    def _show_done(self, _saved: Saved) -> None:
        assert self.content is not None
        c = self.content
        # The summary is safe on disk: the session can go now, before the thank-you.
        self._session = None
        screen = MessageScreen(
            c, "done", c.text("done.title"), c.text("done.body"), c.text("done.restart")
        )
        screen.action_requested.connect(self.reset)
        self._swap(screen)
        self.done_timer.start()

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

    # ------------------------------------------------------------ erasing

    def reset(self) -> None:
        """Erase the patient: drop the session, rebuild the screens, empty the clipboard.

        A summary that is signed but not yet saved is never dropped: the kiosk stays on
        the "please tell the front desk" screen until it is saved.
        """
        if self._pending is not None:
            return
        self.done_timer.stop()
        if self.overlay is not None:
            self.overlay.stop()
        self._session = None
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
        super().closeEvent(event)
