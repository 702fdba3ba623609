"""Facade verbs for feeds and saved pages. Mixed into :class:`reader.library.Library`.

Each feed document (a file, or one subscription's refresh) is stored all-or-nothing in one
transaction that also derives stories (and topics, through the core's hooks), exactly as a dump
file is. Network work (fetching feeds, downloading images) runs on worker threads that never
touch the database; everything that writes runs on the thread that owns this library.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reader.errors import BroadsheetError, Cancelled, ImportFailed, NotFound
from reader.feeds import fetch as fetching
from reader.feeds import images
from reader.feeds.opml import Outline, read_opml, write_opml
from reader.feeds.pages import extract_page
from reader.feeds.parse import FeedEntry, ParsedFeed, parse_feed_bytes, parse_feed_file
from reader.feeds.sanitize import image_sources
from reader.feeds.sniff import DUMP, FEED, PAGE, route_file
from reader.library.base import LibraryBase
from reader.library.extraction import NewFeatures
from reader.library.feed_rows import content_hash, entry_rows
from reader.progress import CancelCheck, Progress, never_cancelled, no_progress
from reader.storage import articles as store
from reader.storage import feeds as feed_store
from reader.storage import stories as story_store
from reader.types import FeedInfo, FeedOutcome, FileOutcome

__all__ = ["DUMP", "FEED", "PAGE", "FeedVerbs", "content_hash", "entry_rows", "route_file"]

#: Source of saved pages whose site name is unknown.
SAVED_PAGES_SOURCE = "Saved pages"


class FeedVerbs(LibraryBase):
    """Subscriptions, refreshing, feed files, OPML and saved pages."""

    def _import_file(self, path: Path, progress: Progress, cancelled: CancelCheck) -> FileOutcome:
        """Route feed documents and saved web pages here; everything else to the dump importers
        (:func:`route_file`)."""
        route = route_file(path)
        if route == PAGE:
            return self.import_page(path)
        if route == FEED:
            return self.import_feed_file(path, progress, cancelled)
        outcome: FileOutcome = super()._import_file(path, progress, cancelled)  # type: ignore[misc]
        return outcome

    if TYPE_CHECKING:  # provided by CoreVerbs in the assembled Library

        def _fingerprint(self, path: Path) -> tuple[int, str, FileOutcome | None]: ...

        def _after_insert(
            self,
            new_ids: list[int],
            progress: Progress,
            cancelled: CancelCheck,
            extraction: NewFeatures | None = None,
        ) -> None: ...

    # ------------------------------------------------------------------ subscriptions

    def add_feed(self, url: str, folder: str | None = None) -> FeedInfo:
        """Subscribe to a feed URL (nothing is fetched until the next refresh)."""
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise ImportFailed(url, "a feed address must start with http:// or https://")
        with self.db.atomic():
            feed_id = feed_store.add_feed(self.db, url, folder)
        return feed_store.list_feeds(self.db, [feed_id])[0]

    def feeds(self) -> list[FeedInfo]:
        return feed_store.list_feeds(self.db)

    def feed(self, id_or_url: int | str) -> FeedInfo:
        return feed_store.list_feeds(self.db, [self._feed_id(id_or_url)])[0]

    def remove_feed(self, id_or_url: int | str) -> FeedInfo:
        """Unsubscribe; the articles already stored stay in the library."""
        info = self.feed(id_or_url)
        with self.db.atomic():
            feed_store.remove_feed(self.db, info.id)
        return info

    def set_feed_images(self, id_or_url: int | str, enabled: bool) -> None:
        """Per-feed opt-out of the offline image cache."""
        with self.db.atomic():
            feed_store.set_cache_images(self.db, self._feed_id(id_or_url), enabled)

    # ------------------------------------------------------------------ image cache

    def image_cache_limit(self) -> int:
        """The offline image cache cap in bytes (1 GB unless the user set another)."""
        return feed_store.image_cache_limit(self.db, images.DEFAULT_CACHE_BYTES)

    def set_image_cache_limit(self, limit_bytes: int) -> int:
        """Set the cap (kept in the library, so the CLI and the window share it) and evict
        the oldest images above it now; returns how many files were removed."""
        if limit_bytes < 0:
            raise BroadsheetError("the image cache cap cannot be negative")
        with self.db.atomic():
            feed_store.set_image_cache_limit(self.db, limit_bytes)
        return images.evict(images.cache_dir(self.path), limit_bytes)

    def image_cache_size(self) -> tuple[int, int]:
        """``(bytes, files)`` in the image cache now."""
        return images.cache_size(self.path)

    def _feed_id(self, id_or_url: int | str) -> int:
        found = feed_store.feed_id(self.db, id_or_url)
        if found is None:
            raise NotFound(f"no feed subscription {id_or_url!r}")
        return found

    # ------------------------------------------------------------------ refreshing

    def refresh_feeds(
        self,
        ids: Sequence[int] | None = None,
        progress: Progress = no_progress,
        cancelled: CancelCheck = never_cancelled,
        *,
        workers: int = fetching.WORKERS,
        timeout: float = fetching.TIMEOUT,
        cache_images: bool = True,
        image_cache_bytes: int | None = None,
    ) -> list[FeedOutcome]:
        """Fetch the given subscriptions (default: all) and store what changed.

        Images are cached for feeds that have not opted out, within ``image_cache_bytes``
        (default: the cap stored with :meth:`set_image_cache_limit`, 1 GB unless set).

        Fetches run concurrently; each feed is stored in its own transaction as soon as it
        arrives, so one bad feed never stops the others and a cancel keeps finished feeds.
        """
        subscriptions = {f.id: f for f in feed_store.list_feeds(self.db, ids)}
        requests = [
            fetching.FetchRequest(f.id, f.url, f.etag, f.last_modified)
            for f in subscriptions.values()
        ]
        outcomes: list[FeedOutcome] = []
        image_articles: list[int] = []
        total = len(requests)
        progress(0, total, "Refreshing feeds")
        for result in fetching.fetch_many(requests, workers, timeout, cancelled):
            info = subscriptions[result.key]
            outcome, new_or_changed = self._store_fetch(info, result, progress, cancelled)
            outcomes.append(outcome)
            if info.cache_images and cache_images:
                image_articles.extend(new_or_changed)
            progress(len(outcomes), total, f"{outcome.title or outcome.url}")
        if image_articles and not cancelled():
            limit = self.image_cache_limit() if image_cache_bytes is None else image_cache_bytes
            cached = self._cache_images(image_articles, limit) if limit > 0 else 0
            if cached:
                outcomes = [o for o in outcomes]  # counts are informative only
        progress(total, total, "Feeds refreshed")
        return sorted(outcomes, key=lambda o: (o.title or o.url).lower())

    def _store_fetch(
        self,
        info: FeedInfo,
        result: fetching.FetchResult,
        progress: Progress,
        cancelled: CancelCheck,
    ) -> tuple[FeedOutcome, list[int]]:
        outcome, changed = self._store_fetch_result(info, result, progress, cancelled)
        if outcome.ok and result.moved_to and result.moved_to != info.url:
            outcome = self._follow_move(outcome, info, result.moved_to)
        return outcome, changed

    def _follow_move(self, outcome: FeedOutcome, info: FeedInfo, new_url: str) -> FeedOutcome:
        """After a good refresh through a permanent redirect (301/308), subscribe to the
        new address, so later refreshes go there directly. Temporary redirects never
        get here: :attr:`FetchResult.moved_to` only follows leading permanent hops."""
        with self.db.atomic():
            moved = feed_store.move_feed(self.db, info.id, new_url)
        if moved:
            note = f"the feed moved permanently; the subscription now uses {new_url}"
            return replace(outcome, url=new_url, warnings=(*outcome.warnings, note))
        note = (f"the feed moved permanently to {new_url}, which is already another "
                "subscription; this one keeps its address")
        return replace(outcome, warnings=(*outcome.warnings, note))

    def _store_fetch_result(
        self,
        info: FeedInfo,
        result: fetching.FetchResult,
        progress: Progress,
        cancelled: CancelCheck,
    ) -> tuple[FeedOutcome, list[int]]:
        title = info.title or info.url
        if result.error is not None or (result.body is None and not result.not_modified):
            error = result.error or "the server sent nothing"
            with self.db.atomic():
                feed_store.record_fetch(self.db, info.id, status="error", error=error)
            return FeedOutcome(info.id, info.url, title, error=error), []
        if result.not_modified:
            with self.db.atomic():
                feed_store.record_fetch(self.db, info.id, status="not-modified")
            return FeedOutcome(info.id, info.url, title, not_modified=True), []
        assert result.body is not None
        try:
            parsed = parse_feed_bytes(
                result.body, where=info.url, base_url=result.final_url,
                content_type=result.content_type,
            )
        except ImportFailed as exc:
            with self.db.atomic():
                feed_store.record_fetch(self.db, info.id, status="error", error=exc.reason)
            return FeedOutcome(info.id, info.url, title, error=exc.reason), []
        try:
            with self.db.atomic():
                source = (
                    info.source_id
                    if info.source_id is not None
                    else feed_store.source_for_feed(self.db, parsed.title or info.url)
                )
                stored = self._store_entries(source, None, parsed, progress, cancelled)
                feed_store.record_fetch(
                    self.db, info.id, status="ok", etag=result.etag,
                    last_modified=result.last_modified, title=parsed.title or None,
                    source=source,
                )
        except Cancelled:
            raise
        except sqlite3.Error as exc:
            reason = f"could not store it ({exc}); nothing from this feed was stored"
            return FeedOutcome(info.id, info.url, title, error=reason), []
        return (
            FeedOutcome(
                info.id, info.url, info.title or parsed.title or info.url,
                added=len(stored.added), updated=len(stored.updated),
                unchanged=stored.unchanged, warnings=parsed.warnings,
            ),
            stored.added + stored.updated,
        )

    def _store_entries(
        self,
        source: int,
        file_id: int | None,
        parsed: ParsedFeed,
        progress: Progress,
        cancelled: CancelCheck,
    ) -> feed_store.UpsertResult:
        """Upsert one feed's entries and derive stories; inside the caller's transaction."""
        result = feed_store.upsert_entries(self.db, source, file_id, entry_rows(parsed.entries))
        self._after_insert(result.added, progress, cancelled)
        if result.touched_stories:
            story_store.refresh_stories(self.db, result.touched_stories)
        return result

    def _cache_images(self, article_ids: list[int], limit_bytes: int) -> int:
        """Download the images of these articles and point their HTML at the local copies."""
        rows = feed_store.html_of(self.db, article_ids)
        wanted = [src for _, html in rows for src in image_sources(html)]
        if not wanted:
            return 0
        names = images.download_images(self.path, wanted, limit_bytes=limit_bytes)
        if not names:
            return 0
        changed = [(i, images.rewrite_sources(h, names)) for i, h in rows]
        changed = [(i, h) for (i, h), (_, old) in zip(changed, rows, strict=True) if h != old]
        with self.db.atomic():
            feed_store.set_html(self.db, changed)
        return len(names)

    def article_html(self, article_id: int) -> str | None:
        """The sanitised HTML of a feed article or saved page (None for dump articles)."""
        return feed_store.article_html(self.db, article_id)

    def image_path(self, src: str) -> Path | None:
        """The cached file for an image source, or None (show "image not cached")."""
        return images.cached_image_path(self.path, src)

    # ------------------------------------------------------------------ files

    def import_feed_file(
        self,
        path: Path | str,
        progress: Progress = no_progress,
        cancelled: CancelCheck = never_cancelled,
    ) -> FileOutcome:
        """Import an RSS/Atom/JSON feed file; re-importing updates entries in place.

        Raises :class:`ImportFailed` (library untouched) when the file is not a usable feed.
        """
        path = Path(path)
        size, sha, seen = self._fingerprint(path)
        if seen is not None:
            return seen
        parsed = parse_feed_file(path)
        progress(0, len(parsed.entries), f"Storing {path.name}")
        name = parsed.title or path.stem
        try:
            with self.db.atomic():
                file_id = store.insert_file(
                    self.db, str(path), sha, size, f"feed-{parsed.format}", parsed.encoding
                )
                source = feed_store.source_for_feed(self.db, name)
                result = self._store_entries(source, file_id, parsed, progress, cancelled)
                store.set_file_article_count(self.db, file_id, len(parsed.entries))
        except sqlite3.Error as exc:
            raise ImportFailed(
                path, f"could not store it ({exc}); nothing from this file was stored"
            ) from exc
        warnings = parsed.warnings
        if result.updated:
            warnings += (f"{len(result.updated)} entries changed and were updated in place",)
        if result.folded:
            warnings += (f"{result.folded} repeated entries inside the file were stored once",)
        return FileOutcome(
            str(path), f"feed ({parsed.format})", name, added=len(result.added),
            already_present=result.unchanged + len(result.updated), folded=result.folded,
            warnings=warnings,
        )

    def import_page(self, path: Path | str) -> FileOutcome:
        """Import a saved web page's article. Raises :class:`ImportFailed` if it has none."""
        path = Path(path)
        size, sha, seen = self._fingerprint(path)
        if seen is not None:
            return seen
        page = extract_page(path)
        entry = FeedEntry(
            guid=None, link=page.url, title=page.title, text=page.text, html=page.html,
            author=page.author, published=page.published, updated=None,
        )
        name = page.site or SAVED_PAGES_SOURCE
        try:
            with self.db.atomic():
                file_id = store.insert_file(
                    self.db, str(path), sha, size, "page", None
                )
                source = store.source_id(self.db, name, kind="page")
                parsed = ParsedFeed("page", name, page.url, "", [entry])
                result = self._store_entries(
                    source, file_id, parsed, no_progress, never_cancelled
                )
                store.set_file_article_count(self.db, file_id, 1)
        except sqlite3.Error as exc:
            raise ImportFailed(
                path, f"could not store it ({exc}); nothing from this page was stored"
            ) from exc
        return FileOutcome(
            str(path), "page", name, added=len(result.added),
            already_present=result.unchanged + len(result.updated),
        )

    # ------------------------------------------------------------------ OPML

    def import_opml(self, path: Path | str) -> list[FeedInfo]:
        """Subscribe to every feed in an OPML file, keeping its folders. Returns the feeds."""
        outlines = read_opml(Path(path))
        with self.db.atomic():
            ids = [
                feed_store.add_feed(self.db, o.url, o.folder, o.title) for o in outlines
                if o.url.lower().startswith(("http://", "https://"))
            ]
        return feed_store.list_feeds(self.db, ids)

    def export_opml(self, path: Path | str) -> int:
        """Write every subscription to an OPML file; return how many."""
        feeds = self.feeds()
        try:
            write_opml(Path(path), [Outline(f.url, f.title, f.folder) for f in feeds])
        except OSError as exc:
            raise ImportFailed(path, f"cannot write the file ({exc.strerror})") from exc
        return len(feeds)
