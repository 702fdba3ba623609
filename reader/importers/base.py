"""What every importer returns, and the warning sink they share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from reader.types import ParsedArticle

#: Warnings kept per file; beyond this they are only counted, so a damaged million-line
#: file cannot flood the summary (or memory).
MAX_WARNINGS = 20


class WarningList(list[str]):
    """A list of warnings that stops growing after :data:`MAX_WARNINGS` and counts the rest.

    Importers append while the articles stream, so callers read it after iterating.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def warn(self, message: str) -> None:
        if len(self) < MAX_WARNINGS:
            self.append(message)
            return
        self.dropped += 1
        note = f"... and {self.dropped} more warning(s)"
        if self.dropped == 1:
            self.append(note)
        else:
            self[-1] = note


@dataclass
class ParsedFile:
    """One opened input file: its format, source, encoding and a lazy stream of articles.

    ``articles`` can be iterated once. It raises :class:`reader.errors.ImportFailed` when it
    meets damage mid-file, so a caller that stores inside a transaction can roll back.
    ``warnings`` grows while ``articles`` is iterated: read it afterwards.
    """

    format: str  # "listing" | "forum" | "jsonl" | "text"
    source: str
    encoding: str
    articles: Iterator[ParsedArticle]
    warnings: list[str] = field(default_factory=WarningList)
    #: Size of the file in bytes, and how many of them have been read so far: a progress
    #: bar for one big file is ``bytes_read() / size_bytes``.
    size_bytes: int = 0
    bytes_read: Callable[[], int] = field(default=lambda: 0)
