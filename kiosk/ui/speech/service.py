"""Read-aloud: speak a screen's words through ``QTextToSpeech``, never at the UI's expense.

Why the engine runs in a child process, not in a thread
-------------------------------------------------------
PySide6 does not release Python's GIL while it is inside ``QTextToSpeech``'s C++ calls.
Measured here (PySide6 6.11.3, speech-dispatcher 0.11.4): creating the ``speechd``
engine in a worker thread froze the UI thread for 1.9 s, and when the speech daemon was
stuck (it is, after a run with no audio device) the constructor blocked for more than a
minute and took every Python thread of the process with it. A worker ``QThread`` cannot
protect the UI from that; a separate process can. So:

- ``ReadAloud`` (this process, UI thread) is the service the screens use. It talks to the
  engine only by writing and reading JSON lines through a ``QProcess``: nothing it does
  waits on the engine, except a bounded wait when the application quits.
- ``SpeechHost`` (the child, ``python -m kiosk.ui.speech``) imports ``QtTextToSpeech``,
  creates the engines, finds a voice for each language, says and stops. If it hangs or
  dies, the service notices through its own timers and simply reports "not available".

Anything that goes wrong (``QtTextToSpeech`` cannot be imported because ``libpulse0`` is
missing, no engine, no voice for a language, an engine error, speech that never ends
because there is no audio device, a host that does not answer) means "not available"
for that language: the button is hidden, the reason is logged once, and the patient
never sees an error. Log lines name languages and reasons, never the text spoken.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QLocale,
    QObject,
    QPointF,
    QProcess,
    QSize,
    QSocketNotifier,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QScrollArea, QWidget

from kiosk.ui.widgets import BigButton, ChoiceButton, Text, laid_out_children

log = logging.getLogger("kiosk.ui.speech")

#: How long the host may take to start its engines and report its voices. Creating the
#: speechd engine takes about 2 s when all is well; a stuck speech daemon blocks for ever.
START_TIMEOUT_MS = 30_000
#: How long the host may take to acknowledge a request to speak.
REPLY_TIMEOUT_MS = 5_000
#: How long the application waits for the host to quit before killing it.
QUIT_TIMEOUT_MS = 1_500
#: Engines that make no sound: Qt's ``mock`` plugin is for Qt's own tests.
SILENT_ENGINES = frozenset({"mock"})
#: Within this time after ``say()`` a working engine starts speaking.
SPEAKING_START_MS = 5_000
#: QTextToSpeech's rate runs from -1 to 1; a little slower than usual suits the waiting room.
SPEECH_RATE = -0.2


def speech_budget_ms(text: str) -> int:
    """The longest a healthy engine may speak ``text`` (a slow 5 characters a second)."""
    return 10_000 + 200 * len(text)


# ================================================================ the service (UI side)


class ReadAloud(QObject):
    """The read-aloud service: which languages have a voice, and speak or stop.

    ``start()`` launches the host process; until it reports its voices, and after
    anything goes wrong, ``available()`` is False for every language.

    Signals:
        availability_changed(): ``available()`` may answer differently now.
        speaking_changed(bool): speaking started (True) or ended or was stopped (False).
    """

    availability_changed = Signal()
    speaking_changed = Signal(bool)

    def __init__(
        self,
        languages: Sequence[str],
        parent: QObject | None = None,
        *,
        factory: str = "",
        start_timeout_ms: int = START_TIMEOUT_MS,
        reply_timeout_ms: int = REPLY_TIMEOUT_MS,
    ) -> None:
        """``factory`` ("module:function") replaces the real engines in the host (tests)."""
        super().__init__(parent)
        self.setObjectName("read-aloud")
        self._languages = tuple(languages)
        self._factory = factory
        self._available: frozenset[str] = frozenset()
        self._speaking = False
        self._request = 0
        self._dead = False
        self._stderr_lines = 0
        self._buffer = b""
        self._process: QProcess | None = None
        self._started_ok = False
        #: The engines that have a voice for some language ("speechd"), once reported.
        self.engines: tuple[str, ...] = ()

        self._start_timer = QTimer(self)
        self._start_timer.setObjectName("read-aloud-start")
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(start_timeout_ms)
        self._start_timer.timeout.connect(self._on_start_timeout)
        self._reply_timer = QTimer(self)
        self._reply_timer.setObjectName("read-aloud-reply")
        self._reply_timer.setSingleShot(True)
        self._reply_timer.setInterval(reply_timeout_ms)
        self._reply_timer.timeout.connect(self._on_reply_timeout)

    # ------------------------------------------------------------ public API

    def start(self) -> None:
        """Launch the host process. Returns at once; voices arrive later, or never."""
        if self._process is not None or self._dead:
            return
        process = QProcess(self)
        process.setObjectName("read-aloud-host")
        process.readyReadStandardOutput.connect(self._on_stdout)
        process.readyReadStandardError.connect(self._on_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_process_error)
        args = ["-m", "kiosk.ui.speech", "--languages", ",".join(self._languages)]
        if self._factory:
            args += ["--factory", self._factory]
        self._process = process
        self._start_timer.start()
        process.start(sys.executable, args)

    def available(self, language: str) -> bool:
        return language in self._available

    @property
    def speaking(self) -> bool:
        return self._speaking

    def speak(self, language: str, text: str) -> None:
        """Read ``text`` aloud in ``language``; stops whatever was being read."""
        if not self.available(language) or not text.strip():
            return
        self._request += 1
        self._send({"cmd": "say", "id": self._request, "language": language, "text": text})
        self._reply_timer.start()
        self._set_speaking(True)

    def stop(self) -> None:
        """Stop reading. Safe to call at any time, as often as you like."""
        self._reply_timer.stop()
        if self._speaking:
            self._send({"cmd": "stop"})
        self._set_speaking(False)

    def shutdown(self, timeout_ms: int = QUIT_TIMEOUT_MS) -> None:
        """Stop the host: ask it to quit, wait at most ``timeout_ms``, then kill it."""
        self._start_timer.stop()
        self._reply_timer.stop()
        self._dead = True
        process, self._process = self._process, None
        self._set_available(frozenset())
        self._set_speaking(False)
        if process is None:
            return
        for signal in (
            process.readyReadStandardOutput,
            process.readyReadStandardError,
            process.finished,
            process.errorOccurred,
        ):
            signal.disconnect()
        if process.state() is not QProcess.ProcessState.NotRunning:
            process.write(_line({"cmd": "quit"}))
            process.closeWriteChannel()
            # A host that never reported its voices is stuck creating an engine (a hung
            # speech daemon): it cannot read the request, so waiting would only delay quit.
            if not self._started_ok:
                timeout_ms = 0
            if not process.waitForFinished(timeout_ms):
                log.warning("read aloud: the speech host did not quit in time; killed")
                process.kill()
                process.waitForFinished(1_000)
        process.deleteLater()

    # ------------------------------------------------------------ talking to the host

    def _send(self, message: dict[str, Any]) -> None:
        process = self._process
        if process is not None and process.state() is QProcess.ProcessState.Running:
            process.write(_line(message))  # buffered by Qt: never waits for the host

    def _on_stdout(self) -> None:
        process = self._process
        if process is None:
            return
        self._buffer += bytes(process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            try:
                message = json.loads(raw)
            except ValueError:
                continue  # not ours (a library printing to stdout); ignore it
            if isinstance(message, dict):
                self._on_message(message)

    def _on_message(self, message: dict[str, Any]) -> None:
        event = message.get("event")
        if event == "voices":
            self._start_timer.stop()
            self._started_ok = True
            languages = frozenset(str(code) for code in message.get("languages", ()))
            self.engines = tuple(str(name) for name in message.get("engines", ()))
            missing = [code for code in self._languages if code not in languages]
            if message.get("reason"):
                log.info("read aloud is off: %s", message["reason"])
            elif languages:
                log.info(
                    "read aloud: voices for %s (%s)",
                    ", ".join(sorted(languages)),
                    ", ".join(self.engines),
                )
            if missing and not message.get("reason"):
                log.info("read aloud: no voice for %s", ", ".join(missing))
            self._set_available(languages)
        elif event == "state" and message.get("id") == self._request:
            self._reply_timer.stop()
            if message.get("state") == "ready":
                self._set_speaking(False)

    def _on_stderr(self) -> None:
        process = self._process
        if process is None:
            return
        text = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        # The host never writes patient text; still, keep its chatter short and quiet.
        for line in text.splitlines():
            if line.strip() and self._stderr_lines < 40:
                self._stderr_lines += 1
                log.debug("speech host: %s", line[:200])

    def _on_start_timeout(self) -> None:
        self._give_up(f"the speech engine did not start within {self._start_timer.interval()} ms")

    def _on_reply_timeout(self) -> None:
        self._give_up(f"the speech engine did not answer within {self._reply_timer.interval()} ms")

    def _on_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._give_up(f"the speech host ended (exit status {code})")

    def _on_process_error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart:
            self._give_up("the speech host could not be started")

    def _give_up(self, reason: str) -> None:
        """Read-aloud is off until the kiosk restarts; logged once."""
        if self._dead:
            return
        log.warning("read aloud is off: %s", reason)
        self.shutdown(timeout_ms=0)

    def _set_available(self, languages: frozenset[str]) -> None:
        if languages != self._available:
            self._available = languages
            self.availability_changed.emit()

    def _set_speaking(self, speaking: bool) -> None:
        if speaking != self._speaking:
            self._speaking = speaking
            self.speaking_changed.emit(speaking)


def _line(message: dict[str, Any]) -> QByteArray:
    return QByteArray(json.dumps(message).encode("ascii") + b"\n")


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
        self._service, self._language, self._words = service, language, words
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


# ================================================================ the host (child process)


#: Makes the engines: a list of objects with QTextToSpeech's methods and signals.
EngineFactory = Callable[[], list[QObject]]


def real_engines() -> list[QObject]:
    """Every installed QTextToSpeech engine that makes a sound and did not fail to load."""
    from PySide6.QtTextToSpeech import QTextToSpeech  # ImportError without libpulse0

    engines: list[QObject] = []
    for name in QTextToSpeech.availableEngines():
        if name in SILENT_ENGINES:
            continue
        engine = QTextToSpeech(name)
        if _state(engine) == "Error":
            engine.deleteLater()
            continue
        engines.append(engine)
    return engines


def _state(engine: Any) -> str:
    """An engine's state by name, so fakes need not import QtTextToSpeech."""
    state = engine.state()
    return str(getattr(state, "name", state))


class SpeechHost(QObject):
    """The child process's side: engines, voices, say and stop, and watchdogs.

    Reads JSON lines from ``read`` (via ``feed()``), writes JSON lines with ``write``.
    """

    def __init__(
        self,
        languages: Sequence[str],
        factory: EngineFactory,
        write: Callable[[dict[str, Any]], None],
    ) -> None:
        super().__init__()
        self._languages = tuple(languages)
        self._factory = factory
        self._write = write
        self._engines: list[Any] = []
        #: language -> (engine, locale, voice)
        self._voices: dict[str, tuple[Any, QLocale, Any]] = {}
        self._current: tuple[int, Any] | None = None  # (request id, engine)
        self._started_speaking = False
        self._watchdog = QTimer(self)
        self._watchdog.setObjectName("speech-watchdog")
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_watchdog)
        self._start_check = QTimer(self)
        self._start_check.setObjectName("speech-start-check")
        self._start_check.setSingleShot(True)
        self._start_check.setInterval(SPEAKING_START_MS)
        self._start_check.timeout.connect(self._on_start_check)

    def start(self) -> None:
        try:
            self._engines = list(self._factory())
        except Exception as exc:  # ImportError (libpulse0, libspeechd2), engine failures
            self._report_voices(f"the speech engine could not be loaded ({_reason(exc)})")
            return
        for engine in self._engines:
            engine.stateChanged.connect(
                lambda state, e=engine: self._on_engine_state(e, str(getattr(state, "name", state)))
            )
            engine.errorOccurred.connect(lambda *_, e=engine: self._drop(e, "engine error"))
        for engine in self._engines:
            if _state(engine) != "Ready":
                continue
            for language in self._languages:
                if language not in self._voices:
                    found = _find_voice(engine, language)
                    if found is not None:
                        self._voices[language] = (engine, *found)
        if not self._engines:
            self._report_voices("no speech engine is installed")
        else:
            self._report_voices()

    def feed(self, message: dict[str, Any]) -> bool:
        """Handle one request; False when it was the request to quit."""
        command = message.get("cmd")
        if command == "say":
            self._say(int(message.get("id", 0)), str(message.get("language")), str(message["text"]))
        elif command == "stop":
            self._stop()
        elif command == "quit":
            self._stop()
            return False
        return True

    def _say(self, request: int, language: str, text: str) -> None:
        self._stop()
        choice = self._voices.get(language)
        if choice is None:
            self._write({"event": "state", "id": request, "state": "ready"})
            return
        engine, locale, voice = choice
        engine.setLocale(locale)
        engine.setVoice(voice)
        if hasattr(engine, "setRate"):
            engine.setRate(SPEECH_RATE)
        self._current = (request, engine)
        self._started_speaking = False
        engine.say(text)
        if _state(engine) == "Speaking":
            self._started_speaking = True
        self._write({"event": "state", "id": request, "state": "speaking"})
        self._watchdog.start(speech_budget_ms(text))
        if not self._started_speaking:
            self._start_check.start()

    def _stop(self) -> None:
        self._watchdog.stop()
        self._start_check.stop()
        current, self._current = self._current, None
        if current is not None:
            current[1].stop()

    def _on_engine_state(self, engine: Any, state: str) -> None:
        current = self._current
        if current is None or current[1] is not engine:
            return
        if state == "Speaking":
            self._started_speaking = True
            self._start_check.stop()
        elif state == "Ready" and self._started_speaking:
            self._finish(current[0])
        elif state == "Error":
            self._drop(engine, "engine error while speaking")

    def _on_start_check(self) -> None:
        # speechd with no audio device accepts the text and never starts speaking.
        if self._current is not None and not self._started_speaking:
            self._drop(self._current[1], "the engine never started speaking")

    def _on_watchdog(self) -> None:
        # With no audio device the state can stay Speaking for ever.
        if self._current is not None:
            self._drop(self._current[1], "the engine kept speaking far too long")

    def _finish(self, request: int) -> None:
        self._watchdog.stop()
        self._start_check.stop()
        self._current = None
        self._write({"event": "state", "id": request, "state": "ready"})

    def _drop(self, engine: Any, reason: str) -> None:
        """This engine is broken: its languages are no longer available."""
        current = self._current
        if current is not None and current[1] is engine:
            self._stop()
            self._write({"event": "state", "id": current[0], "state": "ready"})
        before = len(self._voices)
        self._voices = {k: v for k, v in self._voices.items() if v[0] is not engine}
        if len(self._voices) != before:
            self._report_voices(reason if not self._voices else "")
            _say_problem(reason)

    def _report_voices(self, reason: str = "") -> None:
        message: dict[str, Any] = {
            "event": "voices",
            "languages": sorted(self._voices),
            "engines": sorted({_engine_name(engine) for engine, *_ in self._voices.values()}),
        }
        if reason:
            message["reason"] = reason
        self._write(message)


def _engine_name(engine: Any) -> str:
    name = engine.engine() if hasattr(engine, "engine") else ""
    return str(name or type(engine).__name__)


def _find_voice(engine: Any, language: str) -> tuple[QLocale, Any] | None:
    """A locale and voice for ``language``: its usual country first, then any."""
    wanted = QLocale(language)
    locales = [loc for loc in engine.availableLocales() if loc.language() == wanted.language()]
    locales.sort(key=lambda loc: loc.territory() != wanted.territory())
    for locale in locales:
        engine.setLocale(locale)
        voices = list(engine.availableVoices())
        if voices:
            return locale, voices[0]
    return None


def _reason(exc: BaseException) -> str:
    # Import and engine errors name libraries and engines, never patient text.
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _say_problem(reason: str) -> None:
    sys.stderr.write(f"read aloud: {reason}\n")
    sys.stderr.flush()


def _die_with_parent() -> None:
    """Linux: be killed when the kiosk dies, even while an engine call hangs."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes
            import signal

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _load_factory(spec: str) -> EngineFactory:
    module, _, name = spec.partition(":")
    factory: EngineFactory = getattr(importlib.import_module(module), name)
    return factory


def host_main(argv: Sequence[str] | None = None) -> int:
    """``python -m kiosk.ui.speech``: the child process that owns the engines."""
    parser = argparse.ArgumentParser(prog="kiosk.ui.speech")
    parser.add_argument("--languages", default="")
    parser.add_argument("--factory", default="")
    args = parser.parse_args(argv)
    _die_with_parent()
    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])

    def write(message: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    factory = _load_factory(args.factory) if args.factory else real_engines
    languages = [code for code in args.languages.split(",") if code]
    host = SpeechHost(languages, factory, write)
    buffer = b""

    def on_input() -> None:
        nonlocal buffer
        chunk = os.read(0, 65536)
        if not chunk:  # the kiosk closed our stdin: it is gone or quitting
            host.feed({"cmd": "quit"})
            app.quit()
            return
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for raw in lines:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            if isinstance(message, dict) and not host.feed(message):
                app.quit()
                return

    notifier = QSocketNotifier(0, QSocketNotifier.Type.Read)
    notifier.activated.connect(on_input)
    QTimer.singleShot(0, host.start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(host_main())
