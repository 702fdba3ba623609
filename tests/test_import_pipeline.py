"""The import pipeline end to end: seeds, idempotence, bad inputs, round trip, cancel."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from reader import export
from reader.library import Library
from reader.types import StoryQuery


def _count(lib: Library, sql: str) -> int:
    return int(lib.db.conn.execute(sql).fetchone()[0])


def _snapshot(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT title, body, source_id, story_id FROM articles ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_seeds_import_with_sources_and_counts(library: Library, seeds: tuple[Path, Path]) -> None:
    report = library.import_paths(list(seeds))
    assert not report.failed
    listing, forum = report.files
    assert (listing.format, listing.source, listing.added) == (
        "listing", "Russian Federation News", 68)
    assert forum.format == "forum"
    assert forum.source == "General News And Discussions About Russia"
    # The two identical posts are stored once, and the summary says so.
    assert forum.added == 11 and forum.folded == 1
    assert any("re-post" in w for w in forum.warnings)
    assert _count(library, "SELECT count(*) FROM articles") == 79
    assert _count(library, "SELECT count(*) FROM articles WHERE story_id IS NULL") == 0
    # The full-text index is in step with the articles.
    assert _count(library, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Kerch'") > 0
    stats = library.stats()
    assert stats.articles == 79
    assert {s.name: s.articles for s in stats.sources} == {
        "Russian Federation News": 68, "General News And Discussions About Russia": 11}


def test_importing_the_same_files_twice_adds_nothing(
    library: Library, seeds: tuple[Path, Path]
) -> None:
    library.import_paths(list(seeds))
    again = library.import_paths(list(seeds))
    assert again.added == 0
    assert all(f.skipped_same_file for f in again.files)
    assert _count(library, "SELECT count(*) FROM articles") == 79


def test_same_text_in_another_file_counts_as_already_present(
    library: Library, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    library.import_paths([seeds[0]])
    copy = tmp_path / "copy.txt"
    copy.write_bytes(seeds[0].read_bytes() + b"\n")  # different bytes, same articles
    report = library.import_paths([copy])
    assert report.added == 0
    assert report.already_present == 68


def test_export_then_import_into_empty_library_reproduces_articles(
    library: Library, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    library.import_paths(list(seeds))
    dump = tmp_path / "library.jsonl"
    with dump.open("w", encoding="utf-8") as out:
        assert export.write("jsonl", library.export_rows(), out) == 79
    first = json.loads(dump.read_text(encoding="utf-8").splitlines()[0])
    assert set(export.FIELDS) <= set(first)
    # Merge into the same library: nothing new.
    assert library.import_paths([dump]).added == 0
    with Library.open(tmp_path / "other.db") as other:
        report = other.import_paths([dump])
        assert report.added == 79, report
        def rows(lib: Library) -> list[tuple[str, str, str, str | None]]:
            return sorted(
                (r["title"], r["body"], r["source"], r["published"]) for r in lib.export_rows()
            )
        assert rows(other) == rows(library)


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_other_export_formats(library: Library, seeds: tuple[Path, Path], fmt: str) -> None:
    library.import_paths([seeds[0]])
    out = io.StringIO()
    assert export.write(fmt, library.export_rows(), out) == 68
    text = out.getvalue()
    if fmt == "json":
        assert len(json.loads(text)) == 68
    else:
        assert text.count("\n## ") + text.startswith("## ") == 68


def test_bad_inputs_fail_alone_and_leave_library_unchanged(
    library: Library, library_path: Path, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    library.import_paths([seeds[1]])
    before = _snapshot(library_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (bad / "archive.zip").write_bytes(b"PK\x03\x04" + bytes(200))
    (bad / "junk.bin").write_bytes(b"\xff\xfe\x00\x00garbage\x00\x01\x02" * 20)
    empty_dir = tmp_path / "nothing-here"
    empty_dir.mkdir()
    report = library.import_paths([bad, tmp_path / "missing.txt", empty_dir, seeds[0]])
    failed = {Path(f.path).name: f.error for f in report.failed}
    assert set(failed) == {
        "empty.txt", "image.png", "archive.zip", "junk.bin", "missing.txt", "nothing-here"}
    assert all(reason for reason in failed.values())
    assert report.added == 68  # the good file still imported
    after = _snapshot(library_path)
    assert after[: len(before)] == before


def test_cancel_rolls_back_the_file_in_progress_and_keeps_finished_ones(
    library: Library, seeds: tuple[Path, Path]
) -> None:
    calls = {"n": 0}

    def progress(done: int, total: int, message: str) -> None:
        calls["n"] += 1

    state = {"files_started": 0}

    def cancelled() -> bool:
        # Allow the first file through, cancel as soon as the second one has started.
        return state["files_started"] >= 2

    def counting_progress(done: int, total: int, message: str) -> None:
        if message.startswith("Importing"):
            state["files_started"] += 1
        progress(done, total, message)

    report = library.import_paths(list(seeds), progress=counting_progress, cancelled=cancelled)
    assert report.cancelled
    assert [f.added for f in report.files] == [68]
    assert _count(library, "SELECT count(*) FROM articles") == 68
    assert _count(library, "SELECT count(*) FROM files") == 1


def test_read_state_and_stars(library: Library, seeds: tuple[Path, Path]) -> None:
    from reader.types import ReadFilter

    library.import_paths([seeds[0]])
    page = library.story_page(StoryQuery())
    first = page[0]
    library.mark_story_read(first.id)
    assert library.story_row(first.id).unread == 0
    unread = library.story_page(StoryQuery(read=ReadFilter.UNREAD), limit=1000)
    assert first.id not in {s.id for s in unread}
    library.star_story(first.id)
    starred = library.story_page(StoryQuery(starred_only=True))
    assert [s.id for s in starred] == [first.id]


def test_export_restores_notes_and_read_state(
    library: Library, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    library.import_paths([seeds[0]])
    story = library.story_page(StoryQuery())[0]
    library.save_note(story.id, "My *analysis* of this story")
    library.mark_story_read(story.id)
    dump = tmp_path / "backup.jsonl"
    with dump.open("w", encoding="utf-8") as out:
        export.write("jsonl", library.export_rows(), out)
    with Library.open(tmp_path / "restored.db") as other:
        assert other.import_paths([dump]).added == 68
        notes = other.notes()
        assert [n.body for n in notes] == ["My *analysis* of this story"]
        restored_story = other.story_row(notes[0].story_id)
        assert restored_story.unread == 0
        assert restored_story.headline == story.headline


def test_both_filter_plans_list_the_same_stories(
    library: Library, seeds: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.storage import reading

    library.import_paths(list(seeds))
    topic = next(t for t in library.topics() if t.total > 5)
    source = library.sources()[0]
    queries = [StoryQuery(topic_id=topic.id), StoryQuery(source_id=source.id)]
    rare = [[r.id for r in library.story_page(q, limit=500)] for q in queries]
    monkeypatch.setattr(reading, "RARE_LIMIT", 1)  # everything now counts as common
    common = [[r.id for r in library.story_page(q, limit=500)] for q in queries]
    assert rare == common
    assert all(rare)
