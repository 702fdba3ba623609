"""Start-up safety in the GUI: newer and damaged libraries, the quick check, restoring backups."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from reader.gui import recovery, worker
from reader.gui.app import open_library
from reader.gui.main_window import MainWindow
from reader.library import Library
from reader.storage.schema import schema_version

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def _filled(path: Path) -> Path:
    with Library.open(path, defer_housekeeping=True) as lib:
        lib.import_paths([SAMPLE])
    return path


def _click(monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    """Answer the next custom message box by clicking the button labelled ``text``."""
    seen: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        seen.append(box.text())
        button = next(b for b in box.buttons() if b.text() == text)
        assert button.isEnabled()
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return seen


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damage(path: Path) -> bytes:
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    broken = bytes(random.Random(7).getrandbits(8) for _ in range(9000))
    path.write_bytes(broken)
    return broken


def test_newer_library_is_refused_with_a_clear_message_and_untouched(
    tmp_path: Path, qapp: object, messages: list[tuple[str, str]]
) -> None:
    path = _filled(tmp_path / "lib.db")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema_version() + 3}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _digest(path)
    assert open_library(path) is None
    assert len(messages) == 1 and "newer" in messages[0][1]
    assert _digest(path) == before


def test_damaged_library_on_open_restores_the_newest_good_backup(
    tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _filled(tmp_path / "lib.db")
    with Library.open(path, defer_housekeeping=True) as lib:
        lib.backup()
    broken = _damage(path)
    asked = _click(monkeypatch, recovery.RESTORE_TEXT)
    lib = open_library(path)
    assert lib is not None
    try:
        assert lib.stats().articles == 36
    finally:
        lib.close()
    assert "damage" in asked[0] and str(path) in asked[0]
    kept = [p for p in tmp_path.glob("lib.db.replaced-*") if not p.name.endswith(("wal", "shm"))]
    assert [p.read_bytes() for p in kept] == [broken]


def test_damaged_library_without_backup_starts_a_new_one_and_keeps_the_file(
    tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _filled(tmp_path / "lib.db")
    broken = _damage(path)
    asked = _click(monkeypatch, recovery.NEW_TEXT)
    lib = open_library(path)
    assert lib is not None
    try:
        assert lib.stats().articles == 0
    finally:
        lib.close()
    assert "no good backup" in asked[0]
    kept = [p for p in tmp_path.glob("lib.db.damaged-*") if not p.name.endswith(("wal", "shm"))]
    assert [p.read_bytes() for p in kept] == [broken]


def test_damaged_library_quit_leaves_it_alone(
    tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _filled(tmp_path / "lib.db")
    broken = _damage(path)
    _click(monkeypatch, "Quit")
    assert open_library(path) is None
    assert path.read_bytes() == broken


@pytest.fixture
def window_on(
    qtbot: QtBot, settings: QSettings, messages: list[tuple[str, str]]
) -> Iterator[Callable[[Path], MainWindow]]:
    made: list[MainWindow] = []

    def make(path: Path) -> MainWindow:
        window = MainWindow(Library.open(path, defer_housekeeping=True), settings)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
        window.library.close()


def test_housekeeping_takes_the_daily_backup_after_the_window_is_shown(
    qtbot: QtBot, tmp_path: Path, window_on: Callable[[Path], MainWindow]
) -> None:
    path = _filled(tmp_path / "lib.db")
    window = window_on(path)
    assert window.library.list_backups() == []  # the open itself copied nothing
    done: list[str] = []
    window.housekeeping_done.connect(done.append)
    with qtbot.waitSignals([window.housekeeping_done, window.housekeeping_done],
                           timeout=20_000):
        window.start_housekeeping()
    assert sorted(done) == ["backup", "check"]
    assert len(window.library.list_backups()) == 1


def test_quick_check_damage_offers_a_new_library(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    window_on: Callable[[Path], MainWindow],
) -> None:
    path = _filled(tmp_path / "lib.db")
    window = window_on(path)
    monkeypatch.setattr(
        worker.Library, "quick_check_file", classmethod(lambda cls, p: ["*** page 7 damaged"])
    )
    asked = _click(monkeypatch, recovery.NEW_TEXT)
    with qtbot.waitSignal(window.library_reopened, timeout=20_000) as blocker:
        window.start_housekeeping()
    assert "page 7" in asked[0]
    assert "new, empty library" in blocker.args[0]
    assert window.library.stats().articles == 0
    assert window.stack.currentWidget() is window.welcome
    assert list(tmp_path.glob("lib.db.damaged-*"))
    # The reopened window still writes through its (new) worker.
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        window.start_import([SAMPLE])
    assert window.library.stats().articles == 36


def test_restore_from_backup_lists_backups_and_reopens(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    window_on: Callable[[Path], MainWindow],
) -> None:
    path = _filled(tmp_path / "lib.db")
    with Library.open(path, defer_housekeeping=True) as lib:
        first = lib.backup()
    window = window_on(path)
    story = window.stories_model.pager.rows[0].id
    with qtbot.waitSignal(window.changes_applied, timeout=5000):
        window.note_editor.save_requested.emit(story, "written after the backup")
    assert window.library.note(story) is not None
    offered: list[list[str]] = []

    def pick(_parent: object, _title: str, _label: str, items: list[str], *a: object
             ) -> tuple[str, bool]:
        offered.append(list(items))
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    with qtbot.waitSignal(window.library_reopened, timeout=20_000) as blocker:
        window.act_restore.trigger()
    assert len(offered[0]) == 1 and first.name in offered[0][0]
    assert "Restored the backup" in blocker.args[0]
    assert window.library.note(story) is None  # the library is the backup again
    assert window.stories_model.rowCount() > 0
    assert list(tmp_path.glob("lib.db.replaced-*"))
