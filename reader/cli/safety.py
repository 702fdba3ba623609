"""``broadsheet backup``, ``restore``, ``backups``, ``check`` and ``repair``.

``restore`` never opens the current library as a library, so it works when that file is
damaged, truncated or written by a newer Broadsheet; the replaced file is moved aside.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.output import (
    REPAIR_HINT,
    library_path,
    progress_bar,
    terminal_safe_output,
    with_library,
)
from reader.errors import DamagedLibraryError
from reader.library import Library
from reader.library.safety import SalvageResult
from reader.types import CheckReport


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from reader.cli import add_library_option

    cmd = commands.add_parser(
        "backup", help="back up the library now (default: a dated file in backups/)"
    )
    cmd.add_argument(
        "dest", nargs="?", type=Path, metavar="DEST",
        help="folder to put the dated backup in, or a new file name",
    )
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_backup))

    cmd = commands.add_parser(
        "restore",
        help="replace the library with a backup (the current file is moved aside, not deleted)",
    )
    cmd.add_argument(
        "backup", type=Path, metavar="BACKUP",
        help="a backup file, or 'newest' for the newest good dated backup",
    )
    add_library_option(cmd)
    cmd.set_defaults(handler=run_restore)

    cmd = commands.add_parser(
        "backups", help="list the dated backups, newest first, and whether each was verified"
    )
    cmd.add_argument(
        "--verify", action="store_true",
        help="run the full integrity check on every backup now (read-only) and record it",
    )
    add_library_option(cmd)
    cmd.set_defaults(handler=run_list)

    cmd = commands.add_parser(
        "check", help="full integrity check, and the search index against the articles"
    )
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_check))

    cmd = commands.add_parser(
        "repair",
        help="rebuild the search index and the stories/topics from the articles (notes kept)",
    )
    add_library_option(cmd)
    cmd.set_defaults(handler=run_repair)


def run_backup(args: argparse.Namespace, library: Library) -> int:
    made = library.backup(args.dest)
    print(f"Backed up {library.path} to {made}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    library = library_path(args)
    backup: Path = args.backup
    if str(backup) == "newest" and not backup.exists():
        info = Library.newest_good_backup(library)
        if info is None:
            print(f"broadsheet: {library}: no good backup found", file=sys.stderr)
            return 1
        backup = Path(info.path)
    moved = Library.restore_from(backup, library)
    print(f"Restored {library} from {backup}")
    if moved is not None:
        print(f"The replaced library was kept as {moved}")
    return 0


#: How ``backups`` shows each backup's check.
VERIFIED = {True: "verified", False: "DAMAGED", None: "not verified"}


def run_list(args: argparse.Namespace) -> int:
    library = library_path(args)
    found = (Library.verify_backups if args.verify else Library.list_backups_of)(library)
    if not found:
        print(f"No backups of {library} yet (make one with `broadsheet backup`).")
        return 0
    for info in found:
        when = info.created.strftime("%Y-%m-%d %H:%M:%S UTC")
        state = VERIFIED[info.verified]
        print(f"{when}  {info.size_bytes / 1_048_576:8.1f} MB  {state:<12}  {info.path}")
    if any(info.verified is None for info in found) and not args.verify:
        print("(`broadsheet backups --verify` checks the unverified ones)", file=sys.stderr)
    return 0


def print_check(report: CheckReport) -> None:
    kind = "Full integrity check" if report.full else "Quick check"
    print(f"{kind}: {'ok' if report.ok else 'PROBLEMS FOUND'} ({report.seconds:.1f} s)")
    print(f"Articles: {report.articles} (search index: {report.articles_indexed})")
    print(f"Notes: {report.notes} (search index: {report.notes_indexed})")
    for problem in report.problems:
        print(f"  problem: {problem}")


def run_check(args: argparse.Namespace, library: Library) -> int:
    report = library.check(full=True)
    print_check(report)
    if library.read_only:
        print("(the library is read-only: the search index was compared row by row)")
    if not report.ok:
        print(f"broadsheet: to fix it, {REPAIR_HINT}", file=sys.stderr)
        return 1
    return 0


def run_repair(args: argparse.Namespace) -> int:
    path = library_path(args)
    try:
        with terminal_safe_output():
            report, complete = _repair(path)
    except Exception as exc:
        error = Library.explain_failure(path, exc)
        if error is None:
            raise
        if isinstance(error, DamagedLibraryError) and "restore newest" not in error.reason:
            raise DamagedLibraryError(
                path, f"{error.reason}. `broadsheet restore newest` goes back to the newest "
                "good backup (the current file is kept)"
            ) from exc
        if error is exc:
            raise
        raise error from exc
    print_check(report)
    if complete:
        print(f"Repaired {path}; notes and your grouping corrections were kept.")
    else:
        print(f"Repaired {path} with every row that could be read (the losses are listed "
              "above); `broadsheet restore newest` would go back to the newest good backup.")
    return 0


def _repair(path: Path) -> tuple[CheckReport, bool]:
    """Repair (salvaging first if the file does not open); True when nothing was lost."""
    with progress_bar() as bar:
        try:
            library = Library.open(path, create=False)
        except DamagedLibraryError as exc:
            print(f"broadsheet: {exc}", file=sys.stderr)
            print("Salvaging every readable row into a fresh library...", file=sys.stderr)
            first = Library.salvage_file(path, bar)
            bar.finish()
            _print_salvage(first)
            library = Library.open(path, create=False)
            salvaged: SalvageResult | None = first
        else:
            salvaged = None
        with library:
            report = library.repair(progress=bar)
            bar.finish()
            if library.salvage_report is not None:
                salvaged = library.salvage_report
                _print_salvage(salvaged)
    return report, salvaged is None or not salvaged.lines()


def _print_salvage(result: SalvageResult) -> None:
    lines = result.lines()
    if lines:
        print("Salvaged the readable rows; these could not be read in full:", file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
    else:
        print("Salvaged every row of the damaged library.", file=sys.stderr)
    if result.damaged_moved_to is not None:
        print(f"The damaged file was kept as {result.damaged_moved_to}", file=sys.stderr)
