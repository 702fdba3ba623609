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
corrections are never rewritten. A file whose pages are damaged cannot be fixed in place, so
:func:`salvage` copies every readable row into a fresh library and moves the damaged file
aside (``*.damaged-<timestamp>``); it is never deleted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from reader.errors import DamagedLibraryError
from reader.progress import CancelCheck, Progress, check_cancelled, never_cancelled, no_progress
from reader.storage import stories as story_store
from reader.storage.backup import move_aside
from reader.storage.connection import open_database
from reader.types import CheckReport

#: (FTS table, content table) pairs kept in sync by the import code and triggers.
FTS_TABLES = (("articles_fts", "articles"), ("notes_fts", "notes"))

#: Tables copied by :func:`salvage`, parents before children. Everything else (FTS shadow
#: tables, postings, topic/entity links) is derived and rebuilt afterwards.
SALVAGE_TABLES = (
    "settings", "sources", "files", "stories", "articles", "corrections", "topics",
    "entities", "article_features", "notes",
)

#: Rows copied per statement while salvaging; a failing chunk is retried row by row.
SALVAGE_CHUNK = 1000


def _problems(rows: list[tuple[object, ...]]) -> list[str]:
    return [str(r[0]) for r in rows if r and r[0] != "ok"]


def quick_check(conn: sqlite3.Connection, limit: int = 20) -> list[str]:
    """``PRAGMA quick_check``: the problems found ([] when the file is sound)."""
    try:
        return _problems(conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall())
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def integrity_check(conn: sqlite3.Connection, limit: int = 100) -> list[str]:
    """``PRAGMA integrity_check``: the problems found ([] when the file is sound)."""
    try:
        return _problems(conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall())
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def fts_problems(conn: sqlite3.Connection) -> tuple[list[str], dict[str, int]]:
    """Check both FTS indexes against their tables; return (problems, row counts).

    FTS5's ``integrity-check`` with a second argument of 1 also compares the index with the
    external content table. It is formally a write, so it runs inside a savepoint that is
    rolled back.
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
        conn.execute("SAVEPOINT fts_check")
        try:
            conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"{fts}: the search index does not match the {content} ({exc})")
        finally:
            conn.execute("ROLLBACK TO fts_check")
            conn.execute("RELEASE fts_check")
    return problems, counts


def check(db: Database, full: bool = True) -> CheckReport:
    """Check the open library: structure (full or quick) and both search indexes."""
    started = time.perf_counter()
    conn = db.conn
    problems = integrity_check(conn) if full else quick_check(conn)
    fts, counts = fts_problems(conn)
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
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return quick_check(conn)
    finally:
        conn.close()


# --------------------------------------------------------------------------- repair


def rebuild_fts(db: Database) -> None:
    """Rebuild both search indexes from their tables (FTS5 'rebuild')."""
    with db.atomic():
        for fts, _content in FTS_TABLES:
            db.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def repair_story_links(
    db: Database, progress: Progress = no_progress, cancelled: CancelCheck = never_cancelled
) -> int:
    """Give every article a story again and recompute every story's aggregates.

    Articles whose story is missing get a new story of their own (the regroup that follows
    merges them); a note whose story row is lost gets an empty story back so the note stays.
    Returns the number of stories refreshed.
    """
    with db.atomic():
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
        story_store.assign_new_articles(db, orphans)
    story_ids = [
        int(r[0])
        for r in db.conn.execute(
            "SELECT id FROM stories s WHERE EXISTS (SELECT 1 FROM articles a"
            " WHERE a.story_id = s.id) ORDER BY id"
        )
    ]
    done = 0
    for chunk in _chunks(story_ids, 2000):
        check_cancelled(cancelled, "repair")
        with db.atomic():
            story_store.refresh_stories(db, chunk)
        done += len(chunk)
        progress(done, len(story_ids), "Recomputing stories")
    return done


# --------------------------------------------------------------------------- salvage


@dataclass(frozen=True, slots=True)
class SalvageResult:
    """What :func:`salvage` kept: rows copied per table, rows that could not be read, and
    where the damaged file now lives."""

    damaged_moved_to: Path | None
    copied: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def _copy_table(conn: sqlite3.Connection, table: str) -> tuple[int, int]:
    """Copy ``old.table`` into ``main.table``; return (rows copied, rows unreadable)."""
    wanted = _columns(conn, "main", table)
    have = set(_columns(conn, "old", table))
    cols = ", ".join(c for c in wanted if c in have)
    if not cols:
        return 0, 0
    insert = f"INSERT OR IGNORE INTO main.{table} ({cols}) SELECT {cols} FROM old.{table}"
    try:
        before = conn.total_changes
        conn.execute(insert)
        return conn.total_changes - before, 0
    except sqlite3.DatabaseError:
        pass
    # Damaged pages: walk the rowid range in chunks, then row by row inside failing chunks.
    copied = lost = 0
    try:
        low, high = conn.execute(f"SELECT min(rowid), max(rowid) FROM old.{table}").fetchone()
    except sqlite3.DatabaseError:
        return 0, 0
    if low is None:
        return 0, 0
    for start in range(int(low), int(high) + 1, SALVAGE_CHUNK):
        stop = start + SALVAGE_CHUNK - 1
        before = conn.total_changes
        try:
            conn.execute(f"{insert} WHERE rowid BETWEEN ? AND ?", [start, stop])
            copied += conn.total_changes - before
            continue
        except sqlite3.DatabaseError:
            pass
        for rowid in range(start, stop + 1):
            before = conn.total_changes
            try:
                conn.execute(f"{insert} WHERE rowid = ?", [rowid])
                copied += conn.total_changes - before
            except sqlite3.DatabaseError:
                lost += 1
    return copied, lost


def salvage(library: Path, progress: Progress = no_progress) -> SalvageResult:
    """Copy every readable row of a damaged library into a fresh one that takes its place.

    Works from a scratch copy, so the damaged file itself is never written; only when the new
    library is complete is the damaged file moved aside as ``*.damaged-<timestamp>``. Derived
    data (search index, topic and entity links, postings) is not copied: the caller rebuilds
    it. Raises :class:`DamagedLibraryError` when not even the schema can be read.
    """
    library = Path(library)
    fresh = library.with_name(library.name + ".salvage")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    copied: dict[str, int] = {}
    unreadable: dict[str, int] = {}
    with tempfile.TemporaryDirectory(dir=library.parent, prefix=".salvage-") as scratch_dir:
        scratch = Path(scratch_dir) / "damaged.db"
        for suffix in ("", "-wal"):
            if Path(f"{library}{suffix}").exists():
                shutil.copyfile(f"{library}{suffix}", f"{scratch}{suffix}")
        db = open_database(fresh)
        conn = db.conn
        completed = False
        try:
            conn.execute("PRAGMA foreign_keys = OFF")
            try:
                conn.execute("ATTACH DATABASE ? AS old", [str(scratch)])
                conn.execute("SELECT count(*) FROM old.sqlite_master").fetchone()
            except sqlite3.DatabaseError as exc:
                raise DamagedLibraryError(
                    library, f"nothing can be read from the damaged library ({exc})"
                ) from exc
            conn.execute("BEGIN")
            # A fresh library seeds defaults (taxonomy, settings); the old rows win.
            for table in ("topics", "settings"):
                conn.execute(f"DELETE FROM main.{table}")
            for index, table in enumerate(SALVAGE_TABLES):
                progress(index, len(SALVAGE_TABLES), f"Salvaging {table}")
                try:
                    copied[table], unreadable[table] = _copy_table(conn, table)
                except sqlite3.DatabaseError:
                    copied[table], unreadable[table] = 0, -1
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE old")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            completed = True
        finally:
            db.close()
            if not completed:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    moved = move_aside(library, "damaged")
    for suffix in ("-wal", "-shm"):
        Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    os.replace(fresh, library)
    with contextlib.suppress(OSError):
        fd = os.open(library.parent, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    return SalvageResult(damaged_moved_to=moved, copied=copied, unreadable=unreadable)
