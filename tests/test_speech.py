"""Read-aloud: hidden without a voice, speaks the screen in the patient's language, stops
on every move, and never blocks or hangs the UI (kiosk.ui.speech).

Fake engines (tests/fake_speech.py) run where the real one runs, in the speech host
process; each call they get is written to a file, so these tests see what was spoken.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import itertools
import json
import logging
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QProcess, QTimer
from PySide6.QtWidgets import QAbstractButton

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, tap, tap_next, walk_to_consent
from kiosk.ui.app import create_window
from kiosk.ui.screens import (
    EducationScreen,
    JourneyScreen,
    MessageScreen,
    QuestionScreen,
    ReviewScreen,
    Screen,
)
from kiosk.ui.speech import (
    REPLY_TIMEOUT_MS,
    START_TIMEOUT_MS,
    ReadAloud,
    ReadAloudButton,
)
from kiosk.ui.speech import host as speech_host
from kiosk.ui.speech.host import SpeechHost
from kiosk.ui.window import KioskWindow
from tests import fake_speech

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "es", "ar")


@pytest.fixture
def spoken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the fake engines write their calls to; the host can import ``tests``."""
    path = tmp_path / "spoken.jsonl"
    monkeypatch.setenv("FAKE_SPEECH_LOG", str(path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return path


def calls(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def services() -> Iterator[list[ReadAloud]]:
    made: list[ReadAloud] = []
    yield made
    for service in made:
        service.shutdown()


def make_service(
    services: list[ReadAloud],
    factory: str,
    start_timeout_ms: int = START_TIMEOUT_MS,
    reply_timeout_ms: int = REPLY_TIMEOUT_MS,
) -> ReadAloud:
    service = ReadAloud(
        LANGUAGES,
        factory=f"tests.fake_speech:{factory}",
        start_timeout_ms=start_timeout_ms,
        reply_timeout_ms=reply_timeout_ms,
    )
    services.append(service)
    service.start()
    return service


def speaking(service: ReadAloud) -> bool:
    """Read afresh each time (a plain attribute read would be narrowed by mypy)."""
    return service.speaking


def make_window(qtbot, config: Config, content: Content) -> KioskWindow:
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def button(win: KioskWindow) -> ReadAloudButton:
    screen = current(win)
    assert isinstance(screen, Screen)
    assert screen.read_aloud is not None, f"{screen.objectName()} has no Read aloud button"
    return screen.read_aloud


def choose_language(win: KioskWindow, code: str) -> None:
    found = current(win).findChild(QAbstractButton, f"language-{code}")
    assert found is not None
    tap(found)


# ---------------------------------------------------------------- no engine


def test_without_an_engine_the_button_is_hidden_on_every_screen(
    qtbot, config: Config, content: Content
) -> None:
    """The real situation on a machine with no speech engine: nothing to show, no hang."""
    win = make_window(qtbot, config, content)
    seen: list[str] = []

    def check(screen: Any) -> None:
        assert isinstance(screen, Screen)
        assert screen.read_aloud is not None, screen.objectName()
        assert screen.read_aloud.isHidden(), screen.objectName()
        seen.append(screen.objectName())

    check(current(win))
    walk_to_consent(win, "Ada Example", ("5", "6", "1970"), {}, on_screen=check)
    assert "identity" in seen
    assert "consent" in seen


@pytest.mark.parametrize(
    ("factory", "reason"),
    [
        ("import_fails", "libpulse.so.0"),  # what this machine does without libpulse0
        ("no_engines", "no speech engine"),
    ],
)
def test_an_engine_that_cannot_load_means_no_button_and_one_log_line(
    qtbot,
    config: Config,
    content: Content,
    spoken: Path,
    services: list[ReadAloud],
    caplog: pytest.LogCaptureFixture,
    factory: str,
    reason: str,
) -> None:
    win = make_window(qtbot, config, content)
    caplog.set_level(logging.INFO, logger="kiosk.ui.speech")
    service = make_service(services, factory)
    win.set_speech(service)
    qtbot.waitUntil(lambda: "read aloud is off" in caplog.text, timeout=10_000)
    assert button(win).isHidden()
    assert not any(service.available(code) for code in LANGUAGES)
    off = [r for r in caplog.records if "read aloud is off" in r.getMessage()]
    assert len(off) == 1
    assert reason in off[0].getMessage()
    tap(current(win).findChild(QAbstractButton, "start"))  # type: ignore[arg-type]
    assert button(win).isHidden()


def test_an_engine_that_never_starts_hides_the_button_and_quits_in_bounded_time(
    qtbot, spoken: Path, services: list[ReadAloud], caplog: pytest.LogCaptureFixture
) -> None:
    """speech-dispatcher stuck from an earlier run: creating the engine never returns."""
    service = make_service(services, "start_hangs", start_timeout_ms=1_500)
    ticks: list[float] = []
    ticker = QTimer()
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start()
    qtbot.waitUntil(lambda: "did not start" in caplog.text, timeout=5_000)
    ticker.stop()
    assert not service.available("en")
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.5
    began = time.monotonic()
    service.shutdown()
    assert time.monotonic() - began < 2.5


# ---------------------------------------------------------------- with a voice


def test_the_button_shows_only_for_a_language_with_a_voice(
    qtbot, config: Config, content: Content, spoken: Path, services: list[ReadAloud]
) -> None:
    win = make_window(qtbot, config, content)
    win.set_speech(make_service(services, "english_and_spanish"))
    qtbot.waitUntil(lambda: button(win).isVisible(), timeout=10_000)
    assert button(win).accessibleName() == content.text("read_aloud.start")
    assert button(win).accessibleDescription()
    assert button(win).width() >= 64
    assert button(win).height() >= 64
    choose_language(win, "ar")  # no Arabic voice in this engine
    assert button(win).isHidden()
    choose_language(win, "es")
    assert button(win).isVisible()
    assert button(win).text() == content.for_language("es").text("read_aloud.start")
    tap(current(win).findChild(QAbstractButton, "start"))  # type: ignore[arg-type]
    assert button(win).isVisible()  # in the header of the journey's first screen


@pytest.mark.parametrize("code", ["es", "ar"])
def test_it_reads_the_screens_title_and_text_in_the_chosen_language(
    qtbot,
    config: Config,
    content: Content,
    spoken: Path,
    services: list[ReadAloud],
    code: str,
) -> None:
    win = make_window(qtbot, config, content)
    win.set_speech(make_service(services, "all_languages"))
    choose_language(win, code)
    patient = content.for_language(code)
    qtbot.waitUntil(lambda: button(win).isVisible(), timeout=10_000)
    tap(button(win))
    qtbot.waitUntil(lambda: any(c["call"] == "say" for c in calls(spoken)), timeout=5_000)
    said = calls(spoken)[-1]
    assert said["locale"] == {"es": "es_ES", "ar": "ar_EG"}[code]
    for key in ("welcome.title", "welcome.body", "app.title"):
        assert " ".join(patient.text(key).split()) in said["text"]
    assert said["text"] == current(win).speech_text()  # type: ignore[attr-defined]
    assert button(win).text() == patient.text("read_aloud.stop")

    # The journey's screens: the part title, the page's own title and its text.
    tap(current(win).findChild(QAbstractButton, "start"))  # type: ignore[arg-type]
    screen = current(win)
    tap(button(win))
    qtbot.waitUntil(
        lambda: len([c for c in calls(spoken) if c["call"] == "say"]) == 2, timeout=5_000
    )
    said = calls(spoken)[-1]
    assert isinstance(screen, Screen)
    text = screen.speech_text()
    assert said["text"] == text
    assert isinstance(screen, JourneyScreen)
    assert screen.step_label.text() not in text  # "Step 1 of 20" is not read
    assert patient.text("nav.back") not in text
    assert isinstance(screen, EducationScreen)
    assert screen.page.title in text
    if screen.page.id in patient.fallback_pages:
        # Shown in the clinic's language, so read in it, without the patient-language lines.
        assert said["locale"].startswith(content.language)
        assert patient.text("language.fallback_note") not in text
        assert screen.part_label.text() not in text
    else:
        assert said["locale"] == {"es": "es_ES", "ar": "ar_EG"}[code]
        assert text.startswith(screen.part_label.text())


def test_a_question_is_read_with_its_options_and_not_its_buttons(
    qtbot, config: Config, content: Content
) -> None:
    win = make_window(qtbot, config, content)
    found: list[QuestionScreen] = []

    def look(screen: Any) -> None:
        if isinstance(screen, QuestionScreen) and not found:
            found.append(screen)
            text = screen.speech_text()
            lines = text.split("\n")
            assert screen.question.text.rstrip(".?") in text
            for choice in screen.buttons:
                assert any(line.startswith(choice.label()) for line in lines), choice.label()
            for word in ("nav.next", "nav.back", "read_aloud.start"):
                assert content.text(word) + "." not in lines
            assert screen.step_label.text() not in text

    walk_to_consent(win, "Ada Example", ("5", "6", "1970"), {}, on_screen=look)
    assert found


def test_the_review_reads_answers_but_not_the_name_or_date_of_birth(
    qtbot, config: Config, content: Content
) -> None:
    """Spoken in a waiting room, a name and birth date would tell everyone who this is."""
    win = make_window(qtbot, config, content)
    said: list[str] = []

    def look(screen: Any) -> None:
        if isinstance(screen, ReviewScreen):
            said.append(screen.speech_text())

    walk_to_consent(win, "Ada Example", ("5", "6", "1970"), {}, on_screen=look)
    assert len(said) == 1
    text = said[0]
    assert content.text("review.name") in text
    assert "Ada Example" not in text
    assert "1970" not in text
    assert content.text("answer.no") in text  # health answers are still read


def test_message_screens_have_the_button_and_read_their_words(
    qtbot, content: Content, spoken: Path, services: list[ReadAloud]
) -> None:
    service = make_service(services, "all_languages")
    qtbot.waitUntil(lambda: service.available("es"), timeout=10_000)
    patient = content.for_language("es")
    done = MessageScreen(
        patient, "done", patient.text("done.title"), patient.text("done.body"), "OK"
    )
    qtbot.addWidget(done)
    done.show()
    qtbot.waitExposed(done)
    assert done.read_aloud is not None
    assert done.read_aloud.isHidden()  # until bound to a service with a voice
    done.read_aloud.bind(service, done.speech_language, done.speech_text)
    assert not done.read_aloud.isHidden()
    lines = done.speech_text().split("\n")
    assert len(lines) == 2  # the title and the message; not the button's words
    assert lines[0].startswith(patient.text("done.title"))
    assert lines[1].startswith(" ".join(patient.text("done.body").split()))
    tap(done.read_aloud)
    qtbot.waitUntil(lambda: any(c["call"] == "say" for c in calls(spoken)), timeout=5_000)
    assert calls(spoken)[-1]["locale"] == "es_ES"
    assert patient.text("done.body").split()[0] in calls(spoken)[-1]["text"]
    service.stop()
    # The staff-only "not ready" page has no content language, and no button.
    broken = MessageScreen(None, "content-broken", "Not ready", "Staff: see below", None)
    qtbot.addWidget(broken)
    assert broken.read_aloud is None


def test_an_illustrations_alt_text_is_read(qtbot, config: Config, content: Content) -> None:
    win = make_window(qtbot, config, content)
    alts: list[str] = []

    def look(screen: Any) -> None:
        alt = getattr(screen, "illustration_alt", "")
        if alt:
            assert alt in screen.speech_text()
            alts.append(alt)

    walk_to_consent(win, "Ada Example", ("5", "6", "1970"), {}, on_screen=look)
    if not alts:
        pytest.skip("no education page has an illustration")


def test_pressing_again_stops(
    qtbot, config: Config, content: Content, spoken: Path, services: list[ReadAloud]
) -> None:
    win = make_window(qtbot, config, content)
    service = make_service(services, "all_languages")
    win.set_speech(service)
    qtbot.waitUntil(lambda: button(win).isVisible(), timeout=10_000)
    tap(button(win))
    assert speaking(service)
    assert button(win).accessibleName() == content.text("read_aloud.stop")
    qtbot.waitUntil(lambda: any(c["call"] == "say" for c in calls(spoken)), timeout=5_000)
    tap(button(win))
    assert not speaking(service)
    assert button(win).text() == content.text("read_aloud.start")
    qtbot.waitUntil(lambda: calls(spoken)[-1]["call"] == "stop", timeout=5_000)


def test_speaking_ends_by_itself(
    qtbot, config: Config, content: Content, spoken: Path, services: list[ReadAloud]
) -> None:
    win = make_window(qtbot, config, content)
    service = make_service(services, "quick")
    win.set_speech(service)
    qtbot.waitUntil(lambda: button(win).isVisible(), timeout=10_000)
    tap(button(win))
    assert button(win).text() == content.text("read_aloud.stop")
    qtbot.waitUntil(lambda: not speaking(service), timeout=5_000)
    assert button(win).text() == content.text("read_aloud.start")
    assert [c["call"] for c in calls(spoken)] == ["say", "done"]


@pytest.mark.parametrize("move", ["next", "language", "idle_reset", "back_to_start"])
def test_reading_stops_when_the_screen_changes(
    qtbot,
    config: Config,
    content: Content,
    spoken: Path,
    services: list[ReadAloud],
    move: str,
) -> None:
    win = make_window(qtbot, config, content)
    service = make_service(services, "all_languages")
    win.set_speech(service)
    qtbot.waitUntil(lambda: button(win).isVisible(), timeout=10_000)
    if move in ("next", "idle_reset", "back_to_start"):
        tap(current(win).findChild(QAbstractButton, "start"))  # type: ignore[arg-type]
    tap(button(win))
    qtbot.waitUntil(lambda: any(c["call"] == "say" for c in calls(spoken)), timeout=5_000)
    assert speaking(service)
    if move == "next":
        tap_next(win)
    elif move == "language":
        choose_language(win, "es")
    elif move == "idle_reset":
        assert win.overlay is not None
        win.overlay.expired.emit()  # what the walk-away countdown does at zero
    else:
        tap(current(win).findChild(QAbstractButton, "back"))  # type: ignore[arg-type]
    assert not speaking(service)
    assert button(win).text() in {
        content.for_language(c).text("read_aloud.start") for c in LANGUAGES
    }
    qtbot.waitUntil(lambda: calls(spoken)[-1]["call"] == "stop", timeout=5_000)


# ---------------------------------------------------------------- never blocking


def test_a_say_that_blocks_for_seconds_does_not_block_the_ui(
    qtbot, config: Config, content: Content, spoken: Path, services: list[ReadAloud]
) -> None:
    win = make_window(qtbot, config, content)
    service = make_service(services, "say_blocks")
    win.set_speech(service)
    qtbot.waitUntil(lambda: button(win).isVisible(), timeout=10_000)
    ticks: list[float] = []
    ticker = QTimer()
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start()
    began = time.monotonic()
    tap(button(win))
    # The UI answers at once while the engine is still stuck in say() for 3 s.
    tap(current(win).findChild(QAbstractButton, "start"))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: current(win).objectName() != "welcome", timeout=500)
    assert time.monotonic() - began < 1.0
    qtbot.waitUntil(lambda: calls(spoken)[-1]["call"] == "stop", timeout=10_000)
    ticker.stop()
    assert time.monotonic() - began > 2.5  # the engine really was stuck that long
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.5


def test_a_say_that_never_returns_hides_the_button_and_quit_is_bounded(
    qtbot,
    config: Config,
    content: Content,
    spoken: Path,
    services: list[ReadAloud],
    caplog: pytest.LogCaptureFixture,
) -> None:
    win = make_window(qtbot, config, content)
    service = make_service(services, "say_hangs", reply_timeout_ms=1_000)
    win.set_speech(service)
    qtbot.waitUntil(lambda: button(win).isVisible(), timeout=10_000)
    tap(button(win))
    qtbot.waitUntil(lambda: button(win).isHidden(), timeout=3_000)
    assert not speaking(service)
    assert "did not answer" in caplog.text
    began = time.monotonic()
    service.shutdown()
    assert time.monotonic() - began < 2.5
    tap(current(win).findChild(QAbstractButton, "start"))  # type: ignore[arg-type]
    assert button(win).isHidden()


def test_speech_that_never_ends_means_no_voice(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """No audio device: the state stays Speaking for ever. The host gives up on it."""
    monkeypatch.setattr(speech_host, "speech_budget_ms", lambda _text: 300)
    out: list[dict[str, Any]] = []
    host = SpeechHost(["en"], fake_speech.never_ends, out.append)
    host.start()
    assert out == [{"event": "voices", "languages": ["en"], "engines": ["fake"]}]
    host.feed({"cmd": "say", "id": 1, "language": "en", "text": "Hello"})
    qtbot.waitUntil(lambda: len(out) >= 4, timeout=3_000)
    assert {"event": "state", "id": 1, "state": "ready"} in out
    assert out[-1]["event"] == "voices"
    assert out[-1]["languages"] == []
    host.deleteLater()


# ---------------------------------------------------------------- the real engine


def _real_engine_here() -> bool:
    return bool(
        shutil.which("speech-dispatcher")
        and ctypes.util.find_library("pulse")
        and ctypes.util.find_library("speechd")
    )


@pytest.mark.skipif(not _real_engine_here(), reason="no speech-dispatcher, libspeechd or libpulse")
def test_the_real_engine_speaks_without_blocking(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, services: list[ReadAloud]
) -> None:
    """speechd + espeak-ng, with a private speech daemon whose audio goes to libao's null
    driver (a test machine has no sound card, and real output would hang the daemon)."""
    home, config_home, runtime = tmp_path / "home", tmp_path / "config", tmp_path / "run"
    (config_home / "speech-dispatcher").mkdir(parents=True)
    home.mkdir()
    runtime.mkdir(mode=0o700)
    (config_home / "speech-dispatcher" / "speechd.conf").write_text('AudioOutputMethod "libao"\n')
    (home / ".libao").write_text("default_driver=null\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    service = ReadAloud(LANGUAGES)
    services.append(service)
    try:
        service.start()
        ticks: list[float] = []
        ticker = QTimer()
        ticker.setInterval(20)
        ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
        ticker.start()
        try:
            qtbot.waitUntil(lambda: service.available("en"), timeout=30_000)
        except AssertionError:
            pytest.skip("the speech engine did not report an English voice here")
        assert service.available("es")
        assert service.available("ar")
        assert service.engines == ("speechd",)  # never Qt's silent "mock" engine
        service.speak("ar", "مرحبا. هذا اختبار.")
        assert speaking(service)
        qtbot.waitUntil(lambda: not speaking(service), timeout=15_000)
        assert service.available("ar")  # it spoke and finished: still healthy
        ticker.stop()
        assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.5
        began = time.monotonic()
        service.shutdown()
        assert time.monotonic() - began < 2.5
    finally:
        service.shutdown()
        for pid_file in runtime.glob("speech-dispatcher/pid/*.pid"):
            with contextlib.suppress(ValueError, OSError):
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)


def test_closing_the_window_ends_the_speech_process(
    qtbot, config: Config, content: Content, spoken: Path, services: list[ReadAloud]
) -> None:
    win = make_window(qtbot, config, content)
    service = make_service(services, "all_languages")
    win.set_speech(service)
    qtbot.waitUntil(lambda: button(win).isVisible(), timeout=10_000)
    process = service.findChild(QProcess, "read-aloud-host")
    assert process is not None
    pid = process.processId()
    assert pid > 0
    win.close()
    assert not service.available("en")
    assert not Path(f"/proc/{pid}").exists()  # ended and reaped


def test_listening_is_not_walking_away(
    qtbot, config: Config, content: Content, spoken: Path, services: list[ReadAloud]
) -> None:
    """A long page read aloud takes longer than the idle timeout: no "still there?"."""
    win = make_window(qtbot, config, content)
    service = make_service(services, "all_languages")  # each reading lasts 30 s
    win.set_speech(service)
    tap(current(win).findChild(QAbstractButton, "start"))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: button(win).isVisible(), timeout=10_000)
    win.idle.timer.setInterval(400)
    win.listening.setInterval(100)
    assert win.overlay is not None
    tap(button(win))
    qtbot.wait(1_200)  # three idle timeouts' worth of listening, without a touch
    assert not win.overlay.isVisible()
    service.stop()  # the reading is over: now the walk-away prompt comes as usual
    qtbot.waitUntil(lambda: win.overlay is not None and win.overlay.isVisible(), timeout=3_000)


def test_a_frozen_build_starts_the_host_through_its_own_program(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot,
    spoken: Path,
    services: list[ReadAloud],
) -> None:
    """In a PyInstaller build ``sys.executable`` is the kiosk, which knows no ``-m``: the
    host is ``<kiosk> speech-host ...``. Here a stand-in for the frozen program runs
    ``python -m kiosk "$@"``, so the whole path (the argument, kiosk/__main__.py's dispatch,
    the host) is the one the frozen build takes; tests/test_frozen.py runs the real one."""
    from kiosk.__main__ import SPEECH_HOST
    from kiosk.ui.speech.service import HOST_ARGUMENT, host_command

    assert SPEECH_HOST == HOST_ARGUMENT
    frozen = tmp_path / "dn-kiosk"
    frozen.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kiosk "$@"\n', encoding="utf-8")
    frozen.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(frozen))
    program, args = host_command(["en"], "tests.fake_speech:quick")
    assert program == str(frozen)
    assert args[0] == HOST_ARGUMENT
    assert "-m" not in args
    service = make_service(services, "english_and_spanish")
    qtbot.waitUntil(lambda: service.available("en"), timeout=20_000)
    assert service.available("es")
    assert not service.available("ar")


def test_the_button_does_not_keep_its_screen_alive(qtbot):
    """The button reads its screen's words through a weak reference. A screen keeps its
    button (``Screen.read_aloud``); a button that held the screen's bound
    ``speech_text`` made a cycle, and every screen with a read-aloud button stayed in
    memory after Qt deleted it, until the cycle collector's rare full pass (about
    50 KiB of RSS per identity screen in a soak)."""
    import gc
    import weakref

    from PySide6.QtWidgets import QVBoxLayout, QWidget

    class Page(QWidget):
        read_aloud: ReadAloudButton

        def speech_text(self) -> str:
            return "Hello."

    page = Page()
    page.read_aloud = ReadAloudButton("Read aloud", "Stop", "Reads this page aloud")
    QVBoxLayout(page).addWidget(page.read_aloud)
    page.read_aloud.bind(None, "en", page.speech_text)
    assert page.read_aloud._words() == "Hello."  # it still reads the page's own words
    freed = weakref.ref(page)

    gc.collect()
    gc.disable()
    try:
        page.deleteLater()
        del page
        qtbot.wait(10)
        assert freed() is None
    finally:
        gc.enable()
