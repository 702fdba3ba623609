"""The grouping pipeline, step by step, on small inputs whose answer is known.

vectors (weighing) -> candidate pairs and their cosine -> conflicts -> average link ->
assignments. The library-level tests (``test_grouping_library.py``) check the same pipeline
through storage.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.grouping import thresholds as t
from reader.grouping.assignments import Corrections, Item, Reach, Story, assign, regroup
from reader.grouping.candidates import Entries, Floor, Postings, similar_pairs
from reader.grouping.clusters import Links, Node, group, span_of
from reader.grouping.conflicts import conflicts, facts_of
from reader.grouping.explain import explain
from reader.grouping.features import extract
from reader.grouping.vectors import Weighing, cosine, weigh

DAY = 86_400


# --------------------------------------------------------------------------- vectors


def test_a_vector_keeps_its_heaviest_terms_under_the_cap_at_unit_length() -> None:
    terms = {f"w{i}": 1 for i in range(100)} | {"common": 5, "name": 3}
    df = {f"w{i}": 1 + i for i in range(100)} | {"common": 10_000, "name": 2}
    vector = weigh(terms, Weighing.of(df, 20_000))
    kept = [term for term, _ in vector]
    assert len(vector) == t.VECTOR_TERMS
    assert "common" not in kept  # held by more articles than the cap: a subject, no event
    assert kept[0] == "name"  # mentioned three times and rare: the heaviest
    assert kept[1:4] == ["w0", "w1", "w2"]  # then the rarest words
    assert math.isclose(sum(w * w for _, w in vector), 1.0)
    assert weigh({}, Weighing.of({}, 10)) == []


# --------------------------------------------------------------------------- candidates


@st.composite
def _vectors(draw: st.DrawFn) -> list[dict[int, float]]:
    n = draw(st.integers(2, 14))
    out = []
    for _ in range(n):
        terms = draw(st.lists(st.integers(0, 20), min_size=1, max_size=6, unique=True))
        weights = draw(st.lists(st.floats(0.1, 1.0), min_size=len(terms), max_size=len(terms)))
        norm = math.sqrt(sum(w * w for w in weights))
        out.append({term: w / norm for term, w in zip(terms, weights, strict=True)})
    return out


def _entries(vectors: list[dict[int, float]], only: set[int] | None = None) -> Entries:
    return Entries.of([(a, term, w) for a, v in enumerate(vectors) if only is None or a in only
                       for term, w in v.items()])


@settings(max_examples=150, deadline=None)
@given(vectors=_vectors(), probed_share=st.floats(0.0, 1.0))
def test_the_postings_walk_finds_every_pair_with_its_exact_cosine(
    vectors: list[dict[int, float]], probed_share: float
) -> None:
    brute = {}
    for a, b in itertools.combinations(range(len(vectors)), 2):
        dot = sum(w * vectors[b].get(term, 0.0) for term, w in vectors[a].items())
        if dot > 0:
            brute[(a, b)] = dot
    everything = _entries(vectors)
    postings = Postings.of(everything, 21)
    pairs = similar_pairs(everything, postings, Floor(1e-12))
    found = {(int(a), int(b)): s for a, b, s in zip(pairs.a, pairs.b, pairs.similarity,
                                                     strict=True)}
    assert found.keys() == brute.keys()
    assert all(math.isclose(found[k], brute[k]) for k in brute)
    # Only some articles probed (an import): each pair touching them, once.
    new = set(range(int(len(vectors) * probed_share)))
    probed = np.array([a in new for a in range(len(vectors))])
    pairs = similar_pairs(_entries(vectors, new), postings, Floor(1e-12), probed)
    touched = {tuple(sorted((int(a), int(b)))) for a, b in zip(pairs.a, pairs.b, strict=True)}
    assert len(touched) == len(pairs)
    assert touched == {k for k in brute if k[0] in new or k[1] in new}


@settings(max_examples=100, deadline=None)
@given(vectors=_vectors(), per_article=st.integers(1, 4), prune=st.integers(1, 6),
       chunk=st.integers(1, 8))
def test_pruning_during_the_walk_keeps_what_pruning_at_the_end_keeps(
    vectors: list[dict[int, float]], per_article: int, prune: int, chunk: int
) -> None:
    # Tiny chunks and a tiny pruning budget: the walk prunes many times over.
    from reader.grouping import candidates

    everything = _entries(vectors)
    postings = Postings.of(everything, 21)
    once = candidates.strongest(similar_pairs(everything, postings, Floor(1e-12)), per_article)
    saved = candidates.CHUNK_ENTRIES, candidates.PRUNE_PAIRS
    candidates.CHUNK_ENTRIES, candidates.PRUNE_PAIRS = chunk, prune
    try:
        pruned = similar_pairs(everything, postings, Floor(1e-12), per_article=per_article)
    finally:
        candidates.CHUNK_ENTRIES, candidates.PRUNE_PAIRS = saved

    def as_set(p: candidates.Pairs) -> set[tuple[int, int]]:
        return {(int(a), int(b)) for a, b in zip(p.a, p.b, strict=True)}

    assert as_set(pruned) == as_set(once)
    assert len(pruned) == len(once)


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6),
                                st.sampled_from([0.0, -0.0, 0.1, 0.25, 0.5, 0.7, 1.0])),
                      max_size=40),
       per_article=st.integers(1, 4))
def test_strongest_keeps_each_ends_closest_pairs_ties_in_pair_order(
    pairs: list[tuple[int, int, float]], per_article: int
) -> None:
    # Few ends and few similarities: most pairs tie, which is where a sort could differ.
    from reader.grouping import candidates

    pairs = [(a, b, s) for a, b, s in pairs if a != b]
    given_pairs = candidates.Pairs(np.array([p[0] for p in pairs], np.int64),
                                   np.array([p[1] for p in pairs], np.int64),
                                   np.array([p[2] for p in pairs], np.float64))
    kept = candidates.strongest(given_pairs, per_article)
    # Each pair counted from its first end, then all again from their second ends; among
    # equals the earlier count ranks first.
    counted = [(a, i) for i, (a, _, _) in enumerate(pairs)] + [
        (b, i) for i, (_, b, _) in enumerate(pairs)]
    expected: set[int] = set()
    for end in range(7):
        mine = [i for e, i in counted if e == end]
        mine.sort(key=lambda i: -pairs[i][2])  # a stable sort: equals stay in that order
        expected.update(mine[:per_article])
    assert [(int(a), int(b)) for a, b in zip(kept.a, kept.b, strict=True)] == [
        pairs[i][:2] for i in sorted(expected)]


def test_pairs_sharing_only_common_words_are_not_kept() -> None:
    vectors = [{0: 0.8, 1: 0.6}, {0: 0.6, 1: 0.8}]
    everything = _entries(vectors)
    rarity = np.array([1.0, 1.2])  # two common words: shared rarity 2.2
    assert len(similar_pairs(everything, Postings.of(everything, 2), Floor(0.01, rarity, 4.0)))\
        == 0
    rarity = np.array([5.0, 1.2])  # one of them a rare name
    assert len(similar_pairs(everything, Postings.of(everything, 2), Floor(0.01, rarity, 4.0)))\
        == 1


# --------------------------------------------------------------------------- conflicts


def test_only_discriminating_conflicts_cost_similarity() -> None:
    quake_a = extract("Magnitude 6.1 quake hits Talca",
                      "A magnitude 6.1 earthquake struck near Talca on 14 March 2026.")
    quake_b = extract("Magnitude 5.4 quake hits Curico",
                      "A magnitude 5.4 earthquake struck near Curico on 19 March 2026.")
    penalty, why = conflicts(facts_of(quake_a), facts_of(quake_b))
    # Each is about its own town, and 6.1 (read as a magnitude and a quake) is one figure.
    assert why[0] == "about talca against curico"
    assert [w.split(":")[0] for w in why[1:]] == ["different quake"]
    assert penalty == t.PROTAGONIST_PENALTY + t.FIXED_QUANTITY_PENALTY
    rehab_a = extract("", "Dane Whitcombe entered rehab. Whitcombe's film is paused.")
    rehab_b = extract("", "Lina Marchetti entered rehab. Marchetti cancelled her tour.")
    penalty, why = conflicts(facts_of(rehab_a), facts_of(rehab_b))
    assert penalty == t.PROTAGONIST_PENALTY and "whitcombe" in why[0]
    years_a = extract("", "The treaty of 1998 was signed in Oslo.")
    years_b = extract("", "The treaty of 2013 was signed in Oslo.")
    assert conflicts(facts_of(years_a), facts_of(years_b))[0] == t.YEARS_PENALTY
    # A year range names each of its years: the 2008-09 season shares 2009 with 2009-10.
    season_a = extract("", "Coach Eddie Jordan left before the end of the 2008-09 season.")
    season_b = extract("", "Coach Eddie Jordan signed through the 2009-2010 season.")
    assert season_a.years == {"2008", "2009"}
    assert conflicts(facts_of(season_a), facts_of(season_b)) == (0.0, [])
    # Neither a numeric date's month nor a span of decades is read as a range of years.
    assert extract("", "Filed 2009-10-01 in the 1950-1990 archive.").years == {"2009", "1950",
                                                                             "1990"}
    # Sums of money and years are mixed figures (damage, bail, an age, a sentence): rewrites
    # of one event quote different ones, so they are no conflict.
    money_a = extract("", "The 33-year-old was held on $50,000 bail after the crash.")
    money_b = extract("", "Police said the crash caused $2 million in damage; he was 34 years old.")
    assert money_a.units and money_b.units
    assert conflicts(facts_of(money_a), facts_of(money_b)) == (0.0, [])
    # Dates in the text that differ are no conflict (they do not tell events apart).
    day_a = extract("", "The port reopened on 3 June after repairs.")
    day_b = extract("", "The port reopened after repairs, officials said on 5 June.")
    assert conflicts(facts_of(day_a), facts_of(day_b)) == (0.0, [])


# --------------------------------------------------------------------------- average link


def _group(nodes: list[Node], edges: dict[tuple[int, int], float], **kw: object) -> list[
    list[int]
]:
    a, b = zip(*edges, strict=True) if edges else ((), ())
    links = Links(list(a), list(b), list(edges.values()), **kw)  # type: ignore[arg-type]
    return sorted(group(nodes, links))


def test_one_close_member_is_not_enough_to_join_a_story() -> None:
    story = Node(size=3, label=7)  # an existing story of three articles
    # Close to one member only: (0.5 + 0 + 0) / 3 is under the link threshold.
    assert _group([Node(), story], {(0, 1): 0.5}) == [[0], [1]]
    # Close to the story as a whole (one edge per member, summed): it joins.
    assert _group([Node(), story], {(0, 1): 0.5, (1, 0): 0.4}) == [[0, 1]]


def test_average_link_does_not_chain() -> None:
    # A~B and B~C, but A and C share nothing: C's average to {A, B} is 0.15.
    assert _group([Node(), Node(), Node()], {(0, 1): 0.5, (1, 2): 0.3}) == [[0, 1], [2]]
    # The best-linked pair joins first: B goes with C, then A stays out of {B, C}.
    assert _group([Node(), Node(), Node()], {(0, 1): 0.3, (1, 2): 0.5}) == [[0], [1, 2]]


def test_stories_with_different_labels_never_merge() -> None:
    nodes = [Node(label=1), Node(label=2), Node()]
    assert _group(nodes, {(0, 1): 0.9, (2, 0): 0.8, (2, 1): 0.7}) == [[0, 2], [1]]


def test_dates_split_only_when_both_are_known() -> None:
    monday, next_month = span_of(100 * DAY, False), span_of(130 * DAY, False)
    nodes = [Node(dates=monday), Node(dates=next_month), Node()]
    assert _group(nodes, {(0, 1): 0.6}) == [[0], [1], [2]]
    assert _group(nodes, {(0, 2): 0.6, (1, 2): 0.6}) == [[0, 2], [1]]
    # A re-post joins whatever the dates say.
    assert _group(nodes, {(0, 1): 0.95}) == [[0, 1], [2]]
    # Dates read from the prose bound a story the same way.
    guessed = [Node(dates=span_of(100 * DAY, True)), Node(dates=span_of(110 * DAY, True))]
    assert _group(guessed, {(0, 1): 0.6}) == [[0], [1]]
    near = [Node(dates=span_of(100 * DAY, True)), Node(dates=span_of(103 * DAY, False))]
    assert _group(near, {(0, 1): 0.6}) == [[0, 1]]


def test_corrections_are_constraints() -> None:
    nodes = [Node(), Node(), Node(alone=True), Node()]
    edges = {(0, 1): 0.9, (0, 2): 0.9, (1, 3): 0.05}
    assert _group(nodes, edges) == [[0, 1], [2], [3]]
    assert _group(nodes, edges, apart={frozenset((0, 1))}) == [[0], [1], [2], [3]]
    assert _group(nodes, edges, together=[(1, 3)]) == [[0, 1, 3], [2]]


# --------------------------------------------------------------------------- assignments


def _items(texts: list[tuple[str, str]]) -> tuple[list[Item], Weighing]:
    feats = [extract(title, body) for title, body in texts]
    df: dict[str, int] = {}
    for f in feats:
        for term in f.terms:
            df[term] = df.get(term, 0) + 1
    weighing = Weighing.of(df, len(feats))
    return [Item(n, weigh(f.terms, weighing), facts_of(f)) for n, f in enumerate(feats)], weighing


TEXTS = [
    ("Quake of magnitude 6.1 hits Talca", "A magnitude 6.1 earthquake struck near Talca in "
     "Maule on Saturday, damaging the cathedral. Governor Ruiz said 12 people were hurt."),
    ("Talca cathedral damaged as 6.1 quake strikes Maule", "The 6.1 earthquake near Talca "
     "damaged its cathedral; Ruiz, the Maule governor, counted 12 injured."),
    ("Magnitude 5.4 quake shakes Curico", "A magnitude 5.4 earthquake shook Curico on "
     "Thursday. Mayor Soto said there was no damage."),
    ("Whitcombe enters rehab", "Actor Dane Whitcombe entered an alcohol rehabilitation "
     "clinic in Malibu, his publicist said; filming of Harbour Lights is paused."),
]


def test_an_import_assigns_what_a_regroup_groups() -> None:
    items, weighing = _items(TEXTS)
    regrouped = sorted(regroup(items, Corrections(), weighing))
    assert regrouped == [[0, 1], [2], [3]]
    # The same articles, the first two already a story (42): the newcomers are weighed
    # against it as a whole, and the same stories come out.
    postings: dict[str, tuple[list[int], list[float]]] = {}
    for a in (0, 1):
        for term, w in items[a].vector:
            postings.setdefault(term, ([], []))[0].append(a)
            postings[term][1].append(w)
    reach = Reach({term: (np.array(ids), np.array(ws)) for term, (ids, ws) in postings.items()},
                  {0: 42, 1: 42}, {42: Story(2, span_of(None, False))},
                  lambda ids: {a: items[a].facts for a in ids})
    again = assign(items[2:], reach, Corrections(), weighing)
    assert sorted(again, key=lambda x: x[1]) == [(None, [2]), (None, [3])]
    rewrite = Item(9, items[1].vector, items[1].facts)  # a third copy of the Talca quake
    assert assign([rewrite], reach, Corrections(), weighing) == [(42, [9])]


def test_an_explanation_names_what_drives_the_similarity() -> None:
    feats = [extract(title, body) for title, body in TEXTS]
    items, _ = _items(TEXTS)
    reason = explain(0, (items[0].vector, feats[0]), 1, (items[1].vector, feats[1]))
    assert reason.rule == "similar" and reason.similarity == round(
        cosine(items[0].vector, items[1].vector), 3)
    assert "Talca" in reason.names and "Ruiz" in reason.names
    assert "cathedral" in reason.terms
    apart = explain(0, (items[0].vector, feats[0]), 2, (items[2].vector, feats[2]))
    assert any(c.startswith("different ") for c in apart.conflicts)
    assert apart.similarity < t.LINK_THRESHOLD


_FIGURES = ["6.1", "5.4", "200000", "214000", "12", "95000", "2.25", "100", "110"]
_UNITS = ["magnitude", "quake", "vista", "~person", "%"]


@st.composite
def _facts(draw: st.DrawFn) -> object:
    from reader.grouping.conflicts import Facts, round_figures

    names = draw(st.sets(st.sampled_from(["a", "b", "c", "d"]), max_size=3))
    protagonist = draw(st.one_of(st.none(), st.sampled_from(sorted(names) or ["z"])))
    units = {u: frozenset(draw(st.sets(st.sampled_from(_FIGURES), min_size=1, max_size=2)))
             for u in draw(st.sets(st.sampled_from(_UNITS), max_size=3))}
    numbers = frozenset(draw(st.sets(st.sampled_from(_FIGURES), max_size=3))).union(
        *units.values())
    return Facts(
        names=frozenset(names), protagonist=protagonist, units=units, numbers=numbers,
        rounds=round_figures(numbers),
        years=frozenset(draw(st.sets(st.sampled_from(["1998", "2013", "2025"]), max_size=2))),
        decisions=frozenset(draw(st.sets(st.sampled_from(["rate:cut", "rate:hold"]),
                                         max_size=1))),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(_facts(), min_size=2, max_size=8))
def test_the_array_conflict_tests_answer_as_the_plain_ones(facts: list[object]) -> None:
    from reader.grouping.conflict_table import FactsTable, penalties

    pairs = [(x, y) for x in range(len(facts)) for y in range(len(facts)) if x != y]
    got = penalties(FactsTable(facts),  # type: ignore[arg-type]
                    np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]))
    for (x, y), penalty in zip(pairs, got.tolist(), strict=True):
        assert math.isclose(penalty, conflicts(facts[x], facts[y])[0]), (  # type: ignore[arg-type]
            facts[x], facts[y])


@settings(max_examples=200, deadline=None)
@given(_facts())
def test_stored_facts_read_back_as_they_were_with_or_without_their_round_figures(
    facts: object,
) -> None:
    import json

    from reader.grouping.conflicts import NO_FACTS, dumps, loads

    stored = dumps(facts)  # type: ignore[arg-type]
    if stored is None:  # nothing that could conflict
        assert facts.empty  # type: ignore[attr-defined]
        assert loads(stored) == NO_FACTS
        return
    assert loads(stored) == facts
    older = json.loads(stored)
    del older["r"]  # as libraries stored them before the round figures were kept
    assert loads(json.dumps(older)) == facts
