"""The one query language shared by the search box and topic rules.

Words, ``"phrases"``, ``AND``, ``OR``, ``NOT``, parentheses and ``prefix*``. Text is parsed into
a small AST (:mod:`reader.query.nodes`), which is then either compiled to a safe FTS5 MATCH
expression (:mod:`reader.query.fts`) or evaluated in Python over an article's text
(:mod:`reader.query.matcher`), so a rule means the same thing at import time and when it is
re-evaluated over the whole library with one FTS query.

Topic rules are parsed *strictly* (a rule that does not parse is refused with a
:class:`~reader.errors.RuleSyntaxError` naming the problem and its position); the search box
is parsed *leniently* (any input yields a query or nothing, never an exception).
"""

from __future__ import annotations

from reader.query.folding import fold_tokens
from reader.query.fts import to_fts
from reader.query.matcher import Matcher
from reader.query.nodes import And, Node, Not, Or, Term
from reader.query.parser import parse_rule, parse_search

__all__ = [
    "And",
    "Matcher",
    "Node",
    "Not",
    "Or",
    "Term",
    "fold_tokens",
    "parse_rule",
    "parse_search",
    "to_fts",
]
