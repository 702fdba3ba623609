"""Each input format, on the user's seed dumps and on small samples with expected parses."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from reader.errors import ImportFailed
from reader.importers import ParsedFile, iter_input_files, open_import
from reader.types import ParsedArticle

DATA = Path(__file__).parent / "data" / "importers"
SAMPLES = sorted(p for p in DATA.iterdir() if not p.name.endswith(".expected.json"))


def parse(path: Path) -> tuple[ParsedFile, list[ParsedArticle]]:
    with open_import(path) as parsed:
        articles = list(parsed.articles)
    return parsed, articles


def as_json(article: ParsedArticle) -> dict[str, Any]:
    row = dataclasses.asdict(article)
    row["published"] = article.published.isoformat() if article.published else None
    row["attachments"] = list(article.attachments)
    row["topics"] = list(article.topics)
    return row


# --------------------------------------------------------------------------- samples


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_matches_expected_parse(sample: Path) -> None:
    expected = json.loads(Path(f"{sample}.expected.json").read_text(encoding="utf-8"))
    parsed, articles = parse(sample)
    got = {
        "format": parsed.format,
        "source": parsed.source,
        "encoding": parsed.encoding,
        "articles": [as_json(a) for a in articles],
        "warnings": list(parsed.warnings),
    }
    assert got == expected


def test_every_sample_has_an_expected_parse() -> None:
    assert SAMPLES, "no samples found"
    for sample in SAMPLES:
        assert Path(f"{sample}.expected.json").exists(), sample.name


def test_format_is_sniffed_from_content_not_name(tmp_path: Path) -> None:
    listing = (DATA / "listing_small.txt").read_bytes()
    disguised = tmp_path / "notes.jsonl"
    disguised.write_bytes(listing)
    parsed, articles = parse(disguised)
    assert parsed.format == "listing"
    assert len(articles) == 3


# --------------------------------------------------------------------------- listing seed


def test_listing_seed(seeds: tuple[Path, Path]) -> None:
    parsed, articles = parse(seeds[0])
    assert parsed.format == "listing"
    assert parsed.source == "Russian Federation News"
    assert parsed.encoding == "utf-8"
    assert parsed.warnings == []
    assert len(articles) == 68
    titles = [a.title for a in articles]
    assert titles[0] == "Drone Swarm Breaches Russian Air Defense, Sparks Refinery Explosion"
    assert titles[1] == (
        "Putin Claims Trump Could Have Averted Ukraine War if Election Had Not Been Stolen"
    )
    assert titles[2] == (
        "Russia Proposes Nuclear Disarmament Talks Including France and UK Amidst Tensions "
        "with NATO"
    )
    assert titles[-1] == "Russia Enhances AI Collaboration with China Amid Western Sanctions"
    assert [a.position for a in articles] == list(range(68))
    for article in articles:
        assert article.title.strip() == article.title != ""
        assert article.body.strip() == article.body != ""
        assert "RU" not in article.body.splitlines()
        assert article.title not in article.body.splitlines()
        assert article.attachments == ()


def test_listing_seed_titles_are_the_lines_before_each_blank(seeds: tuple[Path, Path]) -> None:
    """Cross-check every title against the raw file independently of the parser."""
    raw = seeds[0].read_text(encoding="utf-8").split("\n")
    expected = [
        raw[i]
        for i in range(2, len(raw) - 1)
        if raw[i - 1] in ("", "RU") and raw[i] and raw[i] != "RU" and raw[i + 1] == ""
    ]
    _, articles = parse(seeds[0])
    assert [a.title for a in articles] == expected


def test_listing_seed_dates_are_inferred_from_prose(seeds: tuple[Path, Path]) -> None:
    _, articles = parse(seeds[0])
    first = articles[0]
    assert first.published == datetime(2025, 1, 30, tzinfo=UTC)
    assert first.published_inferred is True
    assert articles[1].published == datetime(2025, 1, 24, tzinfo=UTC)
    for article in articles:
        assert (article.published is not None) == article.published_inferred
    assert sum(a.published is not None for a in articles) >= 10


# --------------------------------------------------------------------------- forum seed


def test_forum_seed(seeds: tuple[Path, Path]) -> None:
    parsed, posts = parse(seeds[1])
    assert parsed.format == "forum"
    assert parsed.source == "General News And Discussions About Russia"
    assert parsed.warnings == []
    assert len(posts) == 12
    for post in posts:
        assert 0 < len(post.title) <= 100
        assert post.body.startswith(post.title.rstrip("…"))
        lines = post.body.splitlines()
        for chrome in (
            "What's new",
            "Back",
            "Top Bottom",
            "General News And Discussions About Russia",
            ".",
        ):
            assert chrome not in lines
        assert "\u00a0" not in "".join(line for line in lines if not line.strip())
        assert not re.search(r"^\d{13}\.(png|jpe?g)$", post.body, re.M)
        assert "View attachment" not in post.body
        assert "\n\n\n" not in post.body


def test_forum_seed_titles_come_from_lead_sentences(seeds: tuple[Path, Path]) -> None:
    _, posts = parse(seeds[1])
    assert posts[0].title == (
        "The Russian Air Force has attempted to target the Al-Rastan Bridge between Hama and "
        "Homs for the…"
    )
    cut = [p for p in posts if p.title.endswith("…")]
    assert cut, "the seed's lead sentences are long: some titles must be cut"
    for post in cut:
        head = post.title[:-1]
        # Cut at a word boundary: the body continues with a space after the title's words.
        assert post.body.startswith(head + " ")


def test_forum_seed_dates_from_epoch_attachments(seeds: tuple[Path, Path]) -> None:
    _, posts = parse(seeds[1])
    with_epochs = [p for p in posts if any(re.fullmatch(r"\d{13}\.\w+", a) for a in p.attachments)]
    assert len(with_epochs) == 7
    for post in with_epochs:
        assert post.published is not None
        assert post.published_inferred is False
        stamps = [int(a[:13]) for a in post.attachments if re.fullmatch(r"\d{13}\.\w+", a)]
        assert post.published == datetime.fromtimestamp(max(stamps) / 1000, tz=UTC)
        assert datetime(2024, 12, 1, tzinfo=UTC) < post.published < datetime(2025, 1, 1, tzinfo=UTC)
    tkachev = next(p for p in posts if p.title.startswith("Anton Tkachev"))
    assert tkachev.attachments == ("1733823254611.png", "1733823272282.jpeg")
    assert tkachev.published == datetime(2024, 12, 10, 9, 34, 32, 282000, tzinfo=UTC)
    assert any(a == "View attachment 1035370" for p in posts for a in p.attachments)


def test_forum_seed_keeps_structure(seeds: tuple[Path, Path]) -> None:
    _, posts = parse(seeds[1])
    first = posts[0].body.split("\n\n")
    assert "Key Developments:" in first
    assert "Conclusion:" in first
    numbered = next(b for b in first if b.startswith("1. ")).split("\n")
    assert [line[:3] for line in numbered] == ["1. ", "2. ", "3. ", "4. ", "5. "]
    # Sub-bullets under numbered items stay under them, indented.
    fsb = posts[1].body
    assert "\n1. Operation Overview:\n  • The FSB's operation targeted" in fsb
    # Top-level bullets are normalised to "• " at the start of their own line.
    tusk = next(p for p in posts if p.title.startswith("Polish Prime Minister"))
    bullets = [line for line in tusk.body.split("\n") if line.startswith("• ")]
    assert len(bullets) == 4
    assert bullets[0].startswith("• Historical Context: Tusk noted")


def test_forum_reposts_are_both_yielded(seeds: tuple[Path, Path]) -> None:
    _, posts = parse(seeds[1])
    bodies = [p.body for p in posts]
    twins = [b for b in bodies if bodies.count(b) == 2]
    assert len(twins) == 2


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_round_trip_of_export_fields(tmp_path: Path) -> None:
    rows = [
        {
            "id": 5,
            "title": "T1",
            "body": "B1",
            "source": "S",
            "published": "2025-01-30T10:00:00Z",
            "published_inferred": True,
            "url": None,
            "story": "s9",
            "topics": ["A", "B"],
            "read": False,
            "starred": True,
            "note": None,
        },
        {"title": "T2", "body": "B2", "published": "2025-01-30T10:00:00+02:00"},
        {"title": "T3", "body": "B3", "published": "2025-02-01"},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    parsed, articles = parse(path)
    assert parsed.format == "jsonl"
    assert parsed.source == "export"
    first, second, third = articles
    assert first.external_id == "5"
    assert first.story_key == "s9"
    assert first.topics == ("A", "B")
    assert (first.read, first.starred, first.published_inferred) == (False, True, True)
    assert first.source == "S"
    assert first.published == datetime(2025, 1, 30, 10, tzinfo=UTC)
    assert second.published == datetime(2025, 1, 30, 8, tzinfo=UTC)
    assert second.source is None
    assert third.published == datetime(2025, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"title": "a", "body": "b"}\nnot json\n', "line 2 is not valid JSON"),
        ('{"title": "a", "body": "b"}\n\n{"body": "b"}\n', "line 3: the row has no 'title'"),
        ('{"title": "a"}\n', "line 1: the row has no 'body'"),
        ('{"title": "a", "body": "b", "read": "yes"}\n', "line 1: 'read' must be true or false"),
        ('{"title": "a", "body": "b", "published": "soon"}\n', "not an ISO 8601 date"),
        ('{"title": "a", "body": "b", "topics": "x"}\n', "'topics' must be a list"),
        ('{"title": "  ", "body": "b"}\n', "'title' is empty"),
        ('{"title": "a", "body": 3}\n', "'body' must be a string"),
        ('{"title": "a", "body": "\\ud800"}\n', "lone surrogate"),
        ("{" * 5000 + "\n", "line 1 is not valid JSON"),
        ('{"title": "a", "body": "b"}\n[1, 2]\n', "line 2 is not a JSON object"),
    ],
)
def test_jsonl_damage_names_the_line(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed) as failure, open_import(path) as parsed:
        list(parsed.articles)
    assert reason in failure.value.reason
    assert str(path) in str(failure.value)


# --------------------------------------------------------------------------- text


def test_text_long_first_line_becomes_a_made_title(tmp_path: Path) -> None:
    lead = "A very long opening sentence " + "that keeps going " * 12 + "and ends."
    path = tmp_path / "note.txt"
    path.write_text(f"{lead}\n\nSecond paragraph.\n", encoding="utf-8")
    _, (article,) = parse(path)
    assert article.title.endswith("…") and len(article.title) <= 100
    assert article.body.startswith(lead)


def test_text_setext_heading(tmp_path: Path) -> None:
    path = tmp_path / "setext.md"
    path.write_text("The Title\n=========\n\nBody text here.\n", encoding="utf-8")
    _, (article,) = parse(path)
    assert (article.title, article.body) == ("The Title", "Body text here.")


# --------------------------------------------------------------------------- folders


def test_iter_input_files_expands_folders(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / "c").mkdir()  # an empty sub-folder is not an error inside a full folder
    single = tmp_path / "b" / "z.txt"
    items = list(iter_input_files([tmp_path, single]))
    assert items == [tmp_path / "a.txt", tmp_path / "b" / "z.txt", single]


def test_iter_input_files_reports_missing_and_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".DS_Store").write_text("x")
    missing = tmp_path / "nope.txt"
    items = list(iter_input_files([missing, empty]))
    assert all(isinstance(i, ImportFailed) for i in items)
    reasons = [i.reason for i in items if isinstance(i, ImportFailed)]
    assert reasons == ["no such file or folder", "folder holds no files"]


# --------------------------------------------------------------------------- variations


def test_listing_tolerates_spacing_variations(tmp_path: Path) -> None:
    path = tmp_path / "loose.txt"
    path.write_text(
        "\n\nBBC  World Service  \n\n\n"
        "First title  \n\n\nFirst body.\n  BBC  \n\n\n\n"
        "Second title\nSecond body straight after the title.\nBBC\n"
        "Third title\n\nPara one.\n\n\nPara two.\nBBC\n",
        encoding="utf-8",
    )
    parsed, articles = parse(path)
    assert (parsed.format, parsed.source) == ("listing", "World Service")
    assert [(a.title, a.body) for a in articles] == [
        ("First title", "First body."),
        ("Second title", "Second body straight after the title."),
        ("Third title", "Para one.\n\nPara two."),
    ]


def test_forum_without_title_or_chrome(tmp_path: Path) -> None:
    lead = (
        "The first post starts straight away with a long paragraph that is clearly not a "
        "thread title, because it runs on and on past the limit."
    )
    path = tmp_path / "thread.txt"
    path.write_text(
        f"{lead}\n\u00a0\n.\n1700000000000.png\n\u00a0 \n.\nSecond post.\n\u00a0\n.\n",
        encoding="utf-8",
    )
    parsed, posts = parse(path)
    assert (parsed.format, parsed.source) == ("forum", "thread")
    assert [p.body for p in posts] == [lead, "Second post."]
    assert parsed.warnings == ["post 2 holds no words; skipped it"]


def test_forum_unterminated_last_post_that_looks_finished_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "thread.txt"
    path.write_text(
        "Thread Title\n\nFirst post text.\n\u00a0\n.\nLast post, complete sentence.\n\nBack\n",
        encoding="utf-8",
    )
    parsed, posts = parse(path)
    assert [p.body for p in posts] == ["First post text.", "Last post, complete sentence."]
    assert len(parsed.warnings) == 1 and "no closing separator" in parsed.warnings[0]


def test_forum_bullet_glyphs_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "thread.txt"
    path.write_text(
        "Thread\n\nIntro line of the post goes here.\n\n- dash item\n* star item\n"
        "· middle dot item\n1) paren item\n     ◦ nested item\n\u00a0\n.\n",
        encoding="utf-8",
    )
    _, (post,) = parse(path)
    assert post.body.split("\n\n")[1].split("\n") == [
        "• dash item",
        "• star item",
        "• middle dot item",
        "1. paren item",
        "  • nested item",
    ]
