"""Step two: each article's terms weighed into a short TF-IDF vector.

Weight of a term = (1 + ln count) x (ln((N + 1) / (df + 1)) + 1): sublinear in how often the
article says it (a name repeated ten times is not ten times the evidence), and rarer terms in
the library weigh more (a tanker's name proves more than "Putin" in a Russia dump). Terms held
by too many articles are left out (:func:`reader.grouping.thresholds.term_df_cap`), only the
heaviest :data:`~reader.grouping.thresholds.VECTOR_TERMS` are kept, and the vector is
normalised, so the dot product of two vectors is their cosine similarity.

The document frequencies are the library's own, so a vector depends on the library it was
weighed in; a regroup weighs every article again.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from reader.grouping import thresholds as t

#: One article's vector: (term, weight) pairs, heaviest first, of unit length.
Vector = list[tuple[str, float]]


@dataclass(frozen=True, slots=True)
class Weighing:
    """How terms weigh in one library: its size and each term's document frequency."""

    total: int
    df: Callable[[str], int]  # a term's document frequency (at least 1 for a known term)
    #: term -> its IDF, or None when it is over the cap: a regroup weighs every article
    #: against the same frequencies, and the same terms recur in most of them.
    memo: dict[str, float | None] = field(default_factory=dict, compare=False, repr=False)
    #: Every term under the cap with its IDF, when the caller has them all at hand (a
    #: regroup reads every frequency anyway): an article's terms are then matched against
    #: it in one set operation, not one look-up per term.
    idf: Mapping[str, float] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, df: Mapping[str, int], total: int) -> Weighing:
        get = df.get
        return cls(max(total, 1), lambda term: get(term, 1))

    @classmethod
    def known(cls, df: Mapping[str, int], total: int) -> Weighing:
        """A weighing with every term's frequency given in ``df``, where a term missing
        from ``df`` is over the cap (holds :attr:`idf` for every term under it)."""
        total = max(total, 1)
        cap = t.term_df_cap(total)
        over = cap + 1
        get = df.get
        # One float per distinct frequency, shared by the terms that have it.
        by_count: dict[int, float] = {}
        idf: dict[str, float] = {}
        for term, n in df.items():
            if n > cap:
                continue
            value = by_count.get(n)
            if value is None:
                value = by_count[n] = inverse_frequency(total, n)
            idf[term] = value
        return cls(total, lambda term: get(term, over), idf=idf)

    @property
    def cap(self) -> int:
        return t.term_df_cap(self.total)

    def rarity(self, term: str) -> float:
        """The term's inverse document frequency, as :func:`weigh` uses it."""
        return inverse_frequency(self.total, self.df(term))


def inverse_frequency(total: int, df: int) -> float:
    """The smoothed IDF of a term held by ``df`` of ``total`` articles."""
    return math.log(total + 1) - math.log(df + 1) + 1.0


def weigh(terms: Mapping[str, int], weighing: Weighing) -> Vector:
    """The article's vector: its heaviest terms under the library's cap, normalised."""
    log = math.log
    weighted: list[tuple[float, str]] = []
    if weighing.idf is not None:
        idf_of = weighing.idf
        weighted = [((1.0 + log(count)) * idf_of[term], term)
                    for term in terms.keys() & idf_of.keys() if (count := terms[term]) > 0]
        return _normalised(weighted)
    memo = weighing.memo
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    for term, count in terms.items():
        idf = memo.get(term, _UNSEEN)
        if idf is _UNSEEN:
            idf = memo[term] = _idf(term, weighing)
        if idf is None or count <= 0:
            continue
        weighted.append(((1.0 + log(count)) * idf, term))
    return _normalised(weighted)


def _normalised(weighted: list[tuple[float, str]]) -> Vector:
    """The heaviest :data:`~reader.grouping.thresholds.VECTOR_TERMS` of ``(weight, term)``,
    heaviest first, at unit length (ties in weight by term, so the order is one)."""
    if len(weighted) > t.VECTOR_TERMS:
        weighted = heapq.nlargest(t.VECTOR_TERMS, weighted)
    else:
        weighted.sort(reverse=True)
    norm = math.sqrt(sum(w * w for w, _ in weighted))
    if not norm:
        return []
    return [(term, w / norm) for w, term in weighted]


#: Terms a weighing remembers before it starts over (a memory bound).
_MEMO_LIMIT = 2_000_000
_UNSEEN = -1.0


def _idf(term: str, weighing: Weighing) -> float | None:
    n = weighing.df(term)
    if n > weighing.cap:
        return None
    return inverse_frequency(weighing.total, n)


def cosine(a: Vector, b: Vector) -> float:
    """The dot product of two normalised vectors (for explanations: grouping computes all of
    a library's products at once, in :mod:`reader.grouping.candidates`)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    other = dict(large)
    return sum(w * other.get(term, 0.0) for term, w in small)


def shared_terms(a: Vector, b: Vector) -> list[tuple[str, float]]:
    """The terms two vectors share with what each contributes to their cosine, heaviest first."""
    other = dict(b)
    shared = [(term, w * other[term]) for term, w in a if term in other]
    shared.sort(key=lambda item: -item[1])
    return shared
