"""``broadsheet import``, ``stats`` and ``export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from reader import export
from reader.cli.output import date_text, interruptible, progress_bar, with_library
from reader.library import Library
from reader.types import ImportReport


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from reader.cli import add_library_option

    cmd = commands.add_parser(
        "import", help="import files or folders (formats are sniffed from content)"
    )
    cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_import))

    cmd = commands.add_parser("stats", help="counts by source, stories, date range, size")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_stats))

    cmd = commands.add_parser("export", help="write the library as JSON Lines, JSON or Markdown")
    cmd.add_argument("--format", choices=export.FORMATS, default="jsonl")
    cmd.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    cmd.add_argument("--topic", help="export only the articles in this topic")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_export))


def print_report(report: ImportReport, out: TextIO | None = None) -> None:
    """The import summary: one line per file, then totals. Failures go to stderr."""
    out = out if out is not None else sys.stdout  # looked up now: it may have been swapped
    for item in report.files:
        if item.error is not None:
            print(f"broadsheet: {item.path}: {item.error}", file=sys.stderr)
            continue
        if item.skipped_same_file:
            print(f"{item.path}: already imported ({item.already_present} articles)", file=out)
            continue
        line = (
            f"{item.path}: {item.added} added, {item.already_present} already present"
            f" ({item.format}, source {item.source!r})"
        )
        print(line, file=out)
        for warning in item.warnings:
            print(f"  note: {warning}", file=out)
    total = (
        f"Imported {len(report.files) - len(report.failed)} of {len(report.files)} file(s): "
        f"{report.added} added, {report.already_present} already present"
    )
    if report.failed:
        total += f", {len(report.failed)} failed"
    if report.cancelled:
        total += " (cancelled: the file in progress was rolled back)"
    print(total, file=out)


def run_import(args: argparse.Namespace, library: Library) -> int:
    with interruptible() as cancelled, progress_bar() as bar:
        report = library.import_paths(args.paths, progress=bar, cancelled=cancelled)
    print_report(report)
    return 1 if report.failed or report.cancelled else 0


def run_stats(args: argparse.Namespace, library: Library) -> int:
    stats = library.stats()
    print(f"Library: {stats.path}")
    print(f"Size: {stats.size_bytes / 1_048_576:.1f} MB")
    print(f"Articles: {stats.articles}")
    print(f"Stories: {stats.stories}")
    print(f"Notes: {stats.notes}")
    if stats.first_published or stats.last_published:
        print(
            f"Dates: {date_text(stats.first_published)} to {date_text(stats.last_published)}"
        )
    else:
        print("Dates: none known")
    print("Sources:")
    if not stats.sources:
        print("  (none yet: import files with `broadsheet import PATH`)")
    for source in stats.sources:
        print(f"  {source.articles:>8}  {source.name}  ({source.unread} unread)")
    return 0


def run_export(args: argparse.Namespace, library: Library) -> int:
    rows = library.export_rows(topic=args.topic)
    if args.output is None:
        export.write(args.format, rows, sys.stdout)
        return 0
    count = export.write_file(args.format, rows, args.output)  # temporary file, then renamed
    print(f"Exported {count} articles to {args.output}", file=sys.stderr)
    return 0
