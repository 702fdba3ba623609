"""RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and CDF element trees to raw feed fields.

This reads what feedparser reads for the fields Broadsheet keeps (``benchmarks/
feeds_fidelity.py`` checks it against feedparser's own tests), in one pass over each entry's
children:

* **Elements are matched by namespace.** Elements in the document's own namespace, in none,
  or in the Atom or RSS 1.0/0.90 namespaces are the feed's own; Dublin Core, ``content:``,
  Media RSS, iTunes and XHTML elements are known extensions; anything else is ignored, so an
  extension's ``<x:title>`` never overrides the entry's title. A root in an unexpected
  namespace (``<r:rss xmlns:r=…>``, ``<feed xmlns="http://purl.org/pie/">``) still reads.
* **Only an entry's own children count**: the ``<title>`` of an entry's ``<source>`` or
  ``<image>`` is not the entry's.
* **Text constructs** keep their kind: Atom ``type="text"`` is plain text, ``html`` is
  markup, ``xhtml`` is serialised from its ``<div>``; Atom 0.3 modes (``escaped``,
  ``base64``) are decoded; markup written unescaped inside an ``html`` element is kept.
* **Links and ids** are resolved against ``xml:base`` (and the document's address); an Atom
  entry's link is its ``alternate`` link whatever the order.
* **The body** is the full content (``content:encoded``, Atom ``content``, XHTML ``body``)
  unless the summary says more (a stub ``<content>…</content>``); Media RSS and iTunes
  descriptions serve when there is neither (YouTube).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urljoin

from reader.feeds.entries import GUESS, HTML, TEXT
from reader.feeds.rawfeed import (
    ATOM03,
    ATOM10,
    HAS_SCHEME,
    RDF,
    RSS090,
    RSS10,
    XHTML,
    Construct,
    NotAFeed,
    RawEntry,
    RawFeed,
    local_name,
)
from reader.feeds.xmlfields import ENTRY_FIELDS, link, other_title
from reader.feeds.xmlmarkup import lone_xhtml_div, markup_with_children, xhtml_markup

__all__ = ["NotAFeed", "RawEntry", "RawFeed", "Reader", "read"]

_RDF_ABOUT = f"{{{RDF}}}about".lower()

#: Extension namespaces, by the prefix their elements are known under here.
_EXTENSIONS = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://search.yahoo.com/mrss/": "media",
    "http://search.yahoo.com/mrss": "media",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://www.itunes.com/DTDs/Podcast-1.0.dtd": "itunes",
    XHTML: "xhtml",
}
_CORE = frozenset({"", ATOM10, ATOM03, RSS10, RSS090})


class Reader:
    """Reads one document's elements: names them, resolves addresses, reads text."""

    def __init__(self, root: Any, document_url: str | None, has_xml_base: bool) -> None:
        namespace, name = local_name(root.tag)
        self.core = _CORE | {namespace}
        #: In an Atom document, text constructs without a type are plain text; Atom 0.3 and
        #: namespace-less dialects are read as feedparser reads them, guessing from the text.
        self.atom = name.lower() == "feed"
        self.untyped = TEXT if namespace == ATOM10 else GUESS
        self.document_url = document_url
        self.has_xml_base = has_xml_base
        self.feed_link: str | None = None
        self._keys: dict[str, str | None] = {}

    # ------------------------------------------------------------------ names and addresses

    def key(self, tag: Any) -> str | None:
        """``title``, ``dc:date``, ``media:group``…, or None for an element to ignore."""
        if not isinstance(tag, str):
            return None  # a comment or processing instruction
        found = self._keys.get(tag, "")
        if found != "":
            return found
        namespace, name = local_name(tag)
        if namespace in self.core:
            key: str | None = name.lower()
        elif namespace in _EXTENSIONS:
            key = f"{_EXTENSIONS[namespace]}:{name.lower()}"
        else:
            key = None
        self._keys[tag] = key
        return key

    def explicit_base(self, element: Any) -> str | None:
        """The ``xml:base`` in force at ``element``, if the document sets one."""
        if self.has_xml_base:
            base = element.base
            if base and base != self.document_url:
                return str(base)
        return None

    def resolve(self, url: str, element: Any) -> str:
        """``url`` made absolute against ``xml:base``, the document's address or the feed's
        link (whichever is known first); left as it is when none is."""
        url = url.strip()
        if not url or HAS_SCHEME.match(url):
            return url
        base = self.explicit_base(element) or self.document_url or self.feed_link
        if not base:
            return url
        try:
            return urljoin(base, url)
        except ValueError:
            return url

    # ------------------------------------------------------------------ text constructs

    def construct(self, element: Any, default: str) -> Construct:
        where = self.explicit_base(element) if self.has_xml_base else None
        if not element.attrib and not len(element):  # the common case: untyped text
            kind = self.untyped if default == TEXT else default
            return Construct(element.text or "", kind, where)
        kind_name = (element.get("type") or "").strip().lower()
        mode = (element.get("mode") or "").strip().lower()
        if kind_name in ("text", "text/plain", "plain"):
            kind = TEXT
        elif kind_name in ("html", "text/html"):
            kind = HTML
        elif kind_name in ("xhtml", "application/xhtml+xml") or kind_name.endswith("xml"):
            kind = HTML if mode == "escaped" else "xhtml"
        elif kind_name.startswith("text/"):
            kind = TEXT
        elif "/" in kind_name and self.atom:  # Atom 1.0: any other media type is base64
            kind, mode = GUESS, "base64"
        elif default == TEXT:  # an untyped Atom construct
            kind = HTML if mode == "escaped" else self.untyped
        else:
            kind = default
        if mode == "base64":
            raw = "".join(element.itertext())
            try:
                value = base64.b64decode(raw).decode("utf-8", errors="replace")
            except (binascii.Error, ValueError):
                value = raw
            return Construct(value, HTML if kind == "xhtml" else kind, where)
        if len(element):
            if kind == "xhtml":
                return Construct(xhtml_markup(element, kind_name == "xhtml"), HTML, where)
            wrapper = lone_xhtml_div(element)
            if kind == HTML and wrapper is not None:  # escaped HTML inside a <div> (TypePad)
                return Construct(markup_with_children(wrapper), HTML, where)
            return Construct(markup_with_children(element), HTML, where)
        value = element.text or ""
        return Construct(value, TEXT if kind == "xhtml" else kind, where)

    # ------------------------------------------------------------------ entries

    def entry(self, item: Any) -> RawEntry:
        entry = RawEntry()
        if item.attrib:
            attributes = {k.lower(): v for k, v in item.attrib.items()}
            if "href" in attributes:  # CDF
                entry.link = self.resolve(attributes["href"], item)
            if "lastmod" in attributes:
                entry.updated = attributes["lastmod"]
            about = attributes.get(_RDF_ABOUT)
            if about:
                entry.guid = about.strip()
        self.children(item, entry)
        guid = entry.guid or ""
        if entry.link is None and entry.guid_is_link and guid.startswith(("http://", "https://")):
            entry.link = guid
        return entry

    def children(self, parent: Any, entry: RawEntry) -> None:
        keys, fields = self._keys, ENTRY_FIELDS
        for child in parent:
            tag = child.tag
            key = keys[tag] if tag in keys else self.key(tag)
            if key is not None:
                handler = fields.get(key)
                if handler is not None:
                    handler(self, child, entry)

    # ------------------------------------------------------------------ the feed

    def feed(self, channel: Any, items: list[Any], format_name: str) -> RawFeed:
        head = RawEntry()
        attributes = {k.lower(): v for k, v in channel.attrib.items()}
        for child in channel:
            key = self.key(child.tag)
            if key == "title":
                head.title = self.construct(child, TEXT if format_name == "atom" else GUESS)
            elif key == "dc:title":
                other_title(self, child, head)
            elif key == "link":
                link(self, child, head)
        if head.title is None or not head.title.value.strip():
            head.title = head.media_title
        address = head.link
        if address is None and "href" in attributes:  # CDF
            address = self.resolve(attributes["href"], channel)
        self.feed_link = address
        return RawFeed(format_name, head.title, address, [self.entry(item) for item in items])


# --------------------------------------------------------------------------- documents


def read(root: Any, document_url: str | None, has_xml_base: bool) -> RawFeed:
    """The feed in a parsed document. Raises :class:`NotAFeed` saying what the XML is."""
    namespace, name = local_name(root.tag)
    kind = name.lower()
    reader = Reader(root, document_url, has_xml_base)
    if kind == "rss":
        channel = _first(root, reader, "channel")
        items = _children_named(root, reader, "item")
        if channel is not None:
            items = _children_named(channel, reader, "item") + items
        return reader.feed(channel if channel is not None else root, items, "rss")
    if kind == "rdf":
        channel = _first(root, reader, "channel")
        items = _children_named(root, reader, "item")
        if channel is not None:
            items += _children_named(channel, reader, "item")
        return reader.feed(channel if channel is not None else root, items, "rdf")
    if kind == "feed":
        return reader.feed(root, _children_named(root, reader, "entry"), "atom")
    if kind == "channel":
        items = [e for e in root.iter() if isinstance(e.tag, str) and reader.key(e.tag) == "item"]
        return reader.feed(root, items, "cdf" if name.isupper() else "rss")
    if kind == "opml":
        raise NotAFeed(
            "this is an OPML subscription list, not a feed: subscribe to its feeds with "
            "'broadsheet feeds import-opml FILE' (or Feeds ▸ Import subscriptions (OPML)… in "
            "the window)"
        )
    if kind == "html" or namespace == XHTML:
        raise NotAFeed("this is an HTML page, not a feed")
    if kind == "entry" and namespace in (ATOM10, ATOM03):
        raise NotAFeed("this is a single Atom entry, not a feed")
    raise NotAFeed(
        f"this XML document (root element <{name[:40]}>) is not an RSS, Atom or CDF feed"
    )


def _first(parent: Any, reader: Reader, key: str) -> Any:
    for child in parent:
        if reader.key(child.tag) == key:
            return child
    return None


def _children_named(parent: Any, reader: Reader, key: str) -> list[Any]:
    return [child for child in parent if reader.key(child.tag) == key]
