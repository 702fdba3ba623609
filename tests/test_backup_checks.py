"""Backups that stay good (issue 17, item 2): every backup is checked before it gets its
name, a damaged library never replaces good backups with bad ones, pruning keeps the newest
good backup, and ``backups`` shows which were verified."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers.damage import checkpoint, overwrite_pages
from test_crash_support import write_listing

from reader.cli import main
from reader.errors import DamagedLibraryError
from reader.library import Library
from reader.storage import backup as backups
from reader.storage import backup_checks


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "lib" / "library.broadsheet.db"
    with Library.open(path) as lib:
        lib.import_paths([write_listing(tmp_path / "a.txt", 200, seed=8)])
    return path


def _sound_copy(library: Path, tmp_path: Path) -> Path:
    """A sound copy of the library outside its backups folder, which is left empty."""
    with Library.open(library) as lib:
        made = lib.backup()
    sound = tmp_path / "sound.db"
    shutil.move(made, sound)
    shutil.rmtree(backups.backup_folder(library))
    return sound


def _sound_and_damaged(library: Path, tmp_path: Path) -> tuple[Path, Path]:
    sound = _sound_copy(library, tmp_path)
    damaged = tmp_path / "damaged.db"
    shutil.copyfile(library, damaged)
    _damage(damaged)
    return sound, damaged


def _dated_copy(source: Path, library: Path, days_ago: int) -> Path:
    """Place ``source`` among ``library``'s backups under a name ``days_ago`` old."""
    when = datetime.now(UTC) - timedelta(days=days_ago)
    target = backups.backup_folder(library) / f"{library.name}.{backups.stamp(when)}.bak"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _damage(library: Path) -> None:
    checkpoint(library)
    conn = sqlite3.connect(library)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()
    conn.close()
    overwrite_pages(library, [int(root[0])], seed=9)


def test_every_backup_is_checked_and_recorded_as_verified(filled: Path) -> None:
    with Library.open(filled) as lib:
        made = lib.backup()
        listed = lib.list_backups()
    assert all(info.verified is True for info in listed)
    assert backup_checks.status(made, filled.name) is True
    made.write_bytes(made.read_bytes()[:-10] + b"0123456789")  # changed since it was checked
    assert backup_checks.status(made, filled.name) is None


def test_a_damaged_library_writes_no_backup_and_says_why(filled: Path, tmp_path: Path) -> None:
    with Library.open(filled) as lib:
        good = lib.backup()
    _damage(filled)
    with Library.open(filled, defer_housekeeping=True) as lib:
        with pytest.raises(DamagedLibraryError, match="no backup was written"):
            lib.backup()
        with pytest.raises(DamagedLibraryError):
            lib.backup(tmp_path / "manual.bak")
        for old in backups.list_backups(filled):
            Path(old.path).rename(Path(old.path).with_name(
                f"{filled.name}.{backups.stamp(datetime.now(UTC) - timedelta(days=2))}.bak"))
        assert lib.daily_backup() is None
        assert lib.backup_found_damage and "not taken" in (lib.backup_warning or "")
    assert not (tmp_path / "manual.bak").exists()
    names = [Path(b.path).name for b in backups.list_backups(filled)]
    assert len(names) == 1 and not good.exists()  # renamed above, still the only one
    assert not list(backups.backup_folder(filled).glob("*.partial"))


def test_seven_days_of_a_damaged_library_keep_the_good_backup(
    filled: Path, tmp_path: Path
) -> None:
    """The issue's sequence: daily opens of a damaged library used to prune every good
    backup away, so ``restore newest`` found none."""
    _dated_copy(_sound_copy(filled, tmp_path), filled, days_ago=8)
    _damage(filled)
    for _day in range(7):
        with Library.open(filled) as lib:
            assert lib.backup_found_damage
    assert Library.newest_good_backup(filled) is not None
    assert main(["--library", str(filled), "restore", "newest"]) == 0
    with Library.open(filled) as lib:
        assert lib.check().ok and lib.stats().articles == 200


def test_prune_keeps_the_newest_good_backup_behind_bad_ones(filled: Path, tmp_path: Path) -> None:
    sound, damaged = _sound_and_damaged(filled, tmp_path)
    oldest_good = _dated_copy(sound, filled, days_ago=10)
    bad = [_dated_copy(damaged, filled, days_ago=d) for d in (3, 2, 1)]
    for path in bad:  # known bad (checked, recorded)
        backup_checks.record(path, filled.name, ["damaged"])
    removed = backups.prune(filled, keep=1)
    left = {Path(b.path) for b in backups.list_backups(filled)}
    assert oldest_good in left, "the only good backup must survive pruning"
    assert set(bad) <= left  # newer than the kept good one: may hold rows worth salvaging
    assert removed == []


def test_prune_checks_unverified_backups_only_when_it_must(filled: Path, tmp_path: Path) -> None:
    sound, damaged = _sound_and_damaged(filled, tmp_path)
    old_good = _dated_copy(sound, filled, days_ago=9)
    unverified_bad = [_dated_copy(damaged, filled, days_ago=d) for d in (4, 3)]
    for path in (old_good, *unverified_bad):
        assert backup_checks.status(path, filled.name) is None
    backups.prune(filled, keep=2)
    left = {Path(b.path) for b in backups.list_backups(filled)}
    assert old_good in left
    assert backup_checks.status(unverified_bad[0], filled.name) is False
    assert backup_checks.status(old_good, filled.name) is True


def test_backups_command_shows_and_verifies(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(filled) as lib:
        sound = lib.backup()
    damaged = tmp_path / "damaged.db"
    shutil.copyfile(filled, damaged)
    _damage(damaged)
    unchecked = _dated_copy(damaged, filled, days_ago=3)
    lib_arg = ["--library", str(filled)]
    assert main([*lib_arg, "backups"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[-1]: line for line in out.splitlines()}
    assert "not verified" in lines[str(unchecked)] and "verified" in lines[str(sound)]
    assert main([*lib_arg, "backups", "--verify"]) == 0
    lines = {line.split()[-1]: line for line in capsys.readouterr().out.splitlines()}
    assert "DAMAGED" in lines[str(unchecked)]
    assert "DAMAGED" not in lines[str(sound)]
