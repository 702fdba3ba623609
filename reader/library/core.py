"""Core verbs: importing, reading, read state, stats and export. (Being written.)"""

from __future__ import annotations

from reader.library.base import LibraryBase


class CoreVerbs(LibraryBase):
    """Import, read, mark, export."""
