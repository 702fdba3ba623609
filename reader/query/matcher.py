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
from dataclasses import dataclass

from reader.query.nodes import And, Node, Not, Or, Term, all_terms, positive_terms

_NON_TOKEN = r"[\W_]+"
_BEFORE = r"(?<![^\W_])"
_AFTER = r"(?![^\W_])"


def fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping the text otherwise intact."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _pattern(term: Term) -> re.Pattern[str]:
    parts = [re.escape(tok) for tok in term.tokens]
    body = _NON_TOKEN.join(parts)
    tail = r"[^\W_]*" if term.prefix else _AFTER
    return re.compile(_BEFORE + body + tail)


@dataclass(frozen=True, slots=True)
class Weights:
    title_weight: float = 3.0
    body_weight: float = 1.0
    body_cap: int = 3


class Matcher:
    """A compiled rule: ``score(title, body)`` returns None when the rule does not match."""

    def __init__(self, node: Node, weights: Weights | None = None) -> None:
        self.node = node
        self.weights = weights or Weights()
        self._terms = list(dict.fromkeys(all_terms(node)))
        self._patterns = {t: _pattern(t) for t in self._terms}
        self._positive = list(dict.fromkeys(positive_terms(node)))

    def counts(self, title: str, body: str) -> dict[Term, tuple[int, int]]:
        """``term -> (title mentions, body mentions)`` over folded text."""
        ft, fb = fold(title), fold(body)
        return {
            t: (len(p.findall(ft)), len(p.findall(fb))) for t, p in self._patterns.items()
        }

    def score(self, title: str, body: str) -> float | None:
        counts = self.counts(title, body)
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

    def matches(self, title: str, body: str) -> bool:
        """Plain boolean match, as FTS5 would answer it."""
        return _holds(self.node, self.counts(title, body))


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
