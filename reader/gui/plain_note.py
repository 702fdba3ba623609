"""A minimal note editor used only until :mod:`reader.gui.note_editor` (notes issue) exists.

It honours the same interface (``set_story``, ``save_requested``, ``mark_saved``,
``mark_failed``, ``flush``, ``append_quote``) so the window does not care which one it gets.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

AUTOSAVE_MS = 1500


class _Edit(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class PlainNoteEditor(QWidget):
    save_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._story: int | None = None
        self._dirty = False
        self._loading = False
        self.status = QLabel("Note")
        self.edit = _Edit()
        self.edit.setPlaceholderText("Write a note about this story (Markdown)…")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.edit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        self.edit.textChanged.connect(self._changed)
        self.edit.focus_lost.connect(self.flush)
        self.setEnabled(False)

    def set_story(self, story_id: int | None, text: str) -> None:
        self.flush()
        self._story = story_id
        self._loading = True
        self.edit.setPlainText(text)
        self._loading = False
        self._dirty = False
        self.setEnabled(story_id is not None)
        self.status.setText("Note")

    def _changed(self) -> None:
        if self._loading or self._story is None:
            return
        self._dirty = True
        self.status.setText("Note · editing…")
        self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self._dirty and self._story is not None:
            self._dirty = False
            self.status.setText("Note · saving…")
            self.save_requested.emit(self._story, self.edit.toPlainText())

    def mark_saved(self, story_id: int) -> None:
        if story_id == self._story and not self._dirty:
            self.status.setText("Note · saved")

    def mark_failed(self, story_id: int, message: str) -> None:
        if story_id == self._story:
            self._dirty = True
            self.status.setText(f"Note · not saved: {message}")

    def append_quote(self, markdown: str) -> None:
        text = self.edit.toPlainText()
        sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        self.edit.setPlainText(text + sep + markdown)
        self.edit.setFocus()

    def focus_editor(self) -> None:
        self.edit.setFocus()
