"""The Add feed dialog: an address (a feed, or a page that links to its feeds), Find feeds
to read the page's ``<link rel="alternate">`` entries, a choice among them, and a title.

Finding runs on the window's worker and only when asked; the dialog never fetches by
itself while the user types.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.feeds.discover import FeedLink
from reader.gui import plain


class AddFeedDialog(QDialog):
    """``find_requested(address)`` asks the window to look; :meth:`show_found` answers."""

    find_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add feed")
        self.address = QLineEdit()
        self.address.setPlaceholderText("https://example.org/feed.xml, a site's page, or a file")
        self.find_button = QPushButton("Find feeds")
        self.find_button.clicked.connect(self.find_feeds)
        row = QHBoxLayout()
        row.addWidget(self.address, 1)
        row.addWidget(self.find_button)
        self.found = QListWidget()
        self.found.setAccessibleName("Feeds found")
        self.found.hide()
        self.found.currentItemChanged.connect(self._chosen)
        self.title = QLineEdit()
        self.title.setPlaceholderText("The feed's own title")
        self.message = plain.label()  # quotes addresses and errors
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Address", row)
        form.addRow("", self.found)
        form.addRow("Title", self.title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Subscribe")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.address.textChanged.connect(self._typed)
        self._typed("")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.adjustSize()

    def _typed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(text.strip().lower().startswith(("http://", "https://")))
        self.find_button.setEnabled(bool(text.strip()))

    def find_feeds(self) -> None:
        address = self.address.text().strip()
        if address:
            self.message.setText(f"Looking for feeds at {address}…")
            self.find_button.setEnabled(False)
            self.find_requested.emit(address)

    def show_found(self, links: list[FeedLink]) -> None:
        self.find_button.setEnabled(True)
        self.found.clear()
        for link in links:
            item = QListWidgetItem(f"{link.title or link.url}  ({link.kind})\n{link.url}")
            item.setData(Qt.ItemDataRole.UserRole, link)
            self.found.addItem(item)
        self.found.setVisible(bool(links))
        if links:
            self.found.setCurrentRow(0)
            self.message.setText(f"Found {len(links)} feed{'s' if len(links) != 1 else ''}.")
        else:
            self.message.setText("No feed found there. Type the feed's own address instead.")
        self.adjustSize()

    def show_error(self, message: str) -> None:
        self.find_button.setEnabled(True)
        self.message.setText(message)

    def _chosen(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        link = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(link, FeedLink):
            self.address.blockSignals(True)
            self.address.setText(link.url)
            self.address.blockSignals(False)
            self._typed(link.url)
            self.title.setText(link.title)

    def chosen(self) -> tuple[str, str]:
        return self.address.text().strip(), self.title.text().strip()

    def _accept(self) -> None:
        if self.chosen()[0]:
            self.accept()
