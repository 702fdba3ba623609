"""A plain text or Markdown file holding one article.

The title is the first non-empty line (a Markdown ``# heading`` loses its marks; a Setext
underline below it is dropped). When that first line is really a paragraph (longer than
:data:`TITLE_MAX` characters or several sentences), a title is made from its lead sentence
and the line stays in the body. The source is the file stem.

"Text in no known format" (refused by the sniffer, see :mod:`reader.importers.sniff`) is
text this module could only turn into garbage: no words at all, a single line with no body,
or not prose (mostly digits and symbols, or "words" too long to be words). A text article
is also limited to :data:`MAX_CHARS`: anything bigger is a dump in a format we do not know,
not one article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from reader.dates import infer_date
from reader.errors import ImportFailed
from reader.importers.base import WarningList
from reader.importers.structure import format_body
from reader.text import first_sentence, make_title
from reader.types import ParsedArticle

#: Longest first line still read as a title.
TITLE_MAX = 200
#: Largest single-article text file.
MAX_CHARS = 4 * 1024 * 1024

_MD_HEADING_RE = re.compile(r"\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*")
_SETEXT_RE = re.compile(r"\s{0,3}(?:=+|-+)\s*")


def split_title(lines: list[str]) -> tuple[str, list[str], bool]:
    """(title, body lines, title_made) from the article's lines.

    ``title_made`` is True when the first line was a paragraph and the title was derived.
    """
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines):
        return "", [], False
    first = lines[index].strip()
    rest = lines[index + 1 :]
    heading = _MD_HEADING_RE.fullmatch(first) if first.startswith("#") else None
    if heading is not None and heading.group(1):
        return heading.group(1).strip(), rest, False
    if rest and rest[0].strip() and _SETEXT_RE.fullmatch(rest[0]):
        return first, rest[1:], False
    if len(first) > TITLE_MAX or first_sentence(first) != " ".join(first.split()):
        return make_title(first), lines[index:], True
    return first, rest, False


def parse(
    path: Path, lines: Iterator[str], warnings: WarningList
) -> tuple[str, Iterator[ParsedArticle]]:
    return path.stem, _article(path, lines)


def _article(path: Path, lines: Iterator[str]) -> Iterator[ParsedArticle]:
    kept: list[str] = []
    size = 0
    for line in lines:
        size += len(line) + 1
        if size > MAX_CHARS:
            raise ImportFailed(
                path,
                f"text in no known format: over {MAX_CHARS // (1024 * 1024)}M characters is "
                "too big for one article, and it is not a listing, forum thread or JSON Lines",
            )
        kept.append(line)
    title, body_lines, _made = split_title(kept)
    body = format_body(body_lines, markdown=True)
    if not title or not body:
        raise ImportFailed(path, "text in no known format: a title with no body")
    published = infer_date(title) or infer_date(body)
    yield ParsedArticle(
        title=title,
        body=body,
        position=0,
        published=published,
        published_inferred=published is not None,
    )
