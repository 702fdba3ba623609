"""Evaluate a query over one article's text in Python, with title-weighted scores.

Used at import time, where the articles just inserted are few and already in memory, so topic
assignment does not depend on the FTS index being filled first. It folds text the way FTS5's
``unicode61 remove_diacritics 2`` tokenizer does, so a rule matches here exactly when it would
match in FTS5 (tests check the two agree).

Scoring is what keeps passing mentions out of a topic: each positive term scores
``title_weight`` if it appears in the title, plus ``body_weight`` per mention in the body (at
most ``body_cap`` mentions), and a topic is assigned when the rule matches *and* the score
reaches the topic's threshold.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from reader.query.nodes import And, Node, Not, Or, Term, all_terms, positive_terms

_TOKEN = re.compile(r"[^\W_]+")
#: Combining marks left by NFKD decomposition (the diacritics FTS5 strips).
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case and strip diacritics (as ``unicode61 remove_diacritics 2`` does).

    Runs on every imported article, so it stays in C: an ASCII fast path, else NFKD and one
    regex substitution instead of a Python loop over characters.
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered))


class Field:
    """One column's tokens, indexed for exact, prefix and phrase counts."""

    __slots__ = ("_distinct", "_positions", "counts", "tokens")

    def __init__(self, text: str) -> None:
        self.tokens = _TOKEN.findall(fold(text))
        self.counts = Counter(self.tokens)
        self._distinct: list[str] | None = None
        self._positions: dict[str, list[int]] | None = None

    def _prefixed(self, prefix: str) -> list[str]:
        if self._distinct is None:
            self._distinct = sorted(self.counts)
        start = bisect_left(self._distinct, prefix)
        out = []
        for tok in self._distinct[start:]:
            if not tok.startswith(prefix):
                break
            out.append(tok)
        return out

    def count(self, term: Term) -> int:
        toks = term.tokens
        if len(toks) == 1:
            if not term.prefix:
                return self.counts.get(toks[0], 0)
            return sum(self.counts[t] for t in self._prefixed(toks[0]))
        if toks[0] not in self.counts:
            return 0
        if self._positions is None:
            self._positions = {}
            for i, tok in enumerate(self.tokens):
                self._positions.setdefault(tok, []).append(i)
        n, last = len(toks), len(toks) - 1
        found = 0
        for p in self._positions[toks[0]]:
            if p + n > len(self.tokens):
                break
            if all(self.tokens[p + k] == toks[k] for k in range(1, last)):
                tail = self.tokens[p + last]
                if tail == toks[last] or (term.prefix and tail.startswith(toks[last])):
                    found += 1
        return found


class Doc:
    """An article's title and body, tokenised once and shared by every topic's matcher."""

    __slots__ = ("body", "title")

    def __init__(self, title: str, body: str) -> None:
        self.title = Field(title)
        self.body = Field(body)


Counts = dict[Term, tuple[int, int]]
_ZERO = (0, 0)


class TermIndex:
    """Every term of many rules, indexed so one pass over a document's distinct tokens counts
    them all. Scoring eleven topics of ~50 terms term-by-term cost milliseconds per article;
    walking the document's ~150 distinct tokens against dictionaries costs tens of µs.

    Terms are numbered: counts are keyed by small ints, which hash in C (a frozen dataclass
    hashes in Python, and that alone dominated the profile).
    """

    def __init__(self, terms: list[Term]) -> None:
        self.id_of: dict[Term, int] = {}
        self.exact: dict[str, list[int]] = {}
        self.prefix: dict[str, list[int]] = {}
        self.phrases: dict[str, list[tuple[int, Term]]] = {}
        for term in terms:
            if term in self.id_of:
                continue
            term_id = self.id_of[term] = len(self.id_of)
            first = term.tokens[0]
            if len(term.tokens) > 1:
                self.phrases.setdefault(first, []).append((term_id, term))
            elif term.prefix:
                self.prefix.setdefault(first, []).append(term_id)
            else:
                self.exact.setdefault(first, []).append(term_id)
        self.prefix_lengths = sorted({len(p) for p in self.prefix})

    def counts(self, doc: Doc) -> dict[int, tuple[int, int]]:
        """``term id -> (title mentions, body mentions)`` for the terms that occur."""
        out: dict[int, tuple[int, int]] = {}
        exact, prefix, phrases, lengths = self.exact, self.prefix, self.phrases, self.prefix_lengths
        for slot, field in ((0, doc.title), (1, doc.body)):
            found: dict[int, int] = {}
            for tok, n in field.counts.items():
                hit = exact.get(tok)
                if hit:
                    for term_id in hit:
                        found[term_id] = found.get(term_id, 0) + n
                size = len(tok)
                for length in lengths:
                    if length > size:
                        break
                    hit = prefix.get(tok[:length])
                    if hit:
                        for term_id in hit:
                            found[term_id] = found.get(term_id, 0) + n
                for term_id, term in phrases.get(tok, ()):
                    found[term_id] = field.count(term)
            for term_id, n in found.items():
                if n:
                    title, body = out.get(term_id, _ZERO)
                    out[term_id] = (n, body) if slot == 0 else (title, n)
        return out


@dataclass(frozen=True, slots=True)
class Weights:
    title_weight: float = 3.0
    body_weight: float = 1.0
    body_cap: int = 3


class Matcher:
    """A compiled rule: ``score(doc)`` returns None when the rule does not match."""

    def __init__(self, node: Node, weights: Weights | None = None) -> None:
        self.node = node
        self.weights = weights or Weights()
        self._terms = list(dict.fromkeys(all_terms(node)))
        self._positive = list(dict.fromkeys(positive_terms(node)))

    @property
    def terms(self) -> list[Term]:
        return self._terms

    def counts(self, doc: Doc) -> Counts:
        """``term -> (title mentions, body mentions)``."""
        return {t: (doc.title.count(t), doc.body.count(t)) for t in self._terms}

    def score_doc(self, doc: Doc) -> float | None:
        return self.score_counts(self.counts(doc))

    def bind(self, index: TermIndex) -> None:
        """Prepare :meth:`score_ids` for counts made by ``index``.

        Rules of the shape ``a OR b OR ... [NOT (x OR y ...)]`` (every default topic) are
        decided from the few terms a document contains instead of walking the whole tree.
        """
        self._index = index
        self._positive_ids = {index.id_of[t]: t for t in self._positive}
        keep, drop = (self.node.keep, self.node.drop) if isinstance(self.node, Not) else (
            self.node, None)
        flat_keep = _flat_terms(keep)
        flat_drop = _flat_terms(drop) if drop is not None else []
        self._flat = flat_keep is not None and flat_drop is not None
        self._exclude_ids = {index.id_of[t] for t in flat_drop or []}

    def score_ids(self, counts: dict[int, tuple[int, int]]) -> float | None:
        """Score from counts keyed by the bound index's term ids."""
        if not self._flat:
            id_of = self._index.id_of
            by_term = {t: counts[id_of[t]] for t in self._terms if id_of[t] in counts}
            return self.score_counts(by_term)
        present = [i for i in counts if i in self._positive_ids]
        if not present or any(i in self._exclude_ids for i in counts):
            return None
        w = self.weights
        total = 0.0
        for term_id in present:
            in_title, in_body = counts[term_id]
            total += (w.title_weight if in_title else 0.0) + w.body_weight * min(
                in_body, w.body_cap
            )
        return total

    def score_counts(self, counts: Counts) -> float | None:
        """Score from precomputed counts (missing terms count as absent)."""
        if not _holds(self.node, counts):
            return None
        w = self.weights
        total = 0.0
        for term in self._positive:
            in_title, in_body = counts.get(term, _ZERO)
            total += (w.title_weight if in_title else 0.0) + w.body_weight * min(
                in_body, w.body_cap
            )
        return total

    def score(self, title: str, body: str) -> float | None:
        return self.score_doc(Doc(title, body))

    def matches(self, title: str, body: str) -> bool:
        """Plain boolean match, as FTS5 would answer it."""
        return _holds(self.node, self.counts(Doc(title, body)))


def _flat_terms(node: Node) -> list[Term] | None:
    """The terms of a Term or an OR of Terms; None for any other shape."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Or) and all(isinstance(i, Term) for i in node.items):
        return [i for i in node.items if isinstance(i, Term)]
    return None


def _holds(node: Node, counts: Counts) -> bool:
    if isinstance(node, Term):
        return node in counts and sum(counts[node]) > 0
    if isinstance(node, Not):
        return _holds(node.keep, counts) and not _holds(node.drop, counts)
    if isinstance(node, And):
        return all(_holds(i, counts) for i in node.items)
    assert isinstance(node, Or)
    return any(_holds(i, counts) for i in node.items)
