"""Find every term of many rules in one article's text with one pass (the import path).

Topic assignment runs for every imported article, and a 1,000,000-article import has a
budget of about 0.1 ms per article for it. Matching term by term, or walking each distinct
word of an article against every prefix length of every rule, costs several times that.
Here the work per article is a few C-level operations:

* :func:`reader.query.folding.fold_tokens` splits and folds the text exactly as FTS5's
  tokenizer does (for ASCII text with ``bytes.translate`` and ``split``);
* each *distinct* word is classified once per scanner (which terms it is, which prefixes it
  starts with, which phrases it can begin) and remembered, so an article's words are looked
  up with one set intersection; only words never seen before are classified in Python;
* phrases are counted only when their first word is present, by a substring search of the
  article's words joined by single spaces (a word holds only letters and digits, so word
  boundaries are exact).

The meaning is that of :class:`reader.query.matcher.Field`: counts of exact words, of words
starting with a prefix, and of consecutive-word phrases whose last word may be a prefix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from reader.query.folding import fold_tokens
from reader.query.nodes import Term

#: Distinct words remembered per scanner before the memory is dropped and rebuilt. A large
#: library's vocabulary is mostly names and numbers seen once; ~100k entries is ~10 MB, and
#: re-learning the common words after a reset costs a few milliseconds.
MAX_REMEMBERED = 100_000

#: A word's meaning for the scanner: the single-word term ids it counts for, and the phrases
#: (term id, search pattern) it can begin.
Entry = tuple[tuple[int, ...], tuple[tuple[int, str], ...]]
_NOTHING: Entry = ((), ())


class _Memory:
    """Words already classified. Replaced as a whole (never cleared in place), so a scan
    that holds a reference keeps a consistent view. A word is marked relevant *before* it is
    entered as known, so a scan in another thread that finds a word known also finds it
    relevant (one that does not find it classifies it itself)."""

    __slots__ = ("entries", "relevant")

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.relevant: set[str] = set()


class TermScanner:
    """Counts the mentions of a fixed set of terms in a text; terms are numbered in order."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: list[Term] = list(dict.fromkeys(terms))
        self.id_of: dict[Term, int] = {t: i for i, t in enumerate(self.terms)}
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        phrases: dict[str, list[tuple[int, str]]] = {}
        for term_id, term in enumerate(self.terms):
            first = term.tokens[0]
            if len(term.tokens) > 1:
                pattern = " " + " ".join(term.tokens) + ("" if term.prefix else " ")
                phrases.setdefault(first, []).append((term_id, pattern))
            elif term.prefix:
                self._prefix.setdefault(first, []).append(term_id)
            else:
                self._exact.setdefault(first, []).append(term_id)
        self._phrases = {k: tuple(v) for k, v in phrases.items()}
        self._prefix_lengths = sorted({len(p) for p in self._prefix})
        # Most new words are names and numbers that start no prefix at all: checking their
        # first letters against the prefixes' first letters settles them in one lookup.
        self._head = self._prefix_lengths[0] if self._prefix_lengths else 0
        self._heads = {p[: self._head] for p in self._prefix}
        self._memory = _Memory()

    def _classify(self, word: str) -> Entry:
        ids = list(self._exact.get(word, ()))
        if word[: self._head] in self._heads:
            size = len(word)
            for length in self._prefix_lengths:
                if length > size:
                    break
                hit = self._prefix.get(word[:length])
                if hit:
                    ids.extend(hit)
        phrases = self._phrases.get(word, ())
        if not ids and not phrases:
            return _NOTHING
        return tuple(ids), phrases

    def _learn(self, words: set[str]) -> _Memory:
        """The memory, with every word of ``words`` classified."""
        memory = self._memory
        new = words.difference(memory.entries)  # iterates ``words``: the article, not the memory
        if new:
            if len(memory.entries) + len(new) > MAX_REMEMBERED:
                memory = self._memory = _Memory()
                new = words
            entries, relevant = memory.entries, memory.relevant
            for word in new:
                entry = self._classify(word)
                if entry is not _NOTHING:
                    relevant.add(word)
                entries[word] = entry
        return memory

    def scan(self, text: str, limit: int = 1) -> dict[int, int]:
        """``term id -> mentions`` for the terms in ``text`` (absent terms are left out).

        ``limit`` is the most mentions the caller will use. With 1, words are not counted
        and a value only means "present" (it is at least 1 and at most the true count);
        above 1, single-word counts are exact and phrase counts stop at ``limit``.
        """
        tokens = fold_tokens(text)
        if not tokens:
            return {}
        counted = Counter(tokens) if limit > 1 else None
        words = set(counted) if counted is not None else set(tokens)
        memory = self._learn(words)
        hits = words & memory.relevant
        out: dict[int, int] = {}
        if not hits:
            return out
        entries = memory.entries
        joined = ""
        for word in hits:
            ids, phrases = entries[word]
            n = counted[word] if counted is not None else 1
            for term_id in ids:
                out[term_id] = out.get(term_id, 0) + n
            for term_id, pattern in phrases:
                if not joined:
                    joined = " " + " ".join(tokens) + " "
                found = _occurrences(joined, pattern, limit)
                if found:
                    out[term_id] = found
        return out


def _occurrences(text: str, pattern: str, limit: int) -> int:
    """Occurrences of ``pattern`` in ``text``, overlapping ones included, counted up to
    ``limit``. Overlaps matter for phrases like ``"very very"`` in "very very very"."""
    at = text.find(pattern)
    found = 0
    while at >= 0:
        found += 1
        if found >= limit:
            break
        at = text.find(pattern, at + 1)
    return found
