"""A library whose index misses some articles' features (from an older Broadsheet) has them
rebuilt and is grouped whole, by an import or a regroup, exactly as a fresh library."""

from __future__ import annotations

from pathlib import Path

from helpers.modules import benchmark

from reader.library import Library
from reader.library.extraction import index_state


def _partition(lib: Library) -> list[list[int]]:
    by_story: dict[int, list[int]] = {}
    for article, story in lib.db.conn.execute("SELECT id, story_id FROM articles ORDER BY id"):
        by_story.setdefault(int(story), []).append(int(article))
    return sorted(by_story.values())


def _age(lib: Library) -> None:
    """Drop a third of the stored features, as an index from before them would lack."""
    with lib.db.atomic():
        lib.db.execute("DELETE FROM article_features WHERE article_id % 3 = 0")


def test_index_state_counts_articles_without_features(tmp_path: Path) -> None:
    first = benchmark("synth").write_listing(tmp_path / "a.txt", 90, seed=3)
    with Library.open(tmp_path / "lib.db") as lib:
        lib.import_paths([first])
        assert index_state(lib.db) == (90, False)
        _age(lib)
        assert index_state(lib.db) == (60, True)
        assert index_state(lib.db, 30) == (60, False)  # 30 new ones not extracted yet
        assert index_state(lib.db, 29) == (60, True)


def test_an_import_into_an_old_index_groups_as_a_fresh_library(tmp_path: Path) -> None:
    synth = benchmark("synth")
    first = synth.write_listing(tmp_path / "a.txt", 90, tag="AA", seed=3)
    second = synth.write_listing(tmp_path / "b.txt", 40, tag="BB", seed=4)
    with Library.open(tmp_path / "fresh.db") as lib:
        lib.import_paths([first, second])
        fresh = _partition(lib)
    with Library.open(tmp_path / "old.db") as lib:
        lib.import_paths([first])
        _age(lib)
        lib.import_paths([second])
        assert index_state(lib.db) == (130, False)
        assert _partition(lib) == fresh
        _age(lib)
        lib.regroup()
        assert index_state(lib.db) == (130, False)
        assert _partition(lib) == fresh
