"""How long per-article feature extraction takes, in ms per article.

Importing a million articles has about 1 ms per article for everything, and extraction is
the only per-article text work, so this is where each microsecond counts. Prints one line
per step (entities, extract incl. entities, dumps, loads, all_keys) for synthetic articles
and, when ../shared/seeds is present, the seed articles (repeated to get stable timings).

    .venv/bin/python benchmarks/features_speed.py [--n 3000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synth import articles as synth_articles  # noqa: E402
from reader.grouping.entities import extract_entities  # noqa: E402
from reader.grouping.features import Features, dumps, extract, loads  # noqa: E402
from reader.importers import open_import  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def _seed_articles() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in sorted(SEEDS.glob("*.txt")):
        with open_import(path) as parsed:
            out.extend((a.title, a.body) for a in parsed.articles)
    return out


def _ms_per(items: list[object], step: Callable[[object], object], repeat: int = 3) -> float:
    """Best of ``repeat`` passes, in ms per item (the best pass is the least disturbed by
    the other processes sharing the two cores)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            step(item)
        best = min(best, time.perf_counter() - start)
    return best * 1000 / max(1, len(items))


def measure(name: str, arts: list[tuple[str, str]]) -> None:
    pairs: list[object] = list(arts)
    feats: list[object] = [extract(t, b) for t, b in arts]
    stored: list[object] = [dumps(f) for f in feats]  # type: ignore[arg-type]
    chars = sum(len(t) + len(b) for t, b in arts) / max(1, len(arts))
    print(f"{name}: {len(arts)} articles, {chars:.0f} chars each")
    rows = [
        ("extract_entities", lambda p: extract_entities(*p)),  # type: ignore[misc]
        ("extract (incl. entities)", lambda p: extract(*p)),  # type: ignore[misc]
    ]
    for label, step in rows:
        print(f"  {label:26s} {_ms_per(pairs, step):8.4f} ms/article")
    print(f"  {'dumps':26s} {_ms_per(feats, lambda f: dumps(f)):8.4f} ms/article")  # type: ignore[arg-type]
    print(f"  {'loads':26s} {_ms_per(stored, lambda s: loads(s)):8.4f} ms/article")  # type: ignore[arg-type]
    print(f"  {'loads + all_keys x4':26s} {_ms_per(stored, _all_keys_4x):8.4f} ms/article")


def _all_keys_4x(data: object) -> None:
    """Callers ask a freshly loaded article for its keys about four times."""
    f: Features = loads(data)  # type: ignore[arg-type]
    for _ in range(4):
        f.all_keys()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="synthetic articles")
    parser.add_argument("--profile", action="store_true", help="cProfile extract on synth")
    args = parser.parse_args()
    synth = list(synth_articles(args.n, seed=11))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for t, b in synth:
            extract(t, b)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return 0
    measure("synthetic", synth)
    if SEEDS.exists():
        seeds = _seed_articles()
        measure("seeds (x10)", seeds * 10)
    else:
        print("seeds: ../shared/seeds not present, skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
