"""Facade verbs for stories. Mixed into :class:`reader.library.Library`."""

from __future__ import annotations

from reader.library.base import LibraryBase


class StoryVerbs(LibraryBase):
    """Verbs for stories (filled in by the stories issue)."""
