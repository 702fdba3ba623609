"""Imported text shown as text: labels, tooltips and message boxes that never render markup.

Qt guesses whether a string is rich text (``Qt::AutoText``) in labels, tooltips and message
boxes. Imported titles are untrusted, so a title like ``<img src="/dev/zero">`` would be
rendered, and the image loaded from the local file (memory exhausted; a FIFO hangs the
window); ``<b>`` would turn bold. Every widget that may show imported or user-supplied text is
made through this module. The sanitised article view (``QTextBrowser``) is the only place
imported HTML is rendered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QMessageBox, QSizePolicy, QWidget

Icon = QMessageBox.Icon
Button = QMessageBox.StandardButton


def label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A ``QLabel`` that shows ``text`` exactly as written, whatever it looks like."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    return widget


class ElidedLabel(QLabel):
    """A one-line plain-text label that ends in "…" when it is narrower than its text, with
    the whole text as its tooltip. It never asks for width, so a long source name can
    neither widen its pane nor be cut off mid-letter."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._full = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()

    def text(self) -> str:
        """The whole text, however much of it fits."""
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                              max(0, self.width()))
        super().setText(shown)
        self.setToolTip(tooltip(self._full) if shown != self._full else "")


def tooltip(text: str) -> str:
    """``text`` as a tooltip: escaped into rich text, since tooltips have no plain mode."""
    if not text:
        return ""
    return QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def message(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: Icon = Icon.Information,
    buttons: Button = Button.Ok,
    default: Button = Button.NoButton,
) -> Button:
    """A modal message box whose text is plain (the static helpers guess rich text)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    return Button(box.exec())
