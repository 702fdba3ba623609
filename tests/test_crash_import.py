"""Crash tests with real processes (issue 7, section 3; items 1, 3, 4, 5, 6).

Each kill is a real SIGKILL of ``python -m reader import``; after it the library must open,
pass ``integrity_check`` and hold every file completely or not at all. The full-size loop
(20 kills) is in ``benchmarks/safety.py``.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_crash_support import cli, digest, file_states, integrity, write_listing

from reader.errors import DamagedLibraryError, NewerLibraryError
from reader.library import Library
from reader.storage.schema import schema_version

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")


def test_kill_import_leaves_each_file_whole_or_absent(tmp_path: Path) -> None:
    library = tmp_path / "library.broadsheet.db"
    files = {write_listing(tmp_path / f"f{i}.txt", 120, seed=100 + i): 120 for i in range(3)}
    with Library.open(library) as lib:  # a note saved before the kills must survive them
        lib.import_paths([write_listing(tmp_path / "base.txt", 5, seed=99)])
        story = lib.db.conn.execute("SELECT min(story_id) FROM articles").fetchone()[0]
        lib.save_note(story, "written before the crashes")
    rng = random.Random(7)
    outcomes: list[str] = []
    for _ in range(5):
        proc = cli("import", *(str(p) for p in files), library=library)
        time.sleep(rng.uniform(0.6, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert integrity(library) == ["ok"]
        states = file_states(library, files)
        assert set(states.values()) <= {"complete", "absent"}, states
        outcomes.append(",".join(sorted(states.values())))
        with Library.open(library) as lib:  # opens cleanly and the note is intact
            assert lib.note(story) is not None
            assert lib.note(story).body == "written before the crashes"  # type: ignore[union-attr]
            assert lib.check(full=False).ok
    # Finishing the import afterwards stores the rest exactly once.
    proc = cli("import", *(str(p) for p in files), library=library)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert set(file_states(library, files).values()) == {"complete"}


def test_cli_import_while_another_process_reads(tmp_path: Path) -> None:
    """A reader holding the library open (the GUI's role) and a CLI import: no errors, and
    the reader sees the new articles on its next query."""
    library = tmp_path / "library.broadsheet.db"
    source = write_listing(tmp_path / "new.txt", 150, seed=5)
    with Library.open(library) as reader:
        reader.import_paths([write_listing(tmp_path / "old.txt", 10, seed=4)])
        assert reader.stats().articles == 10
        proc = cli("import", str(source), library=library)
        reads = 0
        while proc.poll() is None:
            reader.story_page(reader_query(), limit=50)
            reader.stats()
            reads += 1
            time.sleep(0.05)
        out, err = proc.communicate()
        assert proc.returncode == 0, err.decode()
        assert b"150 added" in out
        assert reads > 0
        assert reader.stats().articles == 160
        reader.mark_read([1])  # and the "GUI" can still write afterwards


def reader_query() -> object:
    from reader.types import StoryQuery

    return StoryQuery()


def _fill(library: Path, n: int, seed: int, tmp: Path) -> None:
    with Library.open(library) as lib:
        lib.import_paths([write_listing(tmp / f"seed{seed}.txt", n, seed=seed)])


def test_disk_full_simulated_with_max_page_count(tmp_path: Path) -> None:
    library = tmp_path / "library.broadsheet.db"
    _fill(library, 20, 1, tmp_path)
    big = write_listing(tmp_path / "big.txt", 400, seed=2)
    with Library.open(library) as lib:
        pages = lib.db.conn.execute("PRAGMA page_count").fetchone()[0]
        lib.db.conn.execute(f"PRAGMA max_page_count = {pages + 5}")
        report = lib.import_paths([big])
        assert report.added == 0 and len(report.failed) == 1
        error = report.files[0].error or ""
        assert "disk is full" in error
        lib.db.conn.execute("PRAGMA max_page_count = 1073741823")
        assert lib.check().ok and lib.stats().articles == 20
    assert file_states(library, {big: 400})["big.txt"] == "absent"


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    if shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
    )
    return done.returncode == 0


def test_disk_full_on_a_real_small_filesystem(tmp_path: Path) -> None:
    mnt = tmp_path / "small"
    if not _mount_tmpfs(mnt, "700k"):  # room for a new library (schema 6) and 10 articles
        pytest.skip("cannot mount a tmpfs here (needs root); covered by the simulated test")
    try:
        library = mnt / "library.broadsheet.db"
        _fill(library, 10, 1, tmp_path)
        big = write_listing(tmp_path / "big.txt", 800, seed=3)
        proc = cli("import", str(big), library=library)
        _out, err = proc.communicate(timeout=120)
        message = err.decode()
        assert proc.returncode == 1
        assert str(big) in message and "disk is full" in message, message
        assert "Traceback" not in message
        assert integrity(library) == ["ok"]
        with Library.open(library) as lib:
            assert lib.stats().articles == 10
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _newer_library(tmp_path: Path, with_wal: bool) -> tuple[Path, list[Path]]:
    library = tmp_path / "library.broadsheet.db"
    _fill(library, 5, 1, tmp_path)
    conn = sqlite3.connect(library)
    conn.execute(f"PRAGMA user_version = {schema_version() + 50}")
    conn.commit()
    if not with_wal:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return library, [library, Path(f"{library}-wal")]


def _assert_refused_unchanged(library: Path, sides: list[Path]) -> None:
    before = digest(*sides)
    proc = cli("stats", library=library)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "newer Broadsheet" in err.decode() and "not changed" in err.decode()
    assert digest(*sides) == before
    with pytest.raises(NewerLibraryError):
        Library.open(library)
    assert digest(*sides) == before


def test_newer_schema_is_refused_and_file_unchanged(tmp_path: Path) -> None:
    library, sides = _newer_library(tmp_path, with_wal=False)
    _assert_refused_unchanged(library, sides)


def test_newer_schema_in_wal_is_refused_and_files_unchanged(tmp_path: Path) -> None:
    library, sides = _newer_library(tmp_path, with_wal=True)
    keeper = sqlite3.connect(library)  # another process of the newer app keeps it open
    keeper.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
    keeper.commit()
    try:
        _assert_refused_unchanged(library, sides)
    finally:
        keeper.close()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty-header"])
def test_damaged_file_clear_message_then_restore_or_new(tmp_path: Path, damage: str) -> None:
    library = tmp_path / "library.broadsheet.db"
    _fill(library, 8, 1, tmp_path)
    with Library.open(library) as lib:
        saved = lib.backup()
    data = library.read_bytes()
    for suffix in ("-wal", "-shm"):
        Path(f"{library}{suffix}").unlink(missing_ok=True)
    if damage == "truncated":
        library.write_bytes(data[:60])
    elif damage == "garbage":
        library.write_bytes(bytes(random.Random(1).getrandbits(8) for _ in range(9000)))
    else:
        library.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    broken = library.read_bytes()
    proc = cli("stats", library=library)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "Traceback" not in err.decode()
    assert str(library) in err.decode()
    assert any(w in err.decode() for w in ("damaged", "not a database"))
    with pytest.raises(DamagedLibraryError):
        Library.open(library)
    assert library.read_bytes() == broken
    # Offer 1: restore the newest good backup (CLI), the damaged file is kept aside.
    assert Library.newest_good_backup(library) is not None
    proc = cli("restore", "newest", library=library)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    with Library.open(library) as lib:
        assert lib.stats().articles == 8
    kept = [p for p in tmp_path.glob(f"{library.name}.replaced-*")]
    assert [p.read_bytes() for p in kept] == [broken]
    # Offer 2: start a new library elsewhere.
    with Library.open(tmp_path / "fresh.broadsheet.db") as lib:
        assert lib.stats().articles == 0
    assert saved.exists()
