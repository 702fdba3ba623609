"""Pairwise precision, recall and F1 of a grouping against hand labels.

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
