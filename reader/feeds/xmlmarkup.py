"""Markup written inside a feed's XML, serialised back to HTML text for the sanitiser.

Atom ``type="xhtml"`` content, and HTML that feeds write unescaped inside an ``html`` element
(invalid, common), arrive as XML elements; the sanitiser reads HTML text. Namespaces are
dropped on the way (``<b xmlns="http://www.w3.org/1999/xhtml">`` becomes ``<b>``).
"""

from __future__ import annotations

from typing import Any

from reader.feeds.rawfeed import XHTML, local_name

_VOID = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "area", "col", "source"})


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def outer_markup(element: Any) -> str:
    if not isinstance(element.tag, str):
        return ""
    name = local_name(element.tag)[1]
    attributes = "".join(
        f' {local_name(key)[1]}="{_escape(value).replace(chr(34), "&quot;")}"'
        for key, value in element.attrib.items()
    )
    inner = inner_markup(element, escape_text=True)
    if not inner and name.lower() in _VOID:
        return f"<{name}{attributes} />"
    return f"<{name}{attributes}>{inner}</{name}>"


def inner_markup(element: Any, *, escape_text: bool) -> str:
    convert = _escape if escape_text else str
    parts = [convert(element.text)] if element.text else []
    for child in element:
        parts.append(outer_markup(child))
        if child.tail:
            parts.append(convert(child.tail))
    return "".join(parts)


def markup_with_children(element: Any) -> str:
    """An HTML element whose markup was written unescaped: its text is HTML source already,
    its child elements are serialised."""
    return inner_markup(element, escape_text=False)


def lone_xhtml_div(element: Any) -> Any:
    """The single XHTML ``<div>`` that wraps all of ``element``'s content, if there is one."""
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) != 1 or local_name(children[0].tag) != (XHTML, "div"):
        return None
    if (element.text or "").strip() or (children[0].tail or "").strip():
        return None
    return children[0]


def xhtml_markup(element: Any, unwrap_div: bool) -> str:
    """XHTML content as HTML, without namespaces; Atom 1.0's wrapping ``<div>`` removed."""
    wrapper = lone_xhtml_div(element) if unwrap_div else None
    return inner_markup(wrapper if wrapper is not None else element, escape_text=True)
