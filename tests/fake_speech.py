"""Fake text-to-speech engines for tests/test_speech.py.

They have QTextToSpeech's methods and signals, and run where the real engine runs: in
the speech host process (``ReadAloud(factory="tests.fake_speech:NAME")``). Each records
what it is asked to do, one JSON line per call, in the file named by ``FAKE_SPEECH_LOG``,
so a test can check exactly which words were spoken.
"""

from __future__ import annotations

import enum
import json
import os
import time

from PySide6.QtCore import QLocale, QObject, QTimer, Signal


class State(enum.Enum):
    Ready = 0
    Speaking = 1
    Paused = 2
    Error = 3
    Synthesizing = 4


class FakeEngine(QObject):
    """Speaks for ``speak_ms``; ``say_blocks_s`` makes ``say()`` block like a stuck daemon."""

    stateChanged = Signal(object)
    errorOccurred = Signal(object, str)

    def __init__(
        self,
        locales: tuple[str, ...],
        *,
        speak_ms: int = 30_000,
        say_blocks_s: float = 0.0,
        never_ends: bool = False,
    ) -> None:
        super().__init__()
        self._locales = [QLocale(name) for name in locales]
        self._locale = QLocale("C")
        self._voice = ""
        self._state = State.Ready
        self._speak_ms = speak_ms
        self._say_blocks_s = say_blocks_s
        self._never_ends = never_ends
        self._done = QTimer(self)
        self._done.setSingleShot(True)
        self._done.timeout.connect(self._on_done)

    def engine(self) -> str:
        return "fake"

    def state(self) -> State:
        return self._state

    def availableLocales(self) -> list[QLocale]:
        return list(self._locales)

    def setLocale(self, locale: QLocale) -> None:
        self._locale = locale

    def availableVoices(self) -> list[str]:
        names = [loc.name() for loc in self._locales]
        return [f"voice-{self._locale.name()}"] if self._locale.name() in names else []

    def setVoice(self, voice: str) -> None:
        self._voice = voice

    def say(self, text: str) -> None:
        _record("say", text=text, locale=self._locale.name(), voice=self._voice)
        if self._say_blocks_s:
            time.sleep(self._say_blocks_s)
        self._set_state(State.Speaking)
        if not self._never_ends:
            self._done.start(self._speak_ms)

    def stop(self) -> None:
        _record("stop")
        self._done.stop()
        self._set_state(State.Ready)

    def _on_done(self) -> None:
        _record("done")
        self._set_state(State.Ready)

    def _set_state(self, state: State) -> None:
        if state is not self._state:
            self._state = state
            self.stateChanged.emit(state)


def _record(call: str, **details: str) -> None:
    path = os.environ.get("FAKE_SPEECH_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"call": call, **details}) + "\n")


# ---------------------------------------------------------------- factories


def english_and_spanish() -> list[QObject]:
    """Voices for en and es, none for ar."""
    return [FakeEngine(("en_US", "es_ES"))]


def all_languages() -> list[QObject]:
    return [FakeEngine(("en_GB", "en_US", "es_ES", "ar_EG"))]


def quick() -> list[QObject]:
    """Finishes speaking after 0.2 s."""
    return [FakeEngine(("en_US", "es_ES", "ar_EG"), speak_ms=200)]


def say_blocks() -> list[QObject]:
    """``say()`` blocks for 3 s (a slow daemon), then speaks briefly."""
    return [FakeEngine(("en_US",), speak_ms=200, say_blocks_s=3.0)]


def say_hangs() -> list[QObject]:
    """``say()`` never returns (a stuck daemon)."""
    return [FakeEngine(("en_US",), say_blocks_s=3600.0)]


def never_ends() -> list[QObject]:
    """Starts speaking and stays in Speaking for ever (no audio device)."""
    return [FakeEngine(("en_US",), never_ends=True)]


def start_hangs() -> list[QObject]:
    """Creating the engine never returns (speech-dispatcher stuck)."""
    time.sleep(3600)
    return []


def no_engines() -> list[QObject]:
    return []


def import_fails() -> list[QObject]:
    """What this machine does without libpulse0."""
    raise ImportError("libpulse.so.0: cannot open shared object file: No such file or directory")
