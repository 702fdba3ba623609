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

import itertools
import operator
import re
from dataclasses import dataclass
from typing import Final

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
        "college",
        "creek",
        "canyon",
        "hollow",
        "ridge",
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

# Surname particles: part of the surname, whatever their case ("Sanne de Vries", "De Vries
# said", "Prime Minister van Dam"), so the surname key is "de vries" in every position.
_PARTICLES = frozenset(
    {"de", "van", "von", "der", "den", "da", "di", "du", "le", "la", "al", "bin", "ter", "del",
     "della", "dos", "das"}
)

# Last words that say what kind of thing a name is (an event, a company) and that rewrites
# drop or change ("the Cedar Ridge Fire" / "the Cedar Ridge blaze", "Korvan Motors" /
# "Korvan"): never a surname, and left out of the matching key, so "X Fire" and "Y Fire"
# do not share the key "fire" and "Korvan Motors" matches "Korvan".
_DESCRIPTORS = frozenset(
    [
        "fire",
        "fires",
        "wildfire",
        "blaze",
        "storm",
        "hurricane",
        "typhoon",
        "cyclone",
        "flood",
        "floods",
        "earthquake",
        "quake",
        "motors",
        "motor",
        "records",
        "inc",
        "corp",
        "ltd",
        "plc",
        "llc",
        "holdings",
        "industries",
        "technologies",
        "airways",
        "pharmaceuticals",
        "entertainment",
    ]
)


#: Entries each per-word memo below keeps before it starts over (a memory bound, about
#: 11 MB for the token facts: news vocabulary is small next to the number of words read,
#: so most lookups hit even after a restart).
_MEMO_LIMIT = 50_000
#: ...and the per-name memo (about 12 MB full; names recur even more than words).
_SURFACES_LIMIT = 20_000

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ0-9\-’'\.&]*|\S")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+|\n+")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’)]*\s+")  # _SENTENCE_END with its mark, no \n
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[•\-–—*·▪●])\s*")
_HEADING_PREFIX = re.compile(r"^([A-Z][\w’'\- ]{1,60}):\s+")
_FINAL_PUNCT = re.compile(r"[.!?\"”]$")
_FINAL_PUNCT_CHARS = frozenset(".!?\"”")
#: The characters a list mark can start with after stripping (digits are tested apart).
_LIST_MARK_STARTS = frozenset("•-–—*·▪●")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}[A-Z]?")
_LOWER_WORD = re.compile(r"\b[a-z][a-z\-]+\b")
# Two lowercase words of four letters or more after the first word: the title is written in
# sentence case, not Title Case, so its capitalised words are names.
_FOLD_ENDING = re.compile(r"(?:iy|yy|ij|ii|yi)$")
_DOUBLED = re.compile(r"(.)\1")
_SENTENCE_CASE = re.compile(r"\s[a-z]{4,}\b.*\s[a-z]{4,}\b")


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


_ACRONYMS: dict[str, bool] = {}


def _is_acronym(token: str) -> bool:
    known = _ACRONYMS.get(token)
    if known is not None:
        return known
    letters = [c for c in token if c.isalpha()]
    if len(letters) >= 4 and token.endswith("s"):
        letters = letters[:-1]  # a plural acronym: "SUVs", "MPs"
    answer = len(letters) >= 2 and all(c.isupper() for c in letters)
    if len(_ACRONYMS) > _MEMO_LIMIT:
        _ACRONYMS.clear()
    _ACRONYMS[token] = answer
    return answer


def _sentences(text: str) -> list[str]:
    """Split prose into sentences, dropping headings and list labels ("1. Arrests Made:")."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        first = line[0]
        if first in _LIST_MARK_STARTS or first.isdigit():  # else the mark cannot match
            line = _LIST_MARK.sub("", line)
            if not line:
                continue
        # A short line without final punctuation is a heading ("Economic Context"). The
        # line holds no newline, so _FINAL_PUNCT is a test of its last character.
        if line[-1] not in _FINAL_PUNCT_CHARS and len(line.split()) <= 8:
            continue
        if "A" <= line[0] <= "Z" and ":" in line:  # else _HEADING_PREFIX cannot match
            heading = _HEADING_PREFIX.match(line)
            if heading and len(heading.group(1).split()) <= 6:
                line = line[heading.end() :]
        out.extend(s for s in _split_sentences(line) if s.strip())
    return out


def _split_sentences(line: str) -> list[str]:
    """``_SENTENCE_END.split(line)`` for a line without a newline, faster: the break is
    found by its punctuation mark (a pattern that starts with a character set is scanned
    in C) instead of testing the look-behind at every position. Breaks never contain a
    mark, so each mark found is the one the look-behind would have seen."""
    pieces: list[str] = []
    done = 0
    for match in _SENTENCE_BREAK.finditer(line):
        pieces.append(line[done : match.start() + 1])
        done = match.end()
    pieces.append(line[done:])
    return pieces


#: Facts about one raw token that ``_runs`` reads, memoised by the token (news vocabulary is
#: small next to the number of tokens read). Indexes into the tuple:
_LOW: Final = 0  # starts with a lowercase letter
_PART: Final = 1  # is a surname particle as written ("de", "van")
_ALPHA: Final = 2  # starts with a letter
_CLEAN: Final = 3  # the token cleaned (_clean)
_NAMEY: Final = 4  # cleaned, it is capitalised and neither a common word nor a demonym
_ENDS: Final = 5  # a possessive: the name ends with it
_LINK: Final = 6  # a lowercase connector or particle ("of", "van") that may join two name parts
_PART_LOWER: Final = 7  # lowercased, it is a particle
_STARTS: Final = 8  # cleaned, it is capitalised and not a common word (a name may follow)
_CAP: Final = 9  # cleaned, it is capitalised
#: Whether _runs must look at it: the others (lowercase words that cannot join two name
#: parts, punctuation, numbers) do nothing outside a run and end a run they follow.
_INTERESTING: Final = 10
_TokenInfo = tuple[bool, bool, bool, str, bool, bool, bool, bool, bool, bool, bool]
_TOKEN_INFO: dict[str, _TokenInfo] = {}


def _token_info(raw: str) -> _TokenInfo:
    if len(_TOKEN_INFO) > _MEMO_LIMIT:
        _TOKEN_INFO.clear()
    token = _clean(raw)
    lower = token.lower()
    cap = _is_cap(token)
    low = raw[0].islower()
    alpha = raw[:1].isalpha()
    link = (lower in _CONNECTORS or lower in _PARTICLES) and not cap
    info = (
        low,
        raw in _PARTICLES,
        alpha,
        token,
        cap and lower not in _COMMON and lower not in _DEMONYMS,
        raw != token and raw.rstrip(".") != token,
        link,
        lower in _PARTICLES,
        cap and lower not in _COMMON,
        cap,
        alpha and not (low and not link),
    )
    _TOKEN_INFO[raw] = info
    return info


def _close(current: list[str], runs: list[tuple[list[str], bool]], at_start: bool) -> None:
    """End the current run: drop trailing connectors and particles, keep what is left."""
    while current and (current[-1].lower() in _CONNECTORS or current[-1] in _PARTICLES):
        current.pop()
    if current:
        runs.append((current.copy(), at_start))
    current.clear()


def _runs(sentence: str) -> list[tuple[list[str], bool]]:
    """Runs of capitalised tokens in one sentence; the flag says the run starts it.

    The per-token tests are memoised (:func:`_token_info`), and only the tokens that can
    start, extend or join a name are visited (most are lowercase words): a gap between two
    visited tokens ends the current run, as its first token would have.
    """
    tokens = _TOKEN.findall(sentence)
    infos: list[_TokenInfo | None] = list(map(_TOKEN_INFO.get, tokens))
    if None in infos:
        infos = [_TOKEN_INFO.get(t) or _token_info(t) for t in tokens]
    facts: list[_TokenInfo] = infos  # type: ignore[assignment]
    runs: list[tuple[list[str], bool]] = []
    current: list[str] = []
    start_index = 0
    first_word = next((i for i, f in enumerate(facts) if f[_ALPHA]), -1)
    last = len(tokens) - 1

    previous = -1
    visit = itertools.compress(range(len(facts)), map(operator.itemgetter(_INTERESTING), facts))
    for index in visit:
        if current and index != previous + 1:
            _close(current, runs, start_index == first_word)
        previous = index
        info = facts[index]
        if not current:
            if info[_LOW]:
                if info[_PART] and index < last and facts[index + 1][_STARTS]:
                    start_index = index  # "Prime Minister van Dam": the particle starts it
                    current.append(tokens[index])
                continue  # the common case: a lowercase word outside any name run
            if info[_ALPHA] and info[_NAMEY]:
                start_index = index
                current.append(info[_CLEAN])
                if info[_ENDS]:  # possessive ends the name
                    _close(current, runs, start_index == first_word)
            elif info[_ALPHA] and info[_CAP] and index == first_word:
                start_index = -1
            continue
        if not info[_ALPHA]:
            _close(current, runs, start_index == first_word)
            continue
        if info[_NAMEY]:
            current.append(info[_CLEAN])
            if info[_ENDS]:
                _close(current, runs, start_index == first_word)
        elif info[_LINK]:
            if (index < last and facts[index + 1][_STARTS]) or (
                info[_PART_LOWER]
                and index + 1 < last
                and facts[index + 1][_PART]
                and facts[index + 2][_STARTS]
            ):
                current.append(info[_CLEAN])  # "Sea of Azov", "Pieter van der Berg"
            else:
                _close(current, runs, start_index == first_word)
        else:
            _close(current, runs, start_index == first_word)
            if info[_CAP] and index == first_word:
                start_index = -1
    _close(current, runs, start_index == first_word)
    return runs


def _surname_start(words: list[str]) -> int:
    """Where the surname starts in a name with particles ("Sanne de Vries" -> 1, "De Vries"
    -> 0), or -1 when the name has none."""
    for i, w in enumerate(words[:-1]):
        if w.lower() in _PARTICLES:
            return i
    return -1


def _person_like(words: list[str]) -> bool:
    start = _surname_start(words)
    if start >= 0:
        # Given names, then particles, then one capitalised surname.
        given, rest = words[:start], words[start:]
        return (
            len(given) <= 2
            and all(w.lower() in _PARTICLES for w in rest[:-1])
            and rest[-1][:1].isupper()
            and rest[-1].lower() not in _HEAD_NOUNS | _DESCRIPTORS
            and all(w[:1].isupper() and w.isalpha() and len(w) > 2 for w in given + rest[-1:])
        )
    if not 2 <= len(words) <= 3 or any(w.lower() in _CONNECTORS for w in words):
        return False
    if words[0].lower() in _PLACE_MODIFIERS or words[-1].lower() in _HEAD_NOUNS | _DESCRIPTORS:
        return False
    return all(
        w[:1].isupper() and not _is_acronym(w) and w.replace("-", "").isalpha() and len(w) > 2
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
    if len(words) > 1 and words[-1].lower() in _DESCRIPTORS and words[-2] not in _CONNECTORS:
        words = words[:-1]  # but "Ring of Fire" keeps its fire
    if len(words) == 1:
        w = words[0]
        return fold_surname(w, person=False) if w.isalpha() and not _is_acronym(w) else w.lower()
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
        if w.lower() in _CONNECTORS:
            continue
        if not (w[:1].isupper() and w.isalpha() and len(w) > 1) or _is_acronym(w):
            return ""
        out.append(w[0].lower())
    return "".join(out)


def _name_continues(words: list[str]) -> bool:
    """True when a run's first word is part of the name even at a sentence start: a particle
    begins or follows it ("De Vries said", "Sanne de Vries, the minister"), or what is left
    would be a bare descriptor ("Korvan Motors is recalling")."""
    if len(words) < 2:
        return False
    if words[0].lower() in _PARTICLES or words[1].lower() in _PARTICLES:
        return True
    return len(words) == 2 and (
        words[1].lower() in _DESCRIPTORS or words[1].lower() in _HEAD_NOUNS
    )


def extract_entities(title: str, body: str) -> list[Entity]:
    """The names one article mentions, most-mentioned first.

    Title words count only when the body confirms them as names (titles are Title Case, so
    every title word looks like a name).
    """
    found = [run for sentence in _sentences(body) for run in _runs(sentence)]
    # Words the article capitalises somewhere other than a sentence start.
    mid_caps = {w for words, at_start in found for w in (words[1:] if at_start else words)}
    lowered = set(_LOWER_WORD.findall(body))
    title_runs = _runs(title)
    if _SENTENCE_CASE.search(title):
        # A sentence-case title capitalises only names after its first word.
        for words, at_start in title_runs:
            mid_caps.update(words[1:] if at_start else words)

    surfaces: dict[str, int] = {}  # surface -> mentions, in order of first mention
    count_of = surfaces.get
    for words, at_start in found:
        if (
            at_start
            and words[0] not in mid_caps
            and not _name_continues(words)
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
        surface = " ".join(words)
        surfaces[surface] = count_of(surface, 0) + 1

    body_names = set(surfaces)
    for words, _ in title_runs:
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
