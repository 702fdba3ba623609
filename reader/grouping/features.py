"""Per-article features for grouping: the first step of the pipeline, stored once per article.

Two kinds of thing are read from an article, and nothing else needs its text again:

* **terms** with their counts, what :mod:`reader.grouping.vectors` weighs into the article's
  TF-IDF vector: content words of the body and the title (title words count once more: a
  headline states the event), each name's key (``e:putin``) once per mention, and each
  specific figure (``n:155000``). Names and figures are the facts rewrites keep, so they are
  terms of their own beside the words they are written in.
* **facts** that can contradict another article's (:mod:`reader.grouping.conflicts`): who the
  article is mainly about, its figures by unit, the years it names, rate decisions.

Features are stored as compact JSON in ``article_features`` (:func:`dumps`); a regroup
reads them back instead of re-reading bodies.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reader.grouping import thresholds as t
from reader.grouping.entities import Entity, extract_entities
from reader.grouping.facts import blank, dates_and_spans, decisions_of, numbers_of
from reader.grouping.words import content_words

#: Version of the stored form. Features of another version are recomputed (a regroup does).
FORMAT = 2


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping knows about one article."""

    terms: dict[str, int]  # term -> count: words, "e:" name keys, "n:" figures
    entities: dict[str, int]  # name key -> mentions, most mentioned first
    names: dict[str, str]  # name key -> display name
    kinds: dict[str, str]  # name key -> "person" | "name"
    numbers: frozenset[str]  # normalised figures ("155000", "7.5")
    units: dict[str, frozenset[str]]  # unit -> figures, for conflicts
    dates: frozenset[str]  # "01-24": month-days written in the text
    years: frozenset[str]  # years written in the text ("2020")
    decisions: frozenset[str] = frozenset()  # "rate:cut" / "rate:hold" / "rate:raise"
    protagonist: str | None = None  # the name key the article is mainly about


#: A span of years written with a dash or a slash: "the 2008-09 season", "director (1999-2003)".
#: Not the start of a numeric date ("2009-10-01"), whose month would read as a year.
_YEAR_RANGE = re.compile(r"\b((?:18|19|20)\d\d)\s*[-–/]\s*((?:18|19|20)?\d\d)\b(?![-/.]\d)")

#: The same without the leading word boundary, which keeps the regex engine from skipping
#: ahead to the digits: it finds a superset of :data:`_YEAR_RANGE`'s matches in a third of
#: the time, so a text it finds nothing in (nearly all) needs no second look.
_MAYBE_YEAR_RANGE = re.compile(_YEAR_RANGE.pattern[2:])


def range_years(text: str) -> set[str]:
    """Every year inside the year ranges of ``text``.

    The years conflict (no year in common) reads "2008-09" as 2008 only, so a report on the
    "2008-09 season" and one on the "2009-2010 season" named no year in common. A range names
    each of its years; spans longer than :data:`~reader.grouping.thresholds.MAX_YEAR_RANGE`
    are eras, not the time of an event, and name only the years written.
    """
    out: set[str] = set()
    if _MAYBE_YEAR_RANGE.search(text) is None:
        return out
    for match in _YEAR_RANGE.finditer(text):
        first, second = int(match.group(1)), match.group(2)
        last = int(second) if len(second) == 4 else first - first % 100 + int(second)
        if 0 < last - first <= t.MAX_YEAR_RANGE:
            out.update(str(y) for y in range(first, last + 1))
    return out


def _protagonist(entities: list[Entity]) -> str | None:
    """The name mentioned most, when it is mentioned at least twice and more than any other."""
    if entities and entities[0].mentions >= 2 and (
        len(entities) == 1 or entities[0].mentions > entities[1].mentions
    ):
        return entities[0].key
    return None


def _terms(
    words: Counter[str], title_words: list[str], entities: dict[str, int], numbers: frozenset[str]
) -> dict[str, int]:
    terms = dict(words)
    for w in title_words:
        terms[w] = terms.get(w, 0) + t.TITLE_WORD_EXTRA
    for key, mentions in entities.items():
        terms[f"e:{key}"] = mentions
    for value in numbers:
        terms[f"n:{value}"] = 1
    return terms


def extract(title: str, body: str, *, entities: list[Entity] | None = None) -> Features:
    """Compute the grouping features of one article."""
    if entities is None:
        entities = extract_entities(title, body)
    text = f"{title}\n{body}"
    dates, spans, date_years = dates_and_spans(text)
    values, units, years = numbers_of(blank(text, spans))
    names = {e.key: e.mentions for e in entities}
    numbers = frozenset(values)
    return Features(
        terms=_terms(Counter(content_words(body)), content_words(title), names, numbers),
        entities=names,
        names={e.key: e.name for e in entities},
        kinds={e.key: e.kind for e in entities},
        numbers=numbers,
        units={u: frozenset(v) for u, v in units.items()},
        dates=frozenset(dates),
        years=frozenset(years | date_years | range_years(text)),
        decisions=decisions_of(text),
        protagonist=_protagonist(entities),
    )


def dumps(features: Features) -> str:
    """The compact JSON stored in ``article_features.data``: words apart from the name and
    figure terms, which :func:`loads` rebuilds from the names and figures."""
    words = {k: v for k, v in features.terms.items() if k[1:2] != ":"}
    return json.dumps(
        {
            "v": FORMAT,
            "w": words,
            "e": features.entities,
            "en": {k: v for k, v in features.names.items() if v != k},
            "ek": [k for k, v in features.kinds.items() if v == "person"],
            "n": sorted(features.numbers),
            "u": {u: sorted(v) for u, v in features.units.items()},
            "d": sorted(features.dates),
            "y": sorted(features.years),
            "pr": features.protagonist,
            "dc": sorted(features.decisions),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


#: The C scanner ``json.loads`` ends in (typeshed does not declare the attribute).
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def decode(data: str) -> Any:
    """``json.loads`` of stored features or facts, without its per-call wrapping (a regroup
    decodes some 190,000 of them, and the wrapping was a fifth of each): any text that is
    not exactly one JSON value goes through ``json.loads``, which raises as it always did."""
    try:
        value, end = _SCAN(data, 0)
    except StopIteration:
        return json.loads(data)
    return value if end == len(data) else json.loads(data)


def terms_of(data: str) -> dict[str, int] | None:
    """Only the terms of stored features (None: another format): what weighing reads, for
    a regroup that weighs every article of the library and needs nothing else of them."""
    raw = decode(data)
    if raw.get("v") != FORMAT:
        return None
    terms: dict[str, int] = raw["w"]
    terms.update((f"e:{k}", m) for k, m in raw["e"].items())
    terms.update((f"n:{v}", 1) for v in raw["n"])
    return terms


def loads(data: str) -> Features | None:
    """Stored features, or None when they were stored in another format (recompute them)."""
    raw = decode(data)
    if raw.get("v") != FORMAT:
        return None
    entities: dict[str, int] = raw["e"]
    display: dict[str, str] = raw["en"]
    kinds = dict.fromkeys(entities, "name")
    for k in raw["ek"]:
        kinds[k] = "person"
    numbers = frozenset(raw["n"])
    terms: dict[str, int] = raw["w"]
    terms.update((f"e:{k}", m) for k, m in entities.items())
    terms.update((f"n:{v}", 1) for v in numbers)
    return Features(
        terms=terms,
        entities=entities,
        names={k: display.get(k, k) for k in entities},
        kinds=kinds,
        numbers=numbers,
        units={u: frozenset(v) for u, v in raw["u"].items()},
        dates=frozenset(raw["d"]),
        years=frozenset(raw["y"]),
        decisions=frozenset(raw["dc"]),
        protagonist=raw["pr"],
    )
