"""The story headline: the title of its most representative version (used when a story's
row is refreshed).

"Most representative" is the version whose title is closest, on average, to the other
versions' titles (rapidfuzz token-set similarity): the title that best says what they all
say. Ties go to the oldest version. Large stories compare a bounded sample.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

#: Stories larger than this are judged on their first versions only (bounded cost).
MAX_COMPARED = 30


def representative(versions: Sequence[tuple[int, str]]) -> int:
    """``versions`` are ``(article_id, title)`` oldest first; returns the chosen article id."""
    if not versions:
        raise ValueError("a story has at least one version")
    titled = [(i, t) for i, t in versions[:MAX_COMPARED] if t.strip()]
    if len(titled) <= 2:
        return titled[0][0] if titled else versions[0][0]
    # Every title against every other in one call (in C: a story's refresh at every import
    # batch compared titles one pair at a time, a tenth of a regroup); the diagonal, a
    # title against itself, adds the same 100 to every row.
    lowered = [title.lower() for _, title in titled]
    totals = process.cdist(lowered, lowered, scorer=fuzz.token_set_ratio).sum(axis=1)
    best = max(range(len(titled)), key=lambda k: (float(totals[k]), -k))
    return titled[best][0]
