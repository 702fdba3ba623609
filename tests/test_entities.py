"""The shared entity extractor and the people & places facets."""

from __future__ import annotations

from pathlib import Path

from reader.grouping.entities import extract_entities
from reader.library import Library


def test_variants_merge_and_sentence_starts_are_dropped() -> None:
    body = (
        "Russian President Vladimir Putin met officials in Moscow. Putin's remarks were brief. "
        "The Kremlin said Zelenskyy was not invited. Despite this, Volodymyr Zelensky spoke."
    )
    found = {e.key: e for e in extract_entities("Putin Meets Officials", body)}
    assert found["putin"].name == "Vladimir Putin"
    assert found["putin"].mentions >= 2
    assert "zelensky" in found and "zelenskyy" not in found
    assert not {"the", "despite", "russian", "president"} & set(found)


def test_facets_on_seeds(library_path: Path, seeds: tuple[Path, Path]) -> None:
    with Library.open(library_path) as lib:
        lib.import_paths(list(seeds))
        facets = {f.name: f for f in lib.facets(limit=500)}
        for name in ("Putin", "Trump", "Zelensky", "Kerch Strait", "Iran"):
            assert name in facets, name
        assert facets["Putin"].count > facets["Kerch Strait"].count >= 4
        assert not {"The", "In", "Despite", "Meanwhile"} & set(facets)
        lib.hide_facet(facets["Iran"].id)
        assert "Iran" not in {f.name for f in lib.facets(limit=500)}
