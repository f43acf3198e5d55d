"""One start-up, in this fresh process, up to the first painted frame; run by bench/run.py.

    python bench/boot.py bare                 # QApplication + one QWidget (the baseline)
    python bench/boot.py kiosk --data DIR     # the real kiosk, through ``kiosk.cli.main``

Prints one JSON line: ``frame`` (``time.perf_counter()`` when the first frame was
painted; on Linux that clock is shared by every process, so the parent subtracts the
moment it started this one), ``rss`` (bytes, at that moment), ``screen`` (the object
name of the screen on show), ``modules`` (every module imported by then) and, with
``--settle MS``, ``rss_settled``: the RSS once the work the kiosk leaves until after
the first frame (clinic database, ReportLab and its fonts) has run.

Both kinds detect the first frame the same way: an application event filter, installed
before ``show()``, sees the first ``Paint`` event of the window (or of anything in it)
and queues a zero-timer, which runs once that frame is finished. The filter removes
itself then, so it costs nothing afterwards.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def watch_first_frame(window: Any, settle_ms: int, screen: Any) -> None:
    """Report the first frame of ``window``, then quit the application."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    result: dict[str, Any] = {}

    def finish() -> None:
        if settle_ms:
            result["rss_settled"] = rss()
        print(json.dumps(result), flush=True)
        QApplication.quit()

    def stamp() -> None:
        result["frame"] = time.perf_counter()
        result["rss"] = rss()
        result["screen"] = screen()
        result["modules"] = sorted(sys.modules)
        QTimer.singleShot(settle_ms, finish)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and (
                watched is window or window.isAncestorOf(watched)
            ):
                app.removeEventFilter(self)
                QTimer.singleShot(0, stamp)
            return False

    first = FirstPaint(app)
    app.installEventFilter(first)


def bare(settle_ms: int) -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    widget = QWidget()
    widget.resize(1280, 800)
    watch_first_frame(widget, settle_ms, lambda: "bare")
    widget.show()
    return app.exec()


def kiosk(data: Path, settle_ms: int) -> int:
    """The kiosk as ``python -m kiosk`` starts it, with its settings in ``data``."""
    sys.path.insert(0, str(REPO))
    config = data / "kiosk.toml"
    if not config.exists():
        data.mkdir(parents=True, exist_ok=True)
        config.write_text(
            'clinic_name = "Bench Clinic"\n'
            f'output_dir = "{data / "summaries"}"\n'
            f'data_dir = "{data / "data"}"\n',
            encoding="utf-8",
        )
    # The one seam: ``run_app`` shows the window through ``kiosk.ui.app.show``.
    # Importing kiosk.ui.app first only moves an import that start-up makes anyway.
    import kiosk.ui.app as app_module

    real_show = app_module.show

    def show(window: Any, kiosk_mode: bool) -> None:
        def screen() -> str:
            current = window.current_screen
            return str(current.objectName()) if current is not None else ""

        watch_first_frame(window, settle_ms, screen)
        real_show(window, kiosk_mode)

    app_module.show = show  # type: ignore[assignment]
    from kiosk.cli import main

    return main(["--config", str(config)])


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["bare", "kiosk"])
    parser.add_argument("--data", type=Path, help="settings and data folder (kiosk)")
    parser.add_argument("--settle", type=int, default=0, metavar="MS")
    args = parser.parse_args(argv)
    if args.kind == "bare":
        return bare(args.settle)
    if args.data is None:
        parser.error("kiosk needs --data")
    return kiosk(args.data, args.settle)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
