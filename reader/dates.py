"""Inferring an article's date from its prose, for formats that carry no date of their own.

Only *full* dates count (day, month and year), because a bare "January 2025" or "Tuesday"
would place an article on a day nobody wrote. The first full date in the text wins: news
prose usually states the event's date early. The result is midnight UTC, and callers mark it
``published_inferred=True``.

Everything is one compiled regular expression searched once per text, so inference stays
cheap enough to run on every article of a million-article import.
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

# Month names are matched Capitalised or UPPER only: "may 5, 2025" in lower case is far
# more often a verb than a date.
_MONTH_ALTS = "|".join(
    sorted({m.capitalize() for m in _MONTHS} | {m.upper() for m in _MONTHS}, key=len, reverse=True)
)
_MONTH = rf"(?:{_MONTH_ALTS})\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"

#: Centuries a news date can fall in. Years are found with ``str.find`` on these prefixes,
#: which is several times faster than any regular expression scan of the whole text.
_CENTURIES = ("19", "20")

#: Characters that, just before four digits, mean they are not a year on their own (part
#: of a longer number, a decimal, a version or a range).
_NOT_YEAR_BEFORE = frozenset("0123456789.,-")


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
    found.sort()
    return found


#: Month-and-day written just before the year ("January 30, " / "30th of January ").
_BEFORE_YEAR_RE = re.compile(
    rf"(?:\b(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+"
    rf"|\b(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s+)\Z"
)

#: ISO month and day just after the year ("-01-30").
_ISO_AFTER_YEAR_RE = re.compile(r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d])")

#: How far before a year a "Month Day, " prefix can start.
_LOOKBACK = 32


def _month_number(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _day_number(text: str) -> int:
    return int(text.rstrip("stndrh"))


def infer_date(text: str) -> datetime | None:
    """The first full calendar date written in ``text``, at 00:00 UTC, or None.

    Recognised: "January 30, 2025", "Jan. 30, 2025", "30 January 2025", "30th of January,
    2025", "December 31, 2024" and ISO "2025-01-30". Impossible dates ("February 30, 2025")
    are skipped and the search goes on. Dates never overlap, so walking the years in order
    finds the first date.
    """
    for start in _year_starts(text):
        end = start + 4
        year = int(text[start:end])
        month = day = 0
        iso = _ISO_AFTER_YEAR_RE.match(text, end)
        if iso is not None:
            month, day = int(iso.group(1)), int(iso.group(2))
        else:
            before = _BEFORE_YEAR_RE.search(text[max(0, start - _LOOKBACK) : start])
            if before is None:
                continue
            if before["m1"]:
                month, day = _month_number(before["m1"]), _day_number(before["d1"])
            else:
                month, day = _month_number(before["m2"]), _day_number(before["d2"])
        try:
            return datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            continue
    return None
