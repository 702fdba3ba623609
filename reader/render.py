"""Turning an article's plain-text body into safe, readable HTML for the reading pane.

Bodies are stored as plain text with light structure (see :class:`reader.types.ParsedArticle`):
paragraphs separated by blank lines, headings on their own line, ``1. `` numbered items and
``• `` bullets. This module turns that into a small HTML subset that ``QTextBrowser`` renders
well. It lives in the Qt-free core so it can be unit-tested and reused by exports.

Every piece of text is escaped with :func:`html.escape`: an article can never inject markup.
Bare ``http(s)://`` URLs become links (the window opens them only when clicked).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(.*)$")
_BULLET = re.compile(r"^[•\-\*·▪●]\s+(.*)$")
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
#: A heading is short and does not read like a sentence.
HEADING_MAX_CHARS = 80

#: CSS class of sentences found only in this version (styled by the GUI).
ONLY_CLASS = "only"


@dataclass(frozen=True, slots=True)
class _Line:
    text: str  # stripped
    start: int  # offset of ``text`` in the body


def _lines(body: str) -> list[_Line | None]:
    """Stripped lines with their offsets; ``None`` marks a blank line."""
    out: list[_Line | None] = []
    offset = 0
    for raw in body.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        stripped = content.strip()
        if stripped:
            lead = len(content) - len(content.lstrip())
            out.append(_Line(stripped, offset + lead))
        else:
            out.append(None)
        offset += len(raw)
    return out


def _is_heading(line: _Line, next_blank: bool) -> bool:
    text = line.text
    if len(text) > HEADING_MAX_CHARS or _NUMBERED.match(text) or _BULLET.match(text):
        return False
    if text.endswith(":"):
        return True
    return next_blank and text[-1] not in ".!?\"'”’…)" and len(text.split()) <= 10


def _inline(text: str) -> str:
    """Escape text and turn bare URLs into links."""
    out: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        url = html.escape(match.group(0), quote=True)
        out.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _marked(text: str, start: int, spans: Sequence[tuple[int, int]]) -> str:
    """Inline HTML for ``text`` (at body offset ``start``) with ``spans`` highlighted."""
    end = start + len(text)
    cuts: list[tuple[int, int]] = []
    for a, b in spans:
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            cuts.append((lo - start, hi - start))
    if not cuts:
        return _inline(text)
    cuts.sort()
    out: list[str] = []
    pos = 0
    for lo, hi in cuts:
        lo = max(lo, pos)
        if lo >= hi:
            continue
        out.append(_inline(text[pos:lo]))
        out.append(f'<span class="{ONLY_CLASS}">{_inline(text[lo:hi])}</span>')
        pos = hi
    out.append(_inline(text[pos:]))
    return "".join(out)


class _Lists:
    """Consecutive list items as written: numbered items keep their numbers (a list that
    starts at 3 says 3; a number that does not follow on starts a new list), and bullets
    right under a numbered item nest inside it ("1. Operation Overview:" then its "•"
    details), instead of closing the numbered list and restarting it at 1."""

    def __init__(self) -> None:
        self.kind: str | None = None
        self.items: list[str] = []
        self.sub: list[str] = []
        self.start = 1
        self.next = 1

    def add(self, kind: str, number: int, html_item: str) -> str:
        """Add an item; returns the HTML of a list this item closed ("" if none)."""
        if self.kind == "ol" and kind == "ul" and self.items:
            self.sub.append(html_item)
            return ""
        if self.kind == kind and (kind == "ul" or number == self.next):
            self._nest()
            self.items.append(html_item)
            self.next = number + 1
            return ""
        closed = self.close()
        self.kind, self.items, self.start, self.next = kind, [html_item], number, number + 1
        return closed

    def _nest(self) -> None:
        if self.sub:
            self.items[-1] += "<ul>" + "".join(f"<li>{s}</li>" for s in self.sub) + "</ul>"
            self.sub = []

    def close(self) -> str:
        if self.kind is None:
            return ""
        self._nest()
        start = f' start="{self.start}"' if self.kind == "ol" and self.start != 1 else ""
        html_list = (f"<{self.kind}{start}>" + "".join(f"<li>{i}</li>" for i in self.items)
                     + f"</{self.kind}>")
        self.kind, self.items = None, []
        return html_list


def body_to_html(body: str, highlight: Sequence[tuple[int, int]] = ()) -> str:
    """HTML for a plain-text body. ``highlight`` holds ``(start, end)`` body offsets to mark.

    Consecutive non-blank lines that are not list items or headings join into one paragraph
    (hard-wrapped dumps read as flowing text); list items group into ``<ol>``/``<ul>`` as
    :class:`_Lists` describes, across blank lines between items.
    """
    lines = _lines(body)
    blocks: list[str] = []
    paragraph: list[str] = []
    lists = _Lists()

    def close_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + " ".join(paragraph) + "</p>")
            paragraph.clear()

    def close_list() -> None:
        if closed := lists.close():
            blocks.append(closed)

    for index, line in enumerate(lines):
        if line is None:
            close_paragraph()
            continue
        numbered = _NUMBERED.match(line.text)
        bullet = _BULLET.match(line.text)
        if numbered or bullet:
            close_paragraph()
            match = numbered or bullet
            assert match is not None
            group = 2 if numbered else 1
            item = _marked(match.group(group), line.start + match.start(group), highlight)
            number = int(numbered.group(1)) if numbered else 0
            if closed := lists.add("ol" if numbered else "ul", number, item):
                blocks.append(closed)
            continue
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        next_blank = nxt is None
        close_list()
        if not paragraph and _is_heading(line, next_blank):
            blocks.append("<h3>" + _marked(line.text, line.start, highlight) + "</h3>")
            continue
        paragraph.append(_marked(line.text, line.start, highlight))
    close_paragraph()
    close_list()
    return "\n".join(blocks)
