"""Small helpers the command modules share: progress bars, dates, opening the library."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TextIO

from reader.library import Library


def open_library(args: argparse.Namespace) -> Library:
    return Library.open(getattr(args, "library", None))


def with_library(
    run: Callable[[argparse.Namespace, Library], int],
) -> Callable[[argparse.Namespace], int]:
    """Wrap a command so it receives an open library that is closed afterwards."""

    def handler(args: argparse.Namespace) -> int:
        with open_library(args) as library:
            return run(args, library)

    return handler


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

