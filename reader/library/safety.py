"""Facade verbs for safety. Mixed into :class:`reader.library.Library`."""

from __future__ import annotations

from reader.library.base import LibraryBase


class SafetyVerbs(LibraryBase):
    """Verbs for safety (filled in by the safety issue)."""
