"""Security (issue 7, section 5): SQL stays parameterised, hostile search strings are safe,
and a backup goes exactly where the user chose, never elsewhere or over an existing file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import BroadsheetError, RuleSyntaxError
from reader.library import Library

HOSTILE = [
    "'); DROP TABLE articles; --",
    '" OR 1=1',
    "Robert'); DELETE FROM notes; --",
    "x\" UNION SELECT * FROM sqlite_master --",
    "NEAR(\"a\" \"b\", -1)",
    "title:* OR body:*",
    "\"unterminated",
    "((((",
    "*",
    "-",
    "^start",
    "a AND",
    "\x00null\x00byte",
    "rowid:1",
    "articles_fts MATCH 'x'",
]


@pytest.fixture
def hostile_library(tmp_path: Path) -> Path:
    lines = ["XX Bobby Tables", ""]
    for index, title in enumerate(HOSTILE):
        if "\x00" in title:
            continue  # NUL bytes make the importer refuse the file as binary (by design)
        lines += [f"{title} {index}", "", f"Body with {title} inside, item {index}.", "XX", ""]
    source = tmp_path / "hostile.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    library = tmp_path / "library.broadsheet.db"
    with Library.open(library) as lib:
        report = lib.import_paths([source])
        assert report.failed == ()
    return library


def test_hostile_titles_are_stored_verbatim(hostile_library: Path) -> None:
    with Library.open(hostile_library) as lib:
        tables = set(lib.db.table_names())
        assert {"articles", "notes", "stories"} <= tables
        titles = {r[0] for r in lib.db.conn.execute("SELECT title FROM articles")}
        assert "'); DROP TABLE articles; -- 0" in titles
        assert '" OR 1=1 1' in titles
        assert lib.check().ok
        assert lib.stats().articles == len(titles) >= len(HOSTILE) - 1


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_strings_never_break(hostile_library: Path, query: str) -> None:
    with Library.open(hostile_library) as lib:
        try:
            hits = lib.search(query)
            ids = lib.search_story_ids(query)
        except RuleSyntaxError:
            return  # a clear "cannot parse" is allowed; nothing else is
        assert isinstance(hits, list) and isinstance(ids, list)
        assert lib.stats().articles > 0


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=40))
def test_any_search_string_is_safe(tmp_path_factory: pytest.TempPathFactory, query: str) -> None:
    library = tmp_path_factory.getbasetemp() / "fuzz-search.db"
    with Library.open(library) as lib:
        try:
            lib.search(query)
            lib.search_story_ids(query)
        except RuleSyntaxError:
            pass


def test_backup_destination_stays_where_chosen(tmp_path: Path) -> None:
    library = tmp_path / "lib" / "library.broadsheet.db"
    Library.open(library).close()
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    with Library.open(library) as lib:
        made = lib.backup(chosen)
        assert made.parent == chosen
        with pytest.raises(BroadsheetError):
            lib.backup(victim)
        with pytest.raises(BroadsheetError):
            lib.backup(chosen / ".." / "nope" / "x.db")
        (chosen / "link").symlink_to(victim)
        with pytest.raises(BroadsheetError):
            lib.backup(chosen / "link")
    assert victim.read_text() == "keep me"
    assert not (tmp_path / "nope").exists()
