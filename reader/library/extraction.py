"""New articles' features, extracted and stored a batch at a time, starting while the file
is still being parsed and stored.

Why: a big import used to store every article first and only then extract their features,
so for the seven seconds a 100,000-article file took to parse and store, the extraction
workers sat idle, and for the twenty after, the parser had nothing left to do. Batches are
handed to the workers as soon as they are stored; the importer writes back the finished
ones between its own batches, and :meth:`NewFeatures.finish` extracts the rest (taking
back work the workers have not started, so neither side waits on the other). The outcome
is the same features and counts in any order: document frequencies are sums.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlite_utils import Database

from reader.errors import Cancelled
from reader.grouping.pool import Extraction, ExtractionPool, Pending, workers_for
from reader.library.grouping_runs import DocumentFrequencies
from reader.progress import CancelCheck, Progress
from reader.storage import entities as entity_store
from reader.storage import grouping_index as index

#: Articles per batch handed to the workers (and stored back at once).
BATCH = 2000

#: Batches handed out and not yet stored back, besides the one being waited for: with one,
#: a 100,000-article import waited 12 s on extraction that both cores could have shared.
IN_FLIGHT = 2

#: Batches handed out while the file is still being stored. The workers are checked only
#: between the importer's batches, so they need more queued than :data:`IN_FLIGHT` not to
#: run dry in between.
IN_FLIGHT_AHEAD = 6


def index_state(db: Database, new: int = 0) -> tuple[int, bool]:
    """The library's articles with stored features, and whether its index is old: articles
    without features beyond the ``new`` ones an import has not extracted yet (an index from
    an older Broadsheet, a salvaged library), which is regrouped whole, features rebuilt.

    Counted, not looked up article by article: every stored feature row belongs to an
    article (a foreign key), so the two counts tell it.
    """
    featured = index.featured_count(db)
    return featured, index.article_count(db) - featured > new


def store_features(db: Database, extracted: Extraction, df: DocumentFrequencies) -> None:
    """Write extracted features, facts and names, and count their terms."""
    articles = extracted.articles
    index.write_features(db, ((e.article_id, e.data, e.facts) for e in articles))
    entity_store.add_article_entities(db, {e.article_id: e.entities for e in articles})
    df.fetch(extracted.terms)
    df.add(extracted.terms, len(articles))


class NewFeatures:
    """The features of an import's new articles, extracted as the articles are stored."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Counted when the workers start or at the finish, not here: a small import into a
        # big library should not pay for counting the library twice.
        self._df: DocumentFrequencies | None = None
        self._pool: ExtractionPool | None = None
        self._waiting: list[int] = []
        self._pending: deque[Pending] = deque()
        self._when_extracted: list[Callable[[ExtractionPool], None]] = []

    def when_extracted(self, start: Callable[[ExtractionPool], None]) -> None:
        """Call ``start(pool)`` once every new article's features are stored, if the import
        has worker processes: work that needs no stories (topic scoring) can then run on
        them while this process groups, instead of after it with the workers idle."""
        self._when_extracted.append(start)

    def add(self, ids: Sequence[int]) -> None:
        """Articles just stored: hand them to the workers once the import is big enough to
        start them (a small one is extracted by :meth:`finish` in this process)."""
        self._waiting.extend(ids)
        if self._pool is None:
            workers = workers_for(len(self._waiting))
            if workers == 0 or self._df is not None:
                return
            featured, old = index_state(self.db, len(self._waiting))
            self._df = DocumentFrequencies(self.db, featured)
            if old:  # regrouped whole, features rebuilt: extracting ahead would be wasted
                return
            self._pool = ExtractionPool(workers)
        while self._pending and self._pending[0].done():
            store_features(self.db, self._pending.popleft().result(), self.df)
        self._hand_out(whole_batches_only=True, limit=IN_FLIGHT_AHEAD)

    @property
    def df(self) -> DocumentFrequencies:
        """The library's document frequencies, with the articles stored so far counted."""
        if self._df is None:
            self._df = DocumentFrequencies(self.db)
        return self._df

    def finish(self, progress: Progress, cancelled: CancelCheck, featured: int) -> None:
        """Extract and store whatever is not stored yet. ``featured``: the library's
        articles with features, counted by the caller (used if nothing was stored yet)."""
        if self._df is None:
            self._df = DocumentFrequencies(self.db, featured)
        total = len(self._waiting) + BATCH * len(self._pending)
        done = 0
        progress(0, total, "reading articles")
        if self._pool is None:
            self._pool = ExtractionPool(workers_for(len(self._waiting)))
        while self._pending or self._waiting:
            if cancelled():
                for pending in self._pending:
                    pending.cancel()
                raise Cancelled("grouping")
            if not self._pending:
                self._hand_out(whole_batches_only=False, limit=1)
            current = self._pending.popleft()
            self._hand_out(whole_batches_only=False)
            current.take_back()
            # While the workers finish this batch's last tasks, take back tasks of the
            # later batches instead of waiting (waiting was 4.6 s of a 13.7 s finish at
            # 100,000 articles): the workers take tasks from the front, this from the back.
            while not current.done() and any(p.take_back(1) for p in reversed(self._pending)):
                pass
            extracted = current.result()
            store_features(self.db, extracted, self.df)
            done += len(extracted.articles)
            progress(min(done, total), total, "reading articles")
        if self._pool.executor is not None:
            for start in self._when_extracted:
                start(self._pool)
        self._when_extracted.clear()

    def _hand_out(self, *, whole_batches_only: bool, limit: int = IN_FLIGHT) -> None:
        assert self._pool is not None
        while len(self._pending) < limit and self._waiting:
            if whole_batches_only and len(self._waiting) < BATCH:
                return
            batch = self._waiting[:BATCH]
            del self._waiting[:BATCH]
            self._pending.append(self._pool.submit(index.texts(self.db, batch)))

    def close(self) -> None:
        for pending in self._pending:
            pending.cancel()
        if self._pool is not None:
            self._pool.close()
            self._pool = None


@contextmanager
def new_features(db: Database) -> Iterator[NewFeatures]:
    """Extraction for one import, its worker processes shut down on leaving."""
    extraction = NewFeatures(db)
    try:
        yield extraction
    finally:
        extraction.close()
