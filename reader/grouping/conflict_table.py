"""The conflict tests of :mod:`reader.grouping.conflicts`, for many pairs at once, in numpy.

A large import tests a million pairs; at a few microseconds each in Python the tests were a
quarter of its time. Here each article's facts become rows of a few sorted arrays (its
protagonist, years, rate decisions, and its figures by unit), and every test is a
membership test of one pair's rows against the other article's rows; only pairs with two
different protagonists look at names, in Python. The answers are
those of :func:`reader.grouping.conflicts.conflicts` (a property test holds them equal).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from reader.grouping import thresholds as t
from reader.grouping.conflicts import Facts, bounded_memo, figure_value

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def _has(keys: Ints, wanted: Ints) -> npt.NDArray[np.bool_]:
    """Which of ``wanted`` are in the sorted ``keys``."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found: npt.NDArray[np.bool_] = keys[at] == wanted
    return found


class FactsTable:
    """Facts of articles ``0..n-1`` as arrays."""

    def __init__(self, facts: Sequence[Facts]) -> None:
        n = len(facts)
        self.facts = facts
        protagonists: dict[str, int] = {}
        units: dict[str, int] = {}
        self.protagonist = np.full(n, -1, np.int64)
        year_keys: list[int] = []
        self.has_years = np.zeros(n, dtype=bool)
        self.decisions = np.zeros(n, np.int64)
        # (article, unit) rows of fixed units with their figures, and every figure.
        unit_rows: list[int] = []
        unit_values: list[tuple[int, int, float, bool]] = []  # (article, unit, value, round)
        numbers: list[tuple[int, float, bool]] = []  # (article, value, round)
        decision_bits = _DECISION_BITS
        protagonist, has_years, decisions = self.protagonist, self.has_years, self.decisions
        year, number = _year, figure_value
        for i, f in enumerate(facts):
            if f.empty:
                continue
            if f.protagonist is not None:
                protagonist[i] = protagonists.setdefault(f.protagonist, len(protagonists))
            if f.years:
                base = i * 10_000
                year_keys.extend([base + year(y) for y in f.years])
                has_years[i] = True
            if f.decisions:
                decisions[i] = sum([decision_bits.get(d, 0) for d in f.decisions])
            if f.units:
                rounds = f.rounds
                for unit, values in f.units.items():
                    if unit[0] == "~":
                        continue
                    u = units.setdefault(unit, len(units))
                    unit_rows.append(i * _UNIT_SPACE + u)
                    unit_values.extend([(i, u, number(v), v in rounds) for v in values])
                numbers.extend([(i, number(v), v in rounds) for v in f.numbers])
        self.year_keys = np.unique(np.array(year_keys, np.int64))
        self.units = _UNIT_SPACE
        self.unit_keys = np.unique(np.array(unit_rows, np.int64))
        self.unit_values = np.array(unit_values, np.float64).reshape(-1, 4)
        self.numbers = np.array(numbers, np.float64).reshape(-1, 3)


#: Room for unit ids in a (article, unit) key: far more units than one batch names.
_UNIT_SPACE = 1 << 20

#: Years as numbers, by their text.
_year = bounded_memo(int, 10_000)

_DECISION_BITS = {"rate:cut": 1, "rate:hold": 2, "rate:raise": 4}


def penalties(table: FactsTable, a: Ints, b: Ints) -> Floats:
    """The conflict penalty of each pair ``(a[k], b[k])`` of article indices."""
    out = np.zeros(len(a), np.float64)
    if not len(a):
        return out
    out += t.PROTAGONIST_PENALTY * _protagonists(table, a, b)
    out += t.DECISION_PENALTY * _decisions(table, a, b)
    out += t.YEARS_PENALTY * _years(table, a, b)
    out += t.FIXED_QUANTITY_PENALTY * _fixed_quantities(table, a, b)
    return out


def _protagonists(table: FactsTable, a: Ints, b: Ints) -> npt.NDArray[np.bool_]:
    pa, pb = table.protagonist[a], table.protagonist[b]
    found: npt.NDArray[np.bool_] = (pa >= 0) & (pb >= 0) & (pa != pb)
    # Whether each names the other's protagonist: a set test, on the few pairs left.
    facts = table.facts
    for k in np.flatnonzero(found).tolist():
        fa, fb = facts[int(a[k])], facts[int(b[k])]
        if fa.protagonist in fb.names or fb.protagonist in fa.names:
            found[k] = False
    return found


def _decisions(table: FactsTable, a: Ints, b: Ints) -> npt.NDArray[np.bool_]:
    da, db = table.decisions[a], table.decisions[b]
    found: npt.NDArray[np.bool_] = (da != 0) & (db != 0) & ((da & db) == 0)
    return found


def _years(table: FactsTable, a: Ints, b: Ints) -> npt.NDArray[np.bool_]:
    both = table.has_years[a] & table.has_years[b]
    if not both.any():
        return both
    keys = table.year_keys
    article = keys // 10_000
    starts = np.searchsorted(article, a)
    counts = np.searchsorted(article, a, side="right") - starts
    pair = np.repeat(np.arange(len(a)), counts)
    rows = np.repeat(starts, counts) + (np.arange(counts.sum()) - np.repeat(
        np.cumsum(counts) - counts, counts))
    shared = _has(keys, b[pair] * 10_000 + keys[rows] % 10_000)
    common = np.bincount(pair[shared], minlength=len(a)) > 0
    return both & ~common


def _rows_of(article_col: Floats, wanted: Ints) -> tuple[Ints, Ints]:
    """For each wanted article (by position k), the rows of a table sorted by its first
    column that belong to it: (k for each row, row index)."""
    col = article_col.astype(np.int64)
    starts = np.searchsorted(col, wanted)
    counts = np.searchsorted(col, wanted, side="right") - starts
    owner = np.repeat(np.arange(len(wanted)), counts)
    rows = np.repeat(starts, counts) + (np.arange(counts.sum()) - np.repeat(
        np.cumsum(counts) - counts, counts))
    return owner, rows


def _fixed_quantities(table: FactsTable, a: Ints, b: Ints) -> Floats:
    """How many fixed units each pair gives different figures for (one figure read under
    several units counting once), as :func:`reader.grouping.conflicts.fixed_quantity_conflicts`
    counts them."""
    out = np.zeros(len(a), np.float64)
    if not len(table.unit_keys):
        return out
    # The (pair, unit) rows where both articles give the unit.
    units = table.unit_keys
    pair, rows = _rows_of((units // table.units).astype(np.float64), a)
    unit = units[rows] % table.units
    shared = _has(units, b[pair] * table.units + unit)
    pair, unit = pair[shared], unit[shared]
    if not len(pair):
        return out
    # Each side's figures for the unit, each side's every figure.
    values = table.unit_values
    vkey = (values[:, 0].astype(np.int64) * table.units + values[:, 1].astype(np.int64))
    order = np.argsort(vkey, kind="stable")
    vkey, values = vkey[order], values[order]

    def figures(article: Ints) -> tuple[Ints, Floats, npt.NDArray[np.bool_]]:
        wanted = article * table.units + unit
        starts = np.searchsorted(vkey, wanted)
        counts = np.searchsorted(vkey, wanted, side="right") - starts
        owner = np.repeat(np.arange(len(wanted)), counts)
        idx = np.repeat(starts, counts) + (np.arange(counts.sum()) - np.repeat(
            np.cumsum(counts) - counts, counts))
        return owner, values[idx, 2], values[idx, 3].astype(bool)

    row_a, val_a, round_a = figures(a[pair])
    row_b, val_b, round_b = figures(b[pair])
    agree = np.zeros(len(pair), dtype=bool)
    # A figure of one side's unit that the other side states anywhere, or that a round
    # figure on either side stands for, is no conflict.
    for own_row, own_val, own_round, other in (
        (row_a, val_a, round_a, b[pair]), (row_b, val_b, round_b, a[pair]),
    ):
        num_owner, num_rows = _rows_of(table.numbers[:, 0], other[own_row])
        x = own_val[num_owner]
        x_round = own_round[num_owner]
        y = table.numbers[num_rows, 1]
        y_round = table.numbers[num_rows, 2].astype(bool)
        near = np.abs(x - y) <= t.ROUNDING_TOLERANCE * np.maximum(x, y)
        hit = (x == y) | ((x_round | y_round) & near)
        agree[own_row[num_owner[hit]]] = True
    differ = ~agree
    # One figure read under several units is one conflict: count distinct (pair, figures).
    signature = np.zeros(len(pair), np.float64)
    np.add.at(signature, row_a, val_a * 1.000_003 + 7.0)
    np.add.at(signature, row_b, val_b * 0.999_991 + 3.0)
    keys = np.stack([pair[differ].astype(np.float64), signature[differ]], axis=1)
    if len(keys):
        distinct = np.unique(keys, axis=0)
        np.add.at(out, distinct[:, 0].astype(np.int64), 1.0)
    return out
