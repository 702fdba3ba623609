"""Sentence splitting (reader.sentences) and the "only in this version" highlights built on it:
abbreviations, initials, decimals and list marks never end a sentence; real sentences from the
seeds and the sample library stay whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.grouping.unique import unique_sentences
from reader.importers import open_import
from reader.sentences import sentence_spans, split_sentences

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "resources" / "sample"

CASES: list[tuple[str, list[str]]] = [
    # abbreviations that stand before a name or number never end a sentence
    ("Dr. William Hutchison from the University of St. Andrews led it. It was published.",
     ["Dr. William Hutchison from the University of St. Andrews led it.", "It was published."]),
    ("Mr. Smith met Gen. Ivanov and Sen. Jones. They talked.",
     ["Mr. Smith met Gen. Ivanov and Sen. Jones.", "They talked."]),
    ("No. 5 was built on Jan. 3. It broke on Sept. 12, 2024.",
     ["No. 5 was built on Jan. 3.", "It broke on Sept. 12, 2024."]),
    # dotted abbreviations go on unless a word that starts sentences follows
    ("Both the U.S. and Russia keep limits. NATO said no.",
     ["Both the U.S. and Russia keep limits.", "NATO said no."]),
    ("It was signed by the U.S. The treaty ended in 2019.",
     ["It was signed by the U.S.", "The treaty ended in 2019."]),
    ("The U.S. Secretary of State met the U.K. Foreign Secretary.",
     ["The U.S. Secretary of State met the U.K. Foreign Secretary."]),
    ("He arrived at 5 p.m. on Friday. She left at 6 a.m. The end.",
     ["He arrived at 5 p.m. on Friday.", "She left at 6 a.m.", "The end."]),
    ("Apples, pears, etc. are fruit. Tools, nails, etc. The list ended.",
     ["Apples, pears, etc. are fruit.", "Tools, nails, etc.", "The list ended."]),
    ("Acme Inc. said profits rose. Acme Inc. It was a good year.",
     ["Acme Inc. said profits rose.", "Acme Inc.", "It was a good year."]),
    # initials
    ("J. R. R. Tolkien wrote it. A. B. Smith read it.",
     ["J. R. R. Tolkien wrote it.", "A. B. Smith read it."]),
    ("В. В. Путин заявил, что т.е. все хорошо. Это конец.",
     ["В. В. Путин заявил, что т.е. все хорошо.", "Это конец."]),
    # decimals, figures and dotted words are inside their sentence
    ("The failure took 1.2 GW of wind power offline. Rates rose to 3.75 percent.",
     ["The failure took 1.2 GW of wind power offline.", "Rates rose to 3.75 percent."]),
    ("Oil revenues fell by $1.1 billion. Version 2.0.1 of example.com shipped.",
     ["Oil revenues fell by $1.1 billion.", "Version 2.0.1 of example.com shipped."]),
    ("Russia downed U.S.-made missiles. Kyiv said so.",
     ["Russia downed U.S.-made missiles.", "Kyiv said so."]),
    # a sentence does end before a capital after ordinary words, numbers and ? ! …
    ("It ended in 2023. 2024 was calmer.", ["It ended in 2023.", "2024 was calmer."]),
    ("Why? Nobody knows! He said... Then he left.",
     ["Why?", "Nobody knows!", "He said...", "Then he left."]),
    ("“Why?” he asked. “Because,” she said.", ["“Why?” he asked.", "“Because,” she said."]),
    ('He said "stop." "Why?" she asked.', ['He said "stop."', '"Why?" she asked.']),
    # datelines and stray closing quotes stay with their sentence
    ("BUFFALO, N.Y. — Hours before the game, he spoke.",
     ["BUFFALO, N.Y. — Hours before the game, he spoke."]),
    ('Nothing bad is going to happen. "', ['Nothing bad is going to happen. "']),
    # lines are sentences' limits; list marks are not part of a sentence
    ("Key Details:\n  1. Arrests Made: Police held 12 men.\n• Bullet point here\n2) Last one.",
     ["Key Details:", "Arrests Made: Police held 12 men.", "Bullet point here", "Last one."]),
    ("a. First item. Second sentence.\n(iv) Fourth item.",
     ["First item.", "Second sentence.", "Fourth item."]),
    ("東京は晴れ。大阪は雨！本当？", ["東京は晴れ。", "大阪は雨！", "本当？"]),
    ("", []),
    ("   \n\n  ", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@given(st.text(alphabet=st.sampled_from(list("aZ .!?…\n\"”“1.)-•U.S. Dr Jan The ")),
               max_size=120))
def test_spans_are_whole_stripped_ordered_pieces_of_one_line(text: str) -> None:
    previous_end = 0
    for span in sentence_spans(text):
        assert text[span.start:span.end] == span.text
        assert span.text == span.text.strip() and span.text
        assert "\n" not in span.text
        assert span.start >= previous_end
        previous_end = span.end


def _bodies(path: Path) -> list[str]:
    with open_import(path) as parsed:
        return [a.body for a in parsed.articles]


def test_real_sentences_from_the_seeds_stay_whole(seeds: tuple[Path, Path]) -> None:
    listing, forum = seeds
    sentences = [s for body in _bodies(listing) + _bodies(forum) for s in split_sentences(body)]
    expected_whole = [
        "Dr. William Hutchison from the University of St. Andrews, who led the research "
        "published in the journal Proceedings of the National Academy of Sciences, expressed "
        "surprise that such a significant eruption went unreported at the time.",
        "While both the U.S. and Russia maintain warhead limits, the absence of a replacement "
        "treaty has raised concerns about nuclear risks.",
        "While Russian oil revenues decreased by $1.1 billion in November due to dropping "
        "prices and export volumes, the report highlighted the need for enhanced international "
        "cooperation to enforce sanctions and close legal loopholes that allow this fleet to "
        "operate.",
    ]
    for sentence in expected_whole:
        assert sentence in sentences
    # the forum's numbered items: the mark is left out, "U.S." at a line's end ends it
    assert any(s.startswith("Historical Context: Putin's accusations stem from") and
               "former U.S. Secretary of State James Baker" in s for s in sentences)
    assert any(s.endswith("leading to a formal withdrawal by the U.S.") for s in sentences)
    # no sentence is only an abbreviation's tail or an initial
    assert not [s for s in sentences if s in {"S.", "Andrews", "R.", "1.", "2 GW"}]
    assert not [s for s in sentences if s.startswith(("S. ", "economy", "Andrews,"))]


def test_a_highlight_covers_the_whole_sentence_with_a_decimal() -> None:
    """The sample's transformer story: "The failure took 1.2 GW…" is new in its version and
    was highlighted from "2 GW" on (docs/screenshots/versions.png)."""
    bodies = [body for path in sorted(SAMPLE.iterdir()) for body in _bodies(path)
              if "Norvik Bay" in body]
    body = next(b for b in bodies if "single transformer on the Norvik Bay export" in b)
    others = [b for b in bodies if b != body]
    spans = unique_sentences(body, others)
    texts = [s.text for s in spans]
    assert any(t.startswith("The failure took 1.2 GW") for t in texts)
    for span in spans:
        assert body[span.start:span.end] == span.text
        before = body[:span.start].rstrip()
        assert before == "" or before.endswith((".", "!", "?", "”", '"')), span.text
    assert not any(t.startswith("2 GW") for t in texts)


def test_a_sentence_with_an_abbreviation_is_judged_whole() -> None:
    body = ("Both the U.S. and Russia maintain warhead limits under the old treaty. "
            "Dr. Jane Hall of the University of St. Andrews counted 14 new launch sites.")
    other = "Both the U.S. and Russia maintain warhead limits under the old treaty."
    assert [s.text for s in unique_sentences(body, [other])] == [
        "Dr. Jane Hall of the University of St. Andrews counted 14 new launch sites."]
