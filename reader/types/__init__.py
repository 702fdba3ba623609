"""Immutable value types shared by the core, the CLI and the GUI.

The facade (:class:`reader.library.Library`) returns these, never sqlite rows, so that
widgets and models do not know the schema.

The types live by what shows them (:mod:`.importing`, :mod:`.reading`, :mod:`.sidebar`);
this module names them all, so callers import from ``reader.types``.
"""

from reader.types.importing import (
    FeedInfo,
    FeedOutcome,
    FileOutcome,
    ImportReport,
    ParsedArticle,
)
from reader.types.reading import (
    Article,
    Changes,
    GroupReason,
    MarkedRead,
    ReadFilter,
    SentenceSpan,
    SourceCount,
    Stats,
    StoryDetail,
    StoryQuery,
    StoryRow,
    StorySort,
    VersionRow,
)
from reader.types.sidebar import (
    BackupInfo,
    CheckReport,
    Facet,
    Note,
    SearchHit,
    SidebarCounts,
    Topic,
    ViewCount,
)

__all__ = [
    "Article",
    "BackupInfo",
    "Changes",
    "CheckReport",
    "Facet",
    "FeedInfo",
    "FeedOutcome",
    "FileOutcome",
    "GroupReason",
    "ImportReport",
    "MarkedRead",
    "Note",
    "ParsedArticle",
    "ReadFilter",
    "SearchHit",
    "SentenceSpan",
    "SidebarCounts",
    "SourceCount",
    "Stats",
    "StoryDetail",
    "StoryQuery",
    "StoryRow",
    "StorySort",
    "Topic",
    "VersionRow",
    "ViewCount",
]
