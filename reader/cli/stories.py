"""``broadsheet regroup``, ``stories``, ``story show|merge|split|move`` and ``facets``."""

from __future__ import annotations

import argparse

from reader.cli.output import date_text, interruptible, progress_bar, with_library
from reader.library import Library
from reader.types import GroupReason, StoryDetail


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from reader.cli import add_library_option

    cmd = commands.add_parser("regroup", help="regroup the whole library into stories")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_regroup))

    cmd = commands.add_parser("stories", help="list stories with their versions")
    cmd.add_argument(
        "--min-size", type=int, default=1, metavar="N", help="only stories with at least N versions"
    )
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_stories))

    story = commands.add_parser("story", help="show or correct one story")
    actions = story.add_subparsers(dest="story_command", metavar="ACTION", required=True)
    cmd = actions.add_parser("show", help="a story's versions and why they are grouped")
    cmd.add_argument("story_id", type=int, metavar="ID")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_show))
    cmd = actions.add_parser("merge", help="merge story B into story A (both notes are kept)")
    cmd.add_argument("keep", type=int, metavar="A")
    cmd.add_argument("other", type=int, metavar="B")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_merge))
    cmd = actions.add_parser("split", help="split an article into a story of its own")
    cmd.add_argument("article_id", type=int, metavar="ARTICLE")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_split))
    cmd = actions.add_parser("move", help="move an article to another story")
    cmd.add_argument("article_id", type=int, metavar="ARTICLE")
    cmd.add_argument("story_id", type=int, metavar="STORY")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_move))

    cmd = commands.add_parser("facets", help="people and places with their article counts")
    cmd.add_argument("--limit", type=int, default=50)
    cmd.add_argument("--all", action="store_true", help="include hidden facets")
    cmd.add_argument(
        "--hide",
        type=int,
        metavar="ID",
        action="append",
        default=[],
        help="hide a facet from the lists (repeatable)",
    )
    cmd.add_argument(
        "--show",
        type=int,
        metavar="ID",
        action="append",
        default=[],
        help="show a hidden facet again (repeatable)",
    )
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_facets))


def run_regroup(args: argparse.Namespace, library: Library) -> int:
    with interruptible() as cancelled, progress_bar() as bar:
        count = library.regroup(progress=bar, cancelled=cancelled)
    print(f"Regrouped into {count} stories")
    return 0


def _print_story(detail: StoryDetail) -> None:
    s = detail.story
    span = date_text(s.first_published)
    if s.last_published and s.last_published != s.first_published:
        span += f" – {date_text(s.last_published)}"
    print(f"[{s.id}] {s.headline}")
    print(
        f"    {s.size} version(s), {s.source_count} source(s), {span}"
        + (", has note" if s.has_note else "")
    )
    for v in detail.versions:
        mark = "*" if v.article_id == s.headline_article_id else " "
        print(
            f"   {mark} #{v.article_id} {v.title or '(untitled)'}  "
            f"({v.source}, {date_text(v.published, v.published_inferred)})"
        )


def _print_reason(r: GroupReason) -> None:
    print(
        f"  #{r.article_a} ~ #{r.article_b}: {r.rule}, similarity {r.similarity:.2f}"
        + (f" (shared terms {r.cosine:.2f}, less conflicts)" if r.conflicts else "")
    )
    for label, items in (
        ("shared names", r.names),
        ("shared terms", r.terms),
        ("conflicts", r.conflicts),
    ):
        if items:
            print(f"      {label}: {', '.join(items)}")


def run_stories(args: argparse.Namespace, library: Library) -> int:
    count = 0
    for detail in library.stories(min_size=args.min_size):
        _print_story(detail)
        count += 1
    print(f"{count} stories")
    return 0


def run_show(args: argparse.Namespace, library: Library) -> int:
    detail = library.story(args.story_id)
    _print_story(detail)
    if detail.reasons:
        print("Why these versions are together:")
        for reason in detail.reasons:
            _print_reason(reason)
    if detail.note:
        print("Note:")
        print(detail.note)
    return 0


def run_merge(args: argparse.Namespace, library: Library) -> int:
    library.merge_stories(args.keep, args.other)
    print(f"Merged story {args.other} into story {args.keep}")
    return 0


def run_split(args: argparse.Namespace, library: Library) -> int:
    changes = library.split_article(args.article_id)
    print(f"Article {args.article_id} is now story {changes.story_ids[-1]}")
    return 0


def run_move(args: argparse.Namespace, library: Library) -> int:
    library.move_article(args.article_id, args.story_id)
    print(f"Moved article {args.article_id} to story {args.story_id}")
    return 0


def run_facets(args: argparse.Namespace, library: Library) -> int:
    for facet_id in args.hide:
        library.hide_facet(facet_id, hidden=True)
    for facet_id in args.show:
        library.hide_facet(facet_id, hidden=False)
    for facet in library.facets(limit=args.limit, include_hidden=args.all):
        hidden = " (hidden)" if facet.hidden else ""
        print(f"{facet.count:6d}  {facet.name}{hidden}  [{facet.kind}, id {facet.id}]")
    return 0
