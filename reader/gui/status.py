"""The status bar: messages that time out, one long job's progress with Cancel, and an Undo
button for the last undoable action ("Marked 37 stories read — Undo").

Messages quote titles, paths and errors, so they go through a plain-text label. A message
clears itself after :data:`MESSAGE_MS` (an error stays a little longer); a long job's
"Importing…" stays while the job runs and its result replaces it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QProgressBar, QPushButton

from reader.gui import plain

#: How long a message stays (ms).
MESSAGE_MS = 6000
#: How long an offer to undo stays.
UNDO_MS = 12_000


class StatusBar(QObject):
    """Owns the widgets of the window's status bar."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.label = plain.label()
        self.label.setObjectName("statusMessage")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Undo (Ctrl+Z)")
        bar = window.statusBar()
        bar.addWidget(self.label, 1)
        bar.addPermanentWidget(self.undo_button)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        self.undo_button.hide()
        self._clear = QTimer(self)
        self._clear.setSingleShot(True)
        self._clear.timeout.connect(self._expired)
        self._undo: Callable[[], None] | None = None
        self.undo_button.clicked.connect(self.undo)

    def show(self, text: str, timeout_ms: int = MESSAGE_MS) -> None:
        """Show ``text``; it clears after ``timeout_ms`` (0: until the next message)."""
        self.label.setText(text)
        if timeout_ms > 0:
            self._clear.start(timeout_ms)
        else:
            self._clear.stop()

    def text(self) -> str:
        return self.label.text()

    def _expired(self) -> None:
        self.label.setText("")
        self.offer_undo(None)

    # ----------------------------------------------------------------- undo

    def offer_undo(self, undo: Callable[[], None] | None, text: str = "") -> None:
        """Show ``text`` with an Undo button that calls ``undo`` (None withdraws the offer)."""
        self._undo = undo
        self.undo_button.setVisible(undo is not None)
        if undo is not None:
            self.show(text, UNDO_MS)

    def can_undo(self) -> bool:
        return self._undo is not None

    def undo(self) -> None:
        undo, self._undo = self._undo, None
        self.undo_button.hide()
        if undo is not None:
            undo()

    # ----------------------------------------------------------------- long jobs

    def start_progress(self, label: str) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(label)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.show(f"{label}…", 0)

    def set_progress(self, done: int, total: int, message: str, label: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress.setFormat("%p%")
        else:
            self.progress.setRange(0, 0)
        self.show(message or label, 0)

    def hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        if self.label.text().endswith("…") and not self._clear.isActive():
            self.show("")
