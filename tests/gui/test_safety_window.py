"""The window on a read-only or damaged library, and a note save that meets a busy library
(issue 17)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from reader.gui import recovery
from reader.gui.app import open_window
from reader.gui.main_window import MainWindow
from reader.gui.note_editor import READ_ONLY, NoteEditor
from reader.library import Library

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def _filled(path: Path) -> Path:
    with Library.open(path, defer_housekeeping=True) as lib:
        lib.import_paths([SAMPLE])
    return path


def test_read_only_library_says_so_and_turns_writing_off(
    tmp_path: Path, qtbot: QtBot, settings: QSettings, messages: list[tuple[str, str]]
) -> None:
    path = _filled(tmp_path / "lib.db")
    lib = Library.open(path, read_only=True, defer_housekeeping=True)
    window = MainWindow(lib, settings)
    qtbot.addWidget(window)
    window.show()
    try:
        banner = window.findChild(QLabel, "readOnlyBanner")
        assert banner is not None and "Read-only" in banner.text()
        for name in recovery.WRITE_ACTIONS:
            assert not getattr(window, name).isEnabled(), name
        assert window.act_search.isEnabled() and window.act_export_all.isEnabled()
        story = lib.story_page(window.current_query(), None, 1)[0]
        window.open_story(story.id)
        window.note_editor.start_editing()
        assert not window.note_editor.is_editing()
        assert window.note_editor.status_text() == READ_ONLY
        qtbot.wait(200)  # longer than the mark-read delay: nothing may be written
        assert messages == []
    finally:
        window.close()
        lib.close()


def test_failed_note_save_keeps_the_text_and_retries_by_itself(qtbot: QtBot) -> None:
    editor = NoteEditor()
    qtbot.addWidget(editor)
    requests: list[tuple[int, str]] = []
    editor.save_requested.connect(lambda story, text: requests.append((story, text)))
    editor.set_story(7, "")
    editor.start_editing()
    editor.edit.setPlainText("typed while an import ran")
    editor.flush()
    assert requests == [(7, "typed while an import ran")]
    editor._retry_timer.setInterval(30)  # 5 s in the app
    editor.mark_failed(7, "the library is busy in another program")
    assert "retrying" in editor.status_text()
    qtbot.waitUntil(lambda: len(requests) == 2, timeout=2000)
    assert requests[1] == (7, "typed while an import ran")
    assert editor._retry_timer.interval() == 60  # waits longer after each failure
    editor.mark_saved(7)
    assert editor.is_saved() and not editor._retry_timer.isActive()
    assert editor.text() == "typed while an import ran"


def _damage_first_reads(path: Path) -> None:
    """Damage the pages the window reads while it is built (the stories list), not the
    ones opening the library reads, so the open succeeds and the window meets the damage."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    roots = [r[0] for r in conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name IN ('stories', 'stories_newest',"
        " 'topics')")]
    conn.close()
    with path.open("r+b") as handle:
        for page in roots:
            handle.seek((page - 1) * 4096)
            handle.write(random.Random(page).randbytes(4096))


def test_damage_met_while_the_window_is_built_gets_the_recovery_offer(
    tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    path = _filled(tmp_path / "lib.db")
    with Library.open(path, defer_housekeeping=True) as lib:
        lib.backup()
    _damage_first_reads(path)
    offered: list[str] = []

    def answer(box: QMessageBox) -> int:
        offered.append(box.text())
        next(b for b in box.buttons() if b.text() == recovery.RESTORE_TEXT).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    window = open_window(path)
    assert window is not None
    try:
        assert len(offered) == 1 and "damage" in offered[0]
        assert window.library.stats().articles == 36
    finally:
        window.close()
        window.jobs.shutdown()
        window.library.close()


def test_damage_met_while_the_window_is_built_can_be_left_alone(
    tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    path = _filled(tmp_path / "lib.db")
    _damage_first_reads(path)
    broken = path.read_bytes()
    monkeypatch.setattr(recovery, "ask_recovery", lambda *a, **k: recovery.NOT_NOW)
    assert open_window(path) is None
    assert path.read_bytes() == broken
