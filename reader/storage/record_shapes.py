"""Which table a record belongs to, and what the damaged file's schema was.

Salvage reads rows straight from pages (:mod:`reader.storage.pages`); a leaf page cut off from
its table by a damaged parent carries no table name, only records. A record's shape (how many
fields, which are NULL, integer or text) matches one Broadsheet table and no other, so
:class:`Shape` tells them apart. The schema itself (table names, root pages, columns) comes
from ``sqlite_master`` through SQLite when the file opens, else read from the pages too.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from reader.storage import pages as pg


@dataclass(frozen=True, slots=True)
class Shape:
    """A table's columns, as far as recognising its records needs."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]  # "int", "text", "real" or "any", from the declared type
    notnull: tuple[bool, ...]
    ipk: int | None  # the INTEGER PRIMARY KEY column (stored as NULL, value = rowid)

    @property
    def min_fields(self) -> int:
        """Columns added later (ALTER TABLE ADD COLUMN) may be absent from old records."""
        required = [i for i, n in enumerate(self.notnull) if n]
        return max(required, default=0) + 1

    def fits(self, values: list[pg.Value]) -> bool:
        if not self.min_fields <= len(values) <= len(self.columns):
            return False
        for i, value in enumerate(values):
            if i == self.ipk:
                if value is not None:
                    return False
                continue
            if value is None:
                if self.notnull[i]:
                    return False
                continue
            kind = self.kinds[i]
            if kind == "int" and not isinstance(value, int):
                return False
            if kind == "text" and not isinstance(value, str):
                return False
            if kind == "real" and not isinstance(value, (int, float)):
                return False
        return True


def _kind(declared: str) -> str:
    upper = declared.upper()
    if "INT" in upper:
        return "int"
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return "real"
    return "any"


def shape_of(conn: sqlite3.Connection, schema: str, table: str) -> Shape | None:
    rows = conn.execute(f"PRAGMA {schema}.table_info({table})").fetchall()
    if not rows:
        return None
    pks = [r for r in rows if r[5]]
    ipk = None
    if len(pks) == 1 and str(pks[0][2]).upper() == "INTEGER":
        ipk = int(pks[0][0])
    return Shape(
        name=table,
        columns=tuple(str(r[1]) for r in rows),
        kinds=tuple(_kind(str(r[2])) for r in rows),
        notnull=tuple(bool(r[3]) or (r[5] and i != ipk) for i, r in enumerate(rows)),
        ipk=ipk,
    )


def shapes_from_sql(entries: list[SchemaEntry]) -> dict[str, Shape]:
    """Shapes of the old file's tables, rebuilt from their CREATE statements."""
    memory = sqlite3.connect(":memory:")
    shapes: dict[str, Shape] = {}
    try:
        for kind, name, _root, sql in entries:
            if kind != "table" or not sql or not sql.upper().startswith("CREATE TABLE"):
                continue
            with contextlib.suppress(sqlite3.Error):
                memory.execute(sql)
                shape = shape_of(memory, "main", name)
                if shape is not None:
                    shapes[name] = shape
    finally:
        memory.close()
    return shapes


# --------------------------------------------------------------------------- the old schema

#: One entry of ``sqlite_master``: (type, name, root page, CREATE statement).
SchemaEntry = tuple[str, str, int, str | None]


_MASTER = Shape(
    "sqlite_master", ("type", "name", "tbl_name", "rootpage", "sql"),
    ("text", "text", "text", "int", "text"), (True, True, True, True, False), None,
)


def schema_by_sql(old: Path) -> list[SchemaEntry] | None:
    try:
        conn = sqlite3.connect(f"{old.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT type, name, rootpage, sql FROM sqlite_master").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return [(str(r[0]), str(r[1]), int(r[2] or 0), r[3]) for r in rows]


def schema_by_pages(pages: pg.PageFile) -> list[SchemaEntry]:
    """sqlite_master read from page 1's tree, plus its leaves cut off by damage."""
    read = pages.walk_table(1, "sqlite_master")
    rows = [values for _rowid, values in read.rows]
    if read.lost:
        for _number, orphan in pages.orphan_leaves(_MASTER.fits):
            rows.extend(v for _r, v in orphan.rows)
    out = []
    for values in rows:
        if len(values) == 5 and isinstance(values[1], str) and isinstance(values[3], int):
            sql = values[4] if isinstance(values[4], str) else None
            out.append((str(values[0]), values[1], values[3], sql))
    pages.owner.clear()  # the tables' walks start afresh
    return out
