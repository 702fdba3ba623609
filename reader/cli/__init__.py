"""The ``broadsheet`` command.

With no subcommand it opens the window. Every subcommand takes ``--library PATH`` (default:
the per-user library). Expected failures print one line naming the file or item and the
reason, and exit with status 1; there is never a traceback for them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from reader import __version__
from reader.errors import BroadsheetError, MissingDependency

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    # The command modules (and through them sqlite-utils and the rest) load here, inside
    # main's ImportError handler, so a broken install gets one line, not a traceback.
    from reader.cli import feeds, library, notes, safety, stories, topics

    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Offline news reader that groups rewrites of one event into stories. "
        "Run without a command to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    add_library_option(parser)
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window, process events for two seconds and quit (for packaging)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (library, stories, topics, notes, safety, feeds):
        module.register(commands)
    return parser


def add_library_option(parser: argparse.ArgumentParser) -> None:
    """``--library PATH``, accepted before or after the subcommand."""
    parser.add_argument(
        "--library",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="library file to use (default: the library in your user data folder)",
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``broadsheet`` command and ``python -m reader``."""
    try:
        parser = build_parser()
    except ImportError as exc:
        return _missing(exc)
    args = parser.parse_args(argv)
    if not hasattr(args, "library"):
        args.library = None
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is None:
            from reader.gui.app import run_gui

            return run_gui(library=args.library, smoke_test=args.smoke_test)
        return handler(args)
    except ImportError as exc:
        return _missing(exc)
    except BroadsheetError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted")
    except BrokenPipeError:
        sys.stderr.close()
        return 1


def fail(message: str) -> int:
    """Print one clear line to stderr and return the failure status."""
    print(f"broadsheet: {message}", file=sys.stderr)
    return 1


def _missing(exc: ImportError) -> int:
    """A broken install names the package it lacks in one line, never a traceback.

    An ImportError inside Broadsheet's own package is a bug, not a missing package.
    """
    if (exc.name or "").split(".")[0] == "reader":
        raise exc
    return fail(str(MissingDependency(exc)))
