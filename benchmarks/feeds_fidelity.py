"""Feed fidelity: does Broadsheet read what feedparser reads? Checked on feedparser's own tests.

    .venv/bin/python benchmarks/feeds_fidelity.py [--corpus DIR] [--failures N] [--only TEXT]

``../shared/data/feeds-dev/feedparser/tests`` holds the feedparser project's 2,107 test inputs.
Each opens with a comment whose ``Expect:`` line is a Python expression over feedparser's
result (``not bozo and entries[0]['title'] == 'Example'``). This script reads every input as
``broadsheet import`` would (:func:`reader.feeds.sniff.route_file`, then the feed parser or
the dump importers), builds a small feedparser-shaped object from Broadsheet's answer
(:func:`feedparser_like`), and evaluates each condition against it. It prints, per category
and overall, how many conditions are applicable, how many hold, and how many inputs were
stored as articles by the dump importers (a feed that is not recognised becomes one garbage
"text" article; the target is none).

**Conditions.** An ``Expect:`` expression is split at its top-level ``and``; each part is a
condition. The adapter is built from the parse with ``keep_empty=True``: entries that were
read but are not stored, having no title, text or link (most of feedparser's sanitiser tests
are such fragments, ``<span abbr=""></span>``), are judged too, since this measures reading.
The share that holds with those entries dropped, as the library stores them, is printed on
its own line. The ``http`` inputs are read as a refresh would read them: with the document's
address as its base and the ``Content-type`` header the test declares.

**Applicable conditions** are those about what Broadsheet stores, and only those:

* feed title and link; the number of entries;
* entry title, link, id/guid, body (``description``, ``summary``, ``content[0].value`` and
  their ``*_detail.value``), author name, category terms and labels, enclosure URLs, and the
  published and updated dates (``*_parsed``, compared as UTC time tuples);
* the encoding the document was read in.

A condition is applicable only if every field it touches is in that list, so
``entries[0]['title_detail']['language'] == 'en'`` is not (Broadsheet keeps no language),
while ``entries[0]['title_detail']['value'] == 'x'`` is. Not applicable: ``bozo`` (whether
feedparser found the XML malformed; Broadsheet warns instead, and that is no field), feed
subtitles, rights, generators, images, languages, ``xml:base`` values, link relations,
content types, GeoRSS, iTunes, podcast chapters, the feed ``version``, HTTP headers and raw
date strings (Broadsheet stores the instant, checked through ``*_parsed``). Nothing hard
is declared inapplicable: an input Broadsheet refuses fails every applicable condition on it.

One group is counted apart and printed on its own line: conditions on inputs served with a
``Content-Location`` header, which expect that header to be the base address of relative
links. That was RFC 2616's rule; RFC 7231 (Appendix B) withdrew it for want of
implementations, browsers ignore it, and Broadsheet resolves against the address it
fetched. The line also shows the overall share with those conditions counted.

**Conflicts with safety** are counted apart too, on a line of their own with the reason per
kind, and stay in ``ALL``: a condition that fails because holding it would take what
Broadsheet's sanitiser removes for safety. It is recognised from the condition and the
input, never from the file's name (:data:`SAFETY_CONFLICTS`): today one kind, a condition
whose expected text holds the source of a ``<script>`` element of the input (feedparser keeps
script source as text; Broadsheet removes the script with its content).

**Comparing under Broadsheet's policy.** Broadsheet deliberately stores some fields in its
own form, so feedparser's answer is first put through the same rule before comparing
(each is the function Broadsheet itself applies to what it reads):

* titles are plain text: a title equals feedparser's value, or what
  :func:`reader.feeds.htmltext.inline_text` makes of it (``<b>&amp;</b>`` is stored ``&``);
* bodies are HTML cleaned by Broadsheet's sanitiser, which keeps less than feedparser's
  (no ``style``, ``class`` or ``id``): a body equals feedparser's value cleaned by
  :func:`reader.feeds.sanitize.sanitize_html` with the same base address; feedparser's plain
  text bodies (``type="text"``) are compared with Broadsheet's plain text of the body;
* authors are names: ``Jo (jo@example.com)`` is stored ``Jo``;
* encodings are compared by what they read: a condition holds when Broadsheet's codec and
  the expected one decode the document to the same text (so ``us-ascii`` and ``utf-8`` agree
  on an ASCII document); the count of exact name matches is printed beside it.

The expressions are evaluated with ``eval`` and no builtins (only ``len``, ``datetime``,
``tuple``, ``str`` and ``int`` are given), over the adapter: fine for this known test corpus,
never for user data.
"""

from __future__ import annotations

import argparse
import ast
import codecs
import datetime
import inspect
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "data" / "feeds-dev" / "feedparser" / "tests"

#: Where feedparser's HTTP tests are served from: expected links are resolved against it.
HTTP_BASE = "http://127.0.0.1:8097/"

_DESCRIPTION = re.compile(r"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->")
_HEADER = re.compile(r"^Header:\s+([^:]+):(.*)$", re.MULTILINE)

#: Fields Broadsheet stores, as dotted paths with ``[i]`` for any index (see the docstring).
APPLICABLE = frozenset(
    {
        "feed.title", "feed.title_detail.value", "feed.link",
        "entries",
        "entries[i].title", "entries[i].title_detail.value",
        "entries[i].link", "entries[i].id", "entries[i].guid",
        "entries[i].description", "entries[i].summary", "entries[i].summary_detail.value",
        "entries[i].content[i].value",
        "entries[i].author", "entries[i].author_detail.name", "entries[i].authors[i].name",
        "entries[i].tags[i].term", "entries[i].tags[i].label", "entries[i].category",
        "entries[i].enclosures[i].href",
        "entries[i].published_parsed", "entries[i].updated_parsed",
        "encoding",
    }
)
#: Names that are not result fields.
_FREE_NAMES = frozenset({"datetime", "len", "tuple", "str", "int"})


# --------------------------------------------------------------------------- the corpus


@dataclass
class Case:
    path: Path
    name: str  # relative to the corpus
    category: str
    data: bytes
    expect: str
    headers: dict[str, str]

    @property
    def http(self) -> bool:
        return "http" in self.name


def _text_of(data: bytes) -> str:
    """The document as feedparser's test helper reads it (BOM or byte pattern, else UTF-8)."""
    for start, codec in (
        (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
    ):
        if data.startswith(start):
            return data.decode(codec, errors="ignore")
    for bom, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if data.startswith(bom):
            return data[2:].decode(codec, errors="ignore")
    return data.decode("utf-8", errors="ignore")


def load_cases(corpus: Path) -> list[Case]:
    cases = []
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix not in (".xml", ".json"):
            continue
        data = path.read_bytes()
        text = _text_of(data)
        found = _DESCRIPTION.search(text)
        if found is None:
            continue
        name = path.relative_to(corpus).as_posix()
        parts = name.split("/")
        category = "/".join(parts[:2]) if parts[0] == "wellformed" else parts[0]
        headers = {k.strip().lower(): v.strip() for k, v in _HEADER.findall(text)}
        cases.append(Case(path, name, category, data, found.group(2).strip(), headers))
    return cases


# --------------------------------------------------------------------------- conditions


def split_conditions(expect: str) -> list[ast.expr]:
    """The top-level ``and`` operands of an Expect expression (the whole when there is none)."""
    tree = ast.parse(expect, mode="eval").body
    if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And):
        return list(tree.values)
    return [tree]


def _path_of(node: ast.expr) -> str | None:
    """``entries[0]['content'][0].value`` -> ``entries[i].content[i].value``."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Subscript):
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                parts.append("." + key.value)
            else:
                parts.append("[i]")
            node = node.value
        elif isinstance(node, ast.Attribute):
            parts.append("." + node.attr)
            node = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "has_key")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            parts.append("." + str(node.args[0].value))
            node = node.func.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return "".join(reversed(parts))
        else:
            return None


def field_paths(condition: ast.expr) -> set[str]:
    """Every result field a condition reads (``?`` for one this script cannot name)."""
    paths: set[str] = set()
    inner: set[int] = set()  # nodes that are part of a longer path already counted

    class Walker(ast.NodeVisitor):
        def generic_visit(self, node: ast.AST) -> None:
            if id(node) in inner:
                super().generic_visit(node)
                return
            if isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) and all(
                isinstance(op, (ast.In, ast.NotIn)) for op in node.ops
            ):
                target = _path_of(node.comparators[0])
                if target is not None:
                    paths.add(f"{target}.{node.left.value}")
                    for child in ast.walk(node.comparators[0]):
                        inner.add(id(child))
            if isinstance(node, (ast.Subscript, ast.Attribute, ast.Call, ast.Name)):
                path = _path_of(node)  # type: ignore[arg-type]
                if path is not None:
                    root = path.split(".")[0].split("[")[0]
                    if root not in _FREE_NAMES:
                        paths.add(path)
                    for child in ast.walk(node):
                        inner.add(id(child))
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id not in _FREE_NAMES
                ):
                    paths.add("?")
            super().generic_visit(node)

    Walker().visit(condition)
    return paths


def is_applicable(condition: ast.expr) -> bool:
    paths = field_paths(condition)
    return bool(paths) and paths <= APPLICABLE


# --------------------------------------------------------------------------- safety


_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)(?:</script\s*>|$)", re.IGNORECASE | re.DOTALL)
#: A line of script source shorter than this (``{``, ``*/``) says nothing about where text came
#: from.
_SOURCE_LINE = 8


def _expected_strings(condition: ast.expr) -> list[str]:
    """The string values a condition compares with (``'a' + 'b'`` is one value, ``'ab'``)."""
    values = []
    for node in ast.walk(condition):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                try:
                    value = ast.literal_eval(side) if not isinstance(side, ast.BinOp) else eval(
                        compile(ast.Expression(body=side), "<expect>", "eval"), {"__builtins__": {}}
                    )
                except Exception:
                    continue
                if isinstance(value, str):
                    values.append(value)
    return values


def _keeps_script_source(case: Case, condition: ast.expr) -> bool:
    """Whether the condition expects text that, in the input, is the source of a script."""
    import html

    document = html.unescape(_text_of(case.data))
    lines = {
        line.strip()
        for found in _SCRIPT.finditer(document)
        for line in found.group(1).splitlines()
        if len(line.strip()) >= _SOURCE_LINE
    }
    return bool(lines) and any(
        line in value for value in _expected_strings(condition) for line in lines
    )


#: Kinds of condition that conflict with Broadsheet's safety, with the reason printed for each.
SAFETY_CONFLICTS = {
    "script source kept as text": (
        _keeps_script_source,
        "Broadsheet removes a <script> element with its content, never showing it as text",
    ),
}


def safety_conflict(case: Case, condition: ast.expr) -> str | None:
    """The kind of safety conflict a failing condition is, or None."""
    for kind, (test, _) in SAFETY_CONFLICTS.items():
        if test(case, condition):
            return kind
    return None


# --------------------------------------------------------------------------- the adapter


class _Dict(dict[str, Any]):
    """feedparser's dictionary: keys as attributes, ``has_key``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def has_key(self, key: str) -> bool:
        return key in self


def _squeeze(text: str) -> str:
    return " ".join(text.split())


_TAG_NAME = re.compile(r"</?([A-Za-z][\w-]*)")

#: Elements feedparser's sanitiser lets through (HTML, SVG and MathML): its HTML values hold
#: no other tags, so a value with any other "tag" (``History of the <blink> tag``) is plain
#: text (an Atom ``type="text"`` construct), not markup.
FEEDPARSER_ELEMENTS = frozenset(
    (
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big",
        "blockquote", "br", "button", "canvas", "caption", "center", "cite", "code", "col",
        "colgroup", "command", "datagrid", "datalist", "dd", "del", "details", "dfn", "dialog",
        "dir", "div", "dl", "dt", "em", "event-source", "fieldset", "figcaption", "figure",
        "font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
        "input", "ins", "kbd", "keygen", "label", "legend", "li", "m", "map", "menu", "meter",
        "multicol", "nav", "nextid", "noscript", "ol", "optgroup", "option", "output", "p", "pre",
        "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "select", "small", "sound",
        "source", "spacer", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td",
        "textarea", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video",
        "animate", "animatecolor", "animatemotion", "animatetransform", "circle", "defs", "desc",
        "ellipse", "font-face", "font-face-name", "font-face-src", "foreignobject", "g", "glyph",
        "hkern", "line", "lineargradient", "marker", "metadata", "missing-glyph", "mpath", "path",
        "polygon", "polyline", "radialgradient", "rect", "set", "stop", "svg", "switch", "text",
        "title", "tspan", "use", "annotation", "annotation-xml", "maction", "maligngroup",
        "malignmark", "math", "menclose", "merror", "mfenced", "mfrac", "mglyph", "mi",
        "mlabeledtr", "mlongdiv", "mmultiscripts", "mn", "mo", "mover", "mpadded", "mphantom",
        "mprescripts", "mroot", "mrow", "ms", "mscarries", "mscarry", "msgroup", "msline",
        "mspace", "msqrt", "msrow", "mstack", "mstyle", "msub", "msubsup", "msup", "mtable",
        "mtd", "mtext", "mtr", "munder", "munderover", "none", "semantics",
    )
)


def _is_markup(value: str) -> bool:
    """Whether feedparser's value is HTML rather than plain text that holds ``<``."""
    return all(name.lower() in FEEDPARSER_ELEMENTS for name in _TAG_NAME.findall(value))


class Stored(str):
    """A value Broadsheet stored, compared with feedparser's under Broadsheet's policy
    (:meth:`same`); ``==`` and ``!=`` with any string go through it."""

    def same(self, theirs: str) -> bool:
        return str(self) == theirs

    def __eq__(self, other: object) -> bool:
        return self.same(str(other)) if isinstance(other, str) else NotImplemented

    def __ne__(self, other: object) -> bool:
        return not self.same(str(other)) if isinstance(other, str) else NotImplemented

    __hash__ = str.__hash__


class Title(Stored):
    """A stored title: equal to feedparser's value, or, when that value is HTML, to
    Broadsheet's plain text of it."""

    def same(self, theirs: str) -> bool:
        from reader.feeds.htmltext import inline_text

        mine = str(self)
        return mine == theirs or (_is_markup(theirs) and mine == inline_text(theirs))


class Body(Stored):
    """A stored body (sanitised HTML) and its plain text."""

    base: str | None = None
    text: str = ""

    def same(self, theirs: str) -> bool:
        from reader.feeds.sanitize import sanitize_html

        mine = str(self)
        if mine == theirs:
            return True
        markup = _is_markup(theirs)
        if markup and _squeeze(mine) == _squeeze(sanitize_html(theirs, self.base)):
            return True
        # feedparser's plain-text values (type="text"): compare with the plain text.
        plain = ("<" not in theirs and "&" not in theirs) or not markup
        return plain and _squeeze(self.text) == _squeeze(theirs)


def _body(html: str, text: str, base: str | None) -> Body:
    value = Body(html)
    value.base = base
    value.text = text
    return value


class Author(Stored):
    """A stored author name: feedparser's ``Name (email)`` is stored as ``Name``."""

    def same(self, theirs: str) -> bool:
        mine = str(self)
        if mine == theirs:
            return True
        found = re.match(r"^\s*(.*?)\s*\(([^()]*@[^()]*)\)\s*$", theirs)
        if found and mine == found.group(1):
            return True
        found = re.match(r"^\s*([^()]*@[^()\s]*)\s*\((.*)\)\s*$", theirs)
        return bool(found) and mine == found.group(2)


def _codec(name: str) -> str | None:
    """The Python codec for an encoding name, read through Broadsheet's own alias table
    (``reader.feeds.decoding``; ``reader.feeds.parse`` in versions before it existed)."""
    try:
        from reader.feeds.decoding import CODEC_ALIASES as aliases
    except ImportError:
        from reader.feeds.parse import _CODEC_ALIASES as aliases  # type: ignore[attr-defined]
    name = name.strip().lower()
    try:
        return codecs.lookup(aliases.get(name, name)).name
    except LookupError:
        return None


class Encoding(Stored):
    """The encoding Broadsheet read the document in, compared by what it reads."""

    data: bytes = b""
    exact_matches: ClassVar[Counter[str]] = Counter()

    def same(self, theirs: str) -> bool:
        mine, expected = _codec(str(self)), _codec(theirs)
        if mine is None or expected is None:
            return False
        if mine == expected:
            Encoding.exact_matches["match"] += 1
            return True
        text = _reads(self.data, mine)
        return text is not None and text == _reads(self.data, expected)


def _reads(data: bytes, codec: str) -> str | None:
    for bom in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            data = data[len(bom):]
            break
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _time_tuple(value: datetime.datetime | None) -> time.struct_time | None:
    return value.astimezone(datetime.UTC).utctimetuple() if value is not None else None


def feedparser_like(parsed: Any, data: bytes, document_url: str | None = None) -> _Dict:
    """Broadsheet's parse of one document in feedparser's shape (only the stored fields)."""
    feed = _Dict(title=Title(parsed.title))  # empty when the title is only markup (an <img>)
    feed["title_detail"] = _Dict(value=feed["title"])
    if parsed.link:
        feed["link"] = parsed.link
    entries = []
    for entry in parsed.entries:
        item = _Dict()
        item["title"] = Title(entry.title)
        item["title_detail"] = _Dict(value=item["title"])
        if entry.link:
            item["link"] = entry.link
        if entry.guid:
            item["id"] = item["guid"] = entry.guid
        # Always present (empty when there is no body): feedparser's body, cleaned by
        # Broadsheet's sanitiser, may be empty too (an <svg> drawing, an empty <span>).
        body = _body(entry.html, entry.text, entry.link or document_url or parsed.link)
        item["description"] = item["summary"] = body
        item["summary_detail"] = _Dict(value=body)
        item["content"] = [_Dict(value=body)]
        if entry.author:
            item["author"] = Author(entry.author)
            item["author_detail"] = _Dict(name=item["author"])
            # Several authors are stored as one string, "A, B" (as JSON Feed authors are).
            item["authors"] = [_Dict(name=Author(n)) for n in entry.author.split(", ")]
        if entry.categories:
            item["tags"] = [_Dict(term=c, label=c) for c in entry.categories]
            item["category"] = entry.categories[0]
        if entry.enclosures:
            item["enclosures"] = [_Dict(href=url) for url in entry.enclosures]
        if entry.published is not None:
            item["published_parsed"] = _time_tuple(entry.published)
        if entry.updated is not None:
            item["updated_parsed"] = _time_tuple(entry.updated)
        entries.append(item)
    encoding = Encoding(parsed.encoding)
    encoding.data = data
    return _Dict(feed=feed, entries=entries, encoding=encoding)


_GLOBALS: dict[str, Any] = {
    "__builtins__": {}, "datetime": datetime, "len": len, "tuple": tuple, "str": str, "int": int,
}


def holds(condition: ast.expr, result: _Dict | None) -> bool:
    if result is None:
        return False
    code = compile(ast.Expression(body=condition), "<expect>", "eval")
    try:
        return bool(eval(code, dict(_GLOBALS), result))  # known test corpus only
    except Exception:  # a missing field or entry means the condition does not hold
        return False


# --------------------------------------------------------------------------- reading


@dataclass
class Outcome:
    route: str
    result: _Dict | None = None
    refused: str | None = None  # the reason, when Broadsheet refused the input
    stored_as_articles: int = 0  # articles the dump importers made of it
    warnings: tuple[str, ...] = ()


def _parse_feed(case: Case, keep_empty: bool) -> Any:
    from reader.feeds.parse import parse_feed_bytes

    kwargs: dict[str, Any] = {}
    if case.http:
        url = HTTP_BASE + "tests/" + case.name
        kwargs["base_url"] = url
        accepted = inspect.signature(parse_feed_bytes).parameters
        if "content_type" in accepted:
            kwargs["content_type"] = case.headers.get("content-type", "text/xml")
        where = url
    else:
        where = case.name
    if "keep_empty" in inspect.signature(parse_feed_bytes).parameters:
        kwargs["keep_empty"] = keep_empty
    return parse_feed_bytes(case.data, where=where, **kwargs)


def _route(path: Path) -> tuple[str, str, str]:
    """``(route, DUMP, PAGE)`` as ``broadsheet import`` routes ``path``; before
    ``route_file`` existed (to measure older versions), as ``_import_file`` routed."""
    try:
        from reader.feeds.sniff import DUMP, PAGE, route_file
    except ImportError:
        from reader.feeds.parse import looks_like_feed
        from reader.library import feeds as verbs

        with path.open("rb") as handle:
            head = handle.read(8192)
        is_feed = looks_like_feed(verbs.sniff_text(head))  # type: ignore[attr-defined]
        return ("feed" if is_feed else "dump"), "dump", "page"
    return route_file(path), DUMP, PAGE


def read_case(case: Case, keep_empty: bool = True) -> Outcome:
    """Read one input as ``broadsheet import`` (or, for the HTTP inputs, a refresh) would;
    ``keep_empty`` keeps the entries the parser read that are not stored (no title, text or
    link)."""
    from reader.errors import ImportFailed
    from reader.importers import open_import

    route, DUMP, PAGE = _route(case.path)
    if route == PAGE and not case.http:
        return Outcome(route, stored_as_articles=1)  # a saved page: one article
    if route == DUMP and not case.http:
        try:
            with open_import(case.path) as opened:
                stored = sum(1 for _ in opened.articles)
        except ImportFailed as exc:
            return Outcome(route, refused=exc.reason)
        return Outcome(route, stored_as_articles=stored)
    try:
        parsed = _parse_feed(case, keep_empty)
    except ImportFailed as exc:
        return Outcome(route, refused=exc.reason)
    url = HTTP_BASE + "tests/" + case.name if case.http else None
    return Outcome(route, feedparser_like(parsed, case.data, url), warnings=parsed.warnings)


# --------------------------------------------------------------------------- report


@dataclass
class Tally:
    files: int = 0
    conditions: int = 0
    applicable: int = 0
    held: int = 0
    refused: int = 0
    stored_as_articles: int = 0
    content_location: int = 0  # applicable by field, counted apart (see the docstring)
    content_location_held: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    #: Failing conditions that conflict with safety, per kind (still counted in ``applicable``).
    safety: Counter[str] = field(default_factory=Counter)


def evaluate(cases: list[Case], keep_empty: bool = True) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        tally = tallies[case.category]
        tally.files += 1
        outcome = read_case(case, keep_empty)
        if outcome.refused is not None:
            tally.refused += 1
        if outcome.stored_as_articles:
            tally.stored_as_articles += 1
        for condition in split_conditions(case.expect):
            tally.conditions += 1
            if not is_applicable(condition):
                continue
            if "content-location" in case.headers:
                tally.content_location += 1
                tally.content_location_held += holds(condition, outcome.result)
                continue
            tally.applicable += 1
            if holds(condition, outcome.result):
                tally.held += 1
            else:
                why = outcome.refused or (
                    f"stored as {outcome.stored_as_articles} article(s)"
                    if outcome.stored_as_articles else ""
                )
                tally.failures.append((case.name, ast.unparse(condition), why))
                conflict = safety_conflict(case, condition)
                if conflict is not None:
                    tally.safety[conflict] += 1
    return tallies


def _row(name: str, t: Tally) -> str:
    share = f"{100 * t.held / t.applicable:6.2f}%" if t.applicable else "      -"
    return (
        f"{name:<26} {t.files:>5} {t.conditions:>6} {t.applicable:>6} {t.held:>6} {share} "
        f"{t.refused:>7} {t.stored_as_articles:>7}"
    )


def report(tallies: dict[str, Tally]) -> Iterator[str]:
    yield (
        f"{'category':<26} {'files':>5} {'conds':>6} {'applic':>6} {'hold':>6} {'share':>7} "
        f"{'refused':>7} {'as art.':>7}"
    )
    total = Tally()
    for name in sorted(tallies):
        t = tallies[name]
        yield _row(name, t)
        for attribute in ("files", "conditions", "applicable", "held", "refused",
                          "stored_as_articles", "content_location", "content_location_held"):
            setattr(total, attribute, getattr(total, attribute) + getattr(t, attribute))
    yield _row("ALL", total)
    safety: Counter[str] = Counter()
    for t in tallies.values():
        safety.update(t.safety)
    if safety:
        apart = sum(safety.values())
        yield (
            f"conflicts with safety (failing, counted in ALL): {apart}; without them "
            f"{total.held}/{total.applicable - apart} = "
            f"{100 * total.held / max(total.applicable - apart, 1):.2f}%"
        )
        for kind, count in sorted(safety.items()):
            yield f"  {kind}: {count} ({SAFETY_CONFLICTS[kind][1]})"
    if total.content_location:
        held = total.held + total.content_location_held
        counted = total.applicable + total.content_location
        yield (
            f"counted apart: {total.content_location} conditions expecting Content-Location "
            f"as the base address ({total.content_location_held} hold); with them "
            f"{held}/{counted} = {100 * held / counted:.2f}%"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--failures", type=int, default=0, help="list up to N failures")
    parser.add_argument("--only", default="", help="only inputs whose path contains this")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}")
        return 1
    cases = [c for c in load_cases(args.corpus) if args.only in c.name]
    cpu = time.process_time()
    tallies = evaluate(cases)
    for line in report(tallies):
        print(line)
    print(f"encoding conditions matched by codec name: {Encoding.exact_matches['match']}")
    stored = evaluate(cases, keep_empty=False)
    held = sum(t.held for t in stored.values())
    counted = sum(t.applicable for t in stored.values())
    print(
        f"as stored (entries with no title, text or link are read but not stored): "
        f"{held}/{counted} = {100 * held / max(counted, 1):.2f}%"
    )
    print(f"({len(cases)} inputs in {time.process_time() - cpu:.1f} s CPU)")
    if args.failures:
        shown = 0
        for name in sorted(tallies):
            for failure in tallies[name].failures:
                if shown >= args.failures:
                    break
                print(" | ".join(part for part in failure if part))
                shown += 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
