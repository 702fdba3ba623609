"""Add feed's discovery: a page's <link rel="alternate"> feeds, or the feed itself."""

from __future__ import annotations

from pathlib import Path

from reader.feeds.discover import discover
from reader.library import Library

PAGE = b"""<html><head><title>Harbour Gazette</title>
<link rel="alternate" type="application/rss+xml" title="All news" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" href="https://other.example/atom">
<link rel="stylesheet" href="/s.css"><link rel="alternate" hreflang="fr" href="/fr/">
</head><body>x</body></html>"""


def test_alternate_links_are_found_and_resolved() -> None:
    links = discover(PAGE, "https://gazette.example/news/")
    assert [(link.url, link.title, link.kind) for link in links] == [
        ("https://gazette.example/feed.xml", "All news", "rss"),
        ("https://other.example/atom", "Harbour Gazette", "atom"),
    ]


def test_a_feed_is_its_own_discovery() -> None:
    feed = b"<?xml version='1.0'?><rss><channel><title>Pier &amp; Port</title></channel></rss>"
    [link] = discover(feed, "https://x.example/rss")
    assert link.url == "https://x.example/rss" and link.title == "Pier & Port"


def test_a_local_page_is_read_without_fetching(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.replace(b'href="/feed.xml"', b'href="https://g.example/f.xml"'))
    with Library.open(tmp_path / "lib.db") as lib:
        links = lib.discover_feeds(str(page))
        assert [link.url for link in links] == ["https://g.example/f.xml", "https://other.example/atom"]
        info = lib.subscribe(links[0].url, "My title")
        assert info.title == "My title"
