"""The Broadsheet window: library tree | stories | reading pane.

The window assembles the panes and small collaborators, each owning one concern:
:class:`~reader.gui.navigation.Navigator` (views, the list, moving between stories),
:class:`~reader.gui.read_state.ReadState` (read/star, mark all read with undo),
:class:`~reader.gui.import_flow.ImportFlow` (import, export),
:class:`~reader.gui.feeds_flow.FeedsFlow`, :class:`~reader.gui.notes_flow.NotesFlow`,
:class:`~reader.gui.story_ops.StoryOps` (grouping, topics),
:class:`~reader.gui.long_jobs.LongJobs`, :class:`~reader.gui.status.StatusBar` and
:class:`~reader.gui.library_watch.LibraryWatch` (changes made by other processes).

Reads (a page of stories, one article) run on the GUI thread against the window's own
:class:`Library`: small keyset queries that never hold a transaction open. Every write and
every long job goes through :class:`reader.gui.worker.Jobs` (one serial worker with its own
Library); results come back as :class:`Changes` and the window decides what to refresh.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QSplitter, QStackedWidget
from PySide6.QtWidgets import QTreeView as _Tree

from reader.errors import BroadsheetError
from reader.gui import actions, preferences, recovery, theme, window_settings
from reader.gui.dialogs import WelcomeView, shortcuts_text
from reader.gui.feeds_flow import FeedsFlow
from reader.gui.housekeeping import Housekeeping
from reader.gui.import_flow import ImportFlow
from reader.gui.library_watch import LibraryWatch
from reader.gui.long_jobs import LongJobs
from reader.gui.models import StoryTreeModel
from reader.gui.navigation import Navigator
from reader.gui.note_editor import NoteEditor
from reader.gui.notes_flow import NotesFlow
from reader.gui.notes_pane import NotesPane
from reader.gui.paging import StoryPager
from reader.gui.read_state import ReadState
from reader.gui.reading_pane import ReadingPane
from reader.gui.sidebar import CountDelegate, FilterKey, LibraryTreeModel
from reader.gui.status import StatusBar
from reader.gui.stories_pane import StoriesPane
from reader.gui.story_ops import StoryOps
from reader.gui.why_together import Explanations
from reader.gui.worker import Jobs
from reader.library import Library
from reader.progress import CancelCheck, Progress
from reader.types import Changes, SidebarCounts, StoryQuery, StoryRow, VersionRow

#: Above this many changed stories, reloading the page is cheaper than patching rows.
PATCH_LIMIT = 50


class MainWindow(QMainWindow, actions.ActionSlots):
    """Composes the three panes and the collaborators; owns the worker."""

    article_shown = Signal(int)  # after an article is shown (tests and benchmarks wait on it)
    stories_reloaded = Signal()  # after the stories list was reloaded for a new query
    changes_applied = Signal()  # after a write's Changes were applied to the panes
    import_finished = Signal(object)  # an import finished (report shown)
    housekeeping_done = Signal(str)  # a start-up chore ended: "backup" or "check"
    library_reopened = Signal(str)  # the library was closed, changed and opened again
    notes_exported = Signal(object)  # a notes export finished (the files written)
    notes_refreshed = Signal()  # the notes list was refilled
    feeds_refreshed = Signal()  # the sidebar was refilled
    feed_job_done = Signal(object)  # a feed job (add, remove, refresh) ended

    def __init__(self, library: Library, settings: QSettings | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or QSettings()
        self.setAcceptDrops(True)
        self.prefs = preferences.load(self.settings)
        self.has_feeds = False
        self._default_panes = True  # sized at the first show (window_settings.restore)
        self.library_has_stories = False
        self.counts: SidebarCounts | None = None
        self.status = StatusBar(self)
        self.status_label = self.status.label
        self.progress = self.status.progress
        self.long_jobs = LongJobs(self)
        self.jobs = self._start_jobs()

        self.library_model = LibraryTreeModel(self)
        self.library_view = _Tree()
        self.library_view.setModel(self.library_model)
        self.library_view.setHeaderHidden(True)
        self.library_view.setItemDelegate(CountDelegate(self.library_view))
        self.library_view.setAccessibleName("Library")
        self.library_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.stories = StoriesPane()
        self.pager = StoryPager(self.library.story_page, self.library.versions)
        self.stories_model = StoryTreeModel(self.pager, self)
        self.stories.tree.setModel(self.stories_model)
        self.stories.setup_columns()
        self.note_editor = NoteEditor()
        self.reading = ReadingPane(self.note_editor)
        self.reading.browser.image_resolver = lambda src: self.library.image_path(src)
        self.notes_pane = NotesPane()
        self.notes_dock = QDockWidget("Notes", self)
        self.notes_dock.setObjectName("notes-dock")
        self.notes_dock.setWidget(self.notes_pane)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.notes_dock)
        self.notes_dock.hide()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for pane in (self.library_view, self.stories, self.reading):
            self.splitter.addWidget(pane)
        # A window made bigger gives the room to the reader; the sidebar and the list keep the
        # widths they were given (their content does not need more).
        self.splitter.setStretchFactor(2, 1)
        self.welcome = WelcomeView()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.navigator = Navigator(self)
        self.read_state = ReadState(self)
        self.import_flow = ImportFlow(self)
        self.feeds = FeedsFlow(self)
        self.feed_timer = self.feeds.timer
        self.notes = NotesFlow(self)
        self.story_ops = StoryOps(self)
        self.watch = LibraryWatch(self)
        self.housekeeping = Housekeeping(self)
        self.explanations = Explanations(self)
        self.read_timer = self.read_state.timer
        actions.build(self)
        if library.read_only:
            recovery.mark_read_only(self)
        self._connect()
        self._restore_settings()
        self.reload_stories()
        self._update_welcome()
        self._update_title()
        QTimer.singleShot(0, self.refresh_counts)
        QTimer.singleShot(0, self.notes.refresh)
        self.watch.start()

    def _start_jobs(self) -> Jobs:
        jobs = Jobs(self.library.path, self)
        self.jobs = jobs
        self.long_jobs.attach()
        return jobs

    def _connect(self) -> None:
        nav = self.navigator
        self.library_view.selectionModel().currentChanged.connect(nav.filter_changed)
        self.library_view.customContextMenuRequested.connect(
            lambda pos: actions.library_menu(self, pos))
        self.stories.query_changed.connect(self.reload_stories)
        self.stories.tree.selectionModel().currentChanged.connect(nav.story_current_changed)
        self.stories.tree.selectionModel().selectionChanged.connect(self.update_actions)
        self.stories.tree.customContextMenuRequested.connect(
            lambda pos: actions.stories_menu(self, pos))
        self.reading.version_requested.connect(nav.open_article)
        self.reading.highlight_toggled.connect(nav.reopen_current)
        self.reading.quote_requested.connect(self.notes.quote)
        self.note_editor.save_requested.connect(self.notes.save)
        self.notes_pane.story_requested.connect(nav.open_story)
        self.welcome.import_requested.connect(self.import_flow.import_dialog)
        self.welcome.sample_requested.connect(self.import_flow.open_sample)

    # ================================================================= public verbs

    def current_query(self) -> StoryQuery:
        return self.navigator.current_query()

    def set_filter(self, key: FilterKey) -> None:
        self.navigator.set_filter(key)

    def reload_stories(self) -> None:
        self.navigator.reload()

    def open_article(self, article_id: int) -> None:
        self.navigator.open_article(article_id)

    def open_story(self, story_id: int) -> None:
        self.navigator.open_story(story_id)

    def start_import(self, paths: Any) -> None:
        self.import_flow.start(paths)

    def cancel_long_job(self) -> None:
        self.long_jobs.cancel()

    def selected_items(self) -> list[StoryRow | VersionRow]:
        indexes = self.stories.tree.selectionModel().selectedRows(0)
        items = [self.stories_model.item(i) for i in indexes]
        return [i for i in items if i is not None]

    def toggle_versions(self) -> None:
        tree = self.stories.tree
        index = tree.currentIndex()
        if index.parent().isValid():
            index = index.parent()
        if index.isValid():
            tree.setExpanded(index, not tree.isExpanded(index))

    def view_has_unread(self) -> bool:
        rows = self.stories_model.pager.rows
        return any(r.unread > 0 for r in rows) or not self.stories_model.pager.exhausted

    def update_actions(self, *_: Any) -> None:
        actions.update(self)

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
            with contextlib.suppress(BroadsheetError):
                fresh = self.library.article(article.id)
                self.reading.article = fresh
                self.reading.versions = self.library.versions(fresh.story_id)
        if changes.topics or changes.sources or changes.articles or changes.stories:
            self.refresh_counts()
        if changes.notes:
            self.notes.refresh()
        self.update_actions()
        self.changes_applied.emit()

    def library_changed(self, elsewhere: bool = False) -> None:
        """Articles came or went (an import, a feed, another process): refresh in place."""
        self.navigator.unique_cache.clear()
        self.explanations.forget()
        scroll = self.stories.tree.verticalScrollBar().value()
        self._update_welcome()
        self.reload_stories()
        self.stories.tree.verticalScrollBar().setValue(scroll)
        self.refresh_counts()
        self.notes.refresh()
        if elsewhere:
            self.status.show("The library was changed by another program; the lists are up "
                             "to date")

    def _update_welcome(self) -> None:
        self.library_has_stories = bool(self.library.story_page(StoryQuery(), None, 1))
        self.stack.setCurrentWidget(self.splitter if self.library_has_stories else self.welcome)
        self.update_actions()

    def _update_title(self) -> None:
        """One title: ``12 unread — library — Broadsheet`` (Qt adds nothing when the title
        already ends with the application's name)."""
        unread = self.counts.views["unread"].unread if self.counts else 0
        parts = [f"{unread:,} unread"] if unread else []
        parts += [self.library.path.stem, "Broadsheet"]
        self.setWindowTitle(" — ".join(parts))

    def refresh_counts(self) -> None:
        """Sidebar counts are aggregate reads: computed on the worker, shown here."""

        def job(lib: Library, _p: Progress, _c: CancelCheck) -> tuple[Any, ...]:
            return lib.sources(), lib.topics(), lib.facets(), lib.feeds(), lib.sidebar_counts()

        self.jobs.submit(job, self._counts_ready, self.counts_failed, label="Counting")

    def _counts_ready(self, result: Any) -> None:
        sources, topics, facets, feeds, counts = result
        self.counts = counts
        self.has_feeds = bool(feeds)
        self.story_ops.set_topics(topics)
        model = self.library_model
        model.set_views(counts)
        model.set_feeds(feeds, counts)
        model.set_sources(sources, counts)
        model.set_topics(topics, counts)
        model.set_facets(facets)
        self.library_view.expandAll()
        self.navigator.select_filter(self.navigator.filter)
        self._update_title()
        self.update_actions()
        self.feeds_refreshed.emit()

    def counts_failed(self, message: str) -> None:
        self.status.show(f"Could not count the library: {message}")

    # ================================================================= safety

    def start_housekeeping(self) -> None:
        self.housekeeping.start_housekeeping()

    def offer_recovery(self, problem: str) -> None:
        self.housekeeping.offer_recovery(problem)

    def restore_from_backup(self) -> None:
        self.housekeeping.restore_from_backup()

    def reopen(self, change: Callable[[], str]) -> None:
        self.housekeeping.reopen(change)

    # ================================================================= settings

    def _restore_settings(self) -> None:
        window_settings.restore(self)

    def save_settings(self) -> None:
        window_settings.save(self)

    def mark_read_delay(self) -> int:
        return self.read_state.delay_ms

    def open_preferences(self) -> preferences.PreferencesDialog:
        dialog = preferences.PreferencesDialog(self.prefs, self.reading.reader_font(), self)
        dialog.changed.connect(self.apply_prefs)
        dialog.open()
        self.preferences_dialog = dialog
        return dialog

    def apply_prefs(self, prefs: Any, initial: bool = False) -> None:
        """Apply Preferences live, and keep them (QSettings)."""
        self.prefs = prefs
        if not initial or prefs.theme != "system":
            theme.apply(prefs.theme)
        self.reading.set_reader_font(prefs.font_family, prefs.point_size)
        self.read_state.enabled = prefs.mark_read
        self.read_state.delay_ms = prefs.mark_read_ms
        if not initial:
            preferences.save(self.settings, prefs)

    def showEvent(self, event: QShowEvent) -> None:
        if self._default_panes:
            self._default_panes = False
            self.splitter.setSizes(window_settings.default_sizes(
                self.width(), self.fontMetrics().averageCharWidth()))
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                            QEvent.Type.ThemeChange) and hasattr(self, "act_import"):
            actions.refresh_icons(self)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.note_editor.flush()
        self.watch.stop()
        self.housekeeping.wait()
        self.save_settings()
        self.read_state.stop_timer()
        self.jobs.shutdown()  # runs queued writes (the note save) before the thread ends
        super().closeEvent(event)

    # ================================================================= drops, help

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        urls: list[QUrl] = event.mimeData().urls()
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        if paths:
            from pathlib import Path

            event.acceptProposedAction()
            self.start_import([Path(p) for p in paths])

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return actions.shortcut_rows(self)

    def show_shortcuts(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard Shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_text(self.shortcut_rows()))
        box.open()
        self._shortcuts_box = box

    def about(self) -> None:
        from reader import __version__
        from reader.gui import plain

        plain.message(self, "About Broadsheet", f"Broadsheet {__version__}\nAn offline news "
                      f"reader.\nLibrary: {self.library.path}")
