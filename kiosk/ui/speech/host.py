"""The speech host: the child process that owns the text-to-speech engines.

Started by ``ReadAloud`` as ``python -m kiosk.ui.speech.host``; it talks to the kiosk only
through JSON lines on its stdin and stdout (``kiosk.ui.speech.service`` says why it is
a separate process). It imports no widgets of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QSocketNotifier, QTimer

#: Engines that make no sound: Qt's ``mock`` plugin is for Qt's own tests.
SILENT_ENGINES = frozenset({"mock"})
#: Within this time after ``say()`` a working engine starts speaking.
SPEAKING_START_MS = 5_000
#: QTextToSpeech's rate runs from -1 to 1; a little slower than usual suits the waiting room.
SPEECH_RATE = -0.2


def speech_budget_ms(text: str) -> int:
    """The longest a healthy engine may speak ``text`` (a slow 5 characters a second)."""
    return 10_000 + 200 * len(text)


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
    """``python -m kiosk.ui.speech.host``: the child process that owns the engines."""
    parser = argparse.ArgumentParser(prog="kiosk.ui.speech.host")
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
