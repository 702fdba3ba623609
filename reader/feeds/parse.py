"""Feed documents to entries: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1.

XML feeds are parsed with fastfeedparser (libxml2 through lxml), chosen by measurement: on a
10,000-item RSS 2.0 file with HTML descriptions it parses in about 0.2 s where feedparser takes
about 15 s (``benchmarks/feeds_speed.py``). JSON Feed is plain JSON and is read here.

Everything fastfeedparser would otherwise decide on its own is settled first, so the robustness
rules hold whatever it does:

* **Encodings.** The bytes are decoded here (BOM, then the XML declaration, then UTF-8 with a
  cp1252 fallback) and handed over as UTF-8 with the declaration rewritten, so UTF-16, UTF-32,
  gb2312, big5 and cp1251 feeds parse even where libxml2 lacks the codec.
* **Entities.** A document that declares its own entities is refused before parsing (that is
  how entity-expansion bombs work, and feeds never need it); HTML named entities such as
  ``&eacute;``, common in old RSS, become character references instead of being dropped.
* **Size.** Documents above :data:`MAX_FEED_BYTES` are refused before they are read.
* **Malformed XML.** A strict parse decides whether the document is well-formed; if it is not
  but the recovering parser still finds entries, they import with a warning.
"""

from __future__ import annotations

import codecs
import html.entities
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fastfeedparser  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]

from reader.errors import ImportFailed
from reader.feeds.sanitize import html_to_text, inline_text, sanitize_html
from reader.text import make_title

#: Feeds larger than this are refused: a news feed is a few MB at most, and a parsed tree
#: takes several times its document in memory.
MAX_FEED_BYTES = 100 * 1024 * 1024

#: Codec names as feeds declare them, mapped to the Python codec that decodes what they mean
#: (gb2312 and big5 documents routinely use characters of their supersets).
_CODEC_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-16",
    "utf-32": "utf-32",
}

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""", re.IGNORECASE)
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_NAMED_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_AUTHOR_WITH_EMAIL = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_BARE_EMAIL = re.compile(r"^\s*[^\s@]+@[^\s@]+\s*$")
_JSON_FEED_VERSION = "https://jsonfeed.org/version/"

_RSS1_NS = "http://purl.org/rss/1.0/"
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"

_SNIFF_XML_ROOT = re.compile(
    r"<(?:rss\b|feed\b[^>]*(?:w3\.org/2005/Atom|purl\.org/atom)|(?:\w+:)?RDF\b[^>]*purl\.org/rss/1\.0)",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed, its HTML sanitised and its plain text derived."""

    guid: str | None
    link: str | None
    title: str
    text: str
    html: str
    author: str | None
    published: datetime | None
    updated: datetime | None
    categories: tuple[str, ...] = ()
    enclosures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A whole feed document."""

    format: str  # "rss", "atom", "rdf" or "json"
    title: str
    link: str | None
    encoding: str
    entries: list[FeedEntry] = field(default_factory=list)
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- sniffing


def looks_like_feed(head: str) -> bool:
    """Whether the start of a document (a few KB, decoded) is an RSS, Atom or JSON feed.

    Used by ``broadsheet import`` to route feed files here rather than to the dump importers.
    """
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return _JSON_FEED_VERSION in text[:4096]
    if not text.startswith("<"):
        return False
    return bool(_SNIFF_XML_ROOT.search(text[:8192]))


# --------------------------------------------------------------------------- decoding


def decode_document(data: bytes) -> tuple[str, str, list[str]]:
    """Decode feed bytes: ``(text, encoding name, warnings)``.

    A BOM wins, then a UTF-16/32 byte pattern, then the XML declaration, then UTF-8, then
    cp1252. Undecodable bytes are replaced and reported rather than failing the feed.
    """
    warnings: list[str] = []
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode(data[len(bom):], codec, warnings), codec, warnings
    for pattern, codec in (
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00<\x00?", "utf-16-be"),
        (b"<\x00?\x00", "utf-16-le"),
    ):
        if data.startswith(pattern):
            return _decode(data, codec, warnings), codec, warnings
    declared = _XML_DECLARATION.match(data[:1024])
    name = None
    if declared:
        found = _DECLARED_ENCODING.search(declared.group(0))
        if found:
            name = found.group(1).decode("ascii").lower()
    if name and name not in ("utf-8", "utf8"):
        codec = _CODEC_ALIASES.get(name, name)
        try:
            codecs.lookup(codec)
        except LookupError:
            warnings.append(f"unknown declared encoding {name!r}; read as UTF-8")
        else:
            if codec in ("utf-16", "utf-32"):  # declared but without a BOM: guess the order
                codec += "-le" if data[1:2] == b"\x00" else "-be"
            return _decode(data, codec, warnings), name, warnings
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        warnings.append("the feed is not valid UTF-8; it was read as Windows-1252")
        return data.decode("cp1252", errors="replace"), "cp1252", warnings


def _decode(data: bytes, codec: str, warnings: list[str]) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        warnings.append(
            f"some bytes are not valid {codec} (first at byte {exc.start}); they were replaced"
        )
        return data.decode(codec, errors="replace")


def _replace_html_entities(text: str) -> str:
    """Turn HTML named entities, which XML does not define, into character references."""
    if "&" not in text:
        return text

    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        code = html.entities.name2codepoint.get(name)
        return f"&#{code};" if code is not None else match.group(0)

    return _NAMED_ENTITY.sub(swap, text)


def _prolog(text: str) -> str:
    """The part of an XML document before its root element (declaration, DOCTYPE)."""
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            return text
        following = text[start + 1 : start + 2]
        if following not in ("?", "!"):
            return text[:start]
        if text.startswith("<!DOCTYPE", start) or text.startswith("<!doctype", start):
            bracket = text.find("[", start, start + 4096)
            close = text.find(">", start)
            if bracket != -1 and bracket < close:  # internal subset: up to "]>"
                end = text.find("]>", bracket)
                return text if end < 0 else text[: end + 2]
            position = close + 1 if close >= 0 else len(text)
            continue
        end = text.find("?>" if following == "?" else ">", start)
        if end < 0:
            return text
        position = end + 1


# --------------------------------------------------------------------------- parsing


def parse_feed_file(path: Path) -> ParsedFeed:
    """Read and parse a feed file, refusing oversized files before reading them."""
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            raise ImportFailed(
                path, f"the file is {size // 1_048_576} MB; feeds above "
                f"{MAX_FEED_BYTES // 1_048_576} MB are refused"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
    return parse_feed_bytes(data, where=str(path))


def parse_feed_bytes(data: bytes, *, where: str, base_url: str | None = None) -> ParsedFeed:
    """Parse one feed document. Raises :class:`ImportFailed` (naming ``where``) if it is not
    a feed or cannot be recovered; the message never carries a traceback."""
    if len(data) > MAX_FEED_BYTES:
        raise ImportFailed(where, f"the feed is larger than {MAX_FEED_BYTES // 1_048_576} MB")
    if not data or data.isspace():  # (strip() would copy the whole document)
        raise ImportFailed(where, "the feed is empty")
    text, encoding, warnings = decode_document(data)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return _parse_json_feed(stripped, where, base_url, encoding, warnings)
    return _parse_xml_feed(stripped, where, base_url, encoding, warnings)


def _parse_xml_feed(
    text: str, where: str, base_url: str | None, encoding: str, warnings: list[str]
) -> ParsedFeed:
    prolog = _prolog(text[: 64 * 1024])
    if _ENTITY_DECLARATION.search(prolog):
        raise ImportFailed(
            where,
            "the document declares its own XML entities, which feeds never need; it was "
            "refused because such declarations are how entity-expansion attacks work",
        )
    declaration = re.match(r"\s*<\?xml[^>]*\?>", text)
    if declaration:
        text = text[declaration.end():]
    body = _replace_html_entities(text).encode("utf-8")
    well_formed_error = _well_formedness_error(body)
    try:
        parsed = fastfeedparser.parse(body)
    except (ValueError, etree.LxmlError) as exc:
        reason = str(exc).split("\n")[0][:200]
        raise ImportFailed(where, f"this is not a feed that can be read ({reason})") from exc
    root_kind = _root_kind(text)
    entries_raw: list[Mapping[str, Any]] = list(parsed.entries or [])
    if root_kind is None and not entries_raw:
        raise ImportFailed(where, "this is not an RSS, Atom or JSON feed")
    if well_formed_error is not None:
        if not entries_raw and not (parsed.feed or {}).get("title"):
            raise ImportFailed(
                where, f"the feed is damaged beyond repair ({well_formed_error})"
            )
        warnings.append(
            f"the feed is not well-formed XML ({well_formed_error}); "
            + (
                "1 entry was recovered"
                if len(entries_raw) == 1
                else f"{len(entries_raw)} entries were recovered"
            )
        )
    feed_info: Mapping[str, Any] = parsed.feed or {}
    feed_link = _str(feed_info.get("link")) or base_url
    rdf_content = _rdf_encoded_content(body) if root_kind == "rdf" else {}
    entries = [
        _xml_entry(raw, feed_link, rdf_content) for raw in entries_raw
    ]
    entries = [e for e in entries if e is not None]
    skipped = len(entries_raw) - len(entries)
    if skipped:
        warnings.append(f"{skipped} empty entr{'y' if skipped == 1 else 'ies'} skipped")
    return ParsedFeed(
        format=root_kind or "rss",
        title=inline_text(_str(feed_info.get("title")) or ""),
        link=feed_link,
        encoding=encoding,
        entries=entries,  # type: ignore[arg-type]
        warnings=tuple(warnings),
    )


def _well_formedness_error(body: bytes) -> str | None:
    """None if ``body`` is well-formed XML, else libxml2's first complaint (one line)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=False
    )
    try:
        etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        # lxml appends "(<string>, line N)": the position is already in libxml2's text.
        message = str(exc).split("\n")[0]
        return re.sub(r"\s*\(<string>, line \d+\)$", "", message)[:160]
    return None


def _root_kind(text: str) -> str | None:
    match = _SNIFF_XML_ROOT.search(text[:8192])
    if not match:
        return None
    opening = match.group(0).lower()
    if opening.startswith("<rss"):
        return "rss"
    if "feed" in opening[:6]:
        return "atom"
    return "rdf"


def _rdf_encoded_content(body: bytes) -> dict[str, str]:
    """``content:encoded`` of RSS 1.0 items by their link, which fastfeedparser skips."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=True
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return {}
    if root is None:
        return {}
    found: dict[str, str] = {}
    for item in root.iter(f"{{{_RSS1_NS}}}item"):
        encoded = item.find(_CONTENT_ENCODED)
        if encoded is None or not encoded.text:
            continue
        key = item.get(f"{{{_RDF_NS}}}about") or item.findtext(f"{{{_RSS1_NS}}}link") or ""
        found[key.strip()] = encoded.text
    return found


def _xml_entry(
    raw: Mapping[str, Any], feed_link: str | None, rdf_content: Mapping[str, str]
) -> FeedEntry | None:
    link = _str(raw.get("link")) or None
    guid = _str(raw.get("id")) or None
    markup = ""
    contents = raw.get("content") or []
    if isinstance(contents, list):
        for item in contents:
            if isinstance(item, Mapping) and _str(item.get("value")):
                markup = _str(item.get("value"))
                break
    if not markup and rdf_content:
        markup = rdf_content.get(guid or "", "") or rdf_content.get(link or "", "")
    if not markup:
        markup = _str(raw.get("description"))
    categories = tuple(
        dict.fromkeys(
            inline_text(_str(tag.get("label")) or _str(tag.get("term")))
            for tag in (raw.get("tags") or [])
            if isinstance(tag, Mapping) and (tag.get("term") or tag.get("label"))
        )
    )
    enclosures = tuple(
        _str(e.get("url") or e.get("href"))
        for e in (raw.get("enclosures") or [])
        if isinstance(e, Mapping) and (e.get("url") or e.get("href"))
    )
    return _entry(
        guid=guid, link=link, title=_str(raw.get("title")), markup=markup,
        author=_str(raw.get("author")), published=_str(raw.get("published")),
        updated=_str(raw.get("updated")), categories=categories, enclosures=enclosures,
        base_url=link or feed_link,
    )


def _entry(
    *,
    guid: str | None,
    link: str | None,
    title: str,
    markup: str,
    author: str,
    published: str,
    updated: str,
    categories: tuple[str, ...],
    enclosures: tuple[str, ...],
    base_url: str | None,
    is_plain_text: bool = False,
) -> FeedEntry | None:
    if is_plain_text:
        text = markup.strip()
        clean = "".join(f"<p>{html_escape(p)}</p>" for p in re.split(r"\n\s*\n", text) if p)
    else:
        clean = sanitize_html(markup, base_url)
        text = html_to_text(clean, sanitized=True)
    heading = inline_text(title)
    if not heading:
        heading = make_title(text) if text else (link or "")
    if not heading and not text:
        return None
    return FeedEntry(
        guid=guid, link=link, title=heading, text=text, html=clean,
        author=_author_name(author), published=_date(published) or _date(updated),
        updated=_date(updated), categories=tuple(c for c in categories if c),
        enclosures=enclosures,
    )


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _author_name(value: str) -> str | None:
    value = inline_text(value)
    if not value:
        return None
    match = _AUTHOR_WITH_EMAIL.match(value)
    if match:
        return match.group(1).strip()
    if _BARE_EMAIL.match(value):
        return value.strip()
    return value


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


# --------------------------------------------------------------------------- JSON Feed


def _parse_json_feed(
    text: str, where: str, base_url: str | None, encoding: str, warnings: list[str]
) -> ParsedFeed:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ImportFailed(where, f"this JSON feed is damaged ({exc})") from exc
    if not isinstance(document, dict):
        raise ImportFailed(where, "this JSON document is not a JSON Feed")
    version = _str(document.get("version"))
    if not version.startswith(_JSON_FEED_VERSION):
        raise ImportFailed(where, "this JSON document is not a JSON Feed (no jsonfeed version)")
    feed_link = _str(document.get("home_page_url")) or base_url
    feed_authors = _json_authors(document)
    items = document.get("items")
    if not isinstance(items, list):
        raise ImportFailed(where, "this JSON Feed has no list of items")
    entries: list[FeedEntry] = []
    skipped = 0
    for item in items:
        if not isinstance(item, dict):
            skipped += 1
            continue
        link = _str(item.get("url")) or _str(item.get("external_url")) or None
        guid = item.get("id")
        content_html = _str(item.get("content_html"))
        content_text = _str(item.get("content_text"))
        summary = _str(item.get("summary"))
        plain = not content_html and bool(content_text or summary)
        entry = _entry(
            guid=str(guid) if guid not in (None, "") else None,
            link=link,
            title=_str(item.get("title")),
            markup=content_html or content_text or summary,
            author=", ".join(_json_authors(item)) or ", ".join(feed_authors),
            published=_str(item.get("date_published")),
            updated=_str(item.get("date_modified")),
            categories=tuple(str(t) for t in _list(item.get("tags")) if str(t).strip()),
            enclosures=tuple(
                _str(a.get("url")) for a in _list(item.get("attachments"))
                if isinstance(a, dict) and _str(a.get("url"))
            ),
            base_url=link or feed_link,
            is_plain_text=plain,
        )
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    if skipped:
        warnings.append(f"{skipped} unusable item(s) skipped")
    return ParsedFeed(
        format="json", title=inline_text(_str(document.get("title"))), link=feed_link,
        encoding=encoding, entries=entries, warnings=tuple(warnings),
    )


def _json_authors(obj: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for author in [obj.get("author"), *_list(obj.get("authors"))]:
        if isinstance(author, dict) and _str(author.get("name")).strip():
            names.append(_str(author.get("name")).strip())
    return list(dict.fromkeys(names))


def _list(value: object) -> Iterable[Any]:
    return value if isinstance(value, list) else ()
