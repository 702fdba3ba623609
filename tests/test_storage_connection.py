"""Opening libraries: pragmas, application id, migrations, and refusing what we cannot read."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from reader.errors import DamagedLibraryError, LibraryError, NewerLibraryError
from reader.library import Library
from reader.storage.schema import APPLICATION_ID, schema_version


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_library_has_id_version_and_pragmas(library_path: Path) -> None:
    with Library.open(library_path) as lib:
        conn = lib.db.conn
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert "articles_fts" in lib.db.table_names()


def test_reopen_applies_no_migration_twice(library_path: Path) -> None:
    Library.open(library_path).close()
    with Library.open(library_path) as lib:
        applied = lib.db.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        assert applied == schema_version()


def test_default_library_is_created_in_user_data_folder(tmp_path: Path) -> None:
    with Library.open() as lib:
        assert lib.path.exists()
        assert str(lib.path).startswith(str(tmp_path.parent.parent)) or "data" in str(lib.path)


def test_newer_library_is_refused_and_untouched(library_path: Path) -> None:
    Library.open(library_path).close()
    conn = sqlite3.connect(library_path)
    conn.execute(f"PRAGMA user_version = {schema_version() + 5}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _digest(library_path)
    siblings = sorted(p.name for p in library_path.parent.iterdir())
    with pytest.raises(NewerLibraryError, match="newer Broadsheet"):
        Library.open(library_path)
    assert _digest(library_path) == before
    assert sorted(p.name for p in library_path.parent.iterdir()) == siblings


@pytest.mark.parametrize(
    "content",
    [b"garbage" * 50, b"SQLite format 3\x00" + b"\x00" * 20, b"\x89PNG\r\n\x1a\n" + b"x" * 200],
    ids=["garbage", "truncated", "png"],
)
def test_garbage_or_truncated_file_is_refused_clearly(library_path: Path, content: bytes) -> None:
    library_path.write_bytes(content)
    with pytest.raises(DamagedLibraryError) as info:
        Library.open(library_path)
    assert str(library_path) in str(info.value)
    assert library_path.read_bytes() == content


def test_other_sqlite_database_is_refused(library_path: Path) -> None:
    conn = sqlite3.connect(library_path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="not a Broadsheet library"):
        Library.open(library_path)


def test_header_is_not_read_with_plain_io_while_this_process_has_it_open(
    library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing a plain file descriptor would drop SQLite's POSIX locks on the library."""
    from reader.storage import connection

    reads: list[Path] = []
    original = connection.read_file_header

    def spy(path: Path) -> connection.Header | None:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(connection, "read_file_header", spy)
    Library.open(library_path).close()
    reads.clear()
    first = Library.open(library_path)
    assert len(reads) == 1
    second = Library.open(library_path)  # e.g. the GUI's worker thread
    assert len(reads) == 1
    second.close()
    first.close()
    Library.open(library_path).close()
    assert len(reads) == 2
