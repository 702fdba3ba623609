"""Qt item models: thin adapters over plain-Python data (see :mod:`reader.gui.paging`).

:class:`StoryTreeModel` pages stories lazily with ``canFetchMore``/``fetchMore`` and loads a
story's versions only when it is expanded. :class:`LibraryTreeModel` is the small left-hand
tree (views, topics, sources, people & places). Neither ever holds an article body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from reader.gui import plain
from reader.gui.labels import badge, date_label, marks, sources_label
from reader.gui.paging import FIRST_PAGE, PAGE, StoryPager
from reader.types import (
    Facet,
    FeedInfo,
    SourceCount,
    StoryQuery,
    StoryRow,
    Topic,
    VersionRow,
)

#: How a feed's last refresh went, as a short mark before its name.
FEED_MARKS = {"error": "⚠ ", "new": "○ ", "ok": "", "not-modified": ""}

AnyIndex = QModelIndex | QPersistentModelIndex

#: Custom roles.
STORY_ROLE = Qt.ItemDataRole.UserRole + 1  # StoryRow (top level) or VersionRow (child)
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3
HIT_ROLE = Qt.ItemDataRole.UserRole + 4  # where a search hit was: "title", "body", "note"
FEED_ROLE = Qt.ItemDataRole.UserRole + 5  # a feed entry's subscription id
GROUP_ROLE = Qt.ItemDataRole.UserRole + 6  # a group heading's kind ("feed", "topic", ...)

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


# ------------------------------------------------------------------------- left tree


@dataclass(frozen=True, slots=True)
class FilterKey:
    """What a left-hand entry selects: ``kind`` in all/unread/starred/notes/topic/source/entity."""

    kind: str
    id: int = 0

    def encode(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def decode(cls, text: str) -> FilterKey:
        kind, _, ident = text.partition(":")
        if kind not in {"all", "unread", "starred", "notes", "topic", "source", "entity", "feed"}:
            return cls("all")
        try:
            return cls(kind, int(ident or 0))
        except ValueError:
            return cls("all")

    def apply(self, query: StoryQuery) -> dict[str, Any]:
        """StoryQuery field overrides for this entry."""
        from reader.types import ReadFilter

        if self.kind == "unread":
            return {"read": ReadFilter.UNREAD}
        if self.kind == "starred":
            return {"starred_only": True}
        if self.kind == "notes":
            return {"with_notes": True}
        if self.kind == "topic":
            return {"topic_id": self.id}
        if self.kind == "source":
            return {"source_id": self.id}
        if self.kind == "entity":
            return {"entity_id": self.id}
        return {}


class LibraryTreeModel(QStandardItemModel):
    """The left pane: a few dozen rows, rebuilt whenever counts change."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Library"])
        self.groups: dict[str, QStandardItem] = {}
        root = self.invisibleRootItem()
        for key, label in (
            (FilterKey("all"), "All stories"),
            (FilterKey("unread"), "Unread"),
            (FilterKey("starred"), "Starred"),
            (FilterKey("notes"), "With notes"),
        ):
            root.appendRow(self._leaf(label, key))
        for name, label in (
            ("feed", "Feeds"),
            ("topic", "Topics"),
            ("source", "Sources"),
            ("entity", "People & places"),
        ):
            group = QStandardItem(label)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font()
            font.setBold(True)
            group.setFont(font)
            group.setData(name, GROUP_ROLE)
            root.appendRow(group)
            self.groups[name] = group
        self.set_feeds([])

    @staticmethod
    def _leaf(label: str, key: FilterKey, tooltip: str = "") -> QStandardItem:
        item = QStandardItem(label)
        item.setData(key.encode(), FILTER_ROLE)
        item.setEditable(False)
        if tooltip:
            item.setToolTip(plain.tooltip(tooltip))
        return item

    def _fill(self, group: str, items: list[QStandardItem]) -> None:
        parent = self.groups[group]
        if parent.rowCount():
            parent.removeRows(0, parent.rowCount())
        if items:
            parent.appendRows(items)

    def set_topics(self, topics: list[Topic]) -> None:
        self._fill(
            "topic",
            [
                self._leaf(
                    f"{t.name}  ({t.unread}/{t.total})" if t.total else t.name,
                    FilterKey("topic", t.id),
                    f"{t.unread} unread of {t.total} articles\nRule: {t.rule}",
                )
                for t in topics
            ],
        )

    def set_sources(self, sources: list[SourceCount]) -> None:
        self._fill(
            "source",
            [
                self._leaf(
                    f"{s.name}  ({s.articles})",
                    FilterKey("source", s.id),
                    f"{s.unread} unread of {s.articles} articles",
                )
                for s in sources
            ],
        )

    def set_feeds(self, feeds: list[FeedInfo]) -> None:
        """One entry per subscription; selecting it shows its source's stories."""
        items = []
        for feed in feeds:
            key = FilterKey("source", feed.source_id) if feed.source_id is not None else None
            item = self._leaf(feed_label(feed), key or FilterKey("feed", feed.id),
                              feed_tooltip(feed))
            if key is None:  # never fetched: nothing to show yet
                item.setData(None, FILTER_ROLE)
            item.setData(feed.id, FEED_ROLE)
            items.append(item)
        self._fill("feed", items or [self._hint("No feeds yet: right-click to add one")])

    @staticmethod
    def _hint(text: str) -> QStandardItem:
        """A greyed, unselectable line that says what an empty group is for."""
        item = QStandardItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        return item

    def set_facets(self, facets: list[Facet]) -> None:
        self._fill(
            "entity",
            [
                self._leaf(f"{f.name}  ({f.count})", FilterKey("entity", f.id), f.kind)
                for f in facets
                if not f.hidden
            ],
        )

    def find(self, key: FilterKey) -> QModelIndex:
        wanted = key.encode()
        matches = self.match(
            self.index(0, 0), FILTER_ROLE, wanted, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return matches[0] if matches else QModelIndex()


def feed_label(feed: FeedInfo) -> str:
    """``⚠ Harbour Gazette  (3)``: status mark, title, unread count."""
    name = feed.title or feed.url
    count = f"  ({feed.unread})" if feed.unread else ""
    return f"{FEED_MARKS.get(feed.status, '')}{name}{count}"


def feed_tooltip(feed: FeedInfo) -> str:
    """Address, status, last check and the last error in full."""
    status = {
        "new": "not refreshed yet", "ok": "refreshed", "not-modified": "unchanged at last check",
        "error": "the last refresh failed",
    }.get(feed.status, feed.status)
    lines = [feed.url, f"Status: {status}"]
    if feed.last_checked is not None:
        lines.append(f"Last checked: {feed.last_checked:%d %b %Y %H:%M}")
    lines.append(f"{feed.articles} article(s), {feed.unread} unread")
    if feed.last_error:
        lines.append(f"Last error: {feed.last_error}")
    if feed.folder:
        lines.append(f"Folder: {feed.folder}")
    return "\n".join(lines)
