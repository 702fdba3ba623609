"""Opening a library file safely.

Every connection is opened the same way: WAL (so the CLI can write while the GUI reads),
``synchronous=NORMAL`` (durable at every checkpoint, never corrupting), foreign keys on and a
busy timeout. A ``Database`` belongs to the thread that opened it: open one per thread.

Before anything is written, the file's header is read as plain bytes, so a library written by a
newer Broadsheet, or a file that is not a library at all, is refused without being touched.
"""

from __future__ import annotations

import sqlite3
import struct
import threading
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from reader.errors import DamagedLibraryError, LibraryError, NewerLibraryError
from reader.storage.schema import APPLICATION_ID, MIGRATIONS, schema_version

#: How long a writer waits for another process's write transaction before giving up (ms).
#: Long enough for a GUI note save to wait out a CLI import's batch commit.
BUSY_TIMEOUT_MS = 15_000

_SQLITE_MAGIC = b"SQLite format 3\x00"

#: Library files this process has open, with how many connections each. POSIX drops every
#: lock a process holds on a file when *any* descriptor of it is closed, so the header must
#: never be read with plain file I/O while SQLite holds locks on the file in this process
#: (another process could then checkpoint and delete the WAL under our connections).
_open_here: dict[str, int] = {}
_open_lock = threading.Lock()


def _key(path: Path) -> str:
    return str(path.resolve())


def _register(path: Path) -> None:
    with _open_lock:
        _open_here[_key(path)] = _open_here.get(_key(path), 0) + 1


def release(path: Path) -> None:
    """Forget one connection to ``path`` (call after closing it)."""
    with _open_lock:
        key = _key(path)
        left = _open_here.get(key, 0) - 1
        if left > 0:
            _open_here[key] = left
        else:
            _open_here.pop(key, None)


def _is_open_here(path: Path) -> bool:
    with _open_lock:
        return _key(path) in _open_here

BeforeMigrate = Callable[[Path, int, int], None]


def read_header(path: Path) -> tuple[int, int] | None:
    """Return ``(application_id, user_version)`` from the file header, or None if empty.

    Raises :class:`DamagedLibraryError` for a file that is not an SQLite database.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise LibraryError(path, f"cannot read the library file ({exc.strerror})") from exc
    if not header:
        return None
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise DamagedLibraryError(
            path, "this is not a Broadsheet library: the file is truncated or not a database"
        )
    (user_version,) = struct.unpack(">i", header[60:64])
    (application_id,) = struct.unpack(">i", header[68:72])
    return application_id, user_version


def _check_versions(path: Path, application_id: int, user_version: int) -> None:
    if application_id not in (0, APPLICATION_ID):
        if user_version < 0 or user_version > 1_000_000:
            raise DamagedLibraryError(path, "the library file's header is damaged")
        raise LibraryError(path, "this SQLite file belongs to another application")
    if user_version > schema_version():
        raise NewerLibraryError(
            path,
            f"this library was written by a newer Broadsheet (schema {user_version}; this "
            f"version reads up to {schema_version()}). Please update Broadsheet; the file "
            "was not changed.",
        )


def _live_versions(path: Path) -> tuple[int, int]:
    """``(application_id, user_version)`` as SQLite sees them, WAL included.

    Read through a read-only connection: unlike a read-write one, closing it never
    checkpoints the WAL into the file, so a library we are about to refuse stays untouched.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    return int(application_id), int(user_version)


def connect(path: Path) -> Database:
    """Open a connection with the project's pragmas, without migrating."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn, execute_plugins=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.conn.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def open_database(
    path: Path, *, create: bool = True, before_migrate: BeforeMigrate | None = None
) -> Database:
    """Open (creating or migrating if needed) the library at ``path``.

    ``before_migrate(path, old_version, new_version)`` runs before any pending migration is
    applied to an existing library; the backup module uses it to take a backup first.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise LibraryError(path, "no library at this path")
    if exists and not _is_open_here(path):
        header = read_header(path)
        if header is not None:
            _check_versions(path, *header)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(path, f"cannot create the folder ({exc.strerror})") from exc
    try:
        if exists:
            # The header can lag behind an un-checkpointed WAL: check the live values too.
            _check_versions(path, *_live_versions(path))
        db = connect(path)
        application_id = db.conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = db.conn.execute("PRAGMA user_version").fetchone()[0]
        if application_id == 0 and user_version == 0 and db.table_names():
            db.close()
            raise LibraryError(path, "this SQLite file is not a Broadsheet library")
        pending = MIGRATIONS.pending(db)
        if pending:
            if exists and user_version > 0 and before_migrate is not None:
                before_migrate(path, user_version, schema_version())
            MIGRATIONS.apply(db)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {schema_version()}")
    except sqlite3.DatabaseError as exc:
        raise DamagedLibraryError(
            path, f"the library file is damaged or unreadable ({exc})"
        ) from exc
    _register(path)
    return db
