"""The month-day date finder, which starts from the day, finds exactly what the month-day
pattern's own finditer finds (the features it feeds are stored, so they must not change)."""

from __future__ import annotations

import pytest

from reader.grouping import facts


@pytest.mark.parametrize(
    "text",
    [
        "Jan. 5",
        "on June  20 and 21 May 5, 2020",
        "Sept. 11th, 2001 and March\n4",
        "xJan 5, _Jan 5, 1Jan 5, éMay 1",  # a month inside a longer word is no date
        "Jan.. 5 and May\t\t12-13",
        "JUNE 3, may 3 and the 14 March quake",
        "5 people, 12 homes, the 2020 season",
        "May ٣ and May 3",  # any decimal digit is a day, as \d reads it
        "",
    ],
)
def test_month_day_matches_are_the_patterns_own(text: str) -> None:
    expected = [(m.span(), m.groups()) for m in facts._DATE_MD.finditer(text)]
    found = [(m.span(), m.groups()) for m in facts._month_day_matches(text)]
    assert found == expected


def test_month_day_dates_found_from_the_day() -> None:
    dates, spans, years = facts.dates_and_spans("Talks resumed on Sept. 11th, 2001 and June 20-21.")
    assert dates == {"09-11", "06-20", "06-21"}
    assert years == {"2001"}
    assert len(spans) == 2
