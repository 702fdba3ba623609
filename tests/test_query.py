"""The query language: strict rules, lenient search, safe FTS5 compilation, Python matching."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import RuleSyntaxError
from reader.query import And, Matcher, Not, Or, Term, parse_rule, parse_search, to_fts
from reader.query.matcher import Field
from reader.query.scan import TermScanner


def fts_table() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')"
    )
    return conn


def test_rule_parses_words_phrases_operators_and_prefixes() -> None:
    node = parse_rule('"Kerch Strait" AND (oil OR spill*) NOT painting')
    assert node == Not(
        And((Term(("kerch", "strait")), Or((Term(("oil",)), Term(("spill",), prefix=True))))),
        Term(("painting",)),
    )


def test_implicit_and_binds_tighter_than_or() -> None:
    assert parse_rule("a b OR c") == Or((And((Term(("a",)), Term(("b",)))), Term(("c",))))


def test_lowercase_operators_are_words() -> None:
    assert parse_rule("war and peace") == And(
        (Term(("war",)), Term(("and",)), Term(("peace",)))
    )


def test_hyphenated_and_accented_words_fold_like_fts() -> None:
    assert parse_rule("Al-Rastan") == Term(("al", "rastan"))
    assert parse_rule("Zélensky") == Term(("zelensky",))


@pytest.mark.parametrize(
    ("rule", "message", "position"),
    [
        ("oil AND", "AND needs a word or phrase after it", 4),
        ("(oil OR gas", "this '(' is never closed", 0),
        ("oil)", "this ')' has no matching '('", 3),
        ('"Kerch Strait', "this quote is never closed", 0),
        ("NOT oil", "NOT must follow a word", 0),
        ("oil OR OR gas", "OR needs a word or phrase after it", 4),
        ("oil & gas", "'&' has no letters or digits", 4),
        ("()", "the parentheses are empty", 0),
        ('""', "the quotes are empty", 0),
    ],
)
def test_bad_rules_are_refused_with_the_problem_and_position(
    rule: str, message: str, position: int
) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse_rule(rule)
    assert message in str(info.value)
    assert info.value.position == position


def test_empty_rule_is_refused() -> None:
    with pytest.raises(RuleSyntaxError, match="empty"):
        parse_rule("   ")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ('"unbalanced quote', "unbalanced quote"),
        ("oil AND", "oil and"),
        ("NOT oil", "not oil"),
        ("a ) b (", "a b"),
        ("NEAR(kerch spill)", "near kerch spill"),
        ("title:oil", "title oil"),
        ("^oil -gas", "oil gas"),
    ],
)
def test_search_box_repairs_hostile_input(typed: str, expected: str) -> None:
    node = parse_search(typed)
    assert node is not None
    words = [t for term in _terms(node) for t in term.tokens]
    assert " ".join(words) == expected


@pytest.mark.parametrize("typed", ["", "*", ":", "()", "(((", '""', "^ - :", ")))"])
def test_search_box_with_nothing_to_search_is_none(typed: str) -> None:
    assert parse_search(typed) is None


def _terms(node: object) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _terms(node.keep) + _terms(node.drop)
    assert isinstance(node, And | Or)
    return [t for item in node.items for t in _terms(item)]


def test_compiled_expression_quotes_every_term() -> None:
    fts = to_fts(parse_rule('NEAR OR "title" AND col* NOT x'))
    assert fts == '("near" OR (("title" AND "col"*) NOT "x"))'
    conn = fts_table()
    conn.execute("INSERT INTO t VALUES ('near the title', 'column x')")
    assert conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [fts]).fetchall() == [(1,)]


PIECES = ["oil", "Gas", "AND", "OR", "NOT", "NEAR(", "(", ")", '"', "*", ":", "^", "-", "+",
          "{title}", "title:", "é", "'", "\\", "\t", "NEAR/3", "AND(", ")OR"]
HOSTILE = st.lists(st.sampled_from(PIECES), max_size=12).flatmap(
    lambda parts: st.sampled_from([" ".join(parts), "".join(parts)])
)


@settings(max_examples=150, deadline=None)
@given(HOSTILE)
def test_any_search_text_is_safe_in_fts5(typed: str) -> None:
    conn = fts_table()
    conn.execute("INSERT INTO t VALUES ('oil and gas', 'a b near the end')")
    node = parse_search(typed)
    if node is None:
        return
    for column in (None, "title"):
        conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [to_fts(node, column)]).fetchall()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_any_unicode_search_text_is_safe_in_fts5(typed: str) -> None:
    conn = fts_table()
    node = parse_search(typed)
    if node is not None:
        conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [to_fts(node)]).fetchall()


WORDS = ["oil", "spill", "kerch", "strait", "gas", "oils"]
DOCS = st.tuples(
    st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join),
    st.lists(st.sampled_from([*WORDS, "Kerch-Strait", "Óil"]), max_size=8).map(" ".join),
)
RULES = st.sampled_from(
    [
        "oil",
        "oil*",
        '"kerch strait"',
        '"kerch strait" AND (oil OR spill)',
        "oil NOT gas",
        "(spill OR gas) NOT (kerch AND strait)",
        "oil gas OR spill",
        '"strait oil"*',
    ]
)


@settings(max_examples=150, deadline=None)
@given(RULES, DOCS)
def test_python_matcher_agrees_with_fts5(rule: str, doc: tuple[str, str]) -> None:
    conn = fts_table()
    conn.execute("INSERT INTO t VALUES (?, ?)", doc)
    node = parse_rule(rule)
    in_fts = bool(conn.execute("SELECT 1 FROM t WHERE t MATCH ?", [to_fts(node)]).fetchall())
    assert Matcher(node).matches(*doc) == in_fts


def test_matcher_weights_title_above_body() -> None:
    matcher = Matcher(parse_rule("oil OR gas"))
    in_title = matcher.score("Oil prices rise", "Markets moved.")
    in_body = matcher.score("Markets move", "Oil prices rose.")
    assert in_title is not None and in_body is not None
    assert in_title > in_body
    assert matcher.score("Nothing", "here") is None


# --------------------------------------------------------------------------- the fast scanner

SCAN_WORDS = ["oil", "oils", "oily", "spill", "very", "gas", "kerch", "strait", "o", "Óil"]
SCAN_TERMS = [
    Term(("oil",)), Term(("oil",), prefix=True), Term(("o",), prefix=True), Term(("gas",)),
    Term(("kerch", "strait")), Term(("strait", "oil"), prefix=True), Term(("very", "very")),
    Term(("oil", "oil")), Term(("spill", "oil", "gas")), Term(("oi",), prefix=True),
    Term(("very", "very", "very"), prefix=True),
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*SCAN_WORDS, "Kerch-Strait", "oil_spill", ",", "."]), max_size=25)
    .map(" ".join),
    st.integers(min_value=1, max_value=4),
)
def test_scanner_counts_like_the_reference_field(text: str, limit: int) -> None:
    """Exact, prefix and (overlapping) phrase counts equal Field.count's, phrase counts
    stopping at ``limit``; with ``limit`` 1 only presence is promised."""
    scanner = TermScanner(SCAN_TERMS)
    field = Field(text)
    got = scanner.scan(text, limit)
    counts = {i: field.count(t) for i, t in enumerate(scanner.terms) if field.count(t)}
    assert got.keys() == counts.keys()
    for term_id, n in counts.items():
        if limit == 1:
            assert 1 <= got[term_id] <= n
        elif len(scanner.terms[term_id].tokens) == 1:
            assert got[term_id] == n
        else:
            assert got[term_id] == min(n, limit)


def test_scanner_forgets_and_relearns_words(monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.query.scan as scan

    monkeypatch.setattr(scan, "MAX_REMEMBERED", 5)
    scanner = TermScanner(SCAN_TERMS)
    texts = [f"word{i} oil spill oil gas very very very kerch strait oily" for i in range(20)]
    for text in texts:
        field = Field(text)
        expected = {i: min(field.count(t), 3) if len(t.tokens) > 1 else field.count(t)
                    for i, t in enumerate(scanner.terms) if field.count(t)}
        assert scanner.scan(text, 3) == expected
    assert len(scanner._memory.entries) <= 5 + len(set(texts[-1].split()))
