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
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from reader.grouping import thresholds as t
from reader.grouping.features import Features


class Rarity:
    """Document frequencies of feature keys, giving each key its weight (IDF).

    Weights are memoised per key: one run asks for the same keys' weights many times (every
    pair an article takes part in), and ``math.log`` per lookup was most of the scoring time.
    """

    def __init__(self, df: Mapping[str, int], total: int) -> None:
        self.df = df
        self.total = max(total, 1)
        self._log_total = math.log(self.total + 1)
        self._memo: dict[str, float] = {}
        # key -> None when it is not specific, else (the interned key when it is shared by
        # two or more articles, else None; its weight): all _side needs, in one lookup.
        self._sides: dict[str, tuple[str | None, float] | None] = {}

    def side_entry(self, key: str) -> tuple[str | None, float] | None:
        """How :func:`_side` counts ``key`` (memoised, bounded like the weights)."""
        w = self.idf(key)
        entry = None
        if w >= t.MIN_SPECIFIC_IDF:
            entry = (sys.intern(key) if self.df.get(key, 1) >= 2 else None, w)
        if len(self._sides) > _MEMO_LIMIT:
            self._sides.clear()
        self._sides[key] = entry
        return entry

    def idf(self, key: str) -> float:
        w = self._memo.get(key)
        if w is None:
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()  # bounds memory on very large runs
            w = self._memo[key] = self._log_total - math.log(self.df.get(key, 1) + 1)
        return w

    @classmethod
    def of(cls, features: Iterable[Features]) -> Rarity:
        df: dict[str, int] = {}
        n = 0
        for f in features:
            n += 1
            for key in f.all_keys():
                df[key] = df.get(key, 0) + 1
        return cls(df, n)


#: Memoised weights kept per :class:`Rarity` before the memo is dropped (memory bound).
_MEMO_LIMIT = 500_000


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




@dataclass(frozen=True, slots=True)
class Side:
    """One kind of fact of one article, ready for pair scoring: its specific keys with their
    weights, and the total. Computed once per article per run, so scoring a pair is a set
    intersection plus a C-level sum over the (few) shared keys. The weight floats are the
    :class:`Rarity` memo's own objects, shared by every article holding the key."""

    weights: dict[str, float]  # shareable specific key ("e:putin") -> weight
    total: float  # sum of the weights


_NO_SIDE = Side({}, 0.0)


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article's features weighted by one :class:`Rarity`: what pair scoring reads."""

    features: Features
    names: Side
    numbers: Side
    dates: Side
    words: Side
    phrases: Side
    title: str  # the title's content words joined, for token_set_ratio
    rounds: frozenset[str] = frozenset()  # round figures among the numbers (_round_figures)


def _side(keys: Iterable[str], prefix: str, rarity: Rarity) -> Side:
    """Weigh one kind of keys. Only keys held by two or more articles are kept in the
    dict (a key held by one article is never shared: the rarity counts every article that
    grouping compares), but every specific key counts in the total. Kept keys carry their
    prefix and are interned, so the whole library shares one string per key."""
    sides = rarity._sides
    entry_of = rarity.side_entry
    kept: dict[str, float] = {}
    total = 0.0
    for k in keys:
        key = prefix + k
        e = sides.get(key, _UNSEEN)
        if e is _UNSEEN:
            e = entry_of(key)
        if e is not None:
            total += e[1]
            if e[0] is not None:
                kept[e[0]] = e[1]
    return Side(kept, total) if total else _NO_SIDE


#: Marks a key :func:`_side` has not looked up yet (None means "not specific").
_UNSEEN: tuple[str | None, float] = ("", -1.0)


def slim_features(f: Features) -> Features:
    """What pair scoring reads of an article besides its weighted sides (numbers, units,
    dates, names with their mentions, the protagonist): small enough to keep for every
    article of a library while the words and phrases stay in storage."""
    return Features(
        entities=f.entities,
        names={},
        kinds={},
        numbers=f.numbers,
        units=f.units,
        dates=f.dates,
        years=frozenset(),
        words=frozenset(),
        phrases=frozenset(),
        title=(),
        protagonist=f.protagonist,
        decisions=f.decisions,
    )


def prepare(f: Features, rarity: Rarity, *, slim: bool = False) -> Prepared:
    """Weigh an article's keys once, for all the pairs it takes part in.

    ``slim`` keeps only what pair scoring reads besides the sides (numbers, units, dates,
    names with their mentions, the protagonist): a full regroup holds every article's
    prepared form at once and needs neither the words nor the phrases twice.
    """
    dates = [f"d:{d}" for d in f.dates] + [f"y:{y}" for y in f.years]
    kept = slim_features(f) if slim else f
    return Prepared(
        features=kept,
        names=_side(f.entities, "e:", rarity),
        numbers=_side(f.numbers, "n:", rarity),
        dates=_side(dates, "", rarity),
        words=_side(f.words, "w:", rarity),
        phrases=_side(map(str, f.phrases), "p:", rarity),
        title=" ".join(f.title),
        rounds=_round_figures(f.numbers),
    )


def _overlap(a: Side, b: Side) -> float:
    """Rarity-weighted overlap of two sides (Dice-like: shared weight against the mean of
    both sides, so a short article sharing all of its two names with a long one is not a
    perfect match)."""
    if not a.total or not b.total:
        return 0.0
    shared = a.weights.keys() & b.weights.keys()
    if not shared:
        return 0.0
    total = sum(map(a.weights.__getitem__, shared))
    return min(1.0, total / ((a.total + b.total) / 2))


def _shared(a: Side, b: Side) -> list[str]:
    """The shared specific keys, heaviest first (for explanations)."""
    shared = [k for k in a.weights if k in b.weights]
    shared.sort(key=lambda k: -a.weights[k])
    return [k[2:] for k in shared]  # without the kind prefix


def title_similarity(a: Features, b: Features) -> float:
    if not a.title or not b.title:
        return 0.0
    return float(fuzz.token_set_ratio(" ".join(a.title), " ".join(b.title))) / 100.0


def _round_figures(numbers: frozenset[str]) -> frozenset[str]:
    """The numbers that are round figures able to stand for others: 100 or more with two
    significant digits at most ("200,000", "18,000"); a rate or a magnitude never is.
    Computed once per article, so a pair's conflict test parses no string it can skip."""
    out = []
    for x in numbers:
        v = float(x)
        if v >= 100 and float(f"{v:.2g}") == v:
            out.append(x)
    return frozenset(out)


def _near(rounded: float, exact: float) -> bool:
    return abs(rounded - exact) <= t.ROUNDING_TOLERANCE * max(rounded, exact)


def _round_match(
    values: frozenset[str],
    others: frozenset[str],
    values_rounds: frozenset[str],
    others_rounds: frozenset[str],
) -> bool:
    """True when a value on one side is a round figure that another rounds to: "more than
    200,000" for 214,000, "18,000 acres" for 18,200. ``*_rounds`` are each side's round
    figures (:func:`_round_figures`), only those can stand for others."""
    for x in values & values_rounds:
        vx = float(x)
        if any(_near(vx, float(y)) for y in others):
            return True
    for y in others & others_rounds:
        vy = float(y)
        if any(_near(vy, float(x)) for x in values):
            return True
    return False


def _unit_conflicts(
    a: Features, b: Features, a_rounds: frozenset[str], b_rounds: frozenset[str]
) -> tuple[int, int]:
    """(fixed, running): units both articles give with no value in common. A running unit
    ("~acre") is a figure that grows as the event develops, so its difference is weak."""
    fixed = running = 0
    for unit, values in a.units.items():
        other = b.units.get(unit)
        if (
            other
            and not (values & other)
            and not (values & b.numbers)
            and not (other & a.numbers)
            and not _round_match(values, b.numbers, a_rounds, b_rounds)
            and not _round_match(other, a.numbers, b_rounds, a_rounds)
        ):
            if unit.startswith("~"):
                running += 1
            else:
                fixed += 1
    return fixed, running


def names_fail(a: Prepared, b: Prepared, rarity: Rarity) -> bool:
    """True when the pair cannot be accepted on shared facts because both name people or
    places and too few of them agree: a cheap test (names are a handful of keys) that skips
    the costlier wording comparison for most candidate pairs. Articles without specific
    names never fail it, so nameless re-posts still reach the re-post test."""
    return names_evidence(a, b) is None


def names_evidence(a: Prepared, b: Prepared) -> float | None:
    """The pair's names overlap, or None when :func:`names_fail` holds (so grouping weighs
    the names once: the test's overlap is the score's)."""
    if not a.names.total or not b.names.total:
        return 0.0
    names = _overlap(a.names, b.names)
    return None if names < t.NAMES_EVIDENCE else names


def score_prepared(
    a: Prepared, b: Prepared, rarity: Rarity, names: float | None = None
) -> tuple[float, bool, float]:
    """(score, accepted, phrases) of a pair: the hot path of grouping, nothing listed.
    ``names`` is the names overlap when the caller has it (:func:`names_evidence`)."""
    fa, fb = a.features, b.features
    if names is None:
        names = _overlap(a.names, b.names)
    numbers = _overlap(a.numbers, b.numbers)
    dates = _overlap(a.dates, b.dates)
    phrases = (
        _overlap(a.words, b.words) + _overlap(a.phrases, b.phrases)
    ) / 2
    title = (
        float(fuzz.token_set_ratio(a.title, b.title)) / 100.0 if a.title and b.title else 0.0
    )
    score, accepted, _conflicts = _combine(
        fa, fb, names, numbers, dates, phrases, title, a.rounds, b.rounds
    )
    return score, accepted, phrases


def _combine(
    a: Features,
    b: Features,
    names: float,
    numbers: float,
    dates: float,
    phrases: float,
    title: float,
    a_rounds: frozenset[str],
    b_rounds: frozenset[str],
) -> tuple[float, bool, int]:
    conflicts, running = (
        _unit_conflicts(a, b, a_rounds, b_rounds) if a.units and b.units else (0, 0)
    )
    penalty = conflicts * t.CONFLICT_PENALTY + running * t.RUNNING_CONFLICT_PENALTY
    if a.dates and b.dates and not (a.dates & b.dates):
        penalty += t.DATE_CONFLICT_PENALTY
    if a.decisions and b.decisions and not (a.decisions & b.decisions):
        penalty += t.DECISION_CONFLICT_PENALTY
        conflicts += 1
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
    multi_kind = (
        names >= t.NAMES_EVIDENCE
        and phrases >= t.PHRASES_EVIDENCE
        and (
            numbers >= t.NUMBERS_EVIDENCE
            or dates >= t.DATES_EVIDENCE
            or phrases >= t.STRONG_PHRASES
            or title >= t.STRONG_TITLE
        )
    )
    return score, multi_kind and score >= t.ACCEPT_SCORE, conflicts


def score_pair(a: Features, b: Features, rarity: Rarity) -> PairScore:
    """Score two articles' features and list what they share (for explanations).

    Dates windows and re-posts are checked by the caller. Same arithmetic as
    :func:`score_prepared`, which grouping uses.
    """
    pa, pb = prepare(a, rarity), prepare(b, rarity)
    names = _overlap(pa.names, pb.names)
    numbers = _overlap(pa.numbers, pb.numbers)
    dates = _overlap(pa.dates, pb.dates)
    words = _overlap(pa.words, pb.words)
    bigrams = _overlap(pa.phrases, pb.phrases)
    phrases = (words + bigrams) / 2
    title = title_similarity(a, b)
    score, accepted, conflicts = _combine(
        a, b, names, numbers, dates, phrases, title, pa.rounds, pb.rounds
    )
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
        shared_names=tuple(_shared(pa.names, pb.names)),
        shared_numbers=tuple(_shared(pa.numbers, pb.numbers)),
        shared_dates=tuple(_shared(pa.dates, pb.dates)),
        shared_phrases=tuple(int(p) for p in _shared(pa.phrases, pb.phrases)),
        shared_words=tuple(_shared(pa.words, pb.words)),
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
