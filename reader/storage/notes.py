"""The ``notes`` table: one Markdown note per story, its FTS index, and ``stories.has_note``.

A note is keyed by its story, never by an article, so a fifth rewrite joining the story does
not move it. Saving empty text deletes the row rather than keeping an empty note, so the
"With notes" filter (``stories.has_note``) and the notes list only ever show real notes. The
FTS index (``notes_fts``, external content) is kept in step by the schema's triggers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from reader.errors import NotFound


@dataclass(frozen=True, slots=True)
class NoteRow:
    """One stored note with its story's current headline."""

    id: int
    story_id: int
    body: str
    created_at: str
    updated_at: str
    headline: str


@dataclass(frozen=True, slots=True)
class NoteMatch:
    """A note that matched a search: which story, and where (a ``[``/``]``-marked snippet)."""

    story_id: int
    snippet: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class VersionForExport:
    title: str
    source: str
    published_ts: int | None
    published_inferred: bool
    url: str | None


@dataclass(frozen=True, slots=True)
class StoryForExport:
    """What a note's export file needs to know about its story."""

    story_id: int
    headline: str
    sources: tuple[str, ...]
    first_ts: int | None
    last_ts: int | None
    topics: tuple[str, ...]
    versions: tuple[VersionForExport, ...]


def now_iso() -> str:
    """Microsecond timestamps, so "newest edit first" orders edits made within one second."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


_SELECT = """
    SELECT n.id, n.story_id, n.body, n.created_at, n.updated_at, coalesce(s.headline, '')
    FROM notes n LEFT JOIN stories s ON s.id = n.story_id
"""


def _row(row: tuple[Any, ...]) -> NoteRow:
    return NoteRow(int(row[0]), int(row[1]), str(row[2]), str(row[3]), str(row[4]), str(row[5]))


def get(db: Database, story_id: int) -> NoteRow | None:
    row = db.conn.execute(_SELECT + " WHERE n.story_id = ?", [story_id]).fetchone()
    return _row(row) if row else None


def save(db: Database, story_id: int, body: str, now: str | None = None) -> bool:
    """Store ``body`` as the note of ``story_id`` (blank text deletes it).

    Returns whether anything changed. Must run inside the caller's transaction; it writes only
    when the text differs, so an autosave of unchanged text costs one read and no fsync.
    """
    exists = db.conn.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone()
    if exists is None:
        raise NotFound(f"story {story_id} does not exist")
    current = db.conn.execute(
        "SELECT id, body FROM notes WHERE story_id = ?", [story_id]
    ).fetchone()
    stamp = now or now_iso()
    if not body.strip():
        if current is None:
            return False
        db.execute("DELETE FROM notes WHERE id = ?", [current[0]])
        db.execute("UPDATE stories SET has_note = ? WHERE id = ?", [0, story_id])
        return True
    if current is None:
        db.execute(
            "INSERT INTO notes (story_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [story_id, body, stamp, stamp],
        )
    elif current[1] != body:
        db.execute(
            "UPDATE notes SET body = ?, updated_at = ? WHERE id = ?", [body, stamp, current[0]]
        )
    else:
        return False
    db.execute("UPDATE stories SET has_note = ? WHERE id = ?", [1, story_id])
    return True


def all_notes(db: Database, limit: int | None = None) -> list[NoteRow]:
    """Every note, newest edit first (ties broken by the newer note)."""
    sql = _SELECT + " ORDER BY n.updated_at DESC, n.id DESC"
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_row(r) for r in db.conn.execute(sql, params).fetchall()]


def count(db: Database) -> int:
    return int(db.conn.execute("SELECT count(*) FROM notes").fetchone()[0])


def search(db: Database, match: str, limit: int = 200) -> list[NoteMatch]:
    """Notes matching an FTS5 ``match`` expression, best first, with a marked snippet.

    ``match`` must already be safe FTS5 syntax (see :func:`reader.query.to_fts`); this module
    never builds queries from user text.
    """
    rows = db.conn.execute(
        """
        SELECT n.story_id, snippet(notes_fts, 0, '[', ']', '…', 16), n.updated_at
        FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid
        WHERE notes_fts MATCH ?
        ORDER BY rank, n.updated_at DESC
        LIMIT ?
        """,
        [match, limit],
    ).fetchall()
    return [NoteMatch(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def headline(db: Database, story_id: int) -> str:
    row = db.conn.execute("SELECT headline FROM stories WHERE id = ?", [story_id]).fetchone()
    if row is None:
        raise NotFound(f"story {story_id} does not exist")
    return str(row[0])


def noted_story_ids(db: Database) -> list[int]:
    """Stories with a note, oldest story first: a stable order for exports."""
    rows = db.conn.execute("SELECT story_id FROM notes ORDER BY story_id").fetchall()
    return [int(r[0]) for r in rows]


def story_for_export(db: Database, story_id: int) -> StoryForExport:
    """A story's headline, sources, dates, topics and versions (with URLs) for an export."""
    from reader.storage.stories import SOURCE_SEPARATOR

    row = db.conn.execute(
        "SELECT headline, sources, first_ts, last_ts FROM stories WHERE id = ?", [story_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"story {story_id} does not exist")
    topics = tuple(
        str(t[0])
        for t in db.conn.execute(
            "SELECT t.name FROM story_topics x JOIN topics t ON t.id = x.topic_id"
            " WHERE x.story_id = ? ORDER BY t.position, t.name COLLATE NOCASE",
            [story_id],
        )
    )
    versions = tuple(
        VersionForExport(str(v[0]), str(v[1]), v[2], bool(v[3]), v[4])
        for v in db.conn.execute(
            """
            SELECT a.title, s.name, a.published_ts, a.published_inferred, a.url
            FROM articles a JOIN sources s ON s.id = a.source_id
            WHERE a.story_id = ? ORDER BY a.published_ts IS NULL, a.published_ts, a.id
            """,
            [story_id],
        )
    )
    return StoryForExport(
        story_id=story_id,
        headline=str(row[0]),
        sources=tuple(s for s in str(row[1]).split(SOURCE_SEPARATOR) if s),
        first_ts=row[2],
        last_ts=row[3],
        topics=topics,
        versions=versions,
    )
