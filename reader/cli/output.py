"""Small helpers the command modules share: opening the library (and explaining why it
cannot be used), progress bars, dates, and keeping control characters off the terminal."""

from __future__ import annotations

import argparse
import io
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TextIO

from reader.errors import BroadsheetError, DamagedLibraryError
from reader.library import Library
from reader.paths import default_library_path


def library_path(args: argparse.Namespace) -> Path:
    path = getattr(args, "library", None)
    return Path(path).expanduser().absolute() if path is not None else default_library_path()


def open_library(args: argparse.Namespace) -> Library:
    return Library.open(getattr(args, "library", None))


#: Appended to every message about a damaged library.
REPAIR_HINT = (
    "run `broadsheet repair` to salvage every readable row into a fresh library (the damaged "
    "file is kept), or `broadsheet restore newest` to go back to the newest good backup"
)


def explained(path: Path, exc: BaseException) -> BroadsheetError | None:
    """The one clear error for a failure on the library at ``path``: damage names ``repair``
    and ``restore``; read-only, busy and full-disk failures say so. None: not one of those."""
    error = Library.explain_failure(path, exc)
    if isinstance(error, DamagedLibraryError) and REPAIR_HINT not in error.reason:
        return DamagedLibraryError(error.path, f"{error.reason}. To fix it, {REPAIR_HINT}")
    return error


def with_library(
    run: Callable[[argparse.Namespace, Library], int],
) -> Callable[[argparse.Namespace], int]:
    """Wrap a command so it receives an open library that is closed afterwards.

    Whatever the command reads, a damaged library ends in one message naming ``repair`` and
    ``restore`` (never a traceback), and text from the library reaches a terminal without
    control characters (:class:`TerminalSafe`).
    """

    def handler(args: argparse.Namespace) -> int:
        path = library_path(args)
        with terminal_safe_output():
            try:
                with open_library(args) as library:
                    if library.read_only:
                        print(
                            f"broadsheet: {library.path} is read-only: reading works, changes "
                            "are refused", file=sys.stderr,
                        )
                    if library.backup_warning:
                        hint = f". To fix it, {REPAIR_HINT}" if library.backup_found_damage else ""
                        print(f"broadsheet: {library.backup_warning}{hint}", file=sys.stderr)
                    return run(args, library)
            except Exception as exc:
                error = explained(path, exc)
                if error is None or error is exc:
                    raise
                raise error from exc

    return handler


#: C0 controls except tab and newline, DEL, and C1 controls: what a terminal may act on
#: (ESC starts colour, cursor and title sequences; CSI/OSC have C1 forms too).
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without the characters a terminal could act on (keeps tab and newline)."""
    return _TERMINAL_CONTROLS.sub("", text)


class TerminalSafe(io.TextIOBase):
    """A text stream that removes control characters before they reach a terminal.

    Defence in depth: imports already strip them from titles and sources, but a library
    written by an older version (or edited by hand) may hold some. Only terminals get the
    filter; output to a file or a pipe stays byte for byte what the library holds, so an
    export redirected to a file still restores exactly. ``\r`` is allowed on stderr only,
    for the progress bar.
    """

    def __init__(self, stream: TextIO, keep_return: bool = False) -> None:
        super().__init__()
        self.stream = stream
        self._pattern = (
            re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]") if keep_return
            else _TERMINAL_CONTROLS
        )

    def write(self, text: str) -> int:
        self.stream.write(self._pattern.sub("", text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self.stream, "encoding", "utf-8"))


@contextmanager
def terminal_safe_output() -> Iterator[None]:
    """Filter ``sys.stdout``/``sys.stderr`` through :class:`TerminalSafe` where they are
    terminals, for the duration of one command."""
    saved = sys.stdout, sys.stderr
    if sys.stdout.isatty():
        sys.stdout = TerminalSafe(sys.stdout)
    if sys.stderr.isatty():
        sys.stderr = TerminalSafe(sys.stderr, keep_return=True)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def date_text(value: datetime | None, inferred: bool = False) -> str:
    if value is None:
        return "undated"
    text = value.strftime("%d %b %Y").lstrip("0")
    return f"~{text}" if inferred else text


class ProgressBar:
    """A one-line progress bar on a terminal; silent when stderr is not a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        # Resolved per bar, not at import: sys.stderr may be swapped (tests, redirection).
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done != total:
            return
        self._last = now
        if total:
            width = 30
            filled = int(width * done / total)
            bar = "#" * filled + "-" * (width - filled)
            line = f"[{bar}] {done}/{total} {message}"
        else:
            line = f"{done} {message}"
        self.stream.write("\r" + line[:100].ljust(100))
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


@contextmanager
def interruptible() -> Iterator[Callable[[], bool]]:
    """A ``cancelled()`` callable that turns True on Ctrl+C, for long core operations.

    The operation then stops between units of work and rolls back the unit in progress,
    instead of dying mid-transaction with a traceback.
    """
    stop = {"requested": False}

    def on_interrupt(signum: int, frame: object) -> None:
        stop["requested"] = True

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield lambda: stop["requested"]
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def progress_bar() -> Iterator[ProgressBar]:
    bar = ProgressBar()
    try:
        yield bar
    finally:
        bar.finish()

