"""Facts written in an article's prose: numbers with their units, dates, years, rate decisions.

Rewrites of one event keep its figures and dates; a look-alike event (a second earthquake, the
next rate meeting) is told with the same words and *different* figures. So these facts are
read once per article (stored with its features) and used as conflicts between two articles:
a different magnitude, a cut against a hold, no year in common.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reader.grouping import thresholds as t
from reader.grouping.words import STOPWORDS

_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))


def _by_initial(alternatives: list[str]) -> str:
    """An alternation of words grouped by first letter ("j(?:anuary|une|an)|f(?:eb)"), the
    words of each letter in their original order: the engine tries the same words in the
    same order (the others fail on their first letter), so every match is the same, but
    it no longer tries two dozen words at each word start."""
    groups: dict[str, list[str]] = {}
    for word in alternatives:
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


#: _MONTH_RE as the engine is quickest to try it (same matches).
_MONTH_ALTERNATION = _by_initial(sorted(_MONTHS, key=len, reverse=True))
# Month-day and day-month dates, with an optional second day: "20 and 21 June", "June
# 20-21" are a range of days, one date each. Groups: month, day, second day, year.
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_SECOND_DAY = rf"(?:\s*(?:and|to|-|–|&)\s*{_DAY})?"
_DATE_MD = re.compile(  # the lookahead skips most words before trying twenty month names
    rf"\b(?=[adfjmnos])({_MONTH_ALTERNATION})\.?\s+{_DAY}{_SECOND_DAY}\b(?:,?\s+(\d{{4}}))?",
    re.IGNORECASE,
)
_DATE_DM = re.compile(
    rf"\b{_DAY}{_SECOND_DAY}\s+({_MONTH_ALTERNATION})\b\.?(?:,?\s+(\d{{4}}))?", re.IGNORECASE
)
# _DATE_DM and _NUMBER start with a test (a word boundary, a look-behind) the regex
# engine must try at every position of the text, a large part of the cost of extracting
# features. Each is found first by a looser pattern that starts with a plain character set
# (scanned for in C) and then confirmed by the exact pattern anchored where the loose one
# matched (see _exact_matches). Every exact match is also a loose one, so the matches and
# their order are those of the exact pattern's finditer. (The same for _DATE_MD was
# slower: month names start with the commonest letters.)
_DATE_DM_LOOSE = re.compile(
    rf"\d(?i:\d?(?:st|nd|rd|th)?{_SECOND_DAY}\s+(?:{_MONTH_ALTERNATION})\b)"
)
_NUMBER_LOOSE = re.compile(r"[$€£₽\d]")
_NUMBER = re.compile(
    r"(?<![\w.,])([$€£₽]?)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d])"
    r"(?:\s*(million|billion|trillion|thousand|bn|m)\b)?"
    r"(%|[\s\-]+(?:of\s+)?([A-Za-z][a-z]+))?"
)
# A date used to name something else ("the 14 March quake", "since March 4"): a mention of
# another event, not this article's own date, so it is neither shared evidence nor a
# conflict.
_REFERENCE_BEFORE = re.compile(r"\b(?:the|since|after|following|before)\s+$", re.IGNORECASE)
_MAGNITUDE_BEFORE = re.compile(r"magnitude[\s\-]+(\d+(?:\.\d+)?)", re.IGNORECASE)
# Containment of a fire is a running figure: "5% contained", "containment at 8%".
_CONTAINED_AFTER = re.compile(r"\s*contain", re.IGNORECASE)
_CONTAINED_BEFORE = re.compile(r"contain\w*(?:\s+[a-z]+){0,2}\s+$", re.IGNORECASE)
# Rate decisions: a cut, a hold and a rise by the same bank are different events told with
# the same people and the same figures ("cuts rate to 2%" / "holds rate at 2%"). Found by
# the word "rate" first (cheap), then the verb in the few words before it.
_RATE_WORD = re.compile(r"\brates?\b", re.IGNORECASE)
_RATE_WORD_LOOSE = re.compile(r"[rR](?i:ates?\b)")  # see _exact_matches; "r" folds to "R" only
_RATE_DECISION_BEFORE = re.compile(
    r"\b(?:(cut|cuts|cutting|lower|lowers|lowered|lowering|trim|trims|trimmed|reduce|reduces|"
    r"reduced|slash|slashes|slashed)|(hold|holds|held|keep|keeps|kept|leave|leaves|left|"
    r"pause|pauses|paused|maintain|maintains|maintained)|(raise|raises|raised|raising|hike|"
    r"hikes|hiked|increase|increases|increased|lift|lifts|lifted))"
    r"(?:\s+[\w’'-]+){0,4}?\s+$",
    re.IGNORECASE,
)
#: How far before "rate" the decision verb is looked for (four words and the verb).
_DECISION_REACH = 60
_DECISIONS = ("rate:cut", "rate:hold", "rate:raise")
_SCALE = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_UNIT_ALIASES = {
    "km": "kilometer",
    "kilometre": "kilometer",
    "kms": "kilometer",
    "mi": "mile",
    "tonne": "ton",
    "tonnes": "ton",
    "tons": "ton",
    "people": "person",
    "persons": "person",
    "percent": "%",
    "per": "%",
    "individuals": "person",
    "individual": "person",
}

#: Units of figures that change as an event develops (acres burned, people evacuated, the
#: death toll, the temperature): two reports of one fire on different days differ in them,
#: so a difference is not the look-alike's fingerprint. Stored with a "~" in front.
RUNNING_UNITS = frozenset(
    [
        "acre", "hectare", "person", "dead", "death", "fatality", "casualty", "injured",
        "injury", "missing", "evacuee", "evacuated", "home", "house", "household", "building",
        "structure", "firefighter", "rescuer", "resident", "victim", "degree", "customer",
        "displaced", "damaged", "destroyed", "containment",
    ]
)

#: Units under which one report gives many unrelated figures, so two reports of one event
#: rarely give the same one: sums of money (damage, bail, a reward, a salary) and years (an
#: age, a sentence, the time since something). Like running units, a difference between
#: them is no conflict. On ECB+ dev, money and years conflicted on same-event pairs about
#: as often as on look-alike pairs (33 against 38, 35 against 26 pairs with a cosine of
#: 0.15 or more); without them its B3 recall rose (draws of 80% of the topics: 0.657 ->
#: 0.663 over 16 draws) with no look-alike pair merged more, and no other labelled
#: collection moved.
MIXED_UNITS = frozenset(["$", "€", "£", "₽", "year"])


def _norm_number(digits: str, scale: str | None) -> float:
    value = float(digits.replace(",", ""))
    if scale:
        value *= _SCALE[scale.lower()]
    return value


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _unit(word: str | None) -> str:
    if not word:
        return ""
    word = word.lower()
    if word in _UNIT_ALIASES:
        return _UNIT_ALIASES[word]
    if word in STOPWORDS:
        return ""
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _is_reference(text: str, start: int) -> bool:
    return bool(_REFERENCE_BEFORE.search(text, max(0, start - 12), start))


def _exact_matches(
    exact: re.Pattern[str], loose: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """``exact.finditer(text)``, faster, given a ``loose`` pattern that matches wherever
    ``exact`` does (and maybe elsewhere). ``exact`` never matches the empty string.

    Positions where ``loose`` does not match cannot start an exact match, so they are
    skipped in C; the exact pattern, tried at each loose match, sees the whole text (its
    word boundaries and look-behinds look before the position as in ``finditer``).
    """
    search = loose.search
    match = exact.match
    pos = 0
    while (candidate := search(text, pos)) is not None:
        start = candidate.start()
        found = match(text, start)
        if found is None:
            pos = start + 1
        else:
            yield found
            pos = found.end()


#: A digit after whitespace: it may be the day of a month-day date (the look-behind is
#: tried only where the scan for a digit stops).
_DAY_START = re.compile(r"\d(?<=\s\d)")


def _month_day_matches(text: str) -> Iterator[re.Match[str]]:
    """``_DATE_MD.finditer(text)``, found from the day instead of the month: the day's first
    digit follows whitespace (``\\s+`` precedes it), digits are rarer than the month names'
    initials, and the match must start where the word before that whitespace (and an
    optional dot) starts, the only place its ``\\b`` and month name allow. A match holds no
    month name past its start, so none starts inside another and each is finditer's."""
    match = _DATE_MD.match
    for day in _DAY_START.finditer(text):
        end = day.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        if end > 0 and text[end - 1] == ".":
            end -= 1
        start = end
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1  # back over the word: \w is a letter, digit or underscore
        if start < end and (found := match(text, start)) is not None:
            yield found


def dates_and_spans(text: str) -> tuple[set[str], list[tuple[int, int]], set[str]]:
    """Month-day dates written in the text ("MM-DD"), the spans they occupy (so their days
    are not read as quantities), and the years written inside them."""
    out: set[str] = set()
    spans: list[tuple[int, int]] = []
    years: set[str] = set()
    md = _month_day_matches(text)
    dm = _exact_matches(_DATE_DM, _DATE_DM_LOOSE, text)
    for matches, month_group, day_groups in ((md, 1, (2, 3)), (dm, 3, (1, 2))):
        for match in matches:
            spans.append(match.span())
            if match.group(4):
                years.add(match.group(4))
            if _is_reference(text, match.start()):
                continue
            month = _MONTHS[match.group(month_group).lower()]
            for g in day_groups:
                day = match.group(g)
                if day and 1 <= int(day) <= 31:
                    out.add(f"{month:02d}-{int(day):02d}")
    return out, spans, years


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans replaced by spaces (same length)."""
    if not spans:
        return text
    pieces: list[str] = []
    done = 0  # text before this offset is already in pieces
    for start, end in sorted(spans):  # spans may overlap: blank their union
        if end <= done:
            continue
        start = max(start, done)
        pieces.append(text[done:start])
        pieces.append(" " * (end - start))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def numbers_of(text: str) -> tuple[set[str], dict[str, set[str]], set[str]]:
    """Specific numbers, unit -> values, and years, from prose (dates already blanked out:
    the day of "21 June" is not 21 of something)."""
    values: set[str] = set()
    units: dict[str, set[str]] = {}
    years: set[str] = set()
    for match in _exact_matches(_NUMBER, _NUMBER_LOOSE, text):
        currency, digits, scale, tail, unit_word = match.groups()
        plain = digits.replace(",", "")
        if (
            not currency
            and not scale
            and "," not in digits
            and "." not in digits
            and len(plain) == 4
            and 1800 <= int(plain) <= 2100
        ):
            years.add(plain)
            continue
        value = _norm_number(digits, scale)
        unit = "%" if tail == "%" else (currency or _unit(unit_word))
        if value < t.MIN_SPECIFIC_NUMBER and unit not in ("%", "magnitude") and "." not in digits:
            continue
        if unit == "%" and (
            _CONTAINED_AFTER.match(text, match.end())
            or _CONTAINED_BEFORE.search(text, max(0, match.start() - 30), match.start())
        ):
            unit = "containment"
        if unit in RUNNING_UNITS or unit in MIXED_UNITS:
            unit = "~" + unit
        key = _fmt(value)
        values.add(key)
        if unit:
            units.setdefault(unit, set()).add(key)
    for match in _MAGNITUDE_BEFORE.finditer(text):
        key = _fmt(float(match.group(1)))
        values.add(key)
        units.setdefault("magnitude", set()).add(key)
    return values, units, years


def decisions_of(text: str) -> frozenset[str]:
    """Which way the rate decisions the text reports went ("rate:cut", "rate:hold", ...)."""
    found: set[str] = set()
    for rate in _exact_matches(_RATE_WORD, _RATE_WORD_LOOSE, text):
        end = rate.start()
        match = _RATE_DECISION_BEFORE.search(text, max(0, end - _DECISION_REACH), end)
        if match:
            for group, label in zip(match.groups(), _DECISIONS, strict=True):
                if group:
                    found.add(label)
    return frozenset(found)
