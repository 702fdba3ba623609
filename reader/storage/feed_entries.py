"""Feed entries: the SQL that stores them for :mod:`reader.library.feeds`.

Entries are *upserted*: a re-fetched or re-imported entry is matched to the stored article by
its guid, else by its link (only when one side has no guid, so two entries of a live blog that
share a link stay apart), and updated in place when it changed. Entries with different guids
stay apart even when their text is equal (see :func:`distinct_hash`). New entries are
inserted in bulk with their FTS rows and feed columns (:func:`insert_entries`); every function
here runs inside the caller's transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from reader.storage import articles as store
from reader.types import ParsedArticle


@dataclass(frozen=True, slots=True)
class EntryRow:
    """A feed entry ready to store: the article plus the feed-only columns."""

    article: ParsedArticle
    guid: str | None
    html: str
    categories: tuple[str, ...]
    content_hash: str


@dataclass(frozen=True, slots=True)
class UpsertResult:
    added: list[int]
    updated: list[int]
    unchanged: int
    folded: int
    touched_stories: set[int]


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def _categories_json(categories: tuple[str, ...]) -> str | None:
    """The categories as a JSON list, as ``json.dumps(..., ensure_ascii=False)`` writes it;
    plain ASCII names (nearly all) are joined directly, which costs a fraction of that."""
    if not categories:
        return None
    if all(c.isascii() and c.isprintable() and '"' not in c and "\\" not in c
           for c in categories):
        return '["' + '", "'.join(categories) + '"]'
    return json.dumps(list(categories), ensure_ascii=False)


def distinct_hash(content_hash: str, guid: str) -> str:
    """The identity of an entry whose text equals another entry's but whose guid differs:
    the feed says they are two entries (five "Road closed" notices a day), and the library
    keeps one article per text and source, so the guid joins the hash."""
    return hashlib.blake2b(f"{content_hash}\x1f{guid}".encode(), digest_size=16).hexdigest()


def _fold(entries: Sequence[EntryRow]) -> tuple[list[EntryRow], int]:
    """One document's entries without repeats: ``(unique, folded)``.

    An entry is the same as an earlier one with its guid, or, without a guid, with its link
    or its text. Entries with different guids are different even with equal text; the later
    ones get a :func:`distinct_hash`.
    """
    guids: set[str] = set()
    urls: set[str] = set()
    texts: dict[str, str | None] = {}  # content hash -> guid of the first entry with it
    unique: list[EntryRow] = []
    for entry in entries:
        digest, guid = entry.content_hash, entry.guid
        if guid:
            if guid in guids:
                continue
            if digest in texts:
                if texts[digest] is None:
                    continue  # a guid-less copy of this text came first: the same article
                entry = replace(entry, content_hash=distinct_hash(digest, guid))
            guids.add(guid)
        else:
            url = entry.article.url
            if digest in texts or (url and url in urls):
                continue
            if url:
                urls.add(url)
        texts.setdefault(entry.content_hash, entry.guid)
        unique.append(entry)
    return unique, len(entries) - len(unique)


def upsert_entries(
    db: Database, source: int, file_id: int | None, entries: Sequence[EntryRow]
) -> UpsertResult:
    """Store ``entries`` of one feed for ``source``; return what changed."""
    unique, folded = _fold(entries)
    by_guid = _rows_by(db, source, "guid", [e.guid for e in unique if e.guid])
    by_url = _rows_by(db, source, "url", [e.article.url for e in unique if e.article.url])
    stored = _stored_texts(db, source, [e.content_hash for e in unique])
    fresh: list[EntryRow] = []
    updated: list[int] = []
    unchanged = 0
    touched: set[int] = set()
    for entry in unique:
        row = by_guid.get(entry.guid) if entry.guid else None
        if row is None and entry.article.url:
            candidate = by_url.get(entry.article.url)
            if candidate is not None and (candidate[1] is None or entry.guid is None):
                row = candidate
        if row is None:
            digest = entry.content_hash
            if digest in stored and entry.guid and stored[digest] not in (None, entry.guid):
                entry = replace(entry, content_hash=distinct_hash(digest, entry.guid))
            if entry.content_hash in stored:
                unchanged += 1  # the same text is already stored (e.g. from a dump)
            else:
                fresh.append(entry)
                stored[entry.content_hash] = entry.guid
            continue
        if entry.guid and row[3] == distinct_hash(entry.content_hash, entry.guid):
            entry = replace(entry, content_hash=row[3])  # stored under its distinct identity
        if _update_if_changed(db, source, row, entry):
            updated.append(int(row[0]))
            if row[2] is not None:
                touched.add(int(row[2]))
        else:
            unchanged += 1
    ids = insert_entries(db, source, file_id, fresh)
    return UpsertResult(ids, updated, unchanged, folded, touched)


def insert_entries(
    db: Database, source: int, file_id: int | None, entries: Sequence[EntryRow]
) -> list[int]:
    """Insert new entries with their FTS rows and their feed columns in one pass.

    This is :func:`reader.storage.articles.insert_articles` plus ``guid``, ``html`` and
    ``categories`` in the same INSERT: writing those afterwards with an UPDATE rewrote every
    row (now twice as long, with the HTML) and cost about 40% of storing a feed.
    ``tests/test_feeds_speed_paths.py`` holds the shared columns equal to what
    ``insert_articles`` writes, so the two cannot drift apart unnoticed.
    """
    if not entries:
        return []
    first = int(db.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0])
    ids = list(range(first, first + len(entries)))
    added = store.now_iso()
    rows = []
    for article_id, entry in zip(ids, entries, strict=True):
        p = entry.article
        rows.append(
            (
                article_id, source, file_id, p.position, p.external_id, p.title,
                p.body, p.url, p.author, _iso(p.published),
                int(p.published.timestamp()) if p.published else None,
                1 if p.published_inferred else 0,
                json.dumps(list(p.attachments)) if p.attachments else None,
                entry.content_hash, 1 if p.read else 0, 1 if p.starred else 0, added,
                entry.guid, entry.html or None, _categories_json(entry.categories),
            )
        )
    db.conn.executemany(
        """
        INSERT INTO articles (id, source_id, file_id, position, external_id, title, body, url,
            author, published, published_ts, published_inferred, attachments, content_hash,
            read, starred, added_at, guid, html, categories)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        rows,
    )
    db.conn.executemany(
        "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
        [(r[0], r[5], r[6]) for r in rows],
    )
    return ids


_MATCH_COLUMNS = (
    "id, guid, story_id, content_hash, title, body, html, categories, author, published, url"
)


def _stored_texts(db: Database, source: int, hashes: Sequence[str]) -> dict[str, str | None]:
    """The guid (or None) of each stored article of ``source`` whose hash is in ``hashes``."""
    found: dict[str, str | None] = {}
    wanted = list(dict.fromkeys(hashes))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for digest, guid in db.conn.execute(
            f"SELECT content_hash, guid FROM articles"
            f" WHERE source_id = ? AND content_hash IN ({marks})",
            [source, *chunk],
        ):
            found[str(digest)] = guid
    return found


def _rows_by(
    db: Database, source: int, column: str, values: Sequence[str | None]
) -> dict[str, tuple[Any, ...]]:
    assert column in ("guid", "url")
    wanted = [v for v in dict.fromkeys(values) if v]
    found: dict[str, tuple[Any, ...]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            f"SELECT {_MATCH_COLUMNS}, {column} FROM articles"
            f" WHERE source_id = ? AND {column} IN ({marks}) ORDER BY id",
            [source, *chunk],
        ):
            found.setdefault(str(row[-1]), tuple(row[:-1]))
    return found


def _taken(db: Database, source: int, content_hash: str, article: int) -> bool:
    return bool(db.conn.execute(
        "SELECT 1 FROM articles WHERE source_id = ? AND content_hash = ? AND id != ?",
        [source, content_hash, article],
    ).fetchone())


def _update_if_changed(
    db: Database, source: int, row: tuple[Any, ...], entry: EntryRow
) -> bool:
    p = entry.article
    new = (
        entry.content_hash, p.title, p.body, entry.html or None,
        _categories_json(entry.categories), p.author, _iso(p.published), p.url,
    )
    if tuple(row[3:11]) == new and (row[1] == entry.guid or not entry.guid):
        return False
    content_hash = entry.content_hash
    if content_hash != row[3] and _taken(db, source, content_hash, row[0]):
        # Another stored article already has this exact text: an entry with its own guid
        # takes its distinct identity; one without leaves both be.
        if not entry.guid:
            return False
        content_hash = distinct_hash(content_hash, entry.guid)
        if content_hash != row[3] and _taken(db, source, content_hash, row[0]):
            return False
    db.execute(
        """
        UPDATE articles SET content_hash = ?, title = ?, body = ?, html = ?, categories = ?,
            author = ?, published = ?, published_ts = ?, url = ?, guid = coalesce(?, guid),
            external_id = coalesce(?, external_id)
        WHERE id = ?
        """,
        [
            content_hash, p.title, p.body, entry.html or None,
            _categories_json(entry.categories), p.author, _iso(p.published),
            int(p.published.timestamp()) if p.published else None, p.url, entry.guid,
            entry.guid, row[0],
        ],
    )
    return True
