"""Synthetic news dumps in the listing format of the seed ``000_…`` file.

Events are made of random names, places, numbers and dates, and each event is written up
several times with different titles and shuffled sentences, so the data exercises story
grouping the way real dumps do (many rewrites, shared people across different events).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

FIRST = [
    "Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas",
    "Kofi", "Lena", "Marek", "Nadia", "Oskar", "Pavel", "Quentin", "Rosa", "Sergei", "Tara",
]
LAST = [
    "Albrecht", "Barros", "Castell", "Dorner", "Esposito", "Falk", "Grigoriev", "Halloran",
    "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov",
    "Quist", "Rahman", "Sokolov", "Tanaka", "Ulrich", "Varga", "Weber", "Yilmaz", "Zoric",
]
PLACES = [
    "Arkhangelsk", "Bratislava", "Cluj", "Daugavpils", "Erzurum", "Figueres", "Gdansk",
    "Harstad", "Izmir", "Jelgava", "Kaunas", "Lviv", "Mostar", "Narva", "Odesa", "Plovdiv",
    "Quimper", "Rijeka", "Split", "Tartu", "Uppsala", "Varna", "Wroclaw", "Zadar",
]
ORGS = [
    "Northern Grid Authority", "Baltic Shipping Union", "Central Health Agency",
    "Union of Grain Exporters", "Coastal Guard Service", "National Rail Company",
]
VERBS = [
    "announced", "confirmed", "rejected", "proposed", "criticised", "postponed", "approved",
]
OBJECTS = [
    "a new pipeline agreement", "emergency funding", "the port expansion", "a ceasefire plan",
    "sanctions on fertiliser exports", "a vaccine rollout", "the grain corridor",
    "a cyber security pact", "new tariffs on steel", "a flood defence programme",
]
FILLER = [
    "Officials did not immediately comment on the details.",
    "Analysts said the decision could shape the region for years.",
    "The move follows weeks of negotiations behind closed doors.",
    "Critics warned that the costs had been underestimated.",
    "Local media reported strong reactions from residents.",
    "Further talks are expected in the coming weeks.",
    "Markets reacted cautiously to the news.",
    "The opposition called for a parliamentary inquiry.",
]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]


# Real dumps name thousands of people and places, a few of them very often (Zipf-like):
# the fixed lists above are the frequent head, generated names the long tail.
_SYLLABLES = [
    "ba", "ko", "ri", "ven", "sta", "mir", "lo", "den", "ga", "tor", "hel", "zan", "pe", "ru",
    "vik", "sol", "mar", "ne", "dra", "kus", "fel", "ja", "ost", "li", "ber", "qua", "tin",
]
_TAIL_LAST = [
    a.capitalize() + b + c for a in _SYLLABLES for b in _SYLLABLES[:12] for c in ("v", "ski", "")
]
_TAIL_PLACES = [a.capitalize() + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("", "ovo")]
_ORG_KINDS = ["Authority", "Union", "Agency", "Council", "Company", "Institute", "Service"]
_TAIL_ORGS = [f"{p} {k}" for p in _TAIL_PLACES[:300] for k in _ORG_KINDS]


def _pick(rng: random.Random, head: list[str], tail: list[str]) -> str:
    """Zipf-like: low ranks (the head list) often, the long tail rarely."""
    rank = int(rng.paretovariate(0.5)) - 1
    if rank < len(head):
        return head[rank]
    return tail[(rank * 7919) % len(tail)]


def _event(rng: random.Random, index: int, start: date) -> dict[str, str]:
    person = f"{rng.choice(FIRST)} {_pick(rng, LAST, _TAIL_LAST)}"
    day = start + timedelta(days=index // 40)
    return {
        "person": person,
        "surname": person.split()[1],
        "place": _pick(rng, PLACES, _TAIL_PLACES),
        "org": _pick(rng, ORGS, _TAIL_ORGS),
        "verb": rng.choice(VERBS),
        "object": rng.choice(OBJECTS),
        "number": f"{rng.randint(2, 950)}",
        "money": f"{rng.randint(2, 90)} million",
        "date": f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
    }


def _write_up(rng: random.Random, ev: dict[str, str]) -> tuple[str, str]:
    titles = [
        "{person} {verb} {object} in {place}",
        "{place}: {org} and {surname} on {object}",
        "{surname} says {org} {verb} {object}",
        "{org} {verb} {object} after talks in {place}",
    ]
    facts = [
        "{person} {verb} {object} in {place} on {date}.",
        "The {org} said {number} people were directly affected.",
        "The package is worth {money} euros, according to officials in {place}.",
        "{surname} told reporters that the {org} had been consulted.",
        "The announcement on {date} drew attention across the region.",
    ]
    chosen = rng.sample(facts, k=4) + rng.sample(FILLER, k=rng.randint(4, 8))
    rng.shuffle(chosen)
    title = rng.choice(titles).format(**ev)
    body = " ".join(s.format(**ev) for s in chosen)
    return title[0].upper() + title[1:], body


def articles(
    n: int, seed: int = 7, versions: tuple[int, int] = (1, 5)
) -> Iterator[tuple[str, str]]:
    """``n`` (title, body) pairs: events with 1–5 rewrites each, interleaved like a dump."""
    for _event_index, title, body in labelled_articles(n, seed, versions):
        yield title, body


def labelled_articles(
    n: int, seed: int = 7, versions: tuple[int, int] = (1, 5)
) -> Iterator[tuple[int, str, str]]:
    """Like :func:`articles`, with the index of the event each article reports (the truth
    for measuring grouping on synthetic data)."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    made = 0
    event_index = 0
    pending: list[tuple[int, str, str]] = []
    while made < n:
        ev = _event(rng, event_index, start)
        event_index += 1
        for _ in range(rng.randint(*versions)):
            pending.append((event_index - 1, *_write_up(rng, ev)))
        if len(pending) > 50:
            rng.shuffle(pending)
            while pending and made < n:
                yield pending.pop()
                made += 1
                if len(pending) < 25:
                    break
    while pending and made < n:
        yield pending.pop()
        made += 1


def write_listing(path: Path, n: int, tag: str = "SY", section: str = "Synthetic News",
                  seed: int = 7) -> Path:
    """Write ``n`` synthetic articles to ``path`` in the listing format."""
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{tag} {section}\n\n")
        for title, body in articles(n, seed):
            out.write(f"{title}\n\n{body}\n{tag}\n\n")
    return path
