"""Notes in the window: quoting, the notes list, notes export, note hits in search."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextCursor
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
