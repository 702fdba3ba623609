"""A feed's fields as its XML wrote them, before they become what is stored.

:mod:`.xmlfeed` fills these from an RSS, Atom or CDF tree; :func:`reader.feeds.parse` turns
each :class:`RawEntry` into a :class:`reader.feeds.entries.FeedEntry`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.feeds.entries import TEXT

ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RSS10 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XHTML = "http://www.w3.org/1999/xhtml"

#: An absolute address (or any URI with a scheme, such as ``tag:``).
HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_TAG_RUN = re.compile(r"<[^>]*>")


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


def local_name(tag: str) -> tuple[str, str]:
    """``(namespace, name)`` of an lxml tag (``{ns}name`` or ``name``)."""
    if tag[:1] == "{":
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag
