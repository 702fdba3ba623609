"""The listing format (``000_…``): a news-section dump.

Layout::

    RU Russian Federation News        <- tag (1-5 capitals/digits) and section name = source

    Title of the first article
                                      <- blank
    Body paragraph(s)...
    RU                                <- the tag alone closes the article

    Title of the next article
    ...

This is the hot path of big imports (a million articles), so the parser looks at each line
once with plain string operations: no regular expression per line, and the common shape
(title, blank, one body line) takes a fast path.

Damage rules:

* An article with a title but no body is skipped with a warning.
* A truncated file (the last article has no closing tag line): the complete articles are
  kept; the last one is kept too when its text looks finished (ends with sentence
  punctuation), because then only the tag is missing, and dropped otherwise, because a body
  cut mid-sentence would later block the full article as a near-duplicate. Either way the
  file gets a warning naming what happened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from reader.dates import infer_date
from reader.errors import ImportFailed
from reader.importers.base import WarningList
from reader.importers.forum import FINISHED_ENDINGS
from reader.types import ParsedArticle

#: First line: a short tag, whitespace, and the section name.
HEADER_RE = re.compile(r"([A-Z0-9]{1,5})[ \t]+(\S.{0,150}?)\s*")

#: A title longer than this is a paragraph; such "articles" mean the file is not a listing.
TITLE_MAX = 300


def parse_header(line: str) -> tuple[str, str] | None:
    """(tag, section name) if ``line`` is a listing header."""
    match = HEADER_RE.fullmatch(line)
    if match is None:
        return None
    return match.group(1), match.group(2)


def _quote(title: str) -> str:
    """A title for a warning: quoted, and cut when long."""
    return f"“{title[:60]}…”" if len(title) > 60 else f"“{title}”"


def split_article(chunk: list[str]) -> tuple[str, list[str]] | None:
    """(title, body lines) of one article's lines, or None when there is no title."""
    start = 0
    size = len(chunk)
    while start < size and not chunk[start].strip():
        start += 1
    if start == size:
        return None
    return chunk[start].strip(), chunk[start + 1 :]


def join_body(lines: list[str]) -> str:
    """Body lines to text: paragraphs separated by one blank line, edges trimmed."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        text = line.strip()
        if text:
            current.append(text)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def _sample_header(lines: list[str]) -> tuple[int, str] | None:
    """``(line index, tag)`` of the header that opens a sample, if it opens with one."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines):
        return None
    header = parse_header(lines[index])
    return None if header is None else (index, header[0])


def sample_looks_like_listing(lines: list[str]) -> bool:
    """Whether the sample's complete articles have the listing shape.

    At least one article must be closed by the tag, and at least four in five of the closed
    ones must have a plausible title and a body: a text whose first line merely looks like
    a header does not pass.
    """
    found = _sample_header(lines)
    if found is None:
        return False
    index, tag = found
    good = bad = 0
    chunk: list[str] = []
    for line in lines[index + 1 :]:
        if len(line) <= len(tag) + 8 and line.strip() == tag:
            parts = split_article(chunk)
            chunk = []
            if parts is not None and len(parts[0]) <= TITLE_MAX and join_body(parts[1]):
                good += 1
            else:
                bad += 1
        else:
            chunk.append(line)
    return good > 0 and good >= 4 * bad


def open_listing_tag(lines: list[str]) -> str | None:
    """The tag of a sample that starts with a listing header but in which no article has
    closed yet (its first article is longer than the sample), else None."""
    found = _sample_header(lines)
    if found is None:
        return None
    index, tag = found
    limit = len(tag) + 8
    if any(len(line) <= limit and line.strip() == tag for line in lines[index + 1 :]):
        return None
    return tag


def parse(
    path: Path, lines: Iterator[str], warnings: WarningList
) -> tuple[str, Iterator[ParsedArticle]]:
    """Read the header now; return the source and a lazy article stream."""
    for line in lines:
        if not line.strip():
            continue
        header = parse_header(line)
        if header is None:  # the sniffer saw a header, so only a file changed under us
            raise ImportFailed(path, "the listing header line is missing")
        tag, source = header
        return source, _articles(lines, tag, warnings)
    raise ImportFailed(path, "the listing header line is missing")


def _article(title: str, body: str, position: int) -> ParsedArticle:
    published = infer_date(f"{title}\n{body}")
    return ParsedArticle(
        title=title,
        body=body,
        position=position,
        published=published,
        published_inferred=published is not None,
    )


def _articles(lines: Iterator[str], tag: str, warnings: WarningList) -> Iterator[ParsedArticle]:
    limit = len(tag) + 8
    chunk: list[str] = []
    position = 0
    for line in lines:
        if len(line) > limit or line.strip() != tag:
            chunk.append(line)
            continue
        # Fast path: (blank,) title, blank, one body line.
        first = 1 if chunk and not chunk[0] else 0
        if len(chunk) - first == 3 and not chunk[first + 1] and chunk[first] and chunk[first + 2]:
            title = chunk[first].strip()
            body = chunk[first + 2].strip()
        else:
            parts = split_article(chunk)
            if parts is None:
                if chunk:
                    warnings.warn(f"an empty article (a '{tag}' line with nothing before it)")
                chunk = []
                continue
            title, body_lines = parts
            body = join_body(body_lines)
        chunk = []
        if not body or not title:
            warnings.warn(f"article {_quote(title)} has no body; skipped it")
            continue
        yield _article(title, body, position)
        position += 1
    parts = split_article(chunk)
    if parts is None:
        return
    title, body_lines = parts
    body = join_body(body_lines)
    if body and body.endswith(FINISHED_ENDINGS):
        warnings.warn(
            f"the last article {_quote(title)} has no closing '{tag}' line; kept it "
            "(its text looks complete), but the file may be truncated"
        )
        yield _article(title, body, position)
    else:
        warnings.warn(
            f"the file ends inside the article {_quote(title)} (no closing '{tag}' line, "
            "text cut off): dropped it; the file looks truncated"
        )
