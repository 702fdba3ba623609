"""Evaluate one query over one article's text in Python, with title-weighted scores.

This is the straightforward definition of what a rule means outside FTS5: each term is
counted in the title and the body, and the tree is walked. It splits and folds text with
:func:`reader.query.folding.fold_tokens`, which is read from FTS5's own tokenizer, so a rule
matches here exactly when it would match in FTS5 (tests check the two agree). The import
path scores many topics at once with :class:`reader.topics.TopicEvaluator` (over
:mod:`reader.query.scan`), which tests check gives exactly this module's answers, only faster.

Scoring is what keeps passing mentions out of a topic: each positive term scores
``title_weight`` if it appears in the title, plus ``body_weight`` per mention in the body (at
most ``body_cap`` mentions), and a topic is assigned when the rule matches *and* the score
reaches the topic's threshold.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from reader.query.folding import fold_tokens
from reader.query.nodes import And, Node, Not, Or, Term, all_terms, positive_terms


class Field:
    """One column's tokens, indexed for exact, prefix and phrase counts."""

    __slots__ = ("_distinct", "_positions", "counts", "tokens")

    def __init__(self, text: str) -> None:
        self.tokens = fold_tokens(text)
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


def _holds(node: Node, counts: Counts) -> bool:
    if isinstance(node, Term):
        return node in counts and sum(counts[node]) > 0
    if isinstance(node, Not):
        return _holds(node.keep, counts) and not _holds(node.drop, counts)
    if isinstance(node, And):
        return all(_holds(i, counts) for i in node.items)
    assert isinstance(node, Or)
    return any(_holds(i, counts) for i in node.items)
