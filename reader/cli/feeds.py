"""``broadsheet feeds ...``: subscriptions, refreshing and OPML."""

from __future__ import annotations

import argparse
import sys

from reader.cli.output import date_text, progress_bar, with_library
from reader.library import Library
from reader.types import FeedOutcome


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from pathlib import Path

    from reader.cli import add_library_option

    feeds = commands.add_parser("feeds", help="feed subscriptions: add, list, remove, refresh")
    verbs = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)

    cmd = verbs.add_parser("add", help="subscribe to a feed URL and fetch it")
    cmd.add_argument("url", metavar="URL")
    cmd.add_argument("--folder", help="folder to file the subscription under")
    cmd.add_argument("--no-refresh", action="store_true", help="do not fetch it now")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_add))

    cmd = verbs.add_parser("list", help="subscriptions with their status and last error")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_list))

    cmd = verbs.add_parser("remove", help="unsubscribe (stored articles stay)")
    cmd.add_argument("feed", metavar="URL|ID")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_remove))

    cmd = verbs.add_parser("refresh", help="fetch subscriptions now")
    cmd.add_argument("--all", action="store_true", help="every subscription (the default)")
    cmd.add_argument("feeds", nargs="*", metavar="ID", help="only these subscriptions")
    cmd.add_argument("--no-images", action="store_true", help="skip the offline image cache")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_refresh))

    cmd = verbs.add_parser("cache", help="the offline image cache: its size and its cap")
    cmd.add_argument("--limit-mb", type=int, metavar="MB",
                     help="set the cap in MB (0 keeps no images); the oldest go first")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_cache))

    cmd = verbs.add_parser("images", help="turn the image cache on or off for one feed")
    cmd.add_argument("feed", metavar="URL|ID")
    cmd.add_argument("state", choices=["on", "off"])
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_images))

    cmd = verbs.add_parser("import-opml", help="subscribe to the feeds of an OPML file")
    cmd.add_argument("file", type=Path, metavar="FILE")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_import_opml))

    cmd = verbs.add_parser("export-opml", help="write the subscriptions to an OPML file")
    cmd.add_argument("file", type=Path, metavar="FILE")
    add_library_option(cmd)
    cmd.set_defaults(handler=with_library(run_export_opml))


def print_outcomes(outcomes: list[FeedOutcome]) -> int:
    failed = 0
    for o in outcomes:
        name = o.title or o.url
        if o.error is not None:
            failed += 1
            print(f"broadsheet: {name}: {o.error}", file=sys.stderr)
        elif o.not_modified:
            print(f"{name}: not modified")
        else:
            print(f"{name}: {o.added} new, {o.updated} updated, {o.unchanged} unchanged")
            for warning in o.warnings:
                print(f"  note: {warning}")
    print(f"Refreshed {len(outcomes) - failed} of {len(outcomes)} feed(s)"
          + (f", {failed} failed" if failed else ""))
    return 1 if failed else 0


def run_add(args: argparse.Namespace, library: Library) -> int:
    info = library.add_feed(args.url, args.folder)
    print(f"Subscribed to {info.url} (id {info.id})")
    if args.no_refresh:
        return 0
    with progress_bar() as bar:
        outcomes = library.refresh_feeds([info.id], progress=bar)
    return print_outcomes(outcomes)


def run_list(args: argparse.Namespace, library: Library) -> int:
    feeds = library.feeds()
    if not feeds:
        print("No subscriptions yet: add one with `broadsheet feeds add URL`.")
    for f in feeds:
        checked = date_text(f.last_checked) if f.last_checked else "never"
        folder = f"[{f.folder}] " if f.folder else ""
        print(f"{f.id:>4}  {folder}{f.title or '(untitled)'}  <{f.url}>")
        print(f"      {f.status}, checked {checked}, {f.articles} articles ({f.unread} unread)"
              + ("" if f.cache_images else ", images not cached"))
        if f.last_error:
            print(f"      last error: {f.last_error}")
    return 0


def run_remove(args: argparse.Namespace, library: Library) -> int:
    info = library.remove_feed(args.feed)
    print(f"Unsubscribed from {info.url}; its {info.articles} articles stay in the library")
    return 0


def run_refresh(args: argparse.Namespace, library: Library) -> int:
    ids = None
    if args.feeds and not args.all:
        ids = [library.feed(value).id for value in args.feeds]
    with progress_bar() as bar:
        outcomes = library.refresh_feeds(ids, progress=bar, cache_images=not args.no_images)
    return print_outcomes(outcomes)


MB = 1024 * 1024


def run_cache(args: argparse.Namespace, library: Library) -> int:
    if args.limit_mb is not None:
        if args.limit_mb < 0:
            print("broadsheet: the cap cannot be negative", file=sys.stderr)
            return 2
        removed = library.set_image_cache_limit(args.limit_mb * MB)
        print(f"Image cache cap set to {args.limit_mb} MB"
              + (f"; {removed} older image(s) removed" if removed else ""))
    size, files = library.image_cache_size()
    print(f"Image cache: {size / MB:.1f} MB in {files} file(s), "
          f"cap {library.image_cache_limit() // MB} MB")
    return 0


def run_images(args: argparse.Namespace, library: Library) -> int:
    info = library.feed(args.feed)
    library.set_feed_images(info.id, args.state == "on")
    print(f"Images {'cached' if args.state == 'on' else 'not cached'} for {info.url}")
    return 0


def run_import_opml(args: argparse.Namespace, library: Library) -> int:
    feeds = library.import_opml(args.file)
    print(f"Subscribed to {len(feeds)} feed(s) from {args.file}; "
          "fetch them with `broadsheet feeds refresh`")
    return 0


def run_export_opml(args: argparse.Namespace, library: Library) -> int:
    count = library.export_opml(args.file)
    print(f"Exported {count} subscription(s) to {args.file}")
    return 0
