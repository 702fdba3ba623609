"""The one serial background worker that performs every write (and every long job).

Anki-style: a user action becomes a small job ``job(library, progress, cancelled)`` that runs
on ONE background thread owning its own :class:`Library` (sqlite connections belong to the
thread that opened them). Jobs run one after another, so writes never race each other, and
each returns a value (usually :class:`reader.types.Changes`) that the panes inspect to decide
whether to refresh.

Thread rules (see the design notes): the worker only emits signals; :class:`Jobs` lives in the
GUI thread and its *bound methods* receive them (PySide6 6.11+ runs lambdas connected to a
worker signal in the worker thread), then call the job's callbacks on the GUI thread.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from reader.errors import BroadsheetError, Cancelled
from reader.library import Library
from reader.progress import CancelCheck, Progress

Job = Callable[[Library, Progress, CancelCheck], Any]
Done = Callable[[Any], None]
Failed = Callable[[str], None]

#: The worker reports progress at most this often, so the GUI thread is never flooded.
PROGRESS_INTERVAL_S = 0.1


def open_second_connection(path: Path) -> Library:
    """A Library on a file this process already has open (the window's), for another thread.

    The core knows the file is open here and skips its plain-I/O header read (which would drop
    the window's SQLite locks); housekeeping is deferred: the window asks for the daily backup
    as a job once shown.
    """
    return Library.open(path, defer_housekeeping=True)


@dataclass
class _Pending:
    job_id: int
    job: Job
    #: Long jobs (imports, exports) are cancelled when the worker stops; short writes (a note,
    #: a read mark) still run, so closing the window never drops what the user just did.
    cancel_on_stop: bool = True
    cancel: threading.Event = field(default_factory=threading.Event)


class LibraryWorker(QThread):
    """Runs jobs in order on its own thread with its own Library. Never touches widgets."""

    job_done = Signal(int, object)
    job_failed = Signal(int, str, bool)  # job id, message, cancelled?
    job_progress = Signal(int, int, int, str)
    job_started = Signal(int)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._queue: queue.Queue[_Pending | None] = queue.Queue()
        self._pending: dict[int, _Pending] = {}
        self._lock = threading.Lock()
        self._next_id = 0

    def submit(self, job: Job, cancel_on_stop: bool = True) -> int:
        with self._lock:
            self._next_id += 1
            item = _Pending(self._next_id, job, cancel_on_stop)
            self._pending[item.job_id] = item
        self._queue.put(item)
        return item.job_id

    def cancel(self, job_id: int) -> None:
        with self._lock:
            item = self._pending.get(job_id)
        if item is not None:
            item.cancel.set()

    def stop(self) -> None:
        """Cancel the long jobs, run the queued short writes, and end the thread."""
        with self._lock:
            for item in self._pending.values():
                if item.cancel_on_stop:
                    item.cancel.set()
        self._queue.put(None)
        self.wait()

    def run(self) -> None:
        try:
            library = open_second_connection(self._path)
        except BroadsheetError as exc:
            self._drain_with_error(str(exc))
            return
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                self._run_one(library, item)
        finally:
            library.close()

    def _drain_with_error(self, message: str) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            self.job_failed.emit(item.job_id, message, False)

    def _run_one(self, library: Library, item: _Pending) -> None:
        last = 0.0

        def progress(done: int, total: int, message: str) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL_S or (total and done >= total):
                last = now
                self.job_progress.emit(item.job_id, done, total, message)

        try:
            if item.cancel.is_set():
                raise Cancelled("operation")
            self.job_started.emit(item.job_id)
            result = item.job(library, progress, item.cancel.is_set)
        except Cancelled as exc:
            self.job_failed.emit(item.job_id, str(exc), True)
        except BroadsheetError as exc:
            self.job_failed.emit(item.job_id, str(exc), False)
        except Exception as exc:
            explained = Library.explain_failure(library.path, exc)  # damage, read-only, busy
            if explained is not None:
                self.job_failed.emit(item.job_id, str(explained), False)
                return
            # a bug: keep the worker alive and say what happened
            traceback.print_exc(file=sys.stderr)
            self.job_failed.emit(item.job_id, f"unexpected error: {exc!r}", False)
        else:
            self.job_done.emit(item.job_id, result)
        finally:
            with self._lock:
                self._pending.pop(item.job_id, None)


@dataclass
class _Callbacks:
    on_done: Done | None
    on_error: Failed | None
    label: str
    long: bool


class Jobs(QObject):
    """GUI-thread front of the worker: submits jobs and calls their callbacks on this thread."""

    #: A long job started or reported progress: (job id, label, done, total, message).
    progress = Signal(int, str, int, int, str)
    #: A long job started; the status bar shows Cancel.
    long_started = Signal(int, str)
    #: Any job ended (done, failed or cancelled). Tests wait on this.
    finished = Signal(int)
    #: A job failed (not cancelled): (label, message).
    failed = Signal(str, str)
    #: A job was cancelled: (label).
    cancelled = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._callbacks: dict[int, _Callbacks] = {}
        self.worker = LibraryWorker(path)
        self.worker.job_done.connect(self._on_done)
        self.worker.job_failed.connect(self._on_failed)
        self.worker.job_progress.connect(self._on_progress)
        self.worker.job_started.connect(self._on_started)
        self.worker.start()

    def submit(
        self,
        job: Job,
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        label: str = "",
        long: bool = False,
        cancel_on_stop: bool | None = None,
    ) -> int:
        """Queue ``job``. ``long`` jobs get progress and Cancel in the status bar; jobs are
        skipped when the window closes before they start if ``cancel_on_stop`` (default: the
        long ones), while short writes still run."""
        stop = long if cancel_on_stop is None else cancel_on_stop
        job_id = self.worker.submit(job, cancel_on_stop=stop)
        self._callbacks[job_id] = _Callbacks(on_done, on_error, label, long)
        return job_id

    def cancel(self, job_id: int) -> None:
        self.worker.cancel(job_id)

    def busy(self) -> bool:
        return bool(self._callbacks)

    def shutdown(self) -> None:
        """Stop the worker and deliver the results it already sent (a note's "saved")."""
        if self.worker.isRunning():
            self.worker.stop()
        QCoreApplication.sendPostedEvents(self)

    @Slot(int)
    def _on_started(self, job_id: int) -> None:
        cb = self._callbacks.get(job_id)
        if cb is not None and cb.long:
            self.long_started.emit(job_id, cb.label)

    @Slot(int, int, int, str)
    def _on_progress(self, job_id: int, done: int, total: int, message: str) -> None:
        cb = self._callbacks.get(job_id)
        if cb is not None and cb.long:
            self.progress.emit(job_id, cb.label, done, total, message)

    @Slot(int, object)
    def _on_done(self, job_id: int, result: object) -> None:
        cb = self._callbacks.pop(job_id, None)
        try:
            if cb is not None and cb.on_done is not None:
                cb.on_done(result)
        finally:
            self.finished.emit(job_id)

    @Slot(int, str, bool)
    def _on_failed(self, job_id: int, message: str, was_cancelled: bool) -> None:
        cb = self._callbacks.pop(job_id, None)
        label = cb.label if cb is not None else ""
        try:
            if cb is not None and cb.on_error is not None:
                cb.on_error(message)
            elif was_cancelled:
                self.cancelled.emit(label)
            else:
                self.failed.emit(label, message)
        finally:
            self.finished.emit(job_id)


class QuickCheck(QThread):
    """``PRAGMA quick_check`` on its own read-only connection, off the GUI thread.

    It reads every page (about 2 s at 1,000,000 articles), so it runs beside the worker rather
    than on it: the user's first writes never queue behind it.
    """

    done = Signal(list)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path

    def run(self) -> None:
        try:
            problems = Library.quick_check_file(self._path)
        except Exception as exc:  # report, never crash the thread
            problems = [f"the check could not run: {exc}"]
        self.done.emit(problems)
