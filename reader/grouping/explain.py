"""Why two versions sit in one story: the score and the shared facts, for the reader."""

from __future__ import annotations

from reader.grouping.features import Features
from reader.grouping.scoring import Rarity, score_pair
from reader.types import GroupReason

#: How many shared items of each kind an explanation lists.
MAX_LISTED = 8


def explain(
    a_id: int, a: Features, b_id: int, b: Features, rarity: Rarity, rule: str = ""
) -> GroupReason:
    """Score two articles and list the shared names, numbers, dates and phrases."""
    result = score_pair(a, b, rarity)
    names = tuple(a.names.get(k, b.names.get(k, k)) for k in result.shared_names[:MAX_LISTED])
    phrases = tuple(result.shared_words[:MAX_LISTED])
    if not rule:
        rule = result.rule or "not grouped on their own facts"
    return GroupReason(
        article_a=a_id,
        article_b=b_id,
        score=round(result.score, 3),
        title_similarity=round(result.title, 3),
        names=names,
        numbers=tuple(result.shared_numbers[:MAX_LISTED]),
        dates=tuple(result.shared_dates[:MAX_LISTED]),
        phrases=phrases,
        rule=rule,
    )
