"""Plain-text bodies that keep their structure: paragraphs, headings, numbered items, bullets.

The reader shows bodies formatted and the search index reads them as plain text, so both
live in one convention (see :class:`reader.types.ParsedArticle`): blocks separated by one
blank line, and inside a block one line per heading, numbered item (``1. ``) or bullet
(``• ``). Nested items are indented two spaces per level, so a bullet under "1. Overview:"
stays visibly under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: A bullet glyph or Markdown marker followed by whitespace.
_BULLET_RE = re.compile(r"(\s*)[•·▪◦‣∙●○■□►▸*+\-–](?:\s+)(\S.*)")
#: "1. text" or "1) text" (up to three digits: "2025. " is a year, not an item).
_NUMBER_RE = re.compile(r"(\s*)(\d{1,3})[.)]\s+(\S.*)")
#: "## Heading ##".
_MD_HEADING_RE = re.compile(r"\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*")
#: A Markdown thematic break or Setext underline.
_MD_RULE_RE = re.compile(r"\s{0,3}(?:[-=_*]\s*){3,}")


def _indent(text: str) -> int:
    return len(text.expandtabs(4))


def format_body(lines: Iterable[str], markdown: bool = False) -> str:
    """Join raw body lines into the structured plain-text convention.

    Trailing spaces go, runs of blank lines (including lines of no-break spaces) become one
    paragraph break, and bullet glyphs are normalised to ``•``. Words are kept exactly as
    written. With ``markdown``, ``#`` heading marks and horizontal rules are dropped.
    """
    blocks: list[str] = []
    current: list[str] = []
    levels: list[int] = []  # indents of the open list levels
    for raw in lines:
        stripped = raw.strip()
        if not stripped:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        if markdown and _MD_RULE_RE.fullmatch(raw):
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        number = _NUMBER_RE.fullmatch(raw) if stripped[0].isdigit() else None
        bullet = None if number else _BULLET_RE.fullmatch(raw)
        if number or bullet:
            match = number or bullet
            assert match is not None
            indent = _indent(match.group(1))
            while levels and levels[-1] >= indent:
                levels.pop()
            prefix = "  " * len(levels)
            levels.append(indent)
            if number:
                current.append(f"{prefix}{number.group(2)}. {number.group(3).rstrip()}")
            else:
                current.append(f"{prefix}• {match.group(2).rstrip()}")
            continue
        levels.clear()
        if markdown and stripped.startswith("#"):
            heading = _MD_HEADING_RE.fullmatch(raw)
            if heading is not None and heading.group(1):
                if current:
                    blocks.append("\n".join(current))
                blocks.append(heading.group(1))
                current = []
                continue
        current.append(stripped)
    if current:
        blocks.append("\n".join(current))
    return "\n\n".join(blocks)


def lead_text(body: str) -> str:
    """The lead sentence's line of a structured body, list markers removed: a title's source.

    The first line of at least five words wins, so a short opening heading ("Update:") does
    not become the title; failing that, the first line.
    """
    first = ""
    for line in body.split("\n"):
        text = line.strip().lstrip("•").strip()
        if not text:
            continue
        if not first:
            first = text
        if len(text.split()) >= 5:
            return text
    return first
