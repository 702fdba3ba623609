"""The similarity of a pair: its cosine, less what its facts contradict.

One continuous measure for every pair, from a rewrite that shares half its terms to a
headline-only item: the cosine of the two TF-IDF vectors (:mod:`reader.grouping.vectors`)
minus the conflicts that tell look-alike events apart (:mod:`reader.grouping.conflicts`).
No gate demands several kinds of evidence at once; clustering decides on averages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reader.grouping.candidates import Pairs
from reader.grouping.conflict_table import FactsTable, penalties
from reader.grouping.conflicts import Facts


def with_conflicts(pairs: Pairs, facts: Sequence[Facts]) -> Pairs:
    """``pairs`` with each pair's conflict penalty subtracted (``facts`` by article index).

    A conflict takes a pair's evidence away but never below zero: a pair then counts like a
    pair that shares nothing, not against the story's other pairs (on ECB+ dev, letting it
    go negative cost 0.03 of B3 recall for no precision: the conflicts fire on some 8% of
    true pairs too). Most articles hold no fact that could conflict (no protagonist, figure
    or year), so only pairs where both do are tested, all at once in numpy
    (:mod:`reader.grouping.conflict_table`).
    """
    if not len(pairs):
        return pairs
    testable = np.fromiter((not f.empty for f in facts), dtype=bool, count=len(facts))
    both = np.flatnonzero(testable[pairs.a] & testable[pairs.b])
    if not len(both):
        return pairs
    similarity = pairs.similarity.copy()
    table = FactsTable(facts)
    for start in range(0, len(both), PAIRS_AT_ONCE):
        part = both[start : start + PAIRS_AT_ONCE]
        penalty = penalties(table, pairs.a[part], pairs.b[part])
        similarity[part] = np.maximum(0.0, similarity[part] - penalty)
    return Pairs(pairs.a, pairs.b, similarity)


#: Pairs whose conflicts are tested in one go: each pair fans out into rows for its shared
#: units and figures, so a whole library's pairs at once took more memory than the rest of
#: a regroup.
PAIRS_AT_ONCE = 200_000
