"""Noticing another process writing the library (the CLI importing into it, a second
window): the worker reads ``PRAGMA data_version`` every few seconds, which changes only when
*another* connection commits, and the window refreshes in place when it moves.

The poll is a tiny job on the serial worker, never more than one queued, and it is skipped
while this window runs a long job of its own (an import in a child process also moves the
counter, and the window reloads when that job ends anyway).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow

#: How often the library is checked (ms).
POLL_MS = 3000


class LibraryWatch(QObject):
    #: Emitted after the window refreshed for a change made elsewhere.
    changed_elsewhere = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.version: int | None = None
        self._pending = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.version = None
        self._pending = False
        self.timer.start()
        self.poll()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        if self._pending:
            return
        self._pending = True
        self.window.jobs.submit(lambda lib, p, c: lib.data_version(), self._seen, self._failed,
                                label="")

    def _failed(self, _message: str) -> None:
        self._pending = False

    def _seen(self, version: Any) -> None:
        self._pending = False
        if not isinstance(version, int):
            return
        previous, self.version = self.version, version
        if previous is None or previous == version:
            return
        if self.window.long_jobs.busy():
            return  # our own import or regroup: its end reloads everything
        self.window.library_changed(elsewhere=True)
        self.changed_elsewhere.emit()
