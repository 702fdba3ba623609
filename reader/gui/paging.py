"""Plain-Python page fetching behind the stories list (no Qt here).

The Qt model is a thin adapter over :class:`StoryPager`: the pager knows how to ask the
library for the next keyset page and holds only :class:`StoryRow` values (never bodies), so
a list over 1,000,000 articles costs a few pages of small rows.
"""

from __future__ import annotations

from collections.abc import Callable

from reader.types import StoryQuery, StoryRow, VersionRow

PageFetcher = Callable[[StoryQuery, "tuple[object, ...] | None", int], list[StoryRow]]
VersionFetcher = Callable[[int], list[VersionRow]]

#: Rows per fetchMore: a screenful or two; keyset paging makes every page cost the same.
PAGE = 100
#: Rows loaded when a filter or search changes: one tall screenful. A sparse filter's page
#: costs in proportion to its size, and this is the page the user waits for.
FIRST_PAGE = 60


class StoryPager:
    """The loaded prefix of one query's results, extended a page at a time."""

    def __init__(self, fetch: PageFetcher, versions: VersionFetcher) -> None:
        self._fetch = fetch
        self._versions = versions
        self.query = StoryQuery()
        self.rows: list[StoryRow] = []
        self.children: dict[int, list[VersionRow]] = {}
        self.exhausted = False
        self.position: dict[int, int] = {}

    def set_fetchers(self, fetch: PageFetcher, versions: VersionFetcher) -> None:
        """Point at a reopened library (after a restore)."""
        self._fetch = fetch
        self._versions = versions

    def reset(self, query: StoryQuery) -> None:
        self.query = query
        self.rows = []
        self.children = {}
        self.position = {}
        self.exhausted = False

    def next_page(self, size: int = PAGE) -> list[StoryRow]:
        """Fetch (but do not yet append) the next page; :meth:`append` adds it."""
        if self.exhausted:
            return []
        after = self.rows[-1].sort_key if self.rows else None
        page = self._fetch(self.query, after, size)
        if len(page) < size:
            self.exhausted = True
        seen = self.position
        return [row for row in page if row.id not in seen]

    def append(self, page: list[StoryRow]) -> None:
        for row in page:
            self.position[row.id] = len(self.rows)
            self.rows.append(row)

    def load_versions(self, story_id: int) -> list[VersionRow]:
        return self._versions(story_id)

    def replace(self, row: StoryRow) -> int | None:
        """Swap in a fresh copy of a loaded story; returns its position (None if not loaded).

        The row stays where it is even if it no longer matches the filter, so the list does
        not jump under the reader's eyes (like a mail client); the next refresh drops it.
        """
        pos = self.position.get(row.id)
        if pos is None:
            return None
        old = self.rows[pos]
        self.rows[pos] = StoryRow(
            id=row.id, headline=row.headline, headline_article_id=row.headline_article_id,
            sources=row.sources, size=row.size, source_count=row.source_count,
            first_published=row.first_published, last_published=row.last_published,
            unread=row.unread, starred=row.starred, has_note=row.has_note,
            snippet=old.snippet, hit_in=old.hit_in, sort_key=old.sort_key,
        )
        return pos
