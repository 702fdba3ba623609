"""What importers and feed refreshes produce and report.

An importer yields :class:`ParsedArticle` rows; a file's or a feed's outcome says what was
added and what failed, one line each, for the CLI summary and the GUI's import report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
