"""Salvaging every readable row of a damaged library into a fresh one that takes its place.

A file whose pages are damaged cannot be fixed in place. :func:`salvage` works from a scratch
copy (the damaged file itself is never written), copies each table the user's data lives in
into a fresh library, and only then moves the damaged file aside (``*.damaged-<timestamp>``;
it is never deleted). For each table:

1. SQLite copies it in one statement when its whole b-tree still reads (the common case:
   damage usually sits in a few pages of one table or index);
2. otherwise the table is read page by page (:mod:`reader.storage.pages`), past every page that
   does not parse, and rows on leaf pages cut off by a damaged interior page are found by
   scanning the file and matched to their table by the shape of their records.

Derived data (search indexes, postings, features, topic and entity links) is not copied: the
caller rebuilds it. What could not be read is reported per table, down to the id ranges of
the damaged pages.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from reader.errors import DamagedLibraryError, ReadOnlyLibraryError
from reader.progress import Progress, no_progress
from reader.storage import pages as pg
from reader.storage.connection import open_database, writable
from reader.storage.record_shapes import (
    Shape,
    schema_by_pages,
    schema_by_sql,
    shape_of,
    shapes_from_sql,
)
from reader.storage.restore import move_aside
from reader.storage.salvage_report import SalvageResult, TableSalvage

__all__ = ["SALVAGE_TABLES", "SalvageResult", "TableSalvage", "salvage"]

#: Tables copied, parents before children. Everything else is derived and rebuilt. Feature
#: rows are left out on purpose: without them a regroup recomputes features *and* their
#: document frequencies together, which a partly salvaged pair could not keep consistent.
SALVAGE_TABLES = (
    "settings", "sources", "files", "feeds", "stories", "articles", "corrections", "topics",
    "entities", "notes",
)

#: The largest damaged id range whose missing ids are listed one by one in the report.
_LIST_IDS_UP_TO = 100_000


# --------------------------------------------------------------------------- copying


def _copy_by_sql(conn: sqlite3.Connection, table: str, columns: str) -> int | None:
    """Copy ``old.table`` in one statement and transaction; None when its pages do not all
    read. (A damaged attached file puts its pager in an error state that fails the COMMIT of
    any transaction that read it, so each table gets a transaction of its own.)"""
    before = conn.total_changes
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            f"INSERT OR IGNORE INTO main.{table} ({columns})"
            f" SELECT {columns} FROM old.{table} NOT INDEXED"
        )
        copied = conn.total_changes - before
        conn.execute("COMMIT")
    except sqlite3.DatabaseError:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        return None
    return copied


def _insert_rows(conn: sqlite3.Connection, target: Shape, source: Shape, rows: list[pg.Row]) -> int:
    """Insert decoded rows of ``source``'s layout into ``main.<target>``; rows the target's
    constraints refuse (garbage that happened to decode) are skipped."""
    wanted = [c for c in target.columns if c in source.columns]
    positions = [source.columns.index(c) for c in wanted]
    sql = (
        f"INSERT OR IGNORE INTO main.{target.name} ({', '.join(wanted)})"
        f" VALUES ({', '.join('?' * len(wanted))})"
    )
    done = 0
    for rowid, values in rows:
        full = values + [None] * (len(source.columns) - len(values))
        if source.ipk is not None:
            full[source.ipk] = rowid
        try:
            cursor = conn.execute(sql, [full[p] for p in positions])
        except sqlite3.Error:
            continue
        done += cursor.rowcount if cursor.rowcount > 0 else 0
    return done


def _missing_ids(
    conn: sqlite3.Connection, table: str, lost: list[pg.LostRange], lost_rowids: list[int]
) -> list[int]:
    """Ids inside the damaged pages' ranges that are not in the salvaged table."""
    present_min, present_max = conn.execute(
        f"SELECT min(rowid), max(rowid) FROM main.{table}"
    ).fetchone()
    found: set[int] = set(lost_rowids)
    for item in lost:
        low = item.after + 1 if item.after is not None else (present_min or 1)
        high = item.upto if item.upto is not None else (present_max or 0)
        if high < low or high - low > _LIST_IDS_UP_TO:
            continue
        have = {
            int(r[0])
            for r in conn.execute(
                f"SELECT rowid FROM main.{table} WHERE rowid BETWEEN ? AND ?", [low, high]
            )
        }
        found.update(i for i in range(low, high + 1) if i not in have)
    return sorted(
        i
        for i in found
        if conn.execute(f"SELECT 1 FROM main.{table} WHERE rowid = ?", [i]).fetchone() is None
    )


class _Salvager:
    """One salvage: the scratch copy, its schema, and the fresh library being filled."""

    def __init__(self, conn: sqlite3.Connection, scratch: Path, attached: bool) -> None:
        self.conn = conn
        self.attached = attached
        self.pages = pg.PageFile.open(scratch)
        entries = schema_by_sql(scratch) if attached else None
        self.schema = entries if entries is not None else schema_by_pages(self.pages)
        self.old_shapes = shapes_from_sql(self.schema)
        self.roots = {name: root for kind, name, root, _sql in self.schema if kind == "table"}
        self.results: dict[str, TableSalvage] = {}
        self.reads: dict[str, pg.TreeRead] = {}

    def close(self) -> None:
        self.pages.close()

    def copy_all(self, progress: Progress) -> dict[str, TableSalvage]:
        for index, table in enumerate(SALVAGE_TABLES):
            progress(index, len(SALVAGE_TABLES), f"Salvaging {table}")
            target = shape_of(self.conn, "main", table)
            if target is None:
                continue
            if self.attached and table not in self.roots:
                self.results[table] = TableSalvage()  # an older library without this table
                continue
            source = self.old_shapes.get(table, target)
            columns = ", ".join(c for c in target.columns if c in source.columns)
            copied = _copy_by_sql(self.conn, table, columns) if self.attached else None
            if copied is not None:
                self.results[table] = TableSalvage(copied=copied)
                continue
            self.results[table] = self._copy_by_pages(target, source)
        self._rescue_orphans()
        for table, result in self.results.items():
            read = self.reads.get(table)
            if read is not None and (read.lost or read.lost_rowids):
                shape = shape_of(self.conn, "main", table)
                if shape is not None and shape.ipk is not None:
                    result.missing_ids = _missing_ids(self.conn, table, read.lost, read.lost_rowids)
        return self.results

    def _copy_by_pages(self, target: Shape, source: Shape) -> TableSalvage:
        result = TableSalvage(method="pages")
        root = self.roots.get(target.name)
        if root is None:
            read = pg.TreeRead(lost=[pg.LostRange(0, None, None)])
        else:
            read = self.pages.walk_table(root, target.name)
        self.reads[target.name] = read
        result.damaged_pages = sum(1 for item in read.lost if item.page)
        result.unreadable_rows = read.bad_cells + len(read.lost_rowids)
        with _transaction(self.conn):
            result.copied = _insert_rows(self.conn, target, source, read.rows)
        read.rows = []
        return result

    def _rescue_orphans(self) -> None:
        """Rows on table-leaf pages that no tree reached (their parent page is damaged),
        given to the one table whose record shape they fit, if that table lost pages."""
        wanting = {name for name, read in self.reads.items() if read.lost}
        if not wanting:
            return
        for kind, name, root, _sql in self.schema:
            if kind == "table" and name not in self.reads and root:
                self.pages.walk_table(root, name, decode=False)  # claim its pages
        self.pages.claim_freelist()
        shapes = dict(self.old_shapes)
        for table in SALVAGE_TABLES:
            if table not in shapes and (shape := shape_of(self.conn, "main", table)):
                shapes[table] = shape
        candidates = list(shapes.values())

        def fits_any(values: list[pg.Value]) -> bool:
            return any(s.fits(values) for s in candidates)

        for _number, orphan in self.pages.orphan_leaves(fits_any):
            fitting = [s for s in candidates if all(s.fits(values) for _r, values in orphan.rows)]
            if len(fitting) != 1 or fitting[0].name not in wanting:
                continue
            source = fitting[0]
            target = shape_of(self.conn, "main", source.name)
            if target is None:
                continue
            with _transaction(self.conn):
                added = _insert_rows(self.conn, target, source, orphan.rows)
            self.results[source.name].copied += added
            self.results[source.name].rescued += added


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _fix_references(conn: sqlite3.Connection) -> None:
    """Rows whose parent row was lost: keep the rows, give them a parent or none."""
    conn.execute(
        "INSERT INTO sources (id, name, kind, created_at)"
        " SELECT DISTINCT a.source_id, 'Recovered source ' || a.source_id, 'dump',"
        " datetime('now') FROM articles a"
        " WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = a.source_id)"
    )
    conn.execute(
        "UPDATE feeds SET source_id = NULL WHERE source_id IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM sources s WHERE s.id = feeds.source_id)"
    )
    conn.execute(
        "UPDATE articles SET file_id = NULL WHERE file_id IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM files f WHERE f.id = articles.file_id)"
    )
    conn.execute(
        "DELETE FROM corrections WHERE NOT EXISTS"
        " (SELECT 1 FROM articles a WHERE a.id = corrections.article_id)"
        " OR (other_id IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM articles a WHERE a.id = corrections.other_id))"
    )


def _scratch_copy(library: Path, scratch: Path) -> bool:
    """Copy the library (and its -wal) and fold the WAL in; True if SQLite can open it."""
    for suffix in ("", "-wal"):
        if Path(f"{library}{suffix}").exists():
            shutil.copyfile(f"{library}{suffix}", f"{scratch}{suffix}")
    try:
        conn = sqlite3.connect(str(scratch))
        try:
            if Path(f"{scratch}-wal").exists():
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return True


def salvage(library: Path, progress: Progress = no_progress) -> SalvageResult:
    """Copy every readable row of a damaged library into a fresh one that takes its place.

    Raises :class:`ReadOnlyLibraryError` (before creating anything) when the library or its
    folder cannot be written, and :class:`DamagedLibraryError` when nothing at all can be
    read. On any failure nothing is left behind and the damaged file stays where it was.
    """
    library = Path(library)
    if not writable(library):
        raise ReadOnlyLibraryError(
            library,
            "the library is read-only, so it cannot be repaired in place; copy it "
            "to a folder you can write and repair the copy",
        )
    fresh = library.with_name(library.name + ".salvage")
    _remove(fresh)
    try:
        with tempfile.TemporaryDirectory(dir=library.parent, prefix=".salvage-") as scratch_dir:
            scratch = Path(scratch_dir) / "damaged.db"
            attached = _scratch_copy(library, scratch)
            tables = _fill(fresh, scratch, attached, progress)
    except BaseException:
        _remove(fresh)
        raise
    if not any(t.copied for t in tables.values()):
        _remove(fresh)
        raise DamagedLibraryError(library, "nothing could be read from the damaged library")
    moved = move_aside(library, "damaged")
    _remove(fresh, main=False)
    os.replace(fresh, library)
    with contextlib.suppress(OSError):
        fd = os.open(library.parent, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    return SalvageResult(damaged_moved_to=moved, tables=tables)


def _fill(
    fresh: Path, scratch: Path, attached: bool, progress: Progress
) -> dict[str, TableSalvage]:
    db = open_database(fresh, read_only=False)
    conn = db.conn
    salvager: _Salvager | None = None
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        if attached:
            try:
                conn.execute("ATTACH DATABASE ? AS old", [str(scratch)])
            except sqlite3.DatabaseError:
                attached = False
        salvager = _Salvager(conn, scratch, attached)
        # A fresh library seeds defaults (settings, topics); the old rows win.
        with db.atomic():
            for table in ("topics", "settings"):
                conn.execute(f"DELETE FROM main.{table}")
        tables = salvager.copy_all(progress)
        if attached:
            conn.execute("DETACH DATABASE old")
        with db.atomic():
            _fix_references(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return tables
    finally:
        if salvager is not None:
            salvager.close()
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        db.close()


def _remove(path: Path, main: bool = True) -> None:
    for suffix in ("", "-wal", "-shm") if main else ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
