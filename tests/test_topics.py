"""Topics: the taxonomy, scoring, assignment at import, counts, and user topic management."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import Cancelled, InvalidOperation, NotFound, RuleSyntaxError
from reader.importers import open_import
from reader.library import Library
from reader.query import Matcher, parse_rule, to_fts
from reader.query.matcher import Doc, Weights
from reader.storage import topics as store
from reader.topics import TopicEvaluator, TopicRule, load_taxonomy, rule_from_words

DEFAULT_TOPICS = [
    "War & Conflict", "Diplomacy", "Politics", "Economy", "Energy", "Environment",
    "Science & Technology", "Crime & Justice", "Society", "Health", "Nuclear & Arms Control",
]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def row(title: str, body: str, **extra: object) -> dict[str, object]:
    return {"title": title, "body": body, "source": "Wire", "published": None, **extra}


def counts(lib: Library) -> dict[str, tuple[int, int]]:
    return {t.name: (t.total, t.unread) for t in lib.topics()}


def recounted(lib: Library) -> dict[str, tuple[int, int]]:
    lib.recount_topics()
    return counts(lib)


def test_bundled_taxonomy_loads_with_exactly_the_default_topics() -> None:
    taxonomy = load_taxonomy()
    assert [t.name for t in taxonomy.topics] == DEFAULT_TOPICS
    assert taxonomy.weights.title_weight > taxonomy.weights.body_weight


def test_new_library_holds_the_default_taxonomy_once(library_path: Path) -> None:
    with Library.open(library_path) as lib:
        assert [t.name for t in lib.topics()] == DEFAULT_TOPICS
        assert all(t.builtin for t in lib.topics())
        lib.remove_topic("Health")
    with Library.open(library_path) as lib:  # deleting a default topic sticks
        assert "Health" not in [t.name for t in lib.topics()]


def test_rule_from_words_builds_the_query_syntax() -> None:
    assert rule_from_words(["oil", "gas pipe*", "U.S."], ["oil painting"]) == (
        '(oil OR "gas pipe"* OR "U.S.") NOT ("oil painting")'
    )


def test_title_mention_assigns_but_a_passing_body_mention_does_not(
    library: Library, tmp_path: Path
) -> None:
    lib = library
    lib.import_paths([write_jsonl(tmp_path / "a.jsonl", [
        row("Refinery output climbs", "Plants processed more crude this month."),
        row("Football final", "The match was played near a refinery in the city."),
    ])])
    energy = lib.topic_id("Energy")
    titles = {
        lib.article(aid).title
        for (aid,) in lib.db.conn.execute(
            "SELECT article_id FROM article_topics WHERE topic_id = ?", [energy]
        )
    }
    assert titles == {"Refinery output climbs"}


def test_several_body_mentions_assign(library: Library, tmp_path: Path) -> None:
    library.import_paths([write_jsonl(tmp_path / "a.jsonl", [
        row("A busy week", "The hospital said patients with cancer got a new treatment; "
            "doctors praised the vaccine."),
    ])])
    assert counts(library)["Health"] == (1, 1)


def test_exclusion_keeps_an_article_out(library: Library, tmp_path: Path) -> None:
    library.import_paths([write_jsonl(tmp_path / "a.jsonl", [
        row("Court hears the stolen election claim", "Lawyers argued the stolen election case."),
        row("Court jails fraudster", "A judge sentenced him to prison."),
    ])])
    assert counts(library)["Crime & Justice"] == (1, 1)


def test_counts_after_import_and_after_marking_read(library: Library, tmp_path: Path) -> None:
    lib = library
    lib.import_paths([write_jsonl(tmp_path / "a.jsonl", [
        row("Oil pipeline attacked by drones", "Drones hit the pipeline; troops responded."),
        row("Gas exports fall", "Gas exports to Europe fell as the pipeline closed."),
        row("Oil spill spreads", "The spill reached the coastline, killing dolphins."),
    ])])
    assert counts(lib) == recounted(lib)
    assert counts(lib)["Energy"] == (2, 2)
    energy_ids = [
        r[0] for r in lib.db.conn.execute(
            "SELECT article_id FROM article_topics WHERE topic_id = ? ORDER BY 1",
            [lib.topic_id("Energy")],
        )
    ]
    lib.mark_read(energy_ids[:1])
    assert counts(lib)["Energy"] == (2, 1)
    lib.mark_read(energy_ids[:1])  # no change: counts must not drift
    assert counts(lib)["Energy"] == (2, 1)
    assert counts(lib) == recounted(lib)
    lib.mark_read(energy_ids[:1], read=False)
    assert counts(lib)["Energy"] == (2, 2)
    # A second import adds incrementally.
    lib.import_paths([write_jsonl(tmp_path / "b.jsonl", [
        row("LNG tanker docks", "A tanker of LNG arrived for the energy market."),
    ])])
    assert counts(lib)["Energy"] == (3, 3)
    assert counts(lib) == recounted(lib)


def test_user_topic_create_edit_rename_delete(library: Library, tmp_path: Path) -> None:
    lib = library
    lib.import_paths([write_jsonl(tmp_path / "a.jsonl", [
        row("Kerch Strait spill grows", "Oil from two tankers."),
        row("Kerch Strait bridge", "Traffic resumed."),
        row("Spill in the Baltic", "Oil on the beach."),
    ])])
    topic = lib.add_topic("Kerch spill", '"Kerch Strait" AND (oil OR spill)')
    assert (topic.total, topic.unread, topic.builtin) == (1, 1, False)
    story_rows = lib.db.conn.execute(
        "SELECT count(*) FROM story_topics WHERE topic_id = ?", [topic.id]
    ).fetchone()[0]
    assert story_rows == 1
    topic = lib.edit_topic("kerch SPILL", '"Kerch Strait" OR spill*', new_name="Kerch")
    assert (topic.name, topic.total) == ("Kerch", 3)
    with pytest.raises(NotFound):
        lib.topic("Kerch spill")
    lib.remove_topic("Kerch")
    assert "Kerch" not in [t.name for t in lib.topics()]
    assert lib.db.conn.execute(
        "SELECT count(*) FROM article_topics WHERE topic_id = ?", [topic.id]
    ).fetchone()[0] == 0
    assert lib.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_bad_rule_is_refused_and_nothing_is_saved(library: Library) -> None:
    before = counts(library)
    with pytest.raises(RuleSyntaxError, match="never closed"):
        library.add_topic("Broken", '"Kerch AND oil')
    with pytest.raises(RuleSyntaxError, match="AND needs"):
        library.edit_topic("Energy", "oil AND")
    assert counts(library) == before
    assert library.topic("Energy").rule == load_taxonomy().topics[4].rule


def test_duplicate_or_empty_names_are_refused(library: Library) -> None:
    with pytest.raises(InvalidOperation, match="already"):
        library.add_topic("energy", "oil")
    with pytest.raises(InvalidOperation, match="needs a name"):
        library.add_topic("  ", "oil")


def test_cancelled_reevaluation_keeps_the_old_assignment(
    library: Library, tmp_path: Path
) -> None:
    lib = library
    lib.import_paths([write_jsonl(tmp_path / "a.jsonl", [row("Oil", "oil"), row("Gas", "gas")])])
    lib.add_topic("Fuel", "oil")
    with pytest.raises(Cancelled):
        lib.edit_topic("Fuel", "oil OR gas", cancelled=lambda: True)
    assert (lib.topic("Fuel").rule, lib.topic("Fuel").total) == ("oil", 1)


def test_scored_reevaluation_matches_import_time_assignment(
    library: Library, seeds: tuple[Path, Path]
) -> None:
    lib = library
    lib.import_paths(list(seeds))
    before = {
        (t, a) for t, a in lib.db.conn.execute("SELECT topic_id, article_id FROM article_topics")
    }
    before_counts = counts(lib)
    lib.reassign_topics()
    after = {
        (t, a) for t, a in lib.db.conn.execute("SELECT topic_id, article_id FROM article_topics")
    }
    assert after == before
    assert counts(lib) == before_counts


def _labelled_agreement(lib: Library) -> tuple[float, float, int, int]:
    labels = json.loads((Path(__file__).parent / "data" / "topic_labels.json").read_text())
    names = {t.id: t.name for t in lib.topics()}
    got: dict[int, set[str]] = {}
    for topic_id, article_id in lib.db.conn.execute(
        "SELECT topic_id, article_id FROM article_topics"
    ):
        got.setdefault(article_id, set()).add(names[topic_id])
    articles = lib.db.conn.execute("SELECT id, title, body FROM articles").fetchall()
    tp = fp = fn = exact = 0
    for entry in labels["listing"] + labels["forum"]:
        if "title" in entry:
            ids = [a for a, title, _ in articles if title == entry["title"]]
        else:
            ids = [a for a, _, body in articles if body.startswith(entry["body_start"])]
        assert ids, f"labelled article not imported: {entry}"
        want = set(entry["topics"])
        for article_id in ids[:1]:
            have = got.get(article_id, set())
            tp += len(have & want)
            fp += len(have - want)
            fn += len(want - have)
            exact += have == want
    n = len(labels["listing"]) + len(labels["forum"])
    return tp / (tp + fp), tp / (tp + fn), exact, n


def test_assignments_agree_with_hand_labels_on_the_seeds(
    library: Library, seeds: tuple[Path, Path]
) -> None:
    library.import_paths(list(seeds))
    precision, recall, exact, n = _labelled_agreement(library)
    print(f"topic labels: precision {precision:.2f} recall {recall:.2f} exact {exact}/{n}")
    assert n >= 40
    assert precision >= 0.75
    assert recall >= 0.8
    assert exact >= n // 2


def test_seed_counts_match_a_full_recount_after_import_and_read(
    library: Library, seeds: tuple[Path, Path]
) -> None:
    lib = library
    lib.import_paths(list(seeds))
    assert counts(lib)["Environment"][0] >= 7  # the Kerch Strait spill rewrites
    assert counts(lib) == recounted(lib)
    ids = [r[0] for r in lib.db.conn.execute("SELECT id FROM articles ORDER BY id LIMIT 30")]
    lib.mark_read(ids)
    after = counts(lib)
    assert after == recounted(lib)
    assert sum(u for _, u in after.values()) < sum(t for t, _ in after.values())


def test_story_topics_follow_article_topics(library: Library, seeds: tuple[Path, Path]) -> None:
    lib = library
    lib.import_paths(list(seeds))
    expected = set(lib.db.conn.execute(
        "SELECT DISTINCT t.topic_id, a.story_id FROM article_topics t"
        " JOIN articles a ON a.id = t.article_id"
    ))
    assert set(lib.db.conn.execute("SELECT topic_id, story_id FROM story_topics")) == expected


def test_assign_topics_is_idempotent(library: Library, seeds: tuple[Path, Path]) -> None:
    lib = library
    lib.import_paths(list(seeds))
    before = counts(lib)
    ids = [r[0] for r in lib.db.conn.execute("SELECT id FROM articles")]
    store.assign_topics(lib.db, ids)
    assert counts(lib) == before


# --------------------------------------------------------------------------- fast == reference

#: User rules exercising the whole language: phrases, prefixes (also on a phrase's last word),
#: AND/OR/NOT nested, implicit AND, a hyphenated word (a phrase), accents, a self-overlapping
#: phrase, and an exclusion of a term that is also positive. (Rules have no field filters.)
USER_RULES = [
    '"Kerch Strait" AND (oil OR spill*)',
    "(sanction* OR tariff*) NOT (football OR olympic*)",
    '"grain corridor" OR (port AND expan*) OR "black sea"',
    '(cyber* OR hack*) AND (attack* OR breach*) OR "air defen"*',
    "drone* missile NOT (drone* AND peace)",
    "Al-Rastan OR Zélensky OR (Putin AND (Trump OR Xi)) NOT \"very very\"",
    "oil NOT oil",
    '"oil oil" OR "war war war"*',
]

#: Words the synthetic articles are made of: every word of every rule (so most rules fire),
#: endings for the prefixes, look-alikes that must not match, and punctuation and accents.
_FILLER_TEXT = (
    "the a of in said officials week reported Óil oil-spill oil_spill Kerch-Strait U.S. "
    "sanctioned sanctions tariffs economies diplomatic nuclearisation warheads expansion "
    "corridors drones Zelensky Zélensky ZELENSKY air-defence hacked hackers breach 2025 "
    "very very very war war war warring , . ; : ! ?"
)
FILLER = _FILLER_TEXT.split()


def _vocabulary() -> list[str]:
    rules = [s.rule for s in load_taxonomy().topics] + USER_RULES
    words = [w.strip('()"*') for r in rules for w in r.split()]
    return [w for w in words if w and w not in ("AND", "OR", "NOT")] + FILLER


def synthetic_articles(n: int, seed: int = 3) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    vocab = _vocabulary()
    out = []
    for _ in range(n):
        title = " ".join(rng.choices(vocab, k=rng.randint(0, 8)))
        body = " ".join(rng.choices(vocab, k=rng.randint(0, 120)))
        out.append((title.capitalize(), body))
    return out


def _rules() -> list[TopicRule]:
    taxonomy = load_taxonomy()
    rules = [TopicRule(k, spec.rule, spec.threshold) for k, spec in enumerate(taxonomy.topics)]
    return rules + [TopicRule(100 + k, r, 0.0) for k, r in enumerate(USER_RULES)]


class Reference:
    """The straightforward evaluation: every rule on its own, term by term, tree walked."""

    def __init__(self, rules: list[TopicRule], weights: Weights) -> None:
        self.matchers = [(r, Matcher(parse_rule(r.rule), weights)) for r in rules]

    def topics_for(self, title: str, body: str) -> list[tuple[int, float]]:
        doc = Doc(title, body)
        out = []
        for rule, matcher in self.matchers:
            score = matcher.score_doc(doc)
            if score is not None and score >= rule.threshold:
                out.append((rule.topic_id, score))
        return out


WEIGHTS = [
    load_taxonomy().weights,  # the bundled ones (body cap 1: presence only)
    Weights(title_weight=3, body_weight=1, body_cap=3),  # mentions counted up to 3
    Weights(title_weight=2, body_weight=0.5, body_cap=2),
]


@pytest.mark.parametrize("weights", WEIGHTS, ids=["bundled", "cap3", "cap2"])
def test_fast_evaluator_equals_the_reference_on_seeds_and_synthetic_text(
    weights: Weights, seeds: tuple[Path, Path]
) -> None:
    texts = []
    for path in seeds:
        with open_import(path) as parsed:
            texts.extend((a.title, a.body) for a in parsed.articles)
    texts += synthetic_articles(300)
    rules = _rules()
    evaluator, reference = TopicEvaluator(rules, weights), Reference(rules, weights)
    assigned = set()
    for title, body in texts:
        got = evaluator.topics_for(title, body)
        assert got == reference.topics_for(title, body), (title, body[:200])
        assigned.update(topic for topic, _ in got)
    # The data reaches (nearly) every rule, so the comparison covers them.
    assert len(assigned) >= len(rules) - 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["oil", "oils", "Kerch", "Strait", "spill", "gas", "very",
                              "Óil", "Kerch-Strait", "spilled", "peace", "drone"]), max_size=6),
    st.lists(st.sampled_from(["oil", "oils", "Kerch", "Strait", "spill", "gas", "very",
                              "Óil", "Kerch-Strait", "spilled", "peace", "drone", "."]),
             max_size=30),
)
def test_plain_user_rules_match_exactly_as_fts5_does(title: list[str], body: list[str]) -> None:
    """Threshold 0 (user topics): the evaluator assigns exactly the articles FTS5 matches,
    which is what re-evaluating a rule over the library uses."""
    rules = [
        '"kerch strait" AND (oil OR spill*)', "oil NOT gas", "(spill* OR gas) NOT (kerch strait)",
        '"strait oil"*', "oil gas OR very", '"very very" NOT drone*', "Óil",
    ]
    doc = (" ".join(title), " ".join(body))
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO t VALUES (?, ?)", doc)
    evaluator = TopicEvaluator(
        [TopicRule(k, r, 0.0) for k, r in enumerate(rules)], load_taxonomy().weights
    )
    got = {topic for topic, _ in evaluator.topics_for(*doc)}
    in_fts = {
        k for k, r in enumerate(rules)
        if conn.execute("SELECT 1 FROM t WHERE t MATCH ?", [to_fts(parse_rule(r))]).fetchall()
    }
    assert got == in_fts


def test_import_assigns_what_the_reference_evaluation_gives(
    library: Library, seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    """End to end through assign_topics (cached evaluator, batched writes), seeds plus a
    synthetic file, with user topics: the stored rows equal the reference evaluation."""
    lib = library
    for k, rule in enumerate(USER_RULES):
        lib.add_topic(f"User {k}", rule)
    synthetic = write_jsonl(tmp_path / "synthetic.jsonl", [
        row(title or "untitled", body or "empty") for title, body in synthetic_articles(150, 9)
    ])
    lib.import_paths([*seeds, synthetic])
    taxonomy = load_taxonomy()
    rules = [
        TopicRule(t.id, t.rule, taxonomy.threshold_for(t.name) if t.builtin else 0.0)
        for t in lib.topics()
    ]
    stored = {
        (a, t, s) for t, a, s in lib.db.conn.execute(
            "SELECT topic_id, article_id, score FROM article_topics"
        )
    }
    reference = Reference(rules, taxonomy.weights)
    expected = {
        (article_id, topic_id, score)
        for article_id, title, body in lib.db.conn.execute("SELECT id, title, body FROM articles")
        for topic_id, score in reference.topics_for(title, body)
    }
    assert stored == expected
    assert counts(lib) == recounted(lib)


def test_import_after_a_rule_edit_uses_the_edited_rule(library: Library, tmp_path: Path) -> None:
    """The evaluator kept between imports is never one made for rules that have changed."""
    lib = library
    lib.add_topic("Fuel", "petrol")
    lib.import_paths([write_jsonl(tmp_path / "a.jsonl", [row("Petrol queues", "Long waits.")])])
    assert lib.topic("Fuel").total == 1
    lib.edit_topic("Fuel", "diesel")
    lib.import_paths([write_jsonl(tmp_path / "b.jsonl", [
        row("Petrol prices", "Up again."), row("Diesel shortage", "Trucks idle."),
    ])])
    fuel = lib.topic_id("Fuel")
    titles = {
        lib.article(aid).title
        for (aid,) in lib.db.conn.execute(
            "SELECT article_id FROM article_topics WHERE topic_id = ?", [fuel]
        )
    }
    assert titles == {"Diesel shortage"}
    assert counts(lib)["Fuel"] == recounted(lib)["Fuel"] == (1, 1)
