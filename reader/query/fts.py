"""Compile the AST to an FTS5 MATCH expression that cannot be a syntax error.

Every term is emitted as a double-quoted string of folded tokens (letters and digits only), so
nothing the user typed can reach FTS5 as syntax: ``NEAR(``, ``:``, ``^``, ``-`` and column
names are just words. Every operator is parenthesised, so FTS5's own precedence never matters.
"""

from __future__ import annotations

from reader.query.nodes import And, Node, Not, Or, Term


def _term(term: Term) -> str:
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")


def to_fts(node: Node, column: str | None = None) -> str:
    """The MATCH expression for ``node``; ``column`` restricts it to one column (``title``)."""
    expr = _compile(node)
    if column is not None:
        return "{" + column + "} : (" + expr + ")"
    return expr


def _compile(node: Node) -> str:
    if isinstance(node, Term):
        return _term(node)
    if isinstance(node, Not):
        return f"({_compile(node.keep)} NOT {_compile(node.drop)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    assert isinstance(node, And | Or)
    return "(" + joiner.join(_compile(i) for i in node.items) + ")"
