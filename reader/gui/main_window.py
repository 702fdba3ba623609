"""The Broadsheet window: library tree | stories | reading pane.

Reads (a page of stories, one article) run on the GUI thread against the window's own
:class:`Library`: they are small keyset queries that never hold a transaction open. Every
write and every long job goes through :class:`reader.gui.worker.Jobs` (one serial worker with
its own Library); results come back as :class:`Changes` and each pane decides what to refresh.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeView,
)

from reader import export as export_writers
from reader.errors import BroadsheetError
from reader.gui import plain, recovery
from reader.gui.child_jobs import run_in_child
from reader.gui.dialogs import TopicsDialog, WelcomeView, import_summary, shortcuts_text
from reader.gui.feeds_settings import FeedSettingsDialog
from reader.gui.models import (
    FEED_ROLE,
    FILTER_ROLE,
    GROUP_ROLE,
    FilterKey,
    LibraryTreeModel,
    StoryTreeModel,
)
from reader.gui.note_editor import NoteEditor
from reader.gui.notes_pane import NoteEntry, NotesPane, note_entries
from reader.gui.paging import StoryPager
from reader.gui.reading_pane import ReadingPane
from reader.gui.stories_pane import StoriesPane
from reader.gui.worker import Jobs, QuickCheck
from reader.library import Library
from reader.notes_text import format_quote
from reader.paths import resource_path
from reader.progress import CancelCheck, Progress
from reader.types import (
    Article,
    Changes,
    FeedOutcome,
    ImportReport,
    ReadFilter,
    StoryQuery,
    StoryRow,
    StorySort,
    Topic,
    VersionRow,
)

#: Default delay before an opened article counts as read (ms); QSettings "reading/mark_read_ms".
MARK_READ_DELAY_MS = 1500
#: Default interval of the optional scheduled feed refresh; QSettings "feeds/interval_minutes".
FEED_INTERVAL_MIN = 60
#: Above this many changed stories, reloading the page is cheaper than patching rows.
PATCH_LIMIT = 50


class MainWindow(QMainWindow):
    """Composes the three panes; owns the worker; maps user actions to jobs."""

    #: Emitted after an article is shown (tests and benchmarks wait on it).
    article_shown = Signal(int)
    #: Emitted after the stories list was reloaded for a new query.
    stories_reloaded = Signal()
    #: Emitted after a write's Changes were applied to the panes.
    changes_applied = Signal()
    #: Emitted when an import finished (report shown).
    import_finished = Signal(object)
    #: Emitted when a start-up chore ended: "backup" or "check".
    housekeeping_done = Signal(str)
    #: Emitted after the library was closed, changed (restored/replaced) and opened again.
    library_reopened = Signal(str)
    #: Emitted when a notes export finished (the list of files written).
    notes_exported = Signal(object)
    #: Emitted when the notes list was refilled.
    notes_refreshed = Signal()
    #: Emitted when the feeds section was refilled / a feed job (add, remove, refresh) ended.
    feeds_refreshed = Signal()
    feed_job_done = Signal(object)

    def __init__(self, library: Library, settings: QSettings | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or QSettings()
        self.setWindowTitle(f"Broadsheet — {library.path.name}")
        self.setAcceptDrops(True)
        self.jobs = self._start_jobs()
        self._quick_check: QuickCheck | None = None
        self._context_feed: int | None = None
        self._context_entity: int | None = None
        self._long_job: int | None = None
        self._current_story: int | None = None
        self._topics: list[Topic] = []
        self._topics_dialog: TopicsDialog | None = None
        self._unique_cache: dict[int, list[tuple[int, int]]] = {}

        # ---- panes
        self.library_model = LibraryTreeModel(self)
        self.library_view = QTreeView()
        self.library_view.setModel(self.library_model)
        self.library_view.setHeaderHidden(True)
        self.library_view.expandAll()
        self.library_view.setAccessibleName("Library")
        self.library_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.library_view.customContextMenuRequested.connect(self._library_menu)
        self.stories = StoriesPane()
        self.pager = StoryPager(self.library.story_page, self.library.versions)
        self.stories_model = StoryTreeModel(self.pager, self)
        self.stories.tree.setModel(self.stories_model)
        self.stories.setup_columns()
        self.note_editor = NoteEditor()
        self.reading = ReadingPane(self.note_editor)
        self.reading.browser.image_resolver = self._image_for
        self.notes_pane = NotesPane()
        self.notes_pane.story_requested.connect(self.open_story)
        self.notes_dock = QDockWidget("Notes", self)
        self.notes_dock.setObjectName("notes-dock")
        self.notes_dock.setWidget(self.notes_pane)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.notes_dock)
        self.notes_dock.hide()
        self.feed_timer = QTimer(self)
        self.feed_timer.timeout.connect(self._scheduled_refresh)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.library_view)
        self.splitter.addWidget(self.stories)
        self.splitter.addWidget(self.reading)
        # The stories list carries the headlines, so it gets the most room; the library pane
        # is wide enough for "War & Conflict (33/33)".
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([250, 640, 510])
        self.welcome = WelcomeView()
        self.welcome.import_requested.connect(self.import_dialog)
        self.welcome.sample_requested.connect(self.open_sample)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        # ---- status bar: message, progress, cancel
        self.status_label = plain.label()  # quotes titles, paths and errors
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_long_job)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

        # ---- timers
        self.read_timer = QTimer(self)
        self.read_timer.setSingleShot(True)
        self.read_timer.timeout.connect(self._mark_current_read)

        self._build_actions()
        if library.read_only:
            recovery.mark_read_only(self)
        self._connect()
        self._restore_settings()
        self.reload_stories()
        self._update_welcome()
        QTimer.singleShot(0, self.refresh_counts)
        QTimer.singleShot(0, self.refresh_notes)

    def _start_jobs(self) -> Jobs:
        jobs = Jobs(self.library.path, self)
        jobs.long_started.connect(self._long_started)
        jobs.progress.connect(self._long_progress)
        jobs.finished.connect(self._job_finished)
        jobs.failed.connect(self._job_failed)
        jobs.cancelled.connect(self._job_cancelled)
        return jobs

    # ================================================================= safety

    def start_housekeeping(self) -> None:
        """After the window is shown: the daily backup (worker) and the integrity quick check
        (its own read-only connection on its own thread, so writes never wait for it)."""
        self.jobs.submit(lambda lib, p, c: (lib.daily_backup(), lib.backup_warning),
                         self._backup_done, self._backup_failed, label="Daily backup",
                         cancel_on_stop=True)
        self._quick_check = QuickCheck(self.library.path, self)
        self._quick_check.done.connect(self._quick_check_done)
        self._quick_check.start()

    def _backup_done(self, result: Any) -> None:
        _made, warning = result
        if warning:
            self.status_label.setText(str(warning))
        self.housekeeping_done.emit("backup")

    def _backup_failed(self, message: str) -> None:
        self.status_label.setText(f"The daily backup failed: {message}")
        self.housekeeping_done.emit("backup")

    def _quick_check_done(self, problems: list[str]) -> None:
        self._quick_check = None
        self.housekeeping_done.emit("check")
        if problems:
            self.offer_recovery("; ".join(problems[:5]))

    def offer_recovery(self, problem: str) -> None:
        """The open library is damaged: offer its newest good backup or a new library."""
        path = self.library.path
        backup = Library.newest_good_backup(path)
        choice = recovery.ask_recovery(self, path, problem, backup, can_continue=True)
        if choice != recovery.NOT_NOW:
            self.reopen(lambda: recovery.carry_out(choice, path, backup))

    def restore_from_backup(self) -> None:
        """File → Restore from backup…: list the dated backups and restore the chosen one."""
        chosen = recovery.choose_backup(self, self.library.list_backups())
        if chosen is None:
            return
        path = self.library.path
        self.reopen(lambda: recovery.carry_out(recovery.RESTORE, path, chosen))

    def reopen(self, change: Callable[[], str]) -> None:
        """Close every connection to the library, run ``change`` on the file, open it again.

        The note being typed is saved first (the worker runs queued writes before it stops).
        """
        self.note_editor.flush()
        self.read_timer.stop()
        if self._quick_check is not None:
            self._quick_check.wait()
            self._quick_check = None
        self.jobs.shutdown()
        self.jobs.deleteLater()
        self._long_job = None
        path = self.library.path
        self.library.close()
        message = ""
        try:
            message = change()
        except BroadsheetError as exc:
            message = f"Nothing was changed: {exc}"
            self._warn("Restore", str(exc))
        self.library = Library.open(path, defer_housekeeping=True)
        self.pager.set_fetchers(self.library.story_page, self.library.versions)
        self.jobs = self._start_jobs()
        self._unique_cache.clear()
        self._current_story = None
        self.note_editor.set_story(None, "")
        self.reading.clear()
        self._hide_progress()
        self.reload_stories()
        self._update_welcome()
        self.refresh_counts()
        if message:
            self.status_label.setText(message)
        self.library_reopened.emit(message)

    # ================================================================= actions

    def _action(
        self, text: str, slot: Callable[[], Any], keys: Sequence[str] = (), tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work wherever the focus is in the window
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_import = a("&Import…", self.import_dialog, ["Ctrl+I"], "Import dump files")
        self.act_sample = a("Open the &sample library", self.open_sample)
        self.act_export_view = a("Export current &view…", self.export_view, ["Ctrl+E"])
        self.act_export_all = a("Export whole &library…", self.export_all, ["Ctrl+Shift+E"])
        self.act_restore = a("&Restore from backup…", self.restore_from_backup)
        self.act_export_notes = a("Export &notes…", self.export_notes)
        self.act_notes = self.notes_dock.toggleViewAction()
        self.act_notes.setText("&Notes list")
        self.act_notes.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.addAction(self.act_notes)
        self.act_add_feed = a("&Add feed…", self.add_feed_dialog)
        self.act_refresh_feeds = a("&Refresh all feeds", self.refresh_all_feeds, ["F5"])
        self.act_refresh_feed = a("Refresh this feed", self.refresh_selected_feed)
        self.act_remove_feed = a("Remove this feed…", self.remove_selected_feed)
        self.act_import_opml = a("&Import subscriptions (OPML)…", self.import_opml)
        self.act_export_opml = a("&Export subscriptions (OPML)…", self.export_opml)
        self.act_schedule = a("Refresh feeds on a &schedule", self._schedule_toggled)
        self.act_schedule.setCheckable(True)
        self.act_feed_settings = a("Feed se&ttings…", self.open_feed_settings)
        self.act_quit = a("&Quit", self.close, ["Ctrl+Q"])
        self.act_next = a("Next story", self.next_story, ["J", "N"])
        self.act_prev = a("Previous story", self.previous_story, ["K", "P"])
        self.act_space = a("Page down, then next story", self.space, ["Space"])
        self.act_toggle_read = a("Toggle &read", self.toggle_read, ["M"], "Mark read/unread (m)")
        self.act_star = a("&Star", self.toggle_star, ["S"], "Star or unstar (s)")
        self.act_story_read = a("Mark story read", self.mark_story_read, ["Shift+M"],
                                "Mark every version of the story read (Shift+M)")
        self.act_search = a("Search", self.focus_search, ["/", "Ctrl+F"])
        self.act_clear = a("Clear search", self.clear_search, ["Esc"])
        self.act_note = a("Focus the &note", self.focus_note, ["Ctrl+N", "Shift+N"])
        self.act_quote = self.reading.quote_action
        self.addAction(self.act_quote)
        self.act_bigger = a("Larger text", lambda: self.zoom(1), ["Ctrl+=", "Ctrl++"])
        self.act_smaller = a("Smaller text", lambda: self.zoom(-1), ["Ctrl+-"])
        self.act_prev_version = a("Previous version", self.reading.previous_version, ["["])
        self.act_next_version = a("Next version", self.reading.next_version, ["]"])
        self.act_highlight = a("Highlight only-in-this-version", self._toggle_highlight, ["H"])
        self.act_split = a("Split version out", self.split_version, ["Ctrl+Shift+X"])
        self.act_merge = a("Merge selected stories", self.merge_selected, ["Ctrl+Shift+M"])
        self.act_move = a("Move version to story…", self.move_version, ["Ctrl+Shift+V"])
        self.act_regroup = a("Regroup library", self.regroup)
        self.act_topics = a("Edit &topics…", self.edit_topics, ["Ctrl+T"])
        self.act_retopic = a("Re-evaluate topics", self.reassign_topics)
        self.act_shortcuts = a("&Keyboard Shortcuts", self.show_shortcuts, ["F1"])
        self.act_about = a("&About Broadsheet", self.about)

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for act in (self.act_import, self.act_sample, None, self.act_export_view,
                    self.act_export_all, self.act_export_notes, None, self.act_restore, None,
                    self.act_quit):
            file_menu.addSeparator() if act is None else file_menu.addAction(act)
        article_menu = bar.addMenu("&Article")
        for act in (self.act_next, self.act_prev, self.act_toggle_read, self.act_star,
                    self.act_story_read, None, self.act_prev_version, self.act_next_version,
                    self.act_highlight, None, self.act_quote, self.act_note):
            article_menu.addSeparator() if act is None else article_menu.addAction(act)
        story_menu = bar.addMenu("&Stories")
        for act in (self.act_split, self.act_merge, self.act_move, None, self.act_regroup):
            story_menu.addSeparator() if act is None else story_menu.addAction(act)
        view_menu = bar.addMenu("&View")
        for act in (self.act_search, self.act_clear, None, self.act_bigger, self.act_smaller,
                    None, self.act_notes):
            view_menu.addSeparator() if act is None else view_menu.addAction(act)
        feeds_menu = bar.addMenu("F&eeds")
        for act in (self.act_add_feed, self.act_refresh_feeds, None, self.act_import_opml,
                    self.act_export_opml, None, self.act_schedule, self.act_feed_settings):
            feeds_menu.addSeparator() if act is None else feeds_menu.addAction(act)
        topics_menu = bar.addMenu("&Topics")
        topics_menu.addAction(self.act_topics)
        topics_menu.addAction(self.act_retopic)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_about)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        for act in (self.act_import, None, self.act_toggle_read, self.act_star,
                    self.act_story_read, None, self.act_topics, self.act_export_view):
            toolbar.addSeparator() if act is None else toolbar.addAction(act)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        rows = []
        for action in self.actions():
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            if keys:
                rows.append((" or ".join(keys), action.text().replace("&", "")))
        rows.append(("↑ ↓ ← →", "Move in any list; expand or collapse a story"))
        return rows

    def _connect(self) -> None:
        self.library_view.selectionModel().currentChanged.connect(self._filter_changed)
        self.stories.query_changed.connect(self.reload_stories)
        self.stories.tree.selectionModel().currentChanged.connect(self._story_current_changed)
        self.stories.tree.customContextMenuRequested.connect(self._stories_menu)
        self.reading.version_requested.connect(self.open_article)
        self.reading.highlight_toggled.connect(self._highlight_changed)
        self.reading.quote_requested.connect(self.quote_in_note)
        self.note_editor.save_requested.connect(self._save_note)

    # ================================================================= settings

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        for key, splitter in (("window/splitter", self.splitter),
                              ("window/reading_splitter", self.reading.splitter)):
            state = s.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.act_schedule.blockSignals(True)
        self.act_schedule.setChecked(str(s.value("feeds/scheduled", "false")).lower() == "true")
        self.act_schedule.blockSignals(False)
        self._apply_schedule()
        header = s.value("stories/header")
        if isinstance(header, QByteArray):
            self.stories.tree.header().restoreState(header)
        self.stories.blockSignals(True)
        self.stories.set_sort(str(s.value("filter/sort", StorySort.DATE.value)))
        self.stories.set_read(str(s.value("filter/read", ReadFilter.ALL.value)))
        self.stories.blockSignals(False)
        self._filter = FilterKey.decode(str(s.value("filter/key", "all:0")))
        self._select_filter(self._filter)
        size = _number(s.value("reading/point_size"))
        if size is not None:
            self.reading.set_point_size(size)
        self.reading.highlight_box.setChecked(
            str(s.value("reading/highlight", "true")).lower() == "true"
        )

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/reading_splitter", self.reading.splitter.saveState())
        s.setValue("stories/header", self.stories.tree.header().saveState())
        s.setValue("filter/key", self._filter.encode())
        s.setValue("filter/sort", self.stories.sort_value().value)
        s.setValue("filter/read", self.stories.read_value().value)
        s.setValue("reading/point_size", self.reading.point_size())
        s.setValue("reading/highlight", "true" if self.reading.highlight_box.isChecked()
                   else "false")
        s.sync()

    def mark_read_delay(self) -> int:
        value = _number(self.settings.value("reading/mark_read_ms", MARK_READ_DELAY_MS))
        return MARK_READ_DELAY_MS if value is None else max(0, int(value))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.note_editor.flush()
        if self._quick_check is not None:
            self._quick_check.wait()
        self.save_settings()
        self.read_timer.stop()
        self.jobs.shutdown()  # runs queued writes (the note save) before the thread ends
        super().closeEvent(event)

    # ================================================================= filter & list

    def current_query(self) -> StoryQuery:
        query = StoryQuery(
            read=self.stories.read_value(),
            sort=self.stories.sort_value(),
            search=self.stories.search.text().strip(),
        )
        return dataclasses.replace(query, **self._filter.apply(query))

    def _select_filter(self, key: FilterKey) -> None:
        index = self.library_model.find(key)
        if index.isValid():
            self.library_view.selectionModel().blockSignals(True)
            self.library_view.setCurrentIndex(index)
            self.library_view.selectionModel().blockSignals(False)

    def _filter_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        raw = current.data(FILTER_ROLE)
        if not raw:
            return
        self._filter = FilterKey.decode(str(raw))
        self.reload_stories()

    def set_filter(self, key: FilterKey) -> None:
        """Select a left-hand entry programmatically (tests, restore)."""
        self._filter = key
        self._select_filter(key)
        self.reload_stories()

    def reload_stories(self) -> None:
        keep = self._current_story
        try:
            self.stories_model.reset(self.current_query())
        except BroadsheetError as exc:  # e.g. a search query that does not parse
            self.status_label.setText(str(exc))
            self.stories_model.reset(dataclasses.replace(self.current_query(), search=""))
        if keep is not None:
            row = self.stories_model.row_of_story(keep)
            if row is not None:
                tree = self.stories.tree
                tree.selectionModel().blockSignals(True)
                tree.setCurrentIndex(self.stories_model.index(row, 0))
                tree.selectionModel().blockSignals(False)
        self.stories_reloaded.emit()

    def _update_welcome(self) -> None:
        empty = not self.library.story_page(StoryQuery(), None, 1)
        self.stack.setCurrentWidget(self.welcome if empty else self.splitter)

    def refresh_counts(self) -> None:
        """Left-pane counts are aggregate reads: computed on the worker, shown here."""

        def job(lib: Library, _p: Progress, _c: CancelCheck) -> tuple[Any, ...]:
            return lib.sources(), lib.topics(), lib.facets(), lib.feeds()

        self.jobs.submit(job, self._counts_ready, self._counts_failed, label="Counting")

    def _counts_ready(self, result: Any) -> None:
        sources, topics, facets, feeds = result
        self._topics = list(topics)
        self.library_model.set_feeds(feeds)
        self.library_model.set_sources(sources)
        self.library_model.set_topics(topics)
        self.library_model.set_facets(facets)
        self.library_view.expandAll()
        self._select_filter(self._filter)
        if self._topics_dialog is not None:
            self._topics_dialog.set_topics(self._topics)
        self.feeds_refreshed.emit()

    def _counts_failed(self, message: str) -> None:
        self.status_label.setText(f"Could not count the library: {message}")

    # ================================================================= selection & reading

    def _story_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.stories_model.item(current)
        if isinstance(item, StoryRow):
            self.open_article(item.headline_article_id)
        elif isinstance(item, VersionRow):
            self.open_article(item.article_id)

    def open_article(self, article_id: int) -> None:
        try:
            article = self.library.article(article_id)
            versions = self.library.versions(article.story_id)
        except BroadsheetError as exc:
            self.reading.clear(str(exc))
            return
        self._show(article, versions)

    def _unique_spans(self, article: Article, versions: list[VersionRow]) -> list[tuple[int, int]]:
        if len(versions) <= 1:
            return []
        if article.id not in self._unique_cache:
            try:
                spans = self.library.unique_sentences(article.id)
            except BroadsheetError:
                spans = []
            self._unique_cache[article.id] = [(s.start, s.end) for s in spans]
        return self._unique_cache[article.id]

    def _show(self, article: Article, versions: list[VersionRow]) -> None:
        html = self.library.article_html(article.id)
        spans = self._unique_spans(article, versions) if html is None else []
        self.reading.show_article(article, versions, spans, html)
        if article.story_id != self._current_story:
            self.note_editor.flush()
            self._current_story = article.story_id
            note = self.library.note(article.story_id)
            self.note_editor.set_story(article.story_id, note.body if note else "")
        self.read_timer.stop()
        if not article.read:
            self.read_timer.start(self.mark_read_delay())
        self.article_shown.emit(article.id)

    def _mark_current_read(self) -> None:
        article = self.reading.article
        if article is not None and not article.read and not self.library.read_only:
            ids = [article.id]
            self.jobs.submit(lambda lib, p, c: lib.mark_read(ids, True), self.apply_changes,
                             label="Marking read")

    def _highlight_changed(self, _on: bool) -> None:
        if self.reading.article is not None:
            self.open_article(self.reading.article.id)

    def _toggle_highlight(self) -> None:
        self.reading.highlight_box.toggle()

    # ================================================================= changes

    def apply_changes(self, result: Any) -> None:
        """Refresh what a write changed (each pane decides)."""
        changes = result if isinstance(result, Changes) else Changes(stories=True)
        if changes.stories or changes.articles or changes.notes:
            ids = list(changes.story_ids)
            if ids and len(ids) <= PATCH_LIMIT:
                rows = []
                for story_id in ids:
                    with contextlib.suppress(BroadsheetError):  # deleted meanwhile
                        rows.append(self.library.story_row(story_id))
                self.stories_model.refresh_stories(rows)
            elif changes.stories:
                self.reload_stories()
        article = self.reading.article
        if article is not None and (not changes.story_ids or article.story_id in
                                    changes.story_ids):
            try:
                fresh = self.library.article(article.id)
                self.reading.article = fresh
                self.reading.versions = self.library.versions(fresh.story_id)
            except BroadsheetError:
                pass
        if changes.topics or changes.sources or changes.articles:
            self.refresh_counts()
        if changes.notes:
            self.refresh_notes()
        self.changes_applied.emit()

    def _structure_changed(self, result: Any) -> None:
        """After merge/split/move/regroup: reload the list and the open article."""
        self._unique_cache.clear()
        self.reload_stories()
        self.refresh_counts()
        if self.reading.article is not None:
            self._current_story = None
            self.open_article(self.reading.article.id)
        self.changes_applied.emit()

    # ================================================================= read state & stars

    def selected_items(self) -> list[StoryRow | VersionRow]:
        indexes = self.stories.tree.selectionModel().selectedRows(0)
        items = [self.stories_model.item(i) for i in indexes]
        return [i for i in items if i is not None]

    def toggle_read(self) -> None:
        article = self.reading.article
        if article is None:
            return
        self.read_timer.stop()
        ids, read = [article.id], not article.read
        self.jobs.submit(lambda lib, p, c: lib.mark_read(ids, read), self.apply_changes,
                         label="Marking")

    def toggle_star(self) -> None:
        article = self.reading.article
        if article is None:
            return
        ids, starred = [article.id], not article.starred
        self.jobs.submit(lambda lib, p, c: lib.set_starred(ids, starred), self.apply_changes,
                         label="Starring")

    def mark_story_read(self) -> None:
        stories = {i.id for i in self.selected_items() if isinstance(i, StoryRow)}
        if not stories and self._current_story is not None:
            stories = {self._current_story}
        self.read_timer.stop()
        ids = sorted(stories)

        def job(lib: Library, _p: Progress, _c: CancelCheck) -> Changes:
            return _merge_changes([lib.mark_story_read(story_id, True) for story_id in ids])

        if ids:
            self.jobs.submit(job, self.apply_changes, label="Marking story read")

    # ================================================================= navigation

    def _move_story(self, step: int) -> None:
        tree = self.stories.tree
        model = self.stories_model
        current = tree.currentIndex()
        if current.isValid() and current.parent().isValid():
            current = current.parent()
        row = current.row() + step if current.isValid() else 0
        if row >= model.rowCount() and model.canFetchMore(QModelIndex()):
            model.fetch_next_page()
        if 0 <= row < model.rowCount():
            index = model.index(row, 0)
            tree.setCurrentIndex(index)
            tree.scrollTo(index)

    def next_story(self) -> None:
        self._move_story(1)

    def previous_story(self) -> None:
        self._move_story(-1)

    def space(self) -> None:
        if not self.reading.page_down():
            self.next_story()

    def focus_search(self) -> None:
        self.stories.search.setFocus()
        self.stories.search.selectAll()

    def clear_search(self) -> None:
        if self.stories.search.text():
            self.stories.search.clear()
            self.stories.flush_search()
        self.stories.tree.setFocus()

    def focus_note(self) -> None:
        focus = getattr(self.note_editor, "start_editing", None) or getattr(
            self.note_editor, "focus_editor", None
        )
        if callable(focus):
            focus()
        else:
            self.note_editor.setFocus()

    def zoom(self, steps: int) -> None:
        self.reading.zoom(steps)

    # ================================================================= notes

    def _save_note(self, story_id: int, text: str) -> None:
        saver = _NoteSaved(self, story_id)
        self.jobs.submit(lambda lib, p, c: lib.save_note(story_id, text),
                         saver.done, saver.failed, label="Saving note")

    def quote_in_note(self) -> None:
        article = self.reading.article
        passage = self.reading.selected_text().strip()
        if article is None or not passage:
            self.status_label.setText("Select some text in the article to quote it.")
            return
        self.note_editor.append_quote(format_quote(passage, article.source, article.published))

    # ================================================================= story operations

    def split_version(self) -> None:
        items = self.selected_items()
        article_id = next((i.article_id for i in items if isinstance(i, VersionRow)), None)
        if article_id is None and self.reading.article is not None:
            article_id = self.reading.article.id
        if article_id is None:
            return
        aid = article_id
        self.jobs.submit(lambda lib, p, c: lib.split_article(aid),
                         self._structure_changed, self._operation_failed,
                         label="Splitting")

    def merge_selected(self) -> None:
        stories = [i.id for i in self.selected_items() if isinstance(i, StoryRow)]
        if len(stories) < 2:
            self._warn("Merge stories", "Select two or more stories to merge (Ctrl+click).")
            return
        target, others = stories[0], stories[1:]

        def job(lib: Library, _p: Progress, _c: CancelCheck) -> Any:
            result: Any = None
            for other in others:
                result = lib.merge_stories(target, other)
            return result

        self.jobs.submit(job, self._structure_changed, self._operation_failed, label="Merging")

    def move_version(self) -> None:
        items = self.selected_items()
        version = next((i for i in items if isinstance(i, VersionRow)), None)
        article_id = version.article_id if version else (
            self.reading.article.id if self.reading.article else None)
        if article_id is None:
            return
        candidates = [r for r in self.pager.rows if r.id != self._current_story][:300]
        if not candidates:
            return
        labels = [f"{r.headline}  [{r.id}]" for r in candidates]
        choice, ok = QInputDialog.getItem(self, "Move version", "Move this version to:",
                                          labels, 0, False)
        if not ok:
            return
        target = candidates[labels.index(choice)].id
        aid = article_id
        self.jobs.submit(lambda lib, p, c: lib.move_article(aid, target),
                         self._structure_changed, self._operation_failed, label="Moving")

    def regroup(self) -> None:
        self._start_long(lambda lib, p, c: run_in_child(lib.path, "regroup", (), p, c),
                         "Regrouping", self._structure_changed)

    def reassign_topics(self) -> None:
        self._start_long(lambda lib, p, c: run_in_child(lib.path, "reassign_topics", (), p, c),
                         "Re-evaluating topics", self._structure_changed)

    def _operation_failed(self, message: str) -> None:
        self._warn("Could not do that", message)

    def _stories_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        for act in (self.act_toggle_read, self.act_star, self.act_story_read, None,
                    self.act_split, self.act_merge, self.act_move):
            menu.addSeparator() if act is None else menu.addAction(act)
        menu.exec(self.stories.tree.viewport().mapToGlobal(pos))

    def _library_menu(self, pos: Any) -> None:
        index = self.library_view.indexAt(pos)
        key = FilterKey.decode(str(index.data(FILTER_ROLE) or ""))
        menu = QMenu(self)
        feed = index.data(FEED_ROLE)
        group = index.data(GROUP_ROLE)
        if isinstance(feed, int) or group == "feed":
            self._context_feed = feed if isinstance(feed, int) else None
            if isinstance(feed, int):
                menu.addAction(self.act_refresh_feed)
                menu.addAction(self.act_remove_feed)
                menu.addSeparator()
            for act in (self.act_add_feed, self.act_refresh_feeds, None,
                        self.act_import_opml, self.act_export_opml):
                menu.addSeparator() if act is None else menu.addAction(act)
        elif key.kind == "entity":
            self._context_entity = key.id
            hide = menu.addAction("Hide this name")
            hide.triggered.connect(self.hide_context_entity)
            menu.addAction(self.act_topics)
        else:
            menu.addAction(self.act_topics)
        menu.exec(self.library_view.viewport().mapToGlobal(pos))
        self._context_feed = None

    def hide_context_entity(self) -> None:
        """Hide the people & places entry the context menu was opened on (on the worker)."""
        entity = self._context_entity
        if entity is None:
            return
        self.jobs.submit(
            lambda lib, p, c: lib.hide_facet(entity), self.apply_changes, label="Hiding"
        )

    # ================================================================= topics

    def edit_topics(self) -> None:
        if self._topics_dialog is None:
            self._topics_dialog = TopicsDialog(self._topics, self._save_topic,
                                               self._delete_topic, self)
        self._topics_dialog.show()
        self._topics_dialog.raise_()

    def _topic_name(self, topic_id: int) -> str | None:
        return next((t.name for t in self._topics if t.id == topic_id), None)

    def _save_topic(self, name: str, rule: str, topic_id: int | None) -> None:
        old = self._topic_name(topic_id) if topic_id is not None else None
        if old is None:
            job: Any = lambda lib, p, c: lib.add_topic(name, rule, p, c)  # noqa: E731
        else:
            new_name = name if name != old else None
            job = lambda lib, p, c: lib.edit_topic(old, rule, new_name, p, c)  # noqa: E731
        self._start_long(job, f"Saving topic {name}", self._topic_saved, self._topic_failed)

    def _delete_topic(self, topic_id: int) -> None:
        name = self._topic_name(topic_id)
        if name is None:
            return
        self.jobs.submit(lambda lib, p, c: lib.remove_topic(name), self._topic_saved,
                         self._topic_failed, label="Deleting topic")

    def _topic_saved(self, _result: Any) -> None:
        self.refresh_counts()
        self.reload_stories()

    def _topic_failed(self, message: str) -> None:
        if self._topics_dialog is not None:
            self._topics_dialog.show_error(message)
        else:
            self._warn("Topic not saved", message)

    # ================================================================= import

    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import files", str(Path.home()),
            "News dumps (*.txt *.text *.jsonl *.json *.xml *.rss *.atom);;All files (*)",
        )
        if paths:
            self.start_import([Path(p) for p in paths])

    def open_sample(self) -> None:
        """Import the bundled fictional sample into the current library.

        Importing (rather than switching to a separate sample library) keeps one library and
        one place for the user's notes; the sample's sources are clearly named, and the user
        can import their own files next to it.
        """
        folder = resource_path("sample")
        if not folder.is_dir():
            self._warn("Sample library", f"The sample files are missing: {folder}")
            return
        self.start_import([folder])

    def start_import(self, paths: Sequence[Path]) -> None:
        chosen = list(paths)
        self._start_long(lambda lib, p, c: run_in_child(lib.path, "import_paths", (chosen,), p, c),
                         "Importing",
                         self._import_done, self._import_failed)

    def _import_done(self, report: Any) -> None:
        self._unique_cache.clear()
        self._update_welcome()
        self.reload_stories()
        self.refresh_counts()
        if isinstance(report, ImportReport):
            # The work is done: no 100% bar or Cancel button behind the summary.
            self._hide_progress()
            plain.message(self, "Import finished", import_summary(report))
        self.import_finished.emit(report)

    def _import_failed(self, message: str) -> None:
        self._warn("Import failed", message)
        self.reload_stories()
        self.import_finished.emit(None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        urls: list[QUrl] = event.mimeData().urls()
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.start_import(paths)

    # ================================================================= export

    def _ask_export_path(self, title: str) -> tuple[Path, str] | None:
        path, chosen = QFileDialog.getSaveFileName(
            self, title, str(Path.home() / "broadsheet-export.jsonl"),
            "JSON Lines (*.jsonl);;Markdown (*.md)",
        )
        if not path:
            return None
        fmt = "markdown" if path.endswith(".md") or "Markdown" in chosen else "jsonl"
        return Path(path), fmt

    def export_all(self) -> None:
        target = self._ask_export_path("Export the whole library")
        if target is not None:
            self._export(target[0], target[1], None)

    def export_view(self) -> None:
        target = self._ask_export_path("Export the current view")
        if target is not None:
            self._export(target[0], target[1], self.current_query())

    def _export(self, path: Path, fmt: str, query: StoryQuery | None) -> None:
        topic = None
        if query is not None and query.topic_id is not None and query == StoryQuery(
            topic_id=query.topic_id, sort=query.sort
        ):
            topic = self._topic_name(query.topic_id)
            query = None  # the core streams one topic directly

        def job(lib: Library, progress: Progress, cancelled: CancelCheck) -> int:
            rows = lib.export_rows(topic) if query is None else _view_rows(lib, query, cancelled)
            tmp = path.with_name(path.name + ".part")
            try:
                with tmp.open("w", encoding="utf-8") as out:
                    count = export_writers.write(fmt, rows, out)
                tmp.replace(path)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise BroadsheetError(f"{path}: cannot write the export ({exc.strerror})") from exc
            return count

        self._start_long(job, "Exporting", functools.partial(self._export_done, path))

    def _export_done(self, path: Path, count: Any) -> None:
        # The path travels with the job: a second export cannot make this message stale.
        self.status_label.setText(f"Exported {count} article(s) to {path}")

    def export_notes(self) -> None:
        """File → Export notes…: one Markdown file per noted story into a folder."""
        folder = QFileDialog.getExistingDirectory(self, "Export notes to a folder",
                                                  str(Path.home()))
        if not folder:
            return
        target = Path(folder)
        self._start_long(lambda lib, p, c: lib.export_notes(target), "Exporting notes",
                         functools.partial(self._notes_exported, target))

    def _notes_exported(self, folder: Path, written: Any) -> None:
        count = len(written) if isinstance(written, list) else 0
        self.status_label.setText(f"Exported {count} note file(s) to {folder}")
        self.notes_exported.emit(written)

    # ================================================================= notes list

    def refresh_notes(self) -> None:
        """Refill the notes list (read on the worker: it joins every note's headline)."""

        def job(lib: Library, _p: Progress, _c: CancelCheck) -> list[NoteEntry]:
            return note_entries(lib.notes(), lib.note_snippet)

        self.jobs.submit(job, self._notes_ready, self._counts_failed, label="Listing notes")

    def _notes_ready(self, entries: Any) -> None:
        self.notes_pane.set_entries(list(entries))
        self.notes_refreshed.emit()

    def open_story(self, story_id: int) -> None:
        """Open a story by id (notes list): select it in the list if loaded, show it."""
        try:
            row = self.library.story_row(story_id)
        except BroadsheetError as exc:
            self.status_label.setText(str(exc))
            return
        position = self.stories_model.row_of_story(story_id)
        if position is not None:
            index = self.stories_model.index(position, 0)
            self.stories.tree.setCurrentIndex(index)  # opens it via currentChanged
            self.stories.tree.scrollTo(index)
            if self.reading.article is not None and self.reading.article.story_id == story_id:
                return
        self.stack.setCurrentWidget(self.splitter)
        self.open_article(row.headline_article_id)

    # ================================================================= feeds

    def _image_for(self, src: str) -> Path | None:
        return self.library.image_path(src)

    def selected_feed(self) -> int | None:
        """The feed a context menu was opened on, else the current left-pane entry's."""
        if self._context_feed is not None:
            return self._context_feed
        feed = self.library_view.currentIndex().data(FEED_ROLE)
        return feed if isinstance(feed, int) else None

    def add_feed_dialog(self) -> None:
        url, ok = QInputDialog.getText(self, "Add feed", "Feed address (https://…):")
        url = url.strip()
        if not ok or not url:
            return
        self.jobs.submit(lambda lib, p, c: self._add_and_refresh(lib, url, p, c),
                         self._feeds_changed, self._feed_failed, label="Adding feed")

    @staticmethod
    def _add_and_refresh(lib: Library, url: str, progress: Progress,
                         cancelled: CancelCheck) -> Any:
        """Worker side of Add feed: subscribe, then fetch it at once."""
        info = lib.add_feed(url)
        return lib.refresh_feeds([info.id], progress, cancelled)

    def refresh_all_feeds(self) -> None:
        self.refresh_feeds(None)

    def refresh_selected_feed(self) -> None:
        feed = self.selected_feed()
        if feed is not None:
            self.refresh_feeds([feed])

    def refresh_feeds(self, ids: list[int] | None, *, quiet: bool = False) -> None:
        """Fetch feeds on the worker (the window stays responsive; Cancel stops it)."""
        if self._long_job is not None:
            if not quiet:
                self.status_label.setText("Another long operation is running; try again after.")
            return
        chosen = list(ids) if ids is not None else None
        self._start_long(lambda lib, p, c: lib.refresh_feeds(chosen, p, c),
                         "Refreshing feeds", self._feeds_changed, self._feed_failed)

    def remove_selected_feed(self) -> None:
        feed = self.selected_feed()
        if feed is None:
            return
        answer = plain.message(
            self, "Remove feed",
            "Unsubscribe from this feed? Its articles stay in the library.",
            plain.Icon.Question, plain.Button.Yes | plain.Button.No,
        )
        if answer != plain.Button.Yes:
            return
        self.jobs.submit(lambda lib, p, c: lib.remove_feed(feed), self._feeds_changed,
                         self._feed_failed, label="Removing feed")

    def import_opml(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import subscriptions", str(Path.home()),
                                              "OPML (*.opml *.xml);;All files (*)")
        if path:
            source = Path(path)
            self.jobs.submit(lambda lib, p, c: lib.import_opml(source), self._feeds_changed,
                             self._feed_failed, label="Importing subscriptions")

    def export_opml(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export subscriptions", str(Path.home() / "broadsheet-feeds.opml"),
            "OPML (*.opml)")
        if path:
            target = Path(path)
            self.jobs.submit(lambda lib, p, c: lib.export_opml(target), self._opml_written,
                             self._feed_failed, label="Exporting subscriptions")

    def _opml_written(self, count: Any) -> None:
        self.status_label.setText(f"Exported {count} subscription(s)")
        self.feed_job_done.emit(count)

    def _feeds_changed(self, result: Any) -> None:
        outcomes = [o for o in result if isinstance(o, FeedOutcome)] if isinstance(
            result, list) else []
        if outcomes:
            added = sum(o.added for o in outcomes)
            failed = [o for o in outcomes if not o.ok]
            text = f"Feeds refreshed: {added} new article(s)"
            if failed:
                text += f"; {len(failed)} feed(s) failed (see their tooltips)"
            self.status_label.setText(text)
            if added or any(o.updated for o in outcomes):
                self._unique_cache.clear()
                self.reload_stories()
                self._update_welcome()
        self.refresh_counts()
        self.feed_job_done.emit(result)

    def _feed_failed(self, message: str) -> None:
        self.status_label.setText(f"Feeds: {message}")
        self.refresh_counts()
        self.feed_job_done.emit(None)

    def _schedule_toggled(self) -> None:
        self.settings.setValue("feeds/scheduled",
                               "true" if self.act_schedule.isChecked() else "false")
        self._apply_schedule()

    def _apply_schedule(self) -> None:
        """Optional periodic refresh while the app runs (off by default); the interval is
        the QSettings value ``feeds/interval_minutes`` (default 60, at least 5)."""
        if not self.act_schedule.isChecked():
            self.feed_timer.stop()
            return
        minutes = _number(self.settings.value("feeds/interval_minutes", FEED_INTERVAL_MIN))
        interval = max(5.0, minutes if minutes is not None else FEED_INTERVAL_MIN)
        self.feed_timer.start(int(interval * 60_000))

    def _scheduled_refresh(self) -> None:
        self.refresh_feeds(None, quiet=True)

    def open_feed_settings(self) -> FeedSettingsDialog:
        """Image cache cap and per-feed image caching (reader.gui.feeds_settings)."""
        previous = getattr(self, "feed_settings", None)
        if previous is not None:
            previous.deleteLater()
        dialog = FeedSettingsDialog(self.library, self.jobs, self)
        dialog.applied.connect(self._feeds_changed)
        dialog.failed.connect(self._feed_failed)
        dialog.open()
        self.feed_settings = dialog
        return dialog

    # ================================================================= long jobs

    def _start_long(
        self, job: Any, label: str, done: Callable[[Any], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Run a long job with progress and Cancel in the status bar (one at a time)."""
        if self._long_job is not None:
            self._warn(label, "Another long operation is running; wait or cancel it first.")
            return
        self._long_job = self.jobs.submit(job, done, failed, label=label, long=True)
        self.progress.setRange(0, 0)
        self.progress.setFormat(label)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.status_label.setText(f"{label}…")

    def _long_started(self, job_id: int, label: str) -> None:
        self.status_label.setText(f"{label}…")

    def _long_progress(self, job_id: int, label: str, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress.setFormat("%p%")
        else:
            self.progress.setRange(0, 0)
        self.status_label.setText(message or label)

    def _hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()

    def cancel_long_job(self) -> None:
        if self._long_job is not None:
            self.jobs.cancel(self._long_job)
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling…")

    def _job_finished(self, job_id: int) -> None:
        if job_id == self._long_job:
            self._long_job = None
            self._hide_progress()
            if self.status_label.text().endswith("…"):
                self.status_label.setText("Ready")

    def _job_failed(self, label: str, message: str) -> None:
        self._warn(label or "Broadsheet", message)

    def _job_cancelled(self, label: str) -> None:
        self.status_label.setText(f"{label or 'Operation'} cancelled")

    # ================================================================= help

    def show_shortcuts(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard Shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_text(self.shortcut_rows()))
        box.open()
        self._shortcuts_box = box

    def about(self) -> None:
        from reader import __version__

        QMessageBox.about(self, "About Broadsheet",
                          f"Broadsheet {__version__}\nAn offline news reader.\n"
                          f"Library: {self.library.path}")

    def _warn(self, title: str, message: str) -> None:
        print(f"broadsheet: {title}: {message}", file=sys.stderr)
        plain.message(self, title, message, plain.Icon.Warning)


def _number(value: object) -> float | None:
    """A QSettings value as a number (INI backends hand back strings), None if it is not one."""
    if isinstance(value, (int, float, str)):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _merge_changes(parts: Sequence[Changes]) -> Changes:
    """One Changes for several writes done as one user action."""
    flags = {
        f.name: any(getattr(c, f.name) for c in parts)
        for f in dataclasses.fields(Changes) if f.name != "story_ids"
    }
    ids = tuple(dict.fromkeys(i for c in parts for i in c.story_ids))
    return Changes(**flags, story_ids=ids)


class _NoteSaved:
    """Routes one note save's result back to the editor (GUI thread)."""

    def __init__(self, window: MainWindow, story_id: int) -> None:
        self.window = window
        self.story_id = story_id

    def done(self, result: Any) -> None:
        self.window.note_editor.mark_saved(self.story_id)
        self.window.apply_changes(result)

    def failed(self, message: str) -> None:
        self.window.note_editor.mark_failed(self.story_id, message)


def _view_rows(lib: Library, query: StoryQuery, cancelled: CancelCheck) -> Any:
    """Export rows for an arbitrary view: walk its stories page by page, then their versions."""
    after: tuple[object, ...] | None = None
    while True:
        page = lib.story_page(query, after, 200)
        for story in page:
            if cancelled():
                return
            note = lib.note(story.id)
            for version in lib.versions(story.id):
                art = lib.article(version.article_id)
                yield {
                    "id": art.id, "title": art.title, "body": art.body, "source": art.source,
                    "published": art.published.isoformat() if art.published else None,
                    "published_inferred": art.published_inferred, "url": art.url,
                    "story": art.story_id, "topics": list(art.topics), "read": art.read,
                    "starred": art.starred, "note": note.body if note else None,
                    "author": art.author, "external_id": art.external_id,
                }
        if len(page) < 200:
            return
        after = page[-1].sort_key
