"""Stories in storage: assigning articles, the stories' list columns, notes that follow
stories, SQL only: which articles belong together is decided in
:mod:`reader.grouping`, orchestrated by :mod:`reader.library.grouping`.

Contracts with the import pipeline: new articles are given stories inside each file's
transaction right after they are inserted (``story_id`` still NULL), nothing here commits,
and :func:`refresh_stories` then recomputes the touched stories' aggregates.

Stable stories: notes (``notes.story_id``) and read state survive regrouping. Read and
starred live on articles. A full regroup keeps old story ids where its clusters overlap them
(:func:`reader.grouping.assignments.story_ids`); a note whose story id is not reused moves to
the cluster holding that story's oldest article, joined to any note already there. No
function here deletes a note.

The user's corrections (merge, split, move) are in :mod:`reader.storage.corrections`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlite_utils import Database

from reader.errors import NotFound
from reader.headline import representative
from reader.storage import entities as entity_store
from reader.storage.params import chunks

#: Separates source names inside ``stories.sources``.
SOURCE_SEPARATOR = "\x1f"

#: Joins two notes when their stories merge (both are kept, in story order).
NOTE_SEPARATOR = "\n\n---\n\n"


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- assigning


def new_story(db: Database) -> int:
    cursor = db.execute("INSERT INTO stories (created_at) VALUES (?)", [utc_now()])
    return int(cursor.lastrowid or 0)


def new_stories(db: Database, count: int) -> list[int]:
    """``count`` new stories in one statement: an import of a million mostly one-version
    stories spent a minute creating them one INSERT at a time. Ids continue from the
    highest, as SQLite's own rowids would (the caller holds the write transaction)."""
    if count <= 0:
        return []
    start = int(db.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM stories").fetchone()[0])
    now = utc_now()
    db.conn.executemany(
        "INSERT INTO stories (id, created_at) VALUES (?, ?)",
        [(start + i, now) for i in range(count)],
    )
    return list(range(start, start + count))


#: Story updates from which one statement over a temporary table of them is quicker than a
#: statement per article (each of which checks the story's foreign key afresh).
MANY_UPDATES = 10_000


def set_stories(db: Database, updates: Sequence[tuple[int, int]]) -> None:
    """Put articles in stories: ``(story id, article id)`` rows.

    In article order: each update then reaches the next row of the table, where updates in
    cluster order jumped about it (100,000 articles: 0.5 s against 1.5 s with foreign keys
    off). Many updates go through one ``UPDATE ... FROM``: a statement per
    article paid for its foreign key check again each time (100,000: 0.7 s against 1.5 s)."""
    ordered = sorted(updates, key=lambda u: u[1])
    if len(ordered) < MANY_UPDATES:
        db.conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?", ordered)
        return
    db.execute(
        "CREATE TEMP TABLE story_updates (article INTEGER PRIMARY KEY, story INTEGER NOT NULL)"
    )
    try:
        db.conn.executemany(
            "INSERT OR REPLACE INTO temp.story_updates (story, article) VALUES (?, ?)",
            ordered,
        )
        db.execute(
            "UPDATE articles SET story_id = u.story FROM temp.story_updates u"
            " WHERE articles.id = u.article"
        )
    finally:
        db.execute("DROP TABLE temp.story_updates")


#: A story as an import weighs it: size, then earliest and latest exact date, earliest and
#: latest date of any kind (epoch seconds or None).
StoryDates = tuple[int, int | None, int | None, int | None, int | None]


def story_dates(db: Database, story_ids: Sequence[int]) -> dict[int, StoryDates]:
    out: dict[int, StoryDates] = {}
    for chunk in chunks(story_ids):
        for row in db.conn.execute(
            f"""
            SELECT story_id, COUNT(*),
                MIN(CASE WHEN published_inferred = 0 THEN published_ts END),
                MAX(CASE WHEN published_inferred = 0 THEN published_ts END),
                MIN(published_ts), MAX(published_ts)
            FROM articles WHERE story_id IN ({",".join("?" * len(chunk))}) GROUP BY story_id
            """,
            list(chunk),
        ):
            out[int(row[0])] = (int(row[1]), row[2], row[3], row[4], row[5])
    return out


# --------------------------------------------------------------------------- aggregates


def refresh_stories(db: Database, story_ids: Iterable[int]) -> None:
    """Recompute the denormalised columns of ``stories`` that the list reads.

    A story left without articles is deleted, but only after any note it held has been
    moved (callers move notes first; a story with a note is kept rather than lose it).
    Set-based: a few statements per chunk of stories, not per story, because an import or a
    regroup touches tens of thousands of stories at once (read-state changes touch one).
    """
    ids = sorted(set(story_ids))
    for chunk in chunks(ids):
        _refresh_chunk(db, chunk)
    entity_store.refresh_story_entities(db, ids)


def _refresh_chunk(db: Database, chunk: Sequence[int]) -> None:
    marks = ",".join("?" * len(chunk))
    params = list(chunk)
    members: dict[int, list[tuple[int, str, int | None, int, int, str, str]]] = {}
    for row in db.conn.execute(
        f"""
        SELECT a.story_id, a.id, a.title, a.published_ts, a.read, a.starred, s.name, a.added_at
        FROM articles a JOIN sources s ON s.id = a.source_id
        WHERE a.story_id IN ({marks})
        ORDER BY a.story_id, a.published_ts IS NULL, a.published_ts, a.id
        """,
        params,
    ):
        members.setdefault(int(row[0]), []).append(row[1:])
    with_note = {
        int(r[0])
        for r in db.conn.execute(f"SELECT story_id FROM notes WHERE story_id IN ({marks})", params)
    }
    gone = [s for s in chunk if s not in members and s not in with_note]
    if gone:
        # Never drop a note: an empty story that still holds one is kept.
        gone_marks = ",".join("?" * len(gone))
        for table in ("story_topics", "story_entities", "stories"):
            column = "id" if table == "stories" else "story_id"
            db.execute(f"DELETE FROM {table} WHERE {column} IN ({gone_marks})", gone)
    updates = []
    for story_id, rows in members.items():
        dated = [r[2] for r in rows if r[2] is not None]
        sources = sorted({r[5] for r in rows})
        first = min(dated) if dated else None
        last = max(dated) if dated else None
        added = int(datetime.fromisoformat(rows[0][6]).timestamp())
        head = representative([(int(r[0]), r[1]) for r in rows])
        headline = next(r[1] for r in rows if r[0] == head)
        if not headline.strip():
            body = db.conn.execute("SELECT body FROM articles WHERE id = ?", [head]).fetchone()
            headline = _first_sentence(body[0] if body else "")
        updates.append(
            (
                headline,
                head,
                len(rows),
                len(sources),
                SOURCE_SEPARATOR.join(sources),
                first,
                last,
                last if last is not None else added,
                sum(1 for r in rows if not r[3]),
                sum(1 for r in rows if r[4]),
                1 if story_id in with_note else 0,
                story_id,
            )
        )
    db.conn.executemany(
        """
        UPDATE stories SET headline = ?, headline_article_id = ?, size = ?,
            source_count = ?, sources = ?, first_ts = ?, last_ts = ?, sort_ts = ?,
            unread = ?, starred = ?, has_note = ?
        WHERE id = ?
        """,
        updates,
    )
    live = sorted(members)
    if live:
        live_marks = ",".join("?" * len(live))
        db.execute(f"DELETE FROM story_topics WHERE story_id IN ({live_marks})", live)
        db.execute(
            f"""
            INSERT OR IGNORE INTO story_topics (topic_id, story_id)
            SELECT DISTINCT t.topic_id, a.story_id FROM articles a
            JOIN article_topics t ON t.article_id = a.id WHERE a.story_id IN ({live_marks})
            """,
            live,
        )


def _first_sentence(body: str, limit: int = 120) -> str:
    text = " ".join(body.split())
    end = min(
        (i for i in (text.find(". "), text.find("? "), text.find("! ")) if i > 0), default=len(text)
    )
    text = text[: end + 1] if end < len(text) else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- notes


def move_note(db: Database, from_story: int, to_story: int) -> None:
    """Move ``from_story``'s note to ``to_story``, joining it after any note there."""
    if from_story == to_story:
        return
    moving = db.conn.execute(
        "SELECT id, body FROM notes WHERE story_id = ?", [from_story]
    ).fetchone()
    if moving is None:
        return
    existing = db.conn.execute(
        "SELECT id, body FROM notes WHERE story_id = ?", [to_story]
    ).fetchone()
    if existing is None:
        db.execute(
            "UPDATE notes SET story_id = ?, updated_at = ? WHERE id = ?",
            [to_story, utc_now(), moving[0]],
        )
    else:
        db.execute(
            "UPDATE notes SET body = ?, updated_at = ? WHERE id = ?",
            [existing[1] + NOTE_SEPARATOR + moving[1], utc_now(), existing[0]],
        )
        db.execute("DELETE FROM notes WHERE id = ?", [moving[0]])


def note_of(db: Database, story_id: int) -> str | None:
    row = db.conn.execute("SELECT body FROM notes WHERE story_id = ?", [story_id]).fetchone()
    return str(row[0]) if row else None


def story_ids(db: Database, min_size: int = 1) -> list[int]:
    """Stories with at least ``min_size`` versions, biggest first, then newest."""
    return [
        int(r[0])
        for r in db.conn.execute(
            "SELECT id FROM stories WHERE size >= ? ORDER BY size DESC, sort_ts DESC, id DESC",
            [min_size],
        )
    ]


def story_of(db: Database, article_id: int) -> int:
    """The story an article belongs to (NotFound if the article does not exist)."""
    row = db.conn.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise NotFound(f"article {article_id} does not exist")
    return int(row[0])


def require_story(db: Database, story_id: int) -> None:
    if not db.conn.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone():
        raise NotFound(f"story {story_id} does not exist")


def story_articles(db: Database, story_id: int) -> list[int]:
    return [
        int(r[0])
        for r in db.conn.execute(
            "SELECT id FROM articles WHERE story_id = ?"
            " ORDER BY published_ts IS NULL, published_ts, id",
            [story_id],
        )
    ]


# --------------------------------------------------------------------------- regroup


def write_regroup(
    db: Database,
    clusters: Sequence[Sequence[int]],
    kept: Sequence[int | None],
    old_of: dict[int, int | None],
) -> None:
    """Write a regroup's clusters: cluster ``i`` keeps story ``kept[i]`` (None: a new story).
    Notes of stories no cluster kept follow their story's oldest article."""
    story_of_cluster = {i: s for i, s in enumerate(kept) if s is not None}
    used = set(story_of_cluster.values())
    unmatched = [index for index in range(len(clusters)) if index not in story_of_cluster]
    story_of_cluster.update(zip(unmatched, new_stories(db, len(unmatched)), strict=True))
    cluster_of_article: dict[int, int] = {}
    for index, cluster in enumerate(clusters):
        for a in cluster:
            cluster_of_article[a] = index
    # Oldest article of every old story, before anything moves (notes follow it).
    old_oldest: dict[int, int] = {}
    for story, article in db.conn.execute(
        "SELECT story_id, id FROM articles WHERE story_id IS NOT NULL"
        " ORDER BY story_id, published_ts IS NULL, published_ts, id"
    ):
        old_oldest.setdefault(int(story), int(article))
    updates = [
        (story_of_cluster[cluster_of_article[a]], a)
        for a in cluster_of_article
        if old_of.get(a) != story_of_cluster[cluster_of_article[a]]
    ]
    set_stories(db, updates)
    noted = {int(r[0]) for r in db.conn.execute("SELECT story_id FROM notes")}
    for s, oldest in old_oldest.items():
        if s not in used and s in noted:
            move_note(db, s, story_of_cluster[cluster_of_article[oldest]])
    # Only stories that gained or lost an article need their aggregates rebuilt (a regroup
    # of a settled library leaves most stories as they were).
    touched = {story for story, _ in updates}
    touched.update(s for s in (old_of.get(a) for _, a in updates) if s is not None)
    refresh_stories(db, touched)


