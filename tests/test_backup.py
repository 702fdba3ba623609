"""Backups: online backup API, dated names, daily backup on open, pruning, migration backup,
restore that never deletes the current file, and the CLI verbs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Migrations
from test_crash_support import digest, write_listing

from reader.cli import main
from reader.errors import BroadsheetError, DamagedLibraryError, LibraryError
from reader.library import Library
from reader.storage import backup as backups
from reader.storage import connection, restore


def _articles(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A library holding 40 articles (no backups yet: it was empty when opened)."""
    path = tmp_path / "lib" / "library.broadsheet.db"
    with Library.open(path) as lib:
        report = lib.import_paths([write_listing(tmp_path / "a.txt", 40, seed=1)])
        assert report.added == 40
    assert backups.list_backups(path) == []
    return path


def test_daily_backup_on_first_open_only(filled: Path) -> None:
    with Library.open(filled) as lib:
        made = lib.list_backups()
        assert len(made) == 1
        assert Path(made[0].path).parent == filled.parent / "backups"
        assert Path(made[0].path).name.startswith(f"{filled.name}.")
        assert Path(made[0].path).name.endswith("Z.bak")
        assert _articles(Path(made[0].path)) == 40
    Library.open(filled).close()
    assert len(backups.list_backups(filled)) == 1


def test_backup_is_self_contained_and_verifies(filled: Path) -> None:
    with Library.open(filled) as lib:
        made = lib.backup()
    assert not Path(f"{made}-wal").exists()
    restore.verify_backup(made)
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_backup_names_sort_by_time_and_same_second_does_not_collide(filled: Path) -> None:
    with Library.open(filled) as lib:
        paths = [lib.backup() for _ in range(3)]
    assert len(set(paths)) == 3
    listed = [Path(b.path) for b in backups.list_backups(filled)]
    assert listed[:3] == list(reversed(paths))


def test_prune_keeps_configured_number(filled: Path) -> None:
    with Library.open(filled) as lib:
        lib.set_backup_keep(3)
        assert lib.backup_keep() == 3
        for _ in range(5):
            lib.backup()
    removed = backups.prune(filled, 3)
    assert len(removed) == 3  # 1 daily + 5 manual - 3 kept
    assert len(backups.list_backups(filled)) == 3
    with pytest.raises(BroadsheetError), Library.open(filled) as lib:
        lib.set_backup_keep(0)


def test_daily_backup_prunes_with_setting(filled: Path) -> None:
    folder = filled.parent / "backups"
    folder.mkdir()
    for day in range(1, 10):
        old = folder / f"{filled.name}.2020-01-{day:02d}T000000Z.bak"
        old.write_bytes(b"old")
    with Library.open(filled) as lib:
        lib.set_backup_keep(4)
    # Reopen: pruning follows the lowered setting at once.
    with Library.open(filled) as lib:
        kept = lib.list_backups()
    assert len(kept) == 4
    assert kept[0].created.date() == datetime.now(UTC).date()


def test_backup_due_is_per_day(filled: Path) -> None:
    folder = filled.parent / "backups"
    folder.mkdir()
    (folder / f"{filled.name}.2020-01-01T235959Z.bak").write_bytes(b"x")
    assert backups.backup_due(filled, now=datetime(2020, 1, 2, tzinfo=UTC))
    assert not backups.backup_due(filled, now=datetime(2020, 1, 1, 23, 59, 59, tzinfo=UTC))


def test_backup_destination_folder_file_and_no_overwrite(filled: Path, tmp_path: Path) -> None:
    target_dir = tmp_path / "elsewhere"
    target_dir.mkdir()
    with Library.open(filled) as lib:
        into_dir = lib.backup(target_dir)
        assert into_dir.parent == target_dir
        named = lib.backup(tmp_path / "mine.db")
        assert named == tmp_path / "mine.db"
        before = digest(named)
        with pytest.raises(BroadsheetError, match="already exists"):
            lib.backup(named)
        assert digest(named) == before
        with pytest.raises(BroadsheetError, match="does not exist"):
            lib.backup(tmp_path / "missing" / "x.db")
    assert not (tmp_path / "missing").exists()
    assert _articles(into_dir) == 40 and _articles(named) == 40


def test_restore_moves_current_aside_and_keeps_it(filled: Path, tmp_path: Path) -> None:
    with Library.open(filled) as lib:
        saved = lib.backup()
        lib.import_paths([write_listing(tmp_path / "b.txt", 10, seed=2)])
        assert lib.stats().articles == 50
        moved = lib.restore_backup(saved)
        assert lib.stats().articles == 40
    assert moved is not None and ".replaced-" in moved.name
    assert _articles(moved) == 50


def test_restore_from_works_on_garbage_library(filled: Path) -> None:
    with Library.open(filled) as lib:
        saved = lib.backup()
    filled.write_bytes(b"garbage" * 100)
    Path(f"{filled}-wal").unlink(missing_ok=True)
    Path(f"{filled}-shm").unlink(missing_ok=True)
    with pytest.raises(DamagedLibraryError):
        Library.open(filled)
    moved = Library.restore_from(saved, filled)
    assert moved is not None and moved.read_bytes() == b"garbage" * 100
    with Library.open(filled) as lib:
        assert lib.stats().articles == 40


def test_restore_refuses_a_bad_backup_and_changes_nothing(filled: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.bak"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"junk" * 300)
    before = digest(filled)
    with pytest.raises(DamagedLibraryError):
        Library.restore_from(bad, filled)
    assert digest(filled) == before
    assert not list(filled.parent.glob("*.replaced-*"))


def test_backup_before_migration(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pending migration is preceded by a backup holding the old schema."""
    Library.open(filled).close()  # takes today's daily backup
    daily = backups.list_backups(filled)
    extended = Migrations("broadsheet")
    extended._migrations = list(connection.MIGRATIONS._migrations)

    @extended()
    def m999_test(db: object) -> None:
        db.execute("CREATE TABLE safety_test_marker (x)")  # type: ignore[attr-defined]

    monkeypatch.setattr(connection, "MIGRATIONS", extended)
    monkeypatch.setattr(connection, "schema_version", lambda: len(extended._migrations))
    with Library.open(filled) as lib:
        assert "safety_test_marker" in lib.db.table_names()
    after = backups.list_backups(filled)
    assert len(after) == len(daily) + 1
    conn = sqlite3.connect(after[0].path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "safety_test_marker" not in tables and "articles" in tables


def test_failed_migration_backup_stops_the_migration(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extended = Migrations("broadsheet")
    extended._migrations = list(connection.MIGRATIONS._migrations)

    @extended()
    def m999_test(db: object) -> None:
        db.execute("CREATE TABLE safety_test_marker (x)")  # type: ignore[attr-defined]

    monkeypatch.setattr(connection, "MIGRATIONS", extended)
    monkeypatch.setattr(connection, "schema_version", lambda: len(extended._migrations))

    def broken(library: Path, source: sqlite3.Connection, dest: Path | None = None) -> Path:
        raise BroadsheetError("disk is full")

    monkeypatch.setattr(backups, "backup_connection", broken)
    with pytest.raises(LibraryError, match="not changed"):
        Library.open(filled)
    conn = sqlite3.connect(filled)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "safety_test_marker" not in tables


def test_cli_backup_backups_restore(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(filled)
    assert main(["--library", lib, "backup"]) == 0
    out = capsys.readouterr().out
    made = Path(out.strip().rsplit(" to ", 1)[1])
    assert made.exists()
    assert main(["--library", lib, "backups"]) == 0
    listed = capsys.readouterr().out
    assert str(made) in listed and "verified" in listed and "not verified" not in listed
    filled.write_bytes(b"\x00" * 10)
    assert main(["--library", lib, "stats"]) == 1
    err = capsys.readouterr().err
    assert "truncated or not a Broadsheet library" in err
    assert "broadsheet repair" in err and "broadsheet restore newest" in err
    assert main(["--library", lib, "restore", "newest"]) == 0
    assert "kept as" in capsys.readouterr().out
    assert _articles(filled) == 40
    assert main(["--library", lib, "restore", str(filled.parent / "nope.bak")]) == 1
    assert "no such backup" in capsys.readouterr().err


def test_deferred_housekeeping_skips_the_daily_backup_until_asked(tmp_path: Path) -> None:
    from reader.library import Library

    path = tmp_path / "lib.db"
    with Library.open(path) as lib:
        lib.import_paths([Path(__file__).parent / "data" / "notes" / "articles.jsonl"])
    for backup in Library.list_backups_of(path):
        backup.path.unlink()
    with Library.open(path, defer_housekeeping=True) as lib:
        assert lib.list_backups() == []
        assert lib.daily_backup() is not None
        assert len(lib.list_backups()) == 1
