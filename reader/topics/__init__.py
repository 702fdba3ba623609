"""Topics: the default taxonomy and the scoring that turns a rule into assignments.

A topic is a view over the library: assigning it never hides, moves or deletes anything. Rules
use the search syntax (:mod:`reader.query`). Built-in topics are *scored* (title mentions weigh
more than body mentions, and a threshold keeps passing mentions out); user topics are plain
rules: every article the rule matches belongs to the topic.
"""

from __future__ import annotations

from reader.topics.evaluate import TopicEvaluator, TopicRule, evaluator_for
from reader.topics.taxonomy import Taxonomy, TopicSpec, load_taxonomy, rule_from_words

__all__ = [
    "Taxonomy",
    "TopicEvaluator",
    "TopicRule",
    "TopicSpec",
    "evaluator_for",
    "load_taxonomy",
    "rule_from_words",
]
