"""Feed documents to entries: RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF and JSON Feed 1.0/1.1.

The pieces, each in its own module:

* :mod:`.decoding` decides the encoding (BOM, UTF-16/32 byte patterns, the HTTP charset, the
  XML declaration, UTF-8, charset-normalizer for undeclared legacy encodings);
* :mod:`.xmltree` parses XML with lxml (libxml2) safely, repairing the common faults;
* :mod:`.xmlfeed` reads RSS, Atom and CDF trees field by field, as feedparser reads them;
* :mod:`.jsonfeed` reads JSON Feed;
* :mod:`.entries` turns each entry's fields into what is stored (sanitised HTML, plain text).

The XML path is Broadsheet's own reader over one lxml tree rather than fastfeedparser, chosen
by measurement: fastfeedparser dropped Atom ``xhtml`` titles and summaries, Media RSS
descriptions, markup inside ``type="html"`` content, CDF, RSS 0.90 and namespace-less or
prefixed roots (``benchmarks/feeds_fidelity.py``: 77.4% of feedparser's applicable test
conditions held before, 97.6% after), at about the same cost: one 2,000-item parse takes 2%
more instructions than the strict well-formedness parse plus fastfeedparser did, and parsing
plus storing takes slightly fewer (callgrind; ``benchmarks/feeds_speed.py`` times it).
fastfeedparser remains the second opinion on damaged documents (:mod:`.fallback`).

Documents above :data:`MAX_FEED_BYTES` are refused before they are read.
"""

from __future__ import annotations

from pathlib import Path

from reader.errors import ImportFailed
from reader.feeds import fallback, xmlfeed, xmltree
from reader.feeds.dates import parse_date
from reader.feeds.decoding import decode_document
from reader.feeds.entries import HTML, TEXT, FeedEntry, ParsedFeed, make_entry, plain_title
from reader.feeds.jsonfeed import parse_json_feed
from reader.feeds.sniff import looks_like_feed

__all__ = [
    "MAX_FEED_BYTES", "FeedEntry", "ParsedFeed", "looks_like_feed", "parse_feed_bytes",
    "parse_feed_file",
]

#: Feeds larger than this are refused: a news feed is a few MB at most, and a parsed tree
#: takes several times its document in memory.
MAX_FEED_BYTES = 100 * 1024 * 1024


def parse_feed_file(path: Path) -> ParsedFeed:
    """Read and parse a feed file, refusing oversized files before reading them."""
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            raise ImportFailed(
                path, f"the file is {size // 1_048_576} MB; feeds above "
                f"{MAX_FEED_BYTES // 1_048_576} MB are refused"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
    return parse_feed_bytes(data, where=str(path))


def parse_feed_bytes(
    data: bytes,
    *,
    where: str,
    base_url: str | None = None,
    content_type: str | None = None,
    keep_empty: bool = False,
) -> ParsedFeed:
    """Parse one feed document. Raises :class:`ImportFailed` (naming ``where``) if it is not
    a feed or cannot be recovered; the message never carries a traceback.

    ``base_url`` is the document's address (relative links resolve against it) and
    ``content_type`` its HTTP ``Content-Type``, whose charset wins over the document's own
    declaration. Entries with no title, text or link are dropped (with a warning) unless
    ``keep_empty``, which the fidelity benchmark uses to see everything that was read.
    """
    if len(data) > MAX_FEED_BYTES:
        raise ImportFailed(where, f"the feed is larger than {MAX_FEED_BYTES // 1_048_576} MB")
    if not data or data.isspace():  # (strip() would copy the whole document)
        raise ImportFailed(where, "the feed is empty")
    text, encoding, warnings = decode_document(data, content_type)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        return parse_json_feed(stripped, where, base_url, encoding, warnings, keep_empty)
    return _parse_xml_feed(stripped, where, base_url, encoding, warnings, keep_empty)


def _parse_xml_feed(
    text: str, where: str, base_url: str | None, encoding: str, warnings: list[str],
    keep_empty: bool,
) -> ParsedFeed:
    """An RSS, Atom or CDF document (C1 controls are mapped by :mod:`.xmltree`)."""
    try:
        tree = xmltree.parse(text, base_url)
    except xmltree.EntityDeclarations:
        raise ImportFailed(
            where,
            "the document declares XML entities made of other entities, or external ones; "
            "it was refused because such declarations are how entity-expansion and "
            "external-entity attacks work",
        ) from None
    raw: xmlfeed.RawFeed | None = None
    if tree.root is not None:
        try:
            raw = xmlfeed.read(tree.root, base_url, tree.has_xml_base)
        except xmlfeed.NotAFeed as exc:
            raise ImportFailed(where, str(exc)) from None
    entries: list[FeedEntry] = []
    if raw is not None:
        fallback_base = base_url or raw.link
        read = [_entry(e, fallback_base, keep_empty) for e in raw.entries]
        entries = [e for e in read if e is not None]
        if len(read) > len(entries):
            skipped = len(read) - len(entries)
            warnings.append(f"{skipped} empty entr{'y' if skipped == 1 else 'ies'} skipped")
    title = plain_title(raw.title.value, raw.title.kind) if raw and raw.title else ""
    link = raw.link if raw else None
    if tree.problem is not None:
        second_title, second_link, second = fallback.read_damaged(tree.body)
        if len(second) > len(entries):
            title, link, entries = title or second_title, link or second_link, second
        if not entries and not title and not link:
            raise ImportFailed(where, f"the feed is damaged beyond repair ({tree.problem})")
        count = len(entries)
        recovered = "1 entry was recovered" if count == 1 else f"{count} entries were recovered"
        warnings.append(f"the feed is not well-formed XML ({tree.problem}); {recovered}")
    return ParsedFeed(
        format=raw.format if raw else "rss", title=title, link=link, encoding=encoding,
        entries=entries, warnings=tuple(warnings),
    )


def _entry(raw: xmlfeed.RawEntry, fallback_base: str | None, keep_empty: bool) -> FeedEntry | None:
    """One raw entry to what is stored. Relative links in its body resolve against its
    ``xml:base``, else its own link, else the document's address or the feed's link."""
    title = raw.title if raw.title is not None and raw.title.value.strip() else raw.media_title
    body = raw.body()
    return make_entry(
        guid=raw.guid,
        link=raw.link,
        title=title.value if title is not None else "",
        title_kind=title.kind if title is not None else TEXT,
        body=body.value if body is not None else "",
        body_kind=body.kind if body is not None else HTML,
        base_url=(body.base if body is not None else None) or raw.link or fallback_base,
        author=", ".join(dict.fromkeys(raw.authors or raw.creators))
        if raw.authors or raw.creators else "",
        published=parse_date(raw.published) or parse_date(raw.created),
        updated=parse_date(raw.updated),
        categories=tuple(raw.categories),
        enclosures=tuple(raw.enclosures),
        keep_empty=keep_empty,
    )
