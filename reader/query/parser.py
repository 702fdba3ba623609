"""Recursive-descent parser: strict for topic rules, lenient for the search box.

Grammar (``NOT`` is binary, as in FTS5: ``oil NOT painting``)::

    query   := or_expr
    or_expr := and_expr ("OR" and_expr)*
    and_expr:= unary (["AND"] unary | "NOT" unary)*
    unary   := "(" or_expr ")" | TERM

Leniency is a repair pass over the tokens followed by the same strict parser, so both modes
share one meaning: punctuation-only words (``:``, ``^``, ``-``, a lone ``*``) are dropped,
unmatched parentheses are dropped or closed, and an operator with nothing to join becomes a
plain word.
"""

from __future__ import annotations

from reader.errors import RuleSyntaxError
from reader.query.lexer import Kind, Lexeme, lex
from reader.query.nodes import And, Node, Not, Or, Term

_STARTS_OPERAND = (Kind.TERM, Kind.LPAREN)
_ENDS_OPERAND = (Kind.TERM, Kind.RPAREN)


class _Parser:
    def __init__(self, text: str, lexemes: list[Lexeme]) -> None:
        self.text = text
        self.lexemes = lexemes
        self.i = 0

    def error(self, message: str, at: Lexeme | None = None) -> RuleSyntaxError:
        position = at.position if at is not None else len(self.text)
        return RuleSyntaxError(self.text, message, position)

    def peek(self) -> Lexeme | None:
        return self.lexemes[self.i] if self.i < len(self.lexemes) else None

    def parse(self) -> Node:
        if not self.lexemes:
            raise RuleSyntaxError(self.text, "the rule is empty", None)
        node = self.or_expr()
        extra = self.peek()
        if extra is not None:
            if extra.kind is Kind.RPAREN:
                raise self.error("this ')' has no matching '('", extra)
            raise self.error(f"unexpected {extra.text!r}", extra)
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind is Kind.OR:
            self.i += 1
            self.require_operand(tok)
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        node = self.unary()
        items = [node]
        while (tok := self.peek()) is not None:
            if tok.kind is Kind.NOT:
                self.i += 1
                drop = self.operand_after(tok)
                keep = items[0] if len(items) == 1 else And(tuple(items))
                items = [Not(keep, drop)]
            elif tok.kind is Kind.AND:
                self.i += 1
                items.append(self.operand_after(tok))
            elif tok.kind in _STARTS_OPERAND:
                items.append(self.unary())
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items))

    def require_operand(self, op: Lexeme) -> None:
        nxt = self.peek()
        if nxt is None or nxt.kind not in _STARTS_OPERAND:
            raise self.error(f"{op.text} needs a word or phrase after it", op)

    def operand_after(self, op: Lexeme) -> Node:
        self.require_operand(op)
        return self.unary()

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.error("the rule ends where a word or phrase was expected")
        if tok.kind is Kind.LPAREN:
            self.i += 1
            inner = self.peek()
            if inner is not None and inner.kind is Kind.RPAREN:
                raise self.error("the parentheses are empty", tok)
            node = self.or_expr()
            close = self.peek()
            if close is None or close.kind is not Kind.RPAREN:
                raise self.error("this '(' is never closed", tok)
            self.i += 1
            return node
        if tok.kind is Kind.TERM:
            self.i += 1
            if not tok.tokens:
                what = "the quotes are empty" if tok.quoted and not tok.text.strip() else (
                    f"{tok.text or '*'!r} has no letters or digits to search for"
                )
                raise self.error(what, tok)
            return Term(tok.tokens, tok.prefix)
        if tok.kind is Kind.RPAREN:
            raise self.error("this ')' has no matching '('", tok)
        if tok.kind is Kind.NOT:
            raise self.error("NOT must follow a word, as in: oil NOT painting", tok)
        raise self.error(f"{tok.text} needs a word or phrase before it", tok)


def parse_rule(text: str) -> Node:
    """Parse a topic rule strictly. Raises :class:`RuleSyntaxError` naming the problem."""
    return _Parser(text, lex(text, lenient=False)).parse()


def parse_search(text: str) -> Node | None:
    """Parse what the user typed in the search box. Never raises; None means nothing to search."""
    lexemes = _repair(lex(text, lenient=True))
    if not lexemes:
        return None
    try:
        return _Parser(text, lexemes).parse()
    except RuleSyntaxError:  # pragma: no cover - the repair pass is meant to make this unreachable
        terms = [Term(t.tokens, t.prefix) for t in lexemes if t.kind is Kind.TERM]
        return terms[0] if len(terms) == 1 else And(tuple(terms)) if terms else None


def _repair(lexemes: list[Lexeme]) -> list[Lexeme]:
    """Make any token list parse, keeping as much of the user's intent as possible."""
    # 1. Words with nothing searchable (":", "^", "-", a lone "*", empty quotes) carry no meaning.
    items = [t for t in lexemes if t.kind is not Kind.TERM or t.tokens]
    # 2. Balance parentheses: drop a ')' with no '(' and close what is left open.
    balanced: list[Lexeme] = []
    depth = 0
    for t in items:
        if t.kind is Kind.RPAREN:
            if depth == 0:
                continue
            depth -= 1
        elif t.kind is Kind.LPAREN:
            depth += 1
        balanced.append(t)
    end = lexemes[-1].position + 1 if lexemes else 0
    balanced.extend(Lexeme(Kind.RPAREN, ")", end) for _ in range(depth))
    # 3. Remove empty "()" pairs, repeatedly ("(())" too).
    changed = True
    while changed:
        changed = False
        for k in range(len(balanced) - 1):
            if balanced[k].kind is Kind.LPAREN and balanced[k + 1].kind is Kind.RPAREN:
                del balanced[k : k + 2]
                changed = True
                break
    # 4. An operator without an operand on both sides is a plain word ("NOT oil", "oil AND").
    out: list[Lexeme] = []
    for k, t in enumerate(balanced):
        if t.kind in (Kind.AND, Kind.OR, Kind.NOT):
            prev_ok = bool(out) and out[-1].kind in _ENDS_OPERAND
            nxt = balanced[k + 1] if k + 1 < len(balanced) else None
            next_ok = nxt is not None and nxt.kind in _STARTS_OPERAND
            if not (prev_ok and next_ok):
                t = Lexeme(Kind.TERM, t.text, t.position, (t.text.lower(),))
        out.append(t)
    if not any(t.kind is Kind.TERM for t in out):
        return []
    return out
