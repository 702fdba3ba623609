"""Moving through the library: which view is selected, the stories list it shows, the story
being read, and the keys that move between stories (next, previous, next unread).

The reader follows the list: when a reload leaves out the story being read (another filter,
a search, a change made elsewhere), the reader clears and says so, instead of showing a story
the list no longer has. An empty list says why it is empty.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject

from reader.errors import BroadsheetError
from reader.gui.sidebar import FILTER_ROLE, FilterKey
from reader.types import Article, ReadFilter, StoryQuery, StoryRow, VersionRow

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow

#: Pages fetched at most to find the next unread story or the story being read.
MAX_PAGES = 50

GONE = "The story you were reading is not in this view."


class Navigator(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.filter = FilterKey("all")
        self.current_story: int | None = None
        self.unique_cache: dict[int, list[tuple[int, int]]] = {}

    # ----------------------------------------------------------------- the view

    def current_query(self) -> StoryQuery:
        w = self.window
        query = StoryQuery(read=w.stories.read_value(), sort=w.stories.sort_value(),
                           search=w.stories.search.text().strip())
        aliases = w.library_model.aliases(self.filter) if self.filter.kind == "entity" else ()
        return dataclasses.replace(query, **self.filter.apply(query, aliases))

    def select_filter(self, key: FilterKey) -> None:
        index = self.window.library_model.find(key)
        if index.isValid():
            view = self.window.library_view
            view.selectionModel().blockSignals(True)
            view.setCurrentIndex(index)
            view.selectionModel().blockSignals(False)

    def filter_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        raw = current.data(FILTER_ROLE)
        if raw:
            self.filter = FilterKey.decode(str(raw))
            self.reload()

    def set_filter(self, key: FilterKey) -> None:
        self.filter = key
        self.select_filter(key)
        self.reload()

    def view_title(self) -> str:
        index = self.window.library_model.find(self.filter)
        return str(index.data()) if index.isValid() else self.filter.title() or "All stories"

    # ----------------------------------------------------------------- the list

    def reload(self) -> None:
        """Load the first page of the current view, keeping the story being read selected
        when it is still in the view (the reader clears when it is not)."""
        w = self.window
        keep = self.current_story
        query = self.current_query()
        searching = bool(query.search)
        ranked = True
        try:
            ranked = not searching or w.library.search_is_ranked(query.search)
            w.stories_model.reset(query)
        except BroadsheetError as exc:  # e.g. a search query that does not parse
            w.status.show(str(exc))
            query = dataclasses.replace(query, search="")
            searching = False
            w.stories_model.reset(query)
        w.stories.show_search_order(searching, ranked)
        if keep is not None and not self._select_story(keep, query):
            self.leave_story(GONE)
        self.update_empty_state(query)
        w.update_actions()
        w.stories_reloaded.emit()

    def _select_story(self, story_id: int, query: StoryQuery) -> bool:
        """Select ``story_id`` without opening it again; False when it is not in the view."""
        model = self.window.stories_model
        row = model.row_of_story(story_id)
        if row is None:
            try:
                in_view = self.window.library.story_in_view(query, story_id)
            except BroadsheetError:
                in_view = False
            pages = 0
            while in_view and row is None and model.canFetchMore(QModelIndex()) and (
                    pages < MAX_PAGES):
                model.fetch_next_page()
                pages += 1
                row = model.row_of_story(story_id)
        if row is None:
            return False
        tree = self.window.stories.tree
        tree.selectionModel().blockSignals(True)
        tree.setCurrentIndex(model.index(row, 0))
        tree.selectionModel().blockSignals(False)
        return True

    def leave_story(self, message: str) -> None:
        """The story being read left the list: save its note and clear the reader."""
        w = self.window
        w.note_editor.flush()
        w.read_state.stop_timer()
        self.current_story = None
        w.note_editor.set_story(None, "")
        w.reading.clear(message)

    def update_empty_state(self, query: StoryQuery | None = None) -> None:
        w = self.window
        query = query or self.current_query()
        w.stories.show_empty("" if w.stories_model.rowCount() else empty_message(
            query, self.view_title()))

    # ----------------------------------------------------------------- reading

    def story_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.window.stories_model.item(current)
        if isinstance(item, StoryRow):
            self.open_article(item.headline_article_id)
        elif isinstance(item, VersionRow):
            self.open_article(item.article_id)

    def open_article(self, article_id: int) -> None:
        w = self.window
        try:
            article = w.library.article(article_id)
            versions = w.library.versions(article.story_id)
        except BroadsheetError as exc:
            w.reading.clear(str(exc))
            return
        self._show(article, versions)

    def _unique_spans(self, article: Article, versions: list[VersionRow]) -> list[tuple[int, int]]:
        if len(versions) <= 1:
            return []
        if article.id not in self.unique_cache:
            try:
                spans = self.window.library.unique_sentences(article.id)
            except BroadsheetError:
                spans = []
            self.unique_cache[article.id] = [(s.start, s.end) for s in spans]
        return self.unique_cache[article.id]

    def _show(self, article: Article, versions: list[VersionRow]) -> None:
        w = self.window
        html = w.library.article_html(article.id)
        spans = self._unique_spans(article, versions) if html is None else []
        w.reading.show_article(article, versions, spans, html)
        if article.story_id != self.current_story:
            w.note_editor.flush()
            self.current_story = article.story_id
            note = w.library.note(article.story_id)
            w.note_editor.set_story(article.story_id, note.body if note else "")
        w.read_state.article_opened(article)
        w.update_actions()
        w.article_shown.emit(article.id)

    def reopen_current(self, *_signal_args: object) -> None:
        """Show the open article again (highlight switched, story regrouped). Connected
        directly to signals, so it runs on this object's (the GUI) thread."""
        article = self.window.reading.article
        if article is not None:
            self.current_story = None
            self.open_article(article.id)

    # ----------------------------------------------------------------- moving

    def _top_row(self) -> int:
        current = self.window.stories.tree.currentIndex()
        if current.isValid() and current.parent().isValid():
            current = current.parent()
        return current.row() if current.isValid() else -1

    def _go(self, row: int) -> None:
        tree = self.window.stories.tree
        index = self.window.stories_model.index(row, 0)
        tree.setCurrentIndex(index)
        tree.scrollTo(index)

    def move(self, step: int) -> None:
        model = self.window.stories_model
        top = self._top_row()
        row = top + step if top >= 0 else 0
        if row >= model.rowCount() and model.canFetchMore(QModelIndex()):
            model.fetch_next_page()
        if 0 <= row < model.rowCount():
            self._go(row)

    def next_unread(self) -> bool:
        """Select the next story below this one with an unread version (loading pages as
        needed); False, with a message, when there is none."""
        model = self.window.stories_model
        row = self._top_row() + 1
        pages = 0
        while True:
            rows = model.pager.rows
            for r in range(row, len(rows)):
                if rows[r].unread > 0 and rows[r].id != self.current_story:
                    self._go(r)
                    return True
            row = len(rows)
            if pages >= MAX_PAGES or not model.canFetchMore(QModelIndex()):
                break
            model.fetch_next_page()
            pages += 1
        self.window.status.show("No more unread stories in this view")
        return False

    def space(self) -> None:
        if not self.window.reading.page_down():
            self.next_unread()

    def open_story(self, story_id: int) -> None:
        """Open a story by id (notes list): select it in the list if loaded, show it."""
        w = self.window
        try:
            row = w.library.story_row(story_id)
        except BroadsheetError as exc:
            w.status.show(str(exc))
            return
        position = w.stories_model.row_of_story(story_id)
        if position is not None:
            index = w.stories_model.index(position, 0)
            w.stories.tree.setCurrentIndex(index)  # opens it via currentChanged
            w.stories.tree.scrollTo(index)
            if w.reading.article is not None and w.reading.article.story_id == story_id:
                return
        w.stack.setCurrentWidget(w.splitter)
        self.open_article(row.headline_article_id)

    def focus_search(self) -> None:
        self.window.stories.search.setFocus()
        self.window.stories.search.selectAll()

    def clear_search(self) -> None:
        stories = self.window.stories
        if stories.search.text():
            stories.search.clear()
            stories.flush_search()
        stories.tree.setFocus()


def empty_message(query: StoryQuery, view: str) -> str:
    """Why a view shows no stories, and what to do about it."""
    if query.search:
        where = f" in {view}" if view != "All stories" else ""
        return (f"No stories match “{query.search}”{where}.\n"
                "Try other words, or press Esc to clear the search.")
    if query.read is ReadFilter.UNREAD:
        return f"No unread stories in {view}. You are all caught up."
    if query.read is ReadFilter.READ:
        return f"Nothing in {view} has been read yet."
    if query.starred_only:
        return "No starred stories yet. Press S to star the story you are reading."
    if query.with_notes:
        return "No notes yet. Select a story and press Ctrl+N to write one."
    return f"No stories in {view}."
