"""Story grouping quality on the user's seed dumps: pairwise precision, recall and F1.

Each seed file alone and both as one library go through the real pipeline: imported into a
fresh library (grouping as an import does), scored against the hand labels in
``tests/data/labels/``, then regrouped in full and scored again. Import and regroup must
agree. The look-alike corpus has its own benchmark, ``benchmarks/grouping_lookalikes.py``,
and real news ``benchmarks/grouping_ecbplus.py``.

    .venv/bin/python benchmarks/grouping_quality.py

Target (issue 13): both seeds, import and regroup alike, P >= 0.95 and R >= 0.90.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.grouping.evaluate import PairwiseScore, pairwise  # noqa: E402
from reader.importers import open_import  # noqa: E402
from reader.library import Library  # noqa: E402
from reader.text import identity_hash  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
LABELS = ROOT / "tests" / "data" / "labels"
NAMES = ("000_61b62ddfcad736cf", "001_1aa372daa38d7193")


def truth(name: str) -> list[list[int]]:
    """The labelled groups of a seed file, by the articles' 0-based position in it."""
    labels = json.loads((LABELS / f"{name}.json").read_text(encoding="utf-8"))
    return [list(g["articles"]) for g in labels["groups"]]


def stories_by_position(lib: Library, files: list[str]) -> list[list[tuple[str, int]]]:
    """The library's stories as ``(seed name, position)`` lists. An exact re-post inside a
    file is stored once (the forum seed's posts 5 and 6); it is in its twin's story."""
    story_of: dict[tuple[str, str], int] = {}  # (seed, identity hash) -> story
    for story, digest, path in lib.db.conn.execute(
        "SELECT a.story_id, a.content_hash, f.path FROM articles a"
        " JOIN files f ON f.id = a.file_id"
    ):
        story_of[(next(n for n in files if n in path), digest)] = int(story)
    out: dict[int, list[tuple[str, int]]] = {}
    for name in files:
        with open_import(SEEDS / f"{name}.txt") as parsed:
            for position, article in enumerate(parsed.articles):
                story = story_of[(name, identity_hash(article.title, article.body))]
                out.setdefault(story, []).append((name, position))
    return list(out.values())


def scores(names: list[str], folder: Path) -> tuple[PairwiseScore, PairwiseScore]:
    """(after import, after a full regroup) for the seed files ``names`` in one library."""
    labelled = [[(n, p) for p in g] for n in names for g in truth(n)]
    with Library.open(folder / f"{'+'.join(names)}.db") as lib:
        lib.import_paths([SEEDS / f"{n}.txt" for n in names])
        imported = pairwise(stories_by_position(lib, names), labelled)
        lib.regroup()
        regrouped = pairwise(stories_by_position(lib, names), labelled)
    return imported, regrouped


def main() -> int:
    if not SEEDS.exists():
        print(f"no seed files in {SEEDS}")
        return 0
    print(f"{'set':22} {'':8} {'precision':>9} {'recall':>7} {'F1':>6}  pairs true/found/correct")
    with tempfile.TemporaryDirectory() as tmp:
        for names in ([NAMES[0]], [NAMES[1]], list(NAMES)):
            label = "both seeds" if len(names) == 2 else names[0]
            for phase, s in zip(("import", "regroup"), scores(names, Path(tmp)), strict=True):
                print(f"{label:22} {phase:8} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}  "
                      f"{s.true_pairs}/{s.found_pairs}/{s.correct_pairs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
