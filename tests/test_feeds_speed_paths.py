"""The feed path's fast paths give exactly what the general code gives.

Storing a large feed spends its time resolving links, converting HTML to text and hashing
the text; each has a shortcut for the common case (a root-relative link, nh3's normalised
markup, ASCII text). These properties hold each shortcut to the general computation, so the
speed-up can never change what is stored (a changed hash would make a re-imported entry look
edited).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.feeds.htmltext import html_to_text
from reader.feeds.sanitize import _origin, resolve_url, sanitize_html
from reader.library.feeds import content_hash
from reader.text import identity_hash
from reader.types import ParsedArticle

_URL_PARTS = ["/", "//", "./", "../", "/.", "a", "b.html", "?q=1", "#f", "&amp;", "%20", " ",
              "\t", "é", ":", "@", "[", "mailto:x@y", "javascript:x", "http://o.example/p"]
_BASES = ["https://news.example/world/story?id=3#top", "http://u:p@Host.example:8080/a/b/",
          "HTTPS://caps.example", "https://news.example", "file:///tmp/x.xml", "relative/base",
          "http://[broken/x", ""]


def _reference(base: str, url: str) -> str | None:
    """urljoin of the URL as the URL standard reads an attribute: without the ASCII white
    space around it (``href=" /a "`` is ``/a``)."""
    if not base:
        return None
    try:
        resolved = urljoin(base, url.strip(" \t\n\r\f"))
        return resolved if urlsplit(resolved).scheme in ("http", "https") else None
    except ValueError:
        return None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_BASES), st.lists(st.sampled_from(_URL_PARTS), max_size=6).map("".join))
def test_resolving_links_equals_urljoin(base: str, url: str) -> None:
    assert resolve_url(base, url) == _reference(base, url)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["http://", "https://", "HTTP://", "h", "/", "?", "#", ":",
                                 "@", "x", ".", " ", "[", "é", "80"]), max_size=8).map("".join))
def test_origin_equals_urlsplit(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return
    want = (f"{parts.scheme}://{parts.netloc}"
            if parts.scheme in ("http", "https") and parts.netloc else "")
    assert _origin(url) == want


def test_relative_links_resolve_inside_nh3_and_bad_ones_go() -> None:
    html = sanitize_html(
        '<p><a href="/a?x=1&amp;y=2">one</a> <a href="../b">two</a> '
        '<a href="javascript:alert(1)">three</a> <img src="//cdn.example/i.png"></p>',
        "https://site.example/news/today/item",
    )
    assert 'href="https://site.example/a?x=1&amp;y=2"' in html
    assert 'href="https://site.example/news/b"' in html
    assert "javascript" not in html
    assert 'src="https://cdn.example/i.png"' in html
    assert "href" not in sanitize_html('<a href="/a">x</a>', None)  # no base: dropped


_HTML_ATOMS = ["<p>", "</p>", "<b>", "</b>", "<i>", "</i>", "<em>", "</em>", "<br>", "<ul>",
               "</ul>", '<ol start="2">', "</ol>", "<li>", "</li>", "<td>", "</td>", "<pre>",
               "</pre>", "word ", " more\n", "&amp;", "&lt;", '<img alt="pic <b>x</b>">',
               '<a href="/x" title="a>b">', "</a>", "<h2>", "</h2>", "<blockquote>",
               "</blockquote>", "1.", "•", "<", ">", '"', "<span>", "</span>", "\u200b"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_HTML_ATOMS), max_size=30).map("".join))
def test_text_of_sanitised_html_is_the_same_on_the_fast_path(markup: str) -> None:
    clean = sanitize_html(markup, "https://h.example/a")
    assert html_to_text(clean, sanitized=True) == html_to_text(clean)


_TEXT = st.text(
    alphabet=st.sampled_from(list("aZ9 _-.,!'\"\n\t\x1f") + list("•‘’“”–—\u00a0…") + ["é", "ﬁ",
                             "\u0301", "İ", "ß"]),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(_TEXT, _TEXT)
def test_content_hash_equals_identity_hash(title: str, body: str) -> None:
    assert content_hash(title, body) == identity_hash(title, body)


def test_feed_insert_writes_what_insert_articles_writes(tmp_path: Path) -> None:
    """``insert_entries`` inlines ``insert_articles`` (plus the feed columns): every column
    the general insert fills must come out the same, including columns added to it later."""
    from reader.library import Library
    from reader.storage import articles as store
    from reader.storage import feeds as feed_store

    article = ParsedArticle(
        title="Harbour reopens", body="Ships are back.\n\n• Ferries: daily", position=4,
        published=datetime(2024, 5, 1, 8, 30, tzinfo=UTC), published_inferred=True,
        url="https://h.example/1", external_id="g-1", author="Ann Lee",
        attachments=("https://h.example/a.mp3",), read=True, starred=True,
    )
    digest = content_hash(article.title, article.body)
    stored: list[dict[str, object]] = []
    for name in ("general", "feed"):
        with Library.open(tmp_path / f"{name}.db") as lib, lib.db.atomic():
            source = feed_store.source_for_feed(lib.db, "Harbour")
            if name == "general":
                store.insert_articles(lib.db, None, [store.NewArticle(article, source, digest)])
            else:
                row = feed_store.EntryRow(article, "g-1", "<p>Ships</p>", ("Sea",), digest)
                feed_store.insert_entries(lib.db, source, None, [row])
            cursor = lib.db.conn.execute("SELECT * FROM articles")
            names = [d[0] for d in cursor.description]
            stored.append(dict(zip(names, cursor.fetchone(), strict=True)))
            fts = lib.db.conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'ferries'").fetchall()
            assert len(fts) == 1
    general, feed = stored
    assert (feed["guid"], feed["html"], feed["categories"]) == ("g-1", "<p>Ships</p>", '["Sea"]')
    for column in ("added_at", "guid", "html", "categories"):
        general.pop(column)
        feed.pop(column)
    assert feed == general
