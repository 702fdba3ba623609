"""Every word of short articles in eight languages finds its article, typed as printed.

Through each way a word meets the index: the search box, a topic rule (scored in Python at
import, matched by FTS5 when the rule is saved) and notes search. Latin words are also found
with their diacritics left out, where the index folds them (é, ü, ş, ệ; not ł, đ or ı, which
are letters of their own). The Russian article is imported as a cp1251 file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.query import fold_tokens
from reader.query.matcher import Weights
from reader.storage import topics as topic_store
from reader.topics import TopicEvaluator, TopicRule
from reader.types import StoryQuery

DATA = Path(__file__).resolve().parent / "data" / "languages"
LANGUAGES = ("ru", "uk", "el", "de", "fr", "pl", "tr", "vi")
LATIN = ("de", "fr", "pl", "tr", "vi")
#: A word as a reader copies it: letters and digits, with inner apostrophes and hyphens.
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def article(lang: str) -> tuple[str, str]:
    """(title, body) of the language's article."""
    lines = (DATA / f"{lang}.md").read_text(encoding="utf-8").splitlines()
    return lines[0].removeprefix("# "), "\n".join(lines[2:]).strip()


def words(lang: str) -> list[str]:
    title, body = article(lang)
    return sorted(set(_WORD.findall(f"{title} {body}")))


def without_marks(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", plain)


def plain_variants(lang: str) -> list[str]:
    """The language's words with their diacritics left out, where the index folds them."""
    return [
        plain
        for w in words(lang)
        if (plain := without_marks(w)) != w and fold_tokens(plain) == fold_tokens(w)
    ]


def _files(tmp: Path) -> list[Path]:
    paths = []
    for lang in LANGUAGES:
        text = (DATA / f"{lang}.md").read_text(encoding="utf-8")
        path = tmp / f"{lang}.md"
        if lang == "ru":  # the legacy encoding the README promises
            path.write_bytes(text.encode("cp1251"))
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    tmp = tmp_path_factory.mktemp("languages")
    lib = Library.open(tmp / "library.db")
    report = lib.import_paths(_files(tmp))
    assert report.added == len(LANGUAGES) and not report.failed, report
    try:
        yield lib
    finally:
        lib.close()


@pytest.fixture(scope="module")
def noted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """A library where each article's story carries the article's text as its note."""
    tmp = tmp_path_factory.mktemp("notes")
    lib = Library.open(tmp / "library.db")
    lib.import_paths(_files(tmp))
    for lang in LANGUAGES:
        title, body = article(lang)
        lib.save_note(story_of(lib, title), f"{title}\n\n{body}")
    try:
        yield lib
    finally:
        lib.close()


def story_of(lib: Library, title: str) -> int:
    found = [h.story_id for h in lib.search(f'"{title}"') if h.title == title]
    assert len(found) == 1, title
    return found[0]


def test_the_articles_hold_their_languages_letters(articles: Library) -> None:
    for lang in LANGUAGES:
        title, body = article(lang)
        hits = [h for h in articles.search(f'"{title}"') if h.title == title]
        assert hits, f"{lang}: {title}"
        assert body[:40] in articles.article(hits[0].article_id or 0).body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_every_word_as_typed(articles: Library, lang: str) -> None:
    title = article(lang)[0]
    missed = [w for w in words(lang) if title not in {h.title for h in articles.search(w)}]
    assert not missed


@pytest.mark.parametrize("lang", LATIN)
def test_search_finds_latin_words_without_their_diacritics(articles: Library, lang: str) -> None:
    title = article(lang)[0]
    plain = plain_variants(lang)
    assert len(plain) >= 5  # the language's words with folded diacritics are really tested
    missed = [w for w in plain if title not in {h.title for h in articles.search(w)}]
    assert not missed


def test_the_words_from_the_report_are_found(articles: Library) -> None:
    for typed, lang in [
        ("Зеленский", "ru"), ("Москвой", "ru"), ("Мой", "ru"), ("всё", "ru"), ("ждём", "ru"),
        ("σεισμός", "el"), ("Κρήτη", "el"), ("Ινστιτούτο", "el"), ("Düsseldorf", "de"),
        ("Großstadt", "de"), ("Dusseldorf", "de"), ("Elysee", "fr"), ("Istanbul", "tr"),
        ("Viet Nam", "vi"), ("Łódź", "pl"), ("Łodz", "pl"),
    ]:
        hits = {h.title for h in articles.search(typed)}
        assert article(lang)[0] in hits, typed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_topic_rules_match_every_word_at_import(lang: str) -> None:
    """The import path: every word as a rule, scored by the evaluator over the article."""
    vocabulary = words(lang) + (plain_variants(lang) if lang in LATIN else [])
    rules = [TopicRule(k, word, 0.0) for k, word in enumerate(vocabulary)]
    assigned = {tid for tid, _ in TopicEvaluator(rules, Weights()).topics_for(*article(lang))}
    assert [w for k, w in enumerate(vocabulary) if k not in assigned] == []


def test_topic_rules_saved_later_hold_the_article(articles: Library) -> None:
    """The rule-saving path: one FTS5 query per rule over the library."""
    missed = []
    for lang in LANGUAGES:
        title = article(lang)[0]
        vocabulary = words(lang) + (plain_variants(lang) if lang in LATIN else [])
        for k, word in enumerate(vocabulary[::3]):
            name = f"{lang} {k}"
            topic = articles.add_topic(name, word)
            page = articles.story_page(StoryQuery(topic_id=topic.id))
            if title not in {s.headline for s in page}:
                missed.append(word)
            articles.remove_topic(name)
    assert not missed


def test_topic_rules_from_the_report_assign_at_import(tmp_path: Path) -> None:
    with Library.open(tmp_path / "library.db") as lib:
        for name, rule in [("Zelensky", "Зеленский"), ("Quakes", "σεισμός OR Κρήτη"),
                           ("Rhine", "Düsseldorf AND Großstadt")]:
            lib.add_topic(name, rule)
        lib.import_paths(_files(tmp_path))
        counts = {t.name: t.total for t in lib.topics()}
        assert counts["Zelensky"] == counts["Quakes"] == counts["Rhine"] == 1
        for name in ("Zelensky", "Quakes", "Rhine"):  # the same after a re-evaluation
            assert lib.reassign_topic(name).total == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notes_search_finds_every_word(noted: Library, lang: str) -> None:
    title = article(lang)[0]
    story = story_of(noted, title)
    vocabulary = words(lang) + (plain_variants(lang) if lang in LATIN else [])
    missed = [w for w in vocabulary if story not in {h.story_id for h in noted.search_notes(w)}]
    assert not missed


def test_rules_left_unmatched_by_the_old_folding_are_reassigned_once(tmp_path: Path) -> None:
    """A library whose non-ASCII rule an older build saved with no matches (it folded й to
    и) gets that topic re-assigned when it is opened, once."""
    path = tmp_path / "library.db"
    with Library.open(path) as lib:
        lib.import_paths(_files(tmp_path))
        with lib.db.atomic():
            topic_store.insert_topic(lib.db, "Zelensky", "Зеленский")
            topic_store.insert_topic(lib.db, "Oil", "oil")
            lib.db.execute("DELETE FROM settings WHERE key = 'topics.folding'")
        assert lib.topic("Zelensky").total == 0
    with Library.open(path) as lib:
        assert lib.topic("Zelensky").total == 1
        assert topic_store.refold_topics(lib.db) == []  # done once
