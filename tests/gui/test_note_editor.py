"""The note editor widget: autosave timing, indicator, failures that keep text, rendering."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from reader.errors import BroadsheetError
from reader.gui import note_editor as module
from reader.gui.note_editor import AUTOSAVE_MS, MAX_WAIT_MS, SAVED, SAVING, NoteEditor
from reader.library import Library
from reader.notes_text import format_quote
from reader.types import StoryQuery

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "notes" / "articles.jsonl"


class Host(QWidget):
    """A window holding the editor and another focusable widget, like the real window."""

    def __init__(self) -> None:
        super().__init__()
        self.other = QLineEdit()
        self.editor = NoteEditor()
        layout = QVBoxLayout(self)
        layout.addWidget(self.other)
        layout.addWidget(self.editor)


@pytest.fixture
def host(qtbot: QtBot) -> Host:
    window = Host()
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def editor(host: Host) -> NoteEditor:
    return host.editor


class Saves:
    """Records save requests and answers them like the window does."""

    def __init__(self, editor: NoteEditor, succeed: bool = True) -> None:
        self.calls: list[tuple[int, str, float]] = []
        self.succeed = succeed
        self.editor = editor
        editor.save_requested.connect(self.on_save)

    def on_save(self, story_id: int, text: str) -> None:
        self.calls.append((story_id, text, time.monotonic()))
        if self.succeed:
            self.editor.mark_saved(story_id)
        else:
            self.editor.mark_failed(story_id, "the library is read-only")


def start_typing(qtbot: QtBot, editor: NoteEditor) -> None:
    editor.start_editing()
    qtbot.waitUntil(editor.edit.hasFocus, timeout=1000)


# --------------------------------------------------------------------------- autosave


def test_autosave_fires_within_a_second_of_the_last_keystroke(
    qtbot: QtBot, editor: NoteEditor
) -> None:
    editor.set_story(5, "")
    start_typing(qtbot, editor)
    saves = Saves(editor)
    qtbot.keyClicks(editor.edit, "hello")
    typed_at = time.monotonic()
    assert editor.status_text() == SAVING
    with qtbot.waitSignal(editor.save_requested, timeout=1000) as blocker:
        pass
    elapsed = time.monotonic() - typed_at
    assert blocker.args == [5, "hello"]
    assert AUTOSAVE_MS / 1000 - 0.1 <= elapsed <= 1.0
    assert editor.status_text() == SAVED
    assert len(saves.calls) == 1


def test_each_keystroke_restarts_the_timer(qtbot: QtBot, editor: NoteEditor) -> None:
    editor.set_story(5, "")
    start_typing(qtbot, editor)
    saves = Saves(editor)
    qtbot.keyClicks(editor.edit, "a")
    first = time.monotonic()
    qtbot.wait(400)
    qtbot.keyClicks(editor.edit, "b")
    assert saves.calls == []
    # The debounce starts again from "b"; the cap keeps counting from "a".
    assert editor._timer.remainingTime() > AUTOSAVE_MS - 150
    assert editor._max_timer.remainingTime() < MAX_WAIT_MS - 300
    qtbot.waitUntil(lambda: bool(saves.calls), timeout=1000)
    assert saves.calls[0][:2] == (5, "ab")
    assert saves.calls[0][2] - first <= 1.0


def test_non_stop_typing_still_saves_every_second(qtbot: QtBot, editor: NoteEditor) -> None:
    editor.set_story(5, "")
    start_typing(qtbot, editor)
    saves = Saves(editor)
    typed = ""
    started = time.monotonic()
    while time.monotonic() - started < 2.6:
        typed += "x"
        qtbot.keyClicks(editor.edit, "x")
        qtbot.wait(50)  # a steady typist never pauses long enough for the debounce alone
    stopped = time.monotonic()
    assert len(saves.calls) >= 2
    times = [started] + [c[2] for c in saves.calls]
    assert all(b - a <= MAX_WAIT_MS / 1000 + 0.2 for a, b in pairwise(times))
    assert all(typed.startswith(c[1]) for c in saves.calls)
    assert stopped - saves.calls[-1][2] <= 1.0


def test_focus_out_saves_at_once(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_story(3, "old")
    start_typing(qtbot, editor)
    saves = Saves(editor)
    qtbot.keyClicks(editor.edit, "!")
    host.other.setFocus()
    qtbot.waitUntil(lambda: bool(saves.calls), timeout=200)  # far sooner than the timer
    assert saves.calls[0][:2] == (3, "old!")


def test_flush_emits_only_when_there_is_something_new(qtbot: QtBot, editor: NoteEditor) -> None:
    editor.set_story(3, "stored")
    saves = Saves(editor)
    editor.flush()
    assert saves.calls == []
    start_typing(qtbot, editor)
    qtbot.keyClicks(editor.edit, "x")
    editor.flush()
    assert [c[:2] for c in saves.calls] == [(3, "storedx")]
    editor.flush()
    assert len(saves.calls) == 1
    qtbot.wait(AUTOSAVE_MS + 200)
    assert len(saves.calls) == 1  # the flush stopped the timer


def test_switching_story_saves_the_old_one_under_its_own_id(
    qtbot: QtBot, editor: NoteEditor
) -> None:
    editor.set_story(1, "")
    start_typing(qtbot, editor)
    saves = Saves(editor)
    qtbot.keyClicks(editor.edit, "note one")
    editor.set_story(2, "note two")
    assert [c[:2] for c in saves.calls] == [(1, "note one")]
    assert editor.text() == "note two" and editor.story_id() == 2
    qtbot.wait(AUTOSAVE_MS + 200)
    assert len(saves.calls) == 1  # loading a note is not an edit


def test_an_old_acknowledgement_does_not_mark_newer_typing_saved(
    qtbot: QtBot, editor: NoteEditor
) -> None:
    editor.set_story(4, "")
    start_typing(qtbot, editor)
    requests: list[tuple[int, str]] = []
    editor.save_requested.connect(lambda sid, text: requests.append((sid, text)))
    qtbot.keyClicks(editor.edit, "a")
    editor.flush()
    qtbot.keyClicks(editor.edit, "b")  # typed while the first save is "in flight"
    editor.mark_saved(4)
    assert editor.status_text() == SAVING and not editor.is_saved()
    editor.flush()
    editor.mark_saved(4)
    assert editor.status_text() == SAVED and editor.is_saved()
    assert requests == [(4, "a"), (4, "ab")]


def test_reloading_the_same_story_keeps_the_text_being_edited(
    qtbot: QtBot, editor: NoteEditor
) -> None:
    editor.set_story(4, "stored")
    start_typing(qtbot, editor)
    Saves(editor, succeed=False)
    qtbot.keyClicks(editor.edit, " plus unsaved words")
    editor.set_story(4, "stored")  # e.g. the window refreshed the story after a regroup
    assert editor.text() == "stored plus unsaved words"


# --------------------------------------------------------------------------- failures


def test_a_failed_save_keeps_the_text_shows_why_and_retries(
    qtbot: QtBot, editor: NoteEditor
) -> None:
    editor.set_story(6, "")
    start_typing(qtbot, editor)
    saves = Saves(editor, succeed=False)
    qtbot.keyClicks(editor.edit, "precious")
    editor.flush()
    assert editor.text() == "precious"
    assert "read-only" in editor.status_text() and "Not saved" in editor.status_text()
    assert editor.unsaved_stories() == [6]
    saves.succeed = True
    qtbot.keyClicks(editor.edit, " words")  # the next edit retries with the whole text
    qtbot.waitUntil(lambda: len(saves.calls) == 2, timeout=1000)
    assert saves.calls[-1][:2] == (6, "precious words")
    assert editor.status_text() == SAVED and editor.unsaved_stories() == []


def test_text_of_a_failed_story_comes_back_when_the_user_returns(
    qtbot: QtBot, editor: NoteEditor
) -> None:
    editor.set_story(6, "")
    start_typing(qtbot, editor)
    saves = Saves(editor, succeed=False)
    qtbot.keyClicks(editor.edit, "do not lose me")
    editor.set_story(7, "other note")  # the flush fails: the text must not vanish
    assert editor.unsaved_stories() == [6]
    editor.set_story(6, "")  # the library still has nothing for story 6
    assert editor.text() == "do not lose me"
    assert "Not saved" in editor.status_text()
    failed = len(saves.calls)
    saves.succeed = True
    qtbot.waitUntil(lambda: len(saves.calls) > failed, timeout=1000)  # retried on its own
    assert saves.calls[-1][:2] == (6, "do not lose me")
    assert editor.unsaved_stories() == [] and editor.status_text() == SAVED


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.open(tmp_path / "gui.db")
    assert lib.import_paths([ARTICLES]).added == 4
    try:
        yield lib
    finally:
        lib.close()


def connect_to_library(editor: NoteEditor, lib: Library) -> None:
    """The window's wiring: save through the facade, report the outcome."""

    def save(story_id: int, text: str) -> None:
        try:
            lib.save_note(story_id, text)
        except BroadsheetError as exc:
            editor.mark_failed(story_id, str(exc))
        else:
            editor.mark_saved(story_id)

    editor.save_requested.connect(save)


def test_saving_into_a_read_only_library_keeps_the_text(
    qtbot: QtBot, editor: NoteEditor, library: Library
) -> None:
    story = library.story_page(StoryQuery())[0].id
    connect_to_library(editor, library)
    editor.set_story(story, "")
    start_typing(qtbot, editor)
    library.db.execute("PRAGMA query_only = ON")  # every write now fails inside SQLite
    qtbot.keyClicks(editor.edit, "typed while read-only")
    editor.flush()
    assert editor.text() == "typed while read-only"
    assert "read-only" in editor.status_text()
    assert library.note(story) is None
    library.db.execute("PRAGMA query_only = OFF")
    qtbot.keyClicks(editor.edit, ".")
    qtbot.waitUntil(lambda: editor.status_text() == SAVED, timeout=1000)
    note = library.note(story)
    assert note is not None and note.body == "typed while read-only."


# --------------------------------------------------------------------------- quoting


def test_append_quote_adds_the_block_and_saves_it(qtbot: QtBot, editor: NoteEditor) -> None:
    editor.set_story(9, "My thoughts")
    saves = Saves(editor)
    quote = format_quote("Drones struck.", "Russian Federation News")
    editor.append_quote(quote)
    expected = "My thoughts\n\n> Drones struck.\n\n— Russian Federation News\n"
    assert editor.text() == expected
    assert [c[:2] for c in saves.calls] == [(9, expected)]
    assert not editor.is_editing()
    assert "Drones struck." in editor.view.toPlainText()  # the rendered view shows it


def test_append_quote_without_a_story_does_nothing(editor: NoteEditor) -> None:
    editor.set_story(None, "")
    editor.append_quote("> x\n\n— y")
    assert editor.text() == ""


# --------------------------------------------------------------------------- rendering


def test_outside_editing_the_note_is_rendered(editor: NoteEditor) -> None:
    editor.set_story(
        1, "# Heading\n\n- item\n\n> quote\n\n*em* [link](https://example.org) <b>raw</b>"
    )
    assert not editor.is_editing()
    doc = editor.view.document()
    first = doc.firstBlock()
    assert first.text() == "Heading" and first.blockFormat().headingLevel() == 1
    assert first.next().textList() is not None  # "- item" is a list
    html = doc.toHtml()
    assert 'href="https://example.org"' in html
    assert "<b>raw</b>" not in editor.view.toHtml() and "<b>raw</b>" in editor.view.toPlainText()


def test_clicking_the_rendered_note_starts_editing(qtbot: QtBot, editor: NoteEditor) -> None:
    editor.set_story(1, "Plain words to click on")
    viewport = editor.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(10, 8))
    assert editor.is_editing() and editor.toggle.text() == "Done"


def test_clicking_a_link_opens_it_externally_and_stays_rendered(
    qtbot: QtBot, editor: NoteEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(module.QDesktopServices, "openUrl", lambda url: opened.append(url))
    editor.set_story(1, "[the source](https://example.org/story)")
    cursor = QTextCursor(editor.view.document())
    cursor.setPosition(3)
    point = editor.view.cursorRect(cursor).center()
    qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert [u.toString() for u in opened] == ["https://example.org/story"]
    assert not editor.is_editing()


def test_ctrl_n_and_the_toggle_switch_modes(qtbot: QtBot, host: Host) -> None:
    editor = host.editor
    editor.set_story(2, "**bold**")
    host.other.setFocus()
    qtbot.keyClick(host.other, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert editor.is_editing()
    qtbot.waitUntil(editor.edit.hasFocus, timeout=1000)
    saves = Saves(editor)
    qtbot.keyClicks(editor.edit, " more")
    qtbot.mouseClick(editor.toggle, Qt.MouseButton.LeftButton)  # "Done": saves and renders
    assert not editor.is_editing() and editor.toggle.text() == "Edit"
    assert saves.calls and saves.calls[-1][:2] == (2, "**bold** more")
    assert editor.view.toPlainText().strip() == "bold more"
    qtbot.mouseClick(editor.toggle, Qt.MouseButton.LeftButton)
    assert editor.is_editing()


def test_without_a_story_the_editor_is_inert(qtbot: QtBot, editor: NoteEditor) -> None:
    editor.set_story(None, "")
    editor.start_editing()
    assert not editor.is_editing() and not editor.toggle.isEnabled()
    saves = Saves(editor)
    editor.flush()
    assert saves.calls == []


def test_the_window_own_ctrl_n_is_not_made_ambiguous(qtbot: QtBot) -> None:
    window = Host()
    qtbot.addWidget(window)
    fired: list[bool] = []
    action = QAction("Focus the note", window)
    action.setShortcut(QKeySequence("Ctrl+N"))
    action.triggered.connect(lambda: (fired.append(True), window.editor.start_editing()))
    window.addAction(action)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.editor.set_story(2, "text")
    assert not window.editor.edit_shortcut.isEnabled()
    window.other.setFocus()
    qtbot.keyClick(window.other, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert fired == [True] and window.editor.is_editing()
