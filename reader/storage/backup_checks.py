"""What is known about each backup's soundness, so pruning never keeps only bad ones.

Every backup Broadsheet writes is checked (``PRAGMA quick_check`` on the finished copy, before
it gets its real name); a copy that fails is deleted and the earlier backups are kept. The
outcome of each check is recorded in ``backups/<library name>.checks.json`` with the file's
size and modification time, so a later change to the file (disk rot, a hand edit) makes the
record stale rather than wrong. Backups without a record (made by older versions, or copied in
by hand) are "not verified": they count towards the number kept, but pruning always keeps the
newest backup known to be good, checking unverified ones (newest first) only when it must.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.storage.connection import read_only_uri

#: File (inside the backups folder) holding the check records of one library's backups.
CHECKS_SUFFIX = ".checks.json"


def _records_path(folder: Path, library_name: str) -> Path:
    return folder / f"{library_name}{CHECKS_SUFFIX}"


def _load(folder: Path, library_name: str) -> dict[str, Any]:
    try:
        data = json.loads(_records_path(folder, library_name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    backups = data.get("backups") if isinstance(data, dict) else None
    return backups if isinstance(backups, dict) else {}


def _save(folder: Path, library_name: str, records: dict[str, Any]) -> None:
    """Write the records atomically; a read-only folder just keeps no records."""
    target = _records_path(folder, library_name)
    partial = target.with_name(target.name + ".partial")
    with contextlib.suppress(OSError):
        partial.write_text(
            json.dumps({"version": 1, "backups": records}, indent=1, sort_keys=True),
            encoding="utf-8",
        )
        os.replace(partial, target)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def record(backup: Path, library_name: str, problems: list[str]) -> None:
    """Remember the outcome of checking ``backup`` (an empty ``problems`` means good)."""
    stamp = _stamp(backup)
    if stamp is None:
        return
    records = _load(backup.parent, library_name)
    records[backup.name] = {
        "size": stamp[0],
        "mtime_ns": stamp[1],
        "ok": not problems,
        "problem": "; ".join(problems[:3]) or None,
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    present = {p.name for p in backup.parent.iterdir()} if backup.parent.is_dir() else set()
    _save(backup.parent, library_name, {k: v for k, v in records.items() if k in present})


def status(backup: Path, library_name: str) -> bool | None:
    """True: checked and sound; False: checked and damaged; None: not verified (no record,
    or the file changed since it was checked)."""
    entry = _load(backup.parent, library_name).get(backup.name)
    stamp = _stamp(backup)
    if not isinstance(entry, dict) or stamp is None:
        return None
    if (entry.get("size"), entry.get("mtime_ns")) != stamp:
        return None
    return bool(entry.get("ok"))


def quick_check_connection(conn: sqlite3.Connection, limit: int = 20) -> list[str]:
    """``PRAGMA quick_check`` on an open connection: the problems ([] when sound)."""
    try:
        rows = conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [str(r[0]) for r in rows if r and r[0] != "ok"]


def quick_check_path(path: Path) -> list[str]:
    """``quick_check`` of a file (a backup, or the library from another thread) through a
    read-only connection of its own that leaves no file beside it."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return quick_check_connection(conn)
    finally:
        conn.close()
