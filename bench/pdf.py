"""How long the clinician's PDF takes to build, against a minimal ReportLab document.

Run from the repository root, either way:

    python bench/pdf.py
    python -m bench.pdf

It times a typical summary (30 answers, 3 flags, 4 comprehension checks, the bundled
consent text, a PNG signature) and a minimal document (``SimpleDocTemplate``, plain
``Paragraph``s in the default Helvetica) with the same number of pages, in the same
process and interleaved, so both see the same machine. Then it measures the one-off
cost of ``prepare()`` (font registration) in fresh subprocesses. See
docs/performance.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a file, ``bench/`` is on the path, not the repo
    sys.path.insert(0, str(REPO))

GOAL_RATIO = 2.0  # the summary may cost at most this many minimal documents
GOAL_MS = 100.0  # and must stay under this, median

# One fresh interpreter: import the report package, then time prepare() and the first
# build after it (what the first patient of the day waits for without a warm-up).
_COLD = """
import time
t0 = time.perf_counter()
import kiosk.report as report
t1 = time.perf_counter()
report.prepare()
t2 = time.perf_counter()
from tests.factories import make_typical_summary
summary = make_typical_summary()
t3 = time.perf_counter()
report.render_pdf(summary)
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t4 - t3)
"""

FILLER = (
    "Plain paragraph {n}. The quick brown fox jumps over the lazy dog while the clinic "
    "prepares for the next patient; nothing here uses tables, images or embedded fonts, "
    "just the built-in Helvetica at the default size and leading."
)


def typical_pdf() -> tuple[Callable[[], bytes], int]:
    """A builder of the typical summary, and its page count."""
    from kiosk.report import render_pdf
    from tests.factories import make_typical_summary

    summary = make_typical_summary()

    def build() -> bytes:
        return render_pdf(summary)

    return build, page_count(build())


def minimal_pdf(paragraphs: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    normal = getSampleStyleSheet()["Normal"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4)
    doc.build([Paragraph(FILLER.format(n=n), normal) for n in range(paragraphs)])
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def paragraphs_for(pages: int) -> int:
    """How many filler paragraphs make ``pages`` pages, the last one about half full."""
    fits = []
    n = 1
    while (count := page_count(minimal_pdf(n))) <= pages:
        if count == pages:
            fits.append(n)
        n += 1
    if not fits:
        raise SystemExit(f"no minimal document has {pages} page(s)")
    return (fits[0] + fits[-1]) // 2


def p95(samples: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def time_both(
    summary: Callable[[], Any], minimal: Callable[[], Any], runs: int, warmups: int
) -> tuple[list[float], list[float]]:
    """Seconds per build of each, interleaved so both see the same machine."""
    for _ in range(warmups):
        summary()
        minimal()
    times_summary: list[float] = []
    times_minimal: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        summary()
        middle = time.perf_counter()
        minimal()
        end = time.perf_counter()
        times_summary.append(middle - start)
        times_minimal.append(end - middle)
    return times_summary, times_minimal


def cold_start(repeats: int) -> tuple[float, float, float]:
    """Median seconds, each in a fresh interpreter: import, prepare(), first build."""
    rows = []
    for _ in range(repeats):
        result = subprocess.run(
            [sys.executable, "-c", _COLD],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append([float(x) for x in result.stdout.split()])
    imports, prepares, firsts = zip(*rows, strict=True)
    return statistics.median(imports), statistics.median(prepares), statistics.median(firsts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs of each (50)")
    parser.add_argument("--warmups", type=int, default=3, help="untimed runs first (3)")
    parser.add_argument("--cold", type=int, default=5, help="fresh interpreters (5)")
    args = parser.parse_args(argv)

    from kiosk.report import prepare

    prepare()
    summary, pages = typical_pdf()
    paragraphs = paragraphs_for(pages)

    def minimal() -> bytes:
        return minimal_pdf(paragraphs)

    assert page_count(minimal()) == pages
    times_summary, times_minimal = time_both(summary, minimal, args.runs, args.warmups)
    med_summary = statistics.median(times_summary) * 1000
    med_minimal = statistics.median(times_minimal) * 1000
    ratio = med_summary / med_minimal

    print(
        f"Python {sys.version.split()[0]} on {sys.platform}; {args.runs} runs after "
        f"{args.warmups} warm-ups, interleaved"
    )
    print(
        f"typical summary  {pages} pages   median {med_summary:6.1f} ms   "
        f"p95 {p95(times_summary) * 1000:6.1f} ms"
    )
    print(
        f"minimal document {pages} pages   median {med_minimal:6.1f} ms   "
        f"p95 {p95(times_minimal) * 1000:6.1f} ms   ({paragraphs} Helvetica paragraphs)"
    )
    print(f"ratio            {ratio:.2f}x the minimal document")
    ratio_ok = ratio <= GOAL_RATIO
    time_ok = med_summary < GOAL_MS
    print(f"goal: <= {GOAL_RATIO:g}x minimal  {'MET' if ratio_ok else 'NOT MET'}")
    print(f"goal: < {GOAL_MS:g} ms median  {'MET' if time_ok else 'NOT MET'}")

    imports, prepares, first = cold_start(args.cold)
    print(
        f"one-off, median of {args.cold} fresh processes: import kiosk.report "
        f"{imports * 1000:.0f} ms, prepare() {prepares * 1000:.0f} ms, "
        f"first build after it {first * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
