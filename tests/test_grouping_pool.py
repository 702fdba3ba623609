"""Extraction in worker processes gives the same stories as extraction in the importer."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.modules import benchmark

from reader.grouping import pool as pool_module
from reader.library import Library, core, extraction


def _write_synthetic(path: Path, n: int) -> Path:
    written: Path = benchmark("synth").write_listing(path, n, seed=11)
    return written


def _stories_and_features(path: Path, dump: Path) -> tuple[list[list[int]], list[str]]:
    with Library.open(path) as lib:
        lib.import_paths([dump])
        rows = lib.db.conn.execute("SELECT id, story_id FROM articles ORDER BY id").fetchall()
        data = [
            str(r[0])
            for r in lib.db.conn.execute("SELECT data FROM article_features ORDER BY article_id")
        ]
    by_story: dict[int, list[int]] = {}
    for article, story in rows:
        by_story.setdefault(int(story), []).append(int(article))
    return sorted(by_story.values()), data


def test_pool_extraction_matches_inline_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = _write_synthetic(tmp_path / "dump.txt", 240)
    monkeypatch.setattr(extraction, "BATCH", 60)  # several batches in flight
    inline = _stories_and_features(tmp_path / "inline.db", dump)

    monkeypatch.setattr(pool_module, "MIN_PARALLEL_ARTICLES", 1)
    monkeypatch.setattr(pool_module, "TASK_ARTICLES", 25)
    assert pool_module.workers_for(240) >= 1 or (pool_module.os.cpu_count() or 1) < 2
    started: list[int] = []
    real_init = pool_module.ExtractionPool.__init__

    def counting_init(self: pool_module.ExtractionPool, workers: int) -> None:
        started.append(workers)
        real_init(self, workers)

    monkeypatch.setattr(pool_module.ExtractionPool, "__init__", counting_init)
    pooled = _stories_and_features(tmp_path / "pooled.db", dump)
    assert started and started[0] >= 1, "the import did not use worker processes"
    assert pooled == inline
    assert len(inline[1]) == 240


def test_a_pool_without_workers_extracts_in_the_caller() -> None:
    pool = pool_module.ExtractionPool(0)  # no workers: the caller extracts
    rows = [(1, "Quake hits Valparaiso", "A magnitude 6.1 quake hit Valparaiso on Monday.")]
    got = pool.submit(rows).result()
    assert [e.article_id for e in got.articles] == [1]
    assert "valparaiso" in " ".join(got.articles[0].entities)
    assert got.terms["e:valparaiso"] == 1  # the terms the document frequencies count
    assert got.articles[0].facts is not None  # the magnitude can conflict
    pool.close()


def test_small_imports_and_daemonic_processes_start_no_workers() -> None:
    assert pool_module.workers_for(10) == 0


def test_workers_extract_while_the_file_is_still_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches go to the workers as they are stored, and come back between the importer's
    own batches, with the same outcome as extracting after the whole file is stored."""
    dump = _write_synthetic(tmp_path / "dump.txt", 240)
    inline = _stories_and_features(tmp_path / "inline.db", dump)

    monkeypatch.setattr(core, "IMPORT_BATCH", 40)
    monkeypatch.setattr(extraction, "BATCH", 40)
    monkeypatch.setattr(pool_module, "MIN_PARALLEL_ARTICLES", 1)
    monkeypatch.setattr(pool_module, "workers_for", lambda articles: 1)
    # A handed-out batch counts as done once its tasks are: waiting here makes the order
    # below certain instead of a race with the worker.
    monkeypatch.setattr(
        pool_module.Pending, "done", lambda self: all(f.result() for f in self._futures)
    )
    events: list[str] = []
    real_insert, real_store = core.store.insert_articles, extraction.store_features

    def insert(*args: object, **kwargs: object) -> list[int]:
        events.append("insert")
        return real_insert(*args, **kwargs)  # type: ignore[arg-type]

    def store(*args: object, **kwargs: object) -> None:
        events.append("features")
        real_store(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(core.store, "insert_articles", insert)
    monkeypatch.setattr(extraction, "store_features", store)
    early = _stories_and_features(tmp_path / "early.db", dump)
    last_insert = len(events) - 1 - events[::-1].index("insert")
    assert "features" in events[:last_insert], events
    assert early == inline


def test_tasks_taken_back_one_at_a_time_keep_the_batch_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The importer takes back single tasks of later batches while it waits on a worker;
    each batch still comes out whole and in row order."""
    monkeypatch.setattr(pool_module, "TASK_ARTICLES", 2)
    rows = [
        (n, f"Quake {n} hits Valparaiso", f"A magnitude {n}.1 quake hit on Monday, said Ana Diaz.")
        for n in range(1, 12)
    ]
    expected = pool_module.extract_rows(rows)
    pool = pool_module.ExtractionPool(1)
    try:
        batch = pool.submit(rows)
        taken = batch.take_back(1) + batch.take_back(2)
        assert taken <= 3
        got = batch.result()
    finally:
        pool.close()
    assert [a.article_id for a in got.articles] == list(range(1, 12))
    assert got.articles == expected.articles
    assert got.terms == expected.terms
