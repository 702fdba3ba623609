"""Markdown to sanitised HTML, for showing notes outside the editor.

markdown-it-py parses CommonMark (plus tables and strikethrough) with raw HTML turned off, so
``<script>`` in a note is shown as text; nh3 (ammonia) then keeps only the tags and attributes a
note needs. Links keep their ``href`` only for http, https and mailto: a note is the user's own
text, but it may hold pasted article HTML or a link to ``file:`` or ``javascript:``, and the
viewer must never load or run anything. Images are not rendered (nothing remote is fetched);
``![alt](url)`` becomes a plain link instead.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

#: Schemes a link may use; everything else (relative, file:, javascript:, data:) is dropped.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
    "em", "strong", "s", "del", "code", "pre", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip

_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}


def _link_allowed(url: str) -> bool:
    scheme, colon, _ = url.strip().partition(":")
    return bool(colon) and scheme.lower() in LINK_SCHEMES


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3 hook: drop an ``href`` that is not absolute http(s)/mailto (relative ones too)."""
    if attribute == "href" and not _link_allowed(value):
        return None
    if attribute == "style" and value.replace(" ", "") not in {
        "text-align:left", "text-align:center", "text-align:right",
    }:  # fmt: skip
        return None
    return value


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable("image")
    # Links to anything but http(s)/mailto stay literal text instead of becoming anchors.
    md.validateLink = _link_allowed  # type: ignore[method-assign]
    return md


def render_markdown(text: str) -> str:
    """Sanitised HTML for ``text``; an empty string for an empty note."""
    if not text.strip():
        return ""
    html = _parser().render(text)
    return str(
        nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            attribute_filter=_keep_attribute,
            url_schemes=set(LINK_SCHEMES),
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
    )
