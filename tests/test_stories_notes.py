"""Stable stories: no note is ever dropped by merge, split, move or a full regroup."""

from __future__ import annotations

from pathlib import Path

from reader.library import Library
from reader.storage.stories import NOTE_SEPARATOR


def _note(lib: Library, story_id: int, body: str) -> None:
    lib.db.execute(
        "INSERT INTO notes (story_id, body, created_at, updated_at) VALUES (?, ?, 'x', 'x')",
        [story_id, body],
    )


def _notes(lib: Library) -> list[str]:
    return [r[0] for r in lib.db.conn.execute("SELECT body FROM notes ORDER BY id")]


def _imported(library_path: Path, seeds: tuple[Path, Path]) -> Library:
    lib = Library.open(library_path)
    lib.import_paths([seeds[0]])
    return lib


def test_merge_keeps_both_notes(library_path: Path, seeds: tuple[Path, Path]) -> None:
    with _imported(library_path, seeds) as lib:
        a, b = [s.story.id for s in lib.stories(min_size=1)][-2:]
        _note(lib, a, "first note")
        _note(lib, b, "second note")
        lib.merge_stories(a, b)
        assert lib.story(a).note == "first note" + NOTE_SEPARATOR + "second note"
        size = lib.story(a).story.size
        lib.regroup()  # merged stories stay merged
        assert lib.story(a).story.size == size
        assert "second note" in (lib.story(a).note or "")


def test_split_note_follows_oldest_and_split_never_rejoins(
    library_path: Path, seeds: tuple[Path, Path]
) -> None:
    with _imported(library_path, seeds) as lib:
        big = next(iter(lib.stories(min_size=3)))
        sid = big.story.id
        _note(lib, sid, "keep me")
        versions = [v.article_id for v in big.versions]
        new = lib.split_article(versions[-1]).story_ids[-1]
        assert lib.story(sid).note == "keep me"
        assert lib.story(new).story.size == 1
        lib.regroup()
        assert lib.story(new).story.size == 1  # a split-off article never rejoins
        assert _notes(lib) == ["keep me"]
        # Splitting the oldest article: the note goes with it.
        oldest = lib.story(sid).versions[0].article_id
        moved_to = lib.split_article(oldest).story_ids[-1]
        assert lib.story(moved_to).note == "keep me"


def test_move_and_regroup_keep_notes(library_path: Path, seeds: tuple[Path, Path]) -> None:
    with _imported(library_path, seeds) as lib:
        stories = list(lib.stories(min_size=1))
        single = next(s for s in stories if s.story.size == 1)
        target = next(s for s in stories if s.story.size >= 2)
        _note(lib, single.story.id, "lonely note")
        _note(lib, target.story.id, "target note")
        article = single.versions[0].article_id
        lib.move_article(article, target.story.id)
        assert sorted(_notes(lib)) == sorted(["target note" + NOTE_SEPARATOR + "lonely note"])
        assert lib.story(target.story.id).story.size == target.story.size + 1
        before = {s.story.id for s in lib.stories(min_size=2)}
        lib.regroup()
        assert article in [v.article_id for v in lib.story(target.story.id).versions]
        assert "lonely note" in (lib.story(target.story.id).note or "")
        after = {s.story.id for s in lib.stories(min_size=2)}
        assert before <= after | {target.story.id}  # ids are stable across regroup


def test_regroup_moves_note_of_dissolved_story(
    library_path: Path, seeds: tuple[Path, Path]
) -> None:
    with _imported(library_path, seeds) as lib:
        big = next(iter(lib.stories(min_size=2)))
        members = [v.article_id for v in big.versions]
        # Pretend an old grouping had put the second version in its own story with a note.
        lone = lib.db.execute("INSERT INTO stories (created_at) VALUES ('x')").lastrowid
        lib.db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [lone, members[1]])
        _note(lib, int(lone or 0), "orphan risk")
        lib.regroup()
        assert "orphan risk" in _notes(lib)[0]
        holder = lib.db.conn.execute("SELECT story_id FROM notes").fetchone()[0]
        assert members[1] in [v.article_id for v in lib.story(holder).versions]


def test_merged_pairs_are_the_together_corrections_among_the_members(
    library_path: Path, seeds: tuple[Path, Path]
) -> None:
    from reader.storage import corrections
    from reader.storage.stories import story_articles

    with _imported(library_path, seeds) as lib:
        a, b = [s.story.id for s in lib.stories(min_size=1)][-2:]
        first_a = story_articles(lib.db, a)[0]  # a merge joins the stories' first versions
        first_b = story_articles(lib.db, b)[0]
        lib.merge_stories(a, b)
        members = [int(r[0]) for r in lib.db.conn.execute(
            "SELECT id FROM articles WHERE story_id = ?", [a])]
        assert corrections.merged_pairs(lib.db, members) == {frozenset((first_a, first_b))}
        others = [m for m in members if m != first_b]
        assert corrections.merged_pairs(lib.db, others) == set()
