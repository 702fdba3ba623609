"""Feature extraction for large imports, in worker processes beside the grouping.

Why: extracting an article's features (names, numbers, phrases) is pure text work that needs
nothing from the library, while grouping a batch needs the batches before it. So a big
import extracts batch *k + 1* in other processes while this one groups batch *k*; on a
2-core machine that overlaps the two halves of the work instead of running them in turn.
Worker processes (not threads) because both halves are Python code holding the GIL.

Small imports never start a pool (starting a process costs more than extracting a few
thousand articles), and a process that cannot have children (the window's daemonic import
child) or a pool that breaks falls back to extracting in the calling process: the outcome
is the same either way, only the speed differs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from reader.grouping import conflicts
from reader.grouping import features as feat
from reader.grouping.entities import extract_entities, facet_name
from reader.lifeline import exit_with_parent

#: Imports adding fewer articles than this extract in the calling process: a worker's
#: start-up (a fresh interpreter importing the grouping code, ~0.3 s) would outweigh it.
MIN_PARALLEL_ARTICLES = 6000

#: Worker processes at most, whatever the core count: grouping in the calling process is the
#: sequential half, and more extractors than it can consume only hold memory.
MAX_WORKERS = 3

#: One task's share of a batch: small enough to spread a batch over the workers and to
#: let the caller take back the tasks they have not started.
TASK_ARTICLES = 250

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Extracted:
    """One article's features in their stored forms and its names for the facets: what the
    importer writes, and nothing it would only unpack (results cross between processes,
    and unpickling whole features cost the importer more than writing them)."""

    article_id: int
    data: str  # feat.dumps(features)
    facts: str | None  # conflicts.dumps(conflicts.facts_of(features))
    entities: dict[str, tuple[str, str]]  # entity key -> (display name, kind)


@dataclass(slots=True)
class Extraction:
    """Some articles extracted, with the count of articles holding each of their terms (the
    document frequencies they add): a term is sent once per task, not once per article."""

    articles: list[Extracted] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)

    def extend(self, other: Extraction) -> None:
        self.articles.extend(other.articles)
        terms = self.terms
        if not terms:
            terms.update(other.terms)
            return
        get = terms.get
        for term, n in other.terms.items():
            terms[term] = get(term, 0) + n


def extract_rows(rows: Sequence[tuple[int, str, str]]) -> Extraction:
    """Extract ``(article id, title, body)`` rows (runs in a worker or in the caller)."""
    out = Extraction()
    counts: Counter[str] = Counter()
    for article_id, title, body in rows:
        entities = extract_entities(title, body)
        f = feat.extract(title, body, entities=entities)
        counts.update(f.terms.keys())
        out.articles.append(
            Extracted(
                article_id,
                feat.dumps(f),
                conflicts.dumps(conflicts.facts_of(f)),
                {e.key: (facet_name(e), e.kind) for e in entities},
            )
        )
    out.terms = dict(counts)
    return out


class Pending:
    """A batch handed to the pool: its tasks' futures, or the rows to extract here."""

    def __init__(self, pool: ExtractionPool, rows: Sequence[tuple[int, str, str]]) -> None:
        self._pool = pool
        self._rows = rows
        self._futures: list[Future[Extraction]] = []
        executor = pool.executor
        if executor is not None:
            try:
                self._futures = [
                    executor.submit(extract_rows, rows[i : i + TASK_ARTICLES])
                    for i in range(0, len(rows), TASK_ARTICLES)
                ]
            except (BrokenProcessPool, RuntimeError):
                pool.broken()
                self._futures = []
        #: Tasks taken back from the workers and extracted here, by task.
        self._parts: list[Extraction | None] = [None] * len(self._futures)

    def take_back(self, most: int | None = None) -> int:
        """Extract here, last first, up to ``most`` of the tasks the workers have not started
        (all of them by default); returns how many were taken."""
        taken = 0
        for i in range(len(self._futures) - 1, -1, -1):
            if most is not None and taken >= most:
                break
            if self._parts[i] is None and self._futures[i].cancel():
                start = i * TASK_ARTICLES
                self._parts[i] = extract_rows(self._rows[start : start + TASK_ARTICLES])
                taken += 1
        return taken

    def result(self) -> Extraction:
        """The batch's extracted articles, in row order, and their terms' counts.

        Tasks the workers have not started yet are taken back and extracted here (the
        caller would otherwise sit idle waiting): whichever side is faster does more.
        """
        if self._futures:
            self.take_back()
            try:
                out = Extraction()
                for future, part in zip(self._futures, self._parts, strict=True):
                    out.extend(part if part is not None else future.result())
                return out
            except (BrokenProcessPool, OSError):
                self._pool.broken()
        return extract_rows(self._rows)

    def done(self) -> bool:
        """Whether :meth:`result` would return without waiting on a worker."""
        return all(future.done() for future in self._futures)

    def cancel(self) -> None:
        for future in self._futures:
            future.cancel()


class ExtractionPool:
    """Worker processes extracting features, or none (then everything runs in the caller)."""

    def __init__(self, workers: int) -> None:
        self.executor: ProcessPoolExecutor | None = None
        if workers > 0:
            try:
                self.executor = ProcessPoolExecutor(
                    max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=exit_with_parent,  # no worker outlives a killed import
                )
            except (OSError, ValueError):
                self.executor = None

    def submit(self, rows: Sequence[tuple[int, str, str]]) -> Pending:
        return Pending(self, rows)

    def run(self, fn: Callable[..., T], *args: object) -> Future[T] | None:
        """Other work for the workers (a module-level ``fn``, pickled by name), or None when
        there are none: the caller then does it itself. For work that needs only what it is
        given, so it can use the workers once extraction is done and they would idle."""
        if self.executor is None:
            return None
        try:
            return self.executor.submit(fn, *args)
        except (BrokenProcessPool, RuntimeError):
            self.broken()
            return None

    def broken(self) -> None:
        """A worker died: carry on in the calling process."""
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def workers_for(articles: int) -> int:
    """How many extraction workers an import of ``articles`` new articles gets (0: none)."""
    if articles < MIN_PARALLEL_ARTICLES or multiprocessing.current_process().daemon:
        return 0  # too small to pay off, or this process may not have children
    cores = os.cpu_count() or 1
    if cores < 2:
        return 0
    return max(1, min(MAX_WORKERS, cores - 1))


@contextmanager
def extraction_pool(articles: int) -> Iterator[ExtractionPool]:
    """A pool sized for an import of ``articles`` new articles, shut down on leaving."""
    pool = ExtractionPool(workers_for(articles))
    try:
        yield pool
    finally:
        pool.close()
