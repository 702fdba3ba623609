"""Facade verbs of the unread flow: sidebar counts, "mark all as read" with undo, and the
change counter the window polls to notice another process writing the library.

Mixed into :class:`reader.library.Library` ahead of the other verbs; SQL lives in
:mod:`reader.storage.read_state`.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.library.core import CoreVerbs
from reader.query import parse_search
from reader.storage import read_state as store
from reader.storage import search as search_store
from reader.storage.search import RANK_CAP, count_hits
from reader.types import Changes, MarkedRead, SidebarCounts, StoryQuery

#: Stories a search view can mark read at once (as many as the search lists).
SEARCH_LIMIT = 10_000


class ReadStateVerbs(CoreVerbs):
    """Counts per sidebar entry, marking a whole view read (and back), change polling."""

    def sidebar_counts(self) -> SidebarCounts:
        """Stories and unread stories of the smart views, every topic and every source."""
        return store.sidebar_counts(self.db)

    def _view_story_ids(self, query: StoryQuery) -> list[int]:
        among: list[int] | None = None
        if query.search.strip():
            node = parse_search(query.search)
            among = [] if node is None else search_store.matching_story_ids(
                self.db, node, SEARCH_LIMIT)
        return store.unread_stories_in(self.db, query, among)

    def mark_view_read(self, query: StoryQuery) -> MarkedRead:
        """Mark every story the view shows read (all their versions), in one transaction.

        The result carries the articles flipped, for :meth:`undo_mark_read`.
        """
        with self.db.atomic():
            stories = self._view_story_ids(query)
            flipped = store.mark_stories_read(self.db, stories)
            self._on_read_changed(flipped, True)
        changes = Changes(articles=True, stories=True, topics=bool(flipped),
                          story_ids=tuple(stories))
        return MarkedRead(changes=changes, article_ids=tuple(flipped), stories=len(stories))

    def undo_mark_read(self, article_ids: Sequence[int]) -> Changes:
        """Put back the unread state that :meth:`mark_view_read` took away."""
        with self.db.atomic():
            flipped, stories = store.mark_articles_unread(self.db, article_ids)
            self._on_read_changed(flipped, False)
        return Changes(articles=True, stories=True, topics=bool(flipped),
                       story_ids=tuple(sorted(stories)))

    def story_in_view(self, query: StoryQuery, story_id: int) -> bool:
        """Whether a story belongs to a view (its filters and its search)."""
        if not store.story_matches(self.db, query, story_id):
            return False
        if not query.search.strip():
            return True
        node = parse_search(query.search)
        return node is not None and story_id in search_store.matching_story_ids(
            self.db, node, SEARCH_LIMIT)

    def search_is_ranked(self, search: str) -> bool:
        """True when a search is listed by relevance; False when it matches so much of the
        library that it is listed newest first (see :mod:`reader.storage.search`)."""
        node = parse_search(search)
        if node is None:
            return True
        from reader.query import to_fts

        return count_hits(self.db, to_fts(node), RANK_CAP) <= RANK_CAP

    def data_version(self) -> int:
        """A number that changes when another connection (another process: the CLI, an
        import child) commits to the library; the window polls it on its worker."""
        return store.data_version(self.db)
