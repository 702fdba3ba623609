"""Per-article features for grouping, in a compact form that is stored once per article.

Rewrites of one event keep the facts and change the wording, so the features are facts:
names (from :mod:`reader.grouping.entities`), numbers with their units, dates written in the
text, rare words and two-word phrases, and the title's words. Computing them is the only
per-article text work; regrouping later reads them back from ``article_features`` instead of
re-reading bodies.
"""

from __future__ import annotations

import itertools
import json
import operator
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from reader.grouping import thresholds as t
from reader.grouping.entities import Entity, extract_entities

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
_WORD = re.compile(r"[a-z][a-z\-]+[a-z0-9]|[a-z]{2,}")
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
        "acre",
        "hectare",
        "person",
        "dead",
        "death",
        "fatality",
        "casualty",
        "injured",
        "injury",
        "missing",
        "evacuee",
        "evacuated",
        "home",
        "house",
        "household",
        "building",
        "structure",
        "firefighter",
        "rescuer",
        "resident",
        "victim",
        "degree",
        "customer",
        "displaced",
        "damaged",
        "destroyed",
        "containment",
    ]
)

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "also",
        "although",
        "am",
        "amid",
        "amidst",
        "among",
        "an",
        "and",
        "another",
        "any",
        "are",
        "around",
        "as",
        "at",
        "be",
        "became",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "else",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "like",
        "made",
        "make",
        "many",
        "may",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "near",
        "nearly",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "others",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "per",
        "said",
        "same",
        "say",
        "says",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "to",
        "too",
        "toward",
        "towards",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "also",
        "according",
        "reported",
        "reportedly",
        "stated",
        "says",
        "told",
        "amid",
        "including",
        "including",
        "new",
        "recent",
        "recently",
        "ongoing",
        "further",
        "several",
        "significant",
    ]
)


_KEY_SEP = "\x00"


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping knows about one article."""

    entities: dict[str, int]  # key -> mentions
    names: dict[str, str]  # key -> display name
    kinds: dict[str, str]  # key -> "person" | "name"
    numbers: frozenset[str]  # normalised values ("155000", "7.5")
    units: dict[str, frozenset[str]]  # unit -> values, for conflicts
    dates: frozenset[str]  # "01-24" month-day written in the text
    years: frozenset[str]  # years written in the text ("2020")
    words: frozenset[str]  # content words of title and body
    phrases: frozenset[int]  # hashed content-word bigrams
    title: tuple[str, ...]  # content words of the title
    protagonist: str | None = None
    decisions: frozenset[str] = frozenset()  # "rate:cut" / "rate:hold" / "rate:raise"
    phrase_text: dict[int, str] = field(default_factory=dict, compare=False)
    #: all_keys() joined by _KEY_SEP once built: not a feature, a cache (see all_keys).
    _keys: str | None = field(default=None, init=False, repr=False, compare=False)

    def all_keys(self) -> list[str]:
        """Every key this article could be found by, tagged with its kind.

        A new list on every call (the caller may keep or change it). Grouping asks each
        article for its keys several times, and building the strings is most of the cost,
        so the first call keeps them joined in one string, which splits back several times
        faster and holds a fraction of the list's memory (articles' features are held by
        the thousand during an import).
        """
        joined = self._keys
        if joined is not None:
            return joined.split(_KEY_SEP)
        out = [f"e:{k}" for k in self.entities]
        out += [f"n:{v}" for v in self.numbers]
        out += [f"d:{d}" for d in self.dates]
        out += [f"y:{y}" for y in self.years]
        out += [f"w:{w}" for w in self.words]
        out += [f"p:{p}" for p in self.phrases]
        if out:
            joined = _KEY_SEP.join(out)
            # Keys are never empty (they carry their kind), so the split gives them back
            # unless one holds the separator itself; such an article is not cached.
            if joined.count(_KEY_SEP) == len(out) - 1:
                object.__setattr__(self, "_keys", joined)
        return out


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


def dates_and_spans(text: str) -> tuple[set[str], list[tuple[int, int]], set[str]]:
    """Month-day dates written in the text ("MM-DD"), the spans they occupy (so their days
    are not read as quantities), and the years written inside them."""
    out: set[str] = set()
    spans: list[tuple[int, int]] = []
    years: set[str] = set()
    md = _DATE_MD.finditer(text)
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


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
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
        if unit in RUNNING_UNITS:
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


def dates_of(text: str) -> set[str]:
    """Month-day dates written in the text, as "MM-DD"."""
    return dates_and_spans(text)[0]


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


def stem(word: str) -> str:
    """A crude stem, enough to match "sanctions"/"sanction" and "talks"/"talk"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


#: word -> its stem, or "" for a stopword or a short word. News vocabulary is small next to
#: the number of words read, so most words are looked up, not stemmed.
_STEMS: dict[str, str] = {}
_STEMS_LIMIT = 300_000


def content_words(text: str) -> list[str]:
    if len(_STEMS) > _STEMS_LIMIT:
        _STEMS.clear()
    found = _WORD.findall(text.lower())
    stems: list[str | None] = list(map(_STEMS.get, found))
    if None in stems:
        for i, s in enumerate(stems):
            if s is None:
                w = found[i]
                stems[i] = _STEMS[w] = "" if w in STOPWORDS or len(w) <= 2 else stem(w)
    return list(filter(None, stems))


def phrase_hash(a: str, b: str) -> int:
    """A stable 31-bit hash of a two-word phrase (stable across runs, unlike ``hash``)."""
    return zlib.crc32(f"{a} {b}".encode()) & 0x7FFFFFFF


#: (word, word) -> phrase_hash: the same two-word phrases recur across a library, and a
#: lookup by the pair (whose words' hashes are already known) is cheaper than joining,
#: encoding and hashing the phrase again.
_PHRASE_HASHES: dict[tuple[str, str], int] = {}
_PHRASE_HASHES_LIMIT = 100_000  # about 14 MB full


def _bigrams(words: list[str]) -> dict[int, tuple[str, str]]:
    """hash -> the article's two-word phrases, the first phrase for each hash.

    The same as ``setdefault(phrase_hash(a, b), (a, b))`` over every pair of different
    neighbours, done with C-level loops: each distinct pair is hashed once (or looked up),
    in order of first appearance; the phrase texts are only made when asked for.
    """
    if len(_PHRASE_HASHES) > _PHRASE_HASHES_LIMIT:
        _PHRASE_HASHES.clear()
    known = _PHRASE_HASHES
    pairs = list(dict.fromkeys(itertools.pairwise(words)))
    if any(map(operator.eq, words, itertools.islice(words, 1, None))):
        pairs = [p for p in pairs if p[0] != p[1]]  # a word next to itself is no phrase
    hashes: list[int | None] = list(map(known.get, pairs))
    if None in hashes:
        for i, h in enumerate(hashes):
            if h is None:
                a, b = pair = pairs[i]
                hashes[i] = known[pair] = phrase_hash(a, b)
    found: list[int] = hashes  # type: ignore[assignment]  # every None was filled in
    bigrams = dict(zip(found, pairs, strict=True))
    if len(bigrams) < len(pairs):  # two phrases share a hash: the first one keeps it
        bigrams = {}
        for h, pair in zip(found, pairs, strict=True):
            bigrams.setdefault(h, pair)
    if len(bigrams) > t.MAX_PHRASES:
        # Keep the phrases made of the longest words: long words are the rare ones. Ranked
        # by (-len(phrase text), hash), hashes being unique.
        lengths = [-len(a) - len(b) - 1 for a, b in bigrams.values()]
        ranked = sorted(zip(lengths, bigrams, strict=True))
        bigrams = {h: bigrams[h] for _, h in ranked[: t.MAX_PHRASES]}
    return bigrams


def extract(
    title: str,
    body: str,
    *,
    keep_phrase_text: bool = False,
    entities: list[Entity] | None = None,
) -> Features:
    """Compute the grouping features of one article."""
    if entities is None:
        entities = extract_entities(title, body)
    text = f"{title}\n{body}"
    dates, spans, date_years = dates_and_spans(text)
    values, units, _years = numbers_of(_blank(text, spans))
    _years |= date_years
    words = content_words(body)
    title_words = tuple(dict.fromkeys(content_words(title)))
    bigrams = _bigrams(words)
    protagonist = None
    if (
        entities
        and entities[0].mentions >= 2
        and (len(entities) == 1 or entities[0].mentions > entities[1].mentions)
    ):
        protagonist = entities[0].key
    return Features(
        entities={e.key: e.mentions for e in entities},
        names={e.key: e.name for e in entities},
        kinds={e.key: e.kind for e in entities},
        numbers=frozenset(values),
        units={u: frozenset(v) for u, v in units.items()},
        dates=frozenset(dates),
        years=frozenset(_years),
        words=frozenset(words) | frozenset(title_words),
        phrases=frozenset(bigrams),
        title=title_words,
        protagonist=protagonist,
        decisions=decisions_of(text),
        phrase_text=(
            {h: f"{a} {b}" for h, (a, b) in bigrams.items()} if keep_phrase_text else {}
        ),
    )


def dumps(features: Features) -> str:
    """The compact JSON stored in ``article_features.data``."""
    return json.dumps(
        {
            "e": features.entities,
            "en": {k: v for k, v in features.names.items() if v != k},
            "ek": [k for k, v in features.kinds.items() if v == "person"],
            "n": sorted(features.numbers),
            "u": {u: sorted(v) for u, v in features.units.items()},
            "d": sorted(features.dates),
            "y": sorted(features.years),
            "w": sorted(features.words),
            "p": sorted(features.phrases),
            "t": list(features.title),
            "pr": features.protagonist,
            "dc": sorted(features.decisions),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def loads(data: str) -> Features:
    raw = json.loads(data)
    entities: dict[str, int] = raw["e"]
    display: dict[str, str] = raw.get("en", {})
    if display:
        names = {k: display.get(k, k) for k in entities}
    else:  # the common case: every name is shown as its key
        names = dict(zip(entities, entities, strict=True))
    kinds = dict.fromkeys(entities, "name")
    for k in set(raw.get("ek", [])):
        if k in kinds:
            kinds[k] = "person"
    return Features(
        entities=entities,
        names=names,
        kinds=kinds,
        numbers=frozenset(raw["n"]),
        units={u: frozenset(v) for u, v in raw["u"].items()},
        dates=frozenset(raw["d"]),
        years=frozenset(raw.get("y", [])),
        words=frozenset(raw["w"]),
        phrases=frozenset(raw["p"]),
        title=tuple(raw["t"]),
        protagonist=raw.get("pr"),
        decisions=frozenset(raw.get("dc", ())),
    )
