"""Story grouping quality at scale: pairwise precision and recall on labelled synthetic dumps.

The seeds are small; this checks what blocking and its caps do to quality in a big library.
:mod:`benchmarks.synth` knows which event each article reports, so a dump of ``n`` articles
is imported (grouping as an import does), scored, regrouped and scored again. The data is
harsher than real news: a small pool of names, 40 events a day, and filler sentences shared
across events.

    .venv/bin/python benchmarks/grouping_synthetic.py [--articles 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synth import labelled_articles  # noqa: E402
from reader.grouping.evaluate import PairwiseScore, pairwise  # noqa: E402
from reader.library import Library  # noqa: E402


def _clusters(lib: Library, event_of: dict[tuple[str, str], int]) -> tuple[
    list[list[int]], list[list[int]]
]:
    """(stories, truth) as lists of article ids."""
    stories: dict[int, list[int]] = {}
    truth: dict[int, list[int]] = {}
    for article_id, story, title, body in lib.db.conn.execute(
        "SELECT id, story_id, title, body FROM articles"
    ):
        stories.setdefault(int(story), []).append(int(article_id))
        truth.setdefault(event_of[(title, body)], []).append(int(article_id))
    return list(stories.values()), list(truth.values())


def _line(label: str, score: PairwiseScore, stories: int, seconds: float) -> str:
    return (
        f"  {label:10} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}"
        f"  ({stories:,} stories, {seconds:.1f} s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.txt"
        event_of: dict[tuple[str, str], int] = {}
        with dump.open("w", encoding="utf-8") as out:
            out.write("SY Synthetic News\n\n")
            for event, title, body in labelled_articles(args.articles, args.seed):
                event_of[(title, body)] = event
                out.write(f"{title}\n\n{body}\nSY\n\n")
        print(f"{args.articles:,} synthetic articles, {len(set(event_of.values())):,} events")
        with Library.open(Path(tmp) / "lib.db") as lib:
            start = time.perf_counter()
            lib.import_paths([dump])
            stories, truth = _clusters(lib, event_of)
            print(_line("import", pairwise(stories, truth), len(stories),
                        time.perf_counter() - start))
            start = time.perf_counter()
            lib.regroup()
            stories, truth = _clusters(lib, event_of)
            print(_line("regroup", pairwise(stories, truth), len(stories),
                        time.perf_counter() - start))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
