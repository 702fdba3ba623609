"""Blocking: find the few articles worth scoring against each article, never all pairs.

An inverted index maps each *rare* key (a name, number, date, rare word or phrase held by few
articles) to the articles that hold it. An article's candidates are the articles it shares
the most rarity weight with, through keys whose posting lists are short. Common keys ("Putin"
in a Russia dump) are skipped for blocking, so one article's work is bounded by
``MAX_POSTINGS_PER_ARTICLE x BLOCK_MAX_DF`` whatever the library size.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence

from reader.grouping import thresholds as t
from reader.grouping.features import Features
from reader.grouping.scoring import Rarity


def block_df_cap(total: int) -> int:
    """Longest posting list used for blocking in a library of ``total`` articles."""
    return max(t.BLOCK_MIN_DF_CAP, min(t.BLOCK_MAX_DF, int(total * t.BLOCK_MAX_DF_FRACTION)))


def blocking_keys(features: Features, rarity: Rarity, limit: int | None = None) -> list[str]:
    """The article's rarest keys that are still shared by someone (df >= 2), rarest first.

    Single words are left to scoring: paraphrases share names, numbers and phrases more
    reliably than any one rare word, and words make the longest posting lists.
    """
    cap = block_df_cap(rarity.total)
    keys = [
        k for k in features.all_keys() if not k.startswith("w:") and 2 <= rarity.df.get(k, 1) <= cap
    ]
    keys.sort(key=lambda k: (rarity.df.get(k, 1), k))
    return keys[: limit or t.MAX_POSTINGS_PER_ARTICLE]


def storable_keys(features: Features, rarity: Rarity) -> list[str]:
    """The keys to store in ``feature_postings`` for an article (rarest first).

    Keys seen only in this article so far are kept too: the next article to share them
    must find this one.
    """
    cap = block_df_cap(rarity.total)
    keys = [k for k in features.all_keys() if not k.startswith("w:") and rarity.df.get(k, 0) <= cap]
    keys.sort(key=lambda k: (rarity.df.get(k, 0), k))
    return keys[: t.MAX_POSTINGS_PER_ARTICLE]


def build_index(keys_by_article: Mapping[int, Sequence[str]]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for article_id, keys in keys_by_article.items():
        for key in keys:
            index.setdefault(key, []).append(article_id)
    return index


def candidates_for(
    article_id: int,
    keys: Iterable[str],
    index: Mapping[str, Sequence[int]],
    rarity: Rarity,
) -> list[int]:
    """Articles sharing enough rare weight with ``article_id``, best first, capped."""
    weight: dict[int, float] = {}
    get = weight.get
    max_df = t.BLOCK_MAX_DF
    idf = rarity.idf
    for key in keys:
        posting = index.get(key, ())
        if len(posting) > max_df:
            continue
        w = idf(key)
        for other in posting:
            weight[other] = get(other, 0.0) + w
    weight.pop(article_id, None)
    min_weight = t.MIN_BLOCK_WEIGHT
    ranked = [a for a, w in weight.items() if w >= min_weight]
    if len(ranked) > t.MAX_CANDIDATES:
        # Same order as a stable sort by descending weight, without sorting everything.
        return heapq.nlargest(t.MAX_CANDIDATES, ranked, key=weight.__getitem__)
    ranked.sort(key=lambda a: -weight[a])
    return ranked


#: An article's (published epoch seconds or None, date inferred from the prose, story id):
#: blocking reads the first two.
When = tuple[int | None, bool, int | None]


def block_weights(
    article_id: int,
    keys: Iterable[str],
    index: Mapping[str, Sequence[int]],
    rarity: Rarity,
) -> tuple[dict[int, float], float]:
    """(weights, own): the rare weight each article shares with ``article_id`` through its
    blocking keys (:func:`near_and_far` drops those under ``MIN_BLOCK_WEIGHT``), and the
    article's own weight in those keys."""
    weight: dict[int, float] = {}
    get = weight.get
    max_df = t.BLOCK_MAX_DF
    idf = rarity.idf
    own = 0.0
    for key in keys:
        posting = index.get(key, ())
        if len(posting) > max_df:
            continue
        w = idf(key)
        own += w
        for other in posting:
            weight[other] = get(other, 0.0) + w
    weight.pop(article_id, None)
    return weight, own


def near_and_far(
    article_id: int, weights: Mapping[int, float], own: float, when: Mapping[int, When]
) -> tuple[list[int], list[int]]:
    """(near, far): the best-weighted candidates (capped) inside the date window, best first,
    and those of them outside it that share so much rare weight they may be re-posts.

    The cap comes first, then the window. Windowing first was tried: it lets every
    in-window holder of the same rare names in, and on labelled synthetic dumps of 20,000
    articles (``benchmarks/grouping_synthetic.py``) pairwise precision fell from 0.84 to
    0.78 for +0.02 recall; a wrong merge costs the reader more than a missed one.
    Out-of-window pairs join only as re-posts, and a re-post repeats nearly all of the
    article's rare keys, so the far list keeps only candidates holding
    :data:`~reader.grouping.thresholds.REPOST_BLOCK_SHARE` of its own blocking weight, the
    heaviest few: the costly text comparison is spent on a handful of pairs.
    """
    min_weight = t.MIN_BLOCK_WEIGHT
    ranked = [b for b, w in weights.items() if w >= min_weight]
    if len(ranked) > t.MAX_CANDIDATES:
        # Same order as a stable sort by descending weight, without sorting everything.
        ranked = heapq.nlargest(t.MAX_CANDIDATES, ranked, key=weights.__getitem__)
    else:
        ranked.sort(key=lambda a: -weights[a])
    far_weight = max(min_weight, own * t.REPOST_BLOCK_SHARE)
    no_date: When = (None, False, None)
    ta, fa, _ = when.get(article_id, no_date)
    window = t.DATE_WINDOW.total_seconds()
    inferred_window = t.INFERRED_DATE_WINDOW.total_seconds()
    near: list[int] = []
    far: list[int] = []
    for b in ranked:
        tb, fb, _ = when.get(b, no_date)
        # Same test as reader.grouping.clusters.within_window, inlined (hot loop).
        if ta is None or tb is None or abs(ta - tb) <= (inferred_window if fa or fb else window):
            near.append(b)
        elif weights[b] >= far_weight and len(far) < t.MAX_FAR_CANDIDATES:
            far.append(b)  # ranked heaviest first, so these are the heaviest
    return near, far
