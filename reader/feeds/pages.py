"""Saved web pages (``.html``/``.htm``): the article in them, with its metadata.

trafilatura finds the main text (dropping navigation, footers, comments and scripts) and reads
the title, date, author, site name and canonical URL from the page's metadata. Its HTML output
is sanitised like feed HTML, and the plain text follows the importers' conventions. A page
without an article in it (a login form, an index page) fails with :class:`ImportFailed`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reader.errors import ImportFailed, MissingDependency
from reader.feeds.sanitize import html_to_text, sanitize_html
from reader.text import make_title

MAX_PAGE_BYTES = 20 * 1024 * 1024
#: Less text than this is a stub, a form or a link list, not an article.
MIN_ARTICLE_CHARS = 200

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass(frozen=True, slots=True)
class SavedPage:
    title: str
    text: str
    html: str
    author: str | None
    published: datetime | None
    url: str | None
    site: str | None


def extract_page(path: Path) -> SavedPage:
    """Extract the article of a saved page, or raise :class:`ImportFailed` saying why not."""
    try:
        if path.stat().st_size > MAX_PAGE_BYTES:
            raise ImportFailed(path, "the page is larger than 20 MB; it was not imported")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
    try:
        import trafilatura  # heavy (about 0.5 s): only when a page is imported
    except ImportError as exc:  # a partial install: one line naming the package
        raise ImportFailed(path, str(MissingDependency(exc, "saved web pages"))) from exc

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        meta = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, favor_precision=True
        )
        body = trafilatura.extract(
            data, output_format="html", include_comments=False, include_formatting=True,
            include_links=True, include_images=True, include_tables=True, favor_precision=True,
        )
    except ImportError as exc:  # trafilatura imports some of its helpers lazily
        raise ImportFailed(path, str(MissingDependency(exc, "saved web pages"))) from exc
    except Exception as exc:
        raise ImportFailed(path, f"the page could not be read ({exc})") from exc
    url = getattr(meta, "url", None) or None
    clean = sanitize_html(body or "", url)
    text = html_to_text(clean, sanitized=True)
    title = (getattr(meta, "title", None) or "").strip()
    if title and text.startswith(title):
        text = text[len(title):].lstrip("\n")
    if len(text) < MIN_ARTICLE_CHARS:
        raise ImportFailed(
            path, "no article was found in this page (it holds too little running text)"
        )
    return SavedPage(
        title=title or make_title(text),
        text=text,
        html=clean,
        author=(getattr(meta, "author", None) or None),
        published=_date(getattr(meta, "date", None)),
        url=url,
        site=(getattr(meta, "sitename", None) or getattr(meta, "hostname", None) or None),
    )


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
