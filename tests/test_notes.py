"""Notes through the facade: save, delete, has_note, listing, the filter, search, failures, CLI."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from reader.errors import LibraryError, NotFound
from reader.library import Library
from reader.types import StoryQuery

ARTICLES = Path(__file__).parent / "data" / "notes" / "articles.jsonl"


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "notes.db")
    report = library.import_paths([ARTICLES])
    assert report.added == 4, report
    try:
        yield library
    finally:
        library.close()


def story_of(lib: Library, title_start: str) -> int:
    for row in lib.story_page(StoryQuery()):
        if row.headline.startswith(title_start):
            return row.id
    raise AssertionError(f"no story starting {title_start!r}")


def stored_body(lib: Library, story_id: int) -> str | None:
    row = lib.db.conn.execute("SELECT body FROM notes WHERE story_id = ?", [story_id]).fetchone()
    return None if row is None else str(row[0])


# --------------------------------------------------------------------------- saving


def test_save_and_read_back_keeps_text_exactly(lib: Library) -> None:
    sid = story_of(lib, "Drone swarm")
    text = "# Thoughts\n\n  * indented *list*\n\n> quoted\n\ntrailing spaces   \n"
    changes = lib.save_note(sid, text)
    assert changes.notes and changes.stories and changes.story_ids == (sid,)
    note = lib.note(sid)
    assert note is not None
    assert note.body == text
    assert note.headline == "Drone swarm strikes refinery near Ryazan"
    assert note.created_at <= note.updated_at
    assert lib.story_row(sid).has_note


def test_has_note_follows_saves_and_deletes(lib: Library) -> None:
    sid = story_of(lib, "Central bank")
    assert not lib.story_row(sid).has_note
    lib.save_note(sid, "rate decision")
    assert lib.story_row(sid).has_note
    changes = lib.save_note(sid, "   \n\t ")  # blank text deletes the note
    assert changes.notes and changes.stories
    assert lib.note(sid) is None
    assert stored_body(lib, sid) is None
    assert not lib.story_row(sid).has_note
    # Deleting again changes nothing.
    assert lib.save_note(sid, "").notes is False


def test_editing_an_existing_note_is_not_a_story_change(lib: Library) -> None:
    sid = story_of(lib, "Chess")
    lib.save_note(sid, "one")
    first = lib.note(sid)
    changes = lib.save_note(sid, "one two")
    assert changes.notes and not changes.stories
    second = lib.note(sid)
    assert first is not None and second is not None
    assert second.created_at == first.created_at
    assert second.updated_at > first.updated_at


def test_saving_unchanged_text_writes_nothing(lib: Library) -> None:
    sid = story_of(lib, "Chess")
    lib.save_note(sid, "same")
    before = lib.note(sid)
    changes = lib.save_note(sid, "same")
    assert not changes.notes and changes.story_ids == ()
    assert lib.note(sid) == before


def test_saving_on_an_unknown_story_is_refused(lib: Library) -> None:
    with pytest.raises(NotFound):
        lib.save_note(99_999, "orphan")
    assert lib.notes() == []


def test_a_story_has_at_most_one_note(lib: Library) -> None:
    sid = story_of(lib, "Chess")
    lib.save_note(sid, "first")
    lib.save_note(sid, "second")
    count = lib.db.conn.execute("SELECT count(*) FROM notes WHERE story_id = ?", [sid]).fetchone()
    assert count[0] == 1
    assert stored_body(lib, sid) == "second"


def test_a_long_note_is_kept_whole(lib: Library) -> None:
    sid = story_of(lib, "Chess")
    text = "\n\n".join(f"Paragraph {i}: " + "word " * 200 for i in range(200))
    lib.save_note(sid, text)
    assert stored_body(lib, sid) == text
    assert len(text) > 200_000


# --------------------------------------------------------------------------- failures


def test_a_failed_save_raises_a_user_error_and_keeps_the_old_note(lib: Library) -> None:
    sid = story_of(lib, "Drone swarm")
    lib.save_note(sid, "kept")
    lib.db.execute("PRAGMA query_only = ON")  # SQLite now refuses every write, like a ro file
    try:
        with pytest.raises(LibraryError) as caught:
            lib.save_note(sid, "new words")
    finally:
        lib.db.execute("PRAGMA query_only = OFF")
    message = str(caught.value)
    assert "read-only" in message and "kept in the editor" in message
    assert isinstance(caught.value.__cause__, sqlite3.Error)
    assert stored_body(lib, sid) == "kept"
    # The library still works afterwards.
    lib.save_note(sid, "new words")
    assert stored_body(lib, sid) == "new words"


def test_a_read_only_library_file_refuses_saves_with_a_clear_error(
    tmp_path: Path, lib: Library
) -> None:
    sid = story_of(lib, "Drone swarm")
    lib.save_note(sid, "before")
    path = lib.path
    lib.close()
    uri = f"file:{path}?mode=ro"
    ro = sqlite3.connect(uri, uri=True)
    from sqlite_utils import Database

    library = Library(path, Database(ro))
    try:
        with pytest.raises(LibraryError, match="read-only"):
            library.save_note(sid, "after")
        assert library.note(sid) is not None
    finally:
        library.close()
    with Library.open(path) as again:
        note = again.note(sid)
        assert note is not None and note.body == "before"


# --------------------------------------------------------------------------- listing


def test_notes_list_is_newest_edit_first_with_headlines(lib: Library) -> None:
    drone = story_of(lib, "Drone swarm")
    bank = story_of(lib, "Central bank")
    chess = story_of(lib, "Chess")
    lib.save_note(drone, "drone note")
    lib.save_note(bank, "bank note")
    lib.save_note(chess, "chess note")
    assert [n.story_id for n in lib.notes()] == [chess, bank, drone]
    lib.save_note(drone, "drone note, edited")
    listed = lib.notes()
    assert [n.story_id for n in listed] == [drone, chess, bank]
    assert listed[0].headline == "Drone swarm strikes refinery near Ryazan"
    assert [n.story_id for n in lib.notes(limit=1)] == [drone]


def test_note_snippet_is_one_plain_line(lib: Library) -> None:
    sid = story_of(lib, "Drone swarm")
    lib.save_note(sid, "# Heading\n\n- **bold** item with [a link](https://x.org)\n" + "w " * 200)
    note = lib.notes()[0]
    snippet = lib.note_snippet(note, 60)
    assert "\n" not in snippet and "**" not in snippet and "https" not in snippet
    assert snippet.startswith("Heading bold item with a link")
    assert len(snippet) <= 60 and snippet.endswith("…")


def test_with_notes_filter_shows_exactly_the_noted_stories(lib: Library) -> None:
    drone = story_of(lib, "Drone swarm")
    chess = story_of(lib, "Chess")
    lib.save_note(drone, "a")
    lib.save_note(chess, "b")
    shown = {r.id for r in lib.story_page(StoryQuery(with_notes=True))}
    assert shown == {drone, chess}
    assert all(r.has_note for r in lib.story_page(StoryQuery(with_notes=True)))
    lib.save_note(chess, "")
    assert {r.id for r in lib.story_page(StoryQuery(with_notes=True))} == {drone}


# --------------------------------------------------------------------------- search


def test_search_finds_note_words_and_marks_them(lib: Library) -> None:
    bank = story_of(lib, "Central bank")
    lib.save_note(bank, "Watch the **inflation** forecast\n\nand the rouble.")
    hits = lib.search_notes("inflation")
    assert [h.story_id for h in hits] == [bank]
    assert "[inflation]" in hits[0].snippet
    assert "\n" not in hits[0].snippet
    assert hits[0].headline.startswith("Central bank")
    assert [h.story_id for h in lib.search_notes("infla*")] == [bank]
    assert lib.search_notes("refinery") == []  # article text is not note text


def test_search_follows_edits_and_deletes(lib: Library) -> None:
    chess = story_of(lib, "Chess")
    lib.save_note(chess, "grandmaster")
    assert lib.search_notes("grandmaster")
    lib.save_note(chess, "endgame")
    assert lib.search_notes("grandmaster") == []
    assert [h.story_id for h in lib.search_notes("endgame")] == [chess]
    lib.save_note(chess, "")
    assert lib.search_notes("endgame") == []


@pytest.mark.parametrize(
    "query",
    ['NEAR(a b', '"unbalanced', "body:", "*", "AND", "a OR", "^x", "(", "-", "' OR 1=1 --", ""],
)
def test_hostile_search_input_never_raises(lib: Library, query: str) -> None:
    lib.save_note(story_of(lib, "Chess"), "body near a b x")
    assert isinstance(lib.search_notes(query), list)


def test_search_folds_accents(lib: Library) -> None:
    chess = story_of(lib, "Chess")
    lib.save_note(chess, "Café in Zürich")
    assert [h.story_id for h in lib.search_notes("zurich")] == [chess]
    assert [h.story_id for h in lib.search_notes("CAFE")] == [chess]


# --------------------------------------------------------------------------- CLI


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_set_show_list_search(
    lib: Library, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(lib.path)
    drone = story_of(lib, "Drone swarm")
    bank = story_of(lib, "Central bank")
    code, _, err = run_cli(
        ["note", "set", str(drone), "Refinery *fire*", "--library", path], capsys
    )
    assert code == 0 and "Saved" in err

    monkeypatch.setattr("sys.stdin", io.StringIO("from stdin\nsecond line\n"))
    assert run_cli(["--library", path, "note", "set", str(bank), "-"], capsys)[0] == 0

    code, out, _ = run_cli(["note", "show", str(bank), "--library", path], capsys)
    assert code == 0 and out == "from stdin\nsecond line\n"

    code, out, _ = run_cli(["notes", "list", "--library", path], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"[{bank}] Central bank keeps key rate")
    assert lines[1].strip() == "from stdin second line"
    assert lines[2].startswith(f"[{drone}] Drone swarm")
    assert lines[3].strip() == "Refinery fire"

    code, out, _ = run_cli(["notes", "search", "fire", "--library", path], capsys)
    assert code == 0 and f"[{drone}]" in out and "[fire]" in out
    code, out, err = run_cli(["notes", "search", "nothing-here", "--library", path], capsys)
    assert code == 1 and out == ""


def test_cli_errors_are_one_line(lib: Library, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(lib.path)
    code, _, err = run_cli(["note", "show", "424242", "--library", path], capsys)
    assert code == 1 and err.strip() == "broadsheet: story 424242 does not exist"
    chess = story_of(lib, "Chess")
    code, _, err = run_cli(["note", "show", str(chess), "--library", path], capsys)
    assert code == 1 and "has no note" in err


def test_cli_export_writes_files_and_never_escapes(
    lib: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(lib.path)
    out_dir = tmp_path / "export"
    code, _, err = run_cli(["notes", "export", str(out_dir), "--library", path], capsys)
    assert code == 0 and "No notes" in err
    assert not out_dir.exists() or not any(out_dir.iterdir())
    for title in ("Drone swarm", "Central bank", "../../etc/passwd"):
        lib.save_note(story_of(lib, title), f"note on {title}")
    code, out, err = run_cli(["notes", "export", str(out_dir), "--library", path], capsys)
    assert code == 0, err
    written = [Path(line) for line in out.splitlines()]
    assert len(written) == 3 and all(p.parent == out_dir.resolve() for p in written)
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(p.name for p in written)
    assert "etc-passwd.md" in {p.name for p in written}

    code, out, err = run_cli(
        ["notes", "export", str(out_dir), "--single", "all.md", "--library", path], capsys
    )
    assert code == 0 and out.strip() == str(out_dir.resolve() / "all.md")
    text = (out_dir / "all.md").read_text(encoding="utf-8")
    assert text.count("\n## ") == 3

    code, _, err = run_cli(
        ["notes", "export", str(out_dir), "--single", "../escape.md", "--library", path], capsys
    )
    assert code == 1 and "outside" in err
    assert not (tmp_path / "escape.md").exists()
