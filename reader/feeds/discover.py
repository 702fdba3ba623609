"""Finding a page's feeds: ``<link rel="alternate" type="application/rss+xml" href=…>``.

Given the bytes of what the user typed into Add feed (a page, or a feed itself), this says
which feeds it offers and what they are called. Pure: the fetching is
:mod:`reader.feeds.fetch`'s, and only ever on the user's request, never while reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

#: ``type`` values of feed links (RSS, Atom, JSON Feed).
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/feed+json",
    "application/json", "application/rdf+xml", "text/xml", "application/xml",
})
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b",
                         re.DOTALL)
_JSON_FEED = re.compile(rb'^\s*\{.*"version"\s*:\s*"https://jsonfeed.org/', re.DOTALL)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedLink:
    url: str
    title: str
    kind: str  # "rss", "atom", "json" or "feed"


def is_feed(data: bytes) -> bool:
    head = data[:4096]
    return bool(_FEED_START.match(head) or _JSON_FEED.match(head))


def feed_title(data: bytes) -> str:
    """A feed's own ``<title>`` (the first one: the channel's), or ""."""
    match = _TITLE.search(data[:65536])
    if not match:
        return ""
    import html

    text = match.group(1).decode("utf-8", "replace")
    text = re.sub(r"<!\[CDATA\[(.*?)\]\]>", r"\1", text, flags=re.DOTALL)
    return " ".join(html.unescape(text).split())


def discover(data: bytes, base_url: str) -> list[FeedLink]:
    """The feeds a document offers: itself when it is a feed, else its alternate links
    (relative addresses resolved against ``base_url``; only http(s) ones are kept)."""
    if is_feed(data):
        kind = "json" if data.lstrip()[:1] == b"{" else "feed"
        return [FeedLink(base_url, feed_title(data), kind)]
    import lxml.etree  # type: ignore[import-untyped]
    import lxml.html  # type: ignore[import-untyped]

    try:
        root = lxml.html.fromstring(data)
    except (ValueError, lxml.etree.ParserError):
        return []
    base = next(iter(root.xpath("//base/@href")), None)
    page_base = urljoin(base_url, str(base)) if base else base_url
    page_title = " ".join("".join(root.xpath("//title//text()")).split())
    found: list[FeedLink] = []
    seen: set[str] = set()
    for link in root.xpath("//link[@href]"):
        rel = {r.lower() for r in str(link.get("rel", "")).split()}
        kind = str(link.get("type", "")).split(";")[0].strip().lower()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        url = urljoin(page_base, str(link.get("href")).strip())
        if not url.lower().startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        title = " ".join(str(link.get("title") or "").split()) or page_title
        found.append(FeedLink(url, title, kind.split("/")[-1].split("+")[0]))
    return found
