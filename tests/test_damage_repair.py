"""Repair that repairs (issue 17, item 1): every readable row is salvaged past damaged pages,
what could not be read is reported, and every command on a damaged library ends in one clear
message naming ``repair`` and ``restore``, never a traceback.

Damage is done as a failing disk would: whole pages overwritten with random bytes. Which page
holds a row is found by searching the file's bytes, never with the page reader under test.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers.damage import checkpoint, overwrite_pages, page_count, pages_holding
from test_crash_support import write_listing

from reader.cli import main
from reader.errors import DamagedLibraryError
from reader.library import Library
from reader.storage import pages as pg
from reader.storage import salvage as salvage_module

ARTICLES = 400
NOTES = 20


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, str]]:
    """A checkpointed library: 400 articles (one with a 20 KB body, stored on overflow
    pages), 20 notes, a grouping correction. Tests damage copies of it."""
    folder = tmp_path_factory.mktemp("pristine")
    path = folder / "library.broadsheet.db"
    long_body = " ".join(f"word{i}" for i in range(3000))
    (folder / "long.txt").write_text(
        f"ZZ Long Section\n\nA very long article\n\n{long_body}\nZZ\n", encoding="utf-8"
    )
    with Library.open(path) as lib:
        lib.import_paths([write_listing(folder / "a.txt", ARTICLES - 1, seed=21),
                          folder / "long.txt"])
        stories = [int(r[0]) for r in lib.db.conn.execute(
            "SELECT id FROM stories ORDER BY id LIMIT ?", [NOTES])]
        notes = {s: f"Note {i}: only copy of this thought ({i * 104729})"
                 for i, s in enumerate(stories)}
        for story, body in notes.items():
            lib.save_note(story, body)
        ids = [r[0] for r in lib.db.conn.execute("SELECT id FROM articles LIMIT 2")]
        with lib.db.atomic():
            lib.db.execute(
                "INSERT INTO corrections (kind, article_id, other_id, created_at)"
                " VALUES ('apart', ?, ?, '2026-01-01')", ids,
            )
    checkpoint(path)
    return path, notes


def _copy(pristine: tuple[Path, dict[int, str]], tmp_path: Path) -> Path:
    target = tmp_path / pristine[0].name
    shutil.copyfile(pristine[0], target)
    return target


def _root(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", [name]).fetchone()[0])
    finally:
        conn.close()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _article_pages(path: Path) -> dict[int, int]:
    """Each article's page, found by its title and the start of its body: the two columns
    sit side by side in the row's bytes, and nowhere else together."""
    rows = _rows(path, "SELECT id, title, body FROM articles")
    found = pages_holding(path, {str(r[0]): f"{r[1]}{str(r[2])[:30]}".encode() for r in rows})
    return {int(k): v for k, v in found.items()}


# --------------------------------------------------------------------------- the page reader


def test_page_reader_reads_a_sound_file_exactly_as_sqlite_does(
    pristine: tuple[Path, dict[int, str]]
) -> None:
    path, _notes = pristine
    reader = pg.PageFile.open(path)
    try:
        for table in ("articles", "notes", "stories", "corrections"):
            read = reader.walk_table(_root(path, table), table)
            assert read.lost == [] and read.lost_rowids == [] and read.bad_cells == 0
            # The stored columns: generated ones (stories.dated) are computed, not on the page.
            stored = ", ".join(r[1] for r in _rows(path, f"PRAGMA table_info({table})"))
            expected = {
                int(r[0]): list(r[1:])
                for r in _rows(path, f"SELECT rowid, {stored} FROM {table}")
            }
            got = {rowid: values for rowid, values in read.rows}
            assert got.keys() == expected.keys()
            for rowid, values in got.items():
                ipk = [v if v is not None else rowid for v in values[:1]] + values[1:]
                assert ipk[: len(expected[rowid])] == expected[rowid], (table, rowid)
    finally:
        reader.close()


def test_decode_record_refuses_garbage() -> None:
    with pytest.raises(pg.PageError):
        pg.decode_record(b"\x05\x0a\x01\x01\x01")  # serial type 10 is reserved
    with pytest.raises(pg.PageError):
        pg.decode_record(b"\x02\x17abc")  # text of 5 bytes, only 3 there
    assert pg.decode_record(b"\x04\x01\x08\x15\x07abcd") == [7, 0, "abcd"]


# --------------------------------------------------------------------------- salvage


def test_damaged_root_of_the_articles_table_loses_nothing(
    pristine: tuple[Path, dict[int, str]], tmp_path: Path
) -> None:
    """The root (interior) page holds no rows: every leaf under it is found by scanning."""
    path = _copy(pristine, tmp_path)
    overwrite_pages(path, [_root(path, "articles")], seed=1)
    with pytest.raises(sqlite3.DatabaseError):
        _rows(path, "SELECT count(*) FROM articles NOT INDEXED")
    result = Library.salvage_file(path)
    articles = result.tables["articles"]
    assert articles.copied == ARTICLES and articles.rescued > 0 and articles.missing_ids == []
    assert _rows(path, "SELECT count(*) FROM articles")[0][0] == ARTICLES
    assert result.damaged_moved_to is not None and result.damaged_moved_to.exists()


def test_damaged_first_page_salvages_everything_from_the_pages(
    pristine: tuple[Path, dict[int, str]], tmp_path: Path
) -> None:
    path = _copy(pristine, tmp_path)
    notes = pristine[1]
    overwrite_pages(path, [1], seed=2)
    with pytest.raises(DamagedLibraryError):
        Library.open(path)
    result = Library.salvage_file(path)
    assert result.tables["articles"].copied == ARTICLES
    assert dict(_rows(path, "SELECT story_id, body FROM notes")) == notes
    assert _rows(path, "SELECT count(*) FROM corrections")[0][0] == 1


def test_a_damaged_leaf_costs_only_its_rows_and_the_report_names_their_ids(
    pristine: tuple[Path, dict[int, str]], tmp_path: Path
) -> None:
    path = _copy(pristine, tmp_path)
    pages = _article_pages(path)
    page = sorted(pages.values())[len(pages) // 2]
    on_page = sorted(a for a, p in pages.items() if p == page)
    overwrite_pages(path, [page], seed=3)
    result = Library.salvage_file(path)
    articles = result.tables["articles"]
    assert articles.missing_ids == on_page
    assert articles.copied == ARTICLES - len(on_page)
    assert any("not recovered: ids" in line for line in result.lines())


def test_a_damaged_overflow_page_loses_only_its_article(
    pristine: tuple[Path, dict[int, str]], tmp_path: Path
) -> None:
    path = _copy(pristine, tmp_path)
    (long_id,) = _rows(path, "SELECT id FROM articles WHERE title = 'A very long article'")[0]
    page = pages_holding(path, {"w": b"word2500 word2501"})["w"]
    overwrite_pages(path, [page], seed=4)
    result = Library.salvage_file(path)
    assert result.tables["articles"].missing_ids == [long_id]
    assert result.tables["articles"].copied == ARTICLES - 1


def test_half_a_truncated_file_still_gives_up_its_first_half(
    pristine: tuple[Path, dict[int, str]], tmp_path: Path
) -> None:
    path = _copy(pristine, tmp_path)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)
    result = Library.salvage_file(path)
    assert sum(result.copied.values()) > 0
    assert result.tables["articles"].copied > 0


def test_deleted_rows_on_the_freelist_never_come_back(
    pristine: tuple[Path, dict[int, str]], tmp_path: Path
) -> None:
    path = _copy(pristine, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA secure_delete = OFF")  # leave the deleted rows' bytes on free pages
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM articles WHERE id > 200")
    conn.commit()
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] > 0
    conn.close()
    checkpoint(path)
    overwrite_pages(path, [_root(path, "articles")], seed=5)
    result = Library.salvage_file(path)
    assert result.tables["articles"].copied == 200
    assert _rows(path, "SELECT max(id) FROM articles")[0][0] == 200


def test_a_failed_salvage_leaves_nothing_behind(
    pristine: tuple[Path, dict[int, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(pristine, tmp_path)
    overwrite_pages(path, [_root(path, "articles")], seed=6)
    broken = path.read_bytes()

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(salvage_module, "_fix_references", fail)
    with pytest.raises(OSError):
        Library.salvage_file(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    assert path.read_bytes() == broken


# --------------------------------------------------------------------------- repair and commands


@pytest.mark.parametrize("where", ["articles-root", "notes-root", "stories-root", "page-1",
                                   "three-random"])
def test_every_command_on_a_damaged_library_names_repair_and_restore(
    pristine: tuple[Path, dict[int, str]], tmp_path: Path, where: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No command raises (a traceback in a real run); each failure names both ways out;
    ``repair`` then keeps every article and every note that sat on an intact page."""
    path = _copy(pristine, tmp_path)
    notes = pristine[1]
    if where == "page-1":
        pages = [1]
    elif where == "three-random":
        pages = [page_count(path) // 3, page_count(path) // 2, page_count(path) * 4 // 5]
    else:
        pages = [_root(path, where.removesuffix("-root"))]
    located = pages_holding(path, {str(s): b.encode() for s, b in notes.items()})
    safe = {int(s): notes[int(s)] for s, page in located.items() if page not in pages}
    overwrite_pages(path, pages, seed=len(where))
    lib = ["--library", str(path)]
    for command in (["check"], ["stats"], ["search", "minister"], ["stories"],
                    ["export", "--output", str(tmp_path / "out.jsonl")],
                    ["note", "show", str(next(iter(notes)))], ["notes", "list"]):
        code = main([*lib, *command])
        err = capsys.readouterr().err
        if any(w in err for w in ("damaged", "malformed", "not start like a database")):
            assert "broadsheet repair" in err and "restore newest" in err, (command, err)
        assert code in (0, 1)
    assert not (tmp_path / "out.jsonl").exists() or _is_complete_export(tmp_path / "out.jsonl")
    assert main([*lib, "repair"]) == 0
    capsys.readouterr()
    assert main([*lib, "check"]) == 0
    stored = dict(_rows(path, "SELECT story_id, body FROM notes"))
    assert {s: stored.get(s) for s in safe} == safe
    kept = _rows(path, "SELECT count(*) FROM articles")[0][0]
    assert kept >= ARTICLES * 0.95
    assert _rows(path, "SELECT count(*) FROM articles WHERE story_id IS NULL")[0][0] == 0


def _is_complete_export(path: Path) -> bool:
    lines = path.read_text(encoding="utf-8").splitlines()
    return len(lines) >= ARTICLES * 0.9


def test_repair_of_a_sound_library_salvages_nothing(
    pristine: tuple[Path, dict[int, str]], tmp_path: Path
) -> None:
    path = _copy(pristine, tmp_path)
    with Library.open(path) as lib:
        report = lib.repair()
        assert report.ok and lib.salvage_report is None
    assert not list(tmp_path.glob("*.damaged-*"))
