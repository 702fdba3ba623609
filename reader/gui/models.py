"""The stories list's Qt model: a thin adapter over plain-Python data (see
:mod:`reader.gui.paging`).

:class:`StoryTreeModel` pages stories lazily with ``canFetchMore``/``fetchMore`` and loads a
story's versions only when it is expanded; it never holds an article body. The left-hand
tree is :mod:`reader.gui.sidebar` (re-exported here for older imports).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QFont

from reader.gui import plain
from reader.gui.labels import badge, date_label, marks, sources_label
from reader.gui.paging import FIRST_PAGE, PAGE, StoryPager
from reader.types import StoryQuery, StoryRow, VersionRow

AnyIndex = QModelIndex | QPersistentModelIndex

#: Custom roles.
STORY_ROLE = Qt.ItemDataRole.UserRole + 1  # StoryRow (top level) or VersionRow (child)
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2
HIT_ROLE = Qt.ItemDataRole.UserRole + 4  # where a search hit was: "title", "body", "note"

COLUMNS = ("Headline", "Versions", "Sources", "Date", "")
COL_HEADLINE, COL_BADGE, COL_SOURCES, COL_DATE, COL_MARKS = range(5)

#: The invalid index used as the default "root" parent (one shared instance, never mutated).
ROOT = QModelIndex()

#: After a reset, the view's automatic fetchMore requests are ignored this long (ms).
SETTLE_MS = 300

#: internalId of top-level (story) indexes; a child's internalId is its story's row + 1.
_TOP = 0


class StoryTreeModel(QAbstractItemModel):
    """Stories (top level) with their versions (children, loaded when expanded)."""

    def __init__(self, pager: StoryPager, parent: Any = None) -> None:
        super().__init__(parent)
        self.pager = pager
        self._settling = False
        self._bold = QFont()
        self._bold.setBold(True)

    # ----------------------------------------------------------------- structure

    def index(self, row: int, column: int, parent: AnyIndex = ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: AnyIndex = ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid():
            return QModelIndex()
        internal = int(child.internalId())
        if internal == _TOP:
            return QModelIndex()
        return self.createIndex(internal - 1, 0, _TOP)

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        if not parent.isValid():
            return len(self.pager.rows)
        if int(parent.internalId()) != _TOP or parent.column() != 0:
            return 0
        story = self.pager.rows[parent.row()]
        return len(self.pager.children.get(story.id, ()))

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        if parent.isValid() and (int(parent.internalId()) != _TOP or parent.column() != 0):
            return 0
        return len(COLUMNS)

    def hasChildren(self, parent: AnyIndex = ROOT) -> bool:
        if not parent.isValid():
            return bool(self.pager.rows) or not self.pager.exhausted
        if int(parent.internalId()) != _TOP or parent.column() != 0:
            return False
        return self.pager.rows[parent.row()].size > 1

    def canFetchMore(self, parent: AnyIndex) -> bool:
        if not parent.isValid():
            return not self.pager.exhausted
        if int(parent.internalId()) != _TOP or parent.column() != 0:
            return False
        story = self.pager.rows[parent.row()]
        return story.size > 1 and story.id not in self.pager.children

    def fetchMore(self, parent: AnyIndex) -> None:
        if not parent.isValid():
            if self._settling:
                # Right after a reset the view finds its scroll bar "at the bottom" (range
                # 0..0) and asks for more at once, doubling the wait for a new filter.
                # Scrolling to the real bottom asks again later.
                return
            self.fetch_next_page()
            return
        self._fetch_versions(parent)

    def fetch_next_page(self) -> None:
        """Load the next page of stories (keyboard navigation past the end, scrolling)."""
        page = self.pager.next_page(PAGE)
        if not page:
            return
        first = len(self.pager.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self.pager.append(page)
        self.endInsertRows()

    def _fetch_versions(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        story = self.pager.rows[parent.row()]
        versions = self.pager.load_versions(story.id)
        if not versions:
            self.pager.children[story.id] = []
            return
        # The parent index must point at column 0 for the insert notification.
        parent0 = self.index(parent.row(), 0)
        self.beginInsertRows(parent0, 0, len(versions) - 1)
        self.pager.children[story.id] = versions
        self.endInsertRows()

    # ----------------------------------------------------------------- data

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def item(self, index: AnyIndex) -> StoryRow | VersionRow | None:
        if not index.isValid():
            return None
        internal = int(index.internalId())
        if internal == _TOP:
            return self.pager.rows[index.row()]
        story = self.pager.rows[internal - 1]
        versions = self.pager.children.get(story.id, [])
        return versions[index.row()] if index.row() < len(versions) else None

    def story_of(self, index: AnyIndex) -> StoryRow | None:
        if not index.isValid():
            return None
        internal = int(index.internalId())
        return self.pager.rows[index.row() if internal == _TOP else internal - 1]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index)
        if item is None:
            return None
        if role == STORY_ROLE:
            return item
        if isinstance(item, StoryRow):
            return self._story_data(item, index.column(), role)
        return self._version_data(item, index.column(), role)

    def _story_data(self, row: StoryRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_HEADLINE:
                return row.headline
            if column == COL_BADGE:
                return badge(row)
            if column == COL_SOURCES:
                return sources_label(row)
            if column == COL_DATE:
                return date_label(row.last_published)
            if column == COL_MARKS:
                return marks(row)
        elif role == Qt.ItemDataRole.FontRole and row.unread:
            return self._bold
        elif role == SNIPPET_ROLE:
            return row.snippet
        elif role == HIT_ROLE:
            return row.hit_in
        elif role == Qt.ItemDataRole.ToolTipRole and column == COL_HEADLINE:
            tip = row.headline
            if row.snippet:
                where = {"note": " (in your note)", None: ""}.get(
                    row.hit_in, f" (in the {row.hit_in})"
                )
                tip += f"\nMatch{where}: {row.snippet}"
            return plain.tooltip(tip)
        elif role == Qt.ItemDataRole.ToolTipRole and column == COL_SOURCES:
            return plain.tooltip("\n".join(row.sources))
        elif role == Qt.ItemDataRole.AccessibleTextRole and column == COL_MARKS:
            return ", ".join(
                w for w, on in (("starred", row.starred), ("has a note", row.has_note)) if on
            )
        return None

    def _version_data(self, row: VersionRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_HEADLINE:
                return row.title
            if column == COL_SOURCES:
                return row.source
            if column == COL_DATE:
                return date_label(row.published, row.published_inferred)
            if column == COL_MARKS:
                return "★" if row.starred else ""
            return ""
        if role == Qt.ItemDataRole.FontRole and not row.read:
            return self._bold
        return None

    # ----------------------------------------------------------------- updates

    def reset(self, query: StoryQuery) -> None:
        """Start a new query: drop every loaded row and load the first page."""
        self.beginResetModel()
        self.pager.reset(query)
        self.pager.append(self.pager.next_page(FIRST_PAGE))
        self.endResetModel()
        self._settling = True
        QTimer.singleShot(SETTLE_MS, self._settled)

    def _settled(self) -> None:
        self._settling = False

    def refresh_stories(self, rows: list[StoryRow]) -> None:
        """Replace loaded stories in place (after read/star/note changes)."""
        for row in rows:
            pos = self.pager.replace(row)
            if pos is None:
                continue
            self.dataChanged.emit(self.index(pos, 0), self.index(pos, len(COLUMNS) - 1))
            if row.id in self.pager.children:
                parent = self.index(pos, 0)
                fresh = self.pager.load_versions(row.id)
                if len(fresh) == len(self.pager.children[row.id]):
                    self.pager.children[row.id] = fresh
                    if fresh:
                        self.dataChanged.emit(
                            self.index(0, 0, parent),
                            self.index(len(fresh) - 1, len(COLUMNS) - 1, parent),
                        )
                else:
                    self.beginResetModel()
                    self.pager.children.pop(row.id, None)
                    self.endResetModel()
                    return

    def row_of_story(self, story_id: int) -> int | None:
        return self.pager.position.get(story_id)


from reader.gui.sidebar import (  # noqa: E402  (older imports of the left tree's names)
    FEED_ROLE,
    FILTER_ROLE,
    GROUP_ROLE,
    FilterKey,
    LibraryTreeModel,
)

__all__ = [
    "COLUMNS", "COL_BADGE", "COL_DATE", "COL_HEADLINE", "COL_MARKS", "COL_SOURCES",
    "FEED_ROLE", "FILTER_ROLE", "GROUP_ROLE", "HIT_ROLE", "SNIPPET_ROLE", "STORY_ROLE",
    "FilterKey", "LibraryTreeModel", "StoryTreeModel",
]
