"""``broadsheet topics`` (list, add, edit, remove) and ``broadsheet search``."""

from __future__ import annotations

import argparse
import sys

from reader.cli.output import date_text, progress_bar, with_library
from reader.library import Library


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from reader.cli import add_library_option

    cmd = commands.add_parser(
        "topics",
        help="list topics with their counts, or add, edit and remove them",
        description="Topics are views: assigning one never hides, moves or deletes anything. "
        'Rules use the search syntax: words, "phrases", AND, OR, NOT, parentheses, prefix*.',
    )
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_list))
    sub = cmd.add_subparsers(dest="topics_command", metavar="ACTION")

    add = sub.add_parser("add", help="create a topic from a rule")
    add.add_argument("name")
    add.add_argument("rule", help='e.g. \'"Kerch Strait" AND (oil OR spill)\'')
    add_library_option(add)
    add.set_defaults(handler=with_library(run_add))

    edit = sub.add_parser("edit", help="change a topic's rule (and optionally its name)")
    edit.add_argument("name")
    edit.add_argument("rule")
    edit.add_argument("--rename", metavar="NEW_NAME", help="also give the topic a new name")
    add_library_option(edit)
    edit.set_defaults(handler=with_library(run_edit))

    remove = sub.add_parser("remove", help="delete a topic (its articles stay)")
    remove.add_argument("name")
    add_library_option(remove)
    remove.set_defaults(handler=with_library(run_remove))

    search = commands.add_parser(
        "search",
        help="full-text search of titles, bodies and notes",
        description='Words, "phrases", AND, OR, NOT, parentheses and prefix*. Any text is '
        "accepted: stray operators and punctuation are searched as plain words.",
    )
    search.add_argument("query")
    search.add_argument("--topic", metavar="NAME", help="only stories in this topic")
    search.add_argument("--source", metavar="NAME", help="only articles from this source")
    search.add_argument("--unread", action="store_true", help="only unread articles")
    search.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    add_library_option(search)
    search.set_defaults(handler=with_library(run_search))


def run_list(args: argparse.Namespace, library: Library) -> int:
    topics = library.topics()
    if not topics:
        print("No topics. Add one with: broadsheet topics add NAME RULE")
        return 0
    width = max(len(t.name) for t in topics)
    print(f"{'Topic':<{width}}  {'Articles':>8}  {'Unread':>6}  Rule")
    for t in topics:
        kind = "" if t.builtin else " (yours)"
        rule = t.rule if len(t.rule) <= 60 else t.rule[:57] + "..."
        print(f"{t.name:<{width}}  {t.total:>8}  {t.unread:>6}  {rule}{kind}")
    return 0


def run_add(args: argparse.Namespace, library: Library) -> int:
    with progress_bar() as bar:
        topic = library.add_topic(args.name, args.rule, progress=bar)
    print(f"Added topic {topic.name!r}: {topic.total} articles ({topic.unread} unread)")
    return 0


def run_edit(args: argparse.Namespace, library: Library) -> int:
    with progress_bar() as bar:
        topic = library.edit_topic(args.name, args.rule, args.rename, progress=bar)
    print(f"Saved topic {topic.name!r}: {topic.total} articles ({topic.unread} unread)")
    return 0


def run_remove(args: argparse.Namespace, library: Library) -> int:
    name = library.topic(args.name).name
    library.remove_topic(name)
    print(f"Removed topic {name!r} (no article was deleted)")
    return 0


def run_search(args: argparse.Namespace, library: Library) -> int:
    hits = library.search(
        args.query, topic=args.topic, source=args.source, unread=args.unread, limit=args.limit
    )
    if not hits:
        print("No matches.", file=sys.stderr)
        return 0
    for hit in hits:
        where = {"title": "title", "body": "text", "note": "note"}[hit.hit_in]
        print(f"[story {hit.story_id}] {hit.title}")
        print(f"    {hit.source} · {date_text(hit.published)} · match in {where}")
        print(f"    {' '.join(hit.snippet.split())}")
    print(f"{len(hits)} stor{'y' if len(hits) == 1 else 'ies'}", file=sys.stderr)
    return 0
