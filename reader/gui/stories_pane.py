"""The middle pane: search box (debounced), sort, read-state toggle and the stories tree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.gui.models import (
    COL_BADGE,
    COL_DATE,
    COL_HEADLINE,
    COL_MARKS,
    HIT_ROLE,
    SNIPPET_ROLE,
)
from reader.types import ReadFilter, StorySort

#: Debounce for search-as-you-type: one query per pause, not one per key.
SEARCH_DEBOUNCE_MS = 250
_MARKED = re.compile(r"\[([^\]]*)\]")

SORTS = ((StorySort.DATE, "Newest first"), (StorySort.VERSIONS, "Most versions"),
         (StorySort.TITLE, "Title A–Z"))
READS = ((ReadFilter.ALL, "All"), (ReadFilter.UNREAD, "Unread"), (ReadFilter.READ, "Read"))


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """Split ``a [b] c`` into ``[("a ", False), ("b", True), (" c", False)]``."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in _MARKED.finditer(snippet):
        if match.start() > last:
            parts.append((snippet[last : match.start()], False))
        parts.append((match.group(1), True))
        last = match.end()
    if last < len(snippet):
        parts.append((snippet[last:], False))
    return parts


#: Shown before a snippet whose hit is in the user's note, not in the article.
NOTE_HIT_LABEL = "in your note: "


@dataclass(frozen=True, slots=True)
class Run:
    """One piece of the headline line: its text, bold or not, and whether it is a match."""

    text: str
    bold: bool
    match: bool = False
    italic: bool = False


def line_runs(headline: str, snippet: str, unread: bool, hit_in: str | None) -> list[Run]:
    """The pieces the delegate draws: ``headline — [in your note:] snippet``.

    An unread row is bold throughout, snippet included, like the row's other columns; matched
    words are always bold *and* marked (the delegate gives them a highlight background), so
    they stand out whether the row is bold or not.
    """
    runs = [Run(headline + "  — ", unread)]
    if hit_in == "note":
        runs.append(Run(NOTE_HIT_LABEL, unread, italic=True))
    for piece, matched in snippet_parts(snippet):
        runs.append(Run(piece, unread or matched, matched))
    return runs


class SnippetDelegate(QStyledItemDelegate):
    """Headline followed by the search snippet, its matched words marked (one line)."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex
        | QPersistentModelIndex
    ) -> None:
        snippet = index.data(SNIPPET_ROLE)
        if not snippet:
            super().paint(painter, option, index)
            return
        # Any: PySide6 6.9's stubs omit the option's public fields (text, rect, state, ...).
        opt: Any = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        mark = QColor(255, 196, 0, 110)
        rect = QRect(opt.rect).adjusted(4, 0, -4, 0)
        painter.save()
        painter.setPen(opt.palette.color(role))
        x = rect.left()
        base = QFont(opt.font)
        runs = line_runs(text, str(snippet), base.bold(), index.data(HIT_ROLE))
        for run in runs:
            font = QFont(base)
            font.setBold(run.bold)
            font.setItalic(run.italic)
            painter.setFont(font)
            metrics = QFontMetrics(font)
            piece = run.text
            width = metrics.horizontalAdvance(piece)
            if x + width > rect.right():
                piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, rect.right() - x)
                width = rect.right() - x
            box = QRect(x, rect.top(), width, rect.height())
            if run.match and not selected:
                painter.fillRect(box.adjusted(0, 2, 0, -2), mark)
            painter.drawText(
                box, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), piece
            )
            x += width
            if x >= rect.right():
                break
        painter.restore()


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
        self.sort.setToolTip("Sort stories")
        self.read_state = QComboBox()
        for read, label in READS:
            self.read_state.addItem(label, read.value)
        self.read_state.setToolTip("Show all, only unread or only read stories")
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.sort)
        bar.addWidget(self.read_state)

        self.tree = QTreeView()
        self.tree.setUniformRowHeights(True)  # never size rows to contents: O(1) layout
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setItemDelegateForColumn(COL_HEADLINE, SnippetDelegate(self.tree))
        self.tree.setAccessibleName("Stories")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.query_changed)
        self.search.textChanged.connect(self._typed)
        self.sort.currentIndexChanged.connect(self._changed_now)
        self.read_state.currentIndexChanged.connect(self._changed_now)

    def setup_columns(self) -> None:
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_HEADLINE, header.ResizeMode.Stretch)
        header.resizeSection(COL_BADGE, 125)
        header.resizeSection(COL_DATE, 95)
        header.resizeSection(COL_MARKS, 36)

    def _typed(self, _text: str) -> None:
        self._debounce.start()

    def _changed_now(self, *_: Any) -> None:
        self.query_changed.emit()

    def flush_search(self) -> None:
        """Run a pending debounced search now (tests, Enter key)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self.query_changed.emit()

    def sort_value(self) -> StorySort:
        return StorySort(self.sort.currentData())

    def read_value(self) -> ReadFilter:
        return ReadFilter(self.read_state.currentData())

    def set_sort(self, value: str) -> None:
        index = self.sort.findData(value)
        if index >= 0:
            self.sort.setCurrentIndex(index)

    def set_read(self, value: str) -> None:
        index = self.read_state.findData(value)
        if index >= 0:
            self.read_state.setCurrentIndex(index)
