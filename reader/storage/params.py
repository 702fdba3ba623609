"""Passing many ids to SQLite: chunks that fit its variable limit, and their placeholders.

One helper for every storage module, so the limit is decided once: ``IN (...)`` lists of
:data:`CHUNK` ids stay below the 999 variables of older SQLite builds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence, Sized
from typing import TypeVar

T = TypeVar("T")

#: Ids per ``IN (...)`` statement (SQLite's variable limit is 999 on old builds).
CHUNK = 500


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(items: Sized) -> str:
    """One placeholder per item, for an ``IN (...)`` list of ``items``."""
    return ",".join("?" * len(items))
