"""The note editor's two faces: the rendered note (read-only, inert, a click edits) and the
plain-text editing view (reports focus-out so the editor saves at once)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import QPlainTextEdit, QTextBrowser, QWidget

from reader.markdown import LINK_SCHEMES


class RenderedNote(QTextBrowser):
    """The read-only view. A click on a link opens it externally; any other click edits."""

    edit_requested = Signal()
    link_opened = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self._press: QPoint | None = None

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        """Never load anything (images, style sheets): the note view is offline and inert."""
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        anchor = self.anchorAt(pos) if event.button() == Qt.MouseButton.LeftButton else ""
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pressed, self._press = self._press, None
        if pressed is not None and (pos - pressed).manhattanLength() > 4:
            return  # a drag to select text, not a click
        if anchor:
            url = QUrl(anchor)
            if url.scheme().lower() in LINK_SCHEMES:
                self.link_opened.emit(url)
            return
        if not self.textCursor().hasSelection():
            self.edit_requested.emit()


class PlainEdit(QPlainTextEdit):
    """The editing view; reports focus-out so the editor can save at once."""

    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()
