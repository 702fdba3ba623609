"""Notes survive regrouping: merges keep both notes, splits and moves keep the note.

The verbs belong to the stories issue (``merge_stories``, ``split_article``, ``move_article``,
``regroup``); these tests check the notes side of their promise: no note text is ever lost,
``stories.has_note`` stays true to the notes table, and the notes' search index follows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.types import StoryQuery

ARTICLES = Path(__file__).parent / "data" / "notes" / "articles.jsonl"

pytestmark = pytest.mark.skipif(
    not all(
        hasattr(Library, verb)
        for verb in ("merge_stories", "split_article", "move_article", "regroup")
    ),
    reason="the stories issue's regrouping verbs are not in this build yet",
)


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "regroup.db")
    assert library.import_paths([ARTICLES]).added == 4
    try:
        yield library
    finally:
        library.close()


def story(lib: Library, title_start: str) -> int:
    for row in lib.story_page(StoryQuery()):
        if row.headline.startswith(title_start):
            return row.id
    raise AssertionError(title_start)


def article_of(lib: Library, story_id: int) -> list[int]:
    return [v.article_id for v in lib.versions(story_id)]


def assert_consistent(lib: Library) -> None:
    """has_note matches the notes table, every note has a story, the FTS index matches."""
    conn = lib.db.conn
    flagged = {r[0] for r in conn.execute("SELECT id FROM stories WHERE has_note = 1")}
    noted = {r[0] for r in conn.execute("SELECT story_id FROM notes")}
    assert flagged == noted
    orphans = conn.execute(
        "SELECT count(*) FROM notes WHERE story_id NOT IN (SELECT id FROM stories)"
    ).fetchone()[0]
    assert orphans == 0
    conn.execute("INSERT INTO notes_fts (notes_fts, rank) VALUES ('integrity-check', 1)")
    assert {r.id for r in lib.story_page(StoryQuery(with_notes=True))} == noted


def all_note_text(lib: Library) -> str:
    return "\n".join(n.body for n in lib.notes())


def test_merging_keeps_both_notes_in_story_order(lib: Library) -> None:
    drone, bank = story(lib, "Drone swarm"), story(lib, "Central bank")
    lib.save_note(drone, "Drone thoughts")
    lib.save_note(bank, "Bank thoughts")
    lib.merge_stories(drone, bank)
    note = lib.note(drone)
    assert note is not None
    assert note.body.index("Drone thoughts") < note.body.index("Bank thoughts")
    assert len(lib.notes()) == 1
    assert [h.story_id for h in lib.search_notes("bank")] == [drone]
    assert [h.story_id for h in lib.search_notes("drone")] == [drone]
    assert_consistent(lib)


def test_merging_into_a_story_without_a_note_moves_the_note(lib: Library) -> None:
    drone, chess = story(lib, "Drone swarm"), story(lib, "Chess")
    lib.save_note(chess, "Only the chess story had a note")
    lib.merge_stories(drone, chess)
    note = lib.note(drone)
    assert note is not None and note.body == "Only the chess story had a note"
    assert_consistent(lib)


def test_splitting_keeps_the_note(lib: Library) -> None:
    drone, bank = story(lib, "Drone swarm"), story(lib, "Central bank")
    lib.merge_stories(drone, bank)
    lib.save_note(drone, "Note on the merged story")
    newest = article_of(lib, drone)[-1]
    lib.split_article(newest)
    assert all_note_text(lib) == "Note on the merged story"
    assert len(lib.notes()) == 1
    assert_consistent(lib)
    oldest = article_of(lib, drone)[0]
    lib.split_article(oldest)  # even splitting off the oldest version keeps the note somewhere
    assert all_note_text(lib) == "Note on the merged story"
    assert_consistent(lib)


def test_moving_a_lone_version_carries_its_note(lib: Library) -> None:
    drone, chess = story(lib, "Drone swarm"), story(lib, "Chess")
    lib.save_note(chess, "chess note")
    lib.save_note(drone, "drone note")
    [chess_article] = article_of(lib, chess)
    lib.move_article(chess_article, drone)
    text = all_note_text(lib)
    assert "chess note" in text and "drone note" in text
    assert_consistent(lib)


def test_regrouping_loses_no_note(lib: Library) -> None:
    texts = {}
    for row in lib.story_page(StoryQuery()):
        texts[row.id] = f"note number {row.id} on {row.headline[:20]}"
        lib.save_note(row.id, texts[row.id])
    lib.merge_stories(story(lib, "Drone swarm"), story(lib, "Chess"))
    lib.regroup()
    lib.regroup()
    text = all_note_text(lib)
    for body in texts.values():
        assert body in text
        assert lib.search_notes(f'"{body.split(" on ")[0]}"')
    assert_consistent(lib)


def test_editing_after_a_merge_keeps_the_joined_note_editable(lib: Library) -> None:
    drone, bank = story(lib, "Drone swarm"), story(lib, "Central bank")
    lib.save_note(drone, "first")
    lib.save_note(bank, "second")
    lib.merge_stories(drone, bank)
    note = lib.note(drone)
    assert note is not None
    lib.save_note(drone, note.body + "\n\nthird")
    assert [h.story_id for h in lib.search_notes("third")] == [drone]
    assert lib.search_notes("second")
    assert_consistent(lib)
