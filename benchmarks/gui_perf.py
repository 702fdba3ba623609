"""Window performance on a large synthetic library (prints figures).

Usage: .venv/bin/python benchmarks/gui_perf.py [--articles 1000000] [--db /tmp/bench-gui.db]
Builds the library once with executemany straight into the schema (stories of 1-4 versions,
then the search index is rebuilt once), then measures: process start -> window shown
(subprocess), topic/source/unread/starred/notes filter changes (topic ids are the library's
own: the default taxonomy takes ids too), typing a search (keystrokes, then the debounced
reload), article open and peak memory (ru_maxrss of the measuring process).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build(path: Path, n: int) -> None:
    from reader.storage.connection import open_database

    if path.exists():
        return
    db = open_database(path)
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    now = "2025-01-01T00:00:00+00:00"
    conn.executemany("INSERT INTO sources (id, name, created_at) VALUES (?, ?, ?)",
                     [(i, f"Source {i}", now) for i in range(1, 21)])
    conn.executemany(
        "INSERT INTO topics (id, name, rule, position, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(i, f"Topic {i}", f"word{i}", i, now, now) for i in range(1, 11)])
    rnd = random.Random(1)
    base = 1_700_000_000
    aid = 0
    sid = 0
    arts, stories, st = [], [], []
    while aid < n:
        sid += 1
        size = min(rnd.choice((1, 1, 1, 2, 3, 4)), n - aid)
        ts = base + aid * 30
        for v in range(size):
            aid += 1
            arts.append((aid, rnd.randint(1, 20), f"Headline {aid} about event {sid}",
                         f"Body of article {aid}. " * 40, ts + v, f"h{aid}", sid, now))
        stories.append((sid, f"Headline {aid} about event {sid}", aid, size, 1, "Source 1",
                        ts, ts + size, ts + size, size, now))
        st.append((sid % 10 + 1, sid))
        if len(arts) >= 50_000:
            _flush(conn, arts, stories, st)
    _flush(conn, arts, stories, st)
    conn.commit()
    db.close()


def ensure_search_index(path: Path) -> None:
    """Fill the external-content FTS index once (the bulk build writes articles only)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        found = conn.execute(
            "SELECT 1 FROM articles_fts WHERE articles_fts MATCH 'headline' LIMIT 1"
        ).fetchone()
        if found is None:
            t = time.perf_counter()
            conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
            conn.commit()
            print(f"search index rebuilt in {time.perf_counter() - t:.0f} s")
        # The synthetic topics' story links, if a re-evaluation of the (wordless) synthetic
        # rules emptied them: each story in Topic (id % 10 + 1), as the build wrote them.
        if conn.execute("SELECT 1 FROM story_topics LIMIT 1").fetchone() is None:
            ids = dict(conn.execute(
                "SELECT name, id FROM topics WHERE name LIKE 'Topic %'").fetchall())
            conn.execute(
                "INSERT INTO story_topics (topic_id, story_id) SELECT"
                " CASE s.id % 10 WHEN 0 THEN ? WHEN 1 THEN ? WHEN 2 THEN ? WHEN 3 THEN ?"
                " WHEN 4 THEN ? WHEN 5 THEN ? WHEN 6 THEN ? WHEN 7 THEN ? WHEN 8 THEN ?"
                " ELSE ? END, s.id FROM stories s",
                [ids[f"Topic {i}"] for i in range(1, 11)])
            conn.commit()
    finally:
        conn.close()


def _flush(conn: object, arts: list, stories: list, st: list) -> None:
    conn.executemany(  # type: ignore[attr-defined]
        "INSERT INTO stories (id, headline, headline_article_id, size, source_count, sources,"
        " first_ts, last_ts, sort_ts, unread, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        stories)
    conn.executemany(  # type: ignore[attr-defined]
        "INSERT INTO articles (id, source_id, title, body, published_ts, content_hash,"
        " story_id, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", arts)
    conn.executemany(  # type: ignore[attr-defined]
        "INSERT INTO story_topics (topic_id, story_id) VALUES (?, ?)", st)
    arts.clear()
    stories.clear()
    st.clear()


def start_time(path: Path) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "reader", "--library", str(path), "--smoke-test"],
        capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    line = next((x for x in out.stderr.splitlines() if "window ready" in x), "")
    print(f"  smoke: {line.strip()}  (whole run incl. 2 s wait: {time.perf_counter()-t0:.1f} s)")
    return float(line.split(" in ")[1].split()[0]) if line else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench-gui.db"))
    args = parser.parse_args()
    t = time.perf_counter()
    build(args.db, args.articles)
    print(f"library: {args.articles} articles at {args.db} (build {time.perf_counter()-t:.1f} s)")
    from reader.library import Library

    Library.open(args.db).close()  # migrate an older benchmark file once, outside the timings
    ensure_search_index(args.db)
    print(f"start -> window shown: {start_time(args.db):.0f} ms (limit 1500)")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from reader.gui.main_window import MainWindow
    from reader.gui.models import FilterKey
    from reader.library import Library

    lib = Library.open(args.db, defer_housekeeping=True)
    window = MainWindow(lib, QSettings(str(args.db) + ".ini", QSettings.Format.IniFormat))
    window.show()
    app.processEvents()
    worst = 0.0
    topics = sorted(lib.topics(), key=lambda t: -t.total)
    by_name = {t.name: t for t in topics}
    chosen = [by_name.get("Topic 3") or topics[0]]
    chosen += [t for t in topics if t.id != chosen[0].id and not t.name.startswith("Topic ")][:1]
    keys = [FilterKey("topic", t.id) for t in chosen]
    print("  topics measured: " + ", ".join(f"{t.name} (id {t.id})" for t in chosen))
    keys += [FilterKey("source", 7), FilterKey("unread"), FilterKey("starred"),
             FilterKey("notes"), FilterKey("all")]
    for key in keys:
        t = time.perf_counter()
        window.set_filter(key)
        app.processEvents()
        ms = (time.perf_counter() - t) * 1000
        worst = max(worst, ms)
        print(f"  filter {key.kind}:{key.id}: {ms:.1f} ms ({window.stories_model.rowCount()} rows)")
    print(f"filter change worst: {worst:.1f} ms (limit 150)")
    worst = 0.0
    for text in ("event 4217", "headline", "harbour"):
        window.stories.search.clear()
        window.stories.flush_search()
        app.processEvents()
        typing = 0.0
        for i in range(1, len(text) + 1):  # keystrokes only restart the debounce timer
            t = time.perf_counter()
            window.stories.search.setText(text[:i])
            app.processEvents()
            typing = max(typing, (time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        window.stories.flush_search()  # what the 250 ms debounce fires
        app.processEvents()
        ms = (time.perf_counter() - t) * 1000
        worst = max(worst, ms)
        print(f"  search {text!r}: list refreshed in {ms:.1f} ms "
              f"({window.stories_model.rowCount()} rows; slowest keystroke {typing:.1f} ms)")
    window.stories.search.clear()
    window.stories.flush_search()
    print(f"search worst: {worst:.1f} ms (limit 150)")
    worst = 0.0
    window.set_filter(FilterKey("all"))
    for row in (0, 5, 50):
        story = window.pager.rows[row]
        t = time.perf_counter()
        window.open_article(story.headline_article_id)
        app.processEvents()
        worst = max(worst, (time.perf_counter() - t) * 1000)
    print(f"open article worst: {worst:.1f} ms (limit 50)")
    window.close()
    lib.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak:.0f} MB (limit 400)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
