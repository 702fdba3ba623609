"""Helper processes end with their parent, however it ends (issue 17, item 6).

Each test starts a real parent process, waits until its children run, ends the parent (kill
-9, or exit without cleanup as a crash does) and checks through ``/proc`` that no child is
left: the extraction workers and multiprocessing's resource tracker of a big import, and the
window's import child.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers.damage import REPO, alive, broadsheet, command_line, descendants
from test_crash_support import write_listing

from reader.library import Library
from reader.lifeline import exit_with_parent

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process table from /proc"
)


def _wait_for(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def _end_and_count_left(parent: subprocess.Popen[bytes], kill: bool = True) -> list[str]:
    below = descendants(parent.pid)
    assert below, "the parent had no children to test"
    if kill:
        parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=60)
    _wait_for(lambda: not any(alive(p) for p in below), 3)
    left = [p for p in below if alive(p)]
    names = [command_line(p) for p in left]
    for pid in left:  # ours: never leave them running, even when the test fails
        os.kill(pid, signal.SIGKILL)
    return names


def _pool_script(mode: str) -> str:
    return textwrap.dedent(f"""
        import multiprocessing, os, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from reader.lifeline import exit_with_parent
        pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=exit_with_parent)
        futures = [pool.submit(time.sleep, 120) for _ in range(2)]
        print("started", flush=True)
        if {mode!r} == "crash":
            time.sleep(3)
            os._exit(70)  # dies without any cleanup, as a crash in native code would
        time.sleep(120)
    """)


@pytest.mark.parametrize("mode", ["kill", "crash"])
def test_pool_workers_and_resource_tracker_end_with_their_parent(mode: str) -> None:
    parent = subprocess.Popen([sys.executable, "-c", _pool_script(mode)], cwd=REPO,
                              stdout=subprocess.PIPE)
    assert parent.stdout is not None and parent.stdout.readline().strip() == b"started"
    assert _wait_for(lambda: sum("spawn_main" in command_line(p)
                                 for p in descendants(parent.pid)) == 2, 30)
    assert _end_and_count_left(parent, kill=mode == "kill") == []


def test_killed_import_leaves_no_extraction_worker(tmp_path: Path) -> None:
    big = write_listing(tmp_path / "big.txt", 6500, seed=12)  # a pool starts at 6,000
    parent = subprocess.Popen(broadsheet("--library", str(tmp_path / "l.db"), "import",
                                         str(big)), cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    assert _wait_for(lambda: any("spawn_main" in command_line(p)
                                 for p in descendants(parent.pid)), 180), "no worker started"
    assert _end_and_count_left(parent) == []


def test_window_import_child_ends_with_a_killed_window(tmp_path: Path) -> None:
    """The child is kept waiting for the write lock, so it sends no progress: only its
    lifeline (not a broken progress pipe) can tell it that the window is gone."""
    library = tmp_path / "l.db"
    Library.open(library).close()
    big = write_listing(tmp_path / "big.txt", 50, seed=13)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from reader.gui.child_jobs import run_in_child
        run_in_child(Path({str(library)!r}), "import_paths",
                     ([Path({str(big)!r})],), lambda *a: None, lambda: False)
    """)
    holder = sqlite3.connect(library, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        parent = subprocess.Popen([sys.executable, "-c", script], cwd=REPO,
                                  env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert _wait_for(lambda: any("spawn_main" in command_line(p)
                                     for p in descendants(parent.pid)), 60)
        time.sleep(2.0)  # the child opens the library and waits for the write lock
        assert _end_and_count_left(parent) == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_outside_a_multiprocessing_child_it_does_nothing() -> None:
    assert exit_with_parent() is False
