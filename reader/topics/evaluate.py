"""Scoring many topics over articles held in memory (the import path).

Every topic's rule is compiled into term numbers shared by one :class:`TermScanner`, so an
article is tokenised once, its words are looked up once for all topics, and each topic is
decided from the handful of terms the article contains: only the topics watching one of those
terms are looked at (a rule can only match through one of its positive terms).

The meaning is exactly that of :class:`reader.query.Matcher` applied rule by rule (the
straightforward evaluation, which tests use as the reference): a topic is assigned when its
rule holds and the score reaches its threshold, where each positive term scores
``title_weight`` if it occurs in the title plus ``body_weight`` per body mention, at most
``body_cap`` mentions.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache

from reader.errors import RuleSyntaxError
from reader.query import parse_rule
from reader.query.matcher import Weights
from reader.query.nodes import Node, Not, Or, Term, all_terms, positive_terms
from reader.query.scan import TermScanner

#: Decides whether a rule holds, given the ids of the terms an article contains.
Holds = Callable[[Set[int]], bool]


@dataclass(frozen=True, slots=True)
class TopicRule:
    """A stored topic as the evaluator needs it. ``threshold`` 0 means a plain rule."""

    topic_id: int
    rule: str
    threshold: float


@dataclass(frozen=True, slots=True)
class _Compiled:
    topic_id: int
    threshold: float
    positive: frozenset[int]  # ids of the terms that count for the rule (not after a NOT)
    #: For rules shaped ``a OR b ... [NOT (x OR y ...)]`` (every default topic): the rule
    #: holds when a positive term is present and none of these is. None for other shapes.
    exclude: frozenset[int] | None
    holds: Holds  # the general test, for every shape


def _any_of(node: Node, id_of: dict[Term, int]) -> frozenset[int] | None:
    """The term ids of a Term or an OR of Terms; None for any other shape."""
    if isinstance(node, Term):
        return frozenset((id_of[node],))
    if isinstance(node, Or) and all(isinstance(i, Term) for i in node.items):
        return frozenset(id_of[i] for i in node.items if isinstance(i, Term))
    return None


def _exclusions(node: Node, id_of: dict[Term, int]) -> frozenset[int] | None:
    if isinstance(node, Not):
        if _any_of(node.keep, id_of) is None:
            return None
        return _any_of(node.drop, id_of)
    return frozenset() if _any_of(node, id_of) is not None else None


def _compile(node: Node, id_of: dict[Term, int]) -> Holds:
    """A predicate over present term ids; ORs and ANDs of plain terms become one set test."""
    if isinstance(node, Term):
        term_id = id_of[node]
        return lambda found: term_id in found
    if isinstance(node, Not):
        keep, drop = _compile(node.keep, id_of), _compile(node.drop, id_of)
        return lambda found: keep(found) and not drop(found)
    if all(isinstance(i, Term) for i in node.items):
        ids = frozenset(id_of[i] for i in node.items if isinstance(i, Term))
        if isinstance(node, Or):
            return lambda found: not ids.isdisjoint(found)
        return lambda found: ids <= found
    parts = tuple(_compile(i, id_of) for i in node.items)
    if isinstance(node, Or):
        return lambda found: any(p(found) for p in parts)
    return lambda found: all(p(found) for p in parts)


class TopicEvaluator:
    """Compiled rules for a set of topics; ``topics_for`` scores one article.

    Remembers the words it has classified (see :mod:`reader.query.scan`), so one evaluator
    should be reused across the articles of an import: :func:`evaluator_for` keeps them.
    """

    def __init__(self, rules: Sequence[TopicRule], weights: Weights) -> None:
        parsed: list[tuple[TopicRule, Node]] = []
        for r in rules:
            try:
                parsed.append((r, parse_rule(r.rule)))
            except RuleSyntaxError:  # a rule stored by an older build that no longer parses
                continue
        self._scanner = TermScanner(t for _, node in parsed for t in all_terms(node))
        id_of = self._scanner.id_of
        self._rules = [
            _Compiled(
                r.topic_id,
                r.threshold,
                frozenset(id_of[t] for t in positive_terms(node)),
                _exclusions(node, id_of),
                _compile(node, id_of),
            )
            for r, node in parsed
        ]
        # term id -> the rules it counts for, so an article touches only its terms' rules.
        watchers: dict[int, list[int]] = {}
        for k, rule in enumerate(self._rules):
            for term_id in rule.positive:
                watchers.setdefault(term_id, []).append(k)
        self._watchers = {t: tuple(ks) for t, ks in watchers.items()}
        self._title_weight = weights.title_weight
        self._body_weight = weights.body_weight
        self._body_cap = weights.body_cap
        # Mentions beyond the cap never change a score, so the body is counted only that far
        # (with a cap of 1, the bundled one, words are only looked up, never counted).
        self._body_limit = max(1, weights.body_cap)

    def topics_for(self, title: str, body: str) -> list[tuple[int, float]]:
        """``(topic_id, score)`` for every topic the article belongs to, in rule order."""
        scanner = self._scanner
        in_title = scanner.scan(title)
        in_body = scanner.scan(body, self._body_limit)
        out: list[tuple[int, float]] = []
        if not in_title and not in_body:
            return out
        found = in_title.keys() | in_body.keys()
        touched: set[int] = set()
        watchers = self._watchers
        for term_id in found:
            rules = watchers.get(term_id)
            if rules is not None:
                touched.update(rules)
        tw, bw, cap = self._title_weight, self._body_weight, self._body_cap
        for k in sorted(touched):
            rule = self._rules[k]
            exclude = rule.exclude
            if exclude is None:
                if not rule.holds(found):
                    continue
            elif exclude and not exclude.isdisjoint(found):
                continue
            score = 0.0
            for term_id in sorted(rule.positive.intersection(found)):
                score += (tw if term_id in in_title else 0.0) + bw * min(
                    in_body.get(term_id, 0), cap
                )
            if score >= rule.threshold:
                out.append((rule.topic_id, score))
        return out


@lru_cache(maxsize=1)
def evaluator_for(rules: tuple[TopicRule, ...], weights: Weights) -> TopicEvaluator:
    """One evaluator per set of rules, kept across imports so its word memory stays warm
    (and rules are not parsed again for every imported file)."""
    return TopicEvaluator(rules, weights)


def score_rows(
    rules: tuple[TopicRule, ...], weights: Weights, rows: Sequence[tuple[int, str, str]]
) -> dict[int, list[tuple[int, float]]]:
    """``(article id, title, body)`` rows -> each article's ``(topic_id, score)`` list: the
    part of assigning topics that needs only the text, so an import can run it in its
    extraction workers (module level: a worker finds it by name)."""
    evaluator = evaluator_for(rules, weights)
    return {article_id: evaluator.topics_for(title, body) for article_id, title, body in rows}


def score_packed(
    rules: tuple[TopicRule, ...], weights: Weights, packed: bytes
) -> dict[int, list[tuple[int, float]]]:
    """:func:`score_rows` of rows the sender pickled itself: a bytes object per task frees
    its memory whole once the task is done, where 100,000 texts held as strings until the
    workers took them raised an import's peak by 80 MB (to 781 MB; 726 MB so)."""
    rows: list[tuple[int, str, str]] = pickle.loads(packed)
    return score_rows(rules, weights, rows)
