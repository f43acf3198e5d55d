"""A day at the kiosk, fast: many patients through the real window, offscreen.

Run from the repository root:

    python -m bench.soak                              # 500 patients, then the idle resets
    python -m bench.soak --patients 50                # a quick look
    python -m bench.soak --patients 0 --fuzz 10000    # only the long fuzz run

Each patient goes through the real ``KioskWindow`` with real input events
(``kiosk.tools.journey``): random answers, a typed name and date of birth, a drawn
signature, the PDF and its record saved to a temporary folder. Some walk away at a random
screen; the real idle timer and the "Are you still there?" countdown then erase them
(both shortened for the run). It prints the process's memory (RSS) after a warm-up and at
the end, and the time per patient.

Then it makes 100 000 idle-timer resets (``IdleWatcher.poke()``, which calls
``QTimer.start()``), 100 000 ``Signal.emit(True)`` and 100 000 input events through the
idle watcher's event filter, and reports how far the reference counts of ``None`` and
``True`` moved: PySide6 6.12.0 on Python 3.11 loses one per call and the process aborts
(``none_dealloc``, ``bool_dealloc``) within a few thousand.

``--fuzz N`` runs the property of tests/test_fuzz.py with N answer sets, in a pytest
subprocess. Goals and results: docs/reliability.md. Exits 1 if a goal is not met.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import datetime as dt
import gc
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a file, ``bench/`` is on the path, not the repo
    sys.path.insert(0, str(REPO))

GOAL_RSS_MIB = 5.0
#: Reference-count drift of None or True over the resets that still counts as no leak.
GOAL_DRIFT = 1_000
MIB = 1024 * 1024

NAMES = (
    "Ana María López",
    "Zoë Quintanilla-Øberg",
    "Ζωή Παπαδοπούλου",
    "Сергей Иванов",
    "Nguyễn Văn An",
    "Siobhán O'Sullivan",
    "Tomasz Wiśniewski",
    "Jean-Luc D'Arcy",
)
#: Body-map regions (ids in kiosk/content/regions.toml) a patient might tap.
BODY_PLACES = ("knee_left", "knee_right", "neck_back", "lower_back_left", "shoulder_left")
TEXTS = ("Left knee replacement", "Hip, 2024", "Metal plate in the right wrist", "Pacemaker")


def rss() -> int:
    """The process's resident memory now, in bytes (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


@dataclass
class SoakResult:
    patients: int = 0
    signed: int = 0
    walked_away: int = 0
    saved_files: int = 0
    times: list[float] = field(default_factory=list)
    rss_warm: int = 0
    rss_end: int = 0
    rss_trend: list[tuple[int, int]] = field(default_factory=list)
    widgets_warm: int = 0
    widgets_end: int = 0
    objects_warm: int = 0
    objects_end: int = 0
    qt_warnings: list[str] = field(default_factory=list)
    resets: dict[str, tuple[int, float, int | None]] = field(default_factory=dict)


class _WalkAway(Exception):
    pass


def _random_choices(content: Any, rng: random.Random) -> dict[str, Any]:
    """An answer for every question, as a patient might tap or type it."""
    from kiosk.domain.model import UNSURE, QuestionType

    choices: dict[str, Any] = {}
    for q in content.questions:
        if rng.random() < 0.05:
            choices[q.id] = (UNSURE,)
        elif q.type is QuestionType.YES_NO:
            choices[q.id] = (rng.choices(["yes", "no"], weights=[1, 3])[0],)
        elif q.type is QuestionType.SINGLE:
            choices[q.id] = (rng.choice(q.options).code,)
        elif q.type is QuestionType.MULTI:
            exclusive = [o.code for o in q.options if o.exclusive]
            ordinary = [o.code for o in q.options if not o.exclusive]
            if exclusive and rng.random() < 0.5:
                choices[q.id] = (rng.choice(exclusive),)
            else:
                choices[q.id] = tuple(rng.sample(ordinary, rng.randint(1, len(ordinary))))
        elif q.type is QuestionType.TEXT:
            choices[q.id] = rng.choice(TEXTS)
        elif q.type is QuestionType.BODY_MAP:
            places = rng.sample(BODY_PLACES, rng.randint(1, 3))
            choices[q.id] = tuple(f"{place}={rng.randint(0, 10)}" for place in places)
        elif q.type is QuestionType.SCALE:
            choices[q.id] = (str(rng.randint(0, 10)),)
        elif q.type is not QuestionType.DATE:
            raise ValueError(f"the soak cannot answer a {q.type.value} question yet")
        else:
            days = rng.randint(30, 20 * 365)
            choices[q.id] = (dt.date.today() - dt.timedelta(days=days)).isoformat()
    return choices


def _wait_for(signal: Any, timeout_ms: int) -> bool:
    """Run the event loop until ``signal`` fires; False on timeout."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    fired = [False]

    def on_signal(*_args: object) -> None:
        fired[0] = True
        loop.quit()

    signal.connect(on_signal)
    QTimer.singleShot(timeout_ms, loop.quit)
    if not fired[0]:
        loop.exec()
    signal.disconnect(on_signal)
    return fired[0]


def soak(patients: int, walkaway: float, seed: int, warmup: int, result: SoakResult) -> None:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QWidget

    from kiosk.app.config import Config
    from kiosk.content.loader import load_content
    from kiosk.content.paths import assets_dir, bundled_content_dir
    from kiosk.saving import PdfSummaryWriter
    from kiosk.tools.journey import (
        current,
        draw,
        find_button,
        settle,
        signature_strokes,
        tap,
        tap_next,
        walk_to_consent,
    )
    from kiosk.ui.app import apply_look, create_window
    from kiosk.ui.screens import ConsentScreen

    def on_qt_message(kind: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:  # the offscreen platform's harmless note
            result.qt_warnings.append(f"{kind.name}: {message}")

    previous_handler = qInstallMessageHandler(on_qt_message)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_look(app)
    content = load_content(bundled_content_dir(), assets_dir())
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="dn-soak-") as tmp:
        out = Path(tmp) / "summaries"
        config = Config(clinic_name="Soak Clinic", output_dir=out, data_dir=Path(tmp) / "data")
        writer = PdfSummaryWriter(out, config.clinic_name)
        writer.warm_up()
        win = create_window(config, content, (), writer)
        win.show()
        assert win.overlay is not None
        idle_ms, tick_ms = win.idle.timer.interval(), win.overlay.ticker.interval()
        for n in range(patients):
            started = time.perf_counter()
            name = f"{rng.choice(NAMES)} {n}"
            dob = (str(rng.randint(1, 28)), str(rng.randint(1, 12)), str(rng.randint(1930, 2008)))
            choices = _random_choices(content, rng)
            leave_at = rng.randint(1, 45) if rng.random() < walkaway else None
            seen = [0]

            def on_screen(
                screen: QWidget, leave_at: int | None = leave_at, seen: list[int] = seen
            ) -> None:
                seen[0] += 1
                if leave_at is not None and (
                    seen[0] >= leave_at or isinstance(screen, ConsentScreen)
                ):
                    raise _WalkAway

            try:
                walk_to_consent(win, name, dob, choices, on_screen=on_screen)
            except _WalkAway:
                # Nobody touches anything: the real timers ask, count down and erase.
                win.idle.timer.setInterval(30)
                win.overlay.ticker.setInterval(5)
                win.idle.timer.start()
                if not _wait_for(win.session_reset, 10_000):
                    raise RuntimeError(f"patient {n}: the walk-away was never erased") from None
                win.idle.timer.setInterval(idle_ms)
                win.overlay.ticker.setInterval(tick_ms)
                result.walked_away += 1
            else:
                consent = current(win)
                assert isinstance(consent, ConsentScreen)
                tap(consent.agree)
                draw(consent.pad, signature_strokes())
                del consent
                tap_next(win)
                if current(win).objectName() != "done":
                    raise RuntimeError(f"patient {n}: not saved ({current(win).objectName()})")
                tap(find_button(current(win), content.text("done.restart")))
                result.signed += 1
            settle()
            if current(win).objectName() != "welcome":
                raise RuntimeError(f"patient {n}: ended on {current(win).objectName()}")
            result.times.append(time.perf_counter() - started)
            result.patients = n + 1
            if n + 1 == warmup or n + 1 == patients or (n + 1) % 50 == 0:
                gc.collect()
                now = rss()
                result.rss_trend.append((n + 1, now))
                if n + 1 == warmup:
                    result.rss_warm = now
                    result.widgets_warm = len(QApplication.allWidgets())
                    result.objects_warm = len(gc.get_objects())
            if (n + 1) % 50 == 0:
                print(f"  {n + 1} patients, RSS {now / MIB:.1f} MiB", flush=True)
        gc.collect()
        result.rss_end = rss()
        result.widgets_end = len(QApplication.allWidgets())
        result.objects_end = len(gc.get_objects())
        result.saved_files = len(list(out.glob("*.pdf")))
        win.close()
        win.deleteLater()
        settle()
    qInstallMessageHandler(previous_handler)


def idle_resets(count: int, result: SoakResult) -> None:
    """Void calls, signal emits and input events, as an idle timer sees all day."""
    from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from kiosk.ui.idle import IdleWatcher

    class Emitter(QObject):
        fired = Signal(bool)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    watcher = IdleWatcher(90)
    target = QWidget()
    emitter = Emitter()
    received = [0]

    def on_fired(_value: bool) -> None:
        received[0] += 1

    emitter.fired.connect(on_fired)
    measures_refcounts = sys.version_info < (3, 12)  # None and True are immortal from 3.12

    def run(label: str, watched: object, action: Callable[[], object]) -> None:
        gc.collect()
        before = sys.getrefcount(watched)
        started = time.perf_counter()
        for _ in range(count):
            action()
        elapsed = time.perf_counter() - started
        drift = sys.getrefcount(watched) - before if measures_refcounts else None
        result.resets[label] = (count, elapsed, drift)

    watcher.arm()  # armed: every poke() restarts the timer (QTimer.start, a void call)
    run("IdleWatcher.poke() (QTimer.start)", None, watcher.poke)
    run("Signal.emit(True)", True, lambda: emitter.fired.emit(True))
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(5, 5),
        QPointF(5, 5),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    run("input events through the idle filter", None, lambda: app.sendEvent(target, move))
    watcher.disarm()
    watcher.close()
    assert received[0] == count, f"{received[0]} of {count} emits arrived"
    target.deleteLater()


def fuzz(examples: int) -> tuple[bool, float, dict[str, int]]:
    with tempfile.TemporaryDirectory(prefix="dn-fuzz-") as tmp:
        stats_file = Path(tmp) / "stats.json"
        env = dict(os.environ)
        env |= {"DN_FUZZ_EXAMPLES": str(examples), "DN_FUZZ_STATS": str(stats_file)}
        command = [sys.executable, "-m", "pytest", "tests/test_fuzz.py", "-q"]
        command += ["-k", "any_answer_set", "-p", "no:cacheprovider"]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, env=env, check=False)
        elapsed = time.perf_counter() - started
        stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return done.returncode == 0, elapsed, stats


def _verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def _report_soak(result: SoakResult, warmup: int, total: float) -> list[tuple[str, bool]]:
    growth = (result.rss_end - result.rss_warm) / MIB
    ms = [t * 1000 for t in result.times]
    walked = result.walked_away
    lines = [
        f"Patients: {result.patients} ({result.signed} signed, {walked} walked away)",
        f"Summaries saved: {result.saved_files}",
        f"RSS after warm-up ({warmup} patients): {result.rss_warm / MIB:.1f} MiB",
        f"RSS at the end ({result.patients} patients): {result.rss_end / MIB:.1f} MiB",
        f"RSS growth: {growth:+.2f} MiB over {result.patients - warmup} patients",
        "RSS trend (patients: MiB): "
        + ", ".join(f"{n}: {b / MIB:.1f}" for n, b in result.rss_trend),
        f"Time per patient: median {statistics.median(ms):.0f} ms, "
        f"p95 {percentile(ms, 0.95):.0f} ms, max {max(ms):.0f} ms; total {total:.0f} s",
        f"Widgets alive: {result.widgets_warm} after warm-up, {result.widgets_end} at the end",
        f"Python objects: {result.objects_warm} after warm-up, {result.objects_end} at the end",
        f"Qt warnings: {len(result.qt_warnings)} {result.qt_warnings[:3]}",
    ]
    print("\n" + "\n".join(lines))
    return [
        (f"RSS growth under {GOAL_RSS_MIB:g} MiB", growth < GOAL_RSS_MIB),
        ("every signed patient's summary saved", result.saved_files == result.signed),
        ("no Qt warnings", not result.qt_warnings),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description="Soak the kiosk.")
    parser.add_argument("--patients", type=int, default=500, help="patients (default 500)")
    parser.add_argument("--walkaway", type=float, default=0.1, help="share who walk away (0.1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--warmup", type=int, default=20, help="patients before the first RSS")
    parser.add_argument("--resets", type=int, default=100_000, help="idle resets (100 000)")
    parser.add_argument("--fuzz", type=int, default=0, metavar="N", help="fuzz answer sets")
    args = parser.parse_args(argv)

    from PySide6 import __version__ as pyside

    python, system = platform.python_version(), f"{platform.system()} {platform.release()}"
    print(f"Machine: {os.cpu_count()} cores, Python {python}, PySide6 {pyside}, {system}")
    result = SoakResult()
    goals: list[tuple[str, bool]] = []
    if args.patients > 0:
        warmup = min(args.warmup, args.patients)
        print(f"Soak: {args.patients} patients, walk-away {args.walkaway:.0%}, seed {args.seed}")
        started = time.perf_counter()
        soak(args.patients, args.walkaway, args.seed, warmup, result)
        goals += _report_soak(result, warmup, time.perf_counter() - started)
    if args.resets > 0:
        print()
        idle_resets(args.resets, result)
        for label, (count, elapsed, drift) in result.resets.items():
            shown = "n/a (immortal)" if drift is None else f"{drift:+d}"
            print(f"{count:,} x {label}: {elapsed:.2f} s, refcount drift {shown}")
            small = drift is None or abs(drift) < GOAL_DRIFT
            goals.append((f"{label}: refcount drift under {GOAL_DRIFT}", small))
    if args.fuzz > 0:
        print(f"\nFuzz: {args.fuzz} answer sets (tests/test_fuzz.py) ...", flush=True)
        passed, elapsed, stats = fuzz(args.fuzz)
        each = elapsed / max(1, args.fuzz) * 1000
        print(f"Fuzz: {stats} in {elapsed:.0f} s ({each:.0f} ms per answer set)")
        goals.append((f"fuzz: {args.fuzz} answer sets without a failure", passed))
    goals.append(("no crash", True))  # reaching this line is the proof
    print()
    for label, ok in goals:
        print(f"  {_verdict(ok):8} {label}")
    return 0 if all(ok for _label, ok in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
