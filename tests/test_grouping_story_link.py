"""An import weighs a new article against the whole story it may join, not one member."""

from __future__ import annotations

import pytest

from reader.grouping import clusters
from reader.grouping.clusters import Item, group
from reader.grouping.features import Features
from reader.grouping.scoring import Rarity

_EMPTY = Features(
    entities={}, names={}, kinds={}, numbers=frozenset(), units={}, dates=frozenset(),
    years=frozenset(), words=frozenset(), phrases=frozenset(), title=(),
)


def _group_with_scores(
    monkeypatch: pytest.MonkeyPatch, scores: dict[frozenset[int], float]
) -> list[list[int]]:
    """Group a new article 9 against story 7 (articles 1, 2, 3), with given pair scores."""

    def fake_score(a: int, b: int, rarity: Rarity, names: float | None = None) -> tuple[
        float, bool, float
    ]:
        s = scores.get(frozenset((a, b)), 0.0)
        return s, s >= 0.4, 0.0

    monkeypatch.setattr(clusters, "score_prepared", fake_score)
    monkeypatch.setattr(clusters, "names_evidence", lambda a, b: 0.5)
    items = [Item(id=i, features=_EMPTY) for i in (1, 2, 3, 9)]
    result = group(
        items,
        rarity=Rarity({}, 4),
        labels={1: 7, 2: 7, 3: 7},
        only=[9],
        candidates={9: [1]},
        prepared=lambda i: i,  # type: ignore[arg-type,return-value]
    )
    return result.clusters


def test_one_close_member_is_not_enough_to_join_a_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Close to member 1 only: average over the story (0.9 + 0 + 0) / 3 is below the link.
    clusters_ = _group_with_scores(monkeypatch, {frozenset((9, 1)): 0.9})
    assert [1, 2, 3] in clusters_ and [9] in clusters_


def test_a_newcomer_close_to_the_story_as_a_whole_joins_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scores = {frozenset((9, 1)): 0.9, frozenset((9, 2)): 0.5, frozenset((9, 3)): 0.4}
    assert _group_with_scores(monkeypatch, scores) == [[1, 2, 3, 9]]
