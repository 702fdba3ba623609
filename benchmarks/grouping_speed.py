"""Story grouping speed on synthetic news: full regroup, incremental import, peak memory.

Synthetic articles draw names, places, numbers and dates from Zipf-like distributions (a
few names everywhere, most names rare), and a fifth of them are rewrites of another
article (same facts, shuffled wording), so blocking and scoring see realistic work.

    .venv/bin/python benchmarks/grouping_speed.py --articles 100000 --new 1000
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.library import Library  # noqa: E402
from reader.storage import stories as story_store  # noqa: E402

WORDS = [f"word{n}" for n in range(20000)]
FIRST = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas"]
PLACES = [f"Place{chr(65 + n % 26)}{n}" for n in range(5000)]


def _zipf(rng: random.Random, items: list[str], s: float = 1.1) -> str:
    n = len(items)
    return items[min(n - 1, int(rng.paretovariate(s)) - 1)]


def _surname(rng: random.Random) -> str:
    return f"Surname{min(50000, int(rng.paretovariate(0.9)))}"


def article(rng: random.Random) -> tuple[str, str]:
    person = f"{rng.choice(FIRST)} {_surname(rng)}"
    place = _zipf(rng, PLACES)
    number = rng.randint(11, 999_999)
    day = rng.randint(1, 28)
    words = [_zipf(rng, WORDS, 0.7) for _ in range(180)]
    sentences = [" ".join(words[i : i + 18]) for i in range(0, 180, 18)]
    facts = [
        f"{person} said {number:,} people were affected in {place} on March {day}",
        f"Officials in {place} confirmed that {person.split()[-1]} visited the site",
    ]
    body = ". ".join(s.capitalize() for s in sentences[:5] + facts + sentences[5:]) + "."
    title = f"{person.split()[-1]} {words[0]} {words[1]} in {place}"
    return title, body


def rewrite(rng: random.Random, title: str, body: str) -> tuple[str, str]:
    parts = body.split(". ")
    rng.shuffle(parts)
    return title.split()[0] + " " + " ".join(title.split()[2:]), ". ".join(parts)


def corpus(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    while len(out) < n:
        if out and rng.random() < 0.2:
            out.append(rewrite(rng, *rng.choice(out[-200:])))
        else:
            out.append(article(rng))
    return out


def write_jsonl(path: Path, arts: list[tuple[str, str]], start: int) -> None:
    import json

    with path.open("w", encoding="utf-8") as handle:
        for i, (title, body) in enumerate(arts):
            day = 1 + (start + i) // 3000
            handle.write(json.dumps({"title": title, "body": body, "source": "Synthetic",
                                     "published": f"2025-01-{min(day, 28):02d}T12:00:00Z"}))
            handle.write("\n")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--new", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = corpus(args.articles + args.new, 7)
        first, extra = Path(tmp, "a.jsonl"), Path(tmp, "b.jsonl")
        write_jsonl(first, base[: args.articles], 0)
        write_jsonl(extra, base[args.articles :], args.articles)
        with Library.open(Path(tmp, "lib.db")) as lib:
            t0 = time.perf_counter()
            report = lib.import_paths([first])
            t1 = time.perf_counter()
            print(f"import of {report.added} articles (with grouping): {t1 - t0:.1f} s")
            t0 = time.perf_counter()
            stories = lib.regroup()
            t1 = time.perf_counter()
            print(f"full regroup of {args.articles} articles: {t1 - t0:.1f} s ({stories} stories)")
            t0 = time.perf_counter()
            report = lib.import_paths([extra])
            t1 = time.perf_counter()
            print(f"incremental import of {report.added} into {args.articles}: {t1 - t0:.2f} s")
            print(f"library size: {story_store.library_size(lib.db)} articles with features")
    print(f"peak memory: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
