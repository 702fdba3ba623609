"""Immutable value types shared by the core, the CLI and the GUI.

The facade (:class:`reader.library.Library`) returns these, never sqlite rows, so that
widgets and models do not know the schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# --------------------------------------------------------------------------- importing


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One article as an importer read it, before it is stored.

    ``body`` is plain text that keeps the structure readable: paragraphs are separated by a
    blank line, and headings, numbered items (``1. ``) and bullets (``• ``) each sit on their
    own line. ``published`` is timezone-aware UTC; ``published_inferred`` is True when the date
    was read from the prose rather than from the format's own metadata.
    """

    title: str
    body: str
    position: int
    published: datetime | None = None
    published_inferred: bool = False
    url: str | None = None
    external_id: str | None = None
    author: str | None = None
    attachments: tuple[str, ...] = ()
    #: Per-article source (JSON Lines rows carry their own); None means the file's source.
    source: str | None = None
    #: Restored state from Broadsheet's own export; ignored for other formats.
    read: bool = False
    starred: bool = False
    note: str | None = None
    story_key: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one input file."""

    path: str
    format: str | None
    source: str | None
    added: int = 0
    already_present: int = 0
    #: Duplicates *inside* this file that were folded into the first copy.
    folded: int = 0
    error: str | None = None
    skipped_same_file: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Summary of one ``import`` command or GUI import."""

    files: tuple[FileOutcome, ...]
    cancelled: bool = False

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def already_present(self) -> int:
        return sum(f.already_present for f in self.files)

    @property
    def failed(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if not f.ok)


# --------------------------------------------------------------------------- reading


class ReadFilter(StrEnum):
    ALL = "all"
    UNREAD = "unread"
    READ = "read"


class StorySort(StrEnum):
    DATE = "date"  # newest first; undated stories last
    OLDEST = "oldest"  # oldest first; undated stories last
    VERSIONS = "versions"  # most versions first
    TITLE = "title"  # A to Z


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    story_id: int
    source: str
    title: str
    body: str
    published: datetime | None
    published_inferred: bool
    url: str | None
    author: str | None
    external_id: str | None
    attachments: tuple[str, ...]
    read: bool
    starred: bool
    file_path: str | None
    position: int | None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One version of a story, without its body (bodies load only when selected)."""

    article_id: int
    title: str
    source: str
    published: datetime | None
    published_inferred: bool
    read: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One row of the stories list. Cheap: read from the denormalised ``stories`` table."""

    id: int
    headline: str
    headline_article_id: int
    sources: tuple[str, ...]
    size: int
    source_count: int
    first_published: datetime | None
    last_published: datetime | None
    unread: int
    starred: bool
    has_note: bool
    #: Snippet with matched words marked (``[`` ``]`` markers), set for search results.
    snippet: str | None = None
    #: Where a search hit was: "title", "body" or "note".
    hit_in: str | None = None
    #: Opaque keyset cursor for the next page.
    sort_key: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """What the middle pane shows. Every field combines with the others."""

    topic_id: int | None = None
    source_id: int | None = None
    entity_id: int | None = None
    #: A facet's aliases (``Facet.ids``); when set, stories mentioning any of them match.
    entity_ids: tuple[int, ...] = ()
    read: ReadFilter = ReadFilter.ALL
    starred_only: bool = False
    with_notes: bool = False
    search: str = ""
    sort: StorySort = StorySort.DATE
    min_size: int = 1


@dataclass(frozen=True, slots=True)
class SourceCount:
    id: int
    name: str
    articles: int
    unread: int


@dataclass(frozen=True, slots=True)
class Stats:
    path: str
    size_bytes: int
    articles: int
    stories: int
    sources: tuple[SourceCount, ...]
    first_published: datetime | None
    last_published: datetime | None
    notes: int = 0
    topics: int = 0


# --------------------------------------------------------------------------- stories


@dataclass(frozen=True, slots=True)
class GroupReason:
    """Why two versions sit in one story (or would): their similarity, what drives it, and
    any conflict that held it down."""

    article_a: int
    article_b: int
    similarity: float  # the cosine less the conflicts' penalty
    cosine: float  # of the two vectors: what they share
    names: tuple[str, ...] = ()  # the heaviest shared names, heaviest first
    terms: tuple[str, ...] = ()  # the heaviest shared words and figures
    conflicts: tuple[str, ...] = ()  # facts they disagree on ("different magnitude: ...")
    rule: str = ""  # "re-post", "similar", "user merge", or why it is not grouped


@dataclass(frozen=True, slots=True)
class StoryDetail:
    story: StoryRow
    versions: tuple[VersionRow, ...]
    reasons: tuple[GroupReason, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """A sentence of one version, as character offsets into its body."""

    start: int
    end: int
    text: str


# --------------------------------------------------------------------------- topics, facets


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
class MarkedRead:
    """What "Mark all as read" did: the Changes, and the articles it flipped (for undo)."""

    changes: Changes
    article_ids: tuple[int, ...]
    stories: int


# --------------------------------------------------------------------------- notes


@dataclass(frozen=True, slots=True)
class Note:
    story_id: int
    body: str
    created_at: datetime
    updated_at: datetime
    headline: str = ""


@dataclass(frozen=True, slots=True)
class Changes:
    """What a write operation changed, so each pane can decide whether to refresh (Anki-style)."""

    articles: bool = False
    stories: bool = False
    topics: bool = False
    notes: bool = False
    sources: bool = False
    story_ids: tuple[int, ...] = field(default=())


# --------------------------------------------------------------------------- search


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


# --------------------------------------------------------------------------- safety


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


# --------------------------------------------------------------------------- feeds


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """One feed subscription with its last refresh outcome (the GUI's Feeds section)."""

    id: int
    url: str
    title: str
    folder: str | None
    #: "new" (never fetched), "ok", "not-modified" or "error".
    status: str
    last_error: str | None
    last_checked: datetime | None
    cache_images: bool
    source_id: int | None
    etag: str | None = None
    last_modified: str | None = None
    articles: int = 0
    unread: int = 0


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What one feed's refresh did. ``error`` is a one-line reason; the library is untouched
    for that feed when it is set."""

    feed_id: int
    url: str
    title: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    not_modified: bool = False
    error: str | None = None
    warnings: tuple[str, ...] = ()
    images_cached: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None
