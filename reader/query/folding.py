"""Split and fold text into search words exactly as this SQLite's FTS5 tokenizer does.

The search box, topic rules (in Python at import, in FTS5 when a rule is saved), notes search
and the index must agree on what a word is, or a word typed as it is printed finds nothing.
Re-implementing ``unicode61 remove_diacritics 2`` in Python is how they came to disagree:
NFKD with every combining mark dropped turns й into и, ό into ο and ﬁ into fi, while the
tokenizer folds only Latin diacritics, folds ς to σ and keeps ½ and ﬁ as they are. So the
rules are not written here at all: they are *read from SQLite itself*, once per process.

:func:`derive` runs every code point through an in-memory FTS5 table that uses the schema's
tokenizer and reads the tokens back through an ``fts5vocab`` instance table. Code points are
probed in blocks (1,024, then 32, then one by one), so only blocks where something happens
are probed character by character; it takes about 0.2 s of CPU, once per process (ASCII
text, a query in English, waits only for a 1 ms probe of the ASCII characters). The
result is a ``str.translate`` table (each separator to a space, each changed token character
to its folding, possibly nothing) that :meth:`Folding.tokens` applies at C speed:

* ASCII text (most feeds) goes through ``bytes.translate`` and ``split``;
* other text is split at separators by one regular expression, and each distinct chunk is
  folded once through the table and remembered (an article's words are mostly words seen
  before, so this costs less than translating every character; ``str.lower`` cannot be
  used, as it lowers Σ by context and İ to two characters, and folds no diacritics).

Tests check every path against FTS5 itself. The folding holds for the SQLite this process
runs; an index written by a different SQLite build follows that build's Unicode tables.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import threading
from array import array
from collections.abc import Callable, Iterable
from itertools import chain

#: The schema's FTS5 tokenizer (``articles_fts`` and ``notes_fts``; a test checks both).
TOKENIZER = "unicode61 remove_diacritics 2"

#: Distinct chunks remembered with their folding before the memory is dropped and rebuilt
#: (a chunk and its tokens are ~200 bytes: ~20 MB at most).
MAX_REMEMBERED = 100_000

_CODE_POINTS = 0x110000
_SURROGATES = range(0xD800, 0xE000)
#: Block sizes probed, coarse to fine: a block whose characters all come back unchanged as
#: one token needs no finer look.
_BLOCKS = (1024, 32, 1)
_WORD_CHARS = array("I").itemsize == 4
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


def _chars(code_points: range) -> str:
    if len(code_points) == 1:
        return chr(code_points[0])
    if _WORD_CHARS:
        return array("I", code_points).tobytes().decode(_UTF32)
    return "".join(map(chr, code_points))  # pragma: no cover - no 4-byte C int


def _char_class(code_points: Iterable[int]) -> str:
    """A regular-expression character class body holding exactly ``code_points``."""
    runs: list[list[int]] = []
    for c in sorted(code_points):
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "".join(
        f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in runs
    )


class Folding:
    """One tokenizer's rules: which characters separate words, and how the rest fold."""

    def __init__(self, table: dict[int, str]) -> None:
        """``table`` maps each separator to ``" "`` and each token character that changes to
        its folding; characters not in it are token characters that stay as they are."""
        self.table = table
        self.separators = frozenset(c for c, s in table.items() if s == " ")
        self._check()
        self._ascii = ascii_words(table)
        bmp_separators = [c for c in self.separators if c < 0x10000]
        #: Runs of characters between the Basic Multilingual Plane's separators. BMP only, so
        #: the class compiles to a constant-time table; a chunk holding an astral separator
        #: (an emoji) is split again when it is folded.
        self._chunks = re.compile(f"[^{_char_class(bmp_separators)}]+")
        #: Folded text holds spaces between words; ``str.split`` is exact unless some word
        #: character is white space to Python (all of Unicode's white space is in the BMP).
        bmp = _chars(range(_SURROGATES.start)) + _chars(range(_SURROGATES.stop, 0x10000))
        space_in_words = any(ord(c) not in self.separators for c in re.findall(r"\s", bmp))
        self._split: Callable[[str], list[str]] = (
            re.compile("[^ ]+").findall if space_in_words else str.split
        )
        self._memory: dict[str, tuple[str, ...]] = {}

    def _check(self) -> None:
        """What the query relies on: a folded word is a word that folds to itself, so FTS5
        reads the query's folded words back unchanged."""
        for c, folded in self.table.items():
            if folded == " ":
                continue
            for char in folded:
                if ord(char) in self.table:
                    raise ValueError(f"U+{c:04X} folds to {folded!r}, which folds again")

    def exact_tokens(self, text: str) -> list[str]:
        """The reference: the whole text through the table, then split (no fast path)."""
        return self._split(text.translate(self.table))

    def tokens(self, text: str) -> list[str]:
        """The folded FTS5 tokens of ``text``, in order."""
        if self._ascii is not None and text.isascii():
            return text.encode("ascii").translate(self._ascii).decode("ascii").split()
        chunks = self._chunks.findall(text)
        memory = self._memory
        new = set(chunks).difference(memory)
        if new:
            if len(memory) + len(new) > MAX_REMEMBERED:
                memory = self._memory = {}
                new = set(chunks)
            table, split = self.table, self._split
            for chunk in new:
                memory[chunk] = tuple(split(chunk.translate(table)))
        return list(chain.from_iterable(map(memory.__getitem__, chunks)))


def ascii_words(table: dict[int, str]) -> bytes | None:
    """A ``bytes.translate`` table for ASCII text (separators to spaces, letters folded), when
    every ASCII token character folds to one ASCII character that is not white space."""
    folded = [table.get(c, chr(c)) for c in range(128)]
    if all(len(s) == 1 and s.isascii() and (s == " " or not s.isspace()) for s in folded):
        return "".join(folded).encode("ascii") + bytes(range(128, 256))
    return None


def _probe(conn: sqlite3.Connection, texts: list[str]) -> list[list[str]]:
    """The tokens of each text, each stored as one document."""
    conn.execute("DELETE FROM probe")
    conn.executemany("INSERT INTO probe (rowid, text) VALUES (?, ?)", enumerate(texts, 1))
    out: list[list[str]] = [[] for _ in texts]
    for doc, term in conn.execute("SELECT doc, term FROM probe_terms ORDER BY doc, offset"):
        out[doc - 1].append(term)
    return out


def derive(tokenizer: str = TOKENIZER) -> Folding:
    """Read ``tokenizer``'s separators and foldings from SQLite, for every code point."""
    return Folding(derive_table(tokenizer))


def derive_table(tokenizer: str = TOKENIZER, end: int = _CODE_POINTS) -> dict[int, str]:
    """:class:`Folding`'s table for the code points below ``end``.

    Each character ``c`` is probed as ``x c x``: a separator gives the tokens ``x`` and
    ``x``; a token character gives one token, ``x`` + its folding + ``x``.
    """
    conn = sqlite3.connect(":memory:")
    try:
        quoted = "'" + tokenizer.replace("'", "''") + "'"
        conn.execute(f"CREATE VIRTUAL TABLE probe USING fts5 (text, tokenize={quoted})")
        conn.execute("CREATE VIRTUAL TABLE probe_terms USING fts5vocab (probe, 'instance')")
        table: dict[int, str] = {}
        size = _BLOCKS[0]
        blocks = [
            range(start, min(start + size, end))
            for start in range(0, end, size)
            if start not in _SURROGATES
        ]
        for finer in (*_BLOCKS[1:], None):
            texts = ["x" + _chars(block) + "x" for block in blocks]
            differing = [
                (block, tokens)
                for block, text, tokens in zip(blocks, texts, _probe(conn, texts), strict=True)
                if tokens != [text]
            ]
            if finer is None:
                table.update((block[0], _classify(block[0], tokens)) for block, tokens in differing)
                break
            blocks = [
                block[i : i + finer]
                for block, _ in differing
                for i in range(0, len(block), finer)
            ]
    finally:
        conn.close()
    return table


def _classify(code_point: int, tokens: list[str]) -> str:
    if tokens == ["x", "x"]:
        return " "
    if len(tokens) == 1 and len(tokens[0]) >= 2 and tokens[0][0] == tokens[0][-1] == "x":
        return tokens[0][1:-1]
    raise ValueError(f"U+{code_point:04X} comes back from FTS5 as {tokens!r}")


_lock = threading.Lock()
_folding: Folding | None = None
#: The ASCII part alone (1 ms to read), so an ASCII query or article does not wait for the
#: whole table; ``b""`` until it is read.
_ascii: bytes | None = b""


def folding() -> Folding:
    """This process's folding, derived on first use."""
    global _folding
    if _folding is None:
        with _lock:
            if _folding is None:
                _folding = derive()
    return _folding


def fold_tokens(text: str) -> list[str]:
    """The words of ``text`` as the search index holds them: split and folded exactly as
    FTS5's tokenizer does. The one folding used by queries, topic rules and notes search."""
    global _ascii
    if text.isascii():
        if _ascii == b"":
            _ascii = ascii_words(derive_table(end=128))
        if _ascii is not None:
            return text.encode("ascii").translate(_ascii).decode("ascii").split()
    return folding().tokens(text)
