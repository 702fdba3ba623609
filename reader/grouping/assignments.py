"""Step five: which story each article belongs to, for a whole library or for new articles.

Both paths run the same pipeline (vectors -> candidate pairs and their cosine -> conflicts
-> average link) and differ only in what they start from:

* :func:`regroup` groups every article of the library from scratch;
* :func:`assign` adds new articles to a library: each existing story they reach is one node
  of its full size (its members not reached count 0 in the average), so a new article joins
  the story with the highest average similarity to its members, or starts its own; new
  articles may join each other; existing stories never merge here.

On the same articles and document frequencies the two give the same stories.
:func:`story_ids` then keeps old story ids for a regroup's clusters, so notes stay put.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from reader.grouping import thresholds as t
from reader.grouping.candidates import (
    Entries,
    Floor,
    Pairs,
    Postings,
    similar_pairs,
)
from reader.grouping.clusters import Links, Node, Span, components, group, span_of
from reader.grouping.conflicts import NO_FACTS, Facts
from reader.grouping.similarity import with_conflicts
from reader.grouping.vectors import Vector, Weighing
from reader.progress import CancelCheck, never_cancelled

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Item:
    """One article as grouping sees it."""

    id: int
    vector: Vector
    facts: Facts = NO_FACTS
    ts: int | None = None  # epoch seconds of the publication date, None when unknown
    inferred: bool = False  # the date was read from the prose


@dataclass(slots=True)
class Corrections:
    """The user's corrections, by article id."""

    together: list[tuple[int, int]] = field(default_factory=list)
    apart: set[frozenset[int]] = field(default_factory=set)
    alone: set[int] = field(default_factory=set)


def _entries(vectors: Iterable[tuple[int, Vector]], vocab: dict[str, int]) -> Entries:
    articles: list[int] = []
    terms: list[int] = []
    weights: list[float] = []
    term_id = vocab.setdefault
    for n, vector in vectors:
        for term, w in vector:
            articles.append(n)
            terms.append(term_id(term, len(vocab)))
            weights.append(w)
    return Entries(
        np.array(articles, np.int64), np.array(terms, np.int64), np.array(weights, np.float64)
    )


def _node(item: Item, corrections: Corrections) -> Node:
    return Node(1, span_of(item.ts, item.inferred), None, item.id in corrections.alone)


def _links(a: Sequence[int], b: Sequence[int], s: Sequence[float], index: Mapping[int, int],
           corrections: Corrections) -> Links:
    together = [(index[x], index[y]) for x, y in corrections.together
                if x in index and y in index]
    apart = {frozenset(index[x] for x in pair) for pair in corrections.apart
             if all(x in index for x in pair)}
    return Links(a, b, s, together, apart)


def floor(vocab: Mapping[str, int], weighing: Weighing) -> Floor:
    """The floor pairs must reach, with each term id's rarity for the shared-rarity test."""
    rarity = np.zeros(len(vocab), np.float64)
    for term, n in vocab.items():
        rarity[n] = weighing.rarity(term)
    return Floor(t.EDGE_FLOOR, rarity, t.MIN_SHARED_RARITY)


def _graph(
    pairs: Pairs,
    node_of: npt.NDArray[np.int64],
    sizes: npt.NDArray[np.int64],
    facts: Callable[[Sequence[int]], Sequence[Facts]],
    forced: Sequence[tuple[int, int]],
) -> tuple[Ints, Ints, Floats]:
    """The similarity graph between nodes (of ``sizes`` articles each): pairs of articles
    (by index) mapped to their nodes, their conflicts subtracted.

    Two groups' average is never above the best average between a node of one and a node
    of the other (a group's average is the mean of its members'), and conflicts only lower
    it, so groups only ever join across a pair of nodes whose summed cosine reaches the
    threshold over their sizes. Pairs whose nodes no such pair connects can never matter:
    they are dropped before their conflicts are tested, which is most pairs of a large
    library and nearly all of an import's pairs with stored stories.
    ``facts(indices)`` gives the facts of the articles at those indices.
    """
    a, b = node_of[pairs.a], node_of[pairs.b]
    low, high, summed = _summed(a, b, pairs.similarity, len(sizes))
    strong = summed >= t.LINK_THRESHOLD * sizes[low] * sizes[high]
    extra = list(zip(*forced, strict=True)) if forced else [(), ()]
    joined = np.asarray(components(
        len(sizes),
        [*low[strong].tolist(), *extra[0]],
        [*high[strong].tolist(), *extra[1]],
    ), dtype=np.int64)
    keep = (joined[a] == joined[b]) & (a != b)
    pa, pb = pairs.a[keep], pairs.b[keep]
    # Conflicts are tested on the articles these pairs touch, renumbered 0..k.
    wanted = np.unique(np.concatenate([pa, pb]))
    kept = with_conflicts(
        Pairs(np.searchsorted(wanted, pa), np.searchsorted(wanted, pb), pairs.similarity[keep]),
        facts(wanted.tolist()),
    )
    return _summed(a[keep], b[keep], kept.similarity, len(sizes))


def _summed(a: Ints, b: Ints, s: Floats, nodes: int) -> tuple[Ints, Ints, Floats]:
    """Pairs between the same two nodes (a new article and several members of one story)
    summed into one edge: the average link only ever reads their sum."""
    low, high = np.minimum(a, b), np.maximum(a, b)
    keys = low * max(nodes, 1) + high
    if not len(keys) or bool(np.all(keys[1:] > keys[:-1])):
        # Already one pair per edge, in order (a regroup's pairs, as the walk gives them):
        # what the sort and sum below would give, without sorting millions of keys.
        return low, high, s + 0.0  # + 0.0: as the sum, never -0.0
    keys, inverse = np.unique(keys, return_inverse=True)
    sums = np.bincount(inverse, weights=s).astype(np.float64)
    return keys // max(nodes, 1), keys % max(nodes, 1), sums


def regroup(
    items: Sequence[Item],
    corrections: Corrections,
    weighing: Weighing,
    cancelled: CancelCheck = never_cancelled,
) -> list[list[int]]:
    """Group a whole library weighed by ``weighing``; returns the stories as article ids."""
    vocab: dict[str, int] = {}
    entries = _entries(((n, it.vector) for n, it in enumerate(items)), vocab)
    library = Library(
        ids=[it.id for it in items],
        entries=entries,
        terms=len(vocab),
        facts=[it.facts for it in items],
        dates=[span_of(it.ts, it.inferred) for it in items],
        floor=floor(vocab, weighing),
    )
    return regroup_library(library, corrections, cancelled)


@dataclass(frozen=True, slots=True)
class Library:
    """A whole library ready to group, in arrays: what a regroup of a million articles can
    hold (a vector as Python pairs costs ten times its entries in numpy)."""

    ids: Sequence[int]  # article ids; every other sequence is by index into these
    entries: Entries  # every vector entry (article index, term id, weight)
    terms: int  # number of term ids
    facts: Sequence[Facts]
    dates: Sequence[Span]
    floor: Floor  # what a pair must reach to count (see :func:`floor`)


def regroup_library(
    library: Library, corrections: Corrections, cancelled: CancelCheck = never_cancelled
) -> list[list[int]]:
    """:func:`regroup` over arrays; returns the stories as lists of article ids."""
    entries = library.entries
    pairs = similar_pairs(
        entries, Postings.of(entries, library.terms), library.floor,
        per_article=t.MAX_NEIGHBOURS,
    )
    ids = library.ids
    index = {a: n for n, a in enumerate(ids)}
    alone = corrections.alone
    nodes = [Node(1, dates, None, ids[n] in alone) for n, dates in enumerate(library.dates)]
    links = _links([], [], [], index, corrections)
    links.a, links.b, links.similarity = _graph(
        pairs, np.arange(len(ids), dtype=np.int64), np.ones(len(ids), dtype=np.int64),
        lambda wanted: [library.facts[n] for n in wanted], links.together,
    )
    return [[ids[n] for n in g] for g in group(nodes, links, cancelled)]


@dataclass(frozen=True, slots=True)
class Story:
    """An existing story as an import weighs it: its size and known dates."""

    size: int
    dates: Span


@dataclass(frozen=True, slots=True)
class Reach:
    """What new articles reach in the library: stored vector entries of existing articles
    under the new vectors' terms, and what grouping needs of those articles."""

    #: term -> (article ids, weights): stored vector entries under the new vectors' terms
    postings: Mapping[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]]
    story_of: Mapping[int, int]  # article id -> its story (articles without one are skipped)
    stories: Mapping[int, Story]  # story id -> size and dates
    facts: Callable[[Sequence[int]], Mapping[int, Facts]]  # articles' facts, read on demand


def assign(
    new: Sequence[Item],
    reach: Reach,
    corrections: Corrections,
    weighing: Weighing,
    cancelled: CancelCheck = never_cancelled,
) -> list[tuple[int | None, list[int]]]:
    """Give new articles their stories: ``(existing story id or None, new article ids)``."""
    vocab: dict[str, int] = {}
    fresh = _entries(((n, it.vector) for n, it in enumerate(new)), vocab)
    old_ids, stored = _stored(reach, vocab, len(new))
    everything = Entries(
        np.concatenate([fresh.article, stored.article]),
        np.concatenate([fresh.term, stored.term]),
        np.concatenate([fresh.weight, stored.weight]),
    )
    probed = np.zeros(len(new) + len(old_ids), dtype=bool)
    probed[: len(new)] = True
    pairs = similar_pairs(
        fresh, Postings.of(everything, len(vocab)), floor(vocab, weighing), probed,
        per_article=t.MAX_NEIGHBOURS,
    )
    # Each reached story is one node of its full size, labelled with its id.
    found = np.unique(pairs.b[pairs.b >= len(new)]).tolist()
    story_ids = sorted({reach.story_of[old_ids[x - len(new)]] for x in found})
    story_node = {s: len(new) + k for k, s in enumerate(story_ids)}
    node_of = np.arange(len(new) + len(old_ids), dtype=np.int64)
    for x in found:
        node_of[x] = story_node[reach.story_of[old_ids[x - len(new)]]]
    nodes = [_node(it, corrections) for it in new] + [
        Node(reach.stories[s].size, reach.stories[s].dates, s) for s in story_ids
    ]

    def facts(wanted: Sequence[int]) -> list[Facts]:
        stored = reach.facts([old_ids[x - len(new)] for x in wanted if x >= len(new)])
        return [new[x].facts if x < len(new) else stored.get(old_ids[x - len(new)], NO_FACTS)
                for x in wanted]

    index = {it.id: n for n, it in enumerate(new)}
    links = _links([], [], [], index, corrections)
    links.a, links.b, links.similarity = _graph(
        pairs, node_of, np.array([n.size for n in nodes], dtype=np.int64), facts,
        links.together,
    )
    out: list[tuple[int | None, list[int]]] = []
    for members in group(nodes, links, cancelled):
        label = next((nodes[m].label for m in members if nodes[m].label is not None), None)
        ids = [new[m].id for m in members if m < len(new)]
        if ids:
            out.append((label, ids))
    return out


def _stored(
    reach: Reach, vocab: Mapping[str, int], offset: int
) -> tuple[list[int], Entries]:
    """The stored entries under ``vocab``'s terms, of articles that have a story, indexed
    from ``offset`` on (the new articles come first): (their article ids, the entries)."""
    found = [(vocab[term], reach.postings[term]) for term in vocab if term in reach.postings]
    if not found:
        empty = np.zeros(0, np.int64)
        return [], Entries(empty, empty, np.zeros(0, np.float64))
    articles = np.concatenate([arrays[0] for _, arrays in found])
    weights = np.concatenate([arrays[1] for _, arrays in found])
    terms = np.repeat(np.array([t_id for t_id, _ in found], np.int64),
                      [len(arrays[0]) for _, arrays in found])
    ids, position = np.unique(articles, return_inverse=True)
    story_of = reach.story_of
    has_story = np.fromiter((int(a) in story_of for a in ids.tolist()), dtype=bool,
                            count=len(ids))
    keep = has_story[position]
    renumber = np.cumsum(has_story) - 1 + offset
    return (ids[has_story].tolist(),
            Entries(renumber[position[keep]], terms[keep], weights[keep]))


def story_ids(
    clusters: Sequence[Sequence[int]], old_story_of: Mapping[int, int | None]
) -> list[int | None]:
    """For each regrouped cluster, the old story id it keeps (None: a new story).

    The cluster holding most of an old story's articles keeps that story's id (ties to the
    cluster with the oldest article), so a regroup that changes little keeps ids, and the
    notes attached to them, where they were.
    """
    overlaps: list[tuple[int, int, int, int]] = []  # (-shared, oldest, cluster, story)
    for index, cluster in enumerate(clusters):
        counts: dict[int, int] = {}
        for a in cluster:
            s = old_story_of.get(a)
            if s is not None:
                counts[s] = counts.get(s, 0) + 1
        overlaps.extend((-n, min(cluster), index, s) for s, n in counts.items())
    overlaps.sort()
    kept: list[int | None] = [None] * len(clusters)
    used: set[int] = set()
    for _, _, index, s in overlaps:
        if kept[index] is None and s not in used:
            kept[index] = s
            used.add(s)
    return kept
