"""Pure text helpers for notes: the "Quote in note" block and one-line snippets.

They live in the core (no Qt) so the GUI, the CLI and the tests format quotes and snippets the
same way, and so the exact quote format is tested without a window.
"""

from __future__ import annotations

import re
from datetime import datetime

#: English month abbreviations, so a quote's date never depends on the process locale
#: (Qt calls ``setlocale``, which would turn ``%b`` into a localised month name).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: A line start that Markdown would read as structure (heading, list, quote, rule, fence).
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|[>+*-]|=+$|\d{1,9}[.)]|`{3,}|~{3,})")

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINE_MARKERS = re.compile(r"^\s*(?:(?:#{1,6}|>)\s*)*(?:[-+*]\s+|\d{1,9}[.)]\s+)?")
_EMPHASIS = re.compile(r"[*~`]+|(?<!\w)_+|_+(?!\w)")


def quote_date(published: datetime | None) -> str:
    """``30 Jan 2025``: the date format of quote attributions, independent of the locale."""
    if published is None:
        return ""
    return f"{published.day} {_MONTHS[published.month - 1]} {published.year}"


def _escape_line_start(line: str) -> str:
    """Backslash-escape a leading character that would turn quoted prose into structure."""
    match = _BLOCK_START.match(line)
    if match is None:
        return line
    token = match.group(0)
    if token[0].isdigit():
        # "1. item" -> "1\. item": escape the delimiter, keep the number readable.
        return token[:-1] + "\\" + token[-1] + line[len(token) :]
    return "\\" + line


def format_quote(passage: str, source: str, published: datetime | None = None) -> str:
    """The Markdown block appended by "Quote in note".

    ``> passage`` lines, a blank line, then ``— Source, 30 Jan 2025``. The blank line keeps the
    attribution out of the quote: Markdown would otherwise read it as a lazy continuation of the
    quoted paragraph. Qt's selected text uses U+2029 between paragraphs; it becomes a newline.
    Runs of blank lines collapse to one quoted blank line (``>``), so the quote stays one block.
    """
    text = passage.replace("\u2029", "\n").replace("\u2028", "\n").replace("\r\n", "\n")
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if lines and lines[-1] != ">":
                lines.append(">")
            continue
        lines.append("> " + _escape_line_start(line))
    while lines and lines[-1] == ">":
        lines.pop()
    if not lines:
        return ""
    attribution = source.strip() or "Unknown source"
    day = quote_date(published)
    if day:
        attribution += f", {day}"
    return "\n".join(lines) + "\n\n— " + attribution


def append_block(note: str, block: str) -> str:
    """``note`` with ``block`` appended as its own paragraph (one blank line between)."""
    if not block:
        return note
    head = note.rstrip()
    return f"{head}\n\n{block}\n" if head else f"{block}\n"


def note_snippet(body: str, length: int = 160) -> str:
    """A one-line plain preview of a Markdown note for lists (markup dropped, cut at a word)."""
    lines = (_LINE_MARKERS.sub("", line) for line in _LINK.sub(r"\1", body).splitlines())
    text = " ".join(_EMPHASIS.sub("", "\n".join(lines)).split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"
