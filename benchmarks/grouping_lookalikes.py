"""Story grouping on news the rules were not written for: rewrites and their look-alikes.

The corpus in ``tests/data/lookalikes/`` holds invented but realistic articles: events
reported 2-5 times by different outlets (paraphrased, reordered, numbers spelled differently,
names shortened, casualty counts updated), each beside a *look-alike* event that must stay a
separate story — two earthquakes in one region, two celebrities in rehab in one week, two bank
robberies in one city, one prime minister's budget and foreign trip in the same week, and so
on — plus unrelated singletons.

It goes through the real pipeline (JSON Lines import into a fresh library, which groups as it
imports), then reads each article's story back and scores it against the labels: pairwise
precision, recall and F1, every look-alike ("different") pair that ended up in one story, and
a per-event table of splits and wrong merges, with the grouper's own explanation of each wrong
merge so the rules can be tuned from the output.

    .venv/bin/python benchmarks/grouping_lookalikes.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.grouping.evaluate import PairwiseScore, pairwise  # noqa: E402
from reader.library import Library  # noqa: E402

DATA = ROOT / "tests" / "data" / "lookalikes"
ARTICLES = DATA / "articles.jsonl"
LABELS = DATA / "labels.json"


@dataclass
class EventRow:
    """How one labelled event came out: into how many stories, shared with which events."""

    key: str
    size: int
    stories: int
    merged_with: list[str]
    parts: list[list[int]]  # the event's articles as the stories hold them


@dataclass
class Result:
    score: PairwiseScore
    titles: list[str]  # by corpus line index
    events: list[str]  # event key by corpus line index
    predicted: list[list[int]]  # stories as lists of corpus line indices
    different_merged: list[tuple[int, int]]  # look-alike pairs put into one story
    other_wrong: list[tuple[int, int]]  # other wrongly grouped pairs
    missed: list[tuple[int, int]]  # rewrites of one event left in different stories
    table: list[EventRow]
    explanations: dict[tuple[int, int], str] = field(default_factory=dict)
    seconds: float = 0.0


def load_labels() -> dict[str, object]:
    labels: dict[str, object] = json.loads(LABELS.read_text(encoding="utf-8"))
    return labels


def _explain(library: Library, a: int, b: int) -> str:
    try:
        r = library.explain(a, b)
    except Exception as exc:  # the explanation is a diagnostic; never let it hide the score
        return f"(no explanation: {exc})"
    parts = [f"similarity {r.similarity:.2f}"]
    if r.rule:
        parts.append(f"rule {r.rule!r}")
    for name, values in (
        ("names", r.names),
        ("terms", r.terms),
        ("conflicts", r.conflicts),
    ):
        if values:
            parts.append(f"{name} {list(values)[:8]}")
    return "; ".join(parts)


def undated_copy(workdir: Path, articles: Path = ARTICLES) -> Path:
    """The corpus with ``"published": null`` on every row: a dump without dates (both seed
    files are), where only the facts can keep next month's look-alike apart."""
    rows = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["published"] = None
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / "undated.jsonl"
    out.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    return out


def run(
    workdir: Path, explain: bool = True, regroup: bool = False, articles: Path = ARTICLES
) -> Result:
    """Import the corpus into a fresh library in ``workdir`` and score its stories.

    Import groups incrementally, article by article in file (publication) order; with
    ``regroup`` the whole library is then regrouped in one pass, the other code path.
    ``articles`` may be a reordered copy of the corpus: articles are matched to their labels
    by title, so the order of the lines does not matter.
    """
    labels = load_labels()
    rows = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]
    titles = [r["title"] for r in rows]
    if len(set(titles)) != len(titles):
        raise ValueError("corpus titles must be unique: they match articles back to lines")
    index_of = {t: i for i, t in enumerate(titles)}
    events_meta = labels["events"]
    assert isinstance(events_meta, list)
    event_of = [""] * len(rows)
    for ev in events_meta:
        for i in ev["articles"]:
            event_of[i] = ev["key"]
    truth = [ev["articles"] for ev in events_meta]
    different_raw = labels["different"]
    assert isinstance(different_raw, list)
    different = {frozenset(p) for p in different_raw}

    started = time.perf_counter()
    workdir.mkdir(parents=True, exist_ok=True)
    with Library.open(workdir / "lookalikes.db") as library:
        report = library.import_paths([articles])
        if report.added != len(rows):
            raise RuntimeError(f"imported {report.added} of {len(rows)} articles: {report}")
        if regroup:
            library.regroup()
        story_of: dict[int, int] = {}
        article_id: dict[int, int] = {}
        for row in library.export_rows():
            i = index_of[str(row["title"])]
            story = row["story"]
            assert isinstance(story, int) and isinstance(row["id"], int)
            story_of[i] = story
            article_id[i] = row["id"]
        seconds = time.perf_counter() - started
        by_story: dict[int, list[int]] = {}
        for i, s in sorted(story_of.items()):
            by_story.setdefault(s, []).append(i)
        predicted = list(by_story.values())

        found = {p for c in predicted for p in combinations(sorted(c), 2)}
        true = {p for g in truth for p in combinations(sorted(g), 2)}
        wrong = sorted(found - true)
        different_merged = [p for p in wrong if frozenset(p) in different]
        other_wrong = [p for p in wrong if frozenset(p) not in different]
        missed = sorted(true - found)
        explanations = (
            {p: _explain(library, article_id[p[0]], article_id[p[1]]) for p in wrong + missed}
            if explain
            else {}
        )

    table = []
    for ev in events_meta:
        members = ev["articles"]
        stories = {story_of[i] for i in members}
        merged_with = sorted(
            {event_of[j] for s in stories for j in by_story[s] if event_of[j] != ev["key"]}
        )
        parts = [[i for i in by_story[s] if i in members] for s in sorted(stories)]
        table.append(EventRow(ev["key"], len(members), len(stories), merged_with, parts))
    return Result(
        score=pairwise(predicted, truth),
        titles=titles,
        events=event_of,
        predicted=predicted,
        different_merged=different_merged,
        other_wrong=other_wrong,
        missed=missed,
        table=table,
        explanations=explanations,
        seconds=seconds,
    )


def _pair(result: Result, p: tuple[int, int]) -> str:
    a, b = p
    return (
        f"  [{a}] {result.events[a]}: {result.titles[a]}\n"
        f"  [{b}] {result.events[b]}: {result.titles[b]}"
    )


def print_report(result: Result, list_missed: bool = True) -> None:
    s = result.score
    print(
        f"look-alike corpus: {len(result.titles)} articles, "
        f"imported and grouped in {result.seconds:.1f} s"
    )
    print(f"{'precision':>9} {'recall':>7} {'F1':>6}  pairs(true/found/correct)")
    print(
        f"{s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}  "
        f"{s.true_pairs}/{s.found_pairs}/{s.correct_pairs}"
    )
    print()
    print(f"{'event':22} {'size':>4} {'stories':>7}  status")
    for row in result.table:
        status = []
        if row.stories > 1:
            status.append(f"SPLIT into {row.stories}: " + " | ".join(str(p) for p in row.parts))
        if row.merged_with:
            status.append("MERGED with " + ", ".join(row.merged_with))
        print(f"{row.key:22} {row.size:4} {row.stories:7}  {'; '.join(status) or 'ok'}")
    print()
    print(f"look-alike ('different') pairs grouped together: {len(result.different_merged)}")
    for p in result.different_merged:
        print(_pair(result, p))
        if p in result.explanations:
            print(f"      why: {result.explanations[p]}")
    print(f"other wrongly grouped pairs: {len(result.other_wrong)}")
    for p in result.other_wrong:
        print(_pair(result, p))
        if p in result.explanations:
            print(f"      why: {result.explanations[p]}")
    print(f"missed rewrite pairs: {len(result.missed)}")
    for p in result.missed if list_missed else []:
        print(_pair(result, p))
        if p in result.explanations:
            print(f"      why not: {result.explanations[p]}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        print("== as imported (incremental grouping) ==")
        print_report(run(Path(tmp) / "import"))
        print()
        print("== after a full regroup ==")
        print_report(run(Path(tmp) / "regroup", regroup=True), list_missed=False)
        print()
        print("== without publication dates (as in the seed dumps) ==")
        undated = undated_copy(Path(tmp) / "undated")
        print_report(run(Path(tmp) / "undated", articles=undated), list_missed=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
