"""Hostile text and full disks (issue 17, item 7): control characters never reach storage
or a terminal, Markdown exports never carry live HTML, and an export that cannot be written
leaves one clear line and no file."""

from __future__ import annotations

import errno
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from reader import export
from reader.cli import main
from reader.library import Library
from reader.storage.articles import clean_line

ESCAPES = {
    "clear": "Harbour \x1b[2Jstrike",
    "title": "Ferry \x1b]0;owned\x07news",
    "c1": "Budget \x9b31mvote",
    "bell": "Bridge\x07 closed\x00",
    "link": "Court \x1b]8;;http://evil\x1b\\ruling\x1b]8;;\x1b\\",
}


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    rows = [
        {"title": title, "body": f"Body {key}: the council met on Tuesday about {key}.",
         "source": f"Wire \x1b[31m{key}\x1b[0m"}
        for key, title in ESCAPES.items()
    ]
    path = tmp_path / "library.broadsheet.db"
    with Library.open(path) as lib:
        report = lib.import_paths([_jsonl(tmp_path / "hostile.jsonl", rows)])
        assert report.failed == () and report.added == len(ESCAPES)
    return path


def _has_controls(text: str) -> bool:
    return any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in text)


def test_titles_and_sources_are_stored_without_control_characters(hostile: Path) -> None:
    conn = sqlite3.connect(hostile)
    titles = [r[0] for r in conn.execute("SELECT title FROM articles ORDER BY id")]
    sources = [r[0] for r in conn.execute("SELECT name FROM sources")]
    conn.close()
    assert not any(_has_controls(t) for t in titles + sources)
    assert "Harbour strike" in titles and "Ferry news" in titles and "Court ruling" in titles
    assert "Wire clear" in sources


def test_reimporting_an_export_adds_nothing(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.jsonl"
    assert main(["--library", str(hostile), "export", "--output", str(out)]) == 0
    with Library.open(hostile) as lib:
        report = lib.import_paths([out])
    assert report.added == 0 and report.already_present == len(ESCAPES)


def test_clean_line_keeps_ordinary_text_and_flattens_line_breaks() -> None:
    assert clean_line("Zürich — «quotes» 東京") == "Zürich — «quotes» 東京"
    assert clean_line("two\nlines\tand tab") == "two lines and tab"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_keeps_control_characters_off_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library written before imports were cleaned (here: by hand) still cannot drive the
    terminal; a file or pipe gets the text exactly."""
    path = tmp_path / "library.broadsheet.db"
    with Library.open(path) as lib:
        lib.import_paths([_jsonl(tmp_path / "a.jsonl", [
            {"title": "Plain title about the harbour", "body": "The harbour strike.",
             "source": "Wire"}])])
    conn = sqlite3.connect(path)
    conn.execute("UPDATE articles SET title = 'Harbour \x1b[2J\x1b]0;owned\x07strike'")
    conn.execute("UPDATE stories SET headline = 'Harbour \x1b[2J\x1b]0;owned\x07strike'")
    conn.execute("UPDATE sources SET name = 'Wire \x9b31m' WHERE name = 'Wire'")
    conn.commit()
    conn.close()
    for command in (["stories", "--min-size", "1"], ["search", "harbour"], ["stats"]):
        terminal, errors = FakeTerminal(), FakeTerminal()
        monkeypatch.setattr("sys.stdout", terminal)
        monkeypatch.setattr("sys.stderr", errors)
        assert main(["--library", str(path), *command]) == 0
        shown = terminal.getvalue() + errors.getvalue()
        assert not _has_controls(shown), (command, shown)
        assert "strike" in shown or "Wire" in shown
    piped = io.StringIO()
    monkeypatch.setattr("sys.stdout", piped)
    assert main(["--library", str(path), "export"]) == 0
    assert "\x1b[2J" in json.loads(piped.getvalue().splitlines()[0])["title"]


def test_markdown_export_escapes_html_and_remote_images(tmp_path: Path) -> None:
    body = (
        "Intro.\n<script>alert(1)</script>\n<iframe src=\"http://evil/\"></iframe>\n"
        "<img src=\"http://evil/pixel.png\">\n![tracker](http://evil/t.png)\n1. a list item"
    )
    rows = [{"title": "<b>Bold</b> title", "body": body, "source": "<i>Wire</i>",
             "url": "javascript:alert(1)", "topics": ["<u>x</u>"]}]
    out = io.StringIO()
    assert export.write("markdown", rows, out) == 1
    text = out.getvalue()
    for live in ("<script", "<iframe", "<img", "![", "<b>", "<i>", "<u>", "<javascript"):
        assert re.search(r"(?<!\\)" + re.escape(live), text) is None, live
    assert "alert(1)" in text and "tracker" in text  # shown as typed, not dropped
    assert "\\<script\\>" in text


def test_export_to_a_full_disk_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "library.broadsheet.db"
    with Library.open(path) as lib:
        lib.import_paths([_jsonl(tmp_path / "a.jsonl", [
            {"title": f"Title {i}", "body": f"Body {i}.", "source": "Wire"} for i in range(50)
        ])])
    target = tmp_path / "out" / "export.jsonl"
    target.parent.mkdir()
    previous = "an earlier export the user keeps\n"
    target.write_text(previous, encoding="utf-8")
    real = export.write_jsonl

    def full_disk(rows: object, out: io.TextIOBase) -> int:
        real(list(rows)[:3], out)  # type: ignore[call-overload]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(export.__dict__, "write_jsonl", full_disk)
    code = main(["--library", str(path), "export", "--output", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "disk is full" in err, err
    assert "Traceback" not in err
    assert target.read_text(encoding="utf-8") == previous
    assert sorted(p.name for p in target.parent.iterdir()) == ["export.jsonl"]


def test_export_file_is_replaced_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    count = export.write_file("markdown", [{"title": "T", "body": "B", "source": "S"}], target)
    assert count == 1 and target.read_text(encoding="utf-8").startswith("## T")
    assert [p.name for p in tmp_path.iterdir()] == ["x.md"]


def test_feed_entries_lose_control_characters_at_import(tmp_path: Path) -> None:
    import json as _json

    from reader.library import Library

    feed = tmp_path / "feed.json"
    feed.write_text(_json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Wire",
        "items": [{"id": "1", "title": "\u001b[2JCleared \u001b]0;owned\u0007title",
                   "content_text": "The port reopened on Monday after repairs.",
                   "authors": [{"name": "A\u0007uthor"}]}],
    }), encoding="utf-8")
    with Library.open(tmp_path / "l.db") as library:
        assert library.import_paths([feed]).added == 1
        (row,) = list(library.export_rows())
        assert row["title"] == "Cleared title"
        assert "\u0007" not in str(row.get("author"))
        # The same file again adds nothing: the hash was taken on the cleaned title.
        assert library.import_paths([feed]).added == 0
