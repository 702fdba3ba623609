"""The window's actions: menus, toolbar, context menus, keyboard shortcuts (F1 lists them),
and which actions are on, given what there is to act on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from reader.gui import icons
from reader.gui.sidebar import FEED_ROLE, FILTER_ROLE, GROUP_ROLE, FilterKey
from reader.types import StoryRow, VersionRow

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow

#: Toolbar icon of each action that has one (drawn in the theme's colours).
ICONS = {
    "act_import": "import", "act_toggle_read": "read", "act_star": "star",
    "act_story_read": "story-read", "act_mark_all": "all-read", "act_next_unread": "next-unread",
    "act_topics": "topics", "act_export_view": "export", "act_refresh_feeds": "refresh",
    "act_preferences": "preferences", "act_add_feed": "feed",
}


class ActionSlots:
    """The window's actions as typed attributes (:func:`build` creates them)."""

    act_about: QAction
    act_add_feed: QAction
    act_bigger: QAction
    act_clear: QAction
    act_expand: QAction
    act_export_all: QAction
    act_export_notes: QAction
    act_export_opml: QAction
    act_export_view: QAction
    act_feed_settings: QAction
    act_highlight: QAction
    act_import: QAction
    act_import_opml: QAction
    act_mark_all: QAction
    act_merge: QAction
    act_move: QAction
    act_next: QAction
    act_next_unread: QAction
    act_next_version: QAction
    act_note: QAction
    act_notes: QAction
    act_preferences: QAction
    act_prev: QAction
    act_prev_version: QAction
    act_quit: QAction
    act_quote: QAction
    act_refresh_feed: QAction
    act_refresh_feeds: QAction
    act_regroup: QAction
    act_remove_feed: QAction
    act_restore: QAction
    act_retopic: QAction
    act_sample: QAction
    act_schedule: QAction
    act_search: QAction
    act_shortcuts: QAction
    act_smaller: QAction
    act_space: QAction
    act_split: QAction
    act_star: QAction
    act_story_read: QAction
    act_toggle_read: QAction
    act_topics: QAction
    act_undo: QAction
    act_why: QAction
    toolbar: QToolBar


def build(w: MainWindow) -> None:
    """Create every action as ``w.act_*``, then the menus and the toolbar."""

    def a(text: str, slot: Callable[[], Any], keys: Sequence[str] = (), tip: str = "") -> QAction:
        action = QAction(text, w)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        shown = text.replace("&", "").rstrip("…")
        hint = tip or shown
        if keys:
            hint += f" ({QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(hint)
        action.setStatusTip(tip or shown)
        action.triggered.connect(slot)
        w.addAction(action)  # shortcuts work wherever the focus is in the window
        return action

    nav, rs, io, feeds = w.navigator, w.read_state, w.import_flow, w.feeds
    ops, notes = w.story_ops, w.notes
    w.act_import = a("&Import…", io.import_dialog, ["Ctrl+I"], "Import files")
    w.act_sample = a("Open the &sample library", io.open_sample)
    w.act_export_view = a("Export current &view…", io.export_view, ["Ctrl+E"],
                          "Export the stories in this view")
    w.act_export_all = a("Export whole &library…", io.export_all, ["Ctrl+Shift+E"])
    w.act_restore = a("&Restore from backup…", w.restore_from_backup)
    w.act_export_notes = a("Export &notes…", io.export_notes)
    w.act_preferences = a("&Preferences…", w.open_preferences, ["Ctrl+,"])
    w.act_notes = w.notes_dock.toggleViewAction()
    w.act_notes.setText("&Notes list")
    w.act_notes.setShortcut(QKeySequence("Ctrl+Shift+L"))
    w.addAction(w.act_notes)
    w.act_add_feed = a("&Add feed…", feeds.add_feed_dialog, ["Ctrl+Shift+A"])
    w.act_refresh_feeds = a("&Refresh all feeds", feeds.refresh_all, ["F5"])
    w.act_refresh_feed = a("Refresh this feed", feeds.refresh_selected)
    w.act_remove_feed = a("Remove this feed…", feeds.remove_selected)
    w.act_import_opml = a("&Import subscriptions (OPML)…", feeds.import_opml)
    w.act_export_opml = a("&Export subscriptions (OPML)…", feeds.export_opml)
    w.act_schedule = a("Refresh feeds on a &schedule", feeds.schedule_toggled)
    w.act_schedule.setCheckable(True)
    w.act_feed_settings = a("Feed se&ttings…", feeds.open_settings)
    w.act_quit = a("&Quit", w.close, ["Ctrl+Q"])
    w.act_next = a("&Next story", lambda: nav.move(1), ["J", "Down"])
    w.act_prev = a("&Previous story", lambda: nav.move(-1), ["K", "Up"])
    w.act_next_unread = a("Next &unread story", nav.next_unread, ["N"])
    w.act_space = a("Page down, then next unread", nav.space, ["Space"])
    w.act_toggle_read = a("Toggle &read", rs.toggle_read, ["M"], "Mark read or unread")
    w.act_star = a("&Star", rs.toggle_star, ["S"], "Star or unstar")
    w.act_story_read = a("Mark story read", rs.mark_story_read, ["Shift+M"],
                         "Mark every version of the story read")
    w.act_mark_all = a("Mark &all as read", rs.mark_all_read, ["Shift+A"],
                       "Mark every story in this view read")
    w.act_undo = a("&Undo", w.status.undo, ["Ctrl+Z"])
    w.act_search = a("Search", nav.focus_search, ["/", "Ctrl+F"])
    w.act_clear = a("Clear search", nav.clear_search, ["Esc"])
    w.act_note = a("Focus the &note", notes.focus_note, ["Ctrl+N", "Shift+N"])
    w.act_quote = w.reading.quote_action
    w.addAction(w.act_quote)
    w.act_bigger = a("Larger text", lambda: w.reading.zoom(1), ["Ctrl+=", "Ctrl++"])
    w.act_smaller = a("Smaller text", lambda: w.reading.zoom(-1), ["Ctrl+-"])
    w.act_prev_version = a("Previous version", w.reading.previous_version, ["["])
    w.act_next_version = a("Next version", w.reading.next_version, ["]"])
    w.act_highlight = a("Highlight only-in-this-version", w.reading.highlight_box.toggle, ["H"])
    w.act_expand = a("Show or hide a story's versions", w.toggle_versions, ["X"])
    w.act_why = a("&Why these versions are together", w.explanations.toggle, ["W"],
                  "Show or hide why the story's versions are grouped")
    w.act_split = a("Split version out", ops.split_version, ["Ctrl+Shift+X"])
    w.act_merge = a("Merge selected stories", ops.merge_selected, ["Ctrl+Shift+M"])
    w.act_move = a("Move version to story…", ops.move_version, ["Ctrl+Shift+V"])
    w.act_regroup = a("Regroup library", ops.regroup)
    w.act_topics = a("Edit &topics…", ops.edit_topics, ["Ctrl+T"])
    w.act_retopic = a("Re-evaluate topics", ops.reassign_topics)
    w.act_shortcuts = a("&Keyboard Shortcuts", w.show_shortcuts, ["F1"])
    w.act_about = a("&About Broadsheet", w.about)
    _menus(w)
    refresh_icons(w)


def _fill(menu: QMenu | QToolBar, actions: Sequence[QAction | None]) -> None:
    for act in actions:
        menu.addSeparator() if act is None else menu.addAction(act)


def _menus(w: MainWindow) -> None:
    bar = w.menuBar()
    _fill(bar.addMenu("&File"), (w.act_import, w.act_sample, None, w.act_export_view,
                                w.act_export_all, w.act_export_notes, None, w.act_restore,
                                None, w.act_preferences, None, w.act_quit))
    _fill(bar.addMenu("&Edit"), (w.act_undo, None, w.act_search, w.act_clear, None,
                                w.act_preferences))
    _fill(bar.addMenu("&Article"), (w.act_next, w.act_prev, w.act_next_unread, None,
                                   w.act_toggle_read, w.act_star, w.act_story_read,
                                   w.act_mark_all, None, w.act_prev_version,
                                   w.act_next_version, w.act_highlight, None, w.act_quote,
                                   w.act_note))
    _fill(bar.addMenu("&Stories"), (w.act_expand, w.act_why, None, w.act_split, w.act_merge,
                                   w.act_move, None, w.act_regroup))
    _fill(bar.addMenu("&View"), (w.act_search, w.act_clear, None, w.act_bigger, w.act_smaller,
                                None, w.act_notes))
    _fill(bar.addMenu("F&eeds"), (w.act_add_feed, w.act_refresh_feeds, None, w.act_import_opml,
                                 w.act_export_opml, None, w.act_schedule, w.act_feed_settings))
    _fill(bar.addMenu("&Topics"), (w.act_topics, w.act_retopic))
    _fill(bar.addMenu("&Help"), (w.act_shortcuts, w.act_about))
    toolbar = w.addToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    _fill(toolbar, (w.act_import, w.act_refresh_feeds, None, w.act_next_unread,
                    w.act_toggle_read, w.act_star, w.act_mark_all, None, w.act_topics,
                    w.act_export_view))
    w.toolbar = toolbar


def refresh_icons(w: MainWindow) -> None:
    icons.refresh({name: getattr(w, attr) for attr, name in ICONS.items()})


def shortcut_rows(w: MainWindow) -> list[tuple[str, str]]:
    rows = []
    for action in w.actions():
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys:
            rows.append((" or ".join(keys), action.text().replace("&", "")))
    rows.append(("← →", "Collapse or expand a story's versions in the list"))
    return rows


def update(w: MainWindow) -> None:
    """Turn actions on or off for what there is to act on (never on a read-only library
    for writes; see :mod:`reader.gui.recovery`)."""
    has_article = w.reading.article is not None
    has_rows = w.stories_model.rowCount() > 0
    writable = not w.library.read_only
    busy = w.long_jobs.busy()
    selected = w.selected_items()
    stories = [i for i in selected if isinstance(i, StoryRow)]
    versions = w.reading.versions
    on = {
        "act_toggle_read": has_article and writable, "act_star": has_article and writable,
        "act_story_read": has_article and writable,
        "act_mark_all": has_rows and writable and w.view_has_unread(),
        "act_next": has_rows, "act_prev": has_rows, "act_next_unread": has_rows,
        "act_expand": has_rows, "act_export_view": has_rows and not busy,
        "act_export_all": w.library_has_stories and not busy,
        "act_import": writable and not busy, "act_sample": writable and not busy,
        "act_prev_version": len(versions) > 1, "act_next_version": len(versions) > 1,
        "act_why": len(versions) > 1,
        "act_split": writable and (len(versions) > 1 or any(
            isinstance(i, VersionRow) for i in selected)),
        "act_merge": writable and len(stories) >= 2,
        "act_move": writable and has_article and has_rows,
        "act_regroup": writable and w.library_has_stories and not busy,
        "act_retopic": writable and w.library_has_stories and not busy,
        "act_refresh_feeds": writable and w.has_feeds and not busy,
        "act_undo": w.status.can_undo(), "act_quote": has_article and writable,
        "act_note": has_article,
    }
    for name, enabled in on.items():
        getattr(w, name).setEnabled(bool(enabled))


def stories_menu(w: MainWindow, pos: Any) -> None:
    menu = QMenu(w)
    _fill(menu, (w.act_toggle_read, w.act_star, w.act_story_read, w.act_mark_all, None,
                 w.act_next_unread, w.act_expand, None, w.act_split, w.act_merge, w.act_move))
    menu.exec(w.stories.tree.viewport().mapToGlobal(pos))


def library_menu(w: MainWindow, pos: Any) -> None:
    index = w.library_view.indexAt(pos)
    raw = index.data(FILTER_ROLE)
    key = FilterKey.decode(str(raw or ""))
    menu = QMenu(w)
    if raw and index != w.library_view.currentIndex():
        w.library_view.setCurrentIndex(index)  # "Mark all as read" acts on what was clicked
    feed = index.data(FEED_ROLE)
    group = index.data(GROUP_ROLE)
    if raw:
        menu.addAction(w.act_mark_all)
        menu.addSeparator()
    if isinstance(feed, int) or group == "feed":
        w.feeds.context_feed = feed if isinstance(feed, int) else None
        if isinstance(feed, int):
            _fill(menu, (w.act_refresh_feed, w.act_remove_feed, None))
        _fill(menu, (w.act_add_feed, w.act_refresh_feeds, None, w.act_import_opml,
                     w.act_export_opml))
    elif key.kind == "entity" and raw:
        w.story_ops.context_entity = key.id
        hide = menu.addAction("Hide this name")
        hide.triggered.connect(w.story_ops.hide_context_entity)
        menu.addAction(w.act_topics)
    else:
        menu.addAction(w.act_topics)
    menu.exec(w.library_view.viewport().mapToGlobal(pos))
    w.feeds.context_feed = None
