"""Full-text search: snippets, ranking paths, filters, notes and hostile input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.query import parse_search
from reader.storage import search as search_store

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
HOSTILE = [
    '"unbalanced', "oil AND", "NOT", "*", "(((", ")))", "NEAR(kerch", "title:oil", "^oil",
    "-spill", "{title}: oil", "oil OR OR", '""', "AND OR NOT", "kerch*:*", "\\", "'", "%_",
    "a" * 500,
]


@pytest.fixture
def seeded(library: Library, seeds: tuple[Path, Path]) -> Library:
    """A library with the seeds imported, for tests that change it."""
    library.import_paths(list(seeds))
    return library


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """One seeded library for the read-only tests (importing costs a second or two)."""
    paths = sorted(SEEDS.glob("00[01]_*.txt"))
    if len(paths) != 2:
        pytest.skip("the seed files in ../shared/seeds are not present in this checkout")
    lib = Library.open(tmp_path_factory.mktemp("search") / "library.db")
    lib.import_paths(list(paths))
    try:
        yield lib
    finally:
        lib.close()


def test_search_finds_and_marks_words(shared: Library) -> None:
    hits = shared.search("kerch spill")
    assert len(hits) >= 3
    for hit in hits:
        text = hit.snippet.lower()
        assert "[kerch]" in text or "[spill]" in text
        assert hit.hit_in in ("title", "body")
    assert any(h.hit_in == "title" for h in hits)
    assert len({h.story_id for h in hits}) == len(hits)  # one hit per story


def test_body_only_match_is_reported_as_body(shared: Library) -> None:
    hits = shared.search("Medinsky")
    assert hits and all(h.hit_in == "body" for h in hits)
    assert "[Medinsky]" in hits[0].snippet


def test_phrase_and_prefix_search(shared: Library) -> None:
    phrase = {h.story_id for h in shared.search('"Kerch Strait"')}
    prefix = {h.story_id for h in shared.search("Kerc*")}
    assert phrase and phrase <= prefix
    assert not shared.search('"Strait Kerch"')


def test_filters_combine(seeded: Library) -> None:
    everything = seeded.search("Russia", limit=500)
    env = seeded.search("Russia", topic="Environment", limit=500)
    env_ids = {
        r[0] for r in seeded.db.conn.execute(
            "SELECT story_id FROM story_topics WHERE topic_id = ?",
            [seeded.topic_id("Environment")],
        )
    }
    assert env and {h.story_id for h in env} <= env_ids
    assert len(env) < len(everything)
    forum = seeded.search("Russia", source="General News And Discussions About Russia")
    assert forum and all(h.source == "General News And Discussions About Russia" for h in forum)
    for hit in env:
        assert hit.article_id is not None
        seeded.mark_read([hit.article_id])
    unread_env = seeded.search("Russia", topic="Environment", unread=True, limit=500)
    assert all(not h.read for h in unread_env)
    assert not {h.article_id for h in unread_env} & {h.article_id for h in env}


def test_hostile_search_strings_never_crash(shared: Library) -> None:
    for typed in HOSTILE:
        hits = shared.search(typed)
        assert all(h.snippet for h in hits), typed


def test_stray_operator_is_searched_as_a_word(shared: Library) -> None:
    assert shared.search("oil AND") == shared.search("oil and")
    assert shared.search("*") == []


def test_huge_hit_sets_switch_from_rank_to_recency(shared: Library) -> None:
    node = parse_search("Russia")
    assert node is not None
    ranked = search_store.search_articles(shared.db, node, limit=5)
    recent = search_store.search_articles(shared.db, node, limit=5, rank_cap=3)
    recent_ids = [h.article_id for h in recent]
    assert recent_ids == sorted(recent_ids, reverse=True)
    assert {h.article_id for h in ranked} != set(recent_ids) or len(ranked) < 5


def test_notes_are_searched(seeded: Library) -> None:
    story_id = seeded.db.conn.execute("SELECT min(id) FROM stories").fetchone()[0]
    seeded.db.execute(
        "INSERT INTO notes (story_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [story_id, "Follow up with the zanzibarian desk", "2025-01-01", "2025-01-01"],
    )
    hits = seeded.search("zanzibarian")
    assert [(h.story_id, h.hit_in) for h in hits] == [(story_id, "note")]
    assert "[zanzibarian]" in hits[0].snippet


def test_cli_search_and_topics(seeds: tuple[Path, Path], tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    lib = ["--library", str(tmp_path / "cli.db")]
    assert main([*lib, "import", *map(str, seeds)]) == 0
    capsys.readouterr()
    assert main([*lib, "topics"]) == 0
    listing = capsys.readouterr().out
    assert "Nuclear & Arms Control" in listing and "Energy" in listing
    assert main([*lib, "topics", "add", "Kerch spill", '"Kerch Strait" AND (oil OR spill)']) == 0
    assert "Kerch spill" in capsys.readouterr().out
    assert main([*lib, "topics", "add", "Bad", '"Kerch AND']) == 1
    assert "never closed" in capsys.readouterr().err
    assert main([*lib, "search", "spill", "--topic", "Kerch spill", "--unread"]) == 0
    out = capsys.readouterr().out
    assert "[spill]" in out.lower() or "[Spill]" in out
    assert main([*lib, "topics", "edit", "Kerch spill", "kerch*"]) == 0
    assert main([*lib, "topics", "remove", "Kerch spill"]) == 0
    assert main([*lib, "search", 'NEAR( "x']) == 0
    assert main([*lib, "export", "--topic", "Environment"]) == 0
    out_lines = capsys.readouterr().out.splitlines()
    rows = [json.loads(line) for line in out_lines if line.startswith("{")]
    assert rows and all("Environment" in r["topics"] for r in rows)


def test_story_list_search_pages_with_snippets_and_filters(
    tmp_path: Path, seeds: tuple[Path, Path]
) -> None:
    from reader.types import StoryQuery

    with Library.open(tmp_path / "s.db") as lib:
        lib.import_paths(list(seeds))
        everything = lib.story_page(StoryQuery(search="Putin"), limit=500)
        assert len(everything) > 10
        assert all(row.snippet and "[" in row.snippet for row in everything if row.hit_in != "note")
        # Keyset-style paging over search results gives the same rows, no repeats.
        paged, after = [], None
        while True:
            page = lib.story_page(StoryQuery(search="Putin"), after, 7)
            paged.extend(page)
            if len(page) < 7:
                break
            after = page[-1].sort_key
        assert [r.id for r in paged] == [r.id for r in everything]
        # Post filters (starred) combine with search.
        lib.star_story(everything[3].id)
        starred = lib.story_page(StoryQuery(search="Putin", starred_only=True), limit=5)
        assert [r.id for r in starred] == [everything[3].id]
        # Hostile input never raises.
        for text in ['"unbalanced', "AND OR NOT", "*", "NEAR(", "a:b ^c"]:
            lib.story_page(StoryQuery(search=text))
