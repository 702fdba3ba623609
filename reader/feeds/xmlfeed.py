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
import contextlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RSS10 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XHTML = "http://www.w3.org/1999/xhtml"
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
_DUBLIN_CORE = frozenset({"http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"})
_HTML_LINK_TYPES = frozenset({"", "text/html", "application/xhtml+xml"})
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_TAG_RUN = re.compile(r"<[^>]*>")
_VOID = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "area", "col", "source"})

TEXT, HTML, GUESS = "text", "html", "guess"


@dataclass(slots=True)
class Construct:
    """A piece of text as the feed wrote it: ``kind`` is :data:`TEXT`, :data:`HTML` or
    :data:`GUESS` (RSS titles: plain, unless they look like markup)."""

    value: str
    kind: str
    base: str | None  # the xml:base its relative links are resolved against, if any

    @property
    def visible_length(self) -> int:
        """About how many characters a reader sees (tags not counted): cheap, for choosing."""
        value = self.value if self.kind == TEXT else _TAG_RUN.sub("", self.value)
        return len(value.strip())


@dataclass(slots=True)
class RawEntry:
    title: Construct | None = None
    media_title: Construct | None = None
    link: str | None = None
    guid: str | None = None
    guid_is_link: bool = False
    content: Construct | None = None
    summary: Construct | None = None
    fallback_body: Construct | None = None  # Media RSS or iTunes description
    authors: list[str] = field(default_factory=list)
    creators: list[str] = field(default_factory=list)  # dc:creator, itunes:author
    published: str | None = None
    updated: str | None = None
    created: str | None = None
    categories: list[str] = field(default_factory=list)
    enclosures: list[str] = field(default_factory=list)

    def body(self) -> Construct | None:
        """The fullest body: the content, unless the summary says more; else a fallback."""
        content, summary = self.content, self.summary
        if content is not None and content.value.strip():
            if summary is not None and summary.visible_length > content.visible_length:
                return summary
            return content
        if summary is not None and summary.value.strip():
            return summary
        return self.fallback_body


@dataclass(slots=True)
class RawFeed:
    format: str  # "rss", "rdf", "atom" or "cdf"
    title: Construct | None
    link: str | None
    entries: list[RawEntry]


class NotAFeed(ValueError):
    """The document is XML but no feed; the message says what it is."""


def _local(tag: str) -> tuple[str, str]:
    if tag[:1] == "{":
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


class _Reader:
    def __init__(self, root: Any, document_url: str | None, has_xml_base: bool) -> None:
        namespace, name = _local(root.tag)
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
        namespace, name = _local(tag)
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
        if not url or _HAS_SCHEME.match(url):
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
                return Construct(_xhtml(element, kind_name == "xhtml"), HTML, where)
            wrapper = _lone_xhtml_div(element)
            if kind == HTML and wrapper is not None:  # escaped HTML inside a <div> (TypePad)
                return Construct(_markup_with_children(wrapper), HTML, where)
            return Construct(_markup_with_children(element), HTML, where)
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
        self._children(item, entry)
        guid = entry.guid or ""
        if entry.link is None and entry.guid_is_link and guid.startswith(("http://", "https://")):
            entry.link = guid
        return entry

    def _children(self, parent: Any, entry: RawEntry) -> None:
        keys, fields = self._keys, _ENTRY_FIELDS
        for child in parent:
            tag = child.tag
            key = keys[tag] if tag in keys else self.key(tag)
            if key is not None:
                handler = fields.get(key)
                if handler is not None:
                    handler(self, child, entry)

    def link(self, element: Any, entry: RawEntry) -> None:
        if not element.attrib:  # RSS: <link>address</link>
            href = (element.text or "").strip()
            if href:
                entry.link = self.resolve(href, element)
            return
        href = element.get("href") or element.get("HREF")
        if href is None:
            href = (element.text or "").strip()
        if not href:
            return
        rel = (element.get("rel") or "alternate").strip().lower()
        kind = (element.get("type") or "").strip().lower()
        if rel == "alternate" and kind in _HTML_LINK_TYPES:
            entry.link = self.resolve(href, element)
        elif rel == "enclosure":
            entry.enclosures.append(self.resolve(href, element))

    # ------------------------------------------------------------------ the feed

    def feed(self, channel: Any, items: list[Any], format_name: str) -> RawFeed:
        head = RawEntry()
        attributes = {k.lower(): v for k, v in channel.attrib.items()}
        for child in channel:
            key = self.key(child.tag)
            if key == "title":
                head.title = self.construct(child, TEXT if format_name == "atom" else GUESS)
            elif key == "dc:title":
                _other_title(self, child, head)
            elif key == "link":
                self.link(child, head)
        if head.title is None or not head.title.value.strip():
            head.title = head.media_title
        link = head.link
        if link is None and "href" in attributes:
            link = self.resolve(attributes["href"], channel)
        self.feed_link = link
        return RawFeed(format_name, head.title, link, [self.entry(item) for item in items])


# --------------------------------------------------------------------------- entry fields


def _title(reader: _Reader, element: Any, entry: RawEntry) -> None:
    entry.title = reader.construct(element, TEXT if _is_atom(reader, element) else GUESS)


def _is_atom(reader: _Reader, element: Any) -> bool:
    if reader.atom:
        return True
    tag = element.tag
    return tag[0] == "{" and _local(tag)[0] in (ATOM10, ATOM03)


def _other_title(reader: _Reader, element: Any, entry: RawEntry) -> None:
    """``media:title`` or ``dc:title``: the title when the entry has no title of its own."""
    if entry.media_title is None:
        entry.media_title = reader.construct(element, TEXT)


def _guid(reader: _Reader, element: Any, entry: RawEntry) -> None:
    value = (element.text or "").strip()
    if value:
        entry.guid = value
        entry.guid_is_link = (element.get("isPermaLink") or "true").strip().lower() != "false"


def _id(reader: _Reader, element: Any, entry: RawEntry) -> None:
    """An Atom id; a relative one (invalid, but written) is resolved as feedparser does,
    against ``xml:base`` or the document's address, never the feed's link."""
    value = (element.text or "").strip()
    base = reader.explicit_base(element) or reader.document_url
    if value and base and not _HAS_SCHEME.match(value):
        with contextlib.suppress(ValueError):
            value = urljoin(base, value)
    if value:
        entry.guid = value


def _summary(reader: _Reader, element: Any, entry: RawEntry) -> None:
    entry.summary = reader.construct(element, TEXT if _is_atom(reader, element) else HTML)


def _content(reader: _Reader, element: Any, entry: RawEntry) -> None:
    if element.get("src") and not len(element) and not (element.text or "").strip():
        return  # out-of-line content: nothing to read here
    entry.content = reader.construct(element, TEXT if _is_atom(reader, element) else HTML)


def _encoded(reader: _Reader, element: Any, entry: RawEntry) -> None:
    entry.content = reader.construct(element, HTML)


def _xhtml_body(reader: _Reader, element: Any, entry: RawEntry) -> None:
    entry.content = Construct(_xhtml(element, False), HTML, reader.explicit_base(element))


def _fallback_body(reader: _Reader, element: Any, entry: RawEntry) -> None:
    """``media:description``, ``dc:description`` or ``itunes:summary``: the body when the
    entry has no content or summary of its own (descriptions win over iTunes summaries)."""
    if entry.fallback_body is None or _local(element.tag)[1] == "description":
        kind = HTML if _local(element.tag)[0] in _DUBLIN_CORE else TEXT
        entry.fallback_body = reader.construct(element, kind)


def _media_group(reader: _Reader, element: Any, entry: RawEntry) -> None:
    reader._children(element, entry)


def _author(reader: _Reader, element: Any, entry: RawEntry) -> None:
    name = email = ""
    for child in element:
        key = reader.key(child.tag)
        if key == "name":
            name = (child.text or "").strip()
        elif key == "email":
            email = (child.text or "").strip()
    text = name or email or (element.text or "").strip()
    if text:
        entry.authors.append(text)


def _creator(reader: _Reader, element: Any, entry: RawEntry) -> None:
    text = (element.text or "").strip()
    if text:
        entry.creators.append(text)


def _tags(reader: _Reader, element: Any, entry: RawEntry) -> None:
    """A made-up ``<tags>a, b</tags>`` element, which feedparser reads as categories."""
    entry.categories.extend(t.strip() for t in (element.text or "").split(",") if t.strip())


def _category(reader: _Reader, element: Any, entry: RawEntry) -> None:
    if not element.attrib and not len(element):
        text = (element.text or "").strip()
        if text:
            entry.categories.append(text)
        return
    text = (
        element.get("label") or element.get("term") or element.get("text") or element.text or ""
    ).strip()
    if text:
        entry.categories.append(text)
    for child in element:  # iTunes nests subcategories
        if reader.key(child.tag) == "itunes:category":
            _category(reader, child, entry)


def _published(reader: _Reader, element: Any, entry: RawEntry) -> None:
    entry.published = element.text or entry.published


def _updated(reader: _Reader, element: Any, entry: RawEntry) -> None:
    entry.updated = element.text or entry.updated


def _created(reader: _Reader, element: Any, entry: RawEntry) -> None:
    entry.created = element.text or entry.created


def _enclosure(reader: _Reader, element: Any, entry: RawEntry) -> None:
    url = (element.get("url") or element.get("href") or "").strip()
    if url:
        entry.enclosures.append(reader.resolve(url, element))


_ENTRY_FIELDS = {
    "title": _title,
    "media:title": _other_title,
    "dc:title": _other_title,
    "link": _Reader.link,
    "guid": _guid,
    "id": _id,
    "description": _summary,
    "abstract": _summary,
    "summary": _summary,
    "content": _content,
    "content:encoded": _encoded,
    "xhtml:body": _xhtml_body,
    "body": _xhtml_body,
    "fullitem": _encoded,
    "xhtml:div": _xhtml_body,
    "media:description": _fallback_body,
    "itunes:summary": _fallback_body,
    "dc:description": _fallback_body,
    "media:group": _media_group,
    "media:content": _media_group,
    "author": _author,
    "dc:creator": _creator,
    "dc:author": _creator,
    "itunes:author": _creator,
    "category": _category,
    "tags": _tags,
    "dc:subject": _category,
    "media:category": _category,
    "itunes:category": _category,
    "pubdate": _published,
    "published": _published,
    "issued": _published,
    "dcterms:issued": _published,
    "updated": _updated,
    "modified": _updated,
    "dc:date": _updated,
    "dcterms:modified": _updated,
    "created": _created,
    "dcterms:created": _created,
    "enclosure": _enclosure,
}


# --------------------------------------------------------------------------- serialising


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _outer(element: Any) -> str:
    if not isinstance(element.tag, str):
        return ""
    name = _local(element.tag)[1]
    attributes = "".join(
        f' {_local(key)[1]}="{_escape(value).replace(chr(34), "&quot;")}"'
        for key, value in element.attrib.items()
    )
    inner = _inner(element, escape_text=True)
    if not inner and name.lower() in _VOID:
        return f"<{name}{attributes} />"
    return f"<{name}{attributes}>{inner}</{name}>"


def _inner(element: Any, *, escape_text: bool) -> str:
    convert = _escape if escape_text else str
    parts = [convert(element.text)] if element.text else []
    for child in element:
        parts.append(_outer(child))
        if child.tail:
            parts.append(convert(child.tail))
    return "".join(parts)


def _markup_with_children(element: Any) -> str:
    """An HTML element whose markup was written unescaped: its text is HTML source already,
    its child elements are serialised."""
    return _inner(element, escape_text=False)


def _lone_xhtml_div(element: Any) -> Any:
    """The single XHTML ``<div>`` that wraps all of ``element``'s content, if there is one."""
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) != 1 or _local(children[0].tag) != (XHTML, "div"):
        return None
    if (element.text or "").strip() or (children[0].tail or "").strip():
        return None
    return children[0]


def _xhtml(element: Any, unwrap_div: bool) -> str:
    """XHTML content as HTML, without namespaces; Atom 1.0's wrapping ``<div>`` removed."""
    wrapper = _lone_xhtml_div(element) if unwrap_div else None
    return _inner(wrapper if wrapper is not None else element, escape_text=True)


# --------------------------------------------------------------------------- documents


def read(root: Any, document_url: str | None, has_xml_base: bool) -> RawFeed:
    """The feed in a parsed document. Raises :class:`NotAFeed` saying what the XML is."""
    namespace, name = _local(root.tag)
    kind = name.lower()
    reader = _Reader(root, document_url, has_xml_base)
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
            "'broadsheet feeds import-opml FILE' (or Feeds ▸ Import OPML… in the window)"
        )
    if kind == "html" or namespace == XHTML:
        raise NotAFeed("this is an HTML page, not a feed")
    if kind == "entry" and namespace in (ATOM10, ATOM03):
        raise NotAFeed("this is a single Atom entry, not a feed")
    raise NotAFeed(
        f"this XML document (root element <{name[:40]}>) is not an RSS, Atom or CDF feed"
    )


def _first(parent: Any, reader: _Reader, key: str) -> Any:
    for child in parent:
        if reader.key(child.tag) == key:
            return child
    return None


def _children_named(parent: Any, reader: _Reader, key: str) -> list[Any]:
    return [child for child in parent if reader.key(child.tag) == key]
