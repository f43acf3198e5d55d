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
- ``SpeechHost`` (the child, ``python -m kiosk.ui.speech.host``) imports ``QtTextToSpeech``,
  creates the engines, finds a voice for each language, says and stops. If it hangs or
  dies, the service notices through its own timers and simply reports "not available".

Anything that goes wrong (``QtTextToSpeech`` cannot be imported because ``libpulse0`` is
missing, no engine, no voice for a language, an engine error, speech that never ends
because there is no audio device, a host that does not answer) means "not available"
for that language: the button is hidden, the reason is logged once, and the patient
never sees an error. Log lines name languages and reasons, never the text spoken.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QObject,
    QProcess,
    QTimer,
    Signal,
)

log = logging.getLogger("kiosk.ui.speech")

#: How long the host may take to start its engines and report its voices. Creating the
#: speechd engine takes about 2 s when all is well; a stuck speech daemon blocks for ever.
START_TIMEOUT_MS = 30_000
#: How long the host may take to acknowledge a request to speak.
REPLY_TIMEOUT_MS = 5_000
#: How long the application waits for the host to quit before killing it.
QUIT_TIMEOUT_MS = 1_500

#: The first argument that makes the kiosk's own program the speech host
#: (``kiosk/__main__.py``, the frozen entry point, hands the rest to ``host_main``).
HOST_ARGUMENT = "speech-host"


def host_command(languages: Sequence[str], factory: str = "") -> tuple[str, list[str]]:
    """The program and arguments that start the speech host.

    From a checkout or a wheel, ``sys.executable`` is Python and the host is a module
    (``python -m kiosk.ui.speech.host``). In a frozen build (PyInstaller,
    ``sys.frozen``) ``sys.executable`` is the kiosk itself and knows no ``-m``, so the
    kiosk's own program is started with ``speech-host`` as its first argument.
    """
    args = ["--languages", ",".join(languages)]
    if factory:
        args += ["--factory", factory]
    if getattr(sys, "frozen", False):
        return sys.executable, [HOST_ARGUMENT, *args]
    return sys.executable, ["-m", "kiosk.ui.speech.host", *args]


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
        program, args = host_command(self._languages, self._factory)
        self._process = process
        self._start_timer.start()
        process.start(program, args)

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
