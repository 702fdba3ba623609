"""Writing the library out as JSON Lines, JSON or Markdown.

The JSON Lines row is Broadsheet's interchange format: importing it back restores the
articles (and their read, starred and note state); the field names are stable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

FORMATS = ("jsonl", "json", "markdown")

#: The stable export fields, in order (extra fields may follow).
FIELDS = (
    "id", "title", "body", "source", "published", "published_inferred", "url", "story",
    "topics", "read", "starred", "note",
)


def _ordered(row: dict[str, Any]) -> dict[str, Any]:
    out = {key: row.get(key) for key in FIELDS}
    for key in ("author", "external_id"):
        if row.get(key) is not None:
            out[key] = row[key]
    return out


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(_ordered(row), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A JSON array, written incrementally so memory stays flat."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n " if count else "\n ")
        out.write(json.dumps(_ordered(row), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_markdown(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for row in rows:
        if count:
            out.write("\n---\n\n")
        out.write(f"## {row['title']}\n\n")
        meta = [row["source"]]
        if row.get("published"):
            stamp = str(row["published"])[:10]
            meta.append(f"~{stamp}" if row.get("published_inferred") else stamp)
        if row.get("topics"):
            meta.append(", ".join(row["topics"]))
        out.write("*" + " · ".join(meta) + "*\n\n")
        if row.get("url"):
            out.write(f"<{row['url']}>\n\n")
        out.write(str(row["body"]).rstrip() + "\n")
        count += 1
    return count


def write(fmt: str, rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write ``rows`` in ``fmt``; return how many were written."""
    writers = {"jsonl": write_jsonl, "json": write_json, "markdown": write_markdown}
    return writers[fmt](rows, out)
