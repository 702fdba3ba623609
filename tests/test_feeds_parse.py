"""Feed files: every format, encodings, hostile and broken input, sanitising, sniffing."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.errors import ImportFailed
from reader.feeds.htmltext import html_to_text
from reader.feeds.parse import looks_like_feed, parse_feed_bytes, parse_feed_file
from reader.feeds.sanitize import image_sources, sanitize_html

DATA = Path(__file__).parent / "data" / "feeds"


@pytest.mark.parametrize(
    ("name", "fmt", "count"),
    [
        ("rss091.xml", "rss", 2), ("rss092.xml", "rss", 2), ("rss10.rdf", "rdf", 1),
        ("rss20.xml", "rss", 3), ("atom03.xml", "atom", 1), ("atom10.xml", "atom", 2),
        ("jsonfeed10.json", "json", 2), ("jsonfeed11.json", "json", 1),
    ],
)
def test_every_format_parses(name: str, fmt: str, count: int) -> None:
    feed = parse_feed_file(DATA / name)
    assert feed.format == fmt
    assert len(feed.entries) == count
    assert feed.title
    assert all(e.title and e.text for e in feed.entries)
    assert looks_like_feed((DATA / name).read_text(encoding="latin-1")[:4096])


def test_rss20_keeps_guid_link_author_dates_categories_and_sanitises() -> None:
    first = parse_feed_file(DATA / "rss20.xml").entries[0]
    assert first.guid == "city-desk-1001"
    assert first.link == "https://city.example/news/budget"
    assert first.author == "Maria Lopez"
    assert first.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert first.categories == ("Politics", "Money")
    assert "<script" not in first.html and "onclick" not in first.html
    assert "alert" not in first.text
    assert 'href="https://city.example/schools"' in first.html  # made absolute
    assert "pixel.gif" not in first.html  # tracking pixel dropped
    assert image_sources(first.html) == ["https://city.example/img/council.png"]
    assert "\n• Schools: up 4%\n• Roads: flat" in first.text
    assert "Tuesday.\n\nSpending" in first.text


def test_atom_and_rdf_details() -> None:
    atom = parse_feed_file(DATA / "atom10.xml").entries[0]
    assert atom.title == "Snow closes pass road"  # type="html" title reduced to text
    assert atom.categories == ("Weather", "Roads and traffic")
    assert atom.published == datetime(2024, 3, 6, 6, 0, tzinfo=UTC)
    rdf = parse_feed_file(DATA / "rss10.rdf").entries[0]
    assert rdf.author == "Ada Stone"
    assert "1. Look north\n2. After midnight" in rdf.text  # content:encoded was used
    old = parse_feed_file(DATA / "rss091.xml").entries[0]
    assert "Café" in old.text  # HTML entity in an RSS 0.91 feed kept


def test_json_feed_authors_and_plain_text() -> None:
    items = parse_feed_file(DATA / "jsonfeed10.json").entries
    assert items[0].author == "Kim Island" and items[0].categories == ("Transport", "Labour")
    assert items[1].author == "Feed Author"  # falls back to the feed's author
    assert items[1].text.endswith("repaint.\n\nIt took three weeks.")
    assert parse_feed_file(DATA / "jsonfeed11.json").entries[0].author == "Ivy Wood, Rowan Ash"


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("enc_gb2312.xml", "北京"), ("enc_big5.xml", "臺北"), ("enc_cp1251.xml", "Москв"),
        ("enc_utf16.xml", "Zürich"), ("enc_utf32.xml", "Málaga"),
    ],
)
def test_declared_encodings(name: str, word: str) -> None:
    feed = parse_feed_file(DATA / name)
    assert word in feed.title
    assert word in feed.entries[0].text
    assert not feed.warnings


def test_malformed_but_recoverable_warns() -> None:
    feed = parse_feed_file(DATA / "malformed_recoverable.xml")
    assert feed.entries
    assert any("not well-formed" in w for w in feed.warnings)


def test_unrecoverable_fails_clearly() -> None:
    with pytest.raises(ImportFailed) as info:
        parse_feed_file(DATA / "unrecoverable.xml")
    assert "unrecoverable.xml" in str(info.value)
    assert "Traceback" not in info.value.reason


def test_entity_bomb_refused_without_memory_blowup() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed) as info:
            parse_feed_file(DATA / "billion_laughs.xml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "entit" in info.value.reason
    assert peak < 20 * 1024 * 1024


def test_oversized_document_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from reader.feeds import parse

    monkeypatch.setattr(parse, "MAX_FEED_BYTES", 1000)
    big = tmp_path / "big.xml"
    big.write_bytes((DATA / "rss20.xml").read_bytes() * 2)
    with pytest.raises(ImportFailed, match="refused"):
        parse_feed_file(big)


def test_not_a_feed() -> None:
    with pytest.raises(ImportFailed):
        parse_feed_bytes(b"<html><body><p>hello</p></body></html>", where="x.html")
    with pytest.raises(ImportFailed, match="JSON Feed"):
        parse_feed_bytes(b'{"items": []}', where="x.json")
    assert not looks_like_feed("<html><body>")
    assert not looks_like_feed('{"version": 2}')


def test_html_to_text_structure() -> None:
    text = html_to_text(
        sanitize_html("<h2>Head</h2><p>One<br>two</p><ol start='3'><li>a</li><li>b</li></ol>"
                      "<ul><li>x</li></ul><p>&amp; end</p>")
    )
    assert text == "Head\n\nOne\ntwo\n\n3. a\n4. b\n\n• x\n\n& end"
