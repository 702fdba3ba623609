"""What the feed reader reads, case by case: each case is one thing feeds lost before.

Small inline documents, parsed with :func:`reader.feeds.parse.parse_feed_bytes` (and, where
routing matters, imported through ``Library.import_paths`` as ``broadsheet import`` does).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from reader.errors import ImportFailed
from reader.feeds.parse import looks_like_feed, parse_feed_bytes

DATA = Path(__file__).parent / "data" / "feeds"
ATOM = 'xmlns="http://www.w3.org/2005/Atom"'
MEDIA = 'xmlns:media="http://search.yahoo.com/mrss/"'


def parse(document: str | bytes, **kwargs: Any) -> Any:
    data = document.encode("utf-8") if isinstance(document, str) else document
    return parse_feed_bytes(data, where="test.xml", **kwargs)


# --------------------------------------------------------------------------- entries


def test_atom_xhtml_title_and_summary_are_read() -> None:
    feed = parse(
        f'<feed {ATOM}><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "Harbour <b>news</b></div></title><entry>"
        '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Storm <em>closes</em>'
        " the port</div></title>"
        '<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Ferries stay in '
        "<b>dock</b> until Friday.</p></div></summary></entry></feed>"
    )
    assert feed.title == "Harbour news"
    [entry] = feed.entries
    assert entry.title == "Storm closes the port"
    assert entry.html == "<p>Ferries stay in <b>dock</b> until Friday.</p>"
    assert "xmlns" not in entry.html


def test_media_rss_description_is_the_body_when_there_is_no_other() -> None:
    feed = parse(
        f'<feed {ATOM} {MEDIA}><title>Channel</title><entry><id>yt:video:1</id>'
        "<title>Bridge opening ceremony</title>"
        '<link rel="alternate" href="https://video.example/watch?v=1"/>'
        "<media:group><media:title>Bridge opening ceremony</media:title>"
        "<media:description>The mayor cut the ribbon at noon.\n\nTraffic starts Monday."
        "</media:description></media:group></entry></feed>"
    )
    [entry] = feed.entries
    assert entry.text == "The mayor cut the ribbon at noon.\n\nTraffic starts Monday."
    assert entry.link == "https://video.example/watch?v=1"


def test_markup_written_unescaped_inside_type_html_content_is_kept() -> None:
    feed = parse(
        f'<feed {ATOM}><entry><title>Budget</title><content type="html">'
        "Spending <b>rises</b>:<ul><li>schools</li><li>roads</li></ul></content></entry></feed>"
    )
    [entry] = feed.entries
    assert entry.text == "Spending rises:\n\n• schools\n• roads"


def test_a_stub_content_does_not_win_over_a_full_description() -> None:
    full = "The council met for six hours and approved the harbour plan. " * 3
    feed = parse(
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>T</title><item><title>Plan approved</title><description>{full}</description>"
        "<content:encoded>…</content:encoded></item>"
        "<item><title>Teaser</title><description>Short teaser.</description>"
        "<content:encoded>&lt;p&gt;The whole story, told at length.&lt;/p&gt;</content:encoded>"
        "</item></channel></rss>"
    )
    assert feed.entries[0].text == full.strip()
    assert feed.entries[1].text == "The whole story, told at length."


def test_atom_text_titles_keep_their_brackets_and_html_titles_lose_markup() -> None:
    feed = parse(
        f'<feed {ATOM}><entry><title type="text">History of the &lt;blink&gt; tag</title>'
        '</entry><entry><title type="html">&lt;b&gt;AT&amp;amp;T&lt;/b&gt; &lt;!-- x --&gt;'
        "wins</title></entry></feed>"
    )
    assert [e.title for e in feed.entries] == ["History of the <blink> tag", "AT&T wins"]


def test_atom_03_modes_and_base64() -> None:
    feed = parse(
        '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry>'
        '<title mode="escaped" type="text/html">Ferry &lt;i&gt;returns&lt;/i&gt;</title>'
        '<summary mode="base64">PHA+RmVycnkgaXMgYmFjay48L3A+</summary></entry></feed>'
    )
    [entry] = feed.entries
    assert (entry.title, entry.html) == ("Ferry returns", "<p>Ferry is back.</p>")


def test_links_and_content_resolve_against_xml_base() -> None:
    feed = parse(
        f'<feed {ATOM} xml:base="https://news.example/world/"><title>W</title>'
        '<entry xml:base="2024/"><title>Flood</title><link href="flood.html"/>'
        '<content type="html">&lt;img src="map.png"&gt; &lt;a href="/about"&gt;us&lt;/a&gt;'
        "</content></entry></feed>"
    )
    [entry] = feed.entries
    assert entry.link == "https://news.example/world/2024/flood.html"
    assert 'src="https://news.example/world/2024/map.png"' in entry.html
    assert 'href="https://news.example/about"' in entry.html


def test_the_alternate_link_wins_whatever_the_order() -> None:
    feed = parse(
        f'<feed {ATOM}><entry><title>A</title>'
        '<link rel="enclosure" href="https://cdn.example/a.mp3" type="audio/mpeg"/>'
        '<link rel="self" href="https://news.example/a.atom" type="application/atom+xml"/>'
        '<link href="https://news.example/a.html"/></entry></feed>'
    )
    [entry] = feed.entries
    assert entry.link == "https://news.example/a.html"
    assert entry.enclosures == ("https://cdn.example/a.mp3",)


def test_only_the_entrys_own_children_count() -> None:
    feed = parse(
        f'<feed {ATOM}><entry><source><title>Other feed</title><id>other</id></source>'
        "<title>Own title</title><id>own</id></entry></feed>"
    )
    [entry] = feed.entries
    assert (entry.title, entry.guid) == ("Own title", "own")


def test_authors_and_categories() -> None:
    feed = parse(
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><item>'
        "<title>Podcast</title><dc:creator>Ann Lee</dc:creator><dc:creator>Bo Tan</dc:creator>"
        '<itunes:category text="News"><itunes:category text="Politics"/></itunes:category>'
        "<category>Local</category></item>"
        "<item><title>Column</title><author>ed@paper.example (Cy Ray)</author></item>"
        "</channel></rss>"
    )
    assert feed.entries[0].author == "Ann Lee, Bo Tan"
    assert feed.entries[0].categories == ("News", "Politics", "Local")
    assert feed.entries[1].author == "Cy Ray"


@pytest.mark.parametrize(
    ("written", "instant"),
    [
        ("Thu, 01 Jan 2004 19:48:21 GMT", datetime(2004, 1, 1, 19, 48, 21, tzinfo=UTC)),
        ("Thu, 01 Jan 2004 19:48:21 -0500", datetime(2004, 1, 2, 0, 48, 21, tzinfo=UTC)),
        ("1 Jan 04 19:48 EST", datetime(2004, 1, 2, 0, 48, tzinfo=UTC)),
        ("2003-12-31T10:14:55Z", datetime(2003, 12, 31, 10, 14, 55, tzinfo=UTC)),
        ("2003-12-31T10:14:55.25+01:00", datetime(2003, 12, 31, 9, 14, 55, 250000, tzinfo=UTC)),
        ("2003-12-31 10:14", datetime(2003, 12, 31, 10, 14, tzinfo=UTC)),
        ("2004-01-01", datetime(2004, 1, 1, tzinfo=UTC)),
        ("Thu, 31 Jun 2004 19:48:21 GMT", None),
        ("next Tuesday", None),
    ],
)
def test_dates(written: str, instant: datetime | None) -> None:
    feed = parse(f"<rss><channel><item><title>x</title><pubDate>{written}</pubDate>"
                 "</item></channel></rss>")
    assert feed.entries[0].published == instant


def test_a_bare_ampersand_is_repaired_with_a_warning() -> None:
    feed = parse('<rss><channel><title>Q&A</title><link>https://x.example/?a=1&b=2</link>'
                 "<item><title>Fish & chips</title></item></channel></rss>")
    assert (feed.title, feed.link) == ("Q&A", "https://x.example/?a=1&b=2")
    assert feed.entries[0].title == "Fish & chips"
    assert any("not well-formed" in w for w in feed.warnings)


def _items(count: int) -> str:
    return "".join(
        f"<item><title>Item {n}</title><link>https://x.example/{n}</link>"
        f"<description>Text of item {n}.</description></item>" for n in range(count)
    )


def test_forbidden_control_characters_are_dropped_not_the_text_after_them() -> None:
    feed = parse(f"<rss><channel><title>T</title>{_items(3)}</channel></rss>"
                 .replace("Text of", "Text\x0b of\x00"))
    assert [e.text for e in feed.entries] == [f"Text of item {n}." for n in range(3)]
    assert any("not well-formed" in w for w in feed.warnings)


def test_structural_damage_is_read_by_the_fallback() -> None:
    damaged = f"<rss><channel><title>T</title>{_items(20)}</channel></rss>".replace(
        "</title>", "", 2)  # two unclosed titles swallow what follows in the recovered tree
    feed = parse(damaged)
    assert len(feed.entries) == 20
    assert feed.entries[-1].title == "Item 19"
    assert any("20 entries were recovered" in w for w in feed.warnings)


def test_unknown_entities_stay_as_written_and_html_entities_are_read() -> None:
    feed = parse("<rss><channel><title>caf&eacute; &doesnotexist; &#X41;</title></channel></rss>")
    assert feed.title == "café &doesnotexist; A"


def test_plain_declared_entities_are_read_and_others_refused() -> None:
    feed = parse('<!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY id "tag:x.example,">\n'
                 '<!ENTITY % lat1 PUBLIC "-//W3C//ENTITIES Latin 1 for XHTML//EN" "x.ent">%lat1;]>'
                 "<rss><channel><title>A&nbsp;B</title><item><guid>&id;2024:1</guid>"
                 "<title>x</title></item></channel></rss>")
    assert (feed.title, feed.entries[0].guid) == ("A B", "tag:x.example,2024:1")
    for subset in ('<!ENTITY a "x"><!ENTITY b "&a;&a;">', '<!ENTITY x SYSTEM "file:///etc/passwd">',
                   '<!ENTITY % p "<!ENTITY y \'z\'>"> %p;'):
        with pytest.raises(ImportFailed, match="entit"):
            parse(f"<!DOCTYPE rss [{subset}]><rss><channel><title>&x;</title></channel></rss>")


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("document", "fmt"),
    [
        ('<CHANNEL HREF="https://cdf.example/"><TITLE>Channel</TITLE>'
         '<ITEM HREF="https://cdf.example/1" LASTMOD="2004-04-06T23:05:43-05:00">'
         "<TITLE>First item</TITLE><ABSTRACT>About it.</ABSTRACT></ITEM></CHANNEL>", "cdf"),
        ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
         'xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>Channel</title>'
         "<link>https://old.example/</link></channel><item><title>First item</title>"
         "<link>https://old.example/1</link></item></rdf:RDF>", "rdf"),
        ("<feed><title>Channel</title><entry><title>First item</title>"
         "<summary>About it.</summary></entry></feed>", "atom"),
        ('<feed version="0.3" xmlns="http://purl.org/pie/"><title>Channel</title><entry>'
         "<title>First item</title></entry></feed>", "atom"),
        ('<r:rss xmlns:r="http://backend.userland.com/rss2" version="2.0"><r:channel>'
         "<r:title>Channel</r:title><r:item><r:title>First item</r:title></r:item>"
         "</r:channel></r:rss>", "rss"),
    ],
    ids=["cdf", "rss090", "atom-without-namespace", "atom-other-namespace", "prefixed-rss"],
)
def test_old_and_odd_feeds_read_as_feeds(
    document: str, fmt: str, tmp_path: Path, library: Any
) -> None:
    feed = parse(document)
    assert (feed.format, feed.title) == (fmt, "Channel")
    assert [e.title for e in feed.entries] == ["First item"]
    path = tmp_path / "feed.xml"
    path.write_text(document, encoding="utf-8")
    report = library.import_paths([path])
    assert not report.failed and report.added == 1
    assert report.files[0].format == f"feed ({fmt})"


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ('<?xml version="1.0"?><opml version="2.0"><body><outline text="a" '
         'xmlUrl="https://a.example/feed"/></body></opml>', "broadsheet feeds import-opml"),
        ('<?xml version="1.0"?><catalog><book id="1"><title>Dune</title></book></catalog>',
         "root element <catalog>"),
        (f'<entry {ATOM}><title>Alone</title></entry>', "single Atom entry"),
        ("<rss><chan", "damaged beyond repair"),
    ],
    ids=["opml", "other-xml", "lone-entry", "truncated-early"],
)
def test_xml_that_is_no_feed_is_refused_with_its_reason(
    document: str, reason: str, tmp_path: Path, library: Any
) -> None:
    with pytest.raises(ImportFailed, match=reason):
        parse(document)
    path = tmp_path / "input.txt"  # not even an .xml name: recognised by content
    path.write_text(document, encoding="utf-8")
    report = library.import_paths([path])
    [failed] = report.failed
    assert reason in (failed.error or "")
    assert library.stats().articles == 0


def test_an_html_page_without_an_html_name_is_imported_as_a_page(
    tmp_path: Path, library: Any
) -> None:
    page = tmp_path / "saved"
    page.write_bytes((DATA / "saved_page.html").read_bytes())
    report = library.import_paths([page])
    assert not report.failed and report.files[0].format == "page"


# --------------------------------------------------------------------------- JSON Feed

JSON_ITEMS = [{"id": str(n), "title": f"Item {n}", "content_text": "Some words. " * 200}
              for n in range(12)]


@pytest.mark.parametrize(
    "document",
    [
        json.dumps({"title": "Late", "items": JSON_ITEMS,
                    "version": "https://jsonfeed.org/version/1.1"}, indent=2),
        json.dumps({"title": "Late", "items": JSON_ITEMS,
                    "version": "https://jsonfeed.org/version/1.1"}),
        json.dumps({"version": "https://jsonfeed.org/version/1", "title": "Escaped",
                    "items": JSON_ITEMS}).replace("/", "\\/"),
        json.dumps({"version": "http://jsonfeed.org/version/1", "title": "Plain http",
                    "items": JSON_ITEMS}, indent=1),
    ],
    ids=["version-late-multiline", "version-late-one-line", "escaped-slashes", "http"],
)
def test_json_feeds_are_recognised(document: str, tmp_path: Path, library: Any) -> None:
    path = tmp_path / "feed.json"
    path.write_text(document, encoding="utf-8")
    report = library.import_paths([path])
    assert not report.failed, report.failed
    assert report.files[0].format == "feed (json)" and report.added == 12


def test_json_that_is_neither_feed_nor_json_lines_is_refused_clearly(
    tmp_path: Path, library: Any
) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"name": "x", "values": [1, 2, 3]}, indent=2), encoding="utf-8")
    [failed] = library.import_paths([path]).failed
    assert "neither a JSON Feed" in (failed.error or "")
    assert not looks_like_feed('{"version": "https://example.com/version/1"}')


def test_json_lines_still_import_as_json_lines(tmp_path: Path, library: Any) -> None:
    path = tmp_path / "export.jsonl"
    rows = [{"title": f"Row {n}", "body": f"Body of row {n}."} for n in range(3)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = library.import_paths([path])
    assert report.files[0].format == "jsonl" and report.added == 3


# --------------------------------------------------------------------------- encodings


def test_undeclared_legacy_encodings_are_detected() -> None:
    title = "Новости Москвы"
    body = "Сегодня в городе прошёл большой праздник, на улицах было много людей. " * 4
    for codec in ("cp1251", "koi8-r"):
        data = (f"<rss><channel><title>{title}</title><item><title>{title}</title>"
                f"<description>{body}</description></item></channel></rss>").encode(codec)
        feed = parse(data)
        assert feed.title == title, codec
        assert feed.entries[0].text == body.strip()


def test_utf32_without_bom_is_read(tmp_path: Path, library: Any) -> None:
    document = ("<rss><channel><title>Zürich</title><item><title>Málaga</title></item>"
                "</channel></rss>")
    for codec in ("utf-32-le", "utf-32-be"):
        assert parse(document.encode(codec)).entries[0].title == "Málaga"
    path = tmp_path / "utf32.dat"
    path.write_bytes(document.encode("utf-32-be"))
    report = library.import_paths([path])
    assert not report.failed and report.added == 1


def test_cp1252_characters_written_as_c1_controls_are_mapped() -> None:
    feed = parse(
        "<rss><channel><item><title>don\u0092t &#147;quote&#148; &#x96; ok</title>"
        "<description>it&amp;#146;s \u0080 5</description></item></channel></rss>"
    )
    [entry] = feed.entries
    assert entry.title == "don’t “quote” – ok"
    assert entry.text == "it’s € 5"


def test_the_http_charset_wins_and_mislabelled_utf8_is_read_as_utf8() -> None:
    body = '<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Łódź</title></channel></rss>'
    as_latin2 = parse(body.encode("iso-8859-2"), content_type="text/xml; charset=iso-8859-2")
    assert (as_latin2.title, as_latin2.encoding) == ("Łódź", "iso-8859-2")
    mislabelled = body.replace("utf-8", "iso-8859-1").encode("utf-8")
    feed = parse(mislabelled)
    assert feed.title == "Łódź" and feed.encoding == "utf-8"
    assert any("declares iso-8859-1 but is UTF-8" in w for w in feed.warnings)


# --------------------------------------------------------------------------- storing


def test_entries_with_different_guids_but_equal_text_are_kept_apart(
    tmp_path: Path, library: Any
) -> None:
    items = "".join(
        f"<item><guid>notice-{n}</guid><title>Road closed</title>"
        "<description>The coast road is closed.</description></item>" for n in range(5)
    )
    repeated = "<item><guid>notice-0</guid><title>Road closed</title></item>"
    path = tmp_path / "notices.xml"
    path.write_text(f"<rss><channel><title>Notices</title>{items}{repeated}</channel></rss>",
                    encoding="utf-8")
    first = library.import_paths([path])
    assert first.added == 5 and first.files[0].folded == 1
    again = tmp_path / "notices-again.xml"
    again.write_text(path.read_text(encoding="utf-8").replace("</channel>", " </channel>"),
                     encoding="utf-8")
    second = library.import_paths([again])
    assert second.added == 0
    assert library.stats().articles == 5
