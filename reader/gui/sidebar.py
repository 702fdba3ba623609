"""The left pane: smart views, feeds, topics, sources and people & places, each with the
number of its stories that have something unread (drawn right-aligned, like a mail client).

Counts are stories, never articles, so "Economy 4" means four rows in the list. Rows keep
their plain names as display text (imported names are never rendered); the count is a role
the :class:`CountDelegate` paints. Refreshing counts updates rows in place, so the selection
and the scroll position survive a count change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from reader.gui import plain
from reader.types import Facet, FeedInfo, SidebarCounts, SourceCount, Topic, ViewCount

FILTER_ROLE = Qt.ItemDataRole.UserRole + 3
FEED_ROLE = Qt.ItemDataRole.UserRole + 5  # a feed entry's subscription id
GROUP_ROLE = Qt.ItemDataRole.UserRole + 6  # a group heading's kind ("feed", "topic", ...)
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 7  # stories with an unread version (int)
ALIASES_ROLE = Qt.ItemDataRole.UserRole + 8  # a facet's entity ids (tuple)

#: How a feed's last refresh went, as a short mark before its name.
FEED_MARKS = {"error": "⚠ ", "new": "○ ", "ok": "", "not-modified": ""}

VIEWS = (("all", "All stories"), ("unread", "Unread"), ("starred", "Starred"),
         ("notes", "With notes"))
GROUPS = (("feed", "Feeds"), ("topic", "Topics"), ("source", "Sources"),
          ("entity", "People & places"))


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

    def apply(self, _query: object = None, aliases: tuple[int, ...] = ()) -> dict[str, Any]:
        """StoryQuery field overrides for this entry (a facet filters by all its aliases)."""
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
            return {"entity_id": self.id, "entity_ids": aliases or (self.id,)}
        return {}

    def title(self) -> str:
        return dict(VIEWS).get(self.kind, "")


def count_tip(name: str, count: ViewCount | None) -> str:
    if count is None:
        return name
    noun = "story" if count.stories == 1 else "stories"
    return f"{name}\n{count.unread} unread of {count.stories} {noun}"


class LibraryTreeModel(QStandardItemModel):
    """The left pane: a few dozen rows, updated in place whenever counts change."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Library"])
        self.groups: dict[str, QStandardItem] = {}
        self.views: dict[str, QStandardItem] = {}
        root = self.invisibleRootItem()
        for kind, label in VIEWS:
            item = self._leaf(label, FilterKey(kind))
            self.views[kind] = item
            root.appendRow(item)
        for name, label in GROUPS:
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
    def _leaf(label: str, key: FilterKey, tooltip: str = "", unread: int = 0) -> QStandardItem:
        item = QStandardItem(label)
        item.setData(key.encode(), FILTER_ROLE)
        item.setData(unread, UNREAD_ROLE)
        item.setEditable(False)
        item.setToolTip(plain.tooltip(tooltip or label))
        return item

    def _fill(self, group: str, items: list[QStandardItem]) -> None:
        """Replace a group's rows, or update them in place when the entries are the same."""
        parent = self.groups[group]
        old = [parent.child(r) for r in range(parent.rowCount())]
        same = len(old) == len(items) and all(
            o is not None and o.data(FILTER_ROLE) == n.data(FILTER_ROLE)
            and o.data(FEED_ROLE) == n.data(FEED_ROLE) and o.flags() == n.flags()
            for o, n in zip(old, items, strict=True)
        )
        if same:
            for o, n in zip(old, items, strict=True):
                assert o is not None
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                             UNREAD_ROLE, ALIASES_ROLE):
                    if o.data(role) != n.data(role):
                        o.setData(n.data(role), role)
            return
        if parent.rowCount():
            parent.removeRows(0, parent.rowCount())
        if items:
            parent.appendRows(items)

    def set_views(self, counts: SidebarCounts) -> None:
        for kind, label in VIEWS:
            count = counts.views.get(kind)
            item = self.views[kind]
            item.setData(count.unread if count else 0, UNREAD_ROLE)
            item.setToolTip(plain.tooltip(count_tip(label, count)))

    def set_topics(self, topics: list[Topic], counts: SidebarCounts | None = None) -> None:
        items = []
        for t in topics:
            count = counts.topics.get(t.id, ViewCount(0, 0)) if counts else None
            items.append(self._leaf(t.name, FilterKey("topic", t.id),
                                    f"{count_tip(t.name, count)}\nRule: {t.rule}",
                                    count.unread if count else 0))
        self._fill("topic", items)

    def set_sources(self, sources: list[SourceCount], counts: SidebarCounts | None = None) -> None:
        items = []
        for s in sources:
            count = counts.sources.get(s.id, ViewCount(0, 0)) if counts else None
            items.append(self._leaf(s.name, FilterKey("source", s.id), count_tip(s.name, count),
                                    count.unread if count else 0))
        self._fill("source", items)

    def set_feeds(self, feeds: list[FeedInfo], counts: SidebarCounts | None = None) -> None:
        """One entry per subscription; selecting it shows its source's stories."""
        items = []
        for feed in feeds:
            key = FilterKey("source", feed.source_id) if feed.source_id is not None else None
            count = counts.sources.get(feed.source_id) if counts and feed.source_id else None
            item = self._leaf(feed_label(feed), key or FilterKey("feed", feed.id),
                              feed_tooltip(feed, count), count.unread if count else 0)
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
        items = []
        for f in facets:
            if f.hidden:
                continue
            tip = count_tip(f.name, ViewCount(f.stories, f.unread))
            if f.aliases:
                tip += "\nAlso written: " + ", ".join(f.aliases)
            item = self._leaf(f.name, FilterKey("entity", f.id), tip, f.unread)
            item.setData(tuple(f.ids) or (f.id,), ALIASES_ROLE)
            items.append(item)
        self._fill("entity", items)

    def find(self, key: FilterKey) -> QModelIndex:
        wanted = key.encode()
        matches = self.match(
            self.index(0, 0), FILTER_ROLE, wanted, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return matches[0] if matches else QModelIndex()

    def aliases(self, key: FilterKey) -> tuple[int, ...]:
        index = self.find(key)
        value = index.data(ALIASES_ROLE) if index.isValid() else None
        return tuple(value) if isinstance(value, (tuple, list)) else ()


class CountDelegate(QStyledItemDelegate):
    """Draws a row's name, then its unread count right-aligned (nothing when zero)."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        unread = index.data(UNREAD_ROLE)
        if not isinstance(unread, int) or unread <= 0:
            super().paint(painter, option, index)
            return
        opt: Any = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = str(unread)
        font = QFont(opt.font)
        font.setBold(True)
        width = opt.fontMetrics.horizontalAdvance(text) + opt.fontMetrics.averageCharWidth() * 2
        rect = QRect(opt.rect)
        opt.rect = rect.adjusted(0, 0, -width, 0)
        widget: QWidget | None = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            full: Any = QStyleOptionViewItem(opt)
            full.rect = rect
            full.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, widget)
            opt.state &= ~QStyle.StateFlag.State_Selected  # background drawn once, above
            opt.backgroundBrush = Qt.BrushStyle.NoBrush
            selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
            if selected:
                opt.palette.setColor(QPalette.ColorRole.Text,
                                     opt.palette.color(QPalette.ColorRole.HighlightedText))
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        painter.save()
        painter.setFont(font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        box = QRect(rect.right() - width, rect.top(), width - 4, rect.height())
        painter.drawText(box, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                         text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return super().sizeHint(option, index)


def feed_label(feed: FeedInfo) -> str:
    """``⚠ Harbour Gazette``: status mark and title (the count is drawn beside it)."""
    name = feed.title or feed.url
    return f"{FEED_MARKS.get(feed.status, '')}{name}"


def feed_tooltip(feed: FeedInfo, count: ViewCount | None = None) -> str:
    """Address, status, last check and the last error in full."""
    status = {
        "new": "not refreshed yet", "ok": "refreshed", "not-modified": "unchanged at last check",
        "error": "the last refresh failed",
    }.get(feed.status, feed.status)
    lines = [feed.url, f"Status: {status}"]
    if feed.last_checked is not None:
        lines.append(f"Last checked: {feed.last_checked:%d %b %Y %H:%M}")
    if count is not None:
        lines.append(f"{count.unread} unread of {count.stories} stories")
    else:
        lines.append(f"{feed.articles} article(s), {feed.unread} unread")
    if feed.last_error:
        lines.append(f"Last error: {feed.last_error}")
    if feed.folder:
        lines.append(f"Folder: {feed.folder}")
    return "\n".join(lines)
