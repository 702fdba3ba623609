"""``broadsheet notes list|search|export`` and ``broadsheet note show|set``.

Notes are the user's own writing, so the terminal gets every way in and out of them: reading
them without the window, exporting them as Markdown, and setting one from a script or a pipe.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.output import date_text, with_library
from reader.library import Library


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from reader.cli import add_library_option

    notes = commands.add_parser("notes", help="list, search or export the notes on stories")
    verbs = notes.add_subparsers(dest="notes_command", metavar="ACTION", required=True)

    cmd = verbs.add_parser("list", help="print every note, newest edit first")
    cmd.add_argument("--full", action="store_true", help="print whole notes, not snippets")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_list))

    cmd = verbs.add_parser("search", help="find notes containing words (search-box syntax)")
    cmd.add_argument("query", metavar="QUERY")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_search))

    cmd = verbs.add_parser(
        "export",
        help="write one Markdown file per noted story into DIR (existing files are kept)",
    )
    cmd.add_argument("directory", type=Path, metavar="DIR")
    cmd.add_argument(
        "--single",
        type=Path,
        metavar="FILE",
        help="write every note into one document instead (a relative FILE goes inside DIR)",
    )
    add_library_option(notes)
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_export))

    note = commands.add_parser("note", help="show or set the note on one story")
    verbs = note.add_subparsers(dest="note_command", metavar="ACTION", required=True)
    cmd = verbs.add_parser("show", help="print the note on STORY (a story id)")
    cmd.add_argument("story", type=int, metavar="STORY")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_show))

    cmd = verbs.add_parser(
        "set", help="replace the note on STORY with TEXT ('-' reads standard input; '' deletes)"
    )
    cmd.add_argument("story", type=int, metavar="STORY")
    cmd.add_argument("text", metavar="TEXT")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_set))


def run_list(args: argparse.Namespace, library: Library) -> int:
    notes = library.notes()
    if not notes:
        print("No notes yet.", file=sys.stderr)
        return 0
    for index, note in enumerate(notes):
        if index and args.full:
            print()
        edited = date_text(note.updated_at)
        print(f"[{note.story_id}] {note.headline}  (edited {edited})")
        if args.full:
            print(note.body.rstrip("\n"))
        else:
            print(f"    {library.note_snippet(note, 100)}")
    return 0


def run_search(args: argparse.Namespace, library: Library) -> int:
    hits = library.search_notes(args.query)
    if not hits:
        print("No note matches.", file=sys.stderr)
        return 1
    for hit in hits:
        print(f"[{hit.story_id}] {hit.headline}")
        print(f"    {hit.snippet}")
    return 0


def run_export(args: argparse.Namespace, library: Library) -> int:
    total = len(library.notes())
    if not total:
        print("No notes to export.", file=sys.stderr)
        return 0
    written = library.export_notes(args.directory, single=args.single)
    for path in written:
        print(path)
    print(f"Exported {total} note(s) to {len(written)} file(s).", file=sys.stderr)
    return 0


def run_show(args: argparse.Namespace, library: Library) -> int:
    story = library.story_row(args.story)  # NotFound -> one clear line, status 1
    note = library.note(args.story)
    if note is None:
        print(f"Story {story.id} ({story.headline}) has no note.", file=sys.stderr)
        return 1
    print(note.body.rstrip("\n"))
    return 0


#: How long ``note set`` waits for another program's write (an import) to finish.
NOTE_WAIT_S = 30 * 60


def _say_waiting() -> None:
    print(
        "broadsheet: another program is writing to the library (an import?); waiting for it "
        "to finish (Ctrl+C gives up)", file=sys.stderr,
    )


def run_set(args: argparse.Namespace, library: Library) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    library.save_note(args.story, text, wait=NOTE_WAIT_S, waiting=_say_waiting)
    if text.strip():
        print(f"Saved the note on story {args.story}.", file=sys.stderr)
    else:
        print(f"Deleted the note on story {args.story}.", file=sys.stderr)
    return 0
