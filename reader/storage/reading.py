"""Read queries behind the reader: story pages, versions, one article, sources, stats.

Story lists are keyset-paged over the denormalised ``stories`` table, so a page costs the
same at row 50 as at row 900,000, and no read transaction stays open between pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from reader.errors import NotFound
from reader.storage.stories import SOURCE_SEPARATOR
from reader.types import (
    Article,
    ReadFilter,
    SourceCount,
    StoryQuery,
    StoryRow,
    StorySort,
    VersionRow,
)

#: Rows per page for the stories list (the GUI's fetchMore asks for one page at a time).
PAGE_SIZE = 200

_STORY_COLUMNS = (
    "s.id, s.headline, s.headline_article_id, s.sources, s.size, s.source_count, s.first_ts,"
    " s.last_ts, s.unread, s.starred, s.has_note, s.sort_ts"
)

#: For each sort: ORDER BY clause, keyset comparison, and the columns of the cursor.
#: Undated stories (no ``last_ts``) go last in both date orders: their ``sort_ts`` is the time
#: they were added, which put 31 of the seeds' 54 stories at the top of "newest first". The
#: ``dated`` / ``undated`` generated columns lead both the order and the keyset, and each has
#: an index (migration 6), so a page still costs an index seek.
_SORTS: dict[StorySort, tuple[str, str, tuple[str, ...]]] = {
    StorySort.DATE: (
        "s.dated DESC, s.sort_ts DESC, s.id DESC",
        "(s.dated, s.sort_ts, s.id) < (?, ?, ?)",
        ("dated", "sort_ts", "id"),
    ),
    StorySort.OLDEST: (
        "s.undated, s.sort_ts, s.id",
        "(s.undated, s.sort_ts, s.id) > (?, ?, ?)",
        ("undated", "sort_ts", "id"),
    ),
    StorySort.VERSIONS: (
        "s.size DESC, s.sort_ts DESC, s.id DESC",
        "(s.size, s.sort_ts, s.id) < (?, ?, ?)",
        ("size", "sort_ts", "id"),
    ),
    StorySort.TITLE: (
        "s.headline COLLATE NOCASE, s.id",
        "(s.headline COLLATE NOCASE, s.id) > (?, ?)",
        ("headline", "id"),
    ),
}


def ts_to_datetime(ts: int | None) -> datetime | None:
    return datetime.fromtimestamp(ts, UTC) if ts is not None else None


#: A source (or topic) with fewer rows than this is listed through its own stories (an
#: index range, then a sort of at most this many); a bigger one by walking the stories in
#: list order and probing each, which stops as soon as a page is full. Counting up to this
#: limit is itself an index-only scan of a few ms.
RARE_LIMIT = 20_000


def story_filters(
    query: StoryQuery, db: Database | None = None
) -> tuple[list[str], list[Any]]:
    """WHERE clauses (on alias ``s``) and parameters for every non-search filter.

    With ``db`` given, the source filter picks its plan from the source's size.
    """
    where: list[str] = []
    params: list[Any] = []
    if query.topic_id is not None:
        if db is not None and not _is_rare_topic(db, query.topic_id):
            # Common topic: walk stories in list order and probe (stops after one page).
            where.append(
                "EXISTS (SELECT 1 FROM story_topics t WHERE t.topic_id = ? AND t.story_id = s.id)"
            )
        else:
            where.append("s.id IN (SELECT story_id FROM story_topics WHERE topic_id = ?)")
        params.append(query.topic_id)
    if query.entity_ids:
        ids = list(query.entity_ids)
        where.append(
            "s.id IN (SELECT story_id FROM story_entities"
            f" WHERE entity_id IN ({','.join('?' * len(ids))}))"
        )
        params.extend(ids)
    elif query.entity_id is not None:
        where.append("s.id IN (SELECT story_id FROM story_entities WHERE entity_id = ?)")
        params.append(query.entity_id)
    if query.source_id is not None:
        if db is not None and _is_rare_source(db, query.source_id):
            where.append("s.id IN (SELECT story_id FROM articles WHERE source_id = ?)")
        else:
            where.append(
                "EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.source_id = ?)"
            )
        params.append(query.source_id)
    if query.read is ReadFilter.UNREAD:
        where.append("s.unread > 0")
    elif query.read is ReadFilter.READ:
        where.append("s.unread = 0")
    if query.starred_only:
        where.append("s.starred > 0")
    if query.with_notes:
        where.append("s.has_note = 1")
    if query.min_size > 1:
        where.append("s.size >= ?")
        params.append(query.min_size)
    return where, params


def _is_rare_source(db: Database, source_id: int) -> bool:
    """Whether a source has few articles (a bounded index-only count)."""
    found = db.conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM articles WHERE source_id = ? LIMIT ?)",
        [source_id, RARE_LIMIT],
    ).fetchone()[0]
    return bool(found < RARE_LIMIT)


def _is_rare_topic(db: Database, topic_id: int) -> bool:
    """Whether a topic has few stories (a bounded index-only count)."""
    found = db.conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM story_topics WHERE topic_id = ? LIMIT ?)",
        [topic_id, RARE_LIMIT],
    ).fetchone()[0]
    return bool(found < RARE_LIMIT)


def story_row(row: tuple[Any, ...], sort: StorySort = StorySort.DATE, **extra: Any) -> StoryRow:
    """Build a :class:`StoryRow` from a row selected with ``_STORY_COLUMNS``."""
    sid, headline, head_id, sources, size, nsrc, first, last, unread, starred, note = row[:11]
    sort_ts = row[11]
    keys = {
        "sort_ts": sort_ts, "id": sid, "size": size, "headline": headline,
        "dated": int(last is not None), "undated": int(last is None),
    }
    return StoryRow(
        id=int(sid),
        headline=str(headline),
        headline_article_id=int(head_id or 0),
        sources=tuple(s for s in str(sources).split(SOURCE_SEPARATOR) if s),
        size=int(size),
        source_count=int(nsrc),
        first_published=ts_to_datetime(first),
        last_published=ts_to_datetime(last),
        unread=int(unread),
        starred=bool(starred),
        has_note=bool(note),
        sort_key=tuple(keys[c] for c in _SORTS[sort][2]),
        **extra,
    )


def story_page(
    db: Database, query: StoryQuery, after: tuple[object, ...] | None, limit: int = PAGE_SIZE
) -> list[StoryRow]:
    """One keyset page of stories matching ``query`` (search excluded), after ``after``."""
    order, keyset, _ = _SORTS[query.sort]
    where, params = story_filters(query, db)
    if after:
        where.append(keyset)
        params.extend(after)
    sql = f"SELECT {_STORY_COLUMNS} FROM stories s"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT ?"
    params.append(limit)
    return [story_row(r, query.sort) for r in db.conn.execute(sql, params).fetchall()]


def stories_by_ids(db: Database, ids: list[int], query: StoryQuery) -> dict[int, StoryRow]:
    """The stories among ``ids`` that pass ``query``'s non-search filters, by id."""
    if not ids:
        return {}
    where, params = story_filters(query)
    where.append(f"s.id IN ({','.join('?' * len(ids))})")
    sql = f"SELECT {_STORY_COLUMNS} FROM stories s WHERE " + " AND ".join(where)
    rows = db.conn.execute(sql, [*params, *ids]).fetchall()
    return {int(r[0]): story_row(r) for r in rows}


def story_by_id(db: Database, story_id: int) -> StoryRow:
    row = db.conn.execute(
        f"SELECT {_STORY_COLUMNS} FROM stories s WHERE s.id = ?", [story_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"story {story_id} does not exist")
    return story_row(row)


def versions(db: Database, story_id: int) -> list[VersionRow]:
    """A story's versions, oldest first, without bodies."""
    rows = db.conn.execute(
        """
        SELECT a.id, a.title, s.name, a.published_ts, a.published_inferred, a.read, a.starred
        FROM articles a JOIN sources s ON s.id = a.source_id
        WHERE a.story_id = ? ORDER BY a.published_ts IS NULL, a.published_ts, a.id
        """,
        [story_id],
    ).fetchall()
    return [
        VersionRow(
            article_id=int(r[0]), title=r[1], source=r[2], published=ts_to_datetime(r[3]),
            published_inferred=bool(r[4]), read=bool(r[5]), starred=bool(r[6]),
        )
        for r in rows
    ]


def article(db: Database, article_id: int) -> Article:
    """One article with its body: the only place bodies are loaded for reading."""
    row = db.conn.execute(
        """
        SELECT a.id, a.story_id, s.name, a.title, a.body, a.published_ts, a.published_inferred,
               a.url, a.author, a.external_id, a.attachments, a.read, a.starred, f.path,
               a.position
        FROM articles a JOIN sources s ON s.id = a.source_id
        LEFT JOIN files f ON f.id = a.file_id
        WHERE a.id = ?
        """,
        [article_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"article {article_id} does not exist")
    topics = [
        str(t[0])
        for t in db.conn.execute(
            "SELECT t.name FROM article_topics x JOIN topics t ON t.id = x.topic_id"
            " WHERE x.article_id = ? ORDER BY t.position, t.name",
            [article_id],
        )
    ]
    return Article(
        id=int(row[0]), story_id=int(row[1] or 0), source=row[2], title=row[3], body=row[4],
        published=ts_to_datetime(row[5]), published_inferred=bool(row[6]), url=row[7],
        author=row[8], external_id=row[9],
        attachments=tuple(json.loads(row[10])) if row[10] else (),
        read=bool(row[11]), starred=bool(row[12]), file_path=row[13], position=row[14],
        topics=tuple(topics),
    )


def sources(db: Database) -> list[SourceCount]:
    rows = db.conn.execute(
        """
        SELECT s.id, s.name, count(a.id), coalesce(sum(a.read = 0), 0)
        FROM sources s LEFT JOIN articles a ON a.source_id = s.id
        GROUP BY s.id ORDER BY s.name COLLATE NOCASE
        """
    ).fetchall()
    return [SourceCount(int(r[0]), r[1], int(r[2]), int(r[3])) for r in rows]


def source_id_by_name(db: Database, name: str) -> int:
    row = db.conn.execute(
        "SELECT id FROM sources WHERE name = ? COLLATE NOCASE", [name]
    ).fetchone()
    if row is None:
        raise NotFound(f"no source called {name!r}")
    return int(row[0])


def counts(db: Database) -> dict[str, Any]:
    """Totals for ``broadsheet stats``."""
    one = db.conn.execute
    return {
        "articles": one("SELECT count(*) FROM articles").fetchone()[0],
        "stories": one("SELECT count(*) FROM stories").fetchone()[0],
        "notes": one("SELECT count(*) FROM notes").fetchone()[0],
        "topics": one("SELECT count(*) FROM topics").fetchone()[0],
        "range": one("SELECT min(published_ts), max(published_ts) FROM articles").fetchone(),
    }


def export_rows(
    db: Database, topic_id: int | None = None, batch: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every article as an export row, streamed in keyset batches (bounded memory)."""
    last = 0
    topic_clause = (
        " AND a.id IN (SELECT article_id FROM article_topics WHERE topic_id = ?)"
        if topic_id is not None
        else ""
    )
    while True:
        params: list[Any] = [last]
        if topic_id is not None:
            params.append(topic_id)
        params.append(batch)
        rows = db.conn.execute(
            f"""
            SELECT a.id, a.title, a.body, s.name, a.published, a.published_inferred, a.url,
                   a.story_id, a.read, a.starred, n.body, a.author, a.external_id
            FROM articles a JOIN sources s ON s.id = a.source_id
            LEFT JOIN notes n ON n.story_id = a.story_id
            WHERE a.id > ?{topic_clause} ORDER BY a.id LIMIT ?
            """,
            params,
        ).fetchall()
        if not rows:
            return
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        topic_names: dict[int, list[str]] = {}
        for article_id, name in db.conn.execute(
            f"SELECT x.article_id, t.name FROM article_topics x JOIN topics t ON t.id = x.topic_id"
            f" WHERE x.article_id IN ({marks}) ORDER BY t.position, t.name",
            ids,
        ):
            topic_names.setdefault(article_id, []).append(name)
        for r in rows:
            yield {
                "id": r[0],
                "title": r[1],
                "body": r[2],
                "source": r[3],
                "published": r[4],
                "published_inferred": bool(r[5]),
                "url": r[6],
                "story": r[7],
                "topics": topic_names.get(r[0], []),
                "read": bool(r[8]),
                "starred": bool(r[9]),
                "note": r[10],
                "author": r[11],
                "external_id": r[12],
            }
        last = rows[-1][0]
