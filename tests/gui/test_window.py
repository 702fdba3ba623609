"""The Broadsheet window, offscreen: import, read, switch versions, note, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from reader.gui.main_window import MainWindow
from reader.gui.models import FilterKey, StoryTreeModel
from reader.gui.reading_pane import HEADLINE_ONLY
from reader.types import ImportReport, ReadFilter, StoryRow

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def _import(qtbot: QtBot, window: MainWindow, paths: list[Path]) -> ImportReport:
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        window.start_import(paths)
    report = blocker.args[0]
    assert isinstance(report, ImportReport)
    return report


def _select_multi_version_story(qtbot: QtBot, window: MainWindow) -> StoryRow:
    model = window.stories_model
    row = next(r for r in range(model.rowCount()) if model.pager.rows[r].size >= 3)
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        window.stories.tree.setCurrentIndex(model.index(row, 0))
    return model.pager.rows[row]


def test_main_flow_import_read_switch_note_and_reopen(
    qtbot: QtBot, make_window: object, monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    window = make_window()  # type: ignore[operator]
    assert window.stack.currentWidget() is window.welcome  # empty library: welcome view
    files = sorted(str(p) for p in SAMPLE.iterdir())
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        window.act_import.trigger()
    assert window.stack.currentWidget() is window.splitter
    assert any(title == "Import finished" and "Added: 36" in text for title, text in messages)
    assert window.stories_model.rowCount() > 5

    story = _select_multi_version_story(qtbot, window)
    first = window.reading.article
    assert first is not None and first.story_id == story.id
    assert first.title in window.reading.title.text()
    assert window.reading.switcher.isVisible()
    assert window.reading.version_label.text().startswith(f"Version 1 of {story.size}")

    with qtbot.waitSignal(window.article_shown, timeout=5000):
        window.reading.next_version()
    second = window.reading.article
    assert second is not None and second.id != first.id and second.story_id == story.id
    assert window.reading.version_label.text().startswith(f"Version 2 of {story.size}")

    # the opened article is marked read after the (shortened) delay, via the worker
    with qtbot.waitSignal(window.changes_applied, timeout=5000):
        pass
    assert window.library.article(second.id).read

    # write a note through the editor's own save signal
    with qtbot.waitSignal(window.changes_applied, timeout=5000):
        window.note_editor.save_requested.emit(story.id, "Check the 30-day report.")
    assert window.library.note(story.id).body == "Check the 30-day report."

    window.set_filter(FilterKey("unread"))
    window.stories.set_read(ReadFilter.ALL.value)
    window.close()

    again = make_window()  # type: ignore[operator]
    assert again.navigator.filter == FilterKey("unread")
    assert again.library_view.currentIndex().data() == "Unread"
    assert again.library.note(story.id).body == "Check the 30-day report."
    assert again.library.article(second.id).read
    assert again.stack.currentWidget() is again.splitter


def test_keyboard_shortcuts(qtbot: QtBot, make_window: object) -> None:
    window = make_window()  # type: ignore[operator]
    _import(qtbot, window, [SAMPLE])
    window.stories.tree.setFocus()
    start = window.stories.tree.currentIndex().row()
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        qtbot.keyClick(window.stories.tree, Qt.Key.Key_J)
    assert window.stories.tree.currentIndex().row() == start + 1
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        qtbot.keyClick(window.stories.tree, Qt.Key.Key_N)
    assert window.stories.tree.currentIndex().row() == start + 2
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        qtbot.keyClick(window.stories.tree, Qt.Key.Key_K)
    assert window.stories.tree.currentIndex().row() == start + 1
    article = window.reading.article
    assert article is not None
    with qtbot.waitSignal(window.changes_applied, timeout=5000):
        qtbot.keyClick(window.stories.tree, Qt.Key.Key_S)
    assert window.library.article(article.id).starred
    window.read_timer.stop()
    with qtbot.waitSignal(window.changes_applied, timeout=5000):
        qtbot.keyClick(window.stories.tree, Qt.Key.Key_M)
    assert window.library.article(article.id).read
    qtbot.keyClick(window.stories.tree, Qt.Key.Key_Slash)
    assert window.stories.search.hasFocus()
    size = window.reading.point_size()
    qtbot.keyClick(window.stories.tree, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.point_size() == size + 1
    rows = dict(window.shortcut_rows())
    assert any(what == "Next story" for what in rows.values())


def test_drag_and_drop_imports(qtbot: QtBot, make_window: object) -> None:
    window = make_window()  # type: ignore[operator]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in sorted(SAMPLE.iterdir())])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        window.dropEvent(event)
    assert blocker.args[0].added == 36


def test_cancel_import_keeps_library_consistent(
    qtbot: QtBot, make_window: object, tmp_path: Path, messages: list[tuple[str, str]]
) -> None:
    window = make_window()  # type: ignore[operator]
    big = tmp_path / "big.txt"
    chunks = ["ZZ Big Source", ""]
    for i in range(20_000):
        chunks += [f"Story number {i} about the harbour", "",
                   f"Body {i} mentions {i * 7} boats in the harbour today.", "ZZ", ""]
    big.write_text("\n".join(chunks), encoding="utf-8")
    with qtbot.waitSignal(window.jobs.long_started, timeout=10_000):
        window.start_import([big])
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        window.cancel_long_job()
    assert not window.progress.isVisible()
    assert window.library.stats().articles == 0  # the file in progress was rolled back


def test_every_model_passes_qtmodeltester(qtbot: QtBot, qtmodeltester: object,
                                          make_window: object) -> None:
    window = make_window()  # type: ignore[operator]
    _import(qtbot, window, [SAMPLE])
    model = window.stories_model
    assert isinstance(model, StoryTreeModel)
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if model.canFetchMore(index):
            model.fetchMore(index)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.jobs.finished, timeout=5000):
        window.refresh_counts()
    qtmodeltester.check(window.library_model)  # type: ignore[attr-defined]


def test_hiding_a_name_removes_it_from_people_and_places(
    qtbot: QtBot, make_window: object
) -> None:
    window = make_window()  # type: ignore[operator]
    _import(qtbot, window, [SAMPLE])
    facet = window.library.facets()[0]
    window.story_ops.context_entity = facet.id
    with qtbot.waitSignal(window.changes_applied, timeout=10_000):
        window.story_ops.hide_context_entity()
    assert facet.id not in {f.id for f in window.library.facets()}
    assert facet.id in {f.id for f in window.library.facets(include_hidden=True)}


def test_the_welcome_text_is_shown_whole(qtbot: QtBot) -> None:
    from reader.gui.dialogs import WelcomeView

    view = WelcomeView()
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    qtbot.waitExposed(view)
    text = view.text
    # The wrapped paragraph gets every line it needs (it was cut to two of four).
    assert text.height() >= text.heightForWidth(text.width())
    assert text.heightForWidth(text.width()) > 2 * text.fontMetrics().height()


def test_the_first_window_fits_the_screen(qtbot: QtBot, make_window: object) -> None:
    # No saved geometry: the window takes its first-run size, or less on a small screen
    # (the offscreen screen is 800x600), so the reader is never off the screen.
    window = make_window()  # type: ignore[operator]
    free = window.screen().availableGeometry()
    assert 0 < window.width() <= free.width() and 0 < window.height() <= free.height()


def test_first_size_is_the_default_on_a_big_screen_and_shrinks_on_a_small_one() -> None:
    from reader.gui.window_settings import FIRST_SIZE, first_size

    assert first_size((2560, 1400)) == FIRST_SIZE
    assert first_size((910, 512)) == (819, 460)  # 1366x768 at 150%


def test_a_headline_only_item_says_so_instead_of_a_blank_page(
    qtbot: QtBot, make_window: object, tmp_path: Path
) -> None:
    feed = tmp_path / "headlines.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Hansbrough breaks North Carolina scoring record</title><guid>a</guid></item>"
        "<item><title>Ferry strike ends</title><guid>b</guid>"
        "<description>The ferry strike ended at noon.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    window = make_window()  # type: ignore[operator]
    assert _import(qtbot, window, [feed]).added == 2
    model = window.stories_model
    shown: dict[str, str] = {}
    for row in range(model.rowCount()):
        with qtbot.waitSignal(window.article_shown, timeout=5000):
            window.stories.tree.setCurrentIndex(model.index(row, 0))
        shown[model.pager.rows[row].headline] = window.reading.browser.toPlainText()
    assert HEADLINE_ONLY in shown["Hansbrough breaks North Carolina scoring record"]
    assert "The ferry strike ended at noon." in shown["Ferry strike ends"]
    assert HEADLINE_ONLY not in shown["Ferry strike ends"]
