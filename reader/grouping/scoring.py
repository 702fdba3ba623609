"""Scoring one pair of articles: do they report the same event?

Each kind of fact (names, numbers, dates, rare words and phrases, title) gives an overlap in
0..1 in which every shared key is weighted by its rarity in the library (IDF), so a name in
half the library ("Putin" in a Russia dump) proves nothing while a tanker's name proves a
lot. A pair is accepted only when *more than one kind* of fact agrees: rewrites of one event
share names and numbers and wording; different events about the same people share names
and wording but not numbers or dates, and their specific facts conflict.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from reader.grouping import thresholds as t
from reader.grouping.features import Features


class Rarity:
    """Document frequencies of feature keys, giving each key its weight (IDF)."""

    def __init__(self, df: Mapping[str, int], total: int) -> None:
        self.df = df
        self.total = max(total, 1)
        self._log_total = math.log(self.total + 1)

    def idf(self, key: str) -> float:
        return self._log_total - math.log(self.df.get(key, 1) + 1) + math.log(2) * 0

    @classmethod
    def of(cls, features: Iterable[Features]) -> Rarity:
        df: dict[str, int] = {}
        n = 0
        for f in features:
            n += 1
            for key in f.all_keys():
                df[key] = df.get(key, 0) + 1
        return cls(df, n)


@dataclass(frozen=True, slots=True)
class PairScore:
    """The score of one pair and what it rests on (for explanations)."""

    score: float
    accepted: bool
    rule: str
    names: float
    numbers: float
    dates: float
    phrases: float
    title: float
    conflicts: int
    shared_names: tuple[str, ...]
    shared_numbers: tuple[str, ...]
    shared_dates: tuple[str, ...]
    shared_phrases: tuple[int, ...]
    shared_words: tuple[str, ...]


def _overlap(
    a: Iterable[str], b: Iterable[str], prefix: str, rarity: Rarity
) -> tuple[float, list[str]]:
    """Rarity-weighted overlap coefficient of two key sets, and the shared specific keys."""
    wa = {k: rarity.idf(prefix + k) for k in a}
    wb = {k: rarity.idf(prefix + k) for k in b}
    wa = {k: w for k, w in wa.items() if w >= t.MIN_SPECIFIC_IDF}
    wb = {k: w for k, w in wb.items() if w >= t.MIN_SPECIFIC_IDF}
    if not wa or not wb:
        return 0.0, []
    shared = [k for k in wa if k in wb]
    if not shared:
        return 0.0, []
    total = sum(wa[k] for k in shared)
    # Dice-like: shared weight against the mean of both sides, so a short article sharing
    # all of its two names with a long one is not a perfect match.
    denom = (sum(wa.values()) + sum(wb.values())) / 2
    shared.sort(key=lambda k: -wa[k])
    return min(1.0, total / denom), shared


def title_similarity(a: Features, b: Features) -> float:
    if not a.title or not b.title:
        return 0.0
    return float(fuzz.token_set_ratio(" ".join(a.title), " ".join(b.title))) / 100.0


def _unit_conflicts(a: Features, b: Features) -> int:
    conflicts = 0
    for unit, values in a.units.items():
        other = b.units.get(unit)
        if other and not (values & other) and not (values & b.numbers) and not (other & a.numbers):
            conflicts += 1
    return conflicts


def score_pair(a: Features, b: Features, rarity: Rarity) -> PairScore:
    """Score two articles' features (dates windows and re-posts are checked by the caller)."""
    names, shared_names = _overlap(a.entities, b.entities, "e:", rarity)
    numbers, shared_numbers = _overlap(a.numbers, b.numbers, "n:", rarity)
    day_dates = {f"d:{d}" for d in a.dates} | {f"y:{y}" for y in a.years}
    other_dates = {f"d:{d}" for d in b.dates} | {f"y:{y}" for y in b.years}
    dates, shared_date_keys = _overlap(day_dates, other_dates, "", rarity)
    shared_dates = [k[2:] for k in shared_date_keys]
    shared_days = a.dates & b.dates
    words, shared_words = _overlap(a.words, b.words, "w:", rarity)
    pa = {str(p) for p in a.phrases}
    pb = {str(p) for p in b.phrases}
    bigrams, shared_bigrams = _overlap(pa, pb, "p:", rarity)
    phrases = (words + bigrams) / 2
    title = title_similarity(a, b)

    conflicts = _unit_conflicts(a, b)
    penalty = conflicts * t.CONFLICT_PENALTY
    if a.dates and b.dates and not shared_days:
        penalty += t.DATE_CONFLICT_PENALTY
    if (
        a.protagonist
        and b.protagonist
        and a.protagonist != b.protagonist
        and a.protagonist not in b.entities
        and b.protagonist not in a.entities
    ):
        penalty += t.PROTAGONIST_PENALTY
        conflicts += 1
    elif (a.protagonist and a.protagonist not in b.entities) or (
        b.protagonist and b.protagonist not in a.entities
    ):
        penalty += t.ONE_SIDED_PROTAGONIST_PENALTY

    score = (
        t.WEIGHT_NAMES * names
        + t.WEIGHT_NUMBERS * numbers
        + t.WEIGHT_DATES * dates
        + t.WEIGHT_PHRASES * phrases
        + t.WEIGHT_TITLE * title
        - penalty
    )
    # Names and wording must both agree, plus one more kind of fact (or much more wording).
    kinds = [
        numbers >= t.NUMBERS_EVIDENCE,
        dates >= t.DATES_EVIDENCE,
        phrases >= t.STRONG_PHRASES,
        title >= t.STRONG_TITLE,
    ]
    multi_kind = names >= t.NAMES_EVIDENCE and phrases >= t.PHRASES_EVIDENCE and any(kinds)
    accepted = multi_kind and score >= t.ACCEPT_SCORE
    return PairScore(
        score=score,
        accepted=accepted,
        rule="shared facts" if accepted else "",
        names=names,
        numbers=numbers,
        dates=dates,
        phrases=phrases,
        title=title,
        conflicts=conflicts,
        shared_names=tuple(shared_names),
        shared_numbers=tuple(shared_numbers),
        shared_dates=tuple(shared_dates),
        shared_phrases=tuple(int(p) for p in shared_bigrams),
        shared_words=tuple(shared_words),
    )


def is_repost(body_a: str, body_b: str) -> bool:
    """Exact or near-exact re-post of the same text (attachment lines and spacing aside)."""
    a = " ".join(body_a.split())[: t.REPOST_PREFIX_CHARS].lower()
    b = " ".join(body_b.split())[: t.REPOST_PREFIX_CHARS].lower()
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) < 0.8 * max(len(a), len(b)):
        return False
    return float(fuzz.ratio(a, b)) / 100.0 >= t.REPOST_RATIO
