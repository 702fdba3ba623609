"""Scoring many topics over articles held in memory (the import path)."""

from __future__ import annotations

from dataclasses import dataclass

from reader.errors import RuleSyntaxError
from reader.query import Matcher, parse_rule
from reader.query.matcher import Doc, TermIndex, Weights


@dataclass(frozen=True, slots=True)
class TopicRule:
    """A stored topic as the evaluator needs it. ``threshold`` 0 means a plain rule."""

    topic_id: int
    rule: str
    threshold: float


class TopicEvaluator:
    """Compiled matchers for a set of topics; ``topics_for`` scores one article."""

    def __init__(self, rules: list[TopicRule], weights: Weights) -> None:
        self._matchers: list[tuple[int, float, Matcher]] = []
        for r in rules:
            try:
                node = parse_rule(r.rule)
            except RuleSyntaxError:  # a rule stored by an older build that no longer parses
                continue
            self._matchers.append((r.topic_id, r.threshold, Matcher(node, weights)))
        self._index = TermIndex([t for _, _, m in self._matchers for t in m.terms])
        for _, _, matcher in self._matchers:
            matcher.bind(self._index)

    def topics_for(self, title: str, body: str) -> list[tuple[int, float]]:
        """``(topic_id, score)`` for every topic the article belongs to."""
        counts = self._index.counts(Doc(title, body))
        out: list[tuple[int, float]] = []
        if not counts:
            return out
        for topic_id, threshold, matcher in self._matchers:
            score = matcher.score_ids(counts)
            if score is not None and score >= threshold:
                out.append((topic_id, score))
        return out
