"""What the stories list and the reader pane show: stories, their versions, and why they
sit together.

Rows are cheap summaries read from denormalised tables; bodies load only for the selected
version. :class:`Changes` tells each pane whether a write touched what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


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


@dataclass(frozen=True, slots=True)
class Changes:
    """What a write operation changed, so each pane can decide whether to refresh (Anki-style)."""

    articles: bool = False
    stories: bool = False
    topics: bool = False
    notes: bool = False
    sources: bool = False
    story_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class MarkedRead:
    """What "Mark all as read" did: the Changes, and the articles it flipped (for undo)."""

    changes: Changes
    article_ids: tuple[int, ...]
    stories: int
