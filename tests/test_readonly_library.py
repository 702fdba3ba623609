"""Touch nothing before knowing what the file is, and read-only libraries open read-only
(issue 17, items 3 and 4).

The read-only cases run the real command with the right to write really taken away (as root,
by dropping the capabilities that override file modes; see ``helpers.damage``), because a
library made read-only by ``chmod`` is still writable by root.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.damage import REPO, broadsheet, read_only_command
from test_crash_support import digest, write_listing

from reader.errors import LibraryError, ReadOnlyLibraryError
from reader.library import Library


def _cannot_drop_write_rights() -> bool:
    return os.geteuid() == 0 and shutil.which("setpriv") is None


pytestmark = pytest.mark.skipif(
    _cannot_drop_write_rights(), reason="running as root without setpriv to drop its rights"
)


def _library(folder: Path, journal: str) -> Path:
    folder.mkdir()
    path = folder / "library.broadsheet.db"
    with Library.open(path) as lib:
        lib.import_paths([write_listing(folder.parent / f"{folder.name}.txt", 30, seed=4)])
        story = lib.db.conn.execute("SELECT min(story_id) FROM articles").fetchone()[0]
        lib.save_note(story, "a note to read back")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.close()
    for side in ("-wal", "-shm"):
        assert not Path(f"{path}{side}").exists()
    return path


@pytest.fixture(params=["file-delete-mode", "folder-wal-mode"])
def read_only(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A library whose file (rollback journal) or folder (WAL) cannot be written."""
    if request.param == "file-delete-mode":
        path = _library(tmp_path / "lib", "delete")
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        locked = path
    else:
        path = _library(tmp_path / "lib", "wal")
        path.parent.chmod(0o555)
        locked = path.parent
    try:
        yield path
    finally:
        locked.chmod(0o755 if locked.is_dir() else 0o644)


def _run(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        read_only_command(*broadsheet("--library", str(path), *args)),
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_read_only_library_reads_and_refuses_writes_clearly(read_only: Path) -> None:
    before = digest(read_only)
    listing = sorted(p.name for p in read_only.parent.iterdir())
    stats = _run(read_only, "stats")
    assert stats.returncode == 0, stats.stderr
    assert "Articles: 30" in stats.stdout and "read-only" in stats.stderr
    story = Library.open(read_only, read_only=True)
    try:
        noted = story.notes()[0].story_id
    finally:
        story.close()
    shown = _run(read_only, "note", "show", str(noted))
    assert shown.returncode == 0 and "a note to read back" in shown.stdout
    assert _run(read_only, "search", "minister").returncode in (0, 1)
    refused = _run(read_only, "note", "set", str(noted), "changed")
    assert refused.returncode == 1 and "read-only" in refused.stderr
    check = _run(read_only, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "PROBLEMS" not in check.stdout
    repair = _run(read_only, "repair")
    assert repair.returncode == 1 and "read-only" in repair.stderr
    for result in (stats, shown, refused, check, repair):
        assert "Traceback" not in result.stderr
    assert digest(read_only) == before
    assert sorted(p.name for p in read_only.parent.iterdir()) == listing  # no .salvage, -wal


def test_read_only_open_in_process_refuses_every_write_before_it_starts(tmp_path: Path) -> None:
    path = _library(tmp_path / "lib", "wal")
    before = digest(path)
    with Library.open(path, read_only=True) as lib:
        assert lib.read_only and lib.daily_backup() is None
        story = lib.notes()[0].story_id
        with pytest.raises(ReadOnlyLibraryError, match="read-only"):
            lib.save_note(story, "new text")
        articles = [r[0] for r in lib.db.conn.execute("SELECT id FROM articles LIMIT 2")]
        for write in (lambda: lib.mark_read(articles), lambda: lib.set_starred(articles),
                      lambda: lib.add_topic("Ports", "harbour"), lambda: lib.repair()):
            with pytest.raises(ReadOnlyLibraryError):
                write()
        assert lib.check().ok
    assert digest(path) == before
    assert not (path.parent / "backups").exists()


# --------------------------------------------------------------------------- foreign files


@pytest.mark.parametrize("kind", ["rollback", "wal", "other-app-id"])
def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    if kind == "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    if kind == "other-app-id":
        conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = digest(path)
    header = path.read_bytes()[:100]
    done = subprocess.run(broadsheet("--library", str(path), "stats"), cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "not changed" in done.stderr
    with pytest.raises(LibraryError):
        Library.open(path)
    assert digest(path) == before and path.read_bytes()[:100] == header
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]  # no -wal, -shm
