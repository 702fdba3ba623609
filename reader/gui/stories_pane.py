"""The middle pane: search box (debounced), sort, read-state filter, the stories list, and a
line that says why the list is empty when it is.

The list shows one column drawn by :class:`reader.gui.story_delegate.StoryDelegate`; the
model keeps its other columns (versions, sources, date, marks) for screen readers and tests.
While a search is active the sort box says "Relevance" (or "Newest first" when the search
matches too much of the library to rank) and cannot be changed: it always names the order
the list is in. Leaving the search brings the chosen sort back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.gui import plain
from reader.gui.models import COLUMNS
from reader.gui.snippets import NOTE_HIT_LABEL, Run, line_runs, snippet_parts
from reader.gui.story_delegate import StoryDelegate
from reader.types import ReadFilter, StorySort

__all__ = ["NOTE_HIT_LABEL", "Run", "StoriesPane", "line_runs", "snippet_parts"]

#: Debounce for search-as-you-type: one query per pause, not one per key.
SEARCH_DEBOUNCE_MS = 250

SORTS = ((StorySort.DATE, "Newest first"), (StorySort.OLDEST, "Oldest first"),
         (StorySort.VERSIONS, "Most versions"), (StorySort.TITLE, "Title A–Z"))
RELEVANCE = "relevance"
READS = ((ReadFilter.ALL, "All"), (ReadFilter.UNREAD, "Unread"), (ReadFilter.READ, "Read"))


class StoriesPane(QWidget):
    query_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, text and notes  ( / )")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search")
        self.sort = QComboBox()
        for sort, label in SORTS:
            self.sort.addItem(label, sort.value)
        self.sort.setToolTip("Sort stories (undated stories come last)")
        self.sort.setAccessibleName("Sort")
        self.read_state = QComboBox()
        for read, label in READS:
            self.read_state.addItem(label, read.value)
        self.read_state.setToolTip("Show all, only unread or only read stories")
        self.read_state.setAccessibleName("Show")
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.sort)
        bar.addWidget(self.read_state)
        self._chosen_sort = StorySort.DATE.value

        self.tree = QTreeView()
        self.tree.setUniformRowHeights(True)  # never size rows to contents: O(1) layout
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(18)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delegate = StoryDelegate(self.tree)
        self.tree.setItemDelegate(self.delegate)
        self.tree.setAccessibleName("Stories")
        self.empty = plain.label()  # may quote the search
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setForegroundRole(self.empty.foregroundRole().PlaceholderText)
        self.empty.setParent(self.tree.viewport())
        self.empty.hide()
        self.tree.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.query_changed)
        self.search.textChanged.connect(self._typed)
        self.sort.currentIndexChanged.connect(self._sort_changed)
        self.read_state.currentIndexChanged.connect(self._changed_now)

    def setup_columns(self) -> None:
        """One drawn column; the model's others stay for accessibility."""
        for column in range(1, len(COLUMNS)):
            self.tree.setColumnHidden(column, True)

    # ----------------------------------------------------------------- empty state

    def show_empty(self, message: str) -> None:
        """Say why the list is empty (``""`` hides the message)."""
        self.empty.setText(message)
        self.empty.setVisible(bool(message))
        self._place_empty()

    def _place_empty(self) -> None:
        viewport = self.tree.viewport()
        self.empty.setGeometry(24, 24, max(40, viewport.width() - 48),
                               max(40, viewport.height() // 2))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._place_empty()
        return False

    # ----------------------------------------------------------------- query parts

    def _typed(self, _text: str) -> None:
        self._debounce.start()

    def _changed_now(self, *_: Any) -> None:
        self.query_changed.emit()

    def _sort_changed(self, *_: Any) -> None:
        value = self.sort.currentData()
        if value != RELEVANCE and self.sort.isEnabled():
            self._chosen_sort = str(value)
            self.query_changed.emit()

    def flush_search(self) -> None:
        """Run a pending debounced search now (tests, Enter key)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self.query_changed.emit()

    def show_search_order(self, searching: bool, ranked: bool = True) -> None:
        """Make the sort box name the order the list is really in."""
        self.delegate.searching = searching
        self.sort.blockSignals(True)
        relevance = self.sort.findData(RELEVANCE)
        if searching:
            if relevance < 0:
                self.sort.addItem("Relevance", RELEVANCE)
                relevance = self.sort.count() - 1
            self.sort.setCurrentIndex(relevance if ranked else self.sort.findData(
                StorySort.DATE.value))
            self.sort.setEnabled(False)
            self.sort.setToolTip(
                "Search results are listed by relevance" if ranked else
                "This search matches so much that its results are listed newest first")
        else:
            if relevance >= 0:
                self.sort.removeItem(relevance)
            self.sort.setEnabled(True)
            self.sort.setCurrentIndex(max(0, self.sort.findData(self._chosen_sort)))
            self.sort.setToolTip("Sort stories (undated stories come last)")
        self.sort.blockSignals(False)
        self.tree.doItemsLayout()

    def sort_value(self) -> StorySort:
        return StorySort(self._chosen_sort)

    def read_value(self) -> ReadFilter:
        return ReadFilter(self.read_state.currentData())

    def set_sort(self, value: str) -> None:
        if self.sort.findData(value) < 0:
            return
        self._chosen_sort = value
        if self.sort.isEnabled():
            self.sort.setCurrentIndex(self.sort.findData(value))

    def set_read(self, value: str) -> None:
        index = self.read_state.findData(value)
        if index >= 0:
            self.read_state.setCurrentIndex(index)
