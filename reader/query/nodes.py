"""The query AST: immutable nodes, so parsed rules can be cached and compared."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase, already folded into FTS-style tokens (lowercase, no diacritics).

    A bare word such as ``Al-Rastan`` folds to two tokens and so behaves as a phrase, exactly
    as FTS5's unicode61 tokenizer would treat it. ``prefix`` applies to the last token.
    """

    tokens: tuple[str, ...]
    prefix: bool = False

    def __str__(self) -> str:
        text = " ".join(self.tokens)
        quoted = f'"{text}"' if len(self.tokens) > 1 else text
        return quoted + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " AND ".join(str(i) for i in self.items) + ")"


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " OR ".join(str(i) for i in self.items) + ")"


@dataclass(frozen=True, slots=True)
class Not:
    """``keep NOT drop``: binary, like FTS5, because a bare negation cannot be searched."""

    keep: Node
    drop: Node

    def __str__(self) -> str:
        return f"({self.keep} NOT {self.drop})"


Node = Term | And | Or | Not


def positive_terms(node: Node) -> list[Term]:
    """The terms that count *for* a match (everything not on the right of a NOT)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return positive_terms(node.keep)
    out: list[Term] = []
    for item in node.items:
        out.extend(positive_terms(item))
    return out


def all_terms(node: Node) -> list[Term]:
    """Every term in the tree, in order (positive and excluded)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return all_terms(node.keep) + all_terms(node.drop)
    out: list[Term] = []
    for item in node.items:
        out.extend(all_terms(item))
    return out
