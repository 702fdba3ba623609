"""Story grouping on unseen news: rewrites must group, look-alike events must never merge.

The corpus (``tests/data/lookalikes/``, built from ``corpus.txt`` by ``build.py``) was written
for this test, not for the rules: 25 events reported 2-5 times each, and beside most of them a
related-but-different event (two earthquakes in one region, two rehab stories in one week, two
ministers resigning from one government, one prime minister's budget and foreign trip in the
same week...). It goes through the real import into a fresh library.

The red line is the user's: different events about the same people or places are never one
story. The score floors record the level reached when the corpus was written, so a change to
the rules that loses ground fails here. Run ``benchmarks/grouping_lookalikes.py`` for the
per-event table and the grouper's explanation of every miss and wrong merge.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers.modules import benchmark, load_file

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "lookalikes"

# Measured when the corpus was written: precision 1.000, recall 0.766 (82 of 107 rewrite
# pairs). After people-only surname keys, descriptor-free and acronym keys for other names,
# running figures, rounded figures, dates read as dates and rate decisions: precision 1.000,
# recall 0.953 (102 of 107, none wrong). Floors sit just below, so noise-free code changes
# pass and real regressions fail. Raise them when the rules improve.
PRECISION_FLOOR = 0.99
RECALL_FLOOR = 0.92

# The same corpus with every "published" set to null (the seed dumps carry no dates), so the
# 7-day window cannot help. Measured first: precision 0.941, recall 0.748 (the March and
# April Bank of Canada decisions merged); now precision 1.000, recall 0.953: a cut against
# a hold is a conflicting fact.
UNDATED_PRECISION_FLOOR = 0.99
UNDATED_RECALL_FLOOR = 0.92


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return benchmark("grouping_lookalikes")


@pytest.fixture(scope="module")
def imported(bench: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The corpus imported (grouped incrementally) once for the module."""
    result = bench.run(tmp_path_factory.mktemp("lookalikes"))
    bench.print_report(result)
    yield result


def _describe(result: Any, pairs: list[tuple[int, int]]) -> str:
    return "\n".join(
        f"{result.titles[a]!r} + {result.titles[b]!r} ({result.explanations.get((a, b), '')})"
        for a, b in pairs
    )


def test_corpus_files_are_built_from_the_source() -> None:
    """articles.jsonl and labels.json must be what build.py makes of corpus.txt."""
    build = load_file("lookalikes_build", DATA / "build.py")
    articles, labels = build.render(build.parse(build.CORPUS.read_text(encoding="utf-8")))
    assert (DATA / "articles.jsonl").read_text(encoding="utf-8") == articles
    assert (DATA / "labels.json").read_text(encoding="utf-8") == labels


def test_corpus_is_the_promised_shape() -> None:
    """Enough events, rewrites and look-alikes for the figures to mean something."""
    rows = [json.loads(x) for x in (DATA / "articles.jsonl").read_text("utf-8").splitlines()]
    labels = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))
    assert 80 <= len(rows) <= 120
    for row in rows:
        assert 80 <= len((row["title"] + " " + row["body"]).split()) <= 250, row["title"]
        assert row["published"].endswith("Z")
    assert len({row["source"] for row in rows}) >= 4
    groups = labels["groups"]
    assert sorted(i for g in groups for i in g) == list(range(len(rows)))
    assert sum(3 <= len(g) <= 5 for g in groups) >= 12
    event_of = {i: n for n, g in enumerate(groups) for i in g}
    assert all(event_of[a] != event_of[b] for a, b in labels["different"])
    with_lookalike = {event_of[i] for pair in labels["different"] for i in pair}
    assert sum(len(groups[e]) >= 3 for e in with_lookalike) >= 8


def test_no_lookalike_events_are_merged(imported: Any) -> None:
    """The user's red line: related but different events are never one story."""
    assert imported.different_merged == [], "look-alike events grouped together:\n" + _describe(
        imported, imported.different_merged
    )


def test_pairwise_quality_does_not_drop(imported: Any) -> None:
    score = imported.score
    print(f"precision {score.precision:.3f} recall {score.recall:.3f} F1 {score.f1:.3f}")
    assert score.precision >= PRECISION_FLOOR, _describe(
        imported, imported.different_merged + imported.other_wrong
    )
    assert score.recall >= RECALL_FLOOR, _describe(imported, imported.missed)


def test_full_regroup_keeps_lookalikes_apart(bench: ModuleType, tmp_path: Path) -> None:
    """``broadsheet regroup`` takes another path through the code; same red line, same floors."""
    result = bench.run(tmp_path, regroup=True)
    assert result.different_merged == [], _describe(result, result.different_merged)
    assert result.score.precision >= PRECISION_FLOOR
    assert result.score.recall >= RECALL_FLOOR


def test_import_order_does_not_merge_lookalikes(bench: ModuleType, tmp_path: Path) -> None:
    """Incremental grouping sees articles one at a time; a shuffled feed must not fool it."""
    lines = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    random.Random(20260314).shuffle(lines)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = bench.run(tmp_path / "lib", articles=shuffled)
    assert result.different_merged == [], _describe(result, result.different_merged)
    assert result.score.precision >= PRECISION_FLOOR


@pytest.fixture(scope="module")
def undated(bench: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The corpus without publication dates, imported once for the module."""
    workdir = tmp_path_factory.mktemp("undated")
    result = bench.run(workdir / "lib", articles=bench.undated_copy(workdir))
    bench.print_report(result, list_missed=False)
    return result


def test_undated_quality_does_not_drop(undated: Any) -> None:
    score = undated.score
    print(f"undated: precision {score.precision:.3f} recall {score.recall:.3f}")
    assert score.precision >= UNDATED_PRECISION_FLOOR
    assert score.recall >= UNDATED_RECALL_FLOOR, _describe(undated, undated.missed)


def test_undated_lookalikes_stay_apart(undated: Any) -> None:
    """The red line again, with no publication dates to lean on: facts alone must do it."""
    assert undated.different_merged == [], "look-alike events grouped together:\n" + _describe(
        undated, undated.different_merged
    )
