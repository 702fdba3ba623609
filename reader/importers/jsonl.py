"""JSON Lines: Broadsheet's own export, and any JSON Lines whose rows have title and body.

Export fields (all but ``title`` and ``body`` optional): ``id`` (kept as the external id),
``title``, ``body``, ``source`` (overrides the file's source, which is the file stem),
``published`` (ISO 8601 or null), ``published_inferred``, ``url``, ``story`` (kept as
``story_key`` so a restore can rebuild story membership), ``topics``, ``read``, ``starred``,
``note``. ``author`` and ``attachments`` are read when present. Unknown fields are ignored.

A row without a ``published`` key gets a date inferred from its text, as any dateless
format does; a row with ``"published": null`` says "no date" and is believed.

Any damage (a line that is not JSON, a row without title or body, a field of the wrong
type) raises :class:`ImportFailed` naming the line: a half-imported export would be worse
than none. Blank lines are ignored.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.dates import infer_date
from reader.errors import ImportFailed
from reader.importers.base import WarningList
from reader.types import ParsedArticle


class _RowError(ValueError):
    """A problem with one row; turned into ImportFailed with the line number."""


def _text(value: object, name: str, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise _RowError(f"the row has no {name!r}")
        return None
    if not isinstance(value, str):
        raise _RowError(f"{name!r} must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _RowError(f"{name!r} holds an invalid character (a lone surrogate)") from None
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value


def _flag(value: object, name: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _RowError(f"{name!r} must be true or false")


def _published(value: object) -> datetime | None:
    text = _text(value, "published")
    if text is None or not text.strip():
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise _RowError(f"'published' is not an ISO 8601 date: {text[:40]!r}") from None
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except OverflowError:
        raise _RowError(f"'published' is out of range: {text[:40]!r}") from None


def _strings(value: object, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _RowError(f"{name!r} must be a list of strings")
    items: list[str] = []
    for item in value:
        text = _text(item, name)
        if text is None:
            raise _RowError(f"{name!r} must be a list of strings")
        items.append(text)
    return tuple(items)


def _key(value: object, name: str) -> str | None:
    """An id-like field: a string or an integer, kept as a string."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _RowError(f"{name!r} must be a string or a number")
    return _text(str(value), name)


def row_to_article(row: dict[str, Any], position: int) -> ParsedArticle:
    """One decoded row to a ParsedArticle (raises _RowError on a bad field)."""
    title = _text(row.get("title"), "title", required=True)
    body = _text(row.get("body"), "body", required=True)
    assert title is not None and body is not None
    title = title.strip()
    if not title:
        raise _RowError("the row's 'title' is empty")
    body = body.strip()
    if "published" in row:
        published = _published(row["published"])
        inferred = _flag(row.get("published_inferred"), "published_inferred")
        if published is None:
            inferred = False
    else:
        published = infer_date(title) or infer_date(body)
        inferred = published is not None
    source = _text(row.get("source"), "source")
    return ParsedArticle(
        title=title,
        body=body,
        position=position,
        published=published,
        published_inferred=inferred,
        url=_text(row.get("url"), "url"),
        external_id=_key(row.get("id"), "id"),
        author=_text(row.get("author"), "author"),
        attachments=_strings(row.get("attachments"), "attachments"),
        source=(source.strip() or None) if source is not None else None,
        read=_flag(row.get("read"), "read"),
        starred=_flag(row.get("starred"), "starred"),
        note=_text(row.get("note"), "note"),
        story_key=_key(row.get("story"), "story"),
        topics=_strings(row.get("topics"), "topics"),
    )


def parse(
    path: Path, lines: Iterator[str], warnings: WarningList
) -> tuple[str, Iterator[ParsedArticle]]:
    """The file's source is its stem; rows may name their own."""
    return path.stem, _rows(path, lines)


def _rows(path: Path, lines: Iterator[str]) -> Iterator[ParsedArticle]:
    position = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            raise ImportFailed(
                path, f"line {number} is not valid JSON (damaged or truncated file)"
            ) from None
        if not isinstance(row, dict):
            raise ImportFailed(path, f"line {number} is not a JSON object")
        try:
            article = row_to_article(row, position)
        except _RowError as exc:
            raise ImportFailed(path, f"line {number}: {exc}") from None
        yield article
        position += 1
