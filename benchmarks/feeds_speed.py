"""Feed import speed against Debian's newsboat, side by side on the same 10,000-item file.

    .venv/bin/python benchmarks/feeds_speed.py [--items 10000] [--feeds 200]

Times, in one run: (1) ``broadsheet import`` of a generated RSS 2.0 file with HTML
descriptions (falls back to ``Library.import_feed_file`` when ``import`` does not route feeds
yet) -- parse, sanitise, store with FTS, derive stories and topics; (2) the same file stored
without story/topic derivation (the feed path alone); (3) ``newsboat -x reload`` on a
``file://`` URL with its own config and cache under a temporary folder; then prints the
ratios. It also imports the file in-process with ``Library.import_feed_file`` and prints the
derivation phase (stories, topics) timed inside that import, so the part that is not the
feed path is visible on its own. Finally it refreshes N subscriptions from a local
HTTP server (goal: <= 20 s).

Each figure is wall time and CPU time (user + system, of this process or of the child that
ran it): the machine is shared, so wall time alone swings with other people's work, while
CPU time is what a change to Broadsheet's own code moves. ``--repeat N`` runs the parse and
feed-path timings N times and prints the best, which is steadier still.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "government",
    "minister",
    "election",
    "market",
    "storm",
    "river",
    "council",
    "budget",
    "school",
    "police",
    "report",
    "city",
    "week",
    "people",
    "year",
    "harbour",
    "bridge",
    "museum",
    "festival",
    "court",
]


def generate(items: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Bench</title><link>http://example.com/</link><description>d</description>\n"
    ]
    for i in range(items):
        title = " ".join(rnd.choice(WORDS) for _ in range(8)).capitalize() + f" {i}"
        paras = "".join(
            f"<p>{' '.join(rnd.choice(WORDS) for _ in range(40))} "
            f"<a href='/x{i}'>link</a> <b>bold</b>.</p>"
            for _ in range(3)
        )
        html = paras + "<ul><li>one</li><li>two</li></ul>"
        parts.append(
            f"<item><title>{escape(title)}</title><link>http://example.com/a/{i}</link>"
            f"<guid>http://example.com/a/{i}</guid><category>cat{i % 5}</category>"
            f"<pubDate>{format_datetime(base + timedelta(minutes=i))}</pubDate>"
            f"<description>{escape(html)}</description></item>\n"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts)


Timing = tuple[float, float]  # (wall seconds, CPU seconds)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_child(command: list[str], **kwargs: Any) -> tuple[Timing, str]:
    """Run ``command`` to completion: ``((wall, child CPU), stdout)``."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    return (time.perf_counter() - start, _children_cpu() - cpu), done.stdout


def _show(timing: Timing | None) -> str:
    if timing is None:
        return "not installed"
    return f"{timing[0]:.2f} s wall, {timing[1]:.2f} s CPU"


def time_broadsheet_cli(feed: Path, work: Path) -> tuple[Timing, str]:
    library = work / "cli.db"
    timing, out = _run_child(
        [sys.executable, "-m", "reader", "import", str(feed), "--library", str(library)],
        cwd=ROOT,
    )
    if "feed" in out:
        return timing, "broadsheet import"
    code = (
        "import sys; from reader.library import Library; "
        "lib = Library.open(sys.argv[1]); print(lib.import_feed_file(sys.argv[2]))"
    )
    timing, _ = _run_child(
        [sys.executable, "-c", code, str(work / "verb.db"), str(feed)], check=True, cwd=ROOT
    )
    return timing, "Library.import_feed_file (import does not route feeds yet)"


def time_parse(feed: Path) -> Timing:
    """Parsing and sanitising alone (``parse_feed_file``): the part this file's parser owns."""
    from reader.feeds.parse import parse_feed_file

    cpu = time.process_time()
    start = time.perf_counter()
    parse_feed_file(feed)
    return time.perf_counter() - start, time.process_time() - cpu


def time_feed_path(feed: Path, work: Path) -> Timing:
    """Parse + sanitise + insert with FTS, without story/topic derivation."""
    from reader.feeds.parse import parse_feed_file
    from reader.library import Library
    from reader.library.feeds import entry_rows
    from reader.storage import feeds as feed_store

    database = work / "path.db"
    for leftover in work.glob("path.db*"):
        os.remove(leftover)
    with Library.open(database) as lib:
        cpu = time.process_time()
        start = time.perf_counter()
        parsed = parse_feed_file(feed)
        with lib.db.atomic():
            source = feed_store.source_for_feed(lib.db, parsed.title)
            feed_store.upsert_entries(lib.db, source, None, entry_rows(parsed.entries))
        return time.perf_counter() - start, time.process_time() - cpu


def _best(runs: list[Timing]) -> Timing:
    return min(r[0] for r in runs), min(r[1] for r in runs)


def time_import_in_process(feed: Path, work: Path) -> tuple[float, float]:
    """``Library.import_feed_file`` in this process: ``(total, derivation)``.

    Derivation (stories and topics for the new articles, ``_after_insert``) is timed inside
    the same import, so the split does not depend on two runs on a busy machine agreeing.
    """
    from reader.library import Library

    with Library.open(work / "inproc.db") as lib:
        derive = lib._after_insert
        spent = [0.0]

        def timed(*args: Any, **kwargs: Any) -> None:
            began = time.perf_counter()
            try:
                derive(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - began

        lib._after_insert = timed  # type: ignore[method-assign]
        start = time.perf_counter()
        lib.import_feed_file(feed)
        return time.perf_counter() - start, spent[0]


def time_newsboat(feed: Path, work: Path) -> Timing | None:
    binary = shutil.which("newsboat")
    if binary is None:
        return None
    home = work / "newsboat"
    home.mkdir()
    (home / "urls").write_text(f"file://{feed}\n")
    (home / "config").write_text("")
    timing, _ = _run_child(
        [
            binary,
            "-x",
            "reload",
            "-u",
            str(home / "urls"),
            "-c",
            str(home / "cache.db"),
            "-C",
            str(home / "config"),
        ],
        check=True,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    return timing


def time_refresh(count: int, work: Path) -> float:
    from reader.library import Library

    small = generate(5).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            body = small.replace(b"http://example.com/a/", f"http://e{self.path[1:]}/".encode())
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with Library.open(work / "refresh.db") as lib:
            for i in range(count):
                lib.add_feed(f"http://127.0.0.1:{httpd.server_address[1]}/{i}")
            start = time.perf_counter()
            outcomes = lib.refresh_feeds(cache_images=False)
            elapsed = time.perf_counter() - start
            failed = [o for o in outcomes if not o.ok]
            if failed:
                print(f"  {len(failed)} refreshes failed, e.g. {failed[0].error}")
            return elapsed
    finally:
        httpd.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1, help="best of N parse/path runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        feed = work / "bench.xml"
        feed.write_text(generate(args.items), encoding="utf-8")
        print(f"{args.items} items, {feed.stat().st_size / 1e6:.1f} MB")
        newsboat = time_newsboat(feed, work)
        parse_only = _best([time_parse(feed) for _ in range(args.repeat)])
        path_only = _best([time_feed_path(feed, work) for _ in range(args.repeat)])
        in_process, derivation = time_import_in_process(feed, work)
        full, how = time_broadsheet_cli(feed, work)
        print(f"newsboat -x reload:                      {_show(newsboat)}")
        print(f"Broadsheet parse + sanitise:             {_show(parse_only)}")
        print(f"Broadsheet feed path (parse+store+FTS):  {_show(path_only)}")
        print(f"Broadsheet full import ({how}): {_show(full)}")
        print(f"  in-process Library.import_feed_file:   {in_process:.2f} s, of which")
        print(f"    derivation (stories, topics):          {derivation:.2f} s")
        print(f"    feed path (parse, sanitise, store):    {in_process - derivation:.2f} s")
        if newsboat:
            print(
                f"ratio feed path / newsboat: {path_only[0] / newsboat[0]:.2f} wall, "
                f"{path_only[1] / newsboat[1]:.2f} CPU"
            )
            print(
                f"ratio full import / newsboat: {full[0] / newsboat[0]:.2f} wall, "
                f"{full[1] / newsboat[1]:.2f} CPU"
            )
        refresh = time_refresh(args.feeds, work)
        print(f"refresh {args.feeds} subscriptions from 127.0.0.1: {refresh:.2f} s (goal <= 20 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
