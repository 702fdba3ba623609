"""A big import scores topics on its extraction workers while it groups, with the same
assignments and counts as scoring them in the importer."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import pytest
from helpers.modules import benchmark

from reader.grouping import pool as pool_module
from reader.library import Library, extraction
from reader.library import topics as topic_verbs

Rows = tuple[list[tuple[int, int, float, int]], list[tuple[int, int]], list[tuple[int, int, int]]]


def _topics(path: Path, dump: Path) -> Rows:
    with Library.open(path) as lib:
        lib.import_paths([dump])
        conn = lib.db.conn
        assigned = conn.execute(
            "SELECT topic_id, article_id, score, unread FROM article_topics ORDER BY 1, 2"
        ).fetchall()
        stories = conn.execute("SELECT topic_id, story_id FROM story_topics ORDER BY 1, 2")
        counts = conn.execute("SELECT id, total, unread FROM topics ORDER BY id").fetchall()
        return assigned, stories.fetchall(), counts


def test_topics_scored_on_the_workers_match_scoring_in_the_importer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump: Path = benchmark("synth").write_listing(tmp_path / "dump.txt", 300, seed=5)
    inline = _topics(tmp_path / "inline.db", dump)
    assert inline[0], "the synthetic articles should belong to some topics"

    monkeypatch.setattr(extraction, "BATCH", 100)
    monkeypatch.setattr(pool_module, "MIN_PARALLEL_ARTICLES", 1)
    monkeypatch.setattr(pool_module, "workers_for", lambda articles: 1)
    monkeypatch.setattr(topic_verbs, "SCORING_TASK", 70)  # several tasks, one partial
    ran: list[str] = []
    real_run = pool_module.ExtractionPool.run

    def run(
        self: pool_module.ExtractionPool, fn: Callable[..., object], *args: object
    ) -> Future[object] | None:
        ran.append(fn.__name__)
        return real_run(self, fn, *args)

    monkeypatch.setattr(pool_module.ExtractionPool, "run", run)
    pooled = _topics(tmp_path / "pooled.db", dump)
    assert ran == ["score_packed"] * 5, ran
    assert pooled == inline


def test_scores_started_for_another_import_are_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scores left by an import that failed before using them never land on the next one."""
    dump: Path = benchmark("synth").write_listing(tmp_path / "dump.txt", 80, seed=6)
    inline = _topics(tmp_path / "inline.db", dump)

    class Stale:
        def __init__(self) -> None:
            self.ids = [1, 2, 3]

        def result(self) -> dict[int, list[tuple[int, float]]]:
            raise AssertionError("stale scores were read")

        def cancel(self) -> None:
            pass

    monkeypatch.setattr(topic_verbs.TopicVerbs, "_scoring", Stale())
    assert _topics(tmp_path / "stale.db", dump) == inline
