"""What each child element of an RSS item or Atom entry adds to its :class:`RawEntry`.

:data:`ENTRY_FIELDS` maps an element's key (``title``, ``dc:date``, ``media:group``…, see
:meth:`reader.feeds.xmlfeed.Reader.key`) to the function that reads it. Where several
elements give one field, feedparser's precedence is kept: a later date overwrites an earlier
one, ``media:title`` and ``dc:title`` only stand in for a missing title, and Media RSS, Dublin
Core and iTunes descriptions only for a missing body.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from reader.feeds.entries import GUESS, HTML, TEXT
from reader.feeds.rawfeed import ATOM03, ATOM10, HAS_SCHEME, Construct, RawEntry, local_name
from reader.feeds.xmlmarkup import xhtml_markup

if TYPE_CHECKING:
    from reader.feeds.xmlfeed import Reader

_DUBLIN_CORE = frozenset({"http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"})
_HTML_LINK_TYPES = frozenset({"", "text/html", "application/xhtml+xml"})


def link(reader: Reader, element: Any, entry: RawEntry) -> None:
    """An RSS ``<link>`` (its text) or an Atom one (its ``href``): the entry's link when it
    is the alternate HTML page, an enclosure when it says so."""
    if not element.attrib:  # RSS: <link>address</link>
        href = (element.text or "").strip()
        if href:
            entry.link = reader.resolve(href, element)
        return
    href = element.get("href") or element.get("HREF")
    if href is None:
        href = (element.text or "").strip()
    if not href:
        return
    rel = (element.get("rel") or "alternate").strip().lower()
    kind = (element.get("type") or "").strip().lower()
    if rel == "alternate" and kind in _HTML_LINK_TYPES:
        entry.link = reader.resolve(href, element)
    elif rel == "enclosure":
        entry.enclosures.append(reader.resolve(href, element))


def _title(reader: Reader, element: Any, entry: RawEntry) -> None:
    entry.title = reader.construct(element, TEXT if _is_atom(reader, element) else GUESS)


def _is_atom(reader: Reader, element: Any) -> bool:
    if reader.atom:
        return True
    tag = element.tag
    return tag[0] == "{" and local_name(tag)[0] in (ATOM10, ATOM03)


def other_title(reader: Reader, element: Any, entry: RawEntry) -> None:
    """``media:title`` or ``dc:title``: the title when the entry has no title of its own."""
    if entry.media_title is None:
        entry.media_title = reader.construct(element, TEXT)


def _guid(reader: Reader, element: Any, entry: RawEntry) -> None:
    value = (element.text or "").strip()
    if value:
        entry.guid = value
        entry.guid_is_link = (element.get("isPermaLink") or "true").strip().lower() != "false"


def _id(reader: Reader, element: Any, entry: RawEntry) -> None:
    """An Atom id; a relative one (invalid, but written) is resolved as feedparser does,
    against ``xml:base`` or the document's address, never the feed's link."""
    value = (element.text or "").strip()
    base = reader.explicit_base(element) or reader.document_url
    if value and base and not HAS_SCHEME.match(value):
        with contextlib.suppress(ValueError):
            value = urljoin(base, value)
    if value:
        entry.guid = value


def _summary(reader: Reader, element: Any, entry: RawEntry) -> None:
    entry.summary = reader.construct(element, TEXT if _is_atom(reader, element) else HTML)


def _content(reader: Reader, element: Any, entry: RawEntry) -> None:
    if element.get("src") and not len(element) and not (element.text or "").strip():
        return  # out-of-line content: nothing to read here
    entry.content = reader.construct(element, TEXT if _is_atom(reader, element) else HTML)


def _encoded(reader: Reader, element: Any, entry: RawEntry) -> None:
    entry.content = reader.construct(element, HTML)


def _xhtml_body(reader: Reader, element: Any, entry: RawEntry) -> None:
    entry.content = Construct(xhtml_markup(element, False), HTML, reader.explicit_base(element))


def _fallback_body(reader: Reader, element: Any, entry: RawEntry) -> None:
    """``media:description``, ``dc:description`` or ``itunes:summary``: the body when the
    entry has no content or summary of its own (descriptions win over iTunes summaries)."""
    if entry.fallback_body is None or local_name(element.tag)[1] == "description":
        kind = HTML if local_name(element.tag)[0] in _DUBLIN_CORE else TEXT
        entry.fallback_body = reader.construct(element, kind)


def _media_group(reader: Reader, element: Any, entry: RawEntry) -> None:
    reader.children(element, entry)


def _author(reader: Reader, element: Any, entry: RawEntry) -> None:
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


def _creator(reader: Reader, element: Any, entry: RawEntry) -> None:
    text = (element.text or "").strip()
    if text:
        entry.creators.append(text)


def _tags(reader: Reader, element: Any, entry: RawEntry) -> None:
    """A made-up ``<tags>a, b</tags>`` element, which feedparser reads as categories."""
    entry.categories.extend(t.strip() for t in (element.text or "").split(",") if t.strip())


def _category(reader: Reader, element: Any, entry: RawEntry) -> None:
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


def _published(reader: Reader, element: Any, entry: RawEntry) -> None:
    entry.published = element.text or entry.published


def _updated(reader: Reader, element: Any, entry: RawEntry) -> None:
    entry.updated = element.text or entry.updated


def _created(reader: Reader, element: Any, entry: RawEntry) -> None:
    entry.created = element.text or entry.created


def _enclosure(reader: Reader, element: Any, entry: RawEntry) -> None:
    url = (element.get("url") or element.get("href") or "").strip()
    if url:
        entry.enclosures.append(reader.resolve(url, element))


ENTRY_FIELDS: dict[str, Callable[[Reader, Any, RawEntry], None]] = {
    "title": _title,
    "media:title": other_title,
    "dc:title": other_title,
    "link": link,
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
