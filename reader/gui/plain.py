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
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

Icon = QMessageBox.Icon
Button = QMessageBox.StandardButton


def label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A ``QLabel`` that shows ``text`` exactly as written, whatever it looks like."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    return widget


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
