"""Facade verbs for topics and search. Mixed into :class:`reader.library.Library`.

Derives from :class:`CoreVerbs` (last in the facade's bases, so the MRO is unchanged) to hook
the import pipeline and read-state changes: topics are assigned inside each file's import
transaction, and unread counts move with every mark-read.
"""

from __future__ import annotations

import dataclasses
import pickle
from concurrent.futures import CancelledError, Future
from concurrent.futures.process import BrokenProcessPool

from sqlite_utils import Database

from reader.grouping.pool import ExtractionPool
from reader.library.core import CoreVerbs
from reader.progress import CancelCheck, Progress, never_cancelled, no_progress
from reader.query import parse_rule, parse_search
from reader.storage import grouping_index as index
from reader.storage import reading
from reader.storage import search as search_store
from reader.storage import topics as store
from reader.topics import load_taxonomy
from reader.topics.evaluate import score_packed
from reader.types import Changes, ReadFilter, SearchHit, StoryQuery, StoryRow, Topic

#: Articles per topic-scoring task handed to an import's workers.
SCORING_TASK = 2000


class _Scoring:
    """An import's new articles being scored on its extraction workers: while this process
    groups a 100,000-article import (10 s on one core) the workers would otherwise idle,
    and scoring them here afterwards took 1.6 s of the 2.4 the topics cost."""

    def __init__(self, db: Database, new_ids: list[int], pool: ExtractionPool) -> None:
        self.ids = new_ids  # the import they belong to (checked by identity)
        rules, weights = store.import_rules(db), load_taxonomy().weights
        self.parts: list[Future[dict[int, list[tuple[int, float]]]]] = []
        for start in range(0, len(new_ids), SCORING_TASK):
            rows = index.texts(db, new_ids[start : start + SCORING_TASK])
            part = pool.run(score_packed, rules, weights, pickle.dumps(rows, protocol=5))
            if part is None:  # the pool broke: score everything here after all
                self.cancel()
                return
            self.parts.append(part)

    def result(self) -> dict[int, list[tuple[int, float]]] | None:
        """Every article's scores, or None if the workers could not give them all."""
        if not self.parts:
            return None
        scores: dict[int, list[tuple[int, float]]] = {}
        try:
            for part in self.parts:
                scores.update(part.result())
        except (CancelledError, BrokenProcessPool, OSError):  # the caller scores them itself
            return None
        return scores

    def cancel(self) -> None:
        for part in self.parts:
            part.cancel()
        self.parts = []


class TopicVerbs(CoreVerbs):
    """List, create, edit, remove and re-assign topics; search the library."""

    #: The current import's topic scoring on its workers (:meth:`_start_deriving`).
    _scoring: _Scoring | None = None

    def _after_open(self) -> None:
        super()._after_open()
        store.install_default_topics(self.db)
        store.refold_topics(self.db)

    # ------------------------------------------------------------------ hooks into the core

    def _start_deriving(self, new_ids: list[int], pool: ExtractionPool) -> None:
        super()._start_deriving(new_ids, pool)
        if self._scoring is not None:
            self._scoring.cancel()
        self._scoring = _Scoring(self.db, new_ids, pool)

    def _derive_for_new(self, new_ids: list[int]) -> None:
        super()._derive_for_new(new_ids)
        scoring, self._scoring = self._scoring, None
        scores = None
        if scoring is not None and scoring.ids is new_ids:
            scores = scoring.result()
        store.assign_topics(self.db, new_ids, scores)

    def _on_read_changed(self, article_ids: list[int], read: bool) -> None:
        super()._on_read_changed(article_ids, read)
        store.on_read_changed(self.db, article_ids, read)

    # ------------------------------------------------------------------ topics

    def topics(self) -> list[Topic]:
        """Every topic with its article counts, in sidebar order."""
        return store.list_topics(self.db)

    def topic(self, name: str) -> Topic:
        return store.topic_by_name(self.db, name)

    def topic_id(self, name: str) -> int:
        return store.topic_by_name(self.db, name).id

    def add_topic(
        self,
        name: str,
        rule: str,
        progress: Progress = no_progress,
        cancelled: CancelCheck = never_cancelled,
    ) -> Topic:
        """Create a user topic and assign it over the library.

        Raises :class:`RuleSyntaxError` (naming the problem) for a rule that does not parse,
        and :class:`InvalidOperation` for an empty or taken name. Nothing is saved then.
        """
        parse_rule(rule)
        with self.db.atomic():
            topic_id = store.insert_topic(self.db, name, rule)
            store.reevaluate_topic(self.db, topic_id, progress, cancelled)
        return store.topic_by_id(self.db, topic_id)

    def save_topic_rule(self, name: str, rule: str, new_name: str | None = None) -> Topic:
        """Save a topic's rule (and name) *without* re-evaluating it.

        For the GUI, which saves at once and then runs :meth:`reassign_topic` in a background
        worker. The CLI uses :meth:`edit_topic`, which does both.
        """
        parse_rule(rule)
        topic = store.topic_by_name(self.db, name)
        with self.db.atomic():
            store.update_topic(self.db, topic.id, rule, new_name)
        return store.topic_by_id(self.db, topic.id)

    def edit_topic(
        self,
        name: str,
        rule: str | None = None,
        new_name: str | None = None,
        progress: Progress = no_progress,
        cancelled: CancelCheck = never_cancelled,
    ) -> Topic:
        """Change a topic's rule and/or rename it; a changed rule is re-evaluated at once.

        All or nothing: a bad rule, a taken name or a cancel leaves the topic as it was.
        """
        topic = store.topic_by_name(self.db, name)
        new_rule = topic.rule if rule is None else rule
        parse_rule(new_rule)
        with self.db.atomic():
            store.update_topic(self.db, topic.id, new_rule, new_name)
            if new_rule.strip() != topic.rule:
                store.reevaluate_topic(self.db, topic.id, progress, cancelled)
        return store.topic_by_id(self.db, topic.id)

    def rename_topic(self, name: str, new_name: str) -> Topic:
        return self.edit_topic(name, None, new_name)

    def remove_topic(self, name: str) -> Changes:
        """Delete a topic and its assignments; articles are untouched (topics are views)."""
        topic = store.topic_by_name(self.db, name)
        store.delete_topic(self.db, topic.id)
        return Changes(topics=True)

    def reassign_topic(
        self,
        name: str,
        progress: Progress = no_progress,
        cancelled: CancelCheck = never_cancelled,
    ) -> Topic:
        """Re-evaluate one topic over the whole library (the GUI runs this in a worker)."""
        topic = store.topic_by_name(self.db, name)
        store.reevaluate_topic(self.db, topic.id, progress, cancelled)
        return store.topic_by_id(self.db, topic.id)

    def reassign_topics(
        self, progress: Progress = no_progress, cancelled: CancelCheck = never_cancelled
    ) -> Changes:
        """Re-evaluate every topic over the whole library."""
        store.reevaluate_all(self.db, progress, cancelled)
        return Changes(topics=True, stories=True)

    def recount_topics(self) -> None:
        """Recompute every topic's counts from its assignments (a repair; normally unneeded)."""
        store.recount(self.db)

    # ------------------------------------------------------------------ search

    def search(
        self,
        query: str,
        topic: str | None = None,
        source: str | None = None,
        unread: bool = False,
        limit: int = 50,
    ) -> list[SearchHit]:
        """Search titles, bodies and notes; any input is safe (nothing to search -> []).

        Combines with a topic, a source and a read-state filter. One hit per story.
        """
        node = parse_search(query)
        if node is None:
            return []
        topic_id = self.topic_id(topic) if topic else None
        source_id = self.source_id(source) if source else None
        return search_store.search(
            self.db, node, topic_id=topic_id, source_id=source_id, unread=unread, limit=limit
        )

    def story_page(
        self, query: StoryQuery, after: tuple[object, ...] | None = None, limit: int = 200
    ) -> list[StoryRow]:
        """The stories list; with ``query.search`` set, the search hits as stories.

        Search pages are ordered as :func:`reader.storage.search.search` ranks them (note hits
        first, then bm25, or newest first for huge hit sets); the cursor is the position in
        that order. Filters the search cannot apply (starred, with notes, a facet, size) are
        applied to each page, fetching on until the page is full, so a short page always
        means the end.
        """
        if not query.search.strip():
            return super().story_page(query, after, limit)
        node = parse_search(query.search)
        if node is None:
            return []
        position = int(str(after[0])) if after else 0
        rows: list[StoryRow] = []
        while len(rows) < limit:
            want = position + limit
            hits = search_store.search(
                self.db, node, topic_id=query.topic_id, source_id=query.source_id,
                unread=query.read is ReadFilter.UNREAD, limit=want,
            )
            chunk = hits[position:want]
            stories = reading.stories_by_ids(self.db, [h.story_id for h in chunk], query)
            for hit in chunk:
                if len(rows) >= limit:
                    break
                position += 1
                story = stories.get(hit.story_id)
                if story is not None:
                    rows.append(
                        dataclasses.replace(
                            story, snippet=hit.snippet, hit_in=hit.hit_in, sort_key=(position,)
                        )
                    )
            if len(hits) < want:
                break
        return rows

    def search_story_ids(self, query: str, limit: int = 10_000) -> list[int]:
        """Ids of stories with a matching article or note, for the stories list filter."""
        node = parse_search(query)
        return [] if node is None else search_store.matching_story_ids(self.db, node, limit)
