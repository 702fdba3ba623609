"""Search latency and topic recount time at 100k and 1M articles.

    .venv/bin/python benchmarks/search_speed.py            # 100k and 1M (a few minutes)
    .venv/bin/python benchmarks/search_speed.py --sizes 100000

A synthetic library is generated with bare ``executemany`` into the real schema (through
``open_database``), with external-content FTS5 filled by ``'rebuild'``, and topics assigned
with the default taxonomy's rules via one FTS query each. Word frequencies are controlled so
the queries cover small, ~20k and "most of the library" hit sets. Databases are cached under
``/tmp`` (``--fresh`` rebuilds them).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from reader.query import parse_search
from reader.storage import search as search_store
from reader.storage import topics as topic_store
from reader.storage.connection import open_database

FILLER = (  # noqa: SIM905 - readable as prose
    "the of and to in a is that for on with as was by at from officials said report "
    "region government week statement according sources analysts country new year"
).split()
#: word -> share of articles that contain it
PLANTED = {
    "kerch": 0.0005,     # ~500 hits at 1M
    "pipeline": 0.02,    # ~20k hits at 1M: the latency target
    "refinery": 0.005,
    "sanctions": 0.15,   # a word in 15% of the library
    "russia": 0.8,       # matches most of the library
}
QUERIES = [
    "kerch", "kerch pipeline", '"oil spill"', "pipeline", "refin*", "sanctions",
    "russia", "russia OR sanctions", 'NEAR( "unbalanced',
]


def generate(path: Path, n: int, body_words: int = 200) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(path)
    rng = random.Random(42)
    now = "2025-01-01T00:00:00+00:00"
    topic_store.install_default_topics(db)  # before any article: nothing to evaluate yet
    topic_ids = [t.id for t in topic_store.list_topics(db)]
    db.execute("INSERT INTO sources (id, name, created_at) VALUES (1, 'Wire', ?), "
               "(2, 'Forum', ?)", [now, now])
    start = time.perf_counter()
    batch = 10_000
    conn = db.conn
    for first in range(1, n + 1, batch):
        rows, stories = [], []
        for i in range(first, min(first + batch, n + 1)):
            words = rng.choices(FILLER, k=body_words)
            for word, share in PLANTED.items():
                if rng.random() < share:
                    words[rng.randrange(body_words)] = word
            if rng.random() < 0.01:
                words[5:7] = ["oil", "spill"]
            body = " ".join(words)
            title = " ".join(rng.choices(FILLER, k=8)) + (" pipeline" if i % 97 == 0 else "")
            ts = 1_700_000_000 + i * 60
            rows.append((i, 1 + (i % 2), title, body, ts, f"h{i}", i, int(rng.random() < 0.3),
                         now))
            stories.append((i, title, i, ts, now))
        conn.executemany(
            "INSERT INTO stories (id, headline, headline_article_id, size, sort_ts, created_at)"
            " VALUES (?, ?, ?, 1, ?, ?)", stories)
        conn.executemany(
            "INSERT INTO articles (id, source_id, title, body, published_ts, content_hash,"
            " story_id, read, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        # Realistic assignment volume (~1.5 topics an article) without scoring 1M texts.
        assigned = sorted({(t, r[0], 1 - r[7]) for r in rows
                           for t in rng.sample(topic_ids, rng.choice((0, 1, 2, 3)))})
        conn.executemany(
            "INSERT INTO article_topics (topic_id, article_id, unread) VALUES (?, ?, ?)",
            assigned)
        conn.executemany("INSERT OR IGNORE INTO story_topics (topic_id, story_id) VALUES (?, ?)",
                         [(t, a) for t, a, _ in assigned])
        conn.commit()
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    conn.commit()
    print(f"  generated {n:,} articles in {time.perf_counter() - start:.0f} s", flush=True)



def timed(fn: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench(n: int, fresh: bool) -> None:
    path = Path(f"/tmp/broadsheet-bench-{n}.db")
    print(f"== {n:,} articles ({path})", flush=True)
    if fresh or not path.exists():
        generate(path, n)
        db = open_database(path)
        topic_store.install_default_topics(db)  # installs and assigns over the library
    db = open_database(path)
    energy = topic_store.topic_by_name(db, "Energy").id
    print(f"  {'query':28} {'hits':>8}  {'path':6} {'ms':>7}  {'+topic,unread ms':>16}")
    for text in QUERIES:
        node = parse_search(text)
        assert node is not None
        from reader.query import to_fts

        hits = search_store.count_hits(db, to_fts(node), cap=10**9)
        path_kind = "rank" if hits <= search_store.RANK_CAP else "recent"
        ms = timed(lambda node=node: search_store.search(db, node, limit=50))
        ms_f = timed(lambda node=node: search_store.search(
            db, node, topic_id=energy, unread=True, limit=50))
        print(f"  {text:28} {hits:>8,}  {path_kind:6} {ms:7.1f}  {ms_f:16.1f}", flush=True)
    ms = timed(lambda: topic_store.recount(db), repeat=3)
    rows = db.conn.execute("SELECT count(*) FROM article_topics").fetchone()[0]
    print(f"  full topic recount ({rows:,} assignments): {ms:.0f} ms")
    start = time.perf_counter()
    topic_id = topic_store.insert_topic(db, "Bench pipes", "pipeline* OR refin* OR kerch")
    total = topic_store.reevaluate_topic(db, topic_id)
    print(f"  re-evaluating a user rule ({total:,} articles, one FTS query): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    topic_store.delete_topic(db, topic_id)
    db.close()


#: Typed queries in several scripts, for the cost of reading a query (every keystroke).
TYPED = [*QUERIES, "Зеленский Москвой", '"σεισμός στην Κρήτη"', "Düsseldorf OR Großstadt*",
         "Việt Nam İstanbul Łódź"]


def parsing() -> None:
    """The first query of a process reads the search folding from SQLite: only its ASCII part
    for an ASCII query, all of it for the first other one. Later queries only fold words."""
    for label, text in (("ASCII", TYPED[0]), ("non-ASCII", TYPED[-1])):
        cpu, start = time.process_time(), time.perf_counter()
        parse_search(text)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"first {label} query of a process: {wall * 1000:.0f} ms wall,"
              f" {cpu * 1000:.0f} ms CPU")
    rounds = 2000
    cpu = time.process_time()
    for _ in range(rounds):
        for text in TYPED:
            parse_search(text)
    per = (time.process_time() - cpu) / (rounds * len(TYPED)) * 1e6
    print(f"reading a typed query afterwards: {per:.1f} µs CPU on average ({len(TYPED)} queries)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--fresh", action="store_true", help="regenerate cached databases")
    args = parser.parse_args()
    parsing()
    for n in args.sizes:
        bench(n, args.fresh)


if __name__ == "__main__":
    main()
