"""Feed dates to UTC instants: W3C/ISO 8601 (Atom, Dublin Core) and RFC 822 (RSS).

Feeds write dates in many ways; a date that cannot be read is dropped (the entry keeps no
date rather than a wrong one). ISO 8601 is read by a regular expression that also takes the
common liberties (a space instead of ``T``, missing seconds, ``+0100`` offsets, a bare
date); RFC 822 by the standard library's lenient :func:`email.utils.parsedate_tz`, which also
reads two-digit years, named time zones, a missing weekday and asctime's order. A date with
no zone is taken as UTC, as feedparser takes it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_tz

_ISO = re.compile(
    r"""(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?
        (?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?
        \s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
#: "Thu, 01 Jan 2004" with no time: RFC 822 needs one.
_DATE_ONLY = re.compile(r"^(?:\w+,?\s+)?\d{1,2}\s+\w+\s+\d{2,4}$")
#: RFC 822 as nearly every RSS feed writes it, read without the general parser (which costs
#: several times more, and a 10,000-item feed has 10,000 dates).
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?"
    r"\s+(GMT|UTC|UT|Z|[+-]\d{4})"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def parse_date(value: str | None) -> datetime | None:
    """The UTC instant a feed date means, or None when it cannot be read."""
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    if value[:4].isdigit():
        found = _ISO.match(value)
        if found:
            return _from_iso(found)
    common = _RFC822.fullmatch(value)
    if common is not None:
        moment = _from_rfc822(common)
        if moment is not None:
            return moment
    if _DATE_ONLY.match(value):
        value += " 00:00:00 GMT"
    parts = parsedate_tz(value)
    if parts is None:
        return None
    try:
        moment = datetime(*parts[:6], tzinfo=UTC)
        return moment - timedelta(seconds=parts[9] or 0)
    except (ValueError, OverflowError):
        return None


def _from_iso(found: re.Match[str]) -> datetime | None:
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        offset = _offset(zone)
        moment = datetime(
            int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
            int(second or 0), int((fraction or "0")[:6].ljust(6, "0")), tzinfo=offset,
        )
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _from_rfc822(found: re.Match[str]) -> datetime | None:
    day, month_name, year, hour, minute, second, zone = found.groups()
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    try:
        moment = datetime(
            int(year), month, int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC
        )
    except ValueError:
        return None
    if zone[0] in "+-" and zone[1:] != "0000":
        minutes = int(zone[1:3]) * 60 + int(zone[3:5])
        moment -= timedelta(minutes=minutes if zone[0] == "+" else -minutes)
    return moment


def _offset(zone: str | None) -> timezone:
    if not zone or zone.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timezone(sign * timedelta(minutes=minutes))
