"""Facade verbs for stories and facets. Mixed into :class:`reader.library.Library`.

Reads and corrections are thin calls into :mod:`reader.storage.stories` /
:mod:`reader.storage.entities`; grouping and explanations go through
:mod:`reader.library.grouping`. Writes return :class:`reader.types.Changes` so each pane can
decide whether to refresh.
"""

from __future__ import annotations

from collections.abc import Iterator

from reader.grouping.explain import explain
from reader.grouping.features import Features
from reader.grouping.unique import unique_sentences
from reader.grouping.vectors import Vector
from reader.grouping.words import surface_forms
from reader.library import grouping
from reader.library.base import LibraryBase
from reader.progress import CancelCheck, Progress, never_cancelled, no_progress
from reader.storage import corrections as correction_store
from reader.storage import entities as entity_store
from reader.storage import grouping_index as index
from reader.storage import reading
from reader.storage import stories as story_store
from reader.types import Changes, Facet, GroupReason, SentenceSpan, StoryDetail


class StoryVerbs(LibraryBase):
    """Grouping, explanations, corrections and people & places facets."""

    def regroup(
        self, progress: Progress = no_progress, cancelled: CancelCheck = never_cancelled
    ) -> int:
        """Regroup the whole library under the user's corrections; returns the story count.

        Cancelling raises :class:`reader.errors.Cancelled` and leaves the library unchanged.
        """
        return grouping.regroup(self.db, progress, cancelled)

    def story(self, story_id: int, with_reasons: bool = True) -> StoryDetail:
        """A story with its versions (oldest first), why they are grouped, and its note."""
        row = reading.story_by_id(self.db, story_id)
        note = story_store.note_of(self.db, story_id)
        return StoryDetail(
            story=row,
            versions=tuple(reading.versions(self.db, story_id)),
            reasons=tuple(self._reasons(story_id)) if with_reasons else (),
            note=note,
        )

    def stories(self, min_size: int = 1) -> Iterator[StoryDetail]:
        """Every story with at least ``min_size`` versions, biggest first (no reasons)."""
        for story_id in story_store.story_ids(self.db, min_size):
            yield self.story(story_id, with_reasons=False)

    def explain(self, article_a: int, article_b: int) -> GroupReason:
        """Why two versions are (or would be) grouped: similarity, shared names and terms."""
        for a in (article_a, article_b):
            story_store.story_of(self.db, a)  # NotFound for an article that does not exist
        return self._explained([article_a, article_b], article_a, article_b)

    def _reasons(self, story_id: int, limit: int = 50) -> list[GroupReason]:
        """Each version against the story's headline version."""
        members = story_store.story_articles(self.db, story_id)
        if len(members) < 2:
            return []
        head = reading.story_by_id(self.db, story_id).headline_article_id
        head = head if head in members else members[0]
        others = [m for m in members if m != head][:limit]
        vectors = grouping.vectors_of(self.db, [head, *others])
        merged = correction_store.merged_pairs(self.db, members)
        return [
            self._explained([], head, other, vectors,
                            "user merge" if frozenset((head, other)) in merged else "")
            for other in others
            if head in vectors and other in vectors
        ]

    def _explained(
        self, ids: list[int], a: int, b: int,
        vectors: dict[int, tuple[Vector, Features]] | None = None,
        rule: str = "",
    ) -> GroupReason:
        vectors = vectors if vectors is not None else grouping.vectors_of(self.db, ids)
        words: dict[str, str] = {}
        for _id, title, body in index.texts(self.db, [a, b]):
            for stem, word in surface_forms(f"{title}\n{body}").items():
                words.setdefault(stem, word)
        return explain(a, vectors[a], b, vectors[b], rule, words)

    def merge_stories(self, keep: int, other: int) -> Changes:
        story_id = correction_store.merge(self.db, keep, other)
        return Changes(stories=True, notes=True, story_ids=(story_id, other))

    def split_article(self, article_id: int) -> Changes:
        old = story_store.story_of(self.db, article_id)
        new = correction_store.split(self.db, article_id)
        return Changes(stories=True, notes=True, story_ids=(old, new))

    def move_article(self, article_id: int, story_id: int) -> Changes:
        old = story_store.story_of(self.db, article_id)
        correction_store.move(self.db, article_id, story_id)
        return Changes(stories=True, notes=True, story_ids=(old, story_id))

    def unique_sentences(self, article_id: int) -> list[SentenceSpan]:
        """Sentences of this version found in no other version of its story."""
        members = story_store.story_articles(self.db, story_store.story_of(self.db, article_id))
        bodies = {a: body for a, _title, body in index.texts(self.db, members)}
        others = [bodies[m] for m in members if m != article_id]
        return unique_sentences(bodies[article_id], others) if others else []

    def facets(self, limit: int = 50, include_hidden: bool = False) -> list[Facet]:
        """People & places with article counts, most mentioned first."""
        return entity_store.facets(self.db, limit, include_hidden)

    def hide_facet(self, facet_id: int, hidden: bool = True) -> Changes:
        with self.db.atomic():
            entity_store.set_hidden(self.db, facet_id, hidden)
        return Changes(topics=True)
