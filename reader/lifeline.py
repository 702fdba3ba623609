"""Child processes that end with their parent, however the parent ends.

Broadsheet starts helper processes with :mod:`multiprocessing` ("spawn"): the feature
extraction workers of a big import (:mod:`reader.grouping.pool`) and the window's import
child (:mod:`reader.gui.child_jobs`). When the parent exits normally it shuts them down, but
a parent that is killed (``kill -9``, a crash in native code, the OOM killer) cannot: a pool
worker then waits forever on its task queue (every worker holds that queue's write end, so it
never sees end-of-file), and multiprocessing's resource tracker, which exits only when every
holder of its pipe is gone, waits with it. Measured before this module: 15 of 21 ``kill -9``
during imports left a worker and the tracker running, one for 24 minutes.

:func:`exit_with_parent`, called first thing in the child, starts a daemon thread that blocks
on multiprocessing's *parent sentinel*: on POSIX the read end of a pipe whose only write end
the parent holds, on Windows a handle of the parent process. Either becomes ready exactly when
the parent is gone, whatever killed it, so the thread then ends the child at once
(``os._exit``: an import in progress is rolled back by SQLite, as after any kill). It costs no
polling and works the same on Linux, macOS and Windows. On Linux the kernel's parent-death
signal is set as well, so even a child stuck in a long C call (which keeps the watcher thread
from running) is killed. (That signal follows the parent *thread* that started the child, so
children must be started from a thread that outlives them, as the import thread and the
window's job thread do: each waits for its children before it ends.)
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading

#: ``prctl`` option that asks the kernel to signal this process when its parent dies.
_PR_SET_PDEATHSIG = 1

#: Exit status of a child ended because its parent died (like a signal's 128 + n).
ORPHANED_EXIT = 128 + 9


def exit_with_parent() -> bool:
    """Make this multiprocessing child end when its parent does; True when armed.

    Does nothing (and returns False) in a process that multiprocessing did not start.
    Safe to call more than once.
    """
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None) if parent is not None else None
    if sentinel is None:
        return False
    if getattr(exit_with_parent, "_armed", False):
        return True
    _set_parent_death_signal(parent.pid if parent is not None else None)
    watcher = threading.Thread(
        target=_watch, args=(sentinel,), name="broadsheet-lifeline", daemon=True
    )
    watcher.start()
    exit_with_parent._armed = True  # type: ignore[attr-defined]
    return True


def _watch(sentinel: int) -> None:
    """Block until the parent is gone, then end this process without cleanup."""
    with contextlib.suppress(OSError):  # unusable only when the parent is already gone
        multiprocessing.connection.wait([sentinel])
    os._exit(ORPHANED_EXIT)


def _set_parent_death_signal(parent_pid: int | None) -> None:
    """Linux: have the kernel send SIGKILL when the parent exits (best effort)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the running program's symbols: libc's prctl
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        return
    # The parent may have died before prctl ran: then nobody would ever send the signal.
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(ORPHANED_EXIT)
