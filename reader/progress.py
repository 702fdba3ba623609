"""The plain callables that long core operations take, so Qt workers and the CLI can wrap them.

``progress(done, total, message)`` may be called often; ``total`` is 0 when unknown.
``cancelled()`` is polled between units of work; when it returns True the operation raises
:class:`reader.errors.Cancelled` after rolling back the unit in progress.
"""

from __future__ import annotations

from collections.abc import Callable

from reader.errors import Cancelled

Progress = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]


def no_progress(done: int, total: int, message: str) -> None:
    """Default progress sink: ignore."""


def never_cancelled() -> bool:
    """Default cancel check: never."""
    return False


def check_cancelled(cancelled: CancelCheck, what: str = "operation") -> None:
    """Raise :class:`Cancelled` if the user asked to stop."""
    if cancelled():
        raise Cancelled(what)
