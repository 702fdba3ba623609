"""What a salvage kept and lost, per table, as the user reads it after ``recover``.

Apart from :mod:`reader.storage.salvage` so the copying there reads on its own: these are the
value types it fills, and the one-line-per-table report the CLI and the window print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class TableSalvage:
    """One table's outcome: rows copied, and what could not be read."""

    copied: int = 0
    method: str = "sql"  # "sql": SQLite read it whole; "pages": read page by page
    damaged_pages: int = 0
    rescued: int = 0  # rows found on leaf pages cut off from the table's tree
    unreadable_rows: int = 0  # cells seen but not decodable
    missing_ids: list[int] = field(default_factory=list)  # ids in damaged ranges, not found


@dataclass(frozen=True, slots=True)
class SalvageResult:
    """What :func:`salvage` kept: per table, rows copied and what could not be read, and
    where the damaged file now lives."""

    damaged_moved_to: Path | None
    tables: dict[str, TableSalvage] = field(default_factory=dict)

    @property
    def copied(self) -> dict[str, int]:
        return {name: t.copied for name, t in self.tables.items()}

    def lines(self) -> list[str]:
        """The report, one line per table that was not read whole."""
        out: list[str] = []
        for name, t in self.tables.items():
            if t.method == "sql" or not (
                t.damaged_pages or t.rescued or t.missing_ids or t.unreadable_rows
            ):
                continue
            parts = [f"{name}: {t.copied:,} rows recovered"]
            if t.rescued:
                parts.append(f"{t.rescued:,} of them from pages cut off by damage")
            if t.damaged_pages:
                parts.append(f"{t.damaged_pages} damaged page(s)")
            if t.missing_ids:
                parts.append(f"not recovered: ids {id_ranges(t.missing_ids)}")
            if t.unreadable_rows:
                parts.append(f"{t.unreadable_rows} unreadable row(s)")
            out.append("; ".join(parts))
        return out


def id_ranges(ids: list[int], limit: int = 8) -> str:
    spans: list[tuple[int, int]] = []
    for i in sorted(ids):
        if spans and i == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], i)
        else:
            spans.append((i, i))
    text = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans[:limit])
    more = f" and {len(spans) - limit} more range(s)" if len(spans) > limit else ""
    return f"{text}{more} ({len(ids):,} in all)"
