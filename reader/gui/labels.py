"""Short user-facing labels shared by the panes (dates, badges). Plain Python."""

from __future__ import annotations

from datetime import datetime

from reader.types import StoryRow


def date_label(when: datetime | None, inferred: bool = False) -> str:
    """``30 Jan 2025``; an inferred date is approximate: ``~30 Jan 2025``; none: ``""``."""
    if when is None:
        return ""
    text = f"{when.day} {when:%b %Y}"
    return f"~{text}" if inferred else text


def badge(row: StoryRow) -> str:
    """``5 versions · 2 sources`` (empty for a single version)."""
    if row.size <= 1:
        return ""
    versions = f"{row.size} versions"
    if row.source_count > 1:
        return f"{versions} · {row.source_count} sources"
    return versions


def sources_label(row: StoryRow, limit: int = 2) -> str:
    names = list(row.sources)
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" +{len(names) - limit}"


def marks(row: StoryRow) -> str:
    return ("★" if row.starred else "") + ("✎" if row.has_note else "")
