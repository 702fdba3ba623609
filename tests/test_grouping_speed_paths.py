"""The quick paths of grouping's storage give what the plain ones give."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.modules import benchmark

from reader.library import Library
from reader.storage import stories as story_store


def _import_and_regroup(path: Path, dump: Path) -> tuple[list[list[int]], list[list[int]]]:
    """Stories (as sorted article lists) after importing ``dump`` and after a regroup."""

    def stories(lib: Library) -> list[list[int]]:
        by_story: dict[int, list[int]] = {}
        for article, story in lib.db.conn.execute("SELECT id, story_id FROM articles"):
            by_story.setdefault(int(story), []).append(int(article))
        return sorted(sorted(v) for v in by_story.values())

    with Library.open(path) as lib:
        lib.import_paths([dump])
        imported = stories(lib)
        lib.regroup()
        return imported, stories(lib)


def test_many_story_updates_in_one_statement_match_one_per_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = benchmark("synth").write_listing(tmp_path / "dump.txt", 300, seed=5)
    plain = _import_and_regroup(tmp_path / "plain.db", dump)
    monkeypatch.setattr(story_store, "MANY_UPDATES", 1)  # every update through the table
    quick = _import_and_regroup(tmp_path / "quick.db", dump)
    assert quick == plain
    assert len(plain[0]) < 300  # rewrites were grouped: the updates put articles together
