"""Opening a library file safely.

Every connection is opened the same way: WAL (so the CLI can write while the GUI reads),
``synchronous=NORMAL`` (durable at every checkpoint, never corrupting), foreign keys on and a
busy timeout. A ``Database`` belongs to the thread that opened it: open one per thread.

Nothing is changed before we know what the file is. The header is read as plain bytes
(application id, schema version, journal mode); a file with another application's id, or a
plain SQLite file holding tables but no Broadsheet migrations, is refused after a read-only
look that creates no ``-wal``/``-shm``. Only then is the journal mode switched to WAL.

A library we may not write (a read-only file or folder, a read-only disk) opens read-only:
reads work, and every write transaction is refused with :class:`ReadOnlyLibraryError` before it
starts. Write transactions begin ``IMMEDIATE`` (:meth:`LibraryDatabase.atomic`): a deferred
transaction that reads first gets ``SQLITE_BUSY`` at once when another process holds the write
lock, without ever calling the busy handler, so a note saved during an import would fail
instead of waiting for the import's commit.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from reader.errors import (
    BroadsheetError,
    DamagedLibraryError,
    LibraryError,
    NewerLibraryError,
    ReadOnlyLibraryError,
)
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


@dataclass(frozen=True, slots=True)
class Header:
    """What the first 100 bytes of an SQLite file say."""

    application_id: int
    user_version: int
    wal: bool  # the file is in WAL mode (format versions 2)


def read_file_header(path: Path) -> Header | None:
    """The file's :class:`Header`, or None if it is empty.

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
            path, "the file does not start like a database: its first page is damaged, or it "
            "is truncated or not a Broadsheet library"
        )
    (user_version,) = struct.unpack(">i", header[60:64])
    (application_id,) = struct.unpack(">i", header[68:72])
    return Header(application_id, user_version, wal=header[18] == 2 or header[19] == 2)


def read_header(path: Path) -> tuple[int, int] | None:
    """``(application_id, user_version)`` from the file header, or None if it is empty."""
    header = read_file_header(path)
    return None if header is None else (header.application_id, header.user_version)


def _check_versions(path: Path, application_id: int, user_version: int) -> None:
    if application_id not in (0, APPLICATION_ID):
        if user_version < 0 or user_version > 1_000_000:
            raise DamagedLibraryError(path, "the library file's header is damaged")
        raise LibraryError(
            path, "this SQLite file belongs to another application; it was not changed"
        )
    if user_version > schema_version():
        raise NewerLibraryError(
            path,
            f"this library was written by a newer Broadsheet (schema {user_version}; this "
            f"version reads up to {schema_version()}). Please update Broadsheet; the file "
            "was not changed.",
        )


# --------------------------------------------------------------------------- errors


#: SQLite's primary result codes that mean the file itself is bad.
_DAMAGE_CODES = {10: "disk I/O error", 11: "damaged", 26: "not a database"}
_READONLY_CODE = 8
_BUSY_CODES = (5, 6)
_FULL_CODE = 13

def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: BaseException) -> bool:
    """Whether an sqlite3 error means the library file is damaged or unreadable."""
    if isinstance(exc, DamagedLibraryError):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = _code(exc)
    if code is not None:
        return code in _DAMAGE_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "disk i/o" in text


def is_read_only_error(exc: BaseException) -> bool:
    if isinstance(exc, ReadOnlyLibraryError):
        return True
    if not isinstance(exc, sqlite3.Error):
        return False
    return _code(exc) == _READONLY_CODE or "readonly database" in str(exc).lower()


def library_error(path: Path, exc: BaseException) -> BroadsheetError | None:
    """The user-facing error for an sqlite3 error on the library at ``path``, if it is one
    of the expected kinds (damage, read-only, busy, full disk); None for anything else."""
    if isinstance(exc, BroadsheetError):
        return exc
    if not isinstance(exc, sqlite3.Error):
        return None
    if is_damage(exc):
        return DamagedLibraryError(path, f"the library file is damaged or unreadable ({exc})")
    if is_read_only_error(exc):
        return ReadOnlyLibraryError(path, "the library is read-only; nothing was changed")
    code = _code(exc)
    if code in _BUSY_CODES:
        return LibraryError(path, "the library is busy in another program; try again shortly")
    if code == _FULL_CODE:
        return LibraryError(path, "the disk is full; nothing was changed")
    return None


# --------------------------------------------------------------------------- connections


class LibraryDatabase(Database):
    """A sqlite-utils ``Database`` whose write transactions start ``IMMEDIATE``.

    ``atomic()`` is where every write of the core begins, so making it take the write lock
    first (waiting up to :data:`BUSY_TIMEOUT_MS` for it) fixes read-then-write transactions
    everywhere at once; nested blocks stay savepoints. On a read-only library it refuses
    before anything starts.
    """

    path: Path
    read_only: bool = False

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.read_only:
            raise ReadOnlyLibraryError(
                self.path, "the library is read-only (its file or folder cannot be written); "
                "nothing was changed"
            )
        if self.conn.in_transaction:
            savepoint = f"bs_{secrets.token_hex(8)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise

    def rollback(self) -> None:
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")


def writable(path: Path) -> bool:
    """Whether this process may write the library at ``path`` and create files beside it
    (WAL needs its ``-wal``/``-shm``; rollback mode its ``-journal``)."""
    folder = path.parent
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent  # a library not created yet: its folder will be made there
    effective = os.access in os.supports_effective_ids
    if path.exists() and not os.access(path, os.W_OK, effective_ids=effective):
        return False
    return os.access(folder, os.W_OK | os.X_OK, effective_ids=effective)


def read_only_uri(path: Path) -> str:
    """A read-only URI that creates no file beside the library.

    Without a ``-wal`` beside it, no writer has the file open in WAL mode, so the main file is
    the whole database and ``immutable`` reads it without creating a ``-shm``/``-wal`` (which
    a read-only connection could never delete again). With a ``-wal``, it must be read too.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not Path(f"{path}-wal").exists():
        if _is_open_here(path):
            # Never read the header with plain I/O under our own locks (see _open_here); open
            # here without a -wal means our connections are read-only ones: no writer here.
            return uri + "&immutable=1"
        header = None
        with contextlib.suppress(BroadsheetError):
            header = read_file_header(path)
        if header is None or header.wal:
            uri += "&immutable=1"
    return uri


def connect(path: Path, *, read_only: bool = False) -> LibraryDatabase:
    """Open a connection with the project's pragmas, without migrating."""
    if read_only:
        conn = sqlite3.connect(
            read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    # Python's implicit transactions (a bare INSERT outside ``atomic``) start IMMEDIATE too.
    conn.isolation_level = "IMMEDIATE"
    db = LibraryDatabase(conn, execute_plugins=False)
    db.path = path
    db.read_only = read_only
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not read_only:
        db.conn.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _peek(path: Path) -> tuple[int, int, bool, bool]:
    """``(application_id, user_version, has_tables, has_our_migrations)`` as SQLite sees them
    (WAL included), through a read-only connection that changes nothing and leaves no file."""
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        names = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master")}
        ours = False
        if "_sqlite_migrations" in names:
            ours = conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1",
                [MIGRATIONS.name],
            ).fetchone() is not None
    finally:
        conn.close()
    return application_id, user_version, bool(names), ours


def _identify(path: Path, header: Header) -> None:
    """Refuse, untouched, anything that is not a Broadsheet library this version can open."""
    _check_versions(path, header.application_id, header.user_version)
    if header.application_id == APPLICATION_ID and not Path(f"{path}-wal").exists():
        return  # the header is the whole truth when no WAL holds newer pages
    application_id, user_version, has_tables, ours = _peek(path)
    _check_versions(path, application_id, user_version)
    if application_id == 0 and has_tables and not ours:
        raise LibraryError(path, "this SQLite file is not a Broadsheet library; it was not changed")


def open_database(
    path: Path,
    *,
    create: bool = True,
    before_migrate: BeforeMigrate | None = None,
    read_only: bool | None = None,
) -> LibraryDatabase:
    """Open (creating or migrating if needed) the library at ``path``.

    ``read_only`` None decides from the file system: a library this process cannot write
    opens read-only. ``before_migrate(path, old_version, new_version)`` runs before any
    pending migration is applied to an existing library; the backup module uses it to take a
    backup first.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise LibraryError(path, "no library at this path")
    if read_only is None:
        read_only = not writable(path)
    try:
        if exists and not _is_open_here(path):
            header = read_file_header(path)
            if header is not None:
                _identify(path, header)
        elif not exists:
            if read_only:
                raise LibraryError(
                    path, "cannot create a library here: the folder is read-only"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(path, f"cannot create the folder ({exc.strerror})") from exc
        db = connect(path, read_only=read_only)
        try:
            _finish_open(db, path, exists, before_migrate)
        except BaseException:
            db.close()
            raise
    except sqlite3.DatabaseError as exc:
        raise library_error(path, exc) or DamagedLibraryError(
            path, f"the library file is damaged or unreadable ({exc})"
        ) from exc
    _register(path)
    return db


def _finish_open(
    db: LibraryDatabase, path: Path, exists: bool, before_migrate: BeforeMigrate | None
) -> None:
    application_id = db.conn.execute("PRAGMA application_id").fetchone()[0]
    user_version = db.conn.execute("PRAGMA user_version").fetchone()[0]
    if application_id == 0 and user_version == 0 and db.table_names():
        raise LibraryError(path, "this SQLite file is not a Broadsheet library")
    pending = MIGRATIONS.pending(db)
    if not pending:
        return
    if db.read_only:
        raise ReadOnlyLibraryError(
            path,
            f"this library needs an upgrade (schema {user_version} to {schema_version()}) "
            "but it is read-only; open it once where it can be written",
        )
    if exists and user_version > 0 and before_migrate is not None:
        before_migrate(path, user_version, schema_version())
    MIGRATIONS.apply(db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {schema_version()}")
