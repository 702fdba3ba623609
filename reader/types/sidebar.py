"""What the sidebar and the side views show: topics, people & places, notes, search hits,
and the library's safety records (backups, checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Topic:
    id: int
    name: str
    rule: str
    builtin: bool
    total: int = 0
    unread: int = 0


@dataclass(frozen=True, slots=True)
class Facet:
    """One entry of People & places: a name with its aliases folded in ("US", "U.S." and
    "United States" are one facet). ``count`` is articles mentioning any alias; ``stories``
    and ``unread`` are stories (the unit of the list), so the sidebar counts like the list."""

    id: int
    name: str
    kind: str  # "person", "place", "org" or "name" when unknown
    count: int
    hidden: bool = False
    stories: int = 0
    unread: int = 0
    aliases: tuple[str, ...] = ()
    #: Every entity id the facet stands for (its own first); filter with all of them.
    ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ViewCount:
    """Stories in one sidebar entry, and how many of them have an unread version."""

    stories: int
    unread: int


@dataclass(frozen=True, slots=True)
class SidebarCounts:
    """Story counts for every sidebar entry, read in one go (see ``Library.sidebar_counts``).

    ``views`` is keyed by "all", "unread", "starred" and "notes"; ``topics`` and ``sources``
    by id. Counts are stories, like the list, never articles.
    """

    views: dict[str, ViewCount]
    topics: dict[int, ViewCount]
    sources: dict[int, ViewCount]


@dataclass(frozen=True, slots=True)
class Note:
    story_id: int
    body: str
    created_at: datetime
    updated_at: datetime
    headline: str = ""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the best-matching version of a story, or the story's note.

    ``snippet`` marks matched words with ``[`` and ``]``; ``hit_in`` is "title", "body" or
    "note". ``article_id`` is None for a note hit.
    """

    story_id: int
    article_id: int | None
    title: str
    source: str
    published: datetime | None
    snippet: str
    hit_in: str
    read: bool


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One dated backup of the library (see :mod:`reader.storage.backup`).

    ``path`` is a string so this module stays free of filesystem types; ``sequence`` orders
    backups taken within the same second. ``verified``: True when checked sound, False when
    checked damaged, None when not checked (or changed since).
    """

    path: str
    created: datetime
    size_bytes: int
    sequence: int = 0
    verified: bool | None = None


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What ``check`` found. ``ok`` is True only when ``problems`` is empty.

    ``full`` tells whether SQLite's full ``integrity_check`` ran (else ``quick_check``);
    the counts let the user see how far the search index is from the articles and notes.
    """

    ok: bool
    full: bool
    problems: tuple[str, ...]
    articles: int
    articles_indexed: int
    notes: int
    notes_indexed: int
    seconds: float
