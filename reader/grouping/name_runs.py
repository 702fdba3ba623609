"""Finding name runs in prose: sentences, then runs of capitalised words within each.

The first half of the name extractor (:mod:`reader.grouping.entities` does the second:
deciding which runs are names and merging their variants). Headings and list labels are
dropped, a possessive ends a name, and a lowercase connector ("of", "van") joins two
capitalised parts ("Sea of Azov", "Pieter van der Berg"). Per-token facts are memoised:
news vocabulary is small next to the number of tokens read.
"""

from __future__ import annotations

import itertools
import operator
import re
from typing import Final

from reader.grouping.name_words import COMMON, CONNECTORS, DEMONYMS, PARTICLES

#: Entries each per-word memo below keeps before it starts over (a memory bound, about
#: 11 MB for the token facts: news vocabulary is small next to the number of words read,
#: so most lookups hit even after a restart).
_MEMO_LIMIT = 50_000


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


def is_acronym(token: str) -> bool:
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


def sentences(text: str) -> list[str]:
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


def headline_sentences(title: str) -> list[str]:
    """The sentences of a headline: :func:`sentences` would drop a short one without final
    punctuation as a heading, which is what a headline looks like."""
    return [s for line in title.splitlines() for s in _split_sentences(line.strip()) if s.strip()]


def acronyms(text: str) -> list[str]:
    """The acronyms of ``text`` in order, cleaned ("U.S." -> "US", "NATO's" -> "NATO")."""
    return [t for t in map(_clean, _TOKEN.findall(text)) if t[:1].isalpha() and is_acronym(t)]


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
    link = (lower in CONNECTORS or lower in PARTICLES) and not cap
    info = (
        low,
        raw in PARTICLES,
        alpha,
        token,
        cap and lower not in COMMON and lower not in DEMONYMS,
        raw != token and raw.rstrip(".") != token,
        link,
        lower in PARTICLES,
        cap and lower not in COMMON,
        cap,
        alpha and not (low and not link),
    )
    _TOKEN_INFO[raw] = info
    return info


def _close(current: list[str], runs: list[tuple[list[str], bool]], at_start: bool) -> None:
    """End the current run: drop trailing connectors and particles, keep what is left."""
    while current and (current[-1].lower() in CONNECTORS or current[-1] in PARTICLES):
        current.pop()
    if current:
        runs.append((current.copy(), at_start))
    current.clear()


def runs(sentence: str) -> list[tuple[list[str], bool]]:
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
    if facts and facts[0][_ALPHA]:
        first_word = 0  # nearly always: a sentence starts with a word
    else:
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
    if current:
        _close(current, runs, start_index == first_word)
    return runs
