"""Checking the library and repairing what can be derived again.

Three levels of checking, cheapest first:

* :func:`quick_check` — ``PRAGMA quick_check``: page and b-tree structure, no index-vs-table
  cross checks. Reads every page, so it grows with the file (see ``benchmarks/safety.py`` for
  the figure at 1M articles); the GUI runs it in a worker thread after the window is shown,
  the CLI runs it only in ``broadsheet check``.
* :func:`integrity_check` — ``PRAGMA integrity_check``: also that every index matches its table.
* :func:`fts_problems` — FTS5's own ``integrity-check`` against the articles and notes (an
  external-content index can drift from its table without SQLite noticing), plus row counts.

Repair (:func:`rebuild_fts`, :func:`repair_story_links`) only rebuilds what is derived from
the articles: the search indexes and story membership/aggregates. Notes and the user's
corrections are never rewritten. A file whose pages are damaged cannot be fixed in place:
:mod:`reader.storage.salvage` copies every readable row into a fresh library first.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

from sqlite_utils import Database

from reader.progress import CancelCheck, Progress, check_cancelled, never_cancelled, no_progress
from reader.storage import backup_checks
from reader.storage import stories as story_store
from reader.storage.params import chunks
from reader.types import CheckReport

#: (FTS table, content table) pairs kept in sync by the import code and triggers.
FTS_TABLES = (("articles_fts", "articles"), ("notes_fts", "notes"))


def _problems(rows: list[tuple[object, ...]]) -> list[str]:
    return [str(r[0]) for r in rows if r and r[0] != "ok"]


#: ``PRAGMA quick_check`` on a connection: the problems found ([] when the file is sound).
quick_check = backup_checks.quick_check_connection


def integrity_check(conn: sqlite3.Connection, limit: int = 100) -> list[str]:
    """``PRAGMA integrity_check``: the problems found ([] when the file is sound)."""
    try:
        return _problems(conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall())
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def fts_problems(
    conn: sqlite3.Connection, read_only: bool = False
) -> tuple[list[str], dict[str, int]]:
    """Check both FTS indexes against their tables; return (problems, row counts).

    FTS5's ``integrity-check`` with a second argument of 1 also compares the index with the
    external content table. It is formally a write, so it runs inside a savepoint that is
    rolled back; on a read-only library it cannot run at all, and the check compares which
    rows the index holds with the table's instead (no false alarm, a little less thorough).
    """
    problems: list[str] = []
    counts: dict[str, int] = {}
    for fts, content in FTS_TABLES:
        try:
            counts[content] = _count(conn, content)
            counts[fts] = _count(conn, f"{fts}_docsize")
        except sqlite3.DatabaseError as exc:
            problems.append(f"{fts}: cannot count rows ({exc})")
            continue
        if counts[content] != counts[fts]:
            problems.append(
                f"{fts}: the search index holds {counts[fts]} rows for {counts[content]} "
                f"{content}"
            )
        problem = _rowid_mismatch(conn, fts, content) if read_only else _fts_check(conn, fts)
        if problem is not None:
            problems.append(f"{fts}: the search index does not match the {content} ({problem})")
    return problems, counts


def _fts_check(conn: sqlite3.Connection, fts: str) -> str | None:
    try:
        conn.execute("SAVEPOINT fts_check")
    except sqlite3.DatabaseError as exc:
        return str(exc)
    try:
        conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        # On a damaged file the rollback itself may fail; the check has found the damage.
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK TO fts_check")
        with contextlib.suppress(sqlite3.Error):
            conn.execute("RELEASE fts_check")
    return None


def _rowid_mismatch(conn: sqlite3.Connection, fts: str, content: str) -> str | None:
    try:
        row = conn.execute(
            f"SELECT (SELECT count(*) FROM {content} c WHERE NOT EXISTS"
            f" (SELECT 1 FROM {fts}_docsize d WHERE d.id = c.rowid)),"
            f" (SELECT count(*) FROM {fts}_docsize d WHERE NOT EXISTS"
            f" (SELECT 1 FROM {content} c WHERE c.rowid = d.id))"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if row[0] or row[1]:
        return f"{row[0]} rows not indexed, {row[1]} indexed rows missing"
    return None


def check(db: Database, full: bool = True) -> CheckReport:
    """Check the open library: structure (full or quick) and both search indexes."""
    started = time.perf_counter()
    conn = db.conn
    problems = integrity_check(conn) if full else quick_check(conn)
    read_only = bool(getattr(db, "read_only", False))
    fts, counts = fts_problems(conn, read_only=read_only)
    problems.extend(fts)
    return CheckReport(
        ok=not problems,
        full=full,
        problems=tuple(problems),
        articles=counts.get("articles", 0),
        articles_indexed=counts.get("articles_fts", 0),
        notes=counts.get("notes", 0),
        notes_indexed=counts.get("notes_fts", 0),
        seconds=time.perf_counter() - started,
    )


def quick_check_file(path: Path) -> list[str]:
    """Run ``quick_check`` on ``path`` through a read-only connection of its own.

    This is the function the GUI runs in a worker thread after opening: it needs no
    ``Library`` and never blocks the GUI's connection.
    """
    return backup_checks.quick_check_path(Path(path))


# --------------------------------------------------------------------------- repair


def rebuild_fts(db: Database) -> None:
    """Rebuild both search indexes from their tables (FTS5 'rebuild')."""
    with db.atomic():
        for fts, _content in FTS_TABLES:
            db.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")


def repair_story_links(
    db: Database, progress: Progress = no_progress, cancelled: CancelCheck = never_cancelled
) -> int:
    """Give every article a story again and recompute every story's aggregates.

    Articles whose story is missing get a new story of their own (the regroup that follows
    merges them); a note whose story row is lost gets an empty story back so the note stays;
    a story with neither articles nor a note is dropped.
    Returns the number of stories refreshed.
    """
    with db.atomic():
        # Stories left with neither a version nor a note (their articles were lost to
        # damage) would show as empty rows; notes keep theirs.
        db.execute(
            "DELETE FROM stories WHERE NOT EXISTS (SELECT 1 FROM articles a"
            " WHERE a.story_id = stories.id) AND NOT EXISTS (SELECT 1 FROM notes n"
            " WHERE n.story_id = stories.id)"
        )
        db.execute(
            "UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM stories s WHERE s.id = articles.story_id)"
        )
        db.execute(
            "INSERT INTO stories (id, headline, created_at)"
            " SELECT n.story_id, '', n.created_at FROM notes n"
            " WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = n.story_id)"
        )
        orphans = [
            int(r[0])
            for r in db.conn.execute("SELECT id FROM articles WHERE story_id IS NULL ORDER BY id")
        ]
        # A story of its own each: the regroup that follows repair groups them.
        story_store.set_stories(
            db, list(zip(story_store.new_stories(db, len(orphans)), orphans, strict=True))
        )
    story_ids = [
        int(r[0])
        for r in db.conn.execute(
            "SELECT id FROM stories s WHERE EXISTS (SELECT 1 FROM articles a"
            " WHERE a.story_id = s.id) ORDER BY id"
        )
    ]
    done = 0
    for chunk in chunks(story_ids, 2000):
        check_cancelled(cancelled, "repair")
        with db.atomic():
            story_store.refresh_stories(db, chunk)
        done += len(chunk)
        progress(done, len(story_ids), "Recomputing stories")
    return done
