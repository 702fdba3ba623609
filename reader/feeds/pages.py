"""Saved web pages (``.html``/``.htm``): the article in them, with its metadata.

trafilatura finds the main text (dropping navigation, footers, comments and scripts) and reads
the title, date, author, site name and canonical URL from the page's metadata, in one pass.
Its HTML is trimmed, sanitised like feed HTML and stored for display, and the plain text kept
for search and grouping is *that* HTML's text, so the two always hold the same article.

How, in :class:`Extraction`, was measured on 90 real article pages with hand-checked main text
(``benchmarks/pages_extraction.py --settings`` prints every setting's score; F1 of 4-word
shingle precision and recall, 0.944 as first released):

* ``favor_precision``, with a rescue: when it keeps less than half the words of a balanced
  extraction it has thrown the article away (it took a print header for the article), and the
  balanced one is stored. Precision alone 0.956, balanced 0.962, with the rescue 0.966 (the
  same for any threshold from 0.3 to 0.6);
* no images: with them trafilatura also keeps figures, photo credits and bylines (-0.003
  with captions dropped), their alt text in the plain text costs -0.006 more and captions
  -0.002 more; and a saved page's images are never fetched for reading offline anyway;
* links kept (+0.001, although ``include_links`` loses a first paragraph with a citation on
  one page);
* what comes before the first paragraph and only repeats the title dropped (+0.002): the
  title is shown apart, and search holds it in the title.

The title is trafilatura's without the site name ``<title>`` adds ("Title - Site"), and the
date the one the page declares (``article:published_time``, ``datePublished``) to the second,
else trafilatura's: titles agreed with the page's ``<h1>`` or ``og:title`` on 89 of 90 pages
(83 before), dates with its declared one on all 72 that declare one (68).

A page without an article in it (a login form, an index page) fails with
:class:`ImportFailed`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from lxml import html as lxml_html  # type: ignore[import-untyped]

from reader.errors import ImportFailed, MissingDependency
from reader.feeds.htmltext import html_to_text
from reader.feeds.sanitize import sanitize_html
from reader.text import make_title

MAX_PAGE_BYTES = 20 * 1024 * 1024
#: Less text than this is a stub, a form or a link list, not an article.
MIN_ARTICLE_CHARS = 200

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: What joins a site's name to an article's title in ``<title>`` ("Title - Site", "Site | Title").
_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " · ", " :: ", ": ")
#: Where a page declares when it was published, most explicit first.
_PUBLISHED_XPATHS = (
    '//meta[@property="article:published_time" or @name="article:published_time"]/@content',
    '//*[@itemprop="datePublished"]/@content',
    '//*[@itemprop="datePublished"]/@datetime',
)


@dataclass(frozen=True, slots=True)
class SavedPage:
    title: str
    text: str
    html: str
    author: str | None
    published: datetime | None
    url: str | None
    site: str | None


@dataclass(frozen=True, slots=True)
class Extraction:
    """How the article is taken out of a page; the defaults are the best measured (see the
    module's docstring). The benchmark measures the alternatives through this same code."""

    focus: Literal["precision", "balanced", "recall"] = "precision"
    #: Use a balanced extraction instead when the focused one keeps less than this share of
    #: its words (0: never).
    rescue: float = 0.5
    links: bool = True
    images: bool = False
    #: With images: keep figure captions (``figcaption``, ``class="...caption..."``).
    captions: bool = False
    #: Put images' alt text into the plain text.
    alt_text: bool = False
    #: Keep the headings (and a line repeating the title) before the first paragraph.
    lead_headings: bool = False


BEST = Extraction()


def extract_page(path: Path, how: Extraction = BEST) -> SavedPage:
    """Extract the article of a saved page, or raise :class:`ImportFailed` saying why not."""
    try:
        if path.stat().st_size > MAX_PAGE_BYTES:
            raise ImportFailed(path, "the page is larger than 20 MB; it was not imported")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
    return extract_html(data, path, how)


def extract_html(data: bytes, where: Path, how: Extraction = BEST) -> SavedPage:
    """The article of the page ``data`` (``where`` names it in errors)."""
    trafilatura = _trafilatura(where)
    try:
        meta, body = _extract(trafilatura, data, how, how.focus, with_metadata=True)
        url = meta.get("url") or None
        site = meta.get("sitename") or None
        title = _without_site((meta.get("title") or "").strip(), site)
        html, text = _finish(body, title, url, how)
        if how.rescue > 0 and how.focus != "balanced":
            _, balanced = _extract(trafilatura, data, how, "balanced", with_metadata=False)
            other_html, other_text = _finish(balanced, title, url, how)
            if len(text.split()) < how.rescue * len(other_text.split()):
                html, text = other_html, other_text
    except ImportFailed:
        raise
    except ImportError as exc:  # trafilatura imports some of its helpers lazily
        raise ImportFailed(where, str(MissingDependency(exc, "saved web pages"))) from exc
    except Exception as exc:
        raise ImportFailed(where, f"the page could not be read ({exc})") from exc
    if len(text) < MIN_ARTICLE_CHARS:
        raise ImportFailed(
            where, "no article was found in this page (it holds too little running text)"
        )
    return SavedPage(
        title=title or make_title(text),
        text=text,
        html=html,
        author=meta.get("author") or None,
        published=_declared_date(data) or _date(meta.get("date")),
        url=url,
        site=site or meta.get("hostname") or None,
    )


def _trafilatura(where: Path) -> ModuleType:
    try:
        import trafilatura  # heavy (about 0.5 s): only when a page is imported
    except ImportError as exc:  # a partial install: one line naming the package
        raise ImportFailed(where, str(MissingDependency(exc, "saved web pages"))) from exc
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return trafilatura


def _extract(
    trafilatura: ModuleType, data: bytes, how: Extraction, focus: str, *, with_metadata: bool
) -> tuple[dict[str, str], Any]:
    """trafilatura's HTML for the page: its metadata fields and its ``<body>`` element."""
    out = trafilatura.extract(
        data, output_format="html", with_metadata=with_metadata, include_comments=False,
        include_formatting=True, include_tables=True, include_links=how.links,
        include_images=how.images, favor_precision=focus == "precision",
        favor_recall=focus == "recall",
    )
    if not out:
        return {}, None
    root = lxml_html.fromstring(out)
    meta: dict[str, str] = {}
    head = root.find("head")
    if head is not None:
        for item in head.iter("meta"):
            name, content = item.get("name"), item.get("content")
            if name and content:
                meta[name] = content
        head.drop_tree()
    body = root.find("body")
    return meta, body if body is not None else root


def _finish(body: Any, title: str, url: str | None, how: Extraction) -> tuple[str, str]:
    """The sanitised HTML to display and its plain text, from trafilatura's body."""
    if body is None:
        return "", ""
    if not how.images:  # trafilatura's fallback extractors return images regardless
        for image in list(body.iter("img")):
            image.drop_tree()
    elif not how.captions:
        for element in list(body.iter()):
            marks = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
            if element.tag == "figcaption" or (element.tag != "img" and "caption" in marks):
                element.drop_tree()
    if not how.lead_headings:
        _drop_lead_headings(body, " ".join(title.split()).casefold())
    fragment = (body.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in body
    )
    html = sanitize_html(fragment, url)
    return html, html_to_text(html, sanitized=True, alt_text=how.alt_text)


def _drop_lead_headings(body: Any, title: str) -> None:
    """Drop what comes before the first paragraph and only repeats the title: headings, or a
    block holding just the title. Empty blocks (an image) are passed over."""
    for child in list(body):
        text = " ".join(child.text_content().split())
        if not text:
            continue
        if child.tag in _HEADINGS or (title and text.casefold() == title):
            child.drop_tree()
            continue
        break


def _without_site(title: str, site: str | None) -> str:
    """``title`` without the site's name that ``<title>`` joined to it ("Title - Site")."""
    if not site or title == site:
        return title
    for separator in _TITLE_SEPARATORS:
        if title.endswith(separator + site):
            return title[: -len(separator + site)].strip()
        if title.startswith(site + separator):
            return title[len(site + separator) :].strip()
    return title


def _declared_date(data: bytes) -> datetime | None:
    """When the page says it was published (``article:published_time``, ``datePublished``),
    to the second where it says so. trafilatura's date comes first from the URL, which is
    the day in the publisher's time zone (a story published at 23:03 in California carries
    the day before its UTC date), and carries no time of day."""
    try:
        root = lxml_html.fromstring(data)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None
    candidates: list[str] = []
    for xpath in _PUBLISHED_XPATHS:
        candidates.extend(str(v) for v in root.xpath(xpath))
    for script in root.xpath('//script[@type="application/ld+json"]'):
        candidates.extend(_json_ld_published(script.text_content()))
    latest = datetime.now(UTC) + timedelta(days=2)
    for value in candidates:
        parsed = _date(value.strip())
        if parsed is not None and parsed.year >= 1990 and parsed <= latest:
            return parsed
    return None


def _json_ld_published(source: str) -> list[str]:
    try:
        stack: list[Any] = [json.loads(source, strict=False)]
    except ValueError:
        return []
    found: list[str] = []
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                found.append(item["datePublished"])
            stack.extend(v for v in item.values() if isinstance(v, list | dict))
    return found


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
