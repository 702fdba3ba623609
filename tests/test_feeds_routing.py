"""``broadsheet import`` sends feed documents and saved pages to the feed importers."""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.cli import main
from reader.library import Library

DATA = Path(__file__).parent / "data" / "feeds"


def test_feed_files_are_recognised_by_content(tmp_path: Path, library: Library) -> None:
    feed = tmp_path / "no-extension"
    shutil.copy(DATA / "rss20.xml", feed)
    utf16 = tmp_path / "feed-utf16.dat"
    shutil.copy(DATA / "enc_utf16.xml", utf16)
    report = library.import_paths([feed, utf16])
    assert not report.failed, report
    assert report.added > 0
    assert all(f.format and f.format != "text" for f in report.files)
    again = library.import_paths([feed])
    assert again.added == 0


def test_saved_page_and_feeds_through_the_cli(tmp_path: Path) -> None:
    lib = tmp_path / "cli.db"
    code = main(["import", str(DATA / "rss20.xml"), str(DATA / "jsonfeed11.json"),
                 str(DATA / "saved_page.html"), "--library", str(lib)])
    assert code == 0
    with Library.open(lib) as opened:
        kinds = {f.format for f in opened.import_paths([DATA / "empty_page.html"]).files}
        assert kinds == {None}  # a page with no article fails clearly
        assert len(opened.sources()) == 3
