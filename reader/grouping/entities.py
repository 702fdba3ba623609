"""The one entity extractor for English news, shared by story grouping and the facets.

What counts as a name: a run of capitalised words ("Vladimir Putin", "Kerch Strait", "Sea of
Azov") or an acronym ("NATO", "FSB"). What does not: the first word of a sentence unless the
article also capitalises it elsewhere (so "Despite", "Analysts" and "The" never become
names), job titles and nationality adjectives that precede names ("Russian President"),
months and weekdays (those are dates), and headings (forum posts are full of "Key Details:").

Variants are merged: possessives are stripped ("Zelensky's"), "U.S." is "US", and a person
named in full and later by surname ("Vladimir Putin" ... "Putin") gets one key, the surname,
so an article that only says "Putin" matches one that says "Vladimir Putin".
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from reader.grouping import thresholds as t
from reader.grouping.name_runs import (
    acronyms,
    headline_sentences,
    is_acronym,
    runs,
    sentences,
)
from reader.grouping.name_words import (
    COMMON,
    CONNECTORS,
    DEMONYMS,
    DESCRIPTORS,
    GENERATIONAL,
    HEAD_NOUNS,
    PARTICLES,
    PLACE_MODIFIERS,
)

#: ...and the per-name memo (about 12 MB full; names recur even more than words).
_SURFACES_LIMIT = 20_000

_LOWER_WORD = re.compile(r"\b[a-z][a-z\-]+\b")
# Two lowercase words of four letters or more after the first word: the title is written in
# sentence case, not Title Case, so its capitalised words are names.
_FOLD_ENDING = re.compile(r"(?:iy|yy|ij|ii|yi)$")
_DOUBLED = re.compile(r"(.)\1")
_SENTENCE_CASE = re.compile(r"\s[a-z]{4,}\b.*\s[a-z]{4,}\b")
# A title that ends with a full stop, before any closing quote or bracket.
_FULL_STOP_END = re.compile(r"\.[\"”’')\]]*\s*$")


@dataclass(frozen=True, slots=True)
class Entity:
    """One name as found in one article: its matching key, display form and mentions."""

    key: str
    name: str
    mentions: int
    kind: str  # "person" or "name"


def _surname_start(words: list[str]) -> int:
    """Where the surname starts in a name with particles ("Sanne de Vries" -> 1, "De Vries"
    -> 0), or -1 when the name has none."""
    for i, w in enumerate(words[:-1]):
        if w.lower() in PARTICLES:
            return i
    return -1


def _person_like(words: list[str]) -> bool:
    start = _surname_start(words)
    if start >= 0:
        # Given names, then particles, then one capitalised surname.
        given, rest = words[:start], words[start:]
        return (
            len(given) <= 2
            and all(w.lower() in PARTICLES for w in rest[:-1])
            and rest[-1][:1].isupper()
            and rest[-1].lower() not in HEAD_NOUNS | DESCRIPTORS
            and all(w[:1].isupper() and w.isalpha() and len(w) > 2 for w in given + rest[-1:])
        )
    if not 2 <= len(words) <= 3 or any(w.lower() in CONNECTORS for w in words):
        return False
    if words[0].lower() in PLACE_MODIFIERS or words[-1].lower() in HEAD_NOUNS | DESCRIPTORS:
        return False
    return all(
        w[:1].isupper() and not is_acronym(w) and w.replace("-", "").isalpha() and len(w) > 2
        for w in words
    )


def person_key(words: list[str]) -> str:
    """A person's matching key: the surname with its particles ("de vries"), folded."""
    start = _surname_start(words)
    if start >= 0:
        return " ".join(w.lower() for w in words[start:])
    return fold_surname(words[-1])


def name_key(surface: str) -> str:
    """The matching key of a name that is not a person's.

    A trailing descriptor is dropped ("Cedar Ridge Fire" -> "cedar ridge", "Korvan Motors"
    -> "korvan"); a name of three or more capitalised words is keyed by its initials, as
    it is also written ("Reserve Bank of Australia" -> "rba"), so the acronym in one rewrite
    matches the full name in another. Two-word names keep their words: merging "United
    States" into "US" made that very common name heavier and tipped a same-people,
    different-event pair of the seed dump into one story (precision 0.952 -> 0.851).
    """
    words = surface.split()
    if len(words) > 1 and words[-1].lower() in DESCRIPTORS and words[-2] not in CONNECTORS:
        words = words[:-1]  # but "Ring of Fire" keeps its fire
    if len(words) == 1:
        w = words[0]
        return fold_surname(w, person=False) if w.isalpha() and not is_acronym(w) else w.lower()
    initials = _initials(words)
    if len(initials) >= 3:
        return initials
    return " ".join(words).lower()


def _initials(words: list[str]) -> str:
    """The acronym a multi-word name would have: first letters of its capitalised words,
    connectors left out ("Reserve Bank of Australia" -> "rba"). Empty when a word is not a
    plain capitalised word (a hyphenated or numbered name has no obvious acronym)."""
    out = []
    for w in words:
        if w.lower() in CONNECTORS:
            continue
        if not (w[:1].isupper() and w.isalpha() and len(w) > 1) or is_acronym(w):
            return ""
        out.append(w[0].lower())
    return "".join(out)


def _name_continues(words: list[str]) -> bool:
    """True when a run's first word is part of the name even at a sentence start: a particle
    begins or follows it ("De Vries said", "Sanne de Vries, the minister"), or what is left
    would be a bare descriptor ("Korvan Motors is recalling")."""
    if len(words) < 2:
        return False
    if words[0].lower() in PARTICLES or words[1].lower() in PARTICLES:
        return True
    return len(words) == 2 and (
        words[1].lower() in DESCRIPTORS or words[1].lower() in HEAD_NOUNS
    )


def extract_entities(title: str, body: str) -> list[Entity]:
    """The names one article mentions, most-mentioned first.

    Title words count only when the body confirms them as names (titles are Title Case, so
    every title word looks like a name). An item with no body (a title-only feed) is read
    by :func:`headline_entities` instead.
    """
    if not body.strip():
        return headline_entities(title)
    found = [run for sentence in sentences(body) for run in runs(sentence)]
    # Words the article capitalises somewhere other than a sentence start.
    mid_caps = {w for words, at_start in found for w in (words[1:] if at_start else words)}
    lowered = set(_LOWER_WORD.findall(body))
    title_runs = runs(title)
    if _SENTENCE_CASE.search(title):
        # A sentence-case title capitalises only names after its first word.
        for words, at_start in title_runs:
            mid_caps.update(words[1:] if at_start else words)

    surfaces = _surfaces(found, mid_caps, lowered)

    body_names = set(surfaces)
    for words, _ in title_runs:
        if len(words) > 1 and words[-1] in GENERATIONAL:
            words = words[:-1]
        name = " ".join(words)
        if name in body_names:
            surfaces[name] += 1
        elif len(words) > 1:
            for w in words:
                if w in body_names:
                    surfaces[w] += 1

    return _merge_variants(surfaces)


def _surfaces(
    found: list[tuple[list[str], bool]], mid_caps: set[str], lowered: set[str]
) -> dict[str, int]:
    """The names among the capitalised runs ``found`` (each with whether it starts its
    sentence): surface -> mentions, in order of first mention. ``mid_caps`` are the words
    the text capitalises other than at a sentence start, ``lowered`` those it also writes
    in lower case (an ordinary word that happened to be capitalised)."""
    surfaces: dict[str, int] = {}
    count_of = surfaces.get
    for words, at_start in found:
        if len(words) > 1 and words[-1] in GENERATIONAL:
            words = words[:-1]  # "Comeaux Jr" is Comeaux
        if (
            at_start
            and words[0] not in mid_caps
            and not _name_continues(words)
            and (words[0].lower() in lowered or len(words) == 1 or not is_acronym(words[0]))
        ):
            words = words[1:]
            while words and words[0].lower() in CONNECTORS:
                words = words[1:]
        if not words:
            continue
        if len(words) == 1 and not is_acronym(words[0]) and words[0].lower() in lowered:
            continue  # an ordinary word that happened to be capitalised
        if len(words) == 1 and (len(words[0]) < 2 or words[0].lower() in HEAD_NOUNS):
            continue
        if words[0].split("-")[0].lower() in DEMONYMS:
            continue  # "Russian-held", "Israeli-Georgian"
        surface = " ".join(words)
        surfaces[surface] = count_of(surface, 0) + 1
    return surfaces


def is_lead_sentence(title: str) -> bool:
    """True when a title ends with a full stop: it is a sentence of prose (a feed that puts
    the article's first sentence in the title), not a headline, which never ends with one
    ("Hansbrough breaks UNC scoring record" against "The parliament election is over in
    Turkmenistan.")."""
    return bool(_FULL_STOP_END.search(title))


def headline_entities(title: str) -> list[Entity]:
    """The names of an item that is a headline only (a title-only feed).

    A body confirms which title words are names; without one, capitals mark less. An
    acronym ("AMD", "NYPD", "IBF") is a name in any case style, unless the headline shouts
    (:data:`~reader.grouping.thresholds.SHOUTING_SHARE`) or the word is too long for one
    (:data:`~reader.grouping.thresholds.MAX_HEADLINE_ACRONYM`). A headline written in
    sentence case ("Texas convict Arcade Joseph Comeaux Jr. pulls gun on guards")
    capitalises only its names past the first word, so its runs are read as a body's are,
    and a lone capitalised word that starts it is its subject.
    A Title Case headline capitalises every word, and a lead sentence used as the title
    (:func:`is_lead_sentence`) names what both halves of a look-alike topic share (the
    country, the mountain, the team: read as prose, the 23 body-less items of ECB+
    articles merged look-alike pairs 1.6% -> 3.6%), so neither gets more than its
    acronyms. Each name becomes a name term as an article's names do.

    Measured on the ECB+ titles alone (B3 F1, look-alike pairs merged; 8 draws of 80% of
    the topics in brackets): acronyms only 0.689, 11.7% (0.684, 11.5%, worst 15.0%);
    sentence-case names past the first word 0.689, 9.7% (0.690, 9.5%, worst 11.5%); and
    a lone first word as the subject 0.701, 12.2% (0.708, 10.2%, worst 13.3%; over 16
    draws 0.680 -> 0.700 and 11.8% -> 11.1%, worst 15.0% -> 14.2%, against acronyms
    only). Keeping every first run's first word did worse (16 draws 0.695, 11.8%, worst
    15.3%); giving lead sentences names reached 0.696 on the whole set but cost ECB+
    articles the 1.6% -> 3.6% above.
    """
    letters = [c for c in title if c.isalpha()]
    if sum(c.isupper() for c in letters) > t.SHOUTING_SHARE * len(letters):
        return []
    surfaces: dict[str, int] = {}
    if _SENTENCE_CASE.search(title) and not is_lead_sentence(title):
        found = [run for sentence in headline_sentences(title) for run in runs(sentence)]
        # A lone capitalised word that starts a headline is its subject ("Hansbrough
        # breaks ...", "Microsoft releases ..."); a longer run loses its first word as in
        # prose, and keeps the rest ("Pierre Thomas" -> Thomas, "South Sudan" -> Sudan).
        mid_caps = {
            w
            for words, at_start in found
            for w in (words[1:] if at_start and len(words) > 1 else words)
        }
        surfaces = _surfaces(found, mid_caps, set(_LOWER_WORD.findall(title)))
    for token in acronyms(title):
        if (
            token not in surfaces
            and sum(c.isalpha() for c in token) <= t.MAX_HEADLINE_ACRONYM
            and token.lower() not in COMMON
            and token.lower() not in DEMONYMS
        ):
            surfaces[token] = surfaces.get(token, 0) + 1
    return _merge_variants(surfaces)


def fold_surname(word: str, *, person: bool = True) -> str:
    """Fold transliteration variants of one surname: Zelensky/Zelenskyy/Zelenskiy,
    Yermak/Jermak (people only), Navalny/Navalnyy."""
    key = word.lower()
    if person:
        key = key.replace("j", "y")
    key = _FOLD_ENDING.sub("y", key)
    return _DOUBLED.sub(r"\1", key)


def entity_key(display: str, kind: str) -> str:
    """The matching key of a stored facet name (its display form and kind)."""
    if kind == "person":
        return person_key(display.split())
    return name_key(display)


def facet_name(entity: Entity) -> str:
    """How a name is shown as a facet: a person by surname ("Putin", "De Vries"), others in
    full."""
    if entity.kind != "person":
        return entity.name
    words = entity.name.split()
    start = _surname_start(words)
    if start < 0:
        return words[-1]
    surname = words[start:]
    return " ".join([surname[0][:1].upper() + surname[0][1:], *surname[1:]])


#: surface -> (its words, person-like, key as a person, key as a name): the same names
#: recur across the articles of a library, so each is analysed once.
_SURFACES: dict[str, tuple[list[str], bool, str, str]] = {}


def _surface_facts(surface: str) -> tuple[list[str], bool, str, str]:
    facts = _SURFACES.get(surface)
    if facts is None:
        if len(_SURFACES) > _SURFACES_LIMIT:
            _SURFACES.clear()
        words = surface.split()
        person = _person_like(words)
        facts = (words, person, person_key(words) if person else "", name_key(surface))
        _SURFACES[surface] = facts
    return facts


def _merge_variants(surfaces: dict[str, int]) -> list[Entity]:
    """Merge "Vladimir Putin" and "Putin" (and "Putin" alone) under the surname key."""
    entities: dict[str, list[object]] = {}  # key -> [display, mentions, kind]
    singles = {s for s in surfaces if " " not in s}
    # Most mentioned first, ties in order of first mention (Counter.most_common's order).
    for surface, count in sorted(surfaces.items(), key=operator.itemgetter(1), reverse=True):
        words, person, key_as_person, key_as_name = _surface_facts(surface)
        if person and not (
            # Someone's first name is not used alone; a company's ("Korvan Vista") is.
            len(words) == 2 and words[0] in singles and words[1] not in singles
        ):
            key = key_as_person
            kind = "person"
        else:
            key = key_as_name
            kind = "name"
        slot = entities.get(key)
        if slot is None:
            entities[key] = [surface, count, kind]
        else:
            slot[1] = int(str(slot[1])) + count
            if kind == "person":
                # The full name is the better display form; the kind follows it.
                if " " not in str(slot[0]) or len(surface) > len(str(slot[0])):
                    slot[0] = surface
                slot[2] = "person"
    # A surname seen alone that matches a person's key is already merged by key; a single
    # word that is the last word of a place-like name ("Kerch" / "Kerch Strait") is not.
    out = [
        Entity(key=k, name=str(v[0]), mentions=int(str(v[1])), kind=str(v[2]))
        for k, v in entities.items()
    ]
    out.sort(key=lambda e: (-e.mentions, e.key))
    return out
