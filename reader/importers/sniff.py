"""Which format a file is in, decided from its decoded sample, never from its name.

Order, most specific first:

1. **jsonl**: the first non-blank line starts with ``{`` (a broken first row is reported
   by the JSON Lines parser with its line number, which helps more than "unknown format"),
   however long that line is. A file starting with ``[`` holding JSON is a JSON document,
   refused with that reason.
2. **listing**: a ``TAG Section name`` first line and complete articles closed by the tag
   line in the sample (see :func:`reader.importers.listing.sample_looks_like_listing`).
3. **forum**: at least one post separator (no-break-space line, then a ``.`` line).
4. **text**: one article, if the sample reads as prose.

When the sample cannot decide (its first line, or a listing's first article, runs past it),
:class:`NeedMore` asks the caller for a longer sample; at the longest one the file is
refused with the real reason (its first line, or article, is that long), never with a
guess drawn from a cut-off sample.

"Text in no known format" is refused with a reason when the text

* holds no letters at all ("holds no words"),
* has a single non-blank line (a title with no body),
* is not prose: fewer than half of its non-space characters are letters (tables of
  numbers, symbol junk), or its average "word" is longer than 20 characters (base64, hex
  dumps, lists of URLs).
"""

from __future__ import annotations

import json
from pathlib import Path

from reader.errors import ImportFailed
from reader.importers import forum, listing

LISTING = "listing"
FORUM = "forum"
JSONL = "jsonl"
TEXT = "text"

#: Average token length above which the text is not prose.
_MAX_AVG_WORD = 20


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


class NeedMore(Exception):
    """The sample is too short to tell the format; ``reason(size)`` says why, for a file
    whose sample of ``size`` bytes still could not tell."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what

    def reason(self, size: int) -> str:
        return f"text in no known format: {self.what} runs past the first {_size(size)}"


def _size(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def sniff(path: Path, lines: list[str], complete: bool, partial: str = "") -> str:
    """The format of a file whose sample decoded to ``lines`` (complete lines) and
    ``partial`` (the start of the line the sample ends in). Raises ImportFailed if none,
    :class:`NeedMore` if the sample is too short to tell."""
    nonblank = [line for line in lines if line.strip()]
    if not nonblank:
        if complete:
            raise ImportFailed(path, "holds no text (only blank lines)")
        head = partial.lstrip()
        if head.startswith("{"):
            return JSONL  # one long row: the JSON Lines parser streams it
        if head.startswith("["):
            raise ImportFailed(
                path, "a JSON document, not JSON Lines (one article object per line)"
            )
        raise NeedMore("its first line" if head else "the blank space it starts with")
    first = nonblank[0].strip()
    if first.startswith("{"):
        return JSONL
    if first.startswith("[") and _is_json_document(lines, complete):
        raise ImportFailed(path, "a JSON document, not JSON Lines (one article object per line)")
    if listing.sample_looks_like_listing(lines):
        return LISTING
    if forum.count_separators(lines):
        return FORUM
    tag = None if complete else listing.open_listing_tag(lines)
    if tag is not None:
        raise NeedMore(f"the first article of what looks like a listing (no closing {tag!r} line)")
    if len(nonblank) < 2 and not complete:
        raise NeedMore("its second line")
    _check_prose(path, nonblank)
    return TEXT


def _is_json_document(lines: list[str], complete: bool) -> bool:
    if not complete:
        return lines[0].strip() in ("[", "[{") or lines[0].lstrip().startswith('[{"')
    try:
        json.loads("\n".join(lines))
    except (ValueError, RecursionError):
        return False
    return True


def _check_prose(path: Path, nonblank: list[str]) -> None:
    text = "\n".join(nonblank)
    letters = _letters(text)
    if letters == 0:
        raise ImportFailed(path, "text in no known format: holds no words")
    if len(nonblank) < 2:
        raise ImportFailed(path, "text in no known format: a single line with no body")
    tokens = text.split()
    visible = sum(len(token) for token in tokens)
    if letters * 2 < visible:
        raise ImportFailed(path, "text in no known format: mostly digits and symbols, not prose")
    if visible > _MAX_AVG_WORD * len(tokens):
        raise ImportFailed(
            path, "text in no known format: no word breaks (encoded data, not prose)"
        )
