"""Split query text into tokens with their positions, for good error messages.

Operators are the upper-case words ``AND``, ``OR`` and ``NOT`` (as in FTS5 and most search
engines), so the lower-case words "and", "or" and "not" can still be searched for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from reader.errors import RuleSyntaxError


class Kind(Enum):
    TERM = "term"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    LPAREN = "("
    RPAREN = ")"


OPERATORS = {"AND": Kind.AND, "OR": Kind.OR, "NOT": Kind.NOT}

#: What FTS5's unicode61 tokenizer keeps as token characters: letters and digits. The
#: underscore is punctuation to unicode61, hence ``[^\W_]``.
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Lexeme:
    kind: Kind
    text: str  # as typed (without quotes or the trailing *)
    position: int  # index of the first character in the query text
    tokens: tuple[str, ...] = ()  # folded FTS tokens, for TERM
    prefix: bool = False
    quoted: bool = False


def fold_tokens(text: str) -> tuple[str, ...]:
    """Fold like ``unicode61 remove_diacritics 2``: lower case, no accents, split on the rest."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(_TOKEN.findall(plain))


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
