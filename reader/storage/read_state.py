"""The unread flow's queries: story counts for the sidebar, "mark all as read" and its undo,
and the change counter the window polls.

Counts are *stories*, like the list: a topic that holds 14 articles in 10 stories shows 10,
and its unread count is the stories with at least one unread version (``stories.unread``).
Marking a whole view read is set-based (one UPDATE per chunk of stories, RETURNING the
articles it flipped), so "All stories" on a big library is not a loop over rows in Python.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from reader.storage.params import chunks, marks
from reader.storage.reading import story_filters
from reader.types import ReadFilter, SidebarCounts, StoryQuery, ViewCount


def sidebar_counts(db: Database) -> SidebarCounts:
    """Stories and unread stories for the smart views, every topic and every source."""
    one = db.conn.execute
    total, unread, starred, starred_unread, noted, noted_unread = one(
        """
        SELECT count(*), coalesce(sum(unread > 0), 0),
               coalesce(sum(starred > 0), 0), coalesce(sum(starred > 0 AND unread > 0), 0),
               coalesce(sum(has_note = 1), 0), coalesce(sum(has_note = 1 AND unread > 0), 0)
        FROM stories
        """
    ).fetchone()
    views = {
        "all": ViewCount(int(total), int(unread)),
        "unread": ViewCount(int(unread), int(unread)),
        "starred": ViewCount(int(starred), int(starred_unread)),
        "notes": ViewCount(int(noted), int(noted_unread)),
    }
    topics = {
        int(r[0]): ViewCount(int(r[1]), int(r[2]))
        for r in one(
            """
            SELECT t.topic_id, count(*), coalesce(sum(s.unread > 0), 0)
            FROM story_topics t JOIN stories s ON s.id = t.story_id GROUP BY t.topic_id
            """
        )
    }
    # One row per (source, story) from the covering index, then the story's unread flag.
    sources = {
        int(r[0]): ViewCount(int(r[1]), int(r[2]))
        for r in one(
            """
            SELECT x.source_id, count(*), coalesce(sum(s.unread > 0), 0)
            FROM (SELECT DISTINCT source_id, story_id FROM articles
                  WHERE story_id IS NOT NULL) x
            JOIN stories s ON s.id = x.story_id GROUP BY x.source_id
            """
        )
    }
    return SidebarCounts(views=views, topics=topics, sources=sources)


def unread_stories_in(db: Database, query: StoryQuery, among: list[int] | None) -> list[int]:
    """Stories of a view (its filters; ``among`` the search's matches) with unread versions."""
    where, params = story_filters(
        StoryQuery(
            topic_id=query.topic_id, source_id=query.source_id, entity_id=query.entity_id,
            entity_ids=query.entity_ids,
            read=ReadFilter.UNREAD, starred_only=query.starred_only,
            with_notes=query.with_notes, min_size=query.min_size,
        ),
        db,
    )
    sql = "SELECT s.id FROM stories s WHERE " + " AND ".join(where)
    if among is None:
        return [int(r[0]) for r in db.conn.execute(sql, params)]
    found: list[int] = []
    for chunk in chunks(sorted(set(among))):
        found.extend(
            int(r[0])
            for r in db.conn.execute(f"{sql} AND s.id IN ({marks(chunk)})",
                                     [*params, *chunk])
        )
    return found


def mark_stories_read(db: Database, story_ids: list[int]) -> list[int]:
    """Mark every version of these stories read; returns the articles that were unread.

    The caller holds the transaction and moves the topic counts for the returned articles.
    """
    flipped: list[int] = []
    for chunk in chunks(story_ids):
        ins = marks(chunk)
        flipped.extend(
            int(r[0])
            for r in db.conn.execute(
                f"UPDATE articles SET read = 1 WHERE read = 0 AND story_id IN ({ins})"
                " RETURNING id",
                chunk,
            ).fetchall()
        )
        db.conn.execute(f"UPDATE stories SET unread = 0 WHERE id IN ({ins})", chunk)
    return flipped


def mark_articles_unread(db: Database, article_ids: Iterable[int]) -> tuple[list[int], set[int]]:
    """Undo of :func:`mark_stories_read`: the articles flipped back, and their stories."""
    flipped: list[int] = []
    stories: set[int] = set()
    for chunk in chunks(list(article_ids)):
        for article_id, story_id in db.conn.execute(
            f"UPDATE articles SET read = 0 WHERE read = 1 AND id IN ({marks(chunk)})"
            " RETURNING id, story_id",
            chunk,
        ).fetchall():
            flipped.append(int(article_id))
            if story_id is not None:
                stories.add(int(story_id))
    recount_unread(db, sorted(stories))
    return flipped, stories


def recount_unread(db: Database, story_ids: list[int]) -> None:
    """Set ``stories.unread`` from the articles (the read state is all that changed)."""
    for chunk in chunks(story_ids):
        db.conn.execute(
            f"""
            UPDATE stories SET unread = (
                SELECT count(*) FROM articles a WHERE a.story_id = stories.id AND a.read = 0)
            WHERE id IN ({marks(chunk)})
            """,
            chunk,
        )


def story_matches(db: Database, query: StoryQuery, story_id: int) -> bool:
    """Whether a story passes a view's filters (the search aside)."""
    where, params = story_filters(query)
    where.append("s.id = ?")
    sql = "SELECT 1 FROM stories s WHERE " + " AND ".join(where)
    return db.conn.execute(sql, [*params, story_id]).fetchone() is not None


def data_version(db: Database) -> int:
    """``PRAGMA data_version``: changes when *another* connection commits to the file."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])
