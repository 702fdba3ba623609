"""One long job at a time (imports, exports, regrouping, feed refreshes): progress and
Cancel in the status bar, and what the window says when a job fails or is cancelled."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from reader.gui import plain

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow


class LongJobs(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.current: int | None = None
        window.status.cancel_button.clicked.connect(self.cancel)

    def attach(self) -> None:
        """Listen to the window's (new) worker front."""
        jobs = self.window.jobs
        jobs.long_started.connect(self._started)
        jobs.progress.connect(self._progress)
        jobs.finished.connect(self._finished)
        jobs.failed.connect(self._failed)
        jobs.cancelled.connect(self._cancelled)

    def start(self, job: Any, label: str, done: Callable[[Any], None],
              failed: Callable[[str], None] | None = None) -> bool:
        """Run a long job with progress and Cancel (one at a time). False when busy."""
        if self.current is not None:
            self.warn(label, "Another long operation is running; wait or cancel it first.")
            return False
        self.current = self.window.jobs.submit(job, done, failed, label=label, long=True)
        self.window.status.start_progress(label)
        self.window.update_actions()
        return True

    def busy(self) -> bool:
        return self.current is not None

    def cancel(self) -> None:
        if self.current is not None:
            self.window.jobs.cancel(self.current)
            self.window.status.cancel_button.setEnabled(False)
            self.window.status.show("Cancelling…", 0)

    def reset(self) -> None:
        self.current = None
        self.window.status.hide_progress()

    def _started(self, _job_id: int, label: str) -> None:
        self.window.status.show(f"{label}…", 0)

    def _progress(self, _job_id: int, label: str, done: int, total: int, message: str) -> None:
        self.window.status.set_progress(done, total, message, label)

    def _finished(self, job_id: int) -> None:
        if job_id == self.current:
            self.current = None
            self.window.status.hide_progress()
            self.window.update_actions()

    def _failed(self, label: str, message: str) -> None:
        self.warn(label or "Broadsheet", message)

    def _cancelled(self, label: str) -> None:
        self.window.status.show(f"{label or 'Operation'} cancelled")

    def warn(self, title: str, message: str) -> None:
        print(f"broadsheet: {title}: {message}", file=sys.stderr)
        plain.message(self.window, title, message, plain.Icon.Warning)
