"""Feed HTML read as its authors meant it, where an HTML5 parser would lose text.

nh3 parses with html5ever, as a browser does. Feed bodies are often not browser HTML but
XHTML written as HTML, or text with a stray ``<!`` in it, and a few of HTML5's rules then
hide what the author wrote. Before the fragment is parsed, these are rewritten so that the
sanitiser sees what was meant (feedparser, whose reading Broadsheet matches, does the same):

* ``<br></br>`` is one line break (HTML5 makes ``</br>`` a second ``<br>``);
* ``<iframe>`` and ``<object>`` hold fallback content, shown by readers that do not load the
  frame or object. Broadsheet never loads either, so it shows the fallback: the ``<iframe>``
  tags are taken away before parsing (HTML5 reads an iframe's content as raw text, so the
  markup in it would show as tags), and ``<object>``'s content is kept by the sanitiser. The
  content is sanitised like the rest, so a script inside still goes;
* ``<!`` starts markup only as a comment (``<!--``), a declaration such as ``<!DOCTYPE>`` or
  a conditional comment of Word or Internet Explorer (``<![if ...]>``, ``<![endif]>``).
  Otherwise (``<!'``, ``<![CDATA[`` in HTML, where it means nothing) it is text: HTML5 would
  make a bogus comment of it up to the next ``>``, hiding the words between;
* a comment or declaration that is never closed would hide the rest of the entry: a comment
  with no ``-->`` ends at its first ``>``, as pre-HTML5 browsers ended it, and a declaration
  with no ``>`` at all is text. A comment with no ``>`` at all is left to hide the rest: it
  is usually a summary cut short in the middle of ``<!--more-->``.

The common entry, with none of these markers, pays for one regular-expression search and
one search for ``!``.
"""

from __future__ import annotations

import re

#: ``<br>`` directly closed by ``</br>`` (XHTML's ``<br></br>``): the closing tag goes.
_BR_CLOSED = re.compile(r"(<br\b[^<>]*>)\s*</br\s*>", re.IGNORECASE)
#: The start and end tags of an iframe, removed so its fallback content is read as markup.
_IFRAME_TAG = re.compile(r"</?iframe\b[^<>]*>?", re.IGNORECASE)
#: What may follow ``<!`` in markup: a comment, a declaration, a conditional comment.
_DECLARATION_START = re.compile(r"--|[A-Za-z]|\[(?:if|endif)\b", re.IGNORECASE)


#: An iframe tag or a closing ``</br``: one regular expression anchored on ``<`` scans feed
#: HTML (a ``<`` every few words) faster than one substring search per spelling.
_IFRAME_OR_BR_END = re.compile(r"<(?:/[bB][rR]|[iI][fF][rR][aA][mM][eE])")


def repair_markup(fragment: str) -> str:
    """``fragment`` rewritten where HTML5 would hide what its author wrote (see above)."""
    if _IFRAME_OR_BR_END.search(fragment) is not None:
        fragment = _IFRAME_TAG.sub("", _BR_CLOSED.sub(r"\1", fragment))
    if "!" in fragment and "<!" in fragment:  # "!" alone is a memchr, ten times faster
        fragment = _declarations(fragment)
    return fragment


def _declarations(fragment: str) -> str:
    """``<!`` that starts no markup made text; unclosed comments and declarations closed."""
    out: list[str] = []
    position = 0  # everything before this is in ``out`` or dropped
    start = fragment.find("<!")
    while start >= 0:
        after = start + 2
        kind = _DECLARATION_START.match(fragment, after)
        if kind is None:
            out.append(fragment[position:start] + "&lt;!")
            position = after
        elif kind.group(0) == "--":
            end = _comment_end(fragment, after)
            if end < 0:
                close = fragment.find(">", after + 2)
                if close < 0:
                    break  # unclosed to the end: left for the parser to drop
                out.append(fragment[position:start])  # the comment ends at its first ">"
                position = after = close + 1
            else:
                after = end
        elif fragment.find(">", after) < 0:
            out.append(fragment[position:start] + "&lt;!")
            position = after
        start = fragment.find("<!", after)
    if not out:
        return fragment
    out.append(fragment[position:])
    return "".join(out)


def _comment_end(fragment: str, after: int) -> int:
    """Where the comment whose ``<!`` ends at ``after`` is over (past its ``-->``, or
    ``--!>``, which HTML5 also accepts), or -1 if it never closes."""
    ends = [found + size for found, size in (
        (fragment.find("-->", after), 3), (fragment.find("--!>", after), 4)
    ) if found >= 0]
    return min(ends) if ends else -1
