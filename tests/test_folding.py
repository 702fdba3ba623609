"""One folding: Python splits and folds text exactly as the index's FTS5 tokenizer does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reader.query.folding as folding_module
from reader.errors import RuleSyntaxError
from reader.library import Library
from reader.query import Matcher, Term, fold_tokens, parse_rule, parse_search, to_fts
from reader.query.folding import TOKENIZER, Folding, derive, folding
from reader.query.scan import TermScanner

#: Letters and marks where folding rules differ: Cyrillic й/ё/ї, Greek tonos, dialytika and
#: final sigma, Latin diacritics, ligatures, letters without decompositions (ł, đ, ı, ø),
#: dotted capital I, combining marks, punctuation that separates, astral letters and emoji.
MIXED = (
    "aZ09_ йЙёЁїЇєґҐ σςΣΆάΐΰϊ ÉéüÜßẞøØłŁđĐıİœŒæ ǅǆﬁĳſ ệỆởư ½①² "
    "\u0301\u0306\u0308\u0345 ·’“”«»—…\u00a0\u2009\u200b\u200d\ufeff "
    "\U0001d400\U0001d7ce\U00010400\U00010428\U0001f600\U0001f1fa\U000e0001\U000f0000"
)
TEXT = st.text(alphabet=st.sampled_from(MIXED), max_size=60) | st.text(max_size=60)


def fts5_tokens(conn: sqlite3.Connection, text: str) -> list[str]:
    """What FTS5 itself stores for ``text`` (term per position, in order)."""
    conn.execute("DELETE FROM t")
    conn.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", [text])
    return [row[0] for row in conn.execute("SELECT term FROM v ORDER BY offset")]


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    c = sqlite3.connect(":memory:")
    c.execute(f"CREATE VIRTUAL TABLE t USING fts5 (x, tokenize='{TOKENIZER}')")
    c.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
    return c


def test_the_schema_indexes_with_the_folding_tokenizer(library_path: Path) -> None:
    with Library.open(library_path) as lib:
        sql = dict(lib.db.conn.execute("SELECT name, sql FROM sqlite_master").fetchall())
    for table in ("articles_fts", "notes_fts"):
        assert f"tokenize='{TOKENIZER}'" in sql[table]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Зеленский Москвой всё ждём", ["зеленский", "москвой", "всё", "ждём"]),
        ("σεισμός ΣΕΙΣΜΟΣ Κρήτη", ["σεισμόσ", "σεισμοσ", "κρήτη"]),
        ("Düsseldorf Großstadt İstanbul Việt", ["dusseldorf", "großstadt", "istanbul", "viet"]),
        ("e\u0301t  foo \u0301 bar", ["et", "foo", "bar"]),
        ("a😀b x·y snake_case", ["a", "b", "x", "y", "snake", "case"]),
        ("½ ① ſ ﬁ", ["½", "①", "s", "ﬁ"]),
    ],
)
def test_words_fold_as_fts5_stores_them(
    conn: sqlite3.Connection, text: str, expected: list[str]
) -> None:
    assert fts5_tokens(conn, text) == expected
    assert fold_tokens(text) == expected


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_any_text_splits_and_folds_as_fts5(conn: sqlite3.Connection, text: str) -> None:
    expected = fts5_tokens(conn, text)
    assert fold_tokens(text) == expected
    assert folding().exact_tokens(text) == expected


def test_every_code_point_in_context_folds_as_fts5(conn: sqlite3.Connection) -> None:
    """Each character between letters, between capital sigmas, and run together, through
    every path (ASCII, lowered, remembered chunks): all of the BMP, and every 61st astral
    code point (astral text always takes the general path)."""
    code_points = [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 61)]
    chars = [chr(c) for c in code_points]
    for joined in (
        " ".join(f"a{c}B" for c in chars),
        " ".join(f"Σ{c}Σ" for c in chars[:0x3000]),
        "".join(chars[:0x800]),
    ):
        folding()._memory.clear()
        assert fold_tokens(joined) == fts5_tokens(conn, joined)


def test_folded_words_are_words_that_fold_to_themselves() -> None:
    """The query hands FTS5 its folded words; FTS5 must read them back unchanged."""
    table = folding().table
    for code_point, folded in table.items():
        if folded != " ":
            assert fold_tokens(folded) == ([folded] if folded else [])
            assert all(ord(c) not in table for c in folded), hex(code_point)


def test_the_ascii_table_read_alone_is_the_whole_tables_ascii_part() -> None:
    """ASCII text is folded from a 128-character probe, before the whole table is read."""
    alone = folding_module.ascii_words(folding_module.derive_table(end=128))
    assert alone is not None
    assert alone == folding_module.ascii_words(folding().table)


def test_a_folding_that_folds_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="folds again"):
        Folding({ord("A"): "B", ord("B"): "c"})


def test_remembered_chunks_are_forgotten_and_relearned(
    monkeypatch: pytest.MonkeyPatch, conn: sqlite3.Connection
) -> None:
    monkeypatch.setattr(folding_module, "MAX_REMEMBERED", 3)
    fresh = derive()
    for k in range(20):
        text = f"Über{k} Ωmega{k} ΣΟΦΊΑ łódź{k} đường"
        assert fresh.tokens(text) == fts5_tokens(conn, text)
    assert len(fresh._memory) <= 5


# ------------------------------------------------------------------ typed words find the text


def typed_words(text: str) -> list[str]:
    """Every word a reader could copy from ``text`` into the search box: runs without white
    space or query syntax (parentheses, quotes), operators aside."""
    plain = "".join(" " if c.isspace() or c in '()"' else c for c in text)
    return [w for w in plain.split() if w not in ("AND", "OR", "NOT")]


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_each_word_of_any_text_finds_it(title: str, body: str) -> None:
    """Search (FTS5), the topic matcher (Python) and the import scanner all find a text by
    any word of it, typed as it is printed."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (title, body, tokenize='{TOKENIZER}')")
    conn.execute("INSERT INTO t VALUES (?, ?)", [title, body])
    for word in typed_words(title + " " + body):
        node = parse_search(word)
        if node is None:  # nothing to search: no letters or digits in it
            assert not fold_tokens(word.replace("*", " "))
            continue
        found = conn.execute("SELECT 1 FROM t WHERE t MATCH ?", [to_fts(node)]).fetchall()
        assert found, word
        assert Matcher(node).matches(title, body), word
        assert isinstance(node, Term)
        scanner = TermScanner([node])
        assert scanner.scan(title) or scanner.scan(body), word


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_topic_matcher_agrees_with_fts5_on_any_text(rule_text: str, title: str, body: str) -> None:
    """A rule made of any words matches in Python exactly when FTS5 matches it."""
    words = typed_words(rule_text)[:3]
    if not words:
        return
    try:
        node = parse_rule(" OR ".join(words))
    except RuleSyntaxError:  # words without letters or digits are refused as rules
        return
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (title, body, tokenize='{TOKENIZER}')")
    conn.execute("INSERT INTO t VALUES (?, ?)", [title, body])
    in_fts = bool(conn.execute("SELECT 1 FROM t WHERE t MATCH ?", [to_fts(node)]).fetchall())
    assert Matcher(node).matches(title, body) == in_fts
