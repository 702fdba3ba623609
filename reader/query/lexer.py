"""Split query text into tokens with their positions, for good error messages.

Operators are the upper-case words ``AND``, ``OR`` and ``NOT`` (as in FTS5 and most search
engines), so the lower-case words "and", "or" and "not" can still be searched for.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from reader.errors import RuleSyntaxError
from reader.query.folding import fold_tokens as _fold


class Kind(Enum):
    TERM = "term"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    LPAREN = "("
    RPAREN = ")"


OPERATORS = {"AND": Kind.AND, "OR": Kind.OR, "NOT": Kind.NOT}


@dataclass(frozen=True, slots=True)
class Lexeme:
    kind: Kind
    text: str  # as typed (without quotes or the trailing *)
    position: int  # index of the first character in the query text
    tokens: tuple[str, ...] = ()  # folded FTS tokens, for TERM
    prefix: bool = False
    quoted: bool = False


def fold_tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the index holds them (:mod:`reader.query.folding`)."""
    return tuple(_fold(text))


def lex(text: str, *, lenient: bool) -> list[Lexeme]:
    """Tokenise ``text``. In strict mode an unclosed quote is an error; leniently it closes at
    the end of the text."""
    out: list[Lexeme] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "(":
            out.append(Lexeme(Kind.LPAREN, ch, i))
            i += 1
            continue
        if ch == ")":
            out.append(Lexeme(Kind.RPAREN, ch, i))
            i += 1
            continue
        if ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                if not lenient:
                    raise RuleSyntaxError(text, "this quote is never closed", i)
                end = n
            inner = text[i + 1 : end]
            j = end + 1
            prefix = False
            while j < n and text[j] == "*":
                prefix = True
                j += 1
            out.append(Lexeme(Kind.TERM, inner, i, fold_tokens(inner), prefix, quoted=True))
            i = j
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in '()"':
            j += 1
        word = text[i:j]
        if word in OPERATORS:
            out.append(Lexeme(OPERATORS[word], word, i))
        else:
            stem = word.rstrip("*")
            out.append(Lexeme(Kind.TERM, stem, i, fold_tokens(stem), prefix=stem != word))
        i = j
    return out
