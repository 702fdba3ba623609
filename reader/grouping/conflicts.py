"""Facts two articles disagree on: what keeps look-alike events apart when their words agree.

Two earthquakes in one region, two stars entering one rehab clinic, the next meeting of the
same central bank: the words and places are the same, the facts are not. Only conflicts that
were measured to separate look-alike events from rewrites are used (see
:mod:`reader.grouping.thresholds`); each costs the pair a fixed amount of similarity.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from reader.grouping import thresholds as t
from reader.grouping.features import Features, decode

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Facts:
    """The part of an article's features that conflicts read (kept for every article of a
    regroup, so it holds no words)."""

    names: frozenset[str]
    protagonist: str | None
    units: dict[str, frozenset[str]]
    numbers: frozenset[str]
    rounds: frozenset[str]  # the numbers that are round figures (see round_figures)
    years: frozenset[str]
    decisions: frozenset[str]

    @property
    def empty(self) -> bool:
        """No fact that could conflict with anything (most short items): skip the tests."""
        return not (self.protagonist or self.units or self.years or self.decisions)


#: An article with nothing that could conflict.
NO_FACTS = Facts(frozenset(), None, {}, frozenset(), frozenset(), frozenset(), frozenset())


def facts_of(f: Features) -> Facts:
    return Facts(
        names=frozenset(f.entities),
        protagonist=f.protagonist,
        units=f.units,
        numbers=f.numbers,
        rounds=round_figures(f.numbers),
        years=f.years,
        decisions=f.decisions,
    )


def dumps(facts: Facts) -> str | None:
    """The JSON stored in ``article_features.facts`` (None when nothing could conflict).

    The round figures ("r") are stored too, though they follow from the numbers: an import
    reads the facts of some 28,000 stored articles to add 1,000, and working them out again
    was a fifth of reading them. Facts stored without them (older libraries) still read.
    """
    if facts.empty:
        return None
    return json.dumps(
        {
            "p": facts.protagonist,
            "e": sorted(facts.names),
            "u": {u: sorted(v) for u, v in facts.units.items()},
            "n": sorted(facts.numbers),
            "y": sorted(facts.years),
            "d": sorted(facts.decisions),
            "r": sorted(facts.rounds),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


_NONE: frozenset[str] = frozenset()


def loads(data: str | None) -> Facts:
    """Stored facts (:func:`dumps`). Empty lists share one empty set: most are empty."""
    if data is None:
        return NO_FACTS
    raw = decode(data)
    names, units, figures, years, decisions = raw["e"], raw["u"], raw["n"], raw["y"], raw["d"]
    numbers = frozenset(figures) if figures else _NONE
    rounds = raw.get("r")
    return Facts(
        names=frozenset(names) if names else _NONE,
        protagonist=raw["p"],
        units={u: frozenset(v) for u, v in units.items()} if units else {},
        numbers=numbers,
        rounds=round_figures(numbers) if rounds is None else frozenset(rounds),
        years=frozenset(years) if years else _NONE,
        decisions=frozenset(decisions) if decisions else _NONE,
    )


def round_figures(numbers: frozenset[str]) -> frozenset[str]:
    """The numbers that are round figures able to stand for others: 100 or more with two
    significant digits at most ("200,000", "18,000"); a rate or a magnitude never is."""
    out = []
    for x in numbers:
        v = float(x)
        if v >= 100 and float(f"{v:.2g}") == v:
            out.append(x)
    return frozenset(out)


def bounded_memo(convert: Callable[[str], T], limit: int) -> Callable[[str], T]:
    """``convert`` remembered by its text, forgetting all past ``limit`` texts: figures and
    years recur in every pair an article is in, and a whole library's must not pile up."""
    table: dict[str, T] = {}

    def get(text: str) -> T:
        v = table.get(text)
        if v is None:
            if len(table) > limit:
                table.clear()
            v = table[text] = convert(text)
        return v

    return get


#: A figure as a number, by its text.
figure_value = bounded_memo(float, 200_000)


def _stands_for(values: frozenset[str], others: frozenset[str], rounds: frozenset[str]) -> bool:
    """True when one of ``values`` is a round figure that one of ``others`` rounds to (within
    the rounding tolerance)."""
    tolerance = t.ROUNDING_TOLERANCE
    for x in values & rounds:
        vx = figure_value(x)
        for y in others:
            vy = figure_value(y)
            if abs(vx - vy) <= tolerance * max(vx, vy):
                return True
    return False


def fixed_quantity_conflicts(a: Facts, b: Facts) -> list[str]:
    """Units both give with no value in common: "magnitude 6.1" against "magnitude 7.5".

    A running unit ("~acre": figures that grow as the event develops) never conflicts, and a
    figure on one side that the other states anywhere, or rounds, is not a conflict. One
    figure read under several units ("a magnitude 6.1 quake": magnitude and quake) is one
    conflict, named by its first unit.
    """
    out: list[str] = []
    if a.units.keys().isdisjoint(b.units.keys()):
        return out
    seen: set[tuple[frozenset[str], frozenset[str]]] = set()
    for unit, values in a.units.items():
        other = b.units.get(unit)
        if (
            other
            and not unit.startswith("~")
            and not (values & other)
            and not (values & b.numbers)
            and not (other & a.numbers)
            and not _stands_for(values, b.numbers, a.rounds)
            and not _stands_for(other, a.numbers, b.rounds)
            and not _stands_for(b.numbers, values, b.rounds)
            and not _stands_for(a.numbers, other, a.rounds)
            and (values, other) not in seen
        ):
            seen.add((values, other))
            out.append(unit)
    return out


def conflicts(a: Facts, b: Facts) -> tuple[float, list[str]]:
    """(penalty, what conflicts) for a pair: subtracted from its cosine similarity."""
    if a.empty or b.empty:
        return 0.0, []
    penalty = 0.0
    why: list[str] = []
    pa, pb = a.protagonist, b.protagonist
    if pa and pb and pa != pb and pa not in b.names and pb not in a.names:
        penalty += t.PROTAGONIST_PENALTY
        why.append(f"about {pa} against {pb}")
    if a.units and b.units:
        for unit in fixed_quantity_conflicts(a, b):
            penalty += t.FIXED_QUANTITY_PENALTY
            why.append(f"different {unit}: {', '.join(sorted(a.units[unit]))} against "
                       f"{', '.join(sorted(b.units[unit]))}")
    if a.decisions and b.decisions and not (a.decisions & b.decisions):
        penalty += t.DECISION_PENALTY
        why.append("different rate decisions")
    if a.years and b.years and not (a.years & b.years):
        penalty += t.YEARS_PENALTY
        why.append(f"no year in common ({', '.join(sorted(a.years))} against "
                   f"{', '.join(sorted(b.years))})")
    return penalty, why
