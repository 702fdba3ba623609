"""Import speed: ``broadsheet import`` against the bare-sqlite3 FTS5 limit of this machine.

    .venv/bin/python benchmarks/import_speed.py            # 100,000 articles
    .venv/bin/python benchmarks/import_speed.py -n 1000000 # the 1M run (peak memory target)

Prints: parse rate, storing-phase rate (time spent inside the article inserts, FTS rows
included), whole import time (grouping and topics included), bare executemany rates with and
without FTS5, the storing/bare ratio (target ≥ 50%), and the import process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import articles, write_listing

_CHILD = r"""
import json, resource, sys, time
from reader.library import Library
from reader.storage import articles as store
from reader.importers import open_import

path, lib_path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
with open_import(__import__('pathlib').Path(path)) as parsed:
    count = sum(1 for _ in parsed.articles)
parse_s = time.perf_counter() - t0

spent = [0.0]
original = store.insert_articles
def timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return original(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - start
store.insert_articles = timed
t0 = time.perf_counter()
with Library.open(lib_path) as lib:
    report = lib.import_paths([path])
total_s = time.perf_counter() - t0
print(json.dumps({
    "parsed": count, "parse_s": parse_s, "store_s": spent[0], "total_s": total_s,
    "added": report.added, "errors": [f.error for f in report.failed],
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def bare_rates(n: int, folder: Path) -> tuple[float, float]:
    """Rows/s of a bare executemany into a table without and with an FTS5 index."""
    rows = [(i, t, b) for i, (t, b) in enumerate(articles(n, seed=11), start=1)]
    rates = []
    for fts in (False, True):
        db_path = folder / f"bare-{fts}.db"
        conn = sqlite3.connect(db_path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, title TEXT, body TEXT)")
        if fts:
            conn.execute(
                "CREATE VIRTUAL TABLE f USING fts5(title, body, content='a', content_rowid='id')"
            )
        start = time.perf_counter()
        with conn:
            conn.executemany("INSERT INTO a VALUES (?, ?, ?)", rows)
            if fts:
                conn.executemany("INSERT INTO f (rowid, title, body) VALUES (?, ?, ?)", rows)
        rates.append(n / (time.perf_counter() - start))
        conn.close()
    return rates[0], rates[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100_000, help="synthetic articles")
    parser.add_argument("--bare-n", type=int, default=50_000, help="rows for the bare baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dump = write_listing(folder / "synthetic.txt", args.n)
        size_mb = dump.stat().st_size / 1_048_576
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, str(dump), str(folder / "lib.db")],
            capture_output=True, text=True, check=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        bare_plain, bare_fts = bare_rates(min(args.bare_n, args.n), folder)
    n = figures["added"]
    store_rate = n / figures["store_s"] if figures["store_s"] else float("inf")
    print(f"synthetic dump: {args.n:,} articles, {size_mb:.0f} MB")
    print(f"parse only:               {figures['parsed'] / figures['parse_s']:>10,.0f} articles/s")
    print(f"storing phase (with FTS): {store_rate:>10,.0f} articles/s")
    print(f"whole import:             {figures['total_s']:>10.1f} s "
          f"({n / figures['total_s']:,.0f} articles/s, grouping and topics included)")
    print(f"bare executemany, no FTS: {bare_plain:>10,.0f} rows/s")
    print(f"bare executemany + FTS5:  {bare_fts:>10,.0f} rows/s")
    print(f"storing / bare FTS5:      {store_rate / bare_fts:>10.0%}  (target >= 50%)")
    print(f"import peak memory:       {figures['peak_mb']:>10.0f} MB")
    if figures["errors"]:
        print("errors:", figures["errors"])


if __name__ == "__main__":
    main()
