"""Writing articles: sources, file records, bulk inserts with their FTS rows, read state.

Inserts are the hot path of every import, so they use ``executemany`` with explicit ids
and fill the external-content FTS index in the same batch (the fastest way measured in
the design notes), instead of row-by-row inserts or an AFTER INSERT trigger.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlite_utils import Database

from reader.storage.params import chunks
from reader.types import ParsedArticle

#: Complete terminal escape sequences (CSI ``ESC [ … final``, OSC ``ESC ] … BEL|ESC \\``,
#: and two-byte ``ESC x``), removed whole so no fragment like ``[2J`` is left in a title.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[@-_]"
)
#: What is left of C0 (tab, newline and carriage return become spaces), DEL and C1.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c]+")


def clean_line(text: str) -> str:
    """One-line text (a title, a source or author name) without control characters.

    Imported text is untrusted: an escape sequence in a title would act on the terminal of
    whoever lists it, and a title is one line. Every imported article passes here before it is
    stored (:meth:`reader.library.core.CoreVerbs._store_parsed`; feed entries should too), so
    its identity hash is computed on the cleaned text and re-imports still match.
    """
    if not _CONTROLS.search(text):
        return text
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text)).strip()


def clean_article(article: ParsedArticle) -> ParsedArticle:
    """``article`` with :func:`clean_line` applied to its title, source and author."""
    title, source, author = article.title, article.source, article.author
    cleaned = (
        clean_line(title),
        clean_line(source) if source is not None else None,
        clean_line(author) if author is not None else None,
    )
    if cleaned == (title, source, author):
        return article
    return replace(article, title=cleaned[0], source=cleaned[1], author=cleaned[2])


def now_iso() -> str:
    """The current time as stored in ``*_at`` columns."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def source_id(db: Database, name: str, kind: str = "dump") -> int:
    """Return the id of the source called ``name``, creating it if needed."""
    row = db.conn.execute("SELECT id FROM sources WHERE name = ?", [name]).fetchone()
    if row:
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO sources (name, kind, created_at) VALUES (?, ?, ?)", [name, kind, now_iso()]
    )
    return int(cursor.lastrowid or 0)


def imported_file(db: Database, sha256: str) -> tuple[int, int] | None:
    """``(file id, article count)`` if a file with this content was imported before."""
    row = db.conn.execute("SELECT id, articles FROM files WHERE sha256 = ?", [sha256]).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def insert_file(
    db: Database, path: str, sha256: str, size: int, fmt: str, encoding: str | None
) -> int:
    """Record an imported file. Being the first write of the file's transaction, it also
    takes SQLite's write lock, which makes the id allocation in :func:`insert_articles` safe
    against another process importing at the same time."""
    cursor = db.execute(
        "INSERT INTO files (path, sha256, size, format, encoding, imported_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [path, sha256, size, fmt, encoding, now_iso()],
    )
    return int(cursor.lastrowid or 0)


def set_file_article_count(db: Database, file_id: int, count: int) -> None:
    db.execute("UPDATE files SET articles = ? WHERE id = ?", [count, file_id])


@dataclass(frozen=True, slots=True)
class NewArticle:
    """A parsed article ready to store, with its resolved source and identity hash."""

    parsed: ParsedArticle
    source_id: int
    content_hash: str


def existing_hashes(db: Database, source: int, hashes: Sequence[str]) -> set[str]:
    """Which of ``hashes`` are already stored for this source (one indexed query)."""
    if not hashes:
        return set()
    marks = ",".join("?" * len(hashes))
    rows = db.conn.execute(
        f"SELECT content_hash FROM articles WHERE source_id = ? AND content_hash IN ({marks})",
        [source, *hashes],
    ).fetchall()
    return {str(r[0]) for r in rows}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def insert_articles(db: Database, file_id: int | None, batch: Sequence[NewArticle]) -> list[int]:
    """Insert ``batch`` (already de-duplicated) with its FTS rows; return the new ids.

    Must run inside the caller's transaction, after a write has taken the write lock.
    """
    if not batch:
        return []
    first = int(db.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0])
    ids = list(range(first, first + len(batch)))
    added = now_iso()
    rows = []
    for article_id, item in zip(ids, batch, strict=True):
        p = item.parsed
        rows.append(
            (
                article_id, item.source_id, file_id, p.position, p.external_id, p.title,
                p.body, p.url, p.author, _iso(p.published),
                int(p.published.timestamp()) if p.published else None,
                1 if p.published_inferred else 0,
                json.dumps(list(p.attachments)) if p.attachments else None,
                item.content_hash, 1 if p.read else 0, 1 if p.starred else 0, added,
            )
        )
    db.conn.executemany(
        """
        INSERT INTO articles (id, source_id, file_id, position, external_id, title, body, url,
            author, published, published_ts, published_inferred, attachments, content_hash,
            read, starred, added_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        rows,
    )
    db.conn.executemany(
        "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
        [(r[0], r[5], r[6]) for r in rows],
    )
    return ids


def set_read(db: Database, article_ids: Iterable[int], read: bool) -> list[int]:
    """Set the read flag; return the ids whose flag actually changed."""
    ids = list(article_ids)
    changed: list[int] = []
    for chunk in chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = db.conn.execute(
            f"SELECT id FROM articles WHERE read != ? AND id IN ({marks})", [int(read), *chunk]
        ).fetchall()
        hit = [int(r[0]) for r in rows]
        if hit:
            marks = ",".join("?" * len(hit))
            db.execute(f"UPDATE articles SET read = ? WHERE id IN ({marks})", [int(read), *hit])
            changed.extend(hit)
    return changed


def set_starred(db: Database, article_ids: Iterable[int], starred: bool) -> None:
    for chunk in chunks(list(article_ids)):
        marks = ",".join("?" * len(chunk))
        db.execute(f"UPDATE articles SET starred = ? WHERE id IN ({marks})", [int(starred), *chunk])


def story_ids_of(db: Database, article_ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for chunk in chunks(list(article_ids)):
        marks = ",".join("?" * len(chunk))
        rows = db.conn.execute(
            f"SELECT DISTINCT story_id FROM articles WHERE id IN ({marks})", chunk
        ).fetchall()
        found.update(int(r[0]) for r in rows if r[0] is not None)
    return found


def article_ids_of_story(db: Database, story_id: int) -> list[int]:
    rows = db.conn.execute(
        "SELECT id FROM articles WHERE story_id = ? ORDER BY published_ts, id", [story_id]
    ).fetchall()
    return [int(r[0]) for r in rows]


