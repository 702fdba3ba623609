"""Changing the grouping and the topics from the window: split, merge, move, regroup,
re-evaluate topics, the Topics dialog, and hiding a name from People & places."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog

from reader.gui.child_jobs import run_in_child
from reader.gui.dialogs import TopicsDialog
from reader.library import Library
from reader.progress import CancelCheck, Progress
from reader.types import StoryRow, Topic, VersionRow

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow


class StoryOps(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.topics: list[Topic] = []
        self.topics_dialog: TopicsDialog | None = None
        self.context_entity: int | None = None

    def _version_article(self) -> int | None:
        items = self.window.selected_items()
        article_id = next((i.article_id for i in items if isinstance(i, VersionRow)), None)
        article = self.window.reading.article
        return article_id if article_id is not None else (article.id if article else None)

    def split_version(self) -> None:
        aid = self._version_article()
        if aid is not None:
            self.window.jobs.submit(lambda lib, p, c: lib.split_article(aid),
                                    self.structure_changed, self._failed, label="Splitting")

    def merge_selected(self) -> None:
        stories = [i.id for i in self.window.selected_items() if isinstance(i, StoryRow)]
        if len(stories) < 2:
            self.window.long_jobs.warn("Merge stories",
                                       "Select two or more stories to merge (Ctrl+click).")
            return
        target, others = stories[0], stories[1:]

        def job(lib: Library, _p: Progress, _c: CancelCheck) -> Any:
            result: Any = None
            for other in others:
                result = lib.merge_stories(target, other)
            return result

        self.window.jobs.submit(job, self.structure_changed, self._failed, label="Merging")

    def move_version(self) -> None:
        w = self.window
        aid = self._version_article()
        if aid is None:
            return
        current = w.navigator.current_story
        candidates = [r for r in w.stories_model.pager.rows if r.id != current][:300]
        if not candidates:
            return
        labels = [f"{r.headline}  [{r.id}]" for r in candidates]
        choice, ok = QInputDialog.getItem(w, "Move version", "Move this version to:",
                                          labels, 0, False)
        if ok:
            target = candidates[labels.index(choice)].id
            w.jobs.submit(lambda lib, p, c: lib.move_article(aid, target),
                          self.structure_changed, self._failed, label="Moving")

    def regroup(self) -> None:
        self.window.long_jobs.start(
            lambda lib, p, c: run_in_child(lib.path, "regroup", (), p, c),
            "Regrouping", self.structure_changed)

    def reassign_topics(self) -> None:
        self.window.long_jobs.start(
            lambda lib, p, c: run_in_child(lib.path, "reassign_topics", (), p, c),
            "Re-evaluating topics", self.structure_changed)

    def structure_changed(self, _result: Any) -> None:
        """After merge/split/move/regroup: reload the list and the open article."""
        w = self.window
        w.navigator.unique_cache.clear()
        w.explanations.forget()  # a regroup may keep a story's versions but not its reasons
        w.navigator.reload()
        w.refresh_counts()
        w.navigator.reopen_current()
        w.changes_applied.emit()

    def _failed(self, message: str) -> None:
        self.window.long_jobs.warn("Could not do that", message)

    def hide_context_entity(self) -> None:
        """Hide the people & places entry the context menu was opened on (on the worker)."""
        entity = self.context_entity
        if entity is not None:
            self.window.jobs.submit(lambda lib, p, c: lib.hide_facet(entity),
                                    self.window.apply_changes, label="Hiding")

    # ----------------------------------------------------------------- topics

    def edit_topics(self) -> None:
        if self.topics_dialog is None:
            self.topics_dialog = TopicsDialog(self.topics, self._save_topic,
                                              self._delete_topic, self.window)
        self.topics_dialog.show()
        self.topics_dialog.raise_()

    def set_topics(self, topics: list[Topic]) -> None:
        self.topics = list(topics)
        if self.topics_dialog is not None:
            self.topics_dialog.set_topics(self.topics)

    def topic_name(self, topic_id: int) -> str | None:
        return next((t.name for t in self.topics if t.id == topic_id), None)

    def _save_topic(self, name: str, rule: str, topic_id: int | None) -> None:
        old = self.topic_name(topic_id) if topic_id is not None else None
        if old is None:
            job: Any = lambda lib, p, c: lib.add_topic(name, rule, p, c)  # noqa: E731
        else:
            new_name = name if name != old else None
            job = lambda lib, p, c: lib.edit_topic(old, rule, new_name, p, c)  # noqa: E731
        self.window.long_jobs.start(job, f"Saving topic {name}", self._topic_saved,
                                    self._topic_failed)

    def _delete_topic(self, topic_id: int) -> None:
        name = self.topic_name(topic_id)
        if name is not None:
            self.window.jobs.submit(lambda lib, p, c: lib.remove_topic(name), self._topic_saved,
                                    self._topic_failed, label="Deleting topic")

    def _topic_saved(self, _result: Any) -> None:
        self.window.refresh_counts()
        self.window.navigator.reload()

    def _topic_failed(self, message: str) -> None:
        if self.topics_dialog is not None:
            self.topics_dialog.show_error(message)
        else:
            self.window.long_jobs.warn("Topic not saved", message)
