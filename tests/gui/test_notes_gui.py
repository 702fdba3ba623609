"""Notes in the window: quoting, the notes list, notes export, note hits in search."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from reader.gui.main_window import MainWindow
from reader.notes_text import append_block, format_quote
from reader.types import ImportReport

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def _imported(qtbot: QtBot, make_window: object) -> MainWindow:
    window = make_window()  # type: ignore[operator]
    assert isinstance(window, MainWindow)
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        window.start_import([SAMPLE])
    assert isinstance(blocker.args[0], ImportReport)
    return window


def _open_first_story(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        window.stories.tree.setCurrentIndex(window.stories_model.index(0, 0))


def test_quote_in_note_uses_the_core_quote_format(qtbot: QtBot, make_window: object) -> None:
    window = _imported(qtbot, make_window)
    _open_first_story(qtbot, window)
    article = window.reading.article
    assert article is not None
    cursor = window.reading.browser.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    window.reading.browser.setTextCursor(cursor)
    passage = window.reading.selected_text().strip()
    assert passage
    with qtbot.waitSignal(window.changes_applied, timeout=5000):
        window.act_quote.trigger()
    expected = append_block("", format_quote(passage, article.source, article.published))
    assert window.note_editor.text() == expected
    note = window.library.note(article.story_id)
    assert note is not None and note.body.strip() == expected.strip()
    assert f"— {article.source}" in note.body


def _save_note(qtbot: QtBot, window: MainWindow, story_id: int, text: str) -> None:
    with qtbot.waitSignal(window.changes_applied, timeout=5000):
        window.note_editor.save_requested.emit(story_id, text)
    # An earlier refresh may still be in flight: wait for the one that includes this note.
    qtbot.waitUntil(lambda: any(
        e.story_id == story_id and e.updated_at == window.library.note(story_id).updated_at
        for e in window.notes_pane.model.entries), timeout=5000)


def test_notes_list_newest_edit_first_and_opens_the_story(
    qtbot: QtBot, make_window: object, qtmodeltester: object
) -> None:
    window = _imported(qtbot, make_window)
    rows = window.stories_model.pager.rows
    first, second = rows[0], rows[3]
    _save_note(qtbot, window, first.id, "Older thought about the **harbour**.")
    _save_note(qtbot, window, second.id, "Newer thought.")
    model = window.notes_pane.model
    assert [e.story_id for e in model.entries] == [second.id, first.id]
    assert model.entries[1].headline == first.headline
    assert model.entries[1].snippet == "Older thought about the harbour."
    assert first.headline in model.data(model.index(1, 0))
    assert "2 notes" in window.notes_pane.heading.text()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        window.notes_pane.view.clicked.emit(model.index(1, 0))
    assert window.reading.article is not None
    assert window.reading.article.story_id == first.id
    assert window.note_editor.text() == "Older thought about the **harbour**."


def test_with_notes_filter_and_search_hit_in_note(qtbot: QtBot, make_window: object) -> None:
    from reader.gui.models import HIT_ROLE, FilterKey
    from reader.gui.stories_pane import NOTE_HIT_LABEL, line_runs

    window = _imported(qtbot, make_window)
    story = window.stories_model.pager.rows[2]
    _save_note(qtbot, window, story.id, "Remember the zeppelinyard angle.")
    window.set_filter(FilterKey("notes"))
    assert [r.id for r in window.stories_model.pager.rows] == [story.id]
    window.set_filter(FilterKey("all"))
    window.stories.search.setText("zeppelinyard")
    with qtbot.waitSignal(window.stories_reloaded, timeout=5000):
        window.stories.flush_search()
    hits = window.stories_model.pager.rows
    assert [r.id for r in hits] == [story.id]
    assert hits[0].hit_in == "note"
    index = window.stories_model.index(0, 0)
    assert index.data(HIT_ROLE) == "note"
    runs = line_runs(hits[0].headline, hits[0].snippet or "", False, "note")
    assert runs[1].text == NOTE_HIT_LABEL
    assert any(r.match and "zeppelinyard" in r.text.lower() for r in runs)
    assert "in your note" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_snippet_is_bold_on_unread_rows_and_matches_always_marked() -> None:
    from reader.gui.stories_pane import line_runs

    unread = line_runs("Strike ends", "workers at the [harbour] voted", True, "body")
    assert all(r.bold for r in unread)
    assert [r.text for r in unread if r.match] == ["harbour"]
    read = line_runs("Strike ends", "workers at the [harbour] voted", False, "body")
    assert [(r.text, r.bold) for r in read] == [
        ("Strike ends  — ", False), ("workers at the ", False), ("harbour", True),
        (" voted", False),
    ]


def test_export_notes_from_the_file_menu(
    qtbot: QtBot, make_window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _imported(qtbot, make_window)
    story = window.stories_model.pager.rows[0]
    _save_note(qtbot, window, story.id, "Exported thought.")
    folder = tmp_path / "notes-out"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(window.notes_exported, timeout=10_000) as blocker:
        window.act_export_notes.trigger()
    written = blocker.args[0]
    assert len(written) == 1 and written[0].parent == folder
    assert "Exported thought." in written[0].read_text(encoding="utf-8")
    assert str(folder) in window.status_label.text()
