"""Facade verbs for notes. Mixed into :class:`reader.library.Library`."""

from __future__ import annotations

from reader.library.base import LibraryBase


class NoteVerbs(LibraryBase):
    """Verbs for notes (filled in by the notes issue)."""
