"""Story membership and story aggregates.

Placeholder until grouping lands: every new article gets a story of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlite_utils import Database

from reader.progress import CancelCheck, Progress, never_cancelled, no_progress

#: Separates source names inside ``stories.sources``.
SOURCE_SEPARATOR = "\x1f"


def assign_new_articles(
    db: Database,
    article_ids: list[int],
    progress: Progress = no_progress,
    cancelled: CancelCheck = never_cancelled,
) -> set[int]:
    """Give each new article (story_id NULL) a story; return the touched story ids."""
    now = datetime.now(UTC).isoformat()
    touched: set[int] = set()
    for article_id in article_ids:
        cursor = db.execute("INSERT INTO stories (created_at) VALUES (?)", [now])
        story_id = int(cursor.lastrowid or 0)
        db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story_id, article_id])
        touched.add(story_id)
    return touched


def refresh_stories(db: Database, story_ids: Iterable[int]) -> None:
    """Recompute the denormalised columns of ``stories`` that the list reads."""
    for story_id in story_ids:
        rows = db.conn.execute(
            """
            SELECT a.id, a.title, a.published_ts, a.read, a.starred, s.name, a.added_at
            FROM articles a JOIN sources s ON s.id = a.source_id
            WHERE a.story_id = ? ORDER BY a.published_ts, a.id
            """,
            [story_id],
        ).fetchall()
        if not rows:
            db.execute("DELETE FROM story_topics WHERE story_id = ?", [story_id])
            db.execute("DELETE FROM stories WHERE id = ?", [story_id])
            continue
        dated = [r[2] for r in rows if r[2] is not None]
        sources = sorted({r[5] for r in rows})
        first = min(dated) if dated else None
        last = max(dated) if dated else None
        added = int(datetime.fromisoformat(rows[0][6]).timestamp())
        has_note = db.conn.execute(
            "SELECT 1 FROM notes WHERE story_id = ?", [story_id]
        ).fetchone()
        db.execute(
            """
            UPDATE stories SET headline = ?, headline_article_id = ?, size = ?,
                source_count = ?, sources = ?, first_ts = ?, last_ts = ?, sort_ts = ?,
                unread = ?, starred = ?, has_note = ?
            WHERE id = ?
            """,
            [
                rows[0][1], rows[0][0], len(rows), len(sources),
                SOURCE_SEPARATOR.join(sources), first, last,
                last if last is not None else added,
                sum(1 for r in rows if not r[3]), sum(1 for r in rows if r[4]),
                1 if has_note else 0, story_id,
            ],
        )
        db.execute("DELETE FROM story_topics WHERE story_id = ?", [story_id])
        db.execute(
            """
            INSERT OR IGNORE INTO story_topics (topic_id, story_id)
            SELECT DISTINCT t.topic_id, ? FROM article_topics t
            JOIN articles a ON a.id = t.article_id WHERE a.story_id = ?
            """,
            [story_id, story_id],
        )
