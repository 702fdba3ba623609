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


def _real_damage_error(tmp_path: Path) -> sqlite3.DatabaseError:
    """The error SQLite itself raises on a damaged page (not one made up by hand)."""
    path = tmp_path / "broken.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    conn.commit()
    conn.close()
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 8192)
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT COUNT(*), MAX(x) FROM t").fetchall()
    except sqlite3.DatabaseError as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("the damaged file read cleanly")


def test_damage_met_after_start_up_gets_the_recovery_offer_not_a_traceback(
    tmp_path: Path, qtbot: QtBot, settings: QSettings, monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]], capsys: pytest.CaptureFixture[str],
) -> None:
    from reader.gui import error_hook

    damage = _real_damage_error(tmp_path)
    lib = Library.open(_filled(tmp_path / "lib.db"), defer_housekeeping=True)
    window = MainWindow(lib, settings)
    qtbot.addWidget(window)
    window.show()
    hook = error_hook.install(window)
    offered: list[str] = []

    def ask(_parent: object, _path: Path, problem: str, *_a: object, **_k: object) -> str:
        offered.append(problem)
        return recovery.NOT_NOW

    monkeypatch.setattr(recovery, "ask_recovery", ask)

    def damaged(*_a: object, **_k: object) -> object:
        raise damage

    try:
        model = window.stories_model
        monkeypatch.setattr(window.library, "versions", damaged)  # reading meets the damage
        for row in range(3):  # several queries meet it: one offer
            window.stories.tree.setCurrentIndex(model.index(row, 0))
        qtbot.waitUntil(lambda: len(offered) == 1)
        assert "damaged" in offered[0]
        err = capsys.readouterr().err
        assert "Traceback" not in err and "broadsheet:" in err and "damaged" in err
        monkeypatch.undo()
        # Busy, read-only, full: a line in the status bar, no offer.
        busy = sqlite3.OperationalError("database is locked")
        busy.sqlite_errorcode = 5  # type: ignore[attr-defined]
        hook(type(busy), busy, None)
        qtbot.waitUntil(lambda: "busy" in window.status.text())
        assert len(offered) == 1
        # From a worker's thread the window is still acted on from its own.
        import threading

        full = sqlite3.OperationalError("database or disk is full")
        full.sqlite_errorcode = 13  # type: ignore[attr-defined]
        seen_on: list[object] = []
        shown = window.status.show
        monkeypatch.setattr(window.status, "show", lambda text, ms=0: (
            seen_on.append(threading.current_thread()), shown(text, ms)))
        worker = threading.Thread(target=hook, args=(type(full), full, None))
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: "disk is full" in window.status.text())
        assert seen_on == [threading.main_thread()]
    finally:
        error_hook.uninstall(hook)
        window.close()
        window.jobs.shutdown()
        window.library.close()


def test_a_bug_keeps_its_traceback(
    tmp_path: Path, qtbot: QtBot, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.gui import error_hook

    lib = Library.open(_filled(tmp_path / "lib.db"), defer_housekeeping=True)
    window = MainWindow(lib, settings)
    qtbot.addWidget(window)
    seen: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda kind, exc, tb: seen.append(exc))
    hook = error_hook.install(window)
    try:
        bug = KeyError("a bug")
        hook(KeyError, bug, None)
        assert seen == [bug]
    finally:
        error_hook.uninstall(hook)
        window.close()
        window.jobs.shutdown()
        window.library.close()
