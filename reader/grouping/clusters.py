"""Step four: similar pairs into stories, by average link under the user's corrections.

Plain union-find chains (A~B and B~C put A with an unrelated C), so two groups join only when
the *average* similarity over all their cross pairs reaches
:data:`~reader.grouping.thresholds.LINK_THRESHOLD`; a pair the candidate walk did not find
counts 0. The best-linked groups join first (agglomerative average link over the sparse
similarity graph). Since an average is never above its largest term, groups only ever join
across a pair at or above the threshold, so the work splits into the connected components of
those pairs, most of them a single article.

A node is an article, or a whole existing story that an import weighs new articles against
(:class:`Node` carries its size and dates); nodes with different fixed labels never join,
which is how an import adds to stories without merging them. Besides the average:

* a story's known dates may not span more than the date window (exact dates, and a wider
  window for dates read from the prose); an unknown date never splits anything;
* re-posts (similarity at or above :data:`~reader.grouping.thresholds.REPOST_SIMILARITY`)
  and ``together`` corrections join first, whatever the dates;
* ``apart`` corrections never end up in one story, ``alone`` articles join nothing.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from reader.errors import Cancelled
from reader.grouping import thresholds as t
from reader.progress import CancelCheck, never_cancelled

#: Known dates of a group: (earliest exact, latest exact, earliest any, latest any), epoch
#: seconds; None where the group has no date of that kind.
Span = tuple[int | None, int | None, int | None, int | None]
NO_DATES: Span = (None, None, None, None)


def span_of(ts: int | None, inferred: bool) -> Span:
    if ts is None:
        return NO_DATES
    return (None, None, ts, ts) if inferred else (ts, ts, ts, ts)


def _lo(x: int | None, y: int | None) -> int | None:
    return y if x is None else x if y is None else min(x, y)


def _hi(x: int | None, y: int | None) -> int | None:
    return y if x is None else x if y is None else max(x, y)


def joined(a: Span, b: Span) -> Span:
    return (_lo(a[0], b[0]), _hi(a[1], b[1]), _lo(a[2], b[2]), _hi(a[3], b[3]))


def span_ok(s: Span) -> bool:
    """True when a story with these dates stays inside the date windows."""
    if s[0] is not None and s[1] is not None and s[1] - s[0] > t.DATE_WINDOW.total_seconds():
        return False
    return not (
        s[2] is not None
        and s[3] is not None
        and s[3] - s[2] > t.INFERRED_DATE_WINDOW.total_seconds()
    )


@dataclass(frozen=True, slots=True)
class Node:
    """One thing to group: an article (size 1) or an existing story that keeps its label."""

    size: int = 1
    dates: Span = NO_DATES
    label: int | None = None  # the story it belongs to, fixed (imports)
    alone: bool = False  # split off by the user: joins nothing


@dataclass(slots=True)
class Links:
    """The similarity graph and the corrections, by node index."""

    a: npt.ArrayLike  # node indices (lists or arrays)
    b: npt.ArrayLike
    similarity: npt.ArrayLike
    together: list[tuple[int, int]] = field(default_factory=list)
    apart: set[frozenset[int]] = field(default_factory=set)


class _Groups:
    """Groups being formed: members, size, dates, label and summed similarity to others."""

    def __init__(self, nodes: Sequence[Node]) -> None:
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(nodes))}
        self.size = [n.size for n in nodes]
        self.dates = [n.dates for n in nodes]
        self.label = [n.label for n in nodes]
        self.links: dict[int, dict[int, float]] = {}
        self.apart: dict[int, set[int]] = {}  # group -> nodes it may never join

    def average(self, g: int, h: int) -> float:
        return self.links.get(g, {}).get(h, 0.0) / (self.size[g] * self.size[h])

    def may_join(self, g: int, h: int, check_dates: bool = True) -> bool:
        lg, lh = self.label[g], self.label[h]
        if lg is not None and lh is not None and lg != lh:
            return False
        if check_dates and not span_ok(joined(self.dates[g], self.dates[h])):
            return False
        apart_g = self.apart.get(g)
        if apart_g and any(m in apart_g for m in self.members[h]):
            return False
        apart_h = self.apart.get(h)
        return not (apart_h and any(m in apart_h for m in self.members[g]))

    def join(self, g: int, h: int) -> int:
        """Join group ``h`` into ``g`` (the larger keeps its index); returns the survivor."""
        if len(self.members[g]) < len(self.members[h]):
            g, h = h, g
        self.members[g].extend(self.members.pop(h))
        self.size[g] += self.size[h]
        self.dates[g] = joined(self.dates[g], self.dates[h])
        if self.label[g] is None:
            self.label[g] = self.label[h]
        if h in self.apart:
            self.apart.setdefault(g, set()).update(self.apart.pop(h))
        mine = self.links.setdefault(g, {})
        for k, s in self.links.pop(h, {}).items():
            if k == g:
                continue
            theirs = self.links[k]
            del theirs[h]
            mine[k] = theirs[g] = mine.get(k, 0.0) + s
        mine.pop(h, None)
        return g


def group(
    nodes: Sequence[Node], links: Links, cancelled: CancelCheck = never_cancelled
) -> list[list[int]]:
    """Group node indices into stories; returns the groups (lists of node indices)."""
    groups = _Groups(nodes)
    of = list(range(len(nodes)))  # node -> its group (kept current for joined nodes)

    def find(i: int) -> int:
        while of[i] != i:
            of[i] = of[of[i]]
            i = of[i]
        return i

    def force(i: int, j: int, check_dates: bool) -> None:
        gi, gj = find(i), find(j)
        if gi != gj and groups.may_join(gi, gj, check_dates):
            kept = groups.join(gi, gj)
            of[gi] = of[gj] = kept

    for pair in links.apart:
        x, y = tuple(pair)
        groups.apart.setdefault(x, set()).add(y)
        groups.apart.setdefault(y, set()).add(x)
    for x, y in links.together:
        force(x, y, check_dates=False)
    size = len(nodes)
    a = np.asarray(links.a, dtype=np.int64)
    b = np.asarray(links.b, dtype=np.int64)
    s = np.asarray(links.similarity, dtype=np.float64)
    alone = np.fromiter((n.alone for n in nodes), dtype=bool, count=size)
    single = np.fromiter((n.size == 1 for n in nodes), dtype=bool, count=size)
    valid = (a != b) & ~alone[a] & ~alone[b]
    a, b, s = a[valid], b[valid], s[valid]
    # Re-posts of single articles join first, whatever their dates.
    repost = (s >= t.REPOST_SIMILARITY) & single[a] & single[b]
    for i, j in zip(a[repost].tolist(), b[repost].tolist(), strict=True):
        force(i, j, check_dates=False)
    # Every edge between two groups summed into one link (in arrays, not per edge).
    root = np.array([find(i) for i in range(size)], dtype=np.int64)
    ga, gb = root[a], root[b]
    between = ga != gb
    low = np.minimum(ga, gb)[between]
    high = np.maximum(ga, gb)[between]
    keys, inverse = np.unique(low * max(size, 1) + high, return_inverse=True)
    sums = np.bincount(inverse, weights=s[between]) if len(keys) else np.zeros(0)
    low, high = keys // max(size, 1), keys % max(size, 1)
    known = groups.links
    for g, h, total in zip(low.tolist(), high.tolist(), sums.tolist(), strict=True):
        known.setdefault(g, {})[h] = total
        known.setdefault(h, {})[g] = total
    sizes = np.asarray(groups.size, dtype=np.float64)
    average = sums / (sizes[low] * sizes[high]) if len(keys) else sums
    linked = np.flatnonzero(average >= t.LINK_THRESHOLD)
    heap = list(zip((-average[linked]).tolist(), low[linked].tolist(), high[linked].tolist(),
                    strict=True))
    _agglomerate(groups, heap, cancelled)
    return [sorted(m) for m in groups.members.values()]


def _agglomerate(
    groups: _Groups, heap: list[tuple[float, int, int]], cancelled: CancelCheck
) -> None:
    """Join the best-linked groups while their average reaches the threshold. ``heap``
    holds ``(-average, g, h)`` for every pair of groups linked at the threshold or above."""
    threshold = t.LINK_THRESHOLD
    heapq.heapify(heap)
    popped = 0
    while heap:
        negative, g, h = heapq.heappop(heap)
        popped += 1
        if popped % 20_000 == 0 and cancelled():
            raise Cancelled("grouping")
        if g not in groups.members or h not in groups.members:
            continue  # one of them has joined another group since
        avg = groups.average(g, h)
        if abs(avg + negative) > 1e-12:
            continue  # stale: the entry for the current average is in the heap too
        if not groups.may_join(g, h):
            continue
        kept = groups.join(g, h)
        for k in groups.links.get(kept, {}):
            avg = groups.average(kept, k)
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(kept, k), max(kept, k)))


def components(size: int, a: Sequence[int], b: Sequence[int]) -> list[int]:
    """The connected component of each of ``size`` nodes over the edges ``a[k]``-``b[k]``
    (a component is named by one of its nodes)."""
    parent = list(range(size))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for x, y in zip(a, b, strict=True):
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[ry] = rx
    return [find(i) for i in range(size)]
