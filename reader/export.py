"""Writing the library out as JSON Lines, JSON or Markdown.

The JSON Lines row is Broadsheet's interchange format: importing it back restores the
articles (and their read, starred and note state); the field names are stable.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from reader.notes_export import ExportError, escape_block, escape_inline, link_target

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
    """Articles as Markdown that shows exactly the imported text and never becomes markup.

    Imported text is untrusted: a ``<script>``, ``<iframe>`` or remote ``<img>`` (or a
    Markdown image) in a body would run or fetch in any viewer that renders HTML. So every
    field is escaped as the notes export escapes headlines (:func:`escape_inline`), line by
    line for the body, and a URL becomes a link only when it is plain http(s).
    """
    count = 0
    for row in rows:
        if count:
            out.write("\n---\n\n")
        out.write(f"## {escape_inline(str(row['title'])) or '(untitled)'}\n\n")
        meta = [escape_inline(str(row["source"]))]
        if row.get("published"):
            stamp = str(row["published"])[:10]
            meta.append(f"~{stamp}" if row.get("published_inferred") else stamp)
        if row.get("topics"):
            meta.append(", ".join(escape_inline(str(t)) for t in row["topics"]))
        out.write("*" + " · ".join(meta) + "*\n\n")
        if row.get("url"):
            target = link_target(str(row["url"]))
            out.write(f"{target}\n\n" if target else f"{escape_inline(str(row['url']))}\n\n")
        out.write(escape_block(str(row["body"])).rstrip() + "\n")
        count += 1
    return count


def write(fmt: str, rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write ``rows`` in ``fmt``; return how many were written."""
    writers = {"jsonl": write_jsonl, "json": write_json, "markdown": write_markdown}
    return writers[fmt](rows, out)


def write_file(fmt: str, rows: Iterable[dict[str, Any]], path: Path) -> int:
    """Write ``rows`` in ``fmt`` to ``path``; return how many were written.

    The export goes to a temporary file beside ``path`` and is renamed over it only when
    complete and synced, so a full disk, an error while reading the library or a crash
    leaves no partial (or 0-byte) export and never spoils an earlier file of that name. A
    write failure raises :class:`ExportError` with one clear line.
    """
    path = Path(path)
    partial: Path | None = None
    try:
        # Created like any new file (the umask applies), under a name nothing else uses.
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with open(fd, "w", encoding="utf-8", newline="\n") as handle:
            count = write(fmt, rows, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as exc:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise ExportError(
            f"{path}: cannot write the export ({_reason(exc)}); nothing was written"
        ) from exc
    except BaseException:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    return count


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)
