"""Feed HTML read as its authors meant it: fallback content, XHTML breaks, stray ``<!``,
unclosed comments, spaces around URLs, and damaged UTF-8 that declares itself."""

from __future__ import annotations

from reader.feeds.entries import FeedEntry
from reader.feeds.htmlrepair import repair_markup
from reader.feeds.parse import parse_feed_bytes
from reader.feeds.sanitize import sanitize_html


def _rss_entry(description: str, *, base_url: str | None = None) -> FeedEntry:
    """The one entry of an RSS feed whose item has ``description`` (escaped as feeds do)."""
    escaped = description.replace("&", "&amp;").replace("<", "&lt;")
    document = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Item</title><description>{escaped}</description></item>"
        "</channel></rss>"
    ).encode()
    feed = parse_feed_bytes(document, where="test", base_url=base_url, keep_empty=True)
    [entry] = feed.entries
    return entry


def test_object_fallback_content_is_kept_without_the_object() -> None:
    entry = _rss_entry('Clip: <object data="https://x.example/v.swf"><param name="a" value="b">'
                       "<p>Watch the <b>clip</b></p></object>")
    assert "<object" not in entry.html and "<param" not in entry.html
    assert "x.example" not in entry.html  # nothing that would load it
    assert "<p>Watch the <b>clip</b></p>" in entry.html
    assert entry.text == "Clip:\n\nWatch the clip"


def test_iframe_fallback_content_is_read_as_markup_and_sanitised() -> None:
    html = sanitize_html(
        'safe<iframe src="https://x.example/"> <b>description</b>'
        "<script>alert(1)</script></iframe> after"
    )
    assert html == "safe <b>description</b> after"


def test_an_empty_iframe_leaves_nothing() -> None:
    assert sanitize_html('<p>a</p><IFRAME SRC="https://x.example/"></IFRAME><p>b</p>') == (
        "<p>a</p><p>b</p>"
    )


def test_xhtml_br_closed_by_its_end_tag_is_one_break() -> None:
    assert sanitize_html("one<br></br>two") == "one<br>two"
    assert sanitize_html("one<BR/> </BR>two") == "one<br>two"
    assert sanitize_html("one<br><br>two") == "one<br><br>two"  # two breaks stay two


def test_spaces_around_a_url_are_not_part_of_it() -> None:
    entry = _rss_entry('<a href=" /relative/uri ">click here</a>',
                       base_url="http://127.0.0.1:8097/feed.xml")
    assert entry.html == (
        '<a href="http://127.0.0.1:8097/relative/uri" rel="noopener noreferrer nofollow">'
        "click here</a>"
    )


def test_a_bang_that_starts_no_markup_is_text() -> None:
    assert sanitize_html("wow <!' <b>bold</b>") == "wow &lt;!' <b>bold</b>"
    # CDATA means nothing in HTML: its marker is text, what it wraps is still sanitised.
    assert sanitize_html("<![CDATA[<script>x()</script>]]>") == "&lt;![CDATA[]]&gt;"


def test_comments_doctypes_and_conditional_comments_still_vanish() -> None:
    fragment = ("<!DOCTYPE html>a<!-- note -->b<!--more-->c<![if !IE]>d<![endif]>"
                "<!-->e<!--->f")
    assert sanitize_html(fragment) == "abcdef"


def test_an_unclosed_declaration_is_text() -> None:
    feed = parse_feed_bytes(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">'
        b"&lt;!DOCTYPE ~</title></feed>", where="test",
    )
    assert feed.title == "<!DOCTYPE ~"


def test_an_unclosed_comment_ends_at_its_first_angle_bracket() -> None:
    # As pre-HTML5 browsers read it; HTML5 would hide "fe" (the rest of the entry).
    assert sanitize_html("sa<!-- -- nonwhitespace >fe<script>alert(1);</script>") == "safe"
    # With no ">" at all it is a summary cut inside "<!--more-->": it hides the rest.
    assert sanitize_html("Read on <!--mo") == "Read on"


def test_repair_leaves_ordinary_markup_alone() -> None:
    fragment = '<p>Plain <a href="/x">link</a> &amp; <br> text<!-- c --></p>'
    assert repair_markup(fragment) is fragment


def test_damaged_utf8_that_declares_utf8_is_read_as_utf8() -> None:
    document = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item>'
        b"<title>It\xe2\x80\x99s \xe2\x80\x9cfine\xe2\x80\x9d \xa9</title></item></channel></rss>"
    )
    feed = parse_feed_bytes(document, where="test")
    assert feed.encoding == "utf-8"
    assert feed.entries[0].title == "It\u2019s \u201cfine\u201d \ufffd"
    assert any("not valid UTF-8" in w for w in feed.warnings)


def test_a_legacy_document_mislabelled_utf8_is_still_detected() -> None:
    # cp1252 text forms no valid UTF-8 sequence, so the declaration alone does not win.
    title = "Caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la carte, d\xe9j\xe0 vu".encode("cp1252")
    document = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item>'
        b"<title>" + title + b"</title></item></channel></rss>"
    )
    feed = parse_feed_bytes(document, where="test")
    assert feed.encoding != "utf-8"  # left to detection, not read as damaged UTF-8
    assert "\ufffd" not in feed.entries[0].title
    assert feed.entries[0].title.startswith("Caf\xe9 cr")
