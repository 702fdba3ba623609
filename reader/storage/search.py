"""Full-text search over articles (titles and bodies) and notes.

Cost control, from the measurements in the design notes (FTS5 ``ORDER BY rank`` costs about
1 µs per matching row; ``ORDER BY rowid DESC LIMIT n`` stays under 5 ms at any size): hits are
first counted up to :data:`RANK_CAP`. Up to the cap the results are ranked by bm25 (title
weighted above body); beyond it the query matches so much of the library that ranking means
little, and results come newest-first by ``rowid`` instead. Snippets are computed only for the
rows returned.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database

from reader.query import Node, to_fts
from reader.storage.stories import SOURCE_SEPARATOR
from reader.types import SearchHit

#: Above this many FTS hits, sort by recency instead of relevance.
RANK_CAP = 20_000
#: bm25 column weights: (title, body).
TITLE_WEIGHT = 5.0
BODY_WEIGHT = 1.0
#: Tokens of context in a snippet.
SNIPPET_TOKENS = 14
#: Article hits fetched per wanted story (several versions of one story often all match).
OVERFETCH = 4

#: Private markers (control characters news text does not hold), so a literal "[" in an
#: article is not mistaken for a match; replaced by "[" and "]" on the way out.
_OPEN = "\x01"
_CLOSE = "\x02"


def _marked(text: str) -> str:
    return text.replace(_OPEN, "[").replace(_CLOSE, "]")


def _ts(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def count_hits(db: Database, match: str, cap: int = RANK_CAP) -> int:
    """FTS hits, counted only up to ``cap + 1`` (cheap: no ranking, no row lookups)."""
    row = db.conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
        [match, cap + 1],
    ).fetchone()
    return int(row[0])


def _filters(
    topic_id: int | None, source_id: int | None, unread: bool
) -> tuple[str, list[object]]:
    where: list[str] = []
    params: list[object] = []
    if source_id is not None:
        where.append("a.source_id = ?")
        params.append(source_id)
    if unread:
        where.append("a.read = 0")
    if topic_id is not None:
        where.append(
            "EXISTS (SELECT 1 FROM article_topics x"
            " WHERE x.topic_id = ? AND x.article_id = f.rowid)"
        )
        params.append(topic_id)
    return "".join(f" AND {w}" for w in where), params


def search_articles(
    db: Database,
    node: Node,
    *,
    topic_id: int | None = None,
    source_id: int | None = None,
    unread: bool = False,
    limit: int = 50,
    rank_cap: int = RANK_CAP,
) -> list[SearchHit]:
    """Stories whose title or body match, one hit (the best version) per story."""
    match = to_fts(node)
    ranked = count_hits(db, match, rank_cap) <= rank_cap
    order = (
        f"bm25(articles_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})" if ranked else "f.rowid DESC"
    )
    where, params = _filters(topic_id, source_id, unread)
    if not where:
        # Rank (or page) inside FTS alone, then look up only the rows kept: joining first
        # would read every hit's article row before sorting.
        ids_in_order = [
            r[0]
            for r in db.conn.execute(
                f"SELECT f.rowid FROM articles_fts f WHERE articles_fts MATCH ?"
                f" ORDER BY {order} LIMIT ?",
                [match, limit * OVERFETCH],
            )
        ]
        marks = ",".join("?" * len(ids_in_order))
        story_of = dict(
            db.conn.execute(
                f"SELECT id, story_id FROM articles WHERE id IN ({marks})",
                ids_in_order,
            ).fetchall()
        ) if ids_in_order else {}
        rows = [(i, story_of.get(i)) for i in ids_in_order]
    else:
        # CROSS JOIN keeps FTS5 as the outer loop: the planner must not scan articles and
        # run the MATCH once per row.
        rows = db.conn.execute(
            f"""
            SELECT f.rowid, a.story_id FROM articles_fts f CROSS JOIN articles a
            ON a.id = f.rowid WHERE articles_fts MATCH ?{where} ORDER BY {order} LIMIT ?
            """,
            [match, *params, limit * OVERFETCH],
        ).fetchall()
    best: dict[int, int] = {}
    for article_id, story_id in rows:
        key = story_id if story_id is not None else -article_id
        best.setdefault(key, article_id)
        if len(best) >= limit:
            break
    ids = list(best.values())
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    details = {
        r[0]: r
        for r in db.conn.execute(
            f"""
            SELECT f.rowid, a.story_id, a.title, s.name, a.published_ts, a.read,
                   snippet(articles_fts, 1, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS}),
                   highlight(articles_fts, 0, '{_OPEN}', '{_CLOSE}')
            FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid
            JOIN sources s ON s.id = a.source_id
            WHERE articles_fts MATCH ? AND f.rowid IN ({marks})
            """,
            [match, *ids],
        )
    }
    hits = []
    for article_id in ids:
        r = details.get(article_id)
        if r is None:  # pragma: no cover - deleted between the two statements
            continue
        _, story_id, title, source, ts, read, body_snippet, title_marked = r
        # Show where the words are in the text when they are there, else the marked title.
        snippet = body_snippet if _OPEN in body_snippet else title_marked
        hits.append(
            SearchHit(
                story_id=story_id if story_id is not None else 0,
                article_id=article_id,
                title=title,
                source=source,
                published=_ts(ts),
                snippet=_marked(snippet),
                hit_in="title" if _OPEN in title_marked else "body",
                read=bool(read),
            )
        )
    return hits


def search_notes(
    db: Database,
    node: Node,
    *,
    topic_id: int | None = None,
    source_id: int | None = None,
    unread: bool = False,
    limit: int = 50,
) -> list[SearchHit]:
    """Stories whose note matches (notes are few: always ranked)."""
    match = to_fts(node)
    where: list[str] = []
    params: list[object] = []
    if topic_id is not None:
        where.append("st.id IN (SELECT story_id FROM story_topics WHERE topic_id = ?)")
        params.append(topic_id)
    if source_id is not None:
        where.append("EXISTS (SELECT 1 FROM articles x WHERE x.story_id = st.id"
                     " AND x.source_id = ?)")
        params.append(source_id)
    if unread:
        where.append("st.unread > 0")
    rows = db.conn.execute(
        f"""
        SELECT n.story_id, st.headline, st.sources, st.last_ts, st.unread,
               snippet(notes_fts, 0, '[', ']', '…', {SNIPPET_TOKENS})
        FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid
        JOIN stories st ON st.id = n.story_id
        WHERE notes_fts MATCH ?{"".join(f" AND {w}" for w in where)}
        ORDER BY rank LIMIT ?
        """,
        [match, *params, limit],
    ).fetchall()
    return [
        SearchHit(
            story_id=story_id,
            article_id=None,
            title=headline,
            source=(sources or "").split(SOURCE_SEPARATOR)[0],
            published=_ts(last_ts),
            snippet=snippet,
            hit_in="note",
            read=unread_count == 0,
        )
        for story_id, headline, sources, last_ts, unread_count, snippet in rows
    ]


def search(
    db: Database,
    node: Node,
    *,
    topic_id: int | None = None,
    source_id: int | None = None,
    unread: bool = False,
    limit: int = 50,
) -> list[SearchHit]:
    """Note hits first (the user's own words), then article hits; one hit per story."""
    hits = search_notes(
        db, node, topic_id=topic_id, source_id=source_id, unread=unread, limit=limit
    )
    seen = {h.story_id for h in hits}
    for hit in search_articles(
        db, node, topic_id=topic_id, source_id=source_id, unread=unread, limit=limit
    ):
        if hit.story_id not in seen:
            seen.add(hit.story_id)
            hits.append(hit)
    return hits[:limit]


def matching_story_ids(db: Database, node: Node, limit: int = 10_000) -> list[int]:
    """Story ids with a matching article or note (newest first), for the stories list filter."""
    match = to_fts(node)
    rows = db.conn.execute(
        """
        SELECT DISTINCT a.story_id FROM articles_fts f JOIN articles a ON a.id = f.rowid
        WHERE articles_fts MATCH ? AND a.story_id IS NOT NULL
        UNION
        SELECT n.story_id FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid
        WHERE notes_fts MATCH ?
        LIMIT ?
        """,
        [match, match, limit],
    ).fetchall()
    return [r[0] for r in rows]
