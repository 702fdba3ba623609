"""Run a CPU-heavy library verb (import, regroup, topic re-evaluation) in a child process.

Why: the worker *thread* shares the GIL with the GUI thread. Parsing, grouping and topic
matching are pure-Python or hold the GIL inside C calls for long stretches, and measured
event-loop gaps during a 10,000-article import reached ~600 ms (``benchmarks/gui_event_loop.py``).
In a child process the work has its own interpreter; the worker thread only waits on a pipe
(GIL released) and forwards progress, so the window keeps its 100 ms promise.

The child opens its own :class:`Library` on the same file (SQLite WAL: the window keeps
reading while it writes), reports progress at most :data:`PROGRESS_EVERY_S` apart, and checks a
shared cancel flag, so Cancel still rolls back the file in progress. Expected failures come
back as the same exceptions (:class:`Cancelled`, :class:`BroadsheetError`); the child never
shows a traceback to the user. This module imports no Qt: the child stays light.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
import traceback
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from reader.errors import BroadsheetError, Cancelled
from reader.lifeline import exit_with_parent
from reader.progress import CancelCheck, Progress

#: The child sends progress at most this often (the GUI shows ~10 updates a second at most).
PROGRESS_EVERY_S = 0.1
#: How often the waiting worker thread checks for a cancel request.
POLL_S = 0.05

#: Library verbs that may run in a child, called as ``verb(*args, progress, cancelled)``.
CHILD_VERBS = frozenset({"import_paths", "regroup", "reassign_topics"})


def run_in_child(
    library: Path, verb: str, args: tuple[Any, ...], progress: Progress, cancelled: CancelCheck
) -> Any:
    """Call ``Library.open(library).<verb>(*args, progress, cancelled)`` in a child process.

    Blocks the calling (worker) thread until the child ends; returns the verb's result.
    """
    if verb not in CHILD_VERBS:
        raise ValueError(f"{verb} does not run in a child process")
    ctx = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
    receiver, sender = ctx.Pipe(duplex=False)
    cancel = ctx.Event()
    child = ctx.Process(
        target=_child_main, args=(str(library), verb, args, sender, cancel),
        name=f"broadsheet-{verb}", daemon=True,
    )
    child.start()
    sender.close()
    outcome: tuple[str, Any] | None = None
    try:
        while outcome is None:
            if cancelled() and not cancel.is_set():
                cancel.set()
            if receiver.poll(POLL_S):
                try:
                    kind, payload = receiver.recv()
                except EOFError:
                    break
                if kind == "progress":
                    progress(*payload)
                else:
                    outcome = (kind, payload)
            elif not child.is_alive() and not receiver.poll(0):
                break
    finally:
        child.join(timeout=30)
        receiver.close()
    if outcome is None:
        raise BroadsheetError(
            f"the background {verb.replace('_', ' ')} stopped unexpectedly "
            f"(exit code {child.exitcode}); work finished before that was kept"
        )
    kind, payload = outcome
    if kind == "done":
        return payload
    if kind == "cancelled":
        raise Cancelled(str(payload).removesuffix(" cancelled") or "operation")
    raise BroadsheetError(str(payload))


def _child_main(path: str, verb: str, args: tuple[Any, ...], out: Connection,
                cancel: Event) -> None:
    """Child entry point: open the library, run the verb, send the outcome, exit."""
    exit_with_parent()  # a killed window must not leave its import running
    last = 0.0

    def progress(done: int, total: int, message: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_S or (total and done >= total):
            last = now
            out.send(("progress", (done, total, message)))

    try:
        from reader.library import Library

        with Library.open(path, defer_housekeeping=True) as library:
            result = getattr(library, verb)(*args, progress, cancel.is_set)
        out.send(("done", result))
    except Cancelled as exc:
        out.send(("cancelled", str(exc)))
    except BroadsheetError as exc:
        out.send(("error", str(exc)))
    except Exception as exc:  # a bug: say what happened, keep the GUI alive
        traceback.print_exc(file=sys.stderr)
        out.send(("error", f"unexpected error: {exc!r}"))
    finally:
        out.close()
