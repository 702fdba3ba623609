"""Turning input files into :class:`reader.types.ParsedArticle` streams. Pure parsing: no SQL.

Public API::

    for item in iter_input_files(paths):          # Path, or ImportFailed for a bad argument
        with open_import(path) as parsed:         # ParsedFile, or raises ImportFailed
            for article in parsed.articles:       # lazy; may raise ImportFailed mid-file
                ...
            parsed.warnings                       # complete once articles are exhausted

The format is sniffed from the content (:mod:`.sniff`), the encoding detected from a sample
and the whole file stream-decoded (:mod:`.decode`), so memory stays flat for any file size.
Every expected failure is an :class:`reader.errors.ImportFailed` whose reason names the
problem; any other exception is a bug.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from reader.errors import ImportFailed
from reader.importers import decode, forum, jsonl, listing, single, sniff
from reader.importers.base import ParsedFile, WarningList
from reader.types import ParsedArticle

__all__ = ["ImportFailed", "ParsedFile", "iter_input_files", "open_import"]


def _visible_files(folder: Path) -> list[Path]:
    """Regular files under ``folder``, recursively, sorted, skipping hidden files/folders."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / name for name in sorted(files) if not name.startswith("."))
    return found


def iter_input_files(paths: Sequence[Path]) -> Iterator[Path | ImportFailed]:
    """Expand the user's paths into files to import, in a stable order.

    Folders are walked recursively (sorted, hidden entries skipped). A missing path or a
    folder without files becomes an :class:`ImportFailed` item rather than an exception, so
    the caller reports it and goes on with the other paths.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = _visible_files(path)
            if not files:
                yield ImportFailed(path, "folder holds no files")
            yield from files
        elif path.exists():
            yield path
        elif path.is_symlink():
            yield ImportFailed(path, "broken link: the file it points to does not exist")
        else:
            yield ImportFailed(path, "no such file or folder")


_PARSERS = {
    sniff.LISTING: listing.parse,
    sniff.FORUM: forum.parse,
    sniff.JSONL: jsonl.parse,
    sniff.TEXT: single.parse,
}


def _guarded(path: Path, articles: Iterator[ParsedArticle]) -> Iterator[ParsedArticle]:
    """Turn read errors met mid-stream into ImportFailed."""
    try:
        yield from articles
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror or exc})") from None
    except MemoryError:
        raise ImportFailed(path, "not enough memory to read the file") from None


#: The longest sample read to tell a file's format. A sample starts at
#: :data:`decode.SAMPLE_BYTES` and grows eightfold while it cannot tell (a JSON Lines row,
#: or a listing's first article, longer than the sample); the real reason is given past this.
MAX_SAMPLE_BYTES = 8 * 1024 * 1024


def _detect_and_sniff(path: Path, handle: BinaryIO) -> tuple[decode.Detected, str]:
    size = decode.SAMPLE_BYTES
    while True:
        try:
            handle.seek(0)
            detected = decode.detect(path, handle, size)
        except OSError as exc:
            raise ImportFailed(path, f"cannot read the file ({exc.strerror or exc})") from None
        try:
            return detected, sniff.sniff(
                path, detected.sample_lines, detected.complete, detected.partial
            )
        except sniff.NeedMore as more:
            if size >= MAX_SAMPLE_BYTES:
                raise ImportFailed(path, more.reason(size)) from None
            size = min(size * 8, MAX_SAMPLE_BYTES)


@contextmanager
def open_import(path: Path) -> Iterator[ParsedFile]:
    """Open ``path``, detect its encoding and format, and yield a :class:`ParsedFile`.

    Raises :class:`ImportFailed` for a missing path, a folder, an empty, binary or
    undecodable file, text in no known format, and (while ``articles`` is iterated)
    damage further into the file. The file stays open until the ``with`` block ends.
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImportFailed(path, "no such file or folder") from None
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportFailed(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ImportFailed(path, "not a regular file")
    if info.st_size == 0:
        raise ImportFailed(path, "empty file")
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror or exc})") from None
    with handle:
        detected, kind = _detect_and_sniff(path, handle)
        warnings = WarningList()
        counter = decode.ByteCounter()
        lines = decode.iter_lines(path, handle, detected, counter=counter)
        source, articles = _PARSERS[kind](path, lines, warnings)
        yield ParsedFile(
            format=kind,
            source=source,
            encoding=detected.encoding,
            articles=_guarded(path, articles),
            warnings=warnings,
            size_bytes=info.st_size,
            bytes_read=counter,
        )
