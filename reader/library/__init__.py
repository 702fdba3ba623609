"""The one facade the GUI and the CLI talk to.

``Library`` is assembled from small verb mixins, one module per capability, so each stays
readable; all of them share one connection and the helpers in :mod:`reader.library.base`.
A ``Library`` belongs to the thread that opened it (like its sqlite connection).
"""

from __future__ import annotations

from reader.library.core import CoreVerbs
from reader.library.discovery import DiscoveryVerbs
from reader.library.feeds import FeedVerbs
from reader.library.notes import NoteVerbs
from reader.library.read_state import ReadStateVerbs
from reader.library.safety import SafetyVerbs
from reader.library.stories import StoryVerbs
from reader.library.topics import TopicVerbs


class Library(
    ReadStateVerbs, StoryVerbs, TopicVerbs, NoteVerbs, SafetyVerbs, DiscoveryVerbs, FeedVerbs,
    CoreVerbs,
):
    """Open with :meth:`Library.open`; close with :meth:`close` or a ``with`` block."""


__all__ = ["Library"]
