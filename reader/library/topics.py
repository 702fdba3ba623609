"""Facade verbs for topics. Mixed into :class:`reader.library.Library`."""

from __future__ import annotations

from reader.library.base import LibraryBase


class TopicVerbs(LibraryBase):
    """Verbs for topics (filled in by the topics issue)."""
