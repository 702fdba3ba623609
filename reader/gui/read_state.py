"""Read and starred state from the window: the mark-as-read delay after opening, the toggle
keys, and "Mark all as read" for the whole view with its Undo.

Every write runs on the worker; the result comes back as :class:`reader.types.Changes` (or
:class:`reader.types.MarkedRead`) for the window to apply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from reader.library import Library
from reader.progress import CancelCheck, Progress
from reader.types import Article, Changes, MarkedRead, StoryRow

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow


class ReadState(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._mark_current_read)
        self.delay_ms = 1500
        self.enabled = True

    def stop_timer(self) -> None:
        self.timer.stop()

    def article_opened(self, article: Article) -> None:
        self.timer.stop()
        if not article.read and self.enabled:
            self.timer.start(self.delay_ms)

    def _mark_current_read(self) -> None:
        w = self.window
        article = w.reading.article
        if article is not None and not article.read and not w.library.read_only:
            ids = [article.id]
            w.jobs.submit(lambda lib, p, c: lib.mark_read(ids, True), w.apply_changes,
                          label="Marking read")

    def toggle_read(self) -> None:
        w = self.window
        article = w.reading.article
        if article is None:
            return
        self.timer.stop()
        ids, read = [article.id], not article.read
        w.jobs.submit(lambda lib, p, c: lib.mark_read(ids, read), w.apply_changes,
                      label="Marking")

    def toggle_star(self) -> None:
        w = self.window
        article = w.reading.article
        if article is None:
            return
        ids, starred = [article.id], not article.starred
        w.jobs.submit(lambda lib, p, c: lib.set_starred(ids, starred), w.apply_changes,
                      label="Starring")

    def mark_story_read(self) -> None:
        w = self.window
        stories = {i.id for i in w.selected_items() if isinstance(i, StoryRow)}
        if not stories and w.navigator.current_story is not None:
            stories = {w.navigator.current_story}
        self.timer.stop()
        ids = sorted(stories)

        def job(lib: Library, _p: Progress, _c: CancelCheck) -> Changes:
            return merge_changes([lib.mark_story_read(story_id, True) for story_id in ids])

        if ids:
            w.jobs.submit(job, w.apply_changes, label="Marking story read")

    # ----------------------------------------------------------------- the whole view

    def mark_all_read(self) -> None:
        """Mark every story of the current view read (all versions), with Undo."""
        w = self.window
        self.timer.stop()
        query = w.navigator.current_query()
        view = w.navigator.view_title()
        w.jobs.submit(lambda lib, p, c: lib.mark_view_read(query),
                      lambda result: self._all_marked(view, result), label="Marking all read")

    def _all_marked(self, view: str, result: Any) -> None:
        if not isinstance(result, MarkedRead):
            return
        w = self.window
        w.apply_changes(result.changes)
        if not result.stories:
            w.status.show(f"Nothing unread in {view}")
            return
        ids = result.article_ids
        count = f"{result.stories} stor{'y' if result.stories == 1 else 'ies'}"
        w.status.offer_undo(lambda: self.undo(ids), f"Marked {count} in {view} read")
        w.update_actions()

    def undo(self, article_ids: Sequence[int]) -> None:
        w = self.window
        ids = list(article_ids)
        w.jobs.submit(lambda lib, p, c: lib.undo_mark_read(ids), self._undone,
                      label="Undoing")

    def _undone(self, result: Any) -> None:
        self.window.apply_changes(result)
        self.window.status.show("Marked unread again")
        self.window.update_actions()


def merge_changes(parts: Sequence[Changes]) -> Changes:
    """One Changes for several writes done as one user action."""
    flags = {
        f.name: any(getattr(c, f.name) for c in parts)
        for f in dataclasses.fields(Changes) if f.name != "story_ids"
    }
    ids = tuple(dict.fromkeys(i for c in parts for i in c.story_ids))
    return Changes(**flags, story_ids=ids)
