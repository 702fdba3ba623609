"""Inferring an article's date from its prose, for formats that carry no date of their own.

Only *full* dates count (day, month and year), because a bare "January 2025" or "Tuesday"
would place an article on a day nobody wrote. The first full date in the text wins: news
prose usually states the event's date early. The result is midnight UTC, and callers mark it
``published_inferred=True``.

This runs on every article of a million-article import, so it avoids scanning the text with
a regular expression (several microseconds per kilobyte in ``re``). Instead it finds the
years with ``str.find`` (a C-speed scan), then looks only at the few words right before each
year ("January 30," / "30 January") or the characters right after it ("-01-30").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1,
    "february": 2, "feb": 2,
    "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "jun": 6,
    "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

#: Month words as written. Only Capitalised or UPPER count: "may 5, 2025" in lower case
#: is far more often a verb than a date. Abbreviations may carry a period ("Jan.").
_MONTH_WORDS: dict[str, int] = {}
for _name, _number in _MONTHS.items():
    for _form in (_name.capitalize(), _name.upper()):
        _MONTH_WORDS[_form] = _number
        if len(_name) <= 4:
            _MONTH_WORDS[_form + "."] = _number

#: "30", "3", "30th", "1st", "2nd", "3rd".
_DAY_RE = re.compile(r"(0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?")

#: Centuries a news date can fall in; years are found with ``str.find`` on these.
_CENTURIES = ("19", "20")

#: Characters that, just before four digits, mean they are not a year on their own (part
#: of a longer number, a decimal, a version or a range).
_NOT_YEAR_BEFORE = frozenset("0123456789.,-")

#: Punctuation that may wrap the words of a date: "(January 30, 2025)".
_WRAP = "\"'“‘(["

#: Characters before a year that can hold "Month Day, " or "Day of Month, ".
_LOOKBACK = 40


def _continues_number(text: str, end: int) -> bool:
    """True when the digits ending at ``end`` go on ("20250", "2025.5", "2025,000")."""
    nxt = text[end]
    if nxt.isdigit():
        return True
    return nxt in ".," and text[end + 1 : end + 2].isdigit()


def _year_starts(text: str) -> list[int]:
    """Offsets of every stand-alone 19xx/20xx in ``text``, in order."""
    found: list[int] = []
    size = len(text)
    for prefix in _CENTURIES:
        i = text.find(prefix)
        while i != -1:
            end = i + 4
            if (
                end <= size
                and text[i + 2 : end].isdigit()
                and (i == 0 or text[i - 1] not in _NOT_YEAR_BEFORE)
                and (end == size or not _continues_number(text, end))
            ):
                found.append(i)
            i = text.find(prefix, i + 1)
    if len(found) > 1:
        found.sort()
    return found


def _day(token: str) -> int:
    match = _DAY_RE.fullmatch(token)
    return int(match.group(1)) if match else 0


def _month_day_before(text: str, start: int) -> tuple[int, int]:
    """(month, day) written just before the year at ``start``, or (0, 0)."""
    if start == 0 or not text[start - 1].isspace():
        return 0, 0
    words = text[max(0, start - _LOOKBACK) : start].split()
    if len(words) < 2:
        return 0, 0
    last = words[-1].rstrip(",")
    # "January 30, 2025" / "Jan. 30th 2025"
    day = _day(last)
    if day:
        month = _MONTH_WORDS.get(words[-2].lstrip(_WRAP), 0)
        return (month, day) if month else (0, 0)
    # "30 January 2025" / "30th of January, 2025"
    month = _MONTH_WORDS.get(last, 0)
    if not month:
        return 0, 0
    before = words[-2]
    if before == "of" and len(words) >= 3:
        before = words[-3]
    day = _day(before.lstrip(_WRAP))
    return (month, day) if day else (0, 0)


def _iso_after(text: str, end: int) -> tuple[int, int]:
    """(month, day) of an ISO "-MM-DD" right after the year ending at ``end``, or (0, 0)."""
    tail = text[end : end + 7]
    if (
        len(tail) >= 6
        and tail[0] == "-"
        and tail[3] == "-"
        and tail[1:3].isdigit()
        and tail[4:6].isdigit()
        and not tail[6:7].isdigit()
    ):
        return int(tail[1:3]), int(tail[4:6])
    return 0, 0


def infer_date(text: str) -> datetime | None:
    """The first full calendar date written in ``text``, at 00:00 UTC, or None.

    Recognised: "January 30, 2025", "Jan. 30, 2025", "30 January 2025", "30th of January,
    2025", "December 31, 2024" and ISO "2025-01-30". Impossible dates ("February 30, 2025")
    are skipped and the search goes on. Dates never overlap, so walking the years in order
    finds the first date.
    """
    for start in _year_starts(text):
        end = start + 4
        month, day = _iso_after(text, end)
        if not month:
            month, day = _month_day_before(text, start)
            if not month:
                continue
        try:
            return datetime(int(text[start:end]), month, day, tzinfo=UTC)
        except ValueError:
            continue
    return None
