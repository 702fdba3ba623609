"""How long per-article feature extraction takes, in ms per article.

Importing a million articles has about 1 ms per article for everything, and extraction is
the only per-article text work, so this is where each microsecond counts. Prints one line
per step (entities, extract incl. entities, dumps, loads, the regroup's terms-only reading)
for synthetic articles
and, when ../shared/seeds is present, the seed articles (repeated to get stable timings).
``--compare`` also times the frozen pre-optimisation extractor the golden test keeps
(tests/data/features_golden/reference_extract.py), step by step next to the live one, so
"before" and "after" are measured under the same load. Times are CPU time (best of a few
passes): the two cores are shared.

    .venv/bin/python benchmarks/features_speed.py [--n 3000] [--compare] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpora import SEEDS, seed_articles  # noqa: E402
from benchmarks.synth import articles as synth_articles  # noqa: E402
from reader.grouping import entities as live_entities  # noqa: E402
from reader.grouping import features as live_features  # noqa: E402

REFERENCE = ROOT / "tests" / "data" / "features_golden" / "reference_extract.py"


def _reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("features_reference", REFERENCE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["features_reference"] = module
    spec.loader.exec_module(module)
    return module


def _ms_per(items: list[Any], step: Callable[[Any], object], repeat: int = 5) -> float:
    """Best of ``repeat`` passes, in CPU ms per item (the best pass is the least disturbed
    by the other processes sharing the two cores)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            step(item)
        best = min(best, time.process_time() - start)
    return best * 1000 / max(1, len(items))


def _steps(ent: Any, feat: Any) -> list[tuple[str, str, Callable[[Any], object]]]:
    """(label, input kind, step) for one implementation (the reference extractor, from
    before features became TF-IDF terms, has no terms-only reading)."""
    steps: list[tuple[str, str, Callable[[Any], object]]] = [
        ("extract_entities", "pair", lambda p: ent.extract_entities(*p)),
        ("extract (incl. entities)", "pair", lambda p: feat.extract(*p)),
        ("dumps", "features", feat.dumps),
        ("loads", "stored", feat.loads),
    ]
    if hasattr(feat, "terms_of"):
        steps.append(("terms only (regroup)", "stored", feat.terms_of))
    return steps


def measure(name: str, arts: list[tuple[str, str]], reference: ModuleType | None) -> None:
    chars = sum(len(t) + len(b) for t, b in arts) / max(1, len(arts))
    print(f"{name}: {len(arts)} articles, {chars:.0f} chars each (ms/article)")
    impls = [("live", live_entities, live_features)]
    if reference is not None:
        impls.insert(0, ("before", reference, reference))
        print(f"  {'':26s} {'before':>8s} {'live':>8s} {'speed-up':>8s}")
    inputs: dict[str, dict[str, list[Any]]] = {}
    for label, _ent, feat in impls:
        feats = [feat.extract(t, b) for t, b in arts]
        inputs[label] = {
            "pair": list(arts),
            "features": feats,
            "stored": [feat.dumps(f) for f in feats],
        }
    rows: dict[str, list[float]] = {}
    for label, ent, feat in impls:
        for step_name, kind, step in _steps(ent, feat):
            rows.setdefault(step_name, []).append(_ms_per(inputs[label][kind], step))
    for step_name, times in rows.items():
        cells = "".join(f" {x:8.4f}" for x in times).rjust(9 * len(impls))
        ratio = f" {times[0] / times[1]:7.2f}x" if len(times) == 2 else ""
        print(f"  {step_name:26s}{cells}{ratio}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="synthetic articles")
    parser.add_argument("--profile", action="store_true", help="cProfile extract on synth")
    parser.add_argument(
        "--compare", action="store_true", help="also time the pre-optimisation extractor"
    )
    args = parser.parse_args()
    reference = _reference() if args.compare else None
    synth = list(synth_articles(args.n, seed=11))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for t, b in synth:
            live_features.extract(t, b)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return 0
    measure("synthetic", synth, reference)
    if SEEDS.exists():
        seeds = seed_articles()
        measure("seeds (x10)", seeds * 10, reference)
    else:
        print("seeds: ../shared/seeds not present, skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
