"""Restoring a backup, and moving a library file aside, without ever losing a file.

Nothing here deletes or overwrites a library: ``restore`` and ``move_aside`` rename the current
file (with its ``-wal``/``-shm``) to ``*.replaced-<timestamp>`` or ``*.damaged-<timestamp>``
first. A backup is verified (``integrity_check``, read-only) before it is put in place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from reader.errors import DamagedLibraryError, LibraryError, NotFound
from reader.storage import backup_checks as checks
from reader.storage.backup import fsync_dir, stamp
from reader.storage.connection import read_header, read_only_uri
from reader.storage.schema import APPLICATION_ID, schema_version

_SIDE_FILES = ("-wal", "-shm", "-journal")



def verify_backup(path: Path, library: Path | None = None) -> None:
    """Raise :class:`DamagedLibraryError` unless ``path`` is a sound Broadsheet library
    this version can read. The file is opened read-only and never changed; with ``library``,
    the outcome is recorded for that library's backups list and pruning."""
    if not path.is_file():
        raise NotFound(f"{path}: no such backup")
    header = read_header(path)
    if header is None:
        raise DamagedLibraryError(path, "the backup is empty")
    application_id, user_version = header
    if application_id not in (0, APPLICATION_ID):
        raise DamagedLibraryError(path, "this is not a Broadsheet library backup")
    if user_version > schema_version():
        raise DamagedLibraryError(
            path, "this backup was written by a newer Broadsheet; please update Broadsheet"
        )
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
            has_articles = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'articles'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        rows, has_articles = [(str(exc),)], None
    problems = [str(r[0]) for r in rows if r[0] != "ok"]
    if library is not None:
        checks.record(path, library.name, problems)
    if problems:
        raise DamagedLibraryError(
            path, f"the backup fails the integrity check ({'; '.join(problems[:3])})"
        )
    if not has_articles:
        raise DamagedLibraryError(path, "this is not a Broadsheet library backup")


def move_aside(library: Path, label: str, when: datetime | None = None) -> Path | None:
    """Rename ``library`` and its side files to ``<name>.<label>-<timestamp>``.

    The ``-wal``/``-shm`` keep their suffix after the new name, so the moved pair can still be
    opened together with sqlite. Returns the new main path, or None if there was no file.
    """
    present = [s for s in ("", *_SIDE_FILES) if Path(f"{library}{s}").exists()]
    if not present:
        return None
    base = f"{library}.{label}-{stamp(when)}"
    target = Path(base)
    counter = 0
    while target.exists() or any(Path(f"{target}{s}").exists() for s in _SIDE_FILES):
        counter += 1
        target = Path(f"{base}.{counter}")
    # Side files first: were a crash to interrupt this, a stray -wal left beside a missing
    # main file could be replayed into a new library, while a main file without its -wal only
    # lacks its newest commits, which are safe in the moved -wal.
    for suffix in (*_SIDE_FILES, ""):
        if suffix in present:
            os.replace(Path(f"{library}{suffix}"), Path(f"{target}{suffix}"))
    fsync_dir(library.parent)
    return target


def checkpoint(library: Path) -> None:
    """Fold the ``-wal`` into the main file if the file allows it (best effort: a damaged
    file is moved aside as it is)."""
    if not library.exists():
        return
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(str(library), timeout=1)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


def restore(backup: Path, library: Path) -> Path | None:
    """Put ``backup`` in place of ``library``; return where the replaced file was moved.

    The backup is verified first; the current library (damaged or not) is moved aside as
    ``*.replaced-<timestamp>``, never deleted or overwritten. The caller must have closed
    every connection to ``library``.
    """
    backup = Path(backup)
    library = Path(library)
    verify_backup(backup)
    checkpoint(library)
    partial = library.with_name(library.name + ".restoring")
    try:
        library.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(backup, partial)
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        replaced = move_aside(library, "replaced")
        os.replace(partial, library)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise LibraryError(
            library, f"could not restore {backup.name} ({exc.strerror or exc})"
        ) from exc
    fsync_dir(library.parent)
    return replaced
