"""A long day of reading in the real window, offscreen: does it stay up, and stay flat?

Usage: .venv/bin/python benchmarks/gui_soak.py [--opens 5000] [--library PATH]

Imports the user's seed dumps (or the bundled sample when ../shared is absent) into a fresh
library, opens the real main window offscreen and holds ``j`` (next story) down through the
list, then ``k`` back up, stepping through a story's versions with ``]`` now and then and
switching the sidebar between All and Unread every 250 opens. Every 500 opens it prints
``sys.getrefcount(None)`` drift from the start (PySide6 6.12.0 on CPython 3.11 lost one per
void Qt call, and the window died at about 330 opens) and the resident memory.

Targets (issue 14): 5,000 opens, no crash, no None drift, memory flat within 50 MB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLE = ROOT / "resources" / "sample"


@dataclass
class Soak:
    opens: int
    none_drift: int
    rss_start_mb: float
    rss_end_mb: float
    rss_peak_mb: float
    seconds: float
    cpu_seconds: float  # this process's user + sys over the counted opens (machine is shared)


def rss_mb() -> float:
    """Resident memory now (Linux /proc; elsewhere the peak, which only overstates growth)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def soak(window: object, opens: int, report: Callable[[int, int, float], None] | None = None,
         warmup: int = 50) -> Soak:
    """Drive ``window`` (a MainWindow) through ``opens`` article opens with real key presses.

    The first ``warmup`` opens fill caches (fonts, pages of the list, unique-sentence
    spans) and are not counted in the drift or the starting memory.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from reader.gui.models import FilterKey

    tree = window.stories.tree  # type: ignore[attr-defined]
    shown: list[int] = []
    window.article_shown.connect(shown.append)  # type: ignore[attr-defined]
    tree.setFocus()
    key = Qt.Key.Key_J
    start_none = sys.getrefcount(None)
    start_rss = peak = rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    done = 0
    total = opens + warmup
    while done < total:
        before = len(shown)
        QTest.keyClick(tree, key)
        QApplication.processEvents()
        if len(shown) == before:  # the end of the list: turn round
            key = Qt.Key.Key_K if key == Qt.Key.Key_J else Qt.Key.Key_J
            QTest.keyClick(tree, key)
            QApplication.processEvents()
        if done % 7 == 0:
            QTest.keyClick(tree, Qt.Key.Key_BracketRight)  # next version, if any
            QApplication.processEvents()
        if done % 250 == 249:
            which = "unread" if (done // 250) % 2 == 0 else "all"
            window.set_filter(FilterKey(which))  # type: ignore[attr-defined]
            QApplication.processEvents()
            tree.setFocus()
        done += 1
        if done == warmup:
            start_none = sys.getrefcount(None)
            start_rss = peak = rss_mb()
            started, cpu_started = time.perf_counter(), time.process_time()
        elif done > warmup and (done - warmup) % 500 == 0:
            now = rss_mb()
            peak = max(peak, now)
            if report is not None:
                report(done - warmup, sys.getrefcount(None) - start_none, now)
    end_rss = rss_mb()
    return Soak(opens, sys.getrefcount(None) - start_none, start_rss, end_rss,
                max(peak, end_rss), time.perf_counter() - started,
                time.process_time() - cpu_started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=5000)
    parser.add_argument("--library", type=Path, help="an existing library (default: seeds)")
    args = parser.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from reader.gui.app import build_window
    from reader.library import Library

    app = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="bs-soak-"))
    path = args.library or tmp / "library.db"
    library = Library.open(path, defer_housekeeping=True)
    if args.library is None:
        inputs = sorted(SEEDS.glob("*.txt")) or sorted(SAMPLE.iterdir())
        library.import_paths(inputs)
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = build_window(library, settings)
    window.resize(1400, 860)
    window.show()
    app.processEvents()
    print(f"python {sys.version.split()[0]}, PySide6 {__import__('PySide6').__version__}; "
          f"{library.stats().articles} articles; {args.opens} opens")
    print(f"{'opens':>6} {'None drift':>11} {'RSS MB':>8}")

    def report(opens: int, drift: int, rss: float) -> None:
        print(f"{opens:6d} {drift:11d} {rss:8.1f}", flush=True)

    result = soak(window, args.opens, report)
    print(f"done: {result.opens} opens in {result.seconds:.1f} s (CPU {result.cpu_seconds:.1f} s);"
          f" None drift {result.none_drift}; "
          f"RSS {result.rss_start_mb:.1f} -> {result.rss_end_mb:.1f} MB "
          f"(growth {result.rss_end_mb - result.rss_start_mb:+.1f} MB, peak "
          f"{result.rss_peak_mb:.1f} MB)")
    window.close()
    library.close()
    ok = abs(result.none_drift) < 100 and result.rss_end_mb - result.rss_start_mb <= 50
    print("targets:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
