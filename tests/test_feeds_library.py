"""Feed verbs against a real library and a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import pytest
from helpers.feed_server import FeedServer, rss

from reader.errors import BroadsheetError, ImportFailed
from reader.feeds import images

DATA = Path(__file__).parent / "data" / "feeds"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def titles(lib: Any) -> list[str]:
    return sorted(r[0] for r in lib.db.conn.execute("SELECT title FROM articles"))


def test_import_feed_file_then_reimport_updates_in_place(library: Any, tmp_path: Path) -> None:
    feed = tmp_path / "f.xml"
    feed.write_bytes(rss([("1", "Dam opens", "Water flows."), ("2", "Fair", "Rides.")]))
    first = library.import_feed_file(feed)
    assert first.added == 2
    assert library.import_feed_file(feed).skipped_same_file
    feed.write_bytes(rss([("1", "Dam opens early", "Water flows today."), ("3", "New", "x.")]))
    second = library.import_feed_file(feed)
    assert (second.added, second.already_present) == (1, 1)
    assert titles(library) == ["Dam opens early", "Fair", "New"]
    row = library.db.conn.execute(
        "SELECT guid, html, body FROM articles WHERE guid = '1'").fetchone()
    assert row[1] == "<p>Water flows today.</p>" and row[2] == "Water flows today."
    hits = library.db.conn.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'today'").fetchone()[0]
    assert hits == 1
    assert library.stats().stories == 3


def test_categories_and_match_by_link_without_guid(library: Any) -> None:
    library.import_feed_file(DATA / "rss20.xml")
    cats = library.db.conn.execute(
        "SELECT categories FROM articles WHERE guid = 'city-desk-1001'").fetchone()[0]
    assert cats == '["Politics", "Money"]'
    library.import_feed_file(DATA / "rss091.xml")
    before = library.stats().articles
    changed = DATA.joinpath("rss091.xml").read_text(encoding="latin-1").replace(
        "two weeks early", "three weeks early")
    tmp = DATA.parent.parent / "_tmp_rss091.xml"
    try:
        tmp.write_text(changed, encoding="latin-1")
        outcome = library.import_feed_file(tmp)
    finally:
        tmp.unlink()
    assert outcome.added == 0 and library.stats().articles == before


def test_failed_import_leaves_library_untouched(library: Any) -> None:
    with pytest.raises(ImportFailed):
        library.import_feed_file(DATA / "unrecoverable.xml")
    with pytest.raises(ImportFailed):
        library.import_feed_file(DATA / "billion_laughs.xml")
    assert library.stats().articles == 0
    assert library.db.conn.execute("SELECT count(*) FROM files").fetchone()[0] == 0


def test_saved_page(library: Any) -> None:
    outcome = library.import_page(DATA / "saved_page.html")
    assert outcome.added == 1 and outcome.source == "Northern Tribune"
    art = library.db.conn.execute(
        "SELECT title, author, url, published, body FROM articles").fetchone()
    assert art[0] == "Rail strike called off after late-night deal"
    assert art[1] == "Jonas Field"
    assert art[2] == "https://tribune.example/2024/05/rail-strike-called-off"
    assert art[3].startswith("2024-05-14")
    assert "• Pay rise: 5 percent" in art[4] and "Copyright" not in art[4]
    with pytest.raises(ImportFailed, match="no article"):
        library.import_page(DATA / "empty_page.html")


def test_opml_round_trip(library: Any, tmp_path: Path) -> None:
    feeds = library.import_opml(DATA / "subscriptions.opml")
    folders = {f.url: f.folder for f in feeds}
    assert folders["https://city.example/feed.xml"] == "News/Local"
    assert folders["https://forest.example/feed.json"] is None
    out = tmp_path / "out.opml"
    assert library.export_opml(out) == 3
    library.remove_feed("https://city.example/feed.xml")
    assert len(library.feeds()) == 2
    library.import_opml(out)
    again = {f.url: f.folder for f in library.feeds()}
    assert again == folders


def test_refresh_over_http(library: Any, feed_server: FeedServer) -> None:
    s = feed_server
    s.serve("/ok", rss([("a", "Harbour closes", "Storm warning.")]),
            headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"})
    s.serve("/gz", rss([("b", "Bridge opens", "Traffic flows.")]), gzip=True)
    s.redirect("/moved", "/ok2", 302)
    s.serve("/ok2", rss([("c", "Museum reopens", "Art returns.")]))
    s.serve("/boom", b"oops", 500)
    s.serve("/garbage", b"<<<not a feed")
    s.serve("/slow", rss([("d", "Late", "Too late.")]))
    s.delays["/slow"] = 3.0
    for path in ("/ok", "/gz", "/moved", "/boom", "/missing", "/slow", "/garbage"):
        library.add_feed(s.base + path)
    outcomes = {o.url.rsplit("/", 1)[1]: o for o in library.refresh_feeds(timeout=1.0)}
    assert outcomes["ok"].added == 1 and outcomes["gz"].added == 1
    assert outcomes["moved"].added == 1
    assert "500" in (outcomes["boom"].error or "")
    assert "404" in (outcomes["missing"].error or "")
    assert "within" in (outcomes["slow"].error or "")
    assert outcomes["garbage"].error
    status = {f.url.rsplit("/", 1)[1]: f for f in library.feeds()}
    assert status["boom"].status == "error" and status["boom"].last_error
    assert status["ok"].status == "ok" and status["ok"].etag == '"v1"'
    # Second refresh: conditional GET gives 304; a changed feed updates in place.
    s.serve("/gz", rss([("b", "Bridge opens late", "Traffic flows.")]), gzip=True)
    again = {o.url.rsplit("/", 1)[1]: o for o in library.refresh_feeds(timeout=1.0)}
    assert again["ok"].not_modified
    assert (again["gz"].added, again["gz"].updated) == (0, 1)
    assert "Bridge opens late" in titles(library) and "Bridge opens" not in titles(library)
    assert library.stats().articles == 3


def test_image_cache_and_offline_lookup(library: Any, feed_server: FeedServer) -> None:
    server = feed_server
    server.serve("/img.png", PNG)
    server.serve("/f", rss([("i", "Picture day", "Look.")],
                           image=f'<img src="{server.base}/img.png">'))
    library.add_feed(server.base + "/f")
    library.refresh_feeds()
    html = library.db.conn.execute("SELECT html FROM articles").fetchone()[0]
    local = images.cached_image_path(library.path, server.base + "/img.png")
    assert local is not None and local.read_bytes() == PNG
    assert f'src="{local.name}"' in html
    assert library.image_path(local.name) == local
    assert images.cached_image_path(library.path, "http://elsewhere/x.png") is None
    # Eviction keeps the cache under its cap, oldest first.
    assert images.evict(local.parent, 0) == 1 and not local.exists()


def test_image_opt_out(library: Any, feed_server: FeedServer) -> None:
    server = feed_server
    server.serve("/img.png", PNG)
    server.serve("/f", rss([("i", "Picture", "Look.")],
                           image=f'<img src="{server.base}/img.png">'))
    info = library.add_feed(server.base + "/f")
    library.set_feed_images(info.id, False)
    library.refresh_feeds()
    assert server.hits.get("/img.png") is None


def test_two_hundred_subscriptions_quickly(library: Any, feed_server: FeedServer) -> None:
    for i in range(200):
        url = feed_server.serve(f"/feed{i}", rss([(f"g{i}", f"Item {i} news", f"Body {i}.")]))
        library.add_feed(url)
    start = time.monotonic()
    outcomes = library.refresh_feeds(cache_images=False)
    elapsed = time.monotonic() - start
    assert len(outcomes) == 200 and all(o.ok and o.added == 1 for o in outcomes)
    assert elapsed <= 20, elapsed


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_moves_the_subscription(
    library: Any, feed_server: FeedServer, status: int
) -> None:
    s = feed_server
    old = s.redirect("/old", "/new", status)
    new = s.serve("/new", rss([("m", "Moved story", "Here now.")]))
    info = library.add_feed(old)
    [outcome] = library.refresh_feeds()
    assert outcome.ok and outcome.added == 1
    assert outcome.url == new and any("moved permanently" in w for w in outcome.warnings)
    assert [f.url for f in library.feeds()] == [new] and library.feed(info.id).url == new
    # Later refreshes go to the new address directly, and the move is not repeated.
    hits_before = s.hits.get("/old", 0)
    [again] = library.refresh_feeds()
    assert again.ok and not again.warnings and s.hits.get("/old", 0) == hits_before


@pytest.mark.parametrize("status", [302, 303, 307])
def test_temporary_redirect_keeps_the_address(
    library: Any, feed_server: FeedServer, status: int
) -> None:
    s = feed_server
    old = s.redirect("/old", "/elsewhere", status)
    s.serve("/elsewhere", rss([("t", "Visiting story", "For now.")]))
    library.add_feed(old)
    [outcome] = library.refresh_feeds()
    assert outcome.ok and outcome.added == 1 and outcome.url == old
    assert [f.url for f in library.feeds()] == [old]


def test_permanent_then_temporary_stops_at_the_permanent_hop(
    library: Any, feed_server: FeedServer
) -> None:
    s = feed_server
    old = s.redirect("/a", "/b", 301)
    middle = s.redirect("/b", "/c", 307)
    s.serve("/c", rss([("c", "Chain story", "Two hops.")]))
    library.add_feed(old)
    library.refresh_feeds()
    assert [f.url for f in library.feeds()] == [middle]


def test_move_onto_an_existing_subscription_keeps_both(
    library: Any, feed_server: FeedServer
) -> None:
    s = feed_server
    old = s.redirect("/old", "/new", 301)
    new = s.serve("/new", rss([("n", "Shared story", "Same feed.")]))
    library.add_feed(old)
    library.add_feed(new)
    outcomes = library.refresh_feeds()
    assert all(o.ok for o in outcomes)
    assert sorted(f.url for f in library.feeds()) == sorted([old, new])
    assert any("already another subscription" in w for o in outcomes for w in o.warnings)


def test_permanent_redirect_to_an_error_does_not_move(
    library: Any, feed_server: FeedServer
) -> None:
    old = feed_server.redirect("/old", "/gone", 301)
    library.add_feed(old)
    [outcome] = library.refresh_feeds()
    assert not outcome.ok and [f.url for f in library.feeds()] == [old]


def test_feeds_list_shows_the_moved_address(
    library: Any, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli.feeds import run_list

    old = feed_server.redirect("/old", "/new", 308)
    new = feed_server.serve("/new", rss([("x", "Listed story", "Listed.")]))
    library.add_feed(old)
    library.refresh_feeds()
    run_list(argparse.Namespace(), library)
    out = capsys.readouterr().out
    assert f"<{new}>" in out and f"<{old}>" not in out


def test_image_cache_cap_is_stored_and_used(library: Any, feed_server: FeedServer) -> None:
    assert library.image_cache_limit() == images.DEFAULT_CACHE_BYTES
    feed_server.serve("/img.png", PNG)
    feed_server.serve("/f", rss([("i", "Picture", "Look.")],
                                image=f'<img src="{feed_server.base}/img.png">'))
    library.add_feed(feed_server.url("/f"))
    library.refresh_feeds()
    assert library.image_cache_size() == (len(PNG), 1)
    assert library.set_image_cache_limit(0) == 1  # over the new cap: evicted now
    assert library.image_cache_size() == (0, 0) and library.image_cache_limit() == 0
    # With a cap of 0 a refresh of changed entries downloads nothing.
    feed_server.serve("/f", rss([("i", "Picture", "Look again.")],
                                image=f'<img src="{feed_server.base}/img.png">'))
    library.refresh_feeds()
    assert feed_server.hits["/img.png"] == 1
    with pytest.raises(BroadsheetError):
        library.set_image_cache_limit(-1)


def test_cli_cache_and_images(
    library_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main
    from reader.library import Library

    lib = str(library_path)
    url = feed_server.serve("/f", rss([("c", "Cli story", "Words.")]))
    assert main(["feeds", "add", url, "--no-refresh", "--library", lib]) == 0
    assert main(["feeds", "cache", "--limit-mb", "250", "--library", lib]) == 0
    assert "cap 250 MB" in capsys.readouterr().out
    assert main(["feeds", "images", url, "off", "--library", lib]) == 0
    assert main(["feeds", "list", "--library", lib]) == 0
    assert "images not cached" in capsys.readouterr().out
    with Library.open(library_path) as opened:
        assert opened.image_cache_limit() == 250 * 1024 * 1024
        assert not opened.feeds()[0].cache_images
