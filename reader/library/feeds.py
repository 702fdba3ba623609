"""Facade verbs for feeds. Mixed into :class:`reader.library.Library`."""

from __future__ import annotations

from reader.library.base import LibraryBase


class FeedVerbs(LibraryBase):
    """Verbs for feeds (filled in by the feeds issue)."""
