"""Integrity: quick/full checks, the FTS-vs-articles check, repair that keeps notes and
corrections, salvage of a file with damaged pages, and the check/repair CLI verbs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_crash_support import write_listing

from reader.cli import main
from reader.library import Library
from reader.storage import integrity


@pytest.fixture
def noted(tmp_path: Path) -> Path:
    """A library with 30 articles, a note and a grouping correction."""
    path = tmp_path / "library.broadsheet.db"
    with Library.open(path) as lib:
        lib.import_paths([write_listing(tmp_path / "a.txt", 30, seed=3)])
        story = lib.db.conn.execute("SELECT min(story_id) FROM articles").fetchone()[0]
        lib.save_note(story, "my only copy of this thought")
        ids = [r[0] for r in lib.db.conn.execute("SELECT id FROM articles LIMIT 2")]
        lib.db.execute(
            "INSERT INTO corrections (kind, article_id, other_id, created_at)"
            " VALUES ('apart', ?, ?, '2026-01-01')",
            ids,
        )
        lib.db.conn.commit()
    return path


def _note_bodies(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT body FROM notes ORDER BY id")]
    finally:
        conn.close()


def test_sound_library_checks_ok(noted: Path) -> None:
    with Library.open(noted) as lib:
        assert lib.quick_check() == []
        report = lib.check(full=True)
        quick = lib.check(full=False)
    assert report.ok and report.full and report.problems == ()
    assert (report.articles, report.articles_indexed) == (30, 30)
    assert (report.notes, report.notes_indexed) == (1, 1)
    assert quick.ok and not quick.full
    assert integrity.quick_check_file(noted) == []


def test_fts_drift_is_found_and_repaired_without_touching_notes(noted: Path) -> None:
    with Library.open(noted) as lib:
        row = lib.db.conn.execute("SELECT id, title, body FROM articles LIMIT 1").fetchone()
        with lib.db.atomic():
            lib.db.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
                " VALUES ('delete', ?, ?, ?)",
                list(row),
            )
            lib.db.execute("INSERT INTO notes_fts (notes_fts) VALUES ('delete-all')")
        broken = lib.check()
        assert not broken.ok
        assert broken.articles_indexed == 29 and broken.notes_indexed == 0
        assert any("articles_fts" in p for p in broken.problems)
        assert any("notes_fts" in p for p in broken.problems)
        corrections_before = lib.db.conn.execute("SELECT * FROM corrections").fetchall()
        fixed = lib.repair()
        assert fixed.ok and fixed.articles_indexed == 30 and fixed.notes_indexed == 1
        assert lib.db.conn.execute("SELECT * FROM corrections").fetchall() == corrections_before
        assert [h.story_id for h in lib.search("thought")] != []
    assert _note_bodies(noted) == ["my only copy of this thought"]


def test_repair_reattaches_orphan_articles(noted: Path) -> None:
    with Library.open(noted) as lib:
        lib.db.execute("PRAGMA foreign_keys = OFF")
        lib.db.execute(
            "UPDATE articles SET story_id = 999999 WHERE id IN (SELECT id FROM articles LIMIT 3)"
        )
        lib.db.conn.commit()
        lib.repair()
        dangling = lib.db.conn.execute(
            "SELECT count(*) FROM articles a WHERE story_id IS NULL OR NOT EXISTS"
            " (SELECT 1 FROM stories s WHERE s.id = a.story_id)"
        ).fetchone()[0]
        assert dangling == 0
        assert lib.db.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def _corrupt_page(path: Path, page: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xa5" * size)


def test_damaged_index_page_is_salvaged_and_moved_aside(noted: Path) -> None:
    conn = sqlite3.connect(noted)
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'articles_by_date'"
    ).fetchone()[0]
    conn.close()
    _corrupt_page(noted, root)
    with Library.open(noted) as lib:
        assert lib.check(full=True).ok is False
        report = lib.repair()
        assert report.ok and report.articles == 30 and report.notes == 1
    aside = [p for p in noted.parent.glob(f"{noted.name}.damaged-*") if p.suffix != ".bak"]
    main_file = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
    assert len(main_file) == 1
    # The damaged file is kept as it was: still damaged, still holding the note.
    assert integrity.quick_check_file(main_file[0]) != []
    assert _note_bodies(main_file[0]) == ["my only copy of this thought"]
    assert _note_bodies(noted) == ["my only copy of this thought"]


def test_cli_check_and_repair(noted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(noted)
    assert main(["--library", lib, "check"]) == 0
    assert "ok" in capsys.readouterr().out
    with sqlite3.connect(noted) as conn:
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
    assert main(["--library", lib, "check"]) == 1
    captured = capsys.readouterr()
    assert "PROBLEMS FOUND" in captured.out and "broadsheet repair" in captured.err
    assert main(["--library", lib, "repair"]) == 0
    assert main(["--library", lib, "check"]) == 0
    assert "Articles: 30 (search index: 30)" in capsys.readouterr().out
