"""Core verbs: importing files, reading stories and articles, read state, stats.

An import is all-or-nothing per file: each file is parsed as a stream and stored inside one
transaction that also assigns stories and topics, so a failure, a cancel or a crash leaves
no trace of that file, and files already finished stay.
"""

from __future__ import annotations

import errno
import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from reader.errors import Cancelled, ImportFailed
from reader.grouping.pool import ExtractionPool
from reader.importers import ParsedFile, iter_input_files, open_import
from reader.library import grouping
from reader.library.base import LibraryBase
from reader.library.extraction import NewFeatures, new_features
from reader.progress import CancelCheck, Progress, check_cancelled, never_cancelled, no_progress
from reader.storage import articles as store
from reader.storage import notes as note_store
from reader.storage import reading
from reader.storage import stories as story_store
from reader.text import identity_hash
from reader.types import (
    Article,
    Changes,
    FileOutcome,
    ImportReport,
    ParsedArticle,
    SourceCount,
    Stats,
    StoryQuery,
    StoryRow,
    VersionRow,
)

#: Joins two notes that meet in one story (merges, restores), as story merging does.
NOTE_SEPARATOR = "\n\n---\n\n"

#: Articles stored per executemany batch: big enough to amortise statement overhead,
#: small enough that progress and cancel stay responsive.
IMPORT_BATCH = 2000


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _batches(items: Iterator[ParsedArticle], size: int) -> Iterator[list[ParsedArticle]]:
    batch: list[ParsedArticle] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _storage_reason(exc: BaseException) -> str:
    """A user-facing reason for a storage failure (disk full, read-only, locked)."""
    text = str(exc).lower()
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "disk is full" in text:
        return "the disk is full; nothing from this file was stored"
    if "readonly" in text or "read-only" in text:
        return "the library is read-only; nothing from this file was stored"
    if "locked" in text or "busy" in text:
        return "the library is busy in another program; nothing from this file was stored"
    return f"could not store it ({exc}); nothing from this file was stored"


class CoreVerbs(LibraryBase):
    """Import, read, mark, stats."""

    # ------------------------------------------------------------------ import

    def import_paths(
        self,
        paths: Sequence[Path | str],
        progress: Progress = no_progress,
        cancelled: CancelCheck = never_cancelled,
    ) -> ImportReport:
        """Import files and folders (recursively). One bad file never stops the others.

        Cancelling rolls back the file in progress and keeps the files already finished.
        """
        outcomes: list[FileOutcome] = []
        inputs = list(iter_input_files([Path(p) for p in paths]))
        for index, item in enumerate(inputs):
            if isinstance(item, ImportFailed):
                outcomes.append(FileOutcome(item.path, None, None, error=item.reason))
                continue
            if cancelled():
                return ImportReport(tuple(outcomes), cancelled=True)
            progress(index, len(inputs), f"Importing {item.name}")
            try:
                outcomes.append(self._import_file(item, progress, cancelled))
            except Cancelled:
                return ImportReport(tuple(outcomes), cancelled=True)
            except ImportFailed as exc:
                outcomes.append(FileOutcome(str(item), None, None, error=exc.reason))
        progress(len(inputs), len(inputs), "Import finished")
        return ImportReport(tuple(outcomes))

    def _fingerprint(self, path: Path) -> tuple[int, str, FileOutcome | None]:
        """``(size, sha256, outcome)``; the outcome is set when this very file was imported
        before, which makes importing it again a no-op."""
        try:
            size = path.stat().st_size
            sha = file_sha256(path)
        except OSError as exc:
            raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
        seen = store.imported_file(self.db, sha)
        if seen is None:
            return size, sha, None
        return size, sha, FileOutcome(
            str(path), None, None, already_present=seen[1], skipped_same_file=True
        )

    def _import_file(self, path: Path, progress: Progress, cancelled: CancelCheck) -> FileOutcome:
        size, sha, seen = self._fingerprint(path)
        if seen is not None:
            return seen
        try:
            with (
                open_import(path) as parsed,
                self.db.atomic(),
                new_features(self.db) as extraction,
            ):
                outcome = self._store_parsed(
                    path, sha, size, parsed, extraction, progress, cancelled
                )
        except (ImportFailed, Cancelled):
            raise
        except (sqlite3.Error, OSError) as exc:
            raise ImportFailed(path, _storage_reason(exc)) from exc
        return outcome

    def _store_parsed(
        self,
        path: Path,
        sha: str,
        size: int,
        parsed: ParsedFile,
        extraction: NewFeatures,
        progress: Progress,
        cancelled: CancelCheck,
    ) -> FileOutcome:
        file_id = store.insert_file(self.db, str(path), sha, size, parsed.format, parsed.encoding)
        file_source = store.clean_line(parsed.source)
        source_ids = {file_source: store.source_id(self.db, file_source)}
        # Compact keys (source id + the 16 digest bytes): a 1M-article file stays ~100 MB here.
        seen_in_file: set[bytes] = set()
        new_ids: list[int] = []
        restored: list[tuple[int, str, str]] = []
        already = folded = 0
        for batch in _batches(parsed.articles, IMPORT_BATCH):
            check_cancelled(cancelled, f"import of {path.name}")
            fresh: list[store.NewArticle] = []
            for art in batch:
                art = store.clean_article(art)  # the one choke point: no control characters
                name = art.source or file_source
                if name not in source_ids:
                    source_ids[name] = store.source_id(self.db, name)
                source, digest = source_ids[name], identity_hash(art.title, art.body)
                key = source.to_bytes(8, "little") + bytes.fromhex(digest)
                if key in seen_in_file:
                    folded += 1
                    continue
                seen_in_file.add(key)
                fresh.append(store.NewArticle(art, source, digest))
            by_source: dict[int, list[str]] = {}
            for item in fresh:
                by_source.setdefault(item.source_id, []).append(item.content_hash)
            stored = {
                (sid, h)
                for sid, hashes in by_source.items()
                for h in store.existing_hashes(self.db, sid, hashes)
            }
            todo = [i for i in fresh if (i.source_id, i.content_hash) not in stored]
            already += len(fresh) - len(todo)
            ids = store.insert_articles(self.db, file_id, todo)
            new_ids.extend(ids)
            extraction.add(ids)  # workers extract while the rest of the file is stored
            restored.extend(
                (article_id, item.parsed.story_key or f"article-{article_id}", item.parsed.note)
                for article_id, item in zip(ids, todo, strict=True)
                if item.parsed.note
            )
            progress(
                parsed.bytes_read(), parsed.size_bytes,
                f"{path.name}: {len(new_ids):,} new, {already:,} already present",
            )
        store.set_file_article_count(self.db, file_id, len(new_ids) + already + folded)
        self._after_insert(new_ids, progress, cancelled, extraction)
        self._restore_notes(restored)
        warnings = tuple(parsed.warnings)
        if folded:
            warnings += (
                f"{folded} exact re-post(s) inside the file were stored once, not twice",
            )
        return FileOutcome(
            str(path), parsed.format, file_source, added=len(new_ids),
            already_present=already, folded=folded, warnings=warnings,
        )

    def _after_insert(
        self,
        new_ids: list[int],
        progress: Progress,
        cancelled: CancelCheck,
        extraction: NewFeatures | None = None,
    ) -> None:
        """Derive stories (and, via mixins, topics) for new articles inside the transaction;
        ``extraction`` holds what the import already handed to the extraction workers."""
        if extraction is not None:
            extraction.when_extracted(lambda pool: self._start_deriving(new_ids, pool))
        touched = grouping.assign_new_articles(self.db, new_ids, progress, cancelled, extraction)
        self._derive_for_new(new_ids)
        story_store.refresh_stories(self.db, touched)

    def _restore_notes(self, restored: list[tuple[int, str, str]]) -> None:
        """Put notes from Broadsheet's own export back on the stories their articles joined.

        One note per exported story (its rows all carry it). A story that already has a
        different note keeps it and gets the restored text appended: no note is ever dropped.
        """
        done: set[str] = set()
        for article_id, story_key, text in restored:
            if story_key in done:
                continue
            done.add(story_key)
            (story_id,) = store.story_ids_of(self.db, [article_id])
            current = note_store.get(self.db, story_id)
            if current is None:
                note_store.save(self.db, story_id, text)
            elif text.strip() not in current.body:
                note_store.save(self.db, story_id, f"{current.body}{NOTE_SEPARATOR}{text}")

    def _start_deriving(self, new_ids: list[int], pool: ExtractionPool) -> None:
        """Hook for mixins (topics) to start, on a big import's extraction workers, the part
        of :meth:`_derive_for_new` that needs no stories: called once the new articles'
        features are stored, before they are grouped (a whole 100,000-article library is
        grouped in this process alone, the workers idle otherwise)."""

    def _derive_for_new(self, new_ids: list[int]) -> None:
        """Hook for mixins (topics) that derive data for new articles before stories refresh."""

    # ------------------------------------------------------------------ reading

    def story_page(
        self, query: StoryQuery, after: tuple[object, ...] | None = None, limit: int = 200
    ) -> list[StoryRow]:
        """One keyset page of the stories list."""
        return reading.story_page(self.db, query, after, limit)

    def story_row(self, story_id: int) -> StoryRow:
        return reading.story_by_id(self.db, story_id)

    def versions(self, story_id: int) -> list[VersionRow]:
        return reading.versions(self.db, story_id)

    def article(self, article_id: int) -> Article:
        return reading.article(self.db, article_id)

    def sources(self) -> list[SourceCount]:
        return reading.sources(self.db)

    def source_id(self, name: str) -> int:
        return reading.source_id_by_name(self.db, name)

    def stats(self) -> Stats:
        totals = reading.counts(self.db)
        first, last = totals["range"]
        try:
            size = sum(
                p.stat().st_size
                for p in (self.path, Path(f"{self.path}-wal"))
                if p.exists()
            )
        except OSError:
            size = 0
        return Stats(
            path=str(self.path), size_bytes=size, articles=totals["articles"],
            stories=totals["stories"], sources=tuple(self.sources()),
            first_published=reading.ts_to_datetime(first),
            last_published=reading.ts_to_datetime(last),
            notes=totals["notes"], topics=totals["topics"],
        )

    # ------------------------------------------------------------------ read state

    def mark_read(self, article_ids: Sequence[int], read: bool = True) -> Changes:
        with self.db.atomic():
            changed = store.set_read(self.db, article_ids, read)
            self._on_read_changed(changed, read)
            touched = store.story_ids_of(self.db, changed)
            story_store.refresh_stories(self.db, touched)
        return Changes(articles=True, stories=True, topics=bool(changed),
                       story_ids=tuple(sorted(touched)))

    def mark_story_read(self, story_id: int, read: bool = True) -> Changes:
        return self.mark_read(store.article_ids_of_story(self.db, story_id), read)

    def _on_read_changed(self, article_ids: list[int], read: bool) -> None:
        """Hook for mixins that keep unread counts (topics)."""

    def set_starred(self, article_ids: Sequence[int], starred: bool = True) -> Changes:
        with self.db.atomic():
            store.set_starred(self.db, article_ids, starred)
            touched = store.story_ids_of(self.db, article_ids)
            story_store.refresh_stories(self.db, touched)
        return Changes(articles=True, stories=True, story_ids=tuple(sorted(touched)))

    def star_story(self, story_id: int, starred: bool = True) -> Changes:
        return self.set_starred(store.article_ids_of_story(self.db, story_id), starred)

    # ------------------------------------------------------------------ export

    def export_rows(self, topic: str | None = None) -> Iterator[dict[str, object]]:
        """Every article (or one topic's) as export rows, streamed."""
        topic_id = self.topic_id(topic) if topic else None
        return reading.export_rows(self.db, topic_id)

    def topic_id(self, name: str) -> int:
        """Overridden by the topics mixin; the core knows no topics."""
        from reader.errors import NotFound

        raise NotFound(f"no topic called {name!r}")
