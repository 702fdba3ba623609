"""Feed subscriptions, the image cache setting and feed HTML: the SQL behind
:mod:`reader.library.feeds`. Storing entries is :mod:`reader.storage.feed_entries`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlite_utils import Database

from reader.storage import articles as store
from reader.storage.feed_entries import EntryRow, UpsertResult, insert_entries, upsert_entries
from reader.types import FeedInfo

__all__ = ["EntryRow", "UpsertResult", "insert_entries", "upsert_entries"]


# --------------------------------------------------------------------------- subscriptions


def add_feed(db: Database, url: str, folder: str | None, title: str = "") -> int:
    """Subscribe to ``url`` (idempotent: an existing subscription keeps its id)."""
    row = db.conn.execute("SELECT id FROM feeds WHERE url = ?", [url]).fetchone()
    if row:
        if folder is not None:
            db.execute("UPDATE feeds SET folder = ? WHERE id = ?", [folder or None, row[0]])
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO feeds (url, title, folder, created_at) VALUES (?, ?, ?, ?)",
        [url, title, folder or None, store.now_iso()],
    )
    return int(cursor.lastrowid or 0)


def remove_feed(db: Database, feed_id: int) -> None:
    """Unsubscribe. The feed's articles stay: they are part of the user's stories."""
    db.execute("DELETE FROM feeds WHERE id = ?", [feed_id])


def feed_id(db: Database, id_or_url: int | str) -> int | None:
    if isinstance(id_or_url, int) or str(id_or_url).isdigit():
        row = db.conn.execute("SELECT id FROM feeds WHERE id = ?", [int(id_or_url)]).fetchone()
        if row:
            return int(row[0])
    row = db.conn.execute("SELECT id FROM feeds WHERE url = ?", [str(id_or_url)]).fetchone()
    return int(row[0]) if row else None


def list_feeds(db: Database, ids: Iterable[int] | None = None) -> list[FeedInfo]:
    wanted = list(ids) if ids is not None else None
    sql = """
        SELECT f.id, f.url, f.title, f.folder, f.status, f.last_error, f.last_checked,
            f.cache_images, f.source_id, f.etag, f.last_modified,
            (SELECT count(*) FROM articles a WHERE a.source_id = f.source_id),
            (SELECT count(*) FROM articles a WHERE a.source_id = f.source_id AND a.read = 0)
        FROM feeds f
    """
    params: list[object] = []
    if wanted is not None:
        if not wanted:
            return []
        sql += f" WHERE f.id IN ({','.join('?' * len(wanted))})"
        params = list(wanted)
    sql += " ORDER BY coalesce(f.folder, ''), lower(coalesce(nullif(f.title, ''), f.url))"
    return [
        FeedInfo(
            id=int(r[0]), url=str(r[1]), title=str(r[2] or ""), folder=r[3], status=str(r[4]),
            last_error=r[5],
            last_checked=datetime.fromisoformat(r[6]) if r[6] else None,
            cache_images=bool(r[7]), source_id=r[8], etag=r[9], last_modified=r[10],
            articles=int(r[11]), unread=int(r[12]),
        )
        for r in db.conn.execute(sql, params)
    ]


def record_fetch(
    db: Database,
    feed: int,
    *,
    status: str,
    error: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    title: str | None = None,
    source: int | None = None,
) -> None:
    """Write the outcome of one refresh onto the subscription."""
    db.execute(
        """
        UPDATE feeds SET status = ?, last_error = ?, last_checked = ?,
            etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),
            title = CASE WHEN ? IS NOT NULL AND title = '' THEN ? ELSE title END,
            source_id = coalesce(?, source_id)
        WHERE id = ?
        """,
        [status, error, store.now_iso(), etag, last_modified, title, title, source, feed],
    )


def move_feed(db: Database, feed: int, url: str) -> bool:
    """Point a subscription at the address its feed moved to (a permanent redirect).

    Returns False, changing nothing, when another subscription already has that address
    (the two would otherwise collide on the unique URL).
    """
    taken = db.conn.execute(
        "SELECT 1 FROM feeds WHERE url = ? AND id != ?", [url, feed]
    ).fetchone()
    if taken:
        return False
    db.execute("UPDATE feeds SET url = ? WHERE id = ?", [url, feed])
    return True


def set_cache_images(db: Database, feed: int, enabled: bool) -> None:
    db.execute("UPDATE feeds SET cache_images = ? WHERE id = ?", [int(enabled), feed])


#: ``settings`` key holding the image cache cap in bytes.
IMAGE_CACHE_KEY = "feeds.image_cache_bytes"


def image_cache_limit(db: Database, default: int) -> int:
    """The image cache cap in bytes (``settings['feeds.image_cache_bytes']``, else
    ``default``); an unreadable value counts as unset."""
    row = db.conn.execute("SELECT value FROM settings WHERE key = ?", [IMAGE_CACHE_KEY]).fetchone()
    if row is None:
        return default
    try:
        return max(0, int(row[0]))
    except ValueError:
        return default


def set_image_cache_limit(db: Database, limit_bytes: int) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [IMAGE_CACHE_KEY, str(max(0, int(limit_bytes)))],
    )


def source_for_feed(db: Database, name: str) -> int:
    """The source a feed's articles belong to (``kind='feed'``), created if needed."""
    return store.source_id(db, name, kind="feed")


# --------------------------------------------------------------------------- images


def html_of(db: Database, article_ids: Sequence[int]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        out.extend(
            (int(r[0]), str(r[1]))
            for r in db.conn.execute(
                f"SELECT id, html FROM articles WHERE html IS NOT NULL AND id IN ({marks})",
                chunk,
            )
        )
    return out


def set_html(db: Database, rows: Sequence[tuple[int, str]]) -> None:
    db.conn.executemany("UPDATE articles SET html = ? WHERE id = ?", [(h, i) for i, h in rows])


def article_html(db: Database, article_id: int) -> str | None:
    row = db.conn.execute("SELECT html FROM articles WHERE id = ?", [article_id]).fetchone()
    return str(row[0]) if row and row[0] is not None else None
