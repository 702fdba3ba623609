"""People & places as the reader sees them: one facet per place or body, and no plain words.

The extractor (:mod:`reader.grouping.entities`) keys names for *grouping*, where merging
"United States" into "US" hurt precision. The sidebar wants the opposite, so aliases are
folded here, at the facet layer, by two rules that need no hand-written table:

* **The gazetteer.** Names ISO 3166 knows (through pycountry) as one country are one facet:
  "United States", "USA" and "US" (the extractor reads "U.S." as "US").
* **Acronym and name.** An acronym is one facet with the name whose initials it spells when
  the library uses both in one article ("United Kingdom" … "UK", "European Union" … "EU").
  Initials alone are ambiguous ("SA" is South Africa and Saudi Arabia), so the text must show
  the pair together.

And a facet must name something. How the library writes a single word decides, so the rule
works on any collection:

* written right after a number ("1.2 GW", "300 km") it is a unit, not a name;
* never written on its own, only inside a longer name ("Dorrel Falls", "Tessaline Energy"),
  the facet shows that longer name;
* written on its own but as often in lowercase ("energy", "falls"), it is an ordinary word;
* a compass point ("the West") or a nationality formed from a gazetteer country
  ("Russians", "Ukrainians") is a direction or a people, not a place.

Pure code: storage hands in candidates, a co-occurrence test and sample texts.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

#: Words left out of initials ("United States of America" -> "USA").
_CONNECTORS = frozenset({"of", "the", "and", "for", "de", "du", "da", "del", "la", "le", "&"})
#: The compass points: words that name a direction, never one place.
_DIRECTIONS = frozenset(
    f"{a}{b}" for a in ("north", "south", "east", "west", "") for b in
    ("", "east", "west", "-east", "-west")
) - {""}
_NUMBER_BEFORE = re.compile(r"\d[\d.,]*\s*$")
_CAPITALISED = re.compile(r"[A-Z][\w'’\-]*")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An extracted name as stored: id, display form, kind and article count."""

    id: int
    name: str
    kind: str
    count: int


def is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and " " not in name and all(c.isupper() for c in letters)


def initials(name: str) -> str:
    """``UK`` for "United Kingdom"; empty for one word or a word that is not capitalised."""
    words = [w for w in name.replace(",", " ").split() if w.lower() not in _CONNECTORS]
    if len(words) < 2 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return ""
    return "".join(w[0] for w in words).upper()


@functools.cache
def _gazetteer() -> tuple[dict[str, str], dict[str, str], dict[str, str], frozenset[str]]:
    """(name -> code, initials -> code for unambiguous initials, code -> display name,
    nationality words). Built once from pycountry's ISO 3166 countries."""
    import pycountry

    names: dict[str, str] = {}
    spelled: dict[str, set[str]] = {}
    display: dict[str, str] = {}
    peoples: set[str] = set()
    for country in pycountry.countries:
        code = str(country.alpha_2)
        forms = [str(getattr(country, attr, "") or "")
                 for attr in ("common_name", "name", "official_name")]
        forms = [f for f in forms if f]
        display[code] = forms[0].split(",")[0] if "," in forms[0] else forms[0]
        for form in forms:
            names[form.casefold()] = code
            short = form.split(",")[0]
            names.setdefault(short.casefold(), code)
            if (letters := initials(form)) and len(letters) >= 2:
                spelled.setdefault(letters, set()).add(code)
            first = short.split()[0]
            peoples.update(_nationalities(first))
        names[str(country.alpha_3).casefold()] = code
    unique = {k: next(iter(v)) for k, v in spelled.items() if len(v) == 1}
    return names, unique, display, frozenset(peoples)


def _nationalities(word: str) -> set[str]:
    """Nationality words formed from a country's name ("Russian", "Ukrainians", "Chinese")."""
    w = word.casefold()
    stem = w[:-1] if w[-1:] in "aeiouy" else w
    forms = {w + "n", w + "an", w + "ian", stem + "ian", stem + "an", stem + "ese", w + "i"}
    if w.endswith(("an", "ian")):
        forms.add(w)  # "Russian Federation", "Syrian Arab Republic"
    return forms | {f + "s" for f in forms}


def country_code(name: str) -> str | None:
    """The ISO 3166 code of a country name ("United States", "USA"), else None."""
    names, _, _, _ = _gazetteer()
    if is_acronym(name) and len(name) == 2:
        return None  # two letters are too often something else ("IT", "PM", "AI")
    return names.get(name.casefold())


def country_name(code: str) -> str:
    return _gazetteer()[2].get(code, code)


def is_nationality(word: str) -> bool:
    return " " not in word and word.casefold() in _gazetteer()[3]


@dataclass
class Facet:
    """A group of aliases; ``members[0]`` (the most mentioned) stands for the group."""

    members: list[Candidate]
    display: str
    kind: str
    code: str | None = None

    @property
    def id(self) -> int:
        return self.members[0].id

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(m.id for m in self.members)


def group_aliases(
    candidates: Sequence[Candidate], cooccur: Callable[[int, int], bool]
) -> list[Facet]:
    """Fold aliases together (most mentioned first in each group and overall)."""
    ordered = sorted(candidates, key=lambda c: (-c.count, c.name))
    by_code: dict[str, Facet] = {}
    facets: list[Facet] = []
    by_name: dict[str, Facet] = {}
    for cand in ordered:
        code = country_code(cand.name)
        if code is not None and code in by_code:
            by_code[code].members.append(cand)
            continue
        facet = Facet([cand], cand.name, "place" if code else cand.kind, code)
        if code is not None:
            by_code[code] = facet
            facet.display = country_name(code)
        facets.append(facet)
        by_name[cand.name] = facet
    # Acronyms meet the names they spell, when the texts use both together.
    spelled: dict[str, list[Facet]] = {}
    for facet in facets:
        for member in facet.members:
            if letters := initials(member.name):
                spelled.setdefault(letters, []).append(facet)
    _, gazetteer_initials, _, _ = _gazetteer()
    merged: set[int] = set()
    for facet in list(facets):
        head = facet.members[0]
        if len(facet.members) > 1 or not is_acronym(head.name):
            continue
        targets = [f for f in spelled.get(head.name, []) if f is not facet]
        code = gazetteer_initials.get(head.name)
        if code is not None and code in by_code and by_code[code] not in targets:
            targets.append(by_code[code])
        for target in targets:
            if id(target) in merged or not any(cooccur(head.id, m.id) for m in target.members):
                continue
            target.members.append(head)
            if target.kind == "name" and code:
                target.kind = "place"
            merged.add(id(facet))
            break
    kept = [f for f in facets if id(f) not in merged]
    for facet in kept:
        facet.members.sort(key=lambda c: (-c.count, c.name))
    return kept


@dataclass
class Evidence:
    """How sample texts write one word (see :func:`read_evidence`)."""

    alone: int = 0
    after_number: int = 0
    lower: int = 0
    inside: Counter[str] = field(default_factory=Counter)
    #: Every word the texts write in lowercase (titles like "governor" are among them).
    lowered: set[str] = field(default_factory=set)


def _longer_name(kind: str, word: str, evidence: Evidence) -> str:
    """The name a word is only ever part of. A person's is cut to the words that end with
    the surname and that the texts never write in lowercase ("Governor Paolo Dessine" ->
    "Paolo Dessine": "governor" is also written as a word), then the shortest form wins."""
    if kind != "person":
        return evidence.inside.most_common(1)[0][0]
    forms: Counter[str] = Counter()
    for run, n in evidence.inside.items():
        words = run.split()
        if words[-1] != word:
            continue
        while len(words) > 2 and words[0].lower() in evidence.lowered:
            words.pop(0)
        forms[" ".join(words)] += n
    if not forms:
        return evidence.inside.most_common(1)[0][0]
    return min(forms, key=lambda f: (len(f.split()), -forms[f], f))


def read_evidence(word: str, texts: Iterable[str]) -> Evidence:
    """Count how ``word`` appears in article bodies (titles are Title Case, so they say
    nothing): alone, inside a longer capitalised name (which one), right after a number,
    and in lowercase as an ordinary word."""
    found = Evidence()
    exact = re.compile(rf"(?<![\w'’\-]){re.escape(word)}(?![\w\-])")
    lower = re.compile(rf"(?<![\w'’\-]){re.escape(word.lower())}(?![\w\-])")
    for text in texts:
        lowered = set(_LOWER_WORD.findall(text))
        found.lowered |= lowered
        for match in exact.finditer(text):
            before, after = text[: match.start()], text[match.end() :]
            if _NUMBER_BEFORE.search(before[-24:]):
                found.after_number += 1
                continue
            run = _run_around(before, word, after, lowered)
            if run == word:
                found.alone += 1
            else:
                found.inside[run] += 1
        if word.lower() != word:
            found.lower += len(lower.findall(text))
    return found


def _run_around(before: str, word: str, after: str, lowered: set[str]) -> str:
    """The capitalised name ``word`` sits in: the capitalised words touching it. A
    sentence's first word is capitalised anyway: it joins only when the text never writes
    it in lowercase ("The Kremlin" is the Kremlin; "Tessaline Energy" is one name)."""
    before = before.rsplit("\n", 1)[-1]
    after = after.split("\n", 1)[0]
    left: list[str] = []
    if before.endswith(" "):
        tokens = before[:-1].split(" ")
        while tokens and len(left) < 3 and _CAPITALISED.fullmatch(tokens[-1]):
            left.insert(0, tokens.pop())
        starts = not tokens or not tokens[-1] or tokens[-1][-1:] in ".!?:"
        if left and starts and left[0].lower() in lowered:
            left.pop(0)
    right: list[str] = []
    shown = word
    if after[:3] in ("’s ", "'s "):  # "People’s Republic": a possessive inside a name
        shown, after = word + after[:2], after[2:]
    if after.startswith(" "):
        for token in after[1:].split(" ")[:3]:
            clean = token.rstrip(".,;:!?)\"”")
            if not _CAPITALISED.fullmatch(clean) or clean.endswith(("'s", "’s")):
                break
            right.append(clean)
            if clean != token:
                break
    if not right:
        shown = word
    return " ".join([*left, shown, *right])


@dataclass(frozen=True, slots=True)
class Verdict:
    keep: bool
    display: str
    reason: str = ""


def judge(facet: Facet, evidence: Evidence | None) -> Verdict:
    """Whether a facet names something, and how to show it."""
    name = facet.display
    if facet.code is not None or len(facet.members) > 1:
        return Verdict(True, name)
    if " " in name:
        return Verdict(True, name)
    if name.casefold() in _DIRECTIONS:
        return Verdict(False, name, "a compass point")
    if is_nationality(name):
        return Verdict(False, name, "a nationality")
    if evidence is None:
        return Verdict(True, name)
    seen = evidence.alone + evidence.after_number + sum(evidence.inside.values())
    if seen and evidence.after_number * 2 >= seen:
        return Verdict(False, name, "a unit of measure")
    if not evidence.alone and evidence.inside:
        return Verdict(True, _longer_name(facet.kind, name, evidence), "part of a longer name")
    if evidence.lower and evidence.lower >= evidence.alone:
        return Verdict(False, name, "an ordinary word")
    return Verdict(True, name)
