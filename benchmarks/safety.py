"""Data-safety benchmark (issue 7): kill -9 loop, importer fuzzing, quick_check at scale.

    .venv/bin/python benchmarks/safety.py                    # full size (slow)
    .venv/bin/python benchmarks/safety.py --kills 3 --per-file 300 --fuzz 200 --articles 100000

Prints a table: kills survived, articles lost (must be 0), notes lost (must be 0), fuzz
examples tried, unexpected exceptions (must be 0), and the quick_check time at N articles.
Exits non-zero if any must-be-zero figure is not zero.
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from test_crash_support import cli, file_states, integrity, write_listing  # noqa: E402
from test_fuzz_importers import FORMATS, parse_all  # noqa: E402

from reader.library import Library  # noqa: E402
from reader.storage import integrity as checks  # noqa: E402
from reader.storage.connection import open_database  # noqa: E402


def kill_loop(folder: Path, kills: int, per_file: int, seed: int) -> dict[str, int]:
    library = folder / "library.broadsheet.db"
    files = {
        write_listing(folder / f"f{i}.txt", per_file, seed=1000 + i): per_file for i in range(3)
    }
    with Library.open(library) as lib:
        lib.import_paths([write_listing(folder / "base.txt", 5, seed=999)])
        story = lib.db.conn.execute("SELECT min(story_id) FROM articles").fetchone()[0]
        lib.save_note(story, "a note saved before the kill loop")
    # Calibrate: how long does one uninterrupted import of the three files take?
    probe = folder / "probe.broadsheet.db"
    started = time.monotonic()
    proc = cli("import", *(str(p) for p in files), library=probe)
    proc.communicate()
    span = time.monotonic() - started
    rng = random.Random(seed)
    survived = lost = notes_lost = partial = 0
    for _ in range(kills):
        proc = cli("import", *(str(p) for p in files), library=library)
        time.sleep(rng.uniform(0.3, span))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        ok = integrity(library) == ["ok"]
        states = file_states(library, files)
        bad = [s for s in states.values() if s not in ("complete", "absent")]
        partial += len(bad)
        with Library.open(library) as lib:
            note = lib.note(story)
            notes_lost += 0 if note and note.body == "a note saved before the kill loop" else 1
        complete = {p for p in files if states[p.name] == "complete"}
        conn = sqlite3.connect(library)
        for path in complete:
            stored = conn.execute(
                "SELECT count(*) FROM articles a JOIN files f ON f.id = a.file_id"
                " WHERE f.path = ?", [str(path)]
            ).fetchone()[0]
            lost += files[path] - stored
        conn.close()
        survived += 1 if ok and not bad else 0
    return {"kills": kills, "survived": survived, "articles_lost": lost,
            "notes_lost": notes_lost, "partial_files": partial, "calibrated_s": int(span)}


def fuzz(examples: int) -> dict[str, int]:
    tried = unexpected = 0
    folder = Path(tempfile.mkdtemp(prefix="fuzz-bench-"))
    for name, strategy in FORMATS.items():
        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def run(data: bytes) -> None:
            nonlocal tried, unexpected
            tried += 1
            try:
                parse_all(data, folder)
            except Exception:
                unexpected += 1
                if unexpected <= 3:
                    # ``run`` is called within this iteration, so ``name`` is current.
                    where = f"unexpected exception ({name}) for {data[:200]!r}:"  # noqa: B023
                    print(where, file=sys.stderr)
                    traceback.print_exc()

        run()
    return {"tried": tried, "unexpected": unexpected}


def quick_check_at(folder: Path, articles: int) -> dict[str, float]:
    library = folder / "big.broadsheet.db"
    db = open_database(library)
    conn = db.conn
    conn.execute("INSERT INTO sources (name, created_at) VALUES ('bench', '2026-01-01')")
    body = ("lorem ipsum dolor sit amet consectetur " * 20).strip()
    batch = 50_000
    started = time.perf_counter()
    for start in range(1, articles + 1, batch):
        stop = min(start + batch, articles + 1)
        conn.executemany(
            "INSERT INTO articles (id, source_id, title, body, published_ts, content_hash,"
            " added_at) VALUES (?, 1, ?, ?, ?, ?, '2026-01-01')",
            (
                (i, f"Title {i}", f"{body} {i}", 1_700_000_000 + i, f"h{i}")
                for i in range(start, stop)
            ),
        )
        conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    built = time.perf_counter() - started
    db.close()
    size = library.stat().st_size
    started = time.perf_counter()
    problems = checks.quick_check_file(library)
    seconds = time.perf_counter() - started
    assert problems == [], problems
    return {"articles": articles, "size_mb": size / 1_048_576, "build_s": built,
            "quick_check_s": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--per-file", type=int, default=2000, help="articles per listing file")
    parser.add_argument("--fuzz", type=int, default=10_000, help="examples per format")
    parser.add_argument("--articles", type=int, default=1_000_000, help="for quick_check")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="safety-bench-") as tmp:
        folder = Path(tmp)
        (folder / "kill").mkdir()
        (folder / "qc").mkdir()
        k = kill_loop(folder / "kill", args.kills, args.per_file, args.seed) if args.kills else {}
        f = fuzz(args.fuzz) if args.fuzz else {}
        q = quick_check_at(folder / "qc", args.articles) if args.articles else {}
    rows = [
        ("kills survived", f"{k.get('survived', 0)} / {k.get('kills', 0)}"),
        ("articles lost (must be 0)", str(k.get("articles_lost", 0))),
        ("notes lost (must be 0)", str(k.get("notes_lost", 0))),
        ("partially stored files (must be 0)", str(k.get("partial_files", 0))),
        ("uninterrupted import of 3 files (s)", str(k.get("calibrated_s", "-"))),
        (f"fuzz examples tried ({len(FORMATS)} formats)", str(f.get("tried", 0))),
        ("unexpected exceptions (must be 0)", str(f.get("unexpected", 0))),
    ]
    if q:
        rows.append(
            (f"quick_check at {q['articles']:,} articles ({q['size_mb']:.0f} MB)",
             f"{q['quick_check_s']:.2f} s (library built in {q['build_s']:.0f} s)")
        )
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    bad = (k.get("articles_lost", 0) or k.get("notes_lost", 0) or k.get("partial_files", 0)
           or f.get("unexpected", 0) or k.get("survived", 0) != k.get("kills", 0))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
