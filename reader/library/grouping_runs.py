"""What one import or regroup keeps between its batches, read from storage once per run.

A big import groups its articles two thousand at a time, and every batch reaches much of
what the batches before it reached: the same terms' document frequencies and posting lists,
the same stored articles' facts and stories. Reading them from SQL (and building Python rows
from them) once per batch made each batch slower than the last, so a run keeps them,
updated with what the run itself adds, and bounded in memory: a cache that grows past its
bound starts over (its contents can always be read again).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import groupby
from typing import overload

import numpy as np
import numpy.typing as npt
from sqlite_utils import Database

from reader.grouping import conflicts
from reader.grouping.assignments import Story
from reader.grouping.clusters import joined, span_of
from reader.grouping.vectors import Vector, Weighing
from reader.storage import grouping_index as index
from reader.storage import stories as story_store

#: Stored articles' facts a run keeps (a few hundred bytes each).
FACTS_PER_RUN = 200_000

#: Posting entries a run keeps in memory (about 20 bytes each, in arrays).
POSTINGS_PER_RUN = 8_000_000

#: Articles and stories whose story and size a run keeps.
STORIES_PER_RUN = 1_000_000

Posting = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]


@contextmanager
def paused_collection() -> Iterator[None]:
    """Python's cycle collector paused while a run builds its rows.

    Grouping makes objects by the hundred thousand (facts, features, rows) and keeps most
    of them until the run ends, and the collector, triggered by every few hundred new
    objects, walks all of them again and again: loading 30,000 stored facts took 0.66 s with
    it and 0.20 s without, and it cost a 1,000-article import into 100,000 about 0.4 s of
    1.7. What a run makes holds no reference cycles, so nothing waits on the collector;
    it is resumed (as it was) when the run ends, whatever way it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class DocumentFrequencies:
    """The library's term counts: each term read from SQL once per run, then kept up to date
    with the counts this run adds (so the cost per batch does not grow with the library)."""

    def __init__(self, db: Database, total: int | None = None) -> None:
        """``total``: the library's featured articles, when the caller has counted them."""
        self.db = db
        self.df: dict[str, int] = {}
        self.total = index.featured_count(db) if total is None else total

    def fetch(self, terms: Iterable[str]) -> None:
        """Read the counts of ``terms`` not read yet."""
        df = self.df
        wanted = [term for term in set(terms) if term not in df]
        df.update(index.document_frequencies(self.db, wanted))
        for term in wanted:
            df.setdefault(term, 0)

    def add(self, counts: Mapping[str, int], articles: int) -> None:
        """Count ``articles`` new articles, ``counts[term]`` of them holding ``term``, in SQL
        and here (the terms must be fetched first)."""
        index.add_document_frequencies(self.db, counts)
        df = self.df
        for term, k in counts.items():
            df[term] = df.get(term, 0) + k
        self.total += articles

    def weighing(self) -> Weighing:
        get = self.df.get
        return Weighing(max(self.total, 1), lambda term: get(term, 0) or 1)


class StoredFacts(Sequence[conflicts.Facts]):
    """A regroup's facts by article index, kept as stored and read when asked for: the
    conflict tests ask for the articles of the pairs that can matter (88% of a synthetic
    100k library), and 100,000 read facts held 150 MB where their text holds 17 MB."""

    def __init__(self, stored: list[str | None]) -> None:
        self._stored = stored

    def __len__(self) -> int:
        return len(self._stored)

    @overload
    def __getitem__(self, n: int) -> conflicts.Facts: ...

    @overload
    def __getitem__(self, n: slice) -> list[conflicts.Facts]: ...

    def __getitem__(self, n: int | slice) -> conflicts.Facts | list[conflicts.Facts]:
        if isinstance(n, slice):
            return [conflicts.loads(data) for data in self._stored[n]]
        return conflicts.loads(self._stored[n])


class Facts:
    """Stored articles' facts, each read from SQL once per run."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.known: dict[int, conflicts.Facts] = {}

    def __call__(self, ids: Sequence[int]) -> dict[int, conflicts.Facts]:
        known = self.known
        missing = [a for a in ids if a not in known]
        if missing:
            if len(known) + len(missing) > FACTS_PER_RUN:
                known.clear()
                missing = list(ids)
            stored = index.facts(self.db, missing)
            for a in missing:
                known[a] = conflicts.loads(stored.get(a))
        return {a: known[a] for a in ids}


class Postings:
    """Posting lists by term, read from SQL once per run and extended with the run's own
    vectors as they are stored."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.lists: dict[str, Posting] = {}
        self.entries = 0

    def add(self, vectors: dict[int, Vector]) -> None:
        """Vectors just stored: appended to the lists already read (the others will be read
        from SQL with them)."""
        grown: dict[str, tuple[list[int], list[float]]] = {}
        lists = self.lists
        for article, vector in vectors.items():
            for term, w in vector:
                if term in lists:
                    ids, weights = grown.setdefault(term, ([], []))
                    ids.append(article)
                    weights.append(w)
        for term, (ids, weights) in grown.items():
            old_ids, old_weights = lists[term]
            lists[term] = (np.concatenate([old_ids, np.array(ids, np.int64)]),
                           np.concatenate([old_weights, np.array(weights, np.float64)]))
            self.entries += len(ids)

    def get(self, terms: Sequence[str]) -> dict[str, Posting]:
        lists = self.lists
        missing = [term for term in terms if term not in lists]
        if missing:
            if self.entries > POSTINGS_PER_RUN:
                lists.clear()
                self.entries = 0
                missing = list(terms)
            rows = index.postings(self.db, missing)
            articles = np.array([r[1] for r in rows], np.int64)
            weights = np.array([r[2] for r in rows], np.float64)
            # Each term's rows are together: cut the columns where the term changes.
            start = 0
            for term, run in groupby(r[0] for r in rows):
                end = start + sum(1 for _ in run)
                lists[term] = (articles[start:end], weights[start:end])
                start = end
            empty = (articles[:0], weights[:0])
            for term in missing:
                lists.setdefault(term, empty)
            self.entries += len(rows)
        return {term: lists[term] for term in terms}


class Stories:
    """Which story each article is in, and each story's size and dates, kept up to date
    with the run's own assignments."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.story_of: dict[int, int] = {}
        self.stories: dict[int, Story] = {}

    def reach(self, articles: Iterable[int]) -> None:
        """Read the stories of ``articles`` (and their sizes and dates) not known yet."""
        story_of = self.story_of
        missing = [a for a in set(articles) if a not in story_of]
        if len(story_of) + len(missing) > STORIES_PER_RUN:
            story_of.clear()
            self.stories.clear()
            missing = list(set(articles))
        story_of.update(index.stories_of(self.db, missing))
        wanted = sorted({story_of[a] for a in missing if a in story_of} - set(self.stories))
        for s, d in story_store.story_dates(self.db, wanted).items():
            self.stories[s] = Story(d[0], (d[1], d[2], d[3], d[4]))

    def assigned(self, story: int, articles: Sequence[tuple[int, int | None, bool]]) -> None:
        """``(article, published_ts, inferred)`` rows just put in ``story``."""
        known = self.stories.get(story, Story(0, span_of(None, False)))
        dates = known.dates
        for article, ts, inferred in articles:
            self.story_of[article] = story
            dates = joined(dates, span_of(ts, inferred))
        self.stories[story] = Story(known.size + len(articles), dates)
