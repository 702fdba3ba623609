"""Search snippets split for drawing: ``a [b] c`` marks ``b`` as a matched word. Plain
Python (no widgets), so the rules are tested without painting."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKED = re.compile(r"\[([^\]]*)\]")

#: Shown before a snippet whose hit is in the user's note, not in the article.
NOTE_HIT_LABEL = "in your note: "


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """Split ``a [b] c`` into ``[("a ", False), ("b", True), (" c", False)]``."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in _MARKED.finditer(snippet):
        if match.start() > last:
            parts.append((snippet[last : match.start()], False))
        parts.append((match.group(1), True))
        last = match.end()
    if last < len(snippet):
        parts.append((snippet[last:], False))
    return parts


@dataclass(frozen=True, slots=True)
class Run:
    """One piece of a drawn line: its text, bold or not, and whether it is a match."""

    text: str
    bold: bool
    match: bool = False
    italic: bool = False


def line_runs(headline: str, snippet: str, unread: bool, hit_in: str | None) -> list[Run]:
    """The pieces of ``headline — [in your note:] snippet``.

    An unread row is bold throughout; matched words are always bold *and* marked (the
    delegate gives them a highlight background), so they stand out either way.
    """
    runs = [Run(headline + "  — ", unread)]
    if hit_in == "note":
        runs.append(Run(NOTE_HIT_LABEL, unread, italic=True))
    for piece, matched in snippet_parts(snippet):
        runs.append(Run(piece, unread or matched, matched))
    return runs
