"""Is a file a feed, a web page or a dump? Decided from its content, never from its name.

``broadsheet import`` sends a file to the feed importer when its first bytes are markup
(XML of any kind: the feed parser reads RSS, Atom and CDF and refuses everything else with a
reason, instead of a dump importer storing the markup as one garbage article) or a JSON Feed.
HTML pages go to the saved-page importer.

A JSON Feed is recognised by its ``version`` (``https://jsonfeed.org/version/…``, also with
``http`` or escaped slashes) in the first bytes, or else by parsing: JSON Lines has one
object per line, so a first line that is a whole object is JSON Lines unless that object is
a JSON Feed, and a document whose first line is not a whole object is one JSON document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from reader.errors import ImportFailed

#: A JSON Feed's version, as it appears in the raw text (slashes may be escaped).
JSON_FEED_MARK = re.compile(
    r'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org(?:\\?/)version', re.IGNORECASE
)
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_ELEMENT = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)[\s/>]")
_LEADING = "\ufeff \t\r\n"


def lenient_text(head: bytes) -> str:
    """The first bytes of a file decoded leniently for sniffing (BOMs, UTF-16 and UTF-32
    with or without a BOM)."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(codec, errors="ignore")
    if head[:3] == b"\x00\x00\x00":
        return head[: len(head) // 4 * 4].decode("utf-32-be", errors="ignore")
    if head[1:4] == b"\x00\x00\x00":
        return head[: len(head) // 4 * 4].decode("utf-32-le", errors="ignore")
    if head[:1] == b"\x00":
        return head.decode("utf-16-be", errors="ignore")
    if head[1:2] == b"\x00":
        return head.decode("utf-16-le", errors="ignore")
    return head.decode("utf-8", errors="ignore")


def root_element(text: str) -> str | None:
    """The name of the first element of a markup document (after its declaration,
    comments and DOCTYPE), or None if ``text`` does not start as markup."""
    position = 0
    text = text.lstrip(_LEADING)
    while position < len(text):
        if text.startswith("<?", position):
            end = _after(text, "?>", position)
        elif text.startswith("<!--", position):
            end = _after(text, "-->", position)
        elif text.startswith("<!", position):
            end = _doctype_end(text, position)
        else:
            found = _ELEMENT.match(text, position)
            return found.group(1) if found else None
        if end < 0:
            return None
        position = end
        while position < len(text) and text[position] in _LEADING:
            position += 1
    return None


def _after(text: str, terminator: str, start: int) -> int:
    """The position just past ``terminator``, or -1 if it does not occur."""
    end = text.find(terminator, start)
    return end + len(terminator) if end >= 0 else -1


def _doctype_end(text: str, start: int) -> int:
    bracket = text.find("[", start)
    close = text.find(">", start)
    if 0 <= bracket < close:  # an internal subset: up to "]>"
        end = text.find("]", bracket)
        return -1 if end < 0 else _after(text, ">", end)
    return close + 1 if close >= 0 else -1


def is_markup(head: str) -> bool:
    """Whether a document starts as XML or HTML (a declaration, DOCTYPE, comment or element)."""
    text = head.lstrip(_LEADING)
    if text.startswith(("<?xml", "<!")):
        return True
    return _ELEMENT.match(text) is not None


def is_html_page(head: str) -> bool:
    """Whether a document is an HTML page (an ``<html>`` root or an HTML DOCTYPE)."""
    text = head.lstrip(_LEADING)
    if text[:14].lower().startswith("<!doctype html"):
        return True
    root = root_element(text)
    return root is not None and root.lower() == "html"


def looks_like_feed(head: str) -> bool:
    """Whether the start of a document (a few KB, decoded) is an RSS, Atom, CDF or JSON feed."""
    text = head.lstrip(_LEADING)
    if text.startswith("{"):
        return JSON_FEED_MARK.search(text) is not None
    root = root_element(text)
    return root is not None and root.rpartition(":")[2].lower() in _FEED_ROOTS


def is_json_document(path: Path, limit: int) -> bool:
    """Whether a file that starts with ``{`` is one JSON document (a JSON Feed, or JSON the
    feed importer refuses with its reason) rather than JSON Lines; see the module's
    docstring. Reads the first line, and the whole file (up to ``limit`` bytes) only when
    that line is not a whole object."""
    from reader.feeds.decoding import decode_document
    from reader.feeds.jsonfeed import is_json_feed

    with path.open("rb") as handle:
        first = handle.readline(limit)
    try:
        return is_json_feed(json.loads(lenient_text(first)))
    except (ValueError, RecursionError):
        pass
    if path.stat().st_size > limit:
        return False
    try:
        document = json.loads(decode_document(path.read_bytes())[0])
    except (ValueError, RecursionError):
        return False  # damaged: the JSON Lines importer names the line
    return isinstance(document, dict)


#: How ``broadsheet import`` reads a file: as a saved web page, a feed document, or a dump.
PAGE, FEED, DUMP = "page", "feed", "dump"


def route_file(path: Path) -> str:
    """Which importer reads ``path``: :data:`PAGE`, :data:`FEED` or :data:`DUMP`.

    Pages are recognised by their extension (a saved page is ordinary HTML that only its name
    marks as "an article to extract") or by being HTML; feeds by content: any markup goes to
    the feed parser, which reads RSS, Atom and CDF and refuses other XML with its reason
    (an OPML list, say) instead of a dump importer storing it as one garbage article, and
    so does a JSON document that is not JSON Lines (:func:`reader.feeds.sniff.is_json_document`).
    """
    from reader.feeds import parse  # (parse imports this module)
    from reader.feeds.pages import PAGE_SUFFIXES

    if path.suffix.lower() in PAGE_SUFFIXES:
        return PAGE
    try:
        with path.open("rb") as handle:
            head = lenient_text(handle.read(8192))
        text = head.lstrip("\ufeff \t\r\n")
        if text.startswith("{"):
            if JSON_FEED_MARK.search(text) or is_json_document(path, parse.MAX_FEED_BYTES):
                return FEED
            return DUMP
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
    if is_html_page(text):
        return PAGE
    return FEED if is_markup(text) else DUMP
