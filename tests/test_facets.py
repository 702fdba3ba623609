"""People & places: aliases fold into one facet, generic words stay out (reader.facets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import facets
from reader.library import Library

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_the_gazetteer_knows_one_country_by_several_names() -> None:
    assert facets.country_code("United States") == facets.country_code("USA") == "US"
    assert facets.country_code("United Kingdom") == "GB"
    assert facets.country_code("IT") is None  # two letters are too often something else
    assert facets.is_nationality("Russians") and facets.is_nationality("Ukrainians")
    assert not facets.is_nationality("Putin")


def test_aliases_fold_when_the_gazetteer_or_the_texts_say_so() -> None:
    pool = [facets.Candidate(1, "US", "name", 31), facets.Candidate(2, "United States", "name", 16),
            facets.Candidate(3, "UK", "name", 5), facets.Candidate(4, "United Kingdom", "name", 5),
            facets.Candidate(5, "EU", "name", 4), facets.Candidate(6, "European Union", "name", 3),
            facets.Candidate(7, "SA", "name", 3), facets.Candidate(8, "South Africa", "name", 2)]
    together = {(1, 2), (2, 1), (3, 4), (4, 3), (5, 6), (6, 5)}  # SA, South Africa never meet
    groups = facets.group_aliases(pool, lambda a, b: (a, b) in together)
    by_ids = {frozenset(g.ids): g.display for g in groups}
    assert by_ids[frozenset({1, 2})] == "United States"
    assert by_ids[frozenset({3, 4})] == "United Kingdom"
    assert by_ids[frozenset({5, 6})] == "European Union"
    assert frozenset({7}) in by_ids and frozenset({8}) in by_ids


def test_units_plain_words_and_parts_of_names_are_judged_from_the_texts() -> None:
    def verdict(word: str, kind: str, texts: list[str]) -> facets.Verdict:
        group = facets.Facet([facets.Candidate(1, word, kind, 3)], word, kind)
        return facets.judge(group, facets.read_evidence(word, texts))

    assert not verdict("GW", "name", ["It took 1.2 GW offline.", "About 3 GW were lost."]).keep
    falls = verdict("Falls", "person", ["A station at Dorrel Falls. It sits at Dorrel Falls."])
    assert falls.keep and falls.display == "Dorrel Falls"
    assert not verdict("Energy", "name", ["Energy prices rose. The energy market and energy"
                                          " use fell."]).keep
    assert not verdict("West", "name", ["The West halted its support."]).keep
    assert verdict("Putin", "person", ["Vladimir Putin said. Putin added."]).display == "Putin"


def test_sample_library_facets_have_no_generic_words(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.db") as lib:
        lib.import_paths([SAMPLE])
        names = {f.name for f in lib.facets()}
        assert {"GW", "Falls", "Energy"}.isdisjoint(names)
        assert "Dorrel Falls" in names
        facet = next(f for f in lib.facets() if f.name == "Norvik Bay")
        assert facet.stories >= 1 and facet.unread == facet.stories


def test_seed_facets_fold_us_and_uk(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    with Library.open(tmp_path / "lib.db") as lib:
        lib.import_paths(sorted(SEEDS.glob("*.txt")))
        found = {f.name: f for f in lib.facets()}
        assert "US" not in found and "UK" not in found and "West" not in found
        assert "US" in found["United States"].aliases
        assert "UK" in found["United Kingdom"].aliases
        from reader.types import StoryQuery

        us = found["United States"]
        rows = lib.story_page(StoryQuery(entity_id=us.id, entity_ids=us.ids), None, 500)
        assert len(rows) == us.stories
