"""Text helpers: identity hashing and titles made from lead sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.importers import open_import
from reader.text import first_sentence, identity_hash, make_title, normalise_for_identity


def test_identity_ignores_case_spacing_and_punctuation() -> None:
    a = identity_hash("Putin Says “Yes”", "He said:  it's   done.\n\nNext paragraph!")
    b = identity_hash('putin says "yes"', "He said it’s done. Next paragraph")
    assert a == b


def test_identity_tells_different_texts_apart() -> None:
    base = identity_hash("Title", "The talks ended on Monday.")
    assert identity_hash("Title", "The talks ended on Tuesday.") != base
    assert identity_hash("Other title", "The talks ended on Monday.") != base
    # Title and body are kept apart: moving a word across the boundary changes the hash.
    assert identity_hash("Title The", "talks ended on Monday.") != base


def test_identity_folds_compatibility_forms() -> None:
    assert normalise_for_identity("Ｆｕｌｌ\u00a0width ﬁne") == "full width fine"


def test_forum_reposts_hash_the_same(seeds: tuple[Path, Path]) -> None:
    """The two re-posts in 001 differ only in attachment lines, which leave the body."""
    with open_import(seeds[1]) as parsed:
        posts = list(parsed.articles)
    hashes = [identity_hash(p.title, p.body) for p in posts]
    assert len(hashes) == 12
    assert len(set(hashes)) == 11
    twins = [p for p, h in zip(posts, hashes, strict=True) if hashes.count(h) == 2]
    assert twins[0].attachments != twins[1].attachments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. and Mr. Smith met. Then they left.", "The U.S. and Mr. Smith met."),
        ("Prices rose 2.5 percent! Markets fell.", "Prices rose 2.5 percent!"),
        ("No end here", "No end here"),
        ("He said “stop.” Then he left.", "He said “stop.”"),
        ("Talks were held e.g. in Geneva. Nothing came of it.", "Talks were held e.g. in Geneva."),
    ],
)
def test_first_sentence(text: str, expected: str) -> None:
    assert first_sentence(text) == expected


def test_make_title_short_sentence_loses_its_period() -> None:
    assert make_title("Russia and China sign a deal. More follows.") == (
        "Russia and China sign a deal"
    )


def test_make_title_cuts_long_sentences_at_a_word_boundary() -> None:
    sentence = "word " * 60 + "end."
    title = make_title(sentence)
    assert len(title) <= 100
    assert title.endswith("…")
    assert title[:-1].endswith("word")
    assert not title[:-1].endswith(" ")


def test_make_title_with_one_giant_word_is_still_bounded() -> None:
    title = make_title("x" * 500)
    assert len(title) == 100
    assert title.endswith("…")


def test_make_title_of_nothing_is_empty() -> None:
    assert make_title("   ") == ""
