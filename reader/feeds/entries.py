"""What a parsed feed is, and how one entry's raw fields become what Broadsheet stores.

Every format (RSS, Atom, CDF, JSON Feed) ends here, so the rules are the same for all:
titles are plain text, bodies are sanitised HTML with a plain-text twin for search and
grouping, authors are names, and an entry with no title, no text and no link is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from reader.feeds.decoding import fix_cp1252_controls
from reader.feeds.htmltext import html_to_text, inline_text, looks_like_html
from reader.feeds.sanitize import sanitize_html
from reader.text import make_title

_AUTHOR_WITH_EMAIL = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_NAME_WITH_EMAIL = re.compile(r"^\s*([^()]*?)\s*\(\s*\S+@\S+\s*\)\s*$")
_BARE_EMAIL = re.compile(r"^\s*[^\s@]+@[^\s@]+\s*$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed, its HTML sanitised and its plain text derived."""

    guid: str | None
    link: str | None
    title: str
    text: str
    html: str
    author: str | None
    published: datetime | None
    updated: datetime | None
    categories: tuple[str, ...] = ()
    enclosures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A whole feed document."""

    format: str  # "rss", "atom", "rdf", "cdf" or "json"
    title: str
    link: str | None
    encoding: str
    entries: list[FeedEntry] = field(default_factory=list)
    warnings: tuple[str, ...] = ()


#: How the text of a title or body is written: plain text, HTML, or (RSS titles, which the
#: specification calls plain but feeds fill with markup) plain unless it looks like HTML.
TEXT, HTML, GUESS = "text", "html", "guess"


def plain_title(value: str, kind: str) -> str:
    """A title as one line of plain text. Markup is sanitised before it is read as text, so a
    comment or script in a title never shows as words."""
    if kind == TEXT:
        return " ".join(value.split())
    if "<" not in value and "&" not in value:
        return inline_text(value)
    markup = kind == HTML or looks_like_html(value)
    if not markup:
        return inline_text(value)
    return " ".join(html_to_text(sanitize_html(value), sanitized=True).split())


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def body_of(value: str, kind: str, base_url: str | None) -> tuple[str, str]:
    """``(sanitised html, plain text)`` of a body written as ``kind``."""
    if kind == GUESS:
        kind = HTML if looks_like_html(value) else TEXT
    if kind == TEXT:
        text = value.strip()
        paragraphs = (p for p in _PARAGRAPH_BREAK.split(text) if p.strip())
        return "".join(f"<p>{html_escape(p.strip())}</p>" for p in paragraphs), text
    clean = sanitize_html(value, base_url)
    return clean, html_to_text(clean, sanitized=True)


def author_name(value: str) -> str | None:
    """``jo@example.com (Jo Bloggs)`` and ``Jo Bloggs (jo@example.com)`` are stored as the name."""
    value = inline_text(value)
    if not value:
        return None
    match = _AUTHOR_WITH_EMAIL.match(value) or _NAME_WITH_EMAIL.match(value)
    if match and match.group(1).strip():
        return match.group(1).strip()
    if _BARE_EMAIL.match(value):
        return value.strip()
    return value


def make_entry(
    *,
    guid: str | None,
    link: str | None,
    title: str,
    title_kind: str,
    body: str,
    body_kind: str,
    base_url: str | None,
    author: str,
    published: datetime | None,
    updated: datetime | None,
    categories: tuple[str, ...] = (),
    enclosures: tuple[str, ...] = (),
    fix_controls: bool = False,
    keep_empty: bool = False,
) -> FeedEntry | None:
    """The entry to store, or None when it is empty (unless ``keep_empty``).

    ``fix_controls`` maps C1 controls to the cp1252 characters they stand for (see
    :func:`reader.feeds.decoding.fix_cp1252_controls`); the caller sets it when the document
    holds any, so the common feed pays for one search, not one per field.
    """
    if fix_controls:
        title, body, author = (fix_cp1252_controls(v) for v in (title, body, author))
        categories = tuple(fix_cp1252_controls(c) for c in categories)
    has_body = bool(body) and not body.isspace()
    clean, text = body_of(body, body_kind, base_url) if has_body else ("", "")
    heading = plain_title(title, title_kind)
    if not heading:
        heading = make_title(text) if text else (link or "")
    if not heading and not text and not keep_empty:
        return None
    if categories:
        categories = tuple(dict.fromkeys(c for c in map(inline_text, categories) if c))
    if enclosures:
        enclosures = tuple(dict.fromkeys(e for e in enclosures if e))
    return FeedEntry(
        guid=guid or None, link=link or None, title=heading, text=text, html=clean,
        author=author_name(author) if author else None, published=published or updated,
        updated=updated, categories=categories, enclosures=enclosures,
    )
