"""Pairwise and B-cubed precision, recall and F1 of a grouping against hand labels.

Pairwise scoring counts every pair of articles: a pair is positive when the labels put both
in one group. It is the usual measure for clustering duplicates, and it punishes one wrong
merge of two big groups as much as it deserves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True, slots=True)
class PairwiseScore:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    found_pairs: int
    correct_pairs: int


def _pairs(groups: Iterable[Sequence[object]]) -> set[frozenset[object]]:
    out: set[frozenset[object]] = set()
    for g in groups:
        out.update(frozenset(p) for p in combinations(sorted(set(g), key=str), 2))
    return out


def pairwise(
    predicted: Iterable[Sequence[object]], truth: Iterable[Sequence[object]]
) -> PairwiseScore:
    found = _pairs(predicted)
    true = _pairs(truth)
    correct = len(found & true)
    precision = correct / len(found) if found else 1.0
    recall = correct / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseScore(precision, recall, f1, len(true), len(found), correct)


@dataclass(frozen=True, slots=True)
class BCubedScore:
    precision: float
    recall: float
    f1: float


def b_cubed(
    predicted: Iterable[Sequence[object]], truth: Iterable[Sequence[object]]
) -> BCubedScore:
    """B-cubed precision and recall over items (Bagga & Baldwin 1998): for each item, the
    share of its predicted group that truly belongs with it, and the share of its true group
    that was put with it, averaged over items. Unlike pairwise scores, a big group does not
    outweigh many small ones. Items missing from one side count as singletons there."""
    pred_of = {x: frozenset(g) for g in map(set, predicted) for x in g}
    true_of = {x: frozenset(g) for g in map(set, truth) for x in g}
    items = set(pred_of) | set(true_of)
    if not items:
        return BCubedScore(1.0, 1.0, 1.0)
    p = r = 0.0
    for x in items:
        mine = pred_of.get(x, frozenset((x,)))
        true = true_of.get(x, frozenset((x,)))
        shared = len(mine & true)
        p += shared / len(mine)
        r += shared / len(true)
    p /= len(items)
    r /= len(items)
    return BCubedScore(p, r, 2 * p * r / (p + r) if p + r else 0.0)
