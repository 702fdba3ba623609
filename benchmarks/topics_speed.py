"""Topic assignment speed at import: milliseconds per article, before and after a change.

Importing 1,000,000 articles has a budget of about 1 ms per article for everything derived
from it (stories and topics), so topic assignment must stay near 0.1 ms. Two figures:

* ``evaluate``: :meth:`reader.topics.TopicEvaluator.topics_for` alone, for the 11 default
  topics plus four user topics (phrases, prefixes, AND/OR/NOT);
* ``assign``: :func:`reader.storage.topics.assign_topics` over freshly stored articles, as the
  import calls it once per file (reading the rows, scoring, writing assignments and counts).

The text is realistic in the ways that cost time: real article bodies from the seed files,
new articles recombined from the seeds' sentences and :mod:`benchmarks.synth`'s write-ups,
and a few never-seen-before names and numbers in every article (the long tail of a real
library's vocabulary, which no cache can have seen). Figures are CPU time per article (best
of ``--repeats`` for ``evaluate``), since the machine is shared; wall time is printed beside.
Every pass starts cold: a fresh evaluator, and the search folding's remembered words dropped.

A third figure, ``evaluate (8 languages)``, scores articles recombined from the Russian,
Ukrainian, Greek, German, French, Polish, Turkish and Vietnamese articles in
``tests/data/languages`` (with never-seen names in their scripts) against the same rules plus
rules in those languages: the text that does not take the ASCII path. Its results are not
expected to be identical across a change of folding (that is what such a change fixes); the
numbers of assignments are printed. The one-time cost of deriving the folding from SQLite
(once per process) is printed too.

``--before REV`` runs the same measurements on the ``reader/`` package of a git revision
(extracted with ``git archive`` into a temporary folder) and prints both:

    .venv/bin/python benchmarks/topics_speed.py --before HEAD~3
    .venv/bin/python benchmarks/topics_speed.py -n 20000 --store 5000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.query.matcher import Weights
    from reader.topics import TopicRule

ROOT = Path(__file__).resolve().parent.parent
_CODE_ENV = "BROADSHEET_BENCH_CODE"
# The package under test: this checkout, or an extracted revision (set by --before).
sys.path.insert(0, os.environ.get(_CODE_ENV, str(ROOT)))
sys.path.insert(1, str(ROOT))  # benchmarks.synth always comes from this checkout

from benchmarks.corpora import SEEDS, seed_articles  # noqa: E402
from benchmarks.revisions import extract_revision  # noqa: E402

#: User topics as a reader might write them: the language's phrases, prefixes and operators.
USER_RULES = [
    '"Kerch Strait" AND (oil OR spill*)',
    "(sanction* OR tariff*) NOT (football OR olympic*)",
    '"grain corridor" OR (port AND expan*) OR "black sea"',
    '(cyber* OR hack*) AND (attack* OR breach*) OR "air defen"*',
]

_SYLLABLES = ["ka", "lo", "mir", "zet", "vo", "ran", "dus", "pel", "yi", "shor", "ten", "gra"]
#: Rules a reader of the eight languages might write.
LANGUAGE_RULES = [
    "Зеленский OR Москв*",
    "σεισμός OR Κρήτη",
    "Düsseldorf AND Großstadt",
    '"Việt Nam" OR "Đà Nẵng"',
    "İstanbul* NOT futbol",
    "Łódź OR dworzec",
    "réforme AND retraites",
    "Львів* OR міст",
]
_LANGUAGES = ROOT / "tests" / "data" / "languages"
_FOREIGN_SYLLABLES = ["ко", "ри", "зе", "λο", "κα", "μι", "ül", "ść", "ğa", "ệt", "ơn", "ї"]


def corpus(n: int, seed: int = 11) -> list[tuple[str, str]]:
    """``n`` distinct (title, body) pairs: seed articles, recombinations, synthetic write-ups."""
    from benchmarks.synth import articles as synth_articles

    rng = random.Random(seed)
    real = seed_articles()
    synth = list(synth_articles(max(n // 3, 1), seed=seed))
    sentences = [s for _, body in real for s in re.split(r"(?<=[.!?])\s+", body) if s]
    sentences += [s for _, body in synth[:2000] for s in re.split(r"(?<=[.!?])\s+", body) if s]
    out: list[tuple[str, str]] = list(dict.fromkeys(real))
    k = 0
    while len(out) < n:
        rare = [
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            + str(rng.randint(0, 99999))
            for _ in range(rng.randint(2, 6))
        ]
        if k % 3 and real:  # two in three: seed-like length and vocabulary
            title = rng.choice(real)[0]
            picked = rng.sample(sentences, rng.randint(6, 20))
            body = " ".join(picked) + f" {rare[0]} spoke to {' and '.join(rare[1:])}."
        else:
            title, body = synth[k % len(synth)]
            body += f" Reported by {' '.join(rare)}."
        out.append((f"{title} {rare[0]}" if k % 4 == 0 else title, body))
        k += 1
    return list(dict.fromkeys(out))[:n]  # distinct, as stored articles are


def language_corpus(n: int, seed: int = 13) -> list[tuple[str, str]]:
    """``n`` distinct articles recombined from the eight languages' sample articles."""
    rng = random.Random(seed)
    samples = []
    for path in sorted(_LANGUAGES.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        samples.append((lines[0].removeprefix("# "), " ".join(lines[2:]).strip()))
    sentences = [
        [s for s in re.split(r"(?<=[.!?»“])\s+", body) if s] for _, body in samples
    ]
    out: list[tuple[str, str]] = []
    while len(out) < n:
        k = rng.randrange(len(samples))
        rare = [
            "".join(rng.choice(_FOREIGN_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            + str(rng.randint(0, 999))
            for _ in range(rng.randint(2, 5))
        ]
        picked = [rng.choice(sentences[k]) for _ in range(rng.randint(5, 14))]
        out.append((f"{samples[k][0]} {rare[0]}", " ".join(picked) + " " + " ".join(rare)))
    return list(dict.fromkeys(out))[:n]


def _rules(extra: Sequence[str] = ()) -> tuple[list[TopicRule], Weights]:
    from reader.topics import TopicRule, load_taxonomy

    taxonomy = load_taxonomy()
    rules = [TopicRule(i + 1, spec.rule, spec.threshold) for i, spec in
             enumerate(taxonomy.topics)]
    base = len(rules) + 1
    rules += [TopicRule(base + i, rule, 0.0) for i, rule in enumerate([*USER_RULES, *extra])]
    return rules, taxonomy.weights


def _forget_words() -> None:
    """Drop the search folding's remembered words, so a pass starts cold (revisions before
    the folding module remembered none)."""
    try:
        from reader.query.folding import folding
    except ImportError:
        return
    folding()._memory.clear()


def derive_seconds() -> float | None:
    """CPU seconds to derive the folding from SQLite (None before the folding module)."""
    try:
        from reader.query.folding import derive
    except ImportError:
        return None
    cpu = time.process_time()
    derive()
    return time.process_time() - cpu


def measure_evaluate(
    texts: Sequence[tuple[str, str]], repeats: int, extra: Sequence[str] = ()
) -> dict[str, Any]:
    """Best-of-``repeats`` ms/article of ``topics_for``; a fresh evaluator each time."""
    from reader.topics import TopicEvaluator

    rules, weights = _rules(extra)
    best = wall = float("inf")
    results: list[list[tuple[int, float]]] = []
    for _ in range(repeats):
        _forget_words()
        start, cpu = time.perf_counter(), time.process_time()
        evaluator = TopicEvaluator(rules, weights)
        results = [evaluator.topics_for(t, b) for t, b in texts]
        best = min(best, time.process_time() - cpu)
        wall = min(wall, time.perf_counter() - start)
    return {"ms": best * 1000 / len(texts), "wall_ms": wall * 1000 / len(texts),
            "assigned": sum(map(len, results)),
            "digest": _digest(results), "chars": sum(len(b) for _, b in texts) / len(texts)}


def _digest(results: object) -> str:
    """A fingerprint of the exact results, to compare two revisions' answers."""
    return hashlib.sha256(repr(results).encode()).hexdigest()[:16]


def measure_assign(texts: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """ms/article of one ``assign_topics`` call over freshly stored articles (one import)."""
    from reader.library import Library
    from reader.storage import articles as article_store
    from reader.storage import topics as store
    from reader.text import identity_hash
    from reader.types import ParsedArticle

    with tempfile.TemporaryDirectory() as tmp, Library.open(Path(tmp) / "lib.db") as lib:
        for i, rule in enumerate(USER_RULES):
            lib.add_topic(f"User {i}", rule)
        db = lib.db
        with db.atomic():
            source = article_store.source_id(db, "Bench")
            batch = [
                article_store.NewArticle(
                    ParsedArticle(title, body, k), source, identity_hash(title, body)
                )
                for k, (title, body) in enumerate(texts)
            ]
            ids = article_store.insert_articles(db, None, batch)
        _forget_words()
        start, cpu = time.perf_counter(), time.process_time()
        with db.atomic():
            store.assign_topics(db, ids)
        elapsed, wall = time.process_time() - cpu, time.perf_counter() - start
        rows = db.conn.execute(
            "SELECT topic_id, article_id, score, unread FROM article_topics ORDER BY 1, 2"
        ).fetchall()
        stories = db.conn.execute("SELECT * FROM story_topics ORDER BY 1, 2").fetchall()
        totals = db.conn.execute("SELECT id, total, unread FROM topics ORDER BY id").fetchall()
    return {"ms": elapsed * 1000 / len(texts), "wall_ms": wall * 1000 / len(texts),
            "assigned": len(rows),
            "digest": _digest((rows, stories, totals))}


def _child(args: argparse.Namespace) -> int:
    derived = derive_seconds()  # also warms the folding, as any earlier query would have
    texts = corpus(args.n)
    result = {"evaluate": measure_evaluate(texts, args.repeats)}
    result["assign"] = measure_assign(texts[: args.store])
    result["languages"] = measure_evaluate(
        language_corpus(max(args.n // 4, 1)), args.repeats, LANGUAGE_RULES
    )
    result["derive"] = {"s": derived}
    print(json.dumps(result))
    return 0


def _run(code: Path | None, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    env = dict(os.environ)
    if code is not None:
        env[_CODE_ENV] = str(code)
    cmd = [sys.executable, __file__, "--child", "-n", str(args.n), "--store", str(args.store),
           "--repeats", str(args.repeats)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    result: dict[str, dict[str, Any]] = json.loads(out.strip().splitlines()[-1])
    return result


def _print(label: str, r: dict[str, dict[str, Any]], n: int, store: int) -> None:
    ev, asg, lang = r["evaluate"], r["assign"], r["languages"]
    print(f"{label}:")
    print(f"  evaluate  topics_for      {ev['ms']:.4f} ms/article CPU"
          f" ({ev['wall_ms']:.4f} wall)"
          f"  ({n:,} articles of {ev['chars']:,.0f} characters on average,"
          f" {int(ev['assigned']):,} assignments)")
    print(f"  assign    assign_topics   {asg['ms']:.4f} ms/article CPU"
          f" ({asg['wall_ms']:.4f} wall)"
          f"  ({store:,} stored articles, {int(asg['assigned']):,} rows)")
    print(f"  evaluate  (8 languages)   {lang['ms']:.4f} ms/article CPU"
          f" ({lang['wall_ms']:.4f} wall)"
          f"  ({max(n // 4, 1):,} articles of {lang['chars']:,.0f} characters,"
          f" {int(lang['assigned']):,} assignments)")
    derived = r["derive"]["s"]
    if derived is not None:
        print(f"  deriving the search folding from SQLite: {derived:.3f} s CPU, once per process")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20_000, help="articles scored in memory")
    parser.add_argument("--store", type=int, default=5_000, help="articles stored and assigned")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many passes")
    parser.add_argument("--before", metavar="REV", help="also measure this git revision")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args)
    if not SEEDS.exists():
        print(f"the seed files are needed: {SEEDS} does not exist", file=sys.stderr)
        return 2
    print(f"11 default topics + {len(USER_RULES)} user topics; {args.n:,} articles")
    if args.before:
        with tempfile.TemporaryDirectory() as tmp:
            before = _run(extract_revision(args.before, Path(tmp)), args)
        _print(f"before ({args.before})", before, args.n, args.store)
    after = _run(None, args)
    _print("after (this checkout)", after, args.n, args.store)
    if args.before:
        for part in ("evaluate", "assign"):
            same = before[part]["digest"] == after[part]["digest"]
            print(f"  {part}: {before[part]['ms'] / after[part]['ms']:.1f}x faster,"
                  f" identical results: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
