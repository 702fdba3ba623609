"""The feature extractor's output must not change when it is made faster.

Two guards, because the stored ``article_features`` rows and every grouping decision depend
on these exact bytes:

* golden fingerprints: one short hash per article of the seeds, the look-alike corpus and
  300 synthetic articles, recorded with the extractor as it was before it was optimised
  (``tests/data/features_golden/golden.json``);
* a frozen copy of that extractor (``reference_extract.py``), run next to the live code on
  generated text full of the things the extractor reacts to (names, particles, acronyms,
  dates, numbers with units, headings, list marks), so inputs outside the corpora agree too.

If the features are meant to change (a threshold, a new rule), regenerate the fingerprints
with ``.venv/bin/python tests/test_features_golden.py --write`` and say so in the commit; the
property test then compares against the reference only while the reference still applies.
(The fingerprints were regenerated when features became TF-IDF terms and phrases were
dropped, when year ranges came to name each of their years, and when money and years became
units of mixed figures; the reference still holds for names, figures, dates, years but those
of ranges, units but those marked mixed, and rate decisions, and for the set of content
words; the names of an item without a body are its title's acronyms, where the reference has
none.)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers.modules import benchmark, load_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.grouping import entities as live_entities
from reader.grouping import facts as live_facts
from reader.grouping import features as live
from reader.grouping import name_runs as live_runs
from reader.grouping import words as live_words
from reader.grouping.entities import extract_entities
from reader.importers import open_import

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "features_golden"
GOLDEN = DATA / "golden.json"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = ("000_61b62ddfcad736cf.txt", "001_1aa372daa38d7193.txt")
LOOKALIKES = ROOT / "tests" / "data" / "lookalikes" / "articles.jsonl"
SYNTH_COUNT = 300
SYNTH_SEED = 20261121


def _imported(path: Path) -> list[tuple[str, str]]:
    """(title, body) pairs as the importer hands them to grouping."""
    with open_import(path) as parsed:
        return [(a.title, a.body) for a in parsed.articles]


def _synthetic() -> list[tuple[str, str]]:
    synth = benchmark("synth")
    return list(synth.articles(SYNTH_COUNT, seed=SYNTH_SEED))


EDGE_CASES: list[tuple[str, str]] = [
    ("", ""),
    ("Only a title", ""),
    ("", "no capitals at all, just 12 words and 3,000 people on 4 june"),
    ("U.S. and E.U. Leaders Meet", "The U.S. said the E.U.'s offer was late. NATO's SUVs left."),
    ("Key Details:", "1. Arrests Made: Police held 12 men.\n• Bullet point here\n\nConclusion"),
    (
        "Strikes on 20 and 21 June",
        "On June 20-21, 2024 and 3rd–4th March the $5.5 bn fund fell 7%.",
    ),
    ("Rate cut", "The bank slashed its key interest rate to 2.25%, then held rates at 2%."),
    ("Pieter van der Berg Speaks", "Pieter van der Berg met De Vries. Van der Berg's aide left."),
    ("Zelenskyy", "Zelenskiy and Zelensky met Navalnyy's widow. Jermak and Yermak spoke."),
    ("Émile Zola Über Alles", "Émile Zola visited Øresund. Ærø and São Paulo — Ünal said “yes.”"),
    ("Fire", "The Cedar Ridge Fire burned 12,400 acres; magnitude-6.1 quake, 5% contained."),
]


def _corpora() -> dict[str, Callable[[], list[tuple[str, str]]]]:
    out: dict[str, Callable[[], list[tuple[str, str]]]] = {
        "edge cases": lambda: EDGE_CASES,
        "synthetic": _synthetic,
        "lookalikes": lambda: _imported(LOOKALIKES),
    }
    for name in SEED_FILES:
        out[f"seed {name}"] = lambda name=name: _imported(SEEDS / name)  # type: ignore[misc]
    return out


def _fingerprint(extract: Any, entities_of: Any, title: str, body: str) -> str:
    """Everything the extractor promises, hashed: the stored JSON, the entities in order and
    the terms with their counts."""
    f = extract(title, body)
    record = [
        live.dumps(f),
        [[e.key, e.name, e.mentions, e.kind] for e in entities_of(title, body)],
        sorted(f.terms.items()),
        sorted(f.units),
    ]
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _fingerprints(articles: list[tuple[str, str]]) -> list[str]:
    return [_fingerprint(live.extract, extract_entities, t, b) for t, b in articles]


def _golden() -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("corpus", list(_corpora()))
def test_features_match_the_golden_fingerprints(corpus: str) -> None:
    if corpus.startswith("seed ") and not (SEEDS / corpus[5:]).exists():
        pytest.skip("the seed files in ../shared/seeds are not present in this checkout")
    articles = _corpora()[corpus]()
    expected = _golden()[corpus]
    assert len(articles) == len(expected), "the corpus itself changed; regenerate on purpose"
    got = _fingerprints(articles)
    changed = [i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b]
    assert not changed, f"features changed for articles {changed[:10]} of {corpus}"


# --- the live extractor against the frozen reference, on generated text -------------------

_REFERENCE: ModuleType | None = None


def _reference() -> ModuleType:
    global _REFERENCE
    if _REFERENCE is None:
        _REFERENCE = load_file("features_golden_reference", DATA / "reference_extract.py")
    return _REFERENCE


#: The fields the live features share with the reference's.
_SHARED = ("entities", "names", "kinds", "numbers", "units", "dates", "years", "protagonist",
           "decisions")


def _same_output(title: str, body: str) -> None:
    ref = _reference()
    want = ref.extract(title, body)
    got = live.extract(title, body)
    # Years also take in every year of a year range ("2008-09"), a rule the reference lacks.
    expected = {name: getattr(want, name) for name in _SHARED}
    expected["years"] = want.years | live.range_years(f"{title}\n{body}")
    # Money and years are units of mixed figures now, marked like running ones ("~").
    units: dict[str, frozenset[str]] = {}
    for unit, values in want.units.items():
        key = f"~{unit}" if unit in live_facts.MIXED_UNITS else unit
        units[key] = units.get(key, frozenset()) | values
    expected["units"] = units
    if not body.strip():
        # A headline alone names its acronyms, a rule the reference lacks (it names nothing
        # without a body).
        headline = live_entities.headline_entities(title)
        expected["entities"] = {e.key: e.mentions for e in headline}
        expected["names"] = {e.key: e.name for e in headline}
        expected["kinds"] = {e.key: e.kind for e in headline}
        expected["protagonist"] = live._protagonist(headline)
    assert [getattr(got, name) for name in _SHARED] == [expected[name] for name in _SHARED]
    # The words among the terms are the reference's content words (title and body).
    assert {k for k in got.terms if k[1:2] != ":"} == set(want.words)
    if body.strip():
        assert [tuple(vars_of(e)) for e in extract_entities(title, body)] == [
            tuple(vars_of(e)) for e in ref.extract_entities(title, body)
        ]
    # The stored form reads back as the same features.
    again = live.loads(live.dumps(got))
    assert again is not None
    assert _fields(again) == _fields(got)
    assert live.terms_of(live.dumps(got)) == got.terms  # the regroup's quick reading


def _fields(features: Any) -> list[Any]:
    return [getattr(features, f.name) for f in dataclasses.fields(features)]


def vars_of(entity: Any) -> list[Any]:
    return [entity.key, entity.name, entity.mentions, entity.kind]


_PIECES = [
    "Putin", "Vladimir", "Putin's", "Zelenskyy", "Zelensky’s", "De", "de", "Vries", "van",
    "der", "Berg", "Sea", "of", "Azov", "Kerch", "Strait", "NATO", "SUVs", "U.S.", "E.U.",
    "Reserve", "Bank", "Australia", "RBA", "Korvan", "Motors", "Cedar", "Ridge", "Fire",
    "Russian", "President", "Prime", "Minister", "The", "the", "Despite", "Meanwhile", "North",
    "Korea", "New", "York", "Russian-held", "Mr", "Dr.", "Key", "Details:", "said", "says",
    "talks", "sanctions", "running", "reported", "amid", "and", "to", "&", "-", "–", "on",
    "in", "rate", "rates", "cut", "holds", "raised", "its", "key", "interest", "March", "march",
    "May", "June", "Sept.", "jan", "20", "21st", "3", "12,400", "2024", "1999", "7.5", "$5",
    "€3.2", "£40m", "₽9", "bn", "million", "thousand", "%", "percent", "people", "acres",
    "homes", "km", "tonnes", "degrees", "magnitude", "magnitude-6.1", "contained",
    "containment", "since", "following", "quake", "Émile", "São", "Paulo", "Øresund", "a",
    "x", "I", "it's", "well-known", "co-founder", "A1", "B-52", "...", "…", ",", ".", "!", "?",
    "?\"", "”", "(", ")", ":", ";", "1.", "2)", "•", "*", "—", "'", "’",
]
_SEPARATORS = [" ", " ", " ", " ", "  ", "\n", "\n\n", ". ", ", ", "\t"]


@st.composite
def _texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_PIECES), max_size=60))
    seps = draw(st.lists(st.sampled_from(_SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_texts(), body=_texts())
def test_live_extractor_matches_the_reference(title: str, body: str) -> None:
    _same_output(title, body)


@settings(max_examples=100, deadline=None)
@given(title=st.text(max_size=40), body=st.text(max_size=300))
def test_live_extractor_matches_the_reference_on_any_text(title: str, body: str) -> None:
    _same_output(title, body)


def test_live_extractor_matches_the_reference_on_the_corpora() -> None:
    for corpus, articles in _corpora().items():
        if corpus.startswith("seed ") and not (SEEDS / corpus[5:]).exists():
            continue
        for title, body in articles():
            _same_output(title, body)


_PATTERN_PIECES = [
    *"0123456789 ,.-–&$€£₽%aAsSſKkrRxt\n",
    "June", "jun", "Sept.", "Sept", "septx", "march", "MAY", "st", "nd", "and", "to", "ſept",
    "Ju", "ly", "2024", "aug", "ust", "rate", "Rates", "RATE", "ates", "12,400", "1.5",
    " million", " people", "magnitude", "percent",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PATTERN_PIECES), max_size=30).map("".join))
def test_fast_patterns_find_what_the_exact_ones_find(text: str) -> None:
    """The loose-then-exact searches and the regrouped month names match exactly where
    the reference patterns do, with the same groups."""
    ref = _reference()

    def found(matches: Any) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
        return [(m.span(), m.groups()) for m in matches]

    facts = live_facts
    exact = facts._exact_matches
    assert found(facts._DATE_MD.finditer(text)) == found(ref._DATE_MD.finditer(text))
    assert found(exact(facts._DATE_DM, facts._DATE_DM_LOOSE, text)) == found(
        ref._DATE_DM.finditer(text)
    )
    assert found(exact(facts._NUMBER, facts._NUMBER_LOOSE, text)) == found(
        ref._NUMBER.finditer(text)
    )
    assert found(exact(facts._RATE_WORD, facts._RATE_WORD_LOOSE, text)) == found(
        ref._RATE_WORD.finditer(text)
    )


def test_only_r_and_capital_r_fold_to_r() -> None:
    # _RATE_WORD_LOOSE starts with [rR]: no other character may match "r" ignoring case.
    folds = [c for c in map(chr, range(sys.maxunicode + 1)) if re.match("r", c, re.I)]
    assert folds == ["R", "r"]


def test_memos_that_start_over_often_give_the_same_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live_runs, "_MEMO_LIMIT", 5)
    monkeypatch.setattr(live_entities, "_SURFACES_LIMIT", 3)
    monkeypatch.setattr(live_words, "_STEMS_LIMIT", 10)
    for module, memo in (
        (live_runs, "_TOKEN_INFO"),
        (live_runs, "_ACRONYMS"),
        (live_entities, "_SURFACES"),
        (live_words, "_STEMS"),
    ):
        monkeypatch.setattr(module, memo, {})  # start empty, so the limits are reached
    expected = _golden()["lookalikes"]
    assert _fingerprints(_imported(LOOKALIKES)) == expected
    assert len(live_runs._TOKEN_INFO) < 200 and len(live_words._STEMS) < 100


def test_features_of_another_format_read_as_missing() -> None:
    stored = live.dumps(live.extract("Putin meets Xi", "Putin met Xi Jinping on 4 May."))
    assert live.loads(stored) is not None
    assert live.loads(stored.replace(f'"v":{live.FORMAT}', '"v":1')) is None
    assert live.loads('{"e":{},"n":[],"u":{},"d":[],"w":[],"p":[],"t":[]}') is None


def _write() -> None:
    """Record the fingerprints with the code as it is now (only on purpose)."""
    out: dict[str, list[str]] = {}
    for corpus, articles in _corpora().items():
        if corpus.startswith("seed ") and not (SEEDS / corpus[5:]).exists():
            raise SystemExit(f"{corpus} is missing: cannot record the full golden file")
        out[corpus] = _fingerprints(articles())
    GOLDEN.write_text(json.dumps(out, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {sum(map(len, out.values()))} fingerprints to {GOLDEN}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: tests/test_features_golden.py --write")
    sys.path.insert(0, str(ROOT))
    _write()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_texts())
def test_live_extractor_matches_the_reference_on_headlines_alone(title: str) -> None:
    """Title-only items: everything but the names is the reference's."""
    _same_output(title, "")
