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

import re
from collections import Counter
from dataclasses import dataclass

# Words that start with a capital letter but are not names (or not on their own).
_COMMON = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "yet",
        "for",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "from",
        "with",
        "without",
        "as",
        "if",
        "when",
        "while",
        "after",
        "before",
        "since",
        "until",
        "during",
        "amid",
        "amidst",
        "despite",
        "although",
        "though",
        "because",
        "however",
        "meanwhile",
        "furthermore",
        "moreover",
        "additionally",
        "also",
        "still",
        "then",
        "there",
        "here",
        "where",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "why",
        "how",
        "all",
        "any",
        "each",
        "every",
        "both",
        "either",
        "neither",
        "no",
        "not",
        "none",
        "some",
        "such",
        "many",
        "much",
        "more",
        "most",
        "other",
        "another",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "first",
        "second",
        "third",
        "last",
        "new",
        "former",
        "latest",
        "recent",
        "key",
        "details",
        "conclusion",
        "overview",
        "summary",
        "context",
        "update",
        "breaking",
        "report",
        "reports",
        "according",
        "analysts",
        "officials",
        "experts",
        "sources",
        "witnesses",
        "critics",
        "observers",
        "residents",
        "authorities",
        "police",
        "troops",
        "forces",
        "government",
        "state",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "madam",
        "lord",
        "lady",
        "president",
        "vice",
        "prime",
        "minister",
        "ministers",
        "secretary",
        "chancellor",
        "governor",
        "senator",
        "mayor",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "spokespeople",
        "chief",
        "head",
        "leader",
        "director",
        "general",
        "ceo",
        "cfo",
        "chairman",
        "chairwoman",
        "chair",
        "deputy",
        "ambassador",
        "envoy",
        "aide",
        "adviser",
        "advisor",
        "commander",
        "colonel",
        "captain",
        "lieutenant",
        "sergeant",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "judge",
        "justice",
        "prosecutor",
        "attorney",
        "professor",
        "foreign",
        "defense",
        "defence",
        "interior",
        "finance",
        "economy",
        "emergency",
        "emergencies",
        "health",
        "justice",
        "affairs",
        "minister",
        "ministry",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tomorrow",
        "am",
        "pm",
        "tv",
        "gmt",
        "utc",
        "bc",
        "ad",
        "pdt",
        "est",
        "edt",
        "cet",
    ]
)

# Nationality adjectives: stripped from the front of a name run ("Russian President ..."),
# never a name on their own.
_DEMONYMS = frozenset(
    [
        "russian",
        "ukrainian",
        "american",
        "british",
        "english",
        "french",
        "german",
        "chinese",
        "iranian",
        "israeli",
        "polish",
        "syrian",
        "european",
        "western",
        "eastern",
        "northern",
        "southern",
        "soviet",
        "azerbaijani",
        "hungarian",
        "turkish",
        "georgian",
        "belarusian",
        "japanese",
        "korean",
        "indian",
        "pakistani",
        "afghan",
        "iraqi",
        "saudi",
        "egyptian",
        "italian",
        "spanish",
        "dutch",
        "swedish",
        "finnish",
        "norwegian",
        "danish",
        "canadian",
        "mexican",
        "brazilian",
        "african",
        "asian",
        "arab",
        "palestinian",
        "lebanese",
        "kazakh",
        "armenian",
        "moldovan",
        "romanian",
        "czech",
        "slovak",
        "serbian",
        "croatian",
        "greek",
        "estonian",
        "latvian",
        "lithuanian",
        "australian",
    ]
)

# Last words that make a multi-word name a place or organisation, never a surname.
_HEAD_NOUNS = frozenset(
    [
        "strait",
        "straits",
        "sea",
        "ocean",
        "river",
        "lake",
        "gulf",
        "bay",
        "island",
        "islands",
        "peninsula",
        "mountains",
        "mountain",
        "valley",
        "spit",
        "region",
        "province",
        "oblast",
        "district",
        "city",
        "town",
        "village",
        "county",
        "state",
        "states",
        "republic",
        "kingdom",
        "union",
        "federation",
        "council",
        "ministry",
        "department",
        "agency",
        "service",
        "services",
        "committee",
        "court",
        "party",
        "group",
        "bank",
        "fund",
        "company",
        "corporation",
        "university",
        "institute",
        "center",
        "centre",
        "school",
        "academy",
        "army",
        "navy",
        "forces",
        "force",
        "guard",
        "police",
        "office",
        "commission",
        "parliament",
        "assembly",
        "duma",
        "senate",
        "house",
        "agreement",
        "treaty",
        "pipeline",
        "airlines",
        "airport",
        "port",
        "station",
        "plant",
        "refinery",
        "bridge",
        "road",
        "highway",
        "street",
        "square",
        "park",
        "media",
        "news",
        "times",
        "post",
        "journal",
        "network",
        "alliance",
        "organization",
        "organisation",
        "association",
        "foundation",
        "index",
        "security",
        "intelligence",
        "administration",
        "situations",
        "operation",
        "forum",
        "summit",
        "conference",
        "ministry",
        "media",
    ]
)

# First words that make a two-word name a place ("North Korea", "New York"), not a person.
_PLACE_MODIFIERS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "new",
        "upper",
        "lower",
        "central",
        "greater",
        "northern",
        "southern",
        "eastern",
        "western",
        "saint",
        "st",
        "san",
        "santa",
        "los",
        "las",
        "el",
        "al",
        "le",
        "la",
    ]
)

_CONNECTORS = frozenset({"of", "the", "de", "du", "da", "al", "bin", "von", "van", "for"})

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ0-9\-’'\.&]*|\S")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+|\n+")
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[•\-–—*·▪●])\s*")
_HEADING_PREFIX = re.compile(r"^([A-Z][\w’'\- ]{1,60}):\s+")
_FINAL_PUNCT = re.compile(r"[.!?\"”]$")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}[A-Z]?")
_LOWER_WORD = re.compile(r"\b[a-z][a-z\-]+\b")


@dataclass(frozen=True, slots=True)
class Entity:
    """One name as found in one article: its matching key, display form and mentions."""

    key: str
    name: str
    mentions: int
    kind: str  # "person" or "name"


def _clean(token: str) -> str:
    """Strip possessives and trailing dots, normalise U.S.-style acronyms."""
    token = token.rstrip(".")
    for suffix in ("’s", "'s", "’", "'"):
        if token.endswith(suffix):
            token = token[: -len(suffix)]
            break
    if "." in token and _DOTTED_ACRONYM.fullmatch(token + "."):
        token = token.replace(".", "")
    return token


def _is_cap(token: str) -> bool:
    return token[:1].isupper()


def _is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _sentences(text: str) -> list[str]:
    """Split prose into sentences, dropping headings and list labels ("1. Arrests Made:")."""
    out: list[str] = []
    for line in text.splitlines():
        line = _LIST_MARK.sub("", line.strip())
        if not line:
            continue
        words = line.split()
        # A short line without final punctuation is a heading ("Economic Context").
        if len(words) <= 8 and not _FINAL_PUNCT.search(line):
            continue
        heading = _HEADING_PREFIX.match(line)
        if heading and len(heading.group(1).split()) <= 6:
            line = line[heading.end() :]
        out.extend(s for s in _SENTENCE_END.split(line) if s.strip())
    return out


def _runs(sentence: str) -> list[tuple[list[str], bool]]:
    """Runs of capitalised tokens in one sentence; the flag says the run starts it."""
    tokens = [m.group(0) for m in _TOKEN.finditer(sentence)]
    runs: list[tuple[list[str], bool]] = []
    current: list[str] = []
    start_index = 0
    first_word = next((i for i, t in enumerate(tokens) if t[:1].isalpha()), -1)

    def close() -> None:
        while current and current[-1].lower() in _CONNECTORS:
            current.pop()
        if current:
            runs.append((list(current), start_index == first_word))
        current.clear()

    for index, raw in enumerate(tokens):
        if not current and raw[0].islower():
            continue  # the common case: a lowercase word outside any name run
        if not raw[:1].isalpha():
            close()
            continue
        token = _clean(raw)
        lower = token.lower()
        if _is_cap(token) and lower not in _COMMON and lower not in _DEMONYMS:
            if not current:
                start_index = index
            current.append(token)
            if raw != token and raw.rstrip(".") != token:  # possessive ends the name
                close()
        elif current and lower in _CONNECTORS and not _is_cap(token) and index + 1 < len(tokens):
            nxt = _clean(tokens[index + 1])
            if _is_cap(nxt) and nxt.lower() not in _COMMON:
                current.append(token)
            else:
                close()
        else:
            close()
            if _is_cap(token) and index == first_word:
                start_index = -1
    close()
    return runs


def _person_like(words: list[str]) -> bool:
    if not 2 <= len(words) <= 3 or any(w.lower() in _CONNECTORS for w in words):
        return False
    if words[0].lower() in _PLACE_MODIFIERS or words[-1].lower() in _HEAD_NOUNS:
        return False
    return all(
        w[:1].isupper() and not _is_acronym(w) and w.replace("-", "").isalpha() and len(w) > 2
        for w in words
    )


def extract_entities(title: str, body: str) -> list[Entity]:
    """The names one article mentions, most-mentioned first.

    Title words count only when the body confirms them as names (titles are Title Case, so
    every title word looks like a name).
    """
    sentences = _sentences(body)
    found: list[tuple[list[str], bool]] = []
    for sentence in sentences:
        found.extend(_runs(sentence))
    # Words the article capitalises somewhere other than a sentence start.
    mid_caps = {w for words, at_start in found for w in (words[1:] if at_start else words)}
    lowered = set(_LOWER_WORD.findall(body))

    surfaces: Counter[str] = Counter()
    for words, at_start in found:
        if (
            at_start
            and words[0] not in mid_caps
            and (words[0].lower() in lowered or len(words) == 1 or not _is_acronym(words[0]))
        ):
            words = words[1:]
            while words and words[0].lower() in _CONNECTORS:
                words = words[1:]
        if not words:
            continue
        if len(words) == 1 and not _is_acronym(words[0]) and words[0].lower() in lowered:
            continue  # an ordinary word that happened to be capitalised
        if len(words) == 1 and (len(words[0]) < 2 or words[0].lower() in _HEAD_NOUNS):
            continue
        if words[0].split("-")[0].lower() in _DEMONYMS:
            continue  # "Russian-held", "Israeli-Georgian"
        surfaces[" ".join(words)] += 1

    body_names = set(surfaces)
    for words, _ in _runs(title):
        name = " ".join(words)
        if name in body_names:
            surfaces[name] += 1
        elif len(words) > 1:
            for w in words:
                if w in body_names:
                    surfaces[w] += 1

    return _merge_variants(surfaces)


def fold_surname(word: str, *, person: bool = True) -> str:
    """Fold transliteration variants of one surname: Zelensky/Zelenskyy/Zelenskiy,
    Yermak/Jermak (people only), Navalny/Navalnyy."""
    key = word.lower()
    if person:
        key = key.replace("j", "y")
    key = re.sub(r"(?:iy|yy|ij|ii|yi)$", "y", key)
    return re.sub(r"(.)\1", r"\1", key)


def entity_key(display: str, kind: str) -> str:
    """The matching key of a stored facet name (its display form and kind)."""
    if kind == "person":
        return fold_surname(display.split()[-1])
    if " " not in display and display.isalpha() and not _is_acronym(display):
        return fold_surname(display, person=False)
    return display.lower()


def facet_name(entity: Entity) -> str:
    """How a name is shown as a facet: a person by surname ("Putin"), others in full."""
    return entity.name.split()[-1] if entity.kind == "person" else entity.name


def _merge_variants(surfaces: Counter[str]) -> list[Entity]:
    """Merge "Vladimir Putin" and "Putin" (and "Putin" alone) under the surname key."""
    entities: dict[str, list[object]] = {}  # key -> [display, mentions, kind]
    singles = {s for s in surfaces if " " not in s}
    for surface, count in surfaces.most_common():
        words = surface.split()
        if _person_like(words):
            key = fold_surname(words[-1])
            kind = "person"
        else:
            key = (
                fold_surname(surface, person=False)
                if " " not in surface and not _is_acronym(surface) and surface.isalpha()
                else surface.lower()
            )
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
    del singles
    out = [
        Entity(key=k, name=str(v[0]), mentions=int(str(v[1])), kind=str(v[2]))
        for k, v in entities.items()
    ]
    out.sort(key=lambda e: (-e.mentions, e.key))
    return out
