"""What happens when a query the window runs on its own thread meets a damaged, read-only,
busy or full library after start-up.

The window reads on the GUI thread in many places (the story list pages in, counts refresh,
an article opens), each a Qt slot or virtual; an exception there reaches ``sys.excepthook``,
whose default prints a traceback and carries on with a half-drawn window. The hook installed
here turns an expected failure into what the user can act on: damage gets the same recovery
offer as damage found by the background check (restore the newest good backup or start a new
library, the damaged file kept), once however many queries meet it; a busy, read-only or
full library gets a line in the status bar. Each prints one line to stderr instead of a
traceback. Anything else is a bug and keeps the default traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from reader.errors import BroadsheetError, DamagedLibraryError, LibraryError
from reader.library import Library

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class ErrorHook:
    """The installed hook (kept so it can be removed when the window closes)."""

    def __init__(self, window: MainWindow, previous: Hook) -> None:
        self.window = window
        self.previous = previous
        self.offering = False

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        error = Library.explain_failure(self.window.library.path, exc)
        if error is None:
            self.previous(kind, exc, tb)
            return
        print(f"broadsheet: {error}", file=sys.stderr)
        if isinstance(error, DamagedLibraryError):
            if self.offering:
                return  # every query after the first meets the same damage
            self.offering = True
        # The hook may run on a worker's thread: the window is acted on from its own, later
        # (the timer's context object queues the call there).
        QTimer.singleShot(0, self.window, lambda: self._act(error))

    def _act(self, error: BroadsheetError) -> None:
        if not isinstance(error, DamagedLibraryError):
            reason = error.reason if isinstance(error, LibraryError) else str(error)
            self.window.status.show(reason, 20_000)
            return
        try:
            self.window.housekeeping.offer_recovery(error.reason)
        finally:
            self.offering = False


def install(window: MainWindow) -> ErrorHook:
    """Route uncaught exceptions of ``window``'s thread through an :class:`ErrorHook`."""
    hook = ErrorHook(window, sys.excepthook)
    sys.excepthook = hook
    return hook


def uninstall(hook: ErrorHook) -> None:
    if sys.excepthook is hook:
        sys.excepthook = hook.previous
