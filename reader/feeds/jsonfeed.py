"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1): plain JSON, read here.

A document is a JSON Feed when its ``version`` names jsonfeed.org (``http`` or ``https``).
Items keep ``content_html`` when they have it, else ``content_text`` or ``summary`` as plain
text; an item's authors fall back to the feed's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from reader.errors import ImportFailed
from reader.feeds.dates import parse_date
from reader.feeds.decoding import has_cp1252_controls
from reader.feeds.entries import GUESS, HTML, TEXT, FeedEntry, ParsedFeed, make_entry, plain_title

#: What a JSON Feed's ``version`` starts with (``http`` in some real feeds).
VERSION = re.compile(r"^https?://jsonfeed\.org/version/", re.IGNORECASE)
_C1_ESCAPE = re.compile(r"\\u00[89][0-9a-fA-F]", re.IGNORECASE)


def is_json_feed(document: object) -> bool:
    """Whether a decoded JSON value is a JSON Feed (an object with a jsonfeed version)."""
    return isinstance(document, dict) and bool(VERSION.match(_str(document.get("version"))))


def parse_json_feed(
    text: str, where: str, base_url: str | None, encoding: str, warnings: list[str],
    keep_empty: bool = False,
) -> ParsedFeed:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ImportFailed(where, f"this JSON document is damaged ({exc})") from exc
    if not isinstance(document, dict):
        raise ImportFailed(where, "this JSON document is not a JSON Feed (not an object)")
    if not is_json_feed(document):
        raise ImportFailed(
            where, "this JSON document is neither a JSON Feed (no jsonfeed.org version) "
            "nor JSON Lines (one article object per line)"
        )
    # C1 controls, raw, as references or as JSON escapes ("\u0092"), stand for cp1252.
    fix_controls = has_cp1252_controls(text) or _C1_ESCAPE.search(text) is not None
    feed_link = _str(document.get("home_page_url")) or base_url
    feed_authors = _authors(document)
    items = document.get("items")
    if not isinstance(items, list):
        raise ImportFailed(where, "this JSON Feed has no list of items")
    entries: list[FeedEntry] = []
    skipped = 0
    for item in items:
        entry = _item(item, feed_link, feed_authors, fix_controls, keep_empty)
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    if skipped:
        warnings.append(f"{skipped} unusable item(s) skipped")
    return ParsedFeed(
        format="json", title=plain_title(_str(document.get("title")), GUESS), link=feed_link,
        encoding=encoding, entries=entries, warnings=tuple(warnings),
    )


def _item(
    item: object, feed_link: str | None, feed_authors: list[str], fix_controls: bool,
    keep_empty: bool,
) -> FeedEntry | None:
    if not isinstance(item, dict):
        return None
    link = _str(item.get("url")) or _str(item.get("external_url")) or None
    guid = item.get("id")
    content_html = _str(item.get("content_html"))
    plain = content_html.strip() == ""
    return make_entry(
        guid=str(guid) if guid not in (None, "") else None,
        link=link,
        title=_str(item.get("title")),
        title_kind=GUESS,  # plain text by the specification, but feeds write entities
        body=content_html if not plain else (
            _str(item.get("content_text")) or _str(item.get("summary"))
        ),
        body_kind=TEXT if plain else HTML,
        base_url=link or feed_link,
        author=", ".join(_authors(item)) or ", ".join(feed_authors),
        published=parse_date(_str(item.get("date_published"))),
        updated=parse_date(_str(item.get("date_modified"))),
        categories=tuple(str(t) for t in _list(item.get("tags")) if str(t).strip()),
        enclosures=tuple(
            _str(a.get("url")) for a in _list(item.get("attachments"))
            if isinstance(a, dict) and _str(a.get("url"))
        ),
        fix_controls=fix_controls,
        keep_empty=keep_empty,
    )


def _authors(obj: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for author in [obj.get("author"), *_list(obj.get("authors"))]:
        if isinstance(author, dict) and _str(author.get("name")).strip():
            names.append(_str(author.get("name")).strip())
    return list(dict.fromkeys(names))


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _list(value: object) -> Iterable[Any]:
    return value if isinstance(value, list) else ()
