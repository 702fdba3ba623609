"""Date inference from prose: first full date wins, midnight UTC, None otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reader.dates import infer_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The attack took place on January 30, 2025, officials said.", (2025, 1, 30)),
        ("Published 30 January 2025 by staff.", (2025, 1, 30)),
        ("As of December 31, 2024.", (2024, 12, 31)),
        ("Filed Jan. 30, 2025 in court.", (2025, 1, 30)),
        ("Filed Sept. 3, 2024 in court.", (2024, 9, 3)),
        ("on the 30th of January, 2025 at noon", (2025, 1, 30)),
        ("Monday, March 3rd, 2025", (2025, 3, 3)),
        ("Logged 2025-01-30 at 10:00.", (2025, 1, 30)),
        ("(May 9, 1945)", (1945, 5, 9)),
        ("JANUARY 30, 2025", (2025, 1, 30)),
    ],
)
def test_recognised_forms(text: str, expected: tuple[int, int, int]) -> None:
    assert infer_date(text) == datetime(*expected, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "No dates here at all.",
        "Back in 2020 things were different.",  # a year alone is not a full date
        "In January 2025 the talks began.",  # month and year only
        "It may 5, 2025 be so.",  # lower-case 'may' is a verb
        "Version 1.2025-01-30 shipped.",  # part of a version string
        "Account 12025-01-01.",  # part of a longer number
        "Invalid 2025-13-40 stamp.",
        "He counted 2,025 votes on May 3.",
    ],
)
def test_no_full_date(text: str) -> None:
    assert infer_date(text) is None


def test_first_date_wins() -> None:
    text = "Talks on 5 March 2024 followed the deal of January 30, 2023 and 2022-06-01."
    assert infer_date(text) == datetime(2024, 3, 5, tzinfo=UTC)


def test_impossible_dates_are_skipped() -> None:
    text = "Not February 30, 2025 nor 31 April 2025, but March 1, 2025."
    assert infer_date(text) == datetime(2025, 3, 1, tzinfo=UTC)


def test_result_is_midnight_utc() -> None:
    when = infer_date("on July 4, 2024")
    assert when is not None
    assert when.tzinfo is UTC
    assert (when.hour, when.minute, when.second) == (0, 0, 0)
