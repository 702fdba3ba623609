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


def fold(text: str) -> str:
    """Lower-case and strip diacritics (as ``unicode61 remove_diacritics 2`` does)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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

    def counts(self, doc: Doc) -> dict[Term, tuple[int, int]]:
        """``term -> (title mentions, body mentions)``."""
        return {t: (doc.title.count(t), doc.body.count(t)) for t in self._terms}

    def score_doc(self, doc: Doc) -> float | None:
        counts = self.counts(doc)
        if not _holds(self.node, counts):
            return None
        w = self.weights
        total = 0.0
        for term in self._positive:
            in_title, in_body = counts[term]
            total += (w.title_weight if in_title else 0.0) + w.body_weight * min(
                in_body, w.body_cap
            )
        return total

    def score(self, title: str, body: str) -> float | None:
        return self.score_doc(Doc(title, body))

    def matches(self, title: str, body: str) -> bool:
        """Plain boolean match, as FTS5 would answer it."""
        return _holds(self.node, self.counts(Doc(title, body)))


def _holds(node: Node, counts: dict[Term, tuple[int, int]]) -> bool:
    if isinstance(node, Term):
        a, b = counts[node]
        return a + b > 0
    if isinstance(node, Not):
        return _holds(node.keep, counts) and not _holds(node.drop, counts)
    if isinstance(node, And):
        return all(_holds(i, counts) for i in node.items)
    assert isinstance(node, Or)
    return any(_holds(i, counts) for i in node.items)
