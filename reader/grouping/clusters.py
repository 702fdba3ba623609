"""From scored pairs to stories: union-find with the user's corrections as constraints.

Plain union-find chains: A~B and B~C put A with C even when A and C report different events.
So a join between two groups is made only when the *average* score over their cross pairs
is high enough (average link), when the joined story's known dates stay within
``STORY_SPAN``, and when no "apart" correction or fixed label separates them.

Corrections: ``together`` pairs are joined first, whatever their score; ``apart`` pairs never
end up in one story; ``alone`` articles join nothing automatically and nothing joins them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from reader.errors import Cancelled
from reader.grouping import thresholds as t
from reader.grouping.candidates import blocking_keys, build_index, candidates_for
from reader.grouping.features import Features
from reader.grouping.scoring import (
    Prepared,
    Rarity,
    is_repost,
    names_evidence,
    prepare,
    score_prepared,
)
from reader.progress import CancelCheck, Progress, never_cancelled, no_progress


@dataclass(frozen=True, slots=True)
class Item:
    """One article as grouping sees it."""

    id: int
    features: Features
    ts: int | None = None  # epoch seconds of the publication date, None when unknown
    inferred: bool = False  # the date was read from the prose


@dataclass(slots=True)
class Constraints:
    """The user's corrections, as grouping applies them."""

    together: list[tuple[int, int]] = field(default_factory=list)
    apart: set[frozenset[int]] = field(default_factory=set)
    alone: set[int] = field(default_factory=set)


def within_window(a: Item, b: Item) -> bool:
    """Known dates bound the window; an unknown date never excludes a pair by itself."""
    if a.ts is None or b.ts is None:
        return True
    window = t.INFERRED_DATE_WINDOW if (a.inferred or b.inferred) else t.DATE_WINDOW
    return abs(a.ts - b.ts) <= window.total_seconds()


class _Groups:
    """Union-find that keeps each root's members, date span and fixed label."""

    def __init__(self, items: Mapping[int, Item], labels: Mapping[int, int]) -> None:
        self.parent = {i: i for i in items}
        self.members: dict[int, list[int]] = {i: [i] for i in items}
        self.span: dict[int, tuple[int, int] | None] = {
            i: (it.ts, it.ts) if it.ts is not None and not it.inferred else None
            for i, it in items.items()
        }
        self.label: dict[int, int | None] = {i: labels.get(i) for i in items}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        sa, sb = self.span[ra], self.span.pop(rb)
        if sa is None:
            self.span[ra] = sb
        elif sb is not None:
            self.span[ra] = (min(sa[0], sb[0]), max(sa[1], sb[1]))
        la, lb = self.label[ra], self.label.pop(rb)
        self.label[ra] = la if la is not None else lb
        return ra

    def span_ok(self, ra: int, rb: int) -> bool:
        sa, sb = self.span[ra], self.span[rb]
        if sa is None or sb is None:
            return True
        return max(sa[1], sb[1]) - min(sa[0], sb[0]) <= t.STORY_SPAN.total_seconds()

    def labels_ok(self, ra: int, rb: int) -> bool:
        la, lb = self.label[ra], self.label[rb]
        return la is None or lb is None or la == lb


@dataclass(slots=True)
class Grouping:
    """The outcome: clusters (lists of article ids) and the accepted pair rule of each edge."""

    clusters: list[list[int]]
    edges: dict[frozenset[int], str]


def group(
    items: Sequence[Item],
    constraints: Constraints | None = None,
    *,
    rarity: Rarity | None = None,
    labels: Mapping[int, int] | None = None,
    bodies: Callable[[Iterable[int]], Mapping[int, str]] | None = None,
    only: Iterable[int] | None = None,
    prepared: Callable[[int], Prepared] | None = None,
    keys: Mapping[int, Sequence[str]] | None = None,
    candidates: Mapping[int, Sequence[int]] | None = None,
    progress: Progress = no_progress,
    cancelled: CancelCheck = never_cancelled,
) -> Grouping:
    """Group ``items`` into stories.

    ``labels`` pins articles to existing stories: articles with one label start as one
    group, and two groups with different labels never join (incremental imports join new
    articles to stories, they do not merge old ones).
    ``only`` restricts the articles whose candidates are searched (the new ones); others
    still take part as candidates. ``bodies`` fetches article bodies for the re-post test.
    ``prepared`` may give an article's weighted features and ``keys`` its blocking keys,
    computed by the caller under the same ``rarity`` (a full regroup streams them from
    storage with a bounded cache, so it never holds every article's features at once).
    ``candidates`` may give each probed article its blocking candidates directly (an import
    ranks them over the stored index, which is wider than ``items``).
    """
    constraints = constraints or Constraints()
    by_id = {it.id: it for it in items}
    rarity = rarity or Rarity.of(it.features for it in items)
    labels = labels or {}

    if candidates is None:
        if keys is None:
            keys = {it.id: blocking_keys(it.features, rarity) for it in items}
        index = build_index(keys)
        found_keys = keys

        def candidates_of(a: int) -> Sequence[int]:
            return candidates_for(a, found_keys[a], index, rarity)
    else:
        given = candidates

        def candidates_of(a: int) -> Sequence[int]:
            return [b for b in given.get(a, ()) if b in by_id]

    probe = list(only) if only is not None else [it.id for it in items]

    cache: dict[int, Prepared] = {}

    def own_prep(i: int) -> Prepared:
        p = cache.get(i)
        if p is None:
            p = cache[i] = prepare(by_id[i].features, rarity)
        return p

    prep = prepared or own_prep

    # Pairs are keyed by one int (low id << 32 | high id): a tuple per pair cost most of a
    # full regroup's memory.
    pair_cache: dict[int, float] = {}

    def pair_score(a: int, b: int) -> float:
        lo, hi = (a, b) if a < b else (b, a)
        k = lo << 32 | hi
        cached = pair_cache.get(k)
        if cached is None:
            if not within_window(by_id[lo], by_id[hi]):
                cached = -1.0
            else:
                cached = score_prepared(prep(lo), prep(hi), rarity)[0]
            pair_cache[k] = cached
        return cached

    edges: list[tuple[float, int, int, str]] = []
    repost_checks: list[tuple[int, int]] = []
    seen: set[int] = set()
    alone = constraints.alone
    for n, a in enumerate(probe):
        if n % 500 == 0:
            if cancelled():
                raise Cancelled("grouping")
            progress(n, len(probe), "grouping articles")
        if a in alone or a not in by_id:
            continue
        ia = by_id[a]
        pa: Prepared | None = None  # weighed on its first candidate: many articles have none
        for b in candidates_of(a):
            if b in alone:
                continue
            lo, hi = (a, b) if a < b else (b, a)
            k = lo << 32 | hi
            if k in seen:
                continue
            seen.add(k)
            if pa is None:
                pa = prep(a)
            pb = prep(b)
            # Cheap test first: most candidates name different people or places. Their
            # score is computed later only if the average-link test asks for it.
            names = names_evidence(pa, pb)
            if names is None:
                continue
            score, ok, phrases = score_prepared(pa, pb, rarity, names)
            if phrases >= 0.5:
                repost_checks.append((lo, hi))
            ib = by_id[b]
            if not within_window(ia, ib):
                pair_cache[k] = -1.0
                continue
            pair_cache[k] = score
            if ok:
                edges.append((score, lo, hi, "shared facts"))
    if bodies is not None and repost_checks:
        texts = bodies({i for pair in repost_checks for i in pair})
        for a, b in repost_checks:
            if is_repost(texts.get(a, ""), texts.get(b, "")):
                edges.append((2.0, a, b, "re-post"))

    groups = _Groups(by_id, labels)
    # Articles already in one story (the same label) start as one group, so the
    # average-link test weighs a newcomer against the story, not against one member.
    first_of: dict[int, int] = {}
    for i, label in labels.items():
        if i in by_id:
            if label in first_of:
                groups.union(first_of[label], i)
            else:
                first_of[label] = i
    forced: dict[frozenset[int], str] = {}
    for a, b in constraints.together:
        if a in by_id and b in by_id:
            ra, rb = groups.find(a), groups.find(b)
            if ra != rb and groups.labels_ok(ra, rb):
                groups.union(a, b)
            forced[frozenset((a, b))] = "user merge"

    apart_of: dict[int, set[int]] = {}
    for pair in constraints.apart:
        x, y = tuple(pair)
        apart_of.setdefault(x, set()).add(y)
        apart_of.setdefault(y, set()).add(x)

    def apart_ok(ra: int, rb: int) -> bool:
        if not apart_of:
            return True
        small, large = sorted((groups.members[ra], groups.members[rb]), key=len)
        large_set = set(large)
        return not any(apart_of.get(m, set()) & large_set for m in small)

    pinned = {x for pair in constraints.together for x in pair}

    def average_ok(ra: int, rb: int) -> bool:
        # Articles the user placed by hand do not vote: a moved-in outlier must not keep
        # the story's genuine versions out.
        ma = [m for m in groups.members[ra] if m not in pinned]
        mb = [m for m in groups.members[rb] if m not in pinned]
        if not ma or not mb:
            return True
        # The cross pairs in x-major order, sampled evenly beyond MAX_LINK_PAIRS without
        # listing them all (two big groups would make millions of pairs).
        count = len(ma) * len(mb)
        if count > t.MAX_LINK_PAIRS:
            step = count / t.MAX_LINK_PAIRS
            picks = [int(i * step) for i in range(t.MAX_LINK_PAIRS)]
        else:
            picks = list(range(count))
        width = len(mb)
        scores = [pair_score(ma[i // width], mb[i % width]) for i in picks]
        if any(s < 0 for s in scores):
            return False  # some pair lies outside the date window
        return sum(scores) / len(scores) >= t.AVERAGE_LINK

    accepted: dict[frozenset[int], str] = dict(forced)
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    for _score, a, b, rule in edges:
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb:
            accepted.setdefault(frozenset((a, b)), rule)
            continue
        if not (groups.labels_ok(ra, rb) and apart_ok(ra, rb)):
            continue
        if rule != "re-post" and not (groups.span_ok(ra, rb) and average_ok(ra, rb)):
            continue
        groups.union(a, b)
        accepted[frozenset((a, b))] = rule
    progress(len(probe), len(probe), "grouping articles")
    clusters = [sorted(m) for m in groups.members.values()]
    clusters.sort(key=lambda c: c[0])
    return Grouping(clusters=clusters, edges=accepted)
