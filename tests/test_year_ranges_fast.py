"""The year-range search skips texts its looser pattern finds nothing in: never one the
exact pattern would find a range in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.grouping import features
from reader.grouping import thresholds as t


def _exact(text: str) -> set[str]:
    """range_years as it was: the exact pattern over every text."""
    out: set[str] = set()
    for match in features._YEAR_RANGE.finditer(text):
        first, second = int(match.group(1)), match.group(2)
        last = int(second) if len(second) == 4 else first - first % 100 + int(second)
        if 0 < last - first <= t.MAX_YEAR_RANGE:
            out.update(str(y) for y in range(first, last + 1))
    return out


_PIECES = [*"0123456789 -–/.x(", "18", "19", "20", "2008", "1999", "09", "2003", " - "]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_range_years_matches_the_exact_pattern_alone(text: str) -> None:
    assert features.range_years(text) == _exact(text)


def test_ranges_are_still_found() -> None:
    assert features.range_years("the 2008-09 season") == {"2008", "2009"}
    assert features.range_years("director (1999 – 2001)") == {"1999", "2000", "2001"}
    assert features.range_years("on 2009-10-01") == set()  # a date, not a range
    assert features.range_years("x12008-09") == set()  # no word boundary before the year
