"""OPML subscription lists: read and write, with folders.

Parsed with lxml with entity resolution, DTD loading and network access all off, and any
document that declares entities refused outright, so an entity-expansion bomb cannot run.
Nested folders are flattened to a ``/``-joined path (``News/Local``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree  # type: ignore[import-untyped]

from reader.errors import ImportFailed
from reader.feeds.xmltree import prolog

MAX_OPML_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Outline:
    url: str
    title: str
    folder: str | None


def read_opml(path: Path) -> list[Outline]:
    try:
        if path.stat().st_size > MAX_OPML_BYTES:
            raise ImportFailed(path, "the OPML file is too large to be a subscription list")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
    head = data[:65536].decode("utf-8", errors="replace")
    if "<!ENTITY" in prolog(head).upper():
        raise ImportFailed(path, "the OPML file declares XML entities; it was refused")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(path, f"this is not an OPML file ({exc})") from exc
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise ImportFailed(path, "this is not an OPML file (no <opml> root)")
    body = root.find("body")
    found: list[Outline] = []

    def walk(node: etree._Element, folders: list[str]) -> None:
        for child in node:
            if not isinstance(child.tag, str) or child.tag.lower() != "outline":
                continue
            url = (child.get("xmlUrl") or child.get("xmlurl") or "").strip()
            label = (child.get("title") or child.get("text") or "").strip()
            if url:
                found.append(Outline(url, label, "/".join(folders) or None))
            walk(child, [*folders, label] if not url and label else folders)

    walk(body if body is not None else root, [])
    return found


def write_opml(
    path: Path, outlines: list[Outline], title: str = "Broadsheet subscriptions"
) -> None:
    """Write outlines grouped by folder (nested ``a/b`` folders become nested outlines)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title></head>",
        "  <body>",
    ]
    open_folders: list[str] = []
    for item in sorted(outlines, key=lambda o: ((o.folder or "").split("/"), o.title.lower())):
        parts = item.folder.split("/") if item.folder else []
        common = 0
        while common < min(len(parts), len(open_folders)) and parts[common] == open_folders[common]:
            common += 1
        while len(open_folders) > common:
            open_folders.pop()
            lines.append("    " + "  " * len(open_folders) + "</outline>")
        for part in parts[common:]:
            lines.append(
                "    "
                + "  " * len(open_folders)
                + f"<outline text={quoteattr(part)} title={quoteattr(part)}>"
            )
            open_folders.append(part)
        label = item.title or item.url
        lines.append(
            "    "
            + "  " * len(open_folders)
            + f'<outline type="rss" text={quoteattr(label)} title={quoteattr(label)}'
            f" xmlUrl={quoteattr(item.url)}/>"
        )
    while open_folders:
        open_folders.pop()
        lines.append("    " + "  " * len(open_folders) + "</outline>")
    lines += ["  </body>", "</opml>", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
