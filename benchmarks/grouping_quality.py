"""Story grouping quality: pairwise precision, recall and F1 against hand labels.

Runs the pure grouping algorithm over the two seed files (parsed by a tiny local parser, so
the benchmark does not depend on the importers), each alone and both as one library. The
look-alike corpus (different events that share people and places, and genuine rewrites of
them) has its own benchmark, ``benchmarks/grouping_lookalikes.py``, which goes through the
real import.

    .venv/bin/python benchmarks/grouping_quality.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.grouping.clusters import Item, group  # noqa: E402
from reader.grouping.evaluate import PairwiseScore, pairwise  # noqa: E402
from reader.grouping.features import extract  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
LABELS = ROOT / "tests" / "data" / "labels"


def parse_listing(text: str) -> list[tuple[str, str]]:
    """Seed 000: tag line, then title / blank / body / tag blocks."""
    lines = text.split("\n")
    tag = lines[0].split()[0]
    out: list[tuple[str, str]] = []
    i = 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title, body = lines[i], lines[i + 2]
        assert lines[i + 3].strip() == tag
        out.append((title, body))
        i += 4
    return out


def parse_thread(text: str) -> list[tuple[str, str]]:
    """Seed 001: posts separated by a no-break-space line and a "." line."""
    posts = text.split("\n\u00a0\n.\n")[:-1]
    posts[0] = posts[0].split("\n\n", 2)[2]
    return [("", p) for p in posts]


def seed_articles() -> dict[str, list[tuple[str, str]]]:
    return {
        "000_61b62ddfcad736cf": parse_listing(
            (SEEDS / "000_61b62ddfcad736cf.txt").read_text(encoding="utf-8")
        ),
        "001_1aa372daa38d7193": parse_thread(
            (SEEDS / "001_1aa372daa38d7193.txt").read_text(encoding="utf-8")
        ),
    }


def _score(
    articles: list[tuple[str, str, int | None]], truth: list[list[int]], offset: int = 0
) -> tuple[PairwiseScore, list[list[int]]]:
    items = [
        Item(id=i + offset, features=extract(title, body), ts=ts)
        for i, (title, body, ts) in enumerate(articles)
    ]
    bodies = {i + offset: body for i, (_, body, _) in enumerate(articles)}
    result = group(items, bodies=lambda ids: {i: bodies[i] for i in ids})
    clusters = [[i - offset for i in c] for c in result.clusters]
    return pairwise(clusters, truth), clusters


def seed_scores() -> dict[str, PairwiseScore]:
    """Per seed and for both seeds grouped together as one library."""
    seeds = seed_articles()
    out: dict[str, PairwiseScore] = {}
    combined: list[tuple[str, str, int | None]] = []
    combined_truth: list[list[int]] = []
    for name, arts in seeds.items():
        labels = json.loads((LABELS / f"{name}.json").read_text(encoding="utf-8"))
        truth = [g["articles"] for g in labels["groups"]]
        out[name], _ = _score([(ti, b, None) for ti, b in arts], truth)
        base = len(combined)
        combined.extend((ti, b, None) for ti, b in arts)
        combined_truth.extend([[base + x for x in g] for g in truth])
    out["both seeds"], _ = _score(combined, combined_truth)
    return out


def main() -> int:
    print(f"{'set':28} {'precision':>9} {'recall':>7} {'F1':>6}  pairs(true/found/correct)")
    scores = seed_scores() if SEEDS.exists() else {}
    for name, s in scores.items():
        print(f"{name:28} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}  "
              f"{s.true_pairs}/{s.found_pairs}/{s.correct_pairs}")
    if not SEEDS.exists():
        print(f"no seed files in {SEEDS}")
    print("look-alike corpus: .venv/bin/python benchmarks/grouping_lookalikes.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
