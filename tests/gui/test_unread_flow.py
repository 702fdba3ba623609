"""Issue 15's unread flow, preferences and live library in the window (offscreen)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from reader.gui import theme
from reader.gui.main_window import MainWindow
from reader.gui.sidebar import UNREAD_ROLE, FilterKey
from reader.types import ReadFilter

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def _window(qtbot: QtBot, make_window: object) -> MainWindow:
    window: MainWindow = make_window()  # type: ignore[operator]
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        window.start_import([SAMPLE])
    qtbot.waitUntil(lambda: window.counts is not None, timeout=10_000)
    return window


def test_mark_all_read_for_a_topic_then_undo(qtbot: QtBot, make_window: object) -> None:
    window = _window(qtbot, make_window)
    topic = next(t for t in window.story_ops.topics if t.total)
    window.set_filter(FilterKey("topic", topic.id))
    shown = {r.id for r in window.stories_model.pager.rows}
    assert shown and window.act_mark_all.isEnabled()
    assert window.library_model.find(FilterKey("topic", topic.id)).data(UNREAD_ROLE) == len(shown)
    before = window.library.sidebar_counts().views["unread"].unread
    qtbot.keyClick(window.stories.tree, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    # Wait for the marking's own refresh (a counts refresh queued by the import may come
    # first and signal the same way).
    qtbot.waitUntil(
        lambda: window.library_model.find(FilterKey("topic", topic.id)).data(UNREAD_ROLE) == 0
        and f"{before - len(shown):,} unread" in window.windowTitle(),
        timeout=10_000,
    )
    assert all(window.library.story_row(i).unread == 0 for i in shown)
    assert "Marked" in window.status_label.text() and window.status.undo_button.isVisible()
    assert window.windowTitle().count("Broadsheet") == 1
    qtbot.keyClick(window.stories.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.library_model.find(FilterKey("topic", topic.id)).data(UNREAD_ROLE)
        == len(shown),
        timeout=10_000,
    )
    assert all(window.library.story_row(i).unread > 0 for i in shown)
    assert window.library.sidebar_counts().views["unread"].unread == before


def test_next_unread_skips_read_stories_and_empty_states_say_why(
    qtbot: QtBot, make_window: object
) -> None:
    window = _window(qtbot, make_window)
    rows = window.stories_model.pager.rows
    with qtbot.waitSignal(window.changes_applied, timeout=5000):
        window.jobs.submit(lambda lib, p, c: lib.mark_story_read(rows[1].id, True),
                           window.apply_changes)
    window.stories.tree.setCurrentIndex(window.stories_model.index(0, 0))
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        qtbot.keyClick(window.stories.tree, Qt.Key.Key_N)
    assert window.stories.tree.currentIndex().row() == 2  # row 1 was read
    window.stories.search.setText("zzzqqqnothing")
    window.stories.flush_search()
    assert window.stories_model.rowCount() == 0
    assert window.stories.empty.isVisible() and "zzzqqqnothing" in window.stories.empty.text()
    assert window.reading.article is None  # the reader cleared with its story
    window.stories.search.setText("harbour")
    window.stories.flush_search()
    assert window.stories.sort.currentText() in {"Relevance", "Newest first"}
    assert not window.stories.sort.isEnabled()
    window.stories.search.clear()
    window.stories.flush_search()
    assert window.stories.sort.isEnabled() and window.stories.sort.currentText() == "Newest first"


def test_undated_stories_come_last_in_both_date_orders(qtbot: QtBot, make_window: object) -> None:
    window = _window(qtbot, make_window)
    for sort in ("date", "oldest"):
        window.stories.set_sort(sort)
        dated = [r.last_published is not None for r in window.stories_model.pager.rows]
        assert dated == sorted(dated, reverse=True), sort
        stamps = [r.last_published for r in window.stories_model.pager.rows if r.last_published]
        assert stamps == sorted(stamps, reverse=sort == "date")


def test_preferences_apply_live_and_persist(qtbot: QtBot, make_window: object) -> None:
    window = _window(qtbot, make_window)
    dialog = window.open_preferences()
    try:
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
        dialog.point.setValue(17)
        assert window.reading.point_size() == 17
        dialog.mark.setChecked(False)
        assert not window.read_state.enabled
        dialog.delay.setValue(3.0)
        assert window.settings.value("reading/mark_read_ms") in (3000, "3000")
        assert window.settings.value("appearance/theme") == "dark"
    finally:
        dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
        dialog.close()


def test_a_window_that_starts_dark_draws_every_visible_label_light_on_dark(
    qtbot: QtBot, make_window: object, settings: QSettings
) -> None:
    settings.setValue("appearance/theme", "dark")
    try:
        window = _window(qtbot, make_window)
        assert window.stack.currentWidget() is window.splitter
        labels = [lab for lab in window.findChildren(QLabel) if lab.isVisible() and lab.text()]
        assert any(lab.text() == "Note" for lab in labels)
        for label in labels:
            colour = label.palette().color(label.foregroundRole())
            assert colour.lightness() > 128, (label.text(), colour.name())
    finally:
        theme.apply("light")


def test_f1_lists_every_list_action_with_its_keys(qtbot: QtBot, make_window: object) -> None:
    window = _window(qtbot, make_window)
    rows = dict((what, keys) for keys, what in window.shortcut_rows())
    for what in ("Next story", "Previous story", "Next unread story", "Mark all as read",
                 "Toggle read", "Star", "Mark story read", "Undo", "Search",
                 "Show or hide a story's versions", "Keyboard Shortcuts"):
        assert rows.get(what), what


def test_a_cli_import_into_the_open_library_shows_up_without_switching_views(
    qtbot: QtBot, make_window: object, tmp_path: Path
) -> None:
    window = _window(qtbot, make_window)
    count = window.stories_model.rowCount()
    dump = tmp_path / "extra.txt"
    dump.write_text("ZZ Extra Wire\n\nLighthouse keeper retires after forty years\n\n"
                    "The keeper of the Isla Brava light retired on Friday.\nZZ\n",
                    encoding="utf-8")
    with qtbot.waitSignal(window.watch.changed_elsewhere, timeout=20_000):
        subprocess.run([sys.executable, "-m", "reader", "--library", str(window.library.path),
                        "import", str(dump)], check=True, capture_output=True, timeout=60)
    assert window.stories_model.rowCount() == count + 1
    assert window.stories.read_value() is ReadFilter.ALL


def test_the_sidebar_model_passes_qtmodeltester(qtbot: QtBot, qtmodeltester: object,
                                                make_window: object) -> None:
    window = _window(qtbot, make_window)
    qtmodeltester.check(window.library_model)  # type: ignore[attr-defined]
    assert window.library.sidebar_counts().views["all"].stories == \
        window.stories_model.rowCount()
