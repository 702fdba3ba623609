"""HTML to plain text, for the text kept beside each body (search, grouping, titles).

Split from :mod:`.sanitize` (which cleans the HTML) because the two hold different things:
this module reads markup as text and never changes what is stored as HTML.

The plain text follows the convention of the dump importers
(:class:`reader.types.ParsedArticle`): paragraphs separated by a blank line, headings and list
items on lines of their own, bullets as ``• `` and numbered items as ``1. ``.
"""

from __future__ import annotations

import re
from html import unescape

_TAG_LIKE = re.compile(r"</?[a-zA-Z][^<>]*>|&[#a-zA-Z0-9]+;")

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "li",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "figure",
        "figcaption",
        "hr",
        "address",
        "details",
        "summary",
        "center",
        "hgroup",
        "body",
    ]
)
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>"]*(?:"[^"]*"[^>"]*)*>')
_START = re.compile(r'\bstart="?(\d{1,6})')
_ALT = re.compile(r'\balt="([^"]*)"')
_EMPTY_ITEMS = frozenset({"•", *(f"{n}." for n in range(1000))})
#: Stands for ``<br>`` until whitespace is collapsed (a real newline is just a space in HTML).
_BREAK = "\x00"
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


def html_unescape_attr(value: str) -> str:
    """Undo the escaping nh3 applies inside attribute values."""
    return (
        value.replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
    )


def looks_like_html(text: str) -> bool:
    """True when ``text`` carries tags or entities (a title marked up by its feed)."""
    return bool(_TAG_LIKE.search(text))


def _squeeze(text: str) -> str:
    """Collapse runs of whitespace to one space (``str.split`` is far faster than a regex)."""
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    return " ".join(text.split())


def inline_text(fragment: str) -> str:
    """A one-line text for a title that may carry markup (``Snow closes <em>pass</em>``)."""
    if fragment.isprintable() and "  " not in fragment and "<" not in fragment and (
        "&" not in fragment
    ):
        return fragment.strip()  # the usual plain title: its only white space is single spaces
    if not looks_like_html(fragment):
        return _SPACE_RUN.sub(" ", fragment).strip()
    return _SPACE_RUN.sub(" ", html_to_text(fragment)).strip()


#: The commonest inline tags as nh3 writes them (lower case; only ``<a>`` has attributes,
#: whose quoted values may hold ``>``, matched as :data:`_TAG` matches them).
_INLINE_TAG = re.compile(
    r'</?(?:b|i|em|strong|span|u|small|code|sup|sub|a)>|<a\s[^>"]*(?:"[^"]*"[^>"]*)*>'
)
#: An attribute value holding ``<`` (nh3 leaves it unescaped there), or a false alarm.
_LT_IN_ATTRIBUTE = re.compile(r'="[^"]*<')


def _drop_inline_tags(fragment: str) -> str:
    """``fragment`` without the commonest inline tags, which :func:`html_to_text` would only
    step over: one C-level substitution first halves its tag loop on feed HTML.

    Only for sanitised markup with no ``<`` inside an attribute value (the tag loop reads
    ``alt`` and ``start``, and a literal ``<b>`` in there must stay).
    """
    if _LT_IN_ATTRIBUTE.search(fragment) is not None:
        return fragment
    return _INLINE_TAG.sub("", fragment)


def html_to_text(fragment: str, *, sanitized: bool = False, alt_text: bool = True) -> str:
    """Plain text of an HTML fragment, keeping paragraphs, headings and list items as lines.

    Paragraph-like blocks are separated by a blank line; consecutive items of one list by a
    single line break. ``<br>`` becomes a line break inside its block. This is a tokenizer
    over tags rather than a tree walk: it runs on nh3's normalised output (balanced, quoted,
    comment-free) and is about ten times faster than building an lxml tree per entry, which
    matters when a feed file has ten thousand entries.

    ``sanitized=True`` promises ``fragment`` is :func:`sanitize_html`'s output, where every
    ``<`` outside an attribute starts a tag; the commonest inline tags are then dropped in C
    first (:func:`_drop_inline_tags`). Raw markup, where a stray ``<`` is text, must not.

    ``alt_text`` keeps an image's description in the text (a feed entry may be one image);
    saved pages leave it out, as the article's text does not hold it.
    """
    if not fragment.strip():
        return ""
    if sanitized:
        fragment = _drop_inline_tags(fragment)
    blocks: list[tuple[str, int]] = []  # (text, list group, or -1 for a paragraph)
    current: list[str] = []
    counters: list[int | None] = []  # per open list: the next number, None for bullets
    in_item = False
    pre = 0
    group = 0
    skip = 0  # inside script/style when the input was not sanitised

    def flush() -> None:
        nonlocal in_item
        if current:
            raw = "".join(current)
            current.clear()
            if pre:
                text = "\n".join(
                    line.rstrip() for line in raw.replace(_BREAK, "\n").split("\n")
                ).strip("\n")
            elif _BREAK in raw:
                text = "\n".join(
                    line for line in (_squeeze(part) for part in raw.split(_BREAK)) if line
                )
            else:
                text = _squeeze(raw)
            if text and not (in_item and text in _EMPTY_ITEMS):
                blocks.append((text, group if in_item else -1))
        in_item = False

    position = 0
    for match in _TAG.finditer(fragment):
        begin, end = match.span()
        if begin > position and not skip:
            piece = fragment[position:begin]
            current.append(unescape(piece) if "&" in piece else piece)
        position = end
        closing, tag = match.group(1, 2)
        if not sanitized:  # nh3 writes tag names in lower case
            tag = tag.lower()
        if not sanitized and tag in ("script", "style"):  # nh3 has removed them
            skip = max(0, skip - 1) if closing else skip + 1
            continue
        if tag in _BLOCK_TAGS:
            if tag == "li" and closing:
                in_item = True
            if current or in_item:  # (flush() would only reset in_item)
                flush()
            if tag in ("ul", "ol"):
                if closing:
                    if counters:
                        counters.pop()
                    if not counters:
                        group += 1
                elif tag == "ol":
                    start = _START.search(match.group(0))
                    counters.append(int(start.group(1)) if start else 1)
                else:
                    counters.append(None)
            elif tag == "li" and not closing:
                in_item = True
                number = counters[-1] if counters else None
                if number is None:
                    current.append("• ")
                else:
                    current.append(f"{number}. ")
                    counters[-1] = number + 1
            elif tag == "pre":
                pre = max(0, pre - 1) if closing else pre + 1
        elif tag == "br":
            current.append(_BREAK)
        elif tag in ("td", "th") and closing:
            current.append(" ")
        elif tag == "img" and alt_text and not closing:
            alt = _ALT.search(match.group(0))
            if alt and alt.group(1).strip():
                current.append(f" {html_unescape_attr(alt.group(1)).strip()} ")
    if position < len(fragment) and not skip:
        piece = fragment[position:]
        current.append(unescape(piece) if "&" in piece else piece)
    flush()
    out: list[str] = []
    previous = -1
    for text, item_group in blocks:
        if out:
            out.append("\n" if item_group >= 0 and item_group == previous else "\n\n")
        out.append(text)
        previous = item_group
    return "".join(out)
