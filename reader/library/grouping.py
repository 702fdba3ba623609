"""Grouping orchestrated over storage: what an import and a regroup run, in order.

The pipeline itself is pure (:mod:`reader.grouping`: features -> vectors -> candidate pairs
-> conflicts -> average link -> assignments); storage only reads and writes rows
(:mod:`reader.storage.grouping_index`, :mod:`reader.storage.stories`,
:mod:`reader.storage.corrections`). This module feeds the
one with the other:

* :func:`assign_new_articles` runs inside an import's transaction, once every new article's
  features are extracted (in worker processes for big imports, starting while the file is
  still being stored: :mod:`reader.library.extraction`). A small library, or an import of
  half the library or more, is grouped whole, exactly as a regroup would; otherwise the new
  articles are assigned a batch at a time.
* :func:`regroup` recomputes every vector against the library's current document frequencies
  and every story, keeping old story ids (and notes) where clusters overlap them.
"""

from __future__ import annotations

import array
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
from sqlite_utils import Database

from reader.errors import Cancelled
from reader.grouping import conflicts
from reader.grouping import features as feat
from reader.grouping.assignments import (
    Corrections,
    Item,
    Library,
    Reach,
    assign,
    floor,
    regroup_library,
    story_ids,
)
from reader.grouping.candidates import Entries
from reader.grouping.clusters import span_of
from reader.grouping.vectors import Vector, Weighing, weigh
from reader.library.extraction import NewFeatures, index_state, new_features
from reader.library.grouping_runs import (
    DocumentFrequencies,
    Facts,
    Postings,
    StoredFacts,
    Stories,
    paused_collection,
)
from reader.progress import (
    CancelCheck,
    Progress,
    check_cancelled,
    never_cancelled,
    no_progress,
)
from reader.storage import corrections as correction_store
from reader.storage import entities as entity_store
from reader.storage import grouping_index as index
from reader.storage import stories as story_store

#: An import adding at least this share of the library's articles (the first import, a
#: big dump into a small library) groups the whole library in one pass instead of batches:
#: at 100,000 new articles the pass took a third of the batches' time.
WHOLE_LIBRARY_SHARE = 0.5

#: A library of at most this many articles is grouped whole on every import, whatever the
#: import's size. Term weights depend on the whole library, so batches assigned against an
#: older library drift from what a regroup gives, and most in a small library: the forum
#: seed (11 articles) imported after the listing seed (68) scored pairwise P 0.94 / R 0.82
#: against P 0.98 / R 0.89 for a regroup of the same 79. Here a whole pass over 10,000
#: articles takes about 1.9 s and one over 5,000 under 1 s, the promise for a
#: 1,000-article import; above it, batches keep an import's cost independent of the
#: library's size.
WHOLE_LIBRARY_UP_TO = 5_000

#: New articles are grouped this many at a time: bounds memory on a million-article file,
#: and lets later batches find earlier ones through the stored vectors.
ASSIGN_BATCH = 2000


def _corrections(db: Database, ids: Iterable[int] | None = None) -> Corrections:
    """The corrections as grouping applies them (all, or those touching some articles)."""
    wanted = set(ids) if ids is not None else None
    c = Corrections()
    for kind, a, b in correction_store.corrections(db):
        if wanted is not None and a not in wanted and b not in wanted:
            continue
        if kind == "alone":
            c.alone.add(a)
        elif kind == "together" and b is not None:
            c.together.append((a, b))
        elif kind == "apart" and b is not None:
            c.apart.add(frozenset((a, b)))
    return c


def assign_new_articles(
    db: Database,
    article_ids: list[int],
    progress: Progress = no_progress,
    cancelled: CancelCheck = never_cancelled,
    extraction: NewFeatures | None = None,
) -> set[int]:
    """Give each new article (``story_id`` NULL) a story; returns the touched story ids.

    Two passes: every new article's features are extracted and counted first (in worker
    processes beside this one for big imports), then the articles are weighed against the
    library's final document frequencies and assigned a batch at a time. Weighing the first
    batches against a library that did not yet hold the rest of the file made an import
    group differently from a regroup of the same articles (random words: 13,049 stories
    against 20,000). A library whose index is from an older Broadsheet (articles without
    stored features) is regrouped whole instead, which assigns the new articles too.

    ``extraction``: the import's, holding the articles it has handed out while storing them
    (:mod:`reader.library.extraction`); without one, they are all extracted here.
    """
    if not article_ids:
        return set()
    with paused_collection():
        if extraction is not None:
            return _assign_new_articles(db, article_ids, progress, cancelled, extraction)
        with new_features(db) as extraction:
            extraction.add(article_ids)
            return _assign_new_articles(db, article_ids, progress, cancelled, extraction)


def _assign_new_articles(
    db: Database,
    article_ids: list[int],
    progress: Progress,
    cancelled: CancelCheck,
    extraction: NewFeatures,
) -> set[int]:
    featured, old = index_state(db, len(article_ids))
    if old:
        regroup(db, progress, cancelled)
        return set()
    extraction.finish(progress, cancelled, featured)
    run = _Run(db, extraction.df)
    total = run.df.total
    if len(article_ids) >= WHOLE_LIBRARY_SHARE * total or total <= WHOLE_LIBRARY_UP_TO:
        # Most of the library is new, or it is small: one pass over all of it is quick, and
        # it is exactly what a regroup would give.
        _group_whole_library(db, total, progress, cancelled)
        return set()
    touched: set[int] = set()
    count = len(article_ids)
    for start in range(0, count, ASSIGN_BATCH):
        check_cancelled(cancelled, "grouping")
        touched |= _assign_batch(db, article_ids[start : start + ASSIGN_BATCH], run, cancelled)
        progress(min(count, start + ASSIGN_BATCH), count, "grouping new articles")
    return touched


class _Run:
    """What an import keeps between its batches (:mod:`reader.library.grouping_runs`)."""

    def __init__(self, db: Database, df: DocumentFrequencies) -> None:
        self.df = df
        self.facts = Facts(db)
        self.postings = Postings(db)
        self.stories = Stories(db)
        self._weighing: Weighing | None = None

    def weighing(self) -> Weighing:
        """The frequencies every new article is weighed against: counted in full before the
        first batch is assigned, so one weighing (and its memo) serves them all."""
        if self._weighing is None:
            self._weighing = self.df.weighing()
        return self._weighing


def _assign_batch(
    db: Database, batch: Sequence[int], run: _Run, cancelled: CancelCheck
) -> set[int]:
    weighing = run.weighing()
    feats = {a: f for a, d in index.features(db, batch).items() if (f := feat.loads(d))}
    vectors = {a: weigh(f.terms, weighing) for a, f in feats.items()}
    index.write_vectors(db, ((term, a, w) for a, v in vectors.items() for term, w in v))
    run.postings.add(vectors)
    meta = index.meta(db, list(vectors))
    items = [
        Item(a, vectors[a], conflicts.facts_of(f), meta[a][0], meta[a][1])
        for a, f in feats.items()
    ]
    postings = run.postings.get(sorted({term for v in vectors.values() for term, _ in v}))
    reached = np.unique(np.concatenate([np.zeros(0, np.int64),
                                        *(ids for ids, _ in postings.values())]))
    run.stories.reach(a for a in reached.astype(np.int64).tolist() if a not in vectors)
    reach = Reach(postings, run.stories.story_of, run.stories.stories, run.facts)
    assigned = assign(items, reach, _corrections(db, vectors), weighing, cancelled)
    touched: set[int] = set()
    updates: list[tuple[int, int]] = []
    unlabelled = [ids for story, ids in assigned if story is None]
    labelled = [(story, ids) for story, ids in assigned if story is not None]
    labelled += list(zip(story_store.new_stories(db, len(unlabelled)), unlabelled, strict=True))
    for story, ids in labelled:
        updates.extend((story, a) for a in ids)
        touched.add(story)
        run.stories.assigned(story, [(a, meta[a][0], meta[a][1]) for a in ids])
    story_store.set_stories(db, updates)
    return touched


def regroup(
    db: Database, progress: Progress = no_progress, cancelled: CancelCheck = never_cancelled
) -> int:
    """Regroup the whole library under the corrections; returns the number of stories.

    All-or-nothing: cancelling leaves the library as it was.
    """
    with db.atomic(), paused_collection():
        ids = index.article_ids(db)
        if index_state(db)[1]:
            _rebuild_features(db, ids, progress, cancelled)
        _group_whole_library(db, len(ids), progress, cancelled)
        return int(db.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])


def _group_whole_library(
    db: Database, size: int, progress: Progress, cancelled: CancelCheck
) -> None:
    """Weigh every article again and group the library in one pass (the caller holds the
    transaction); old story ids and notes stay where the new stories overlap them."""
    progress(0, size, "weighing articles")
    meta = index.meta(db)  # read once: grouping changes no article's story or dates
    library = _weighed_library(db, meta, cancelled)
    old_of = {a: m[2] for a, m in meta.items()}
    del meta
    progress(0, size, "grouping articles")
    clusters = regroup_library(library, _corrections(db), cancelled)
    story_store.write_regroup(db, clusters, story_ids(clusters, old_of), old_of)
    progress(size, size, "grouping articles")


def _rebuild_features(
    db: Database, ids: list[int], progress: Progress, cancelled: CancelCheck
) -> None:
    """Extract every article's features again (an index from an older Broadsheet)."""
    entity_store.clear_all(db)
    index.clear(db)
    with new_features(db) as extraction:
        extraction.add(ids)
        extraction.finish(progress, cancelled, 0)


def _weighed_library(
    db: Database, meta: Mapping[int, index.Meta], cancelled: CancelCheck
) -> Library:
    """Every article weighed against the current frequencies, its vector stored again, in
    arrays (never a Python list of every vector)."""
    total = index.featured_count(db)
    cap = Weighing.of({}, total).cap
    weighing = Weighing.known(dict(index.all_document_frequencies(db, cap)), total)
    vocab: dict[str, int] = {}
    term_id = vocab.setdefault
    arts, terms, weights = array.array("q"), array.array("q"), array.array("d")
    ids: list[int] = []
    facts: list[str | None] = []
    for n, (article_id, data, stored_facts) in enumerate(index.all_features(db)):
        if n % 5000 == 0 and cancelled():
            raise Cancelled("regroup")
        found = feat.terms_of(data)
        vector: Vector = weigh(found, weighing) if found is not None else []
        ids.append(article_id)
        facts.append(stored_facts)
        for term, w in vector:
            arts.append(n)
            terms.append(term_id(term, len(vocab)))
            weights.append(w)
    entries = Entries(np.frombuffer(arts, np.int64), np.frombuffer(terms, np.int64),
                      np.frombuffer(weights, np.float64))
    _store_vectors(db, entries, ids, vocab)
    dates = [span_of(meta[a][0], meta[a][1]) for a in ids]
    return Library(ids, entries, len(vocab), StoredFacts(facts), dates, floor(vocab, weighing))


def _store_vectors(
    db: Database, entries: Entries, ids: Sequence[int], vocab: dict[str, int]
) -> None:
    """Replace every stored vector entry with ``entries``, written in the inverted index's
    own order (term, then article): each row then lands after the last, where rows in
    article order were spread over the whole index."""
    names = list(vocab)
    rank = np.empty(len(names), np.int64)
    rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    article_ids = np.asarray(ids, np.int64)[entries.article]
    order = np.lexsort((article_ids, rank[entries.term]))

    def rows() -> Iterator[tuple[str, int, float]]:
        for start in range(0, len(order), 50_000):
            part = order[start : start + 50_000]
            yield from zip([names[t] for t in entries.term[part].tolist()],
                           article_ids[part].tolist(), entries.weight[part].tolist(),
                           strict=True)

    index.replace_vectors(db, rows())


def vectors_of(db: Database, article_ids: Sequence[int]) -> dict[int, tuple[Vector, feat.Features]]:
    """Articles' vectors weighed against the library now, with their features (explanations),
    extracting the features of any article that has none stored."""
    stored = {a: feat.loads(d) for a, d in index.features(db, article_ids).items()}
    missing = [a for a in article_ids if stored.get(a) is None]
    for article_id, title, body in index.texts(db, missing):
        stored[article_id] = feat.extract(title, body)
    found: dict[int, feat.Features] = {a: f for a, f in stored.items() if f is not None}
    df = DocumentFrequencies(db)
    df.fetch(term for f in found.values() for term in f.terms)
    weighing = df.weighing()
    return {a: (weigh(f.terms, weighing), f) for a, f in found.items()}
