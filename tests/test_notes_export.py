"""Exporting notes as Markdown: names, front matter, never overwriting, never escaping."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.library import Library
from reader.markdown import render_markdown
from reader.notes_export import (
    ExportError,
    ExportNote,
    ExportVersion,
    render_note,
    slugify,
    write_notes,
    yaml_string,
)
from reader.types import StoryQuery

yaml = pytest.importorskip("yaml", reason="PyYAML checks that the front matter is valid YAML")

EXPECTED = Path(__file__).parent / "data" / "notes_export"
ARTICLES = Path(__file__).parent / "data" / "notes" / "articles.jsonl"


def day(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


DRONE = ExportNote(
    story_id=12,
    headline="Drone swarm strikes refinery near Ryazan",
    body=(
        "# My reading\n\nTwo outlets, one event. The *second* adds casualty figures.\n\n"
        "> Drones struck an oil refinery near Ryazan overnight.\n\n"
        "— Russian Federation News, 30 Jan 2025\n"
    ),
    sources=("Economy Daily", "Russian Federation News"),
    first_published=day(2025, 1, 30, 8),
    last_published=day(2025, 1, 31, 9),
    topics=("Conflict", "Energy"),
    versions=(
        ExportVersion(
            "Drone swarm strikes refinery near Ryazan", "Russian Federation News",
            day(2025, 1, 30, 8), False, "https://example.org/news/ryazan-refinery",
        ),
        ExportVersion(
            "Refinery fire (Ryazan) after [drone] attack", "Economy Daily",
            day(2025, 1, 31, 9), True, "https://example.org/wiki/Fire_(Ryazan)",
        ),
    ),
    created_at=day(2025, 2, 1, 10),
    updated_at=day(2025, 2, 2, 11),
)
SAME_HEADLINE = ExportNote(
    story_id=40,
    headline="Drone swarm strikes refinery near Ryazan",
    body="A different story with the same headline.",
    sources=("Sports Wire",),
    first_published=None,
    last_published=None,
    topics=(),
    versions=(
        ExportVersion("Drone swarm strikes refinery near Ryazan", "Sports Wire", None, False,
                      "javascript:alert(1)"),
    ),
)
TRAVERSAL = ExportNote(
    story_id=7,
    headline="../../etc/passwd",
    body="Must stay inside the folder.",
    sources=("Odd Titles",),
    first_published=None,
    last_published=None,
    topics=(),
    versions=(ExportVersion("../../etc/passwd", "Odd Titles", None, False, None),),
)
HOSTILE = ExportNote(
    story_id=8,
    headline='Zürich: "Talks" #1 — [live] *update*: yes\x07 no',
    body="Front matter must survive `: # \" ' [ ] {}`.",
    sources=('Wire: "A"', "- dash source"),
    first_published=day(2024, 9, 10, 18),
    last_published=day(2024, 9, 10, 18),
    topics=("Crime & Justice", "yes", "null"),
    versions=(
        ExportVersion('Zürich: "Talks" #1 — [live] *update*: yes\x07 no', 'Wire: "A"',
                      day(2024, 9, 10, 18), False, "https://example.org/a b"),
    ),
)
CYRILLIC = ExportNote(
    story_id=9,
    headline="Москва объявила переговоры",
    body="Заметка.",
    sources=("РИА",),
    first_published=day(2025, 3, 1),
    last_published=day(2025, 3, 2),
    topics=(),
    versions=(ExportVersion("Москва объявила переговоры", "РИА", day(2025, 3, 1), False, None),),
)
NOTES = (DRONE, SAME_HEADLINE, TRAVERSAL, HOSTILE, CYRILLIC)


def front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    head, sep, _ = text[4:].partition("\n---\n")
    assert sep, "front matter is not closed"
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


def body_of(text: str) -> str:
    return text[4:].partition("\n---\n")[2]


# --------------------------------------------------------------------------- expected files


def test_files_match_the_expected_export(tmp_path: Path) -> None:
    written = write_notes(NOTES, tmp_path)
    names = [p.name for p in written]
    assert names == [
        "drone-swarm-strikes-refinery-near-ryazan.md",
        "drone-swarm-strikes-refinery-near-ryazan-2.md",
        "etc-passwd.md",
        "zurich-talks-1-live-update-yes-no.md",
        "story-9.md",
    ]
    expected = sorted(p.name for p in (EXPECTED / "files").iterdir())
    assert sorted(names) == expected
    for path in written:
        want = (EXPECTED / "files" / path.name).read_bytes()
        assert path.read_bytes() == want, path.name


def test_single_document_matches_the_expected_export(tmp_path: Path) -> None:
    written = write_notes(NOTES, tmp_path, single="notes.md", exported_at=day(2025, 4, 1, 12))
    assert written == [tmp_path.resolve() / "notes.md"]
    assert written[0].read_bytes() == (EXPECTED / "single.md").read_bytes()


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("note", NOTES, ids=lambda n: str(n.story_id))
def test_front_matter_is_valid_yaml_with_the_story_fields(note: ExportNote) -> None:
    data = front_matter(render_note(note))
    assert data["title"] == note.headline
    assert data["story_id"] == note.story_id
    assert data["sources"] == list(note.sources)
    assert data["topics"] == list(note.topics)
    first = data["first_published"]
    assert first == (note.first_published.date() if note.first_published else None)
    last = data["last_published"]
    assert last == (note.last_published.date() if note.last_published else None)


@pytest.mark.parametrize("note", NOTES, ids=lambda n: str(n.story_id))
def test_body_renders_as_the_note_then_versions(note: ExportNote) -> None:
    text = render_note(note)
    body = body_of(text)
    assert note.body.strip() in body
    assert body.index(note.body.strip()) < body.index("## Versions")
    html = render_markdown(body)
    versions = html.split("<h2>Versions</h2>")[1]
    assert versions.count("<li>") == len(note.versions)
    for version in note.versions:
        if version.url and version.url.startswith("https://"):
            assert f'href="{version.url.replace(" ", "%20")}"' in versions
    # A headline never becomes markup: the H1 shows it as plain text.
    h1 = re.search(r"<h1>(.*?)</h1>", html)
    assert h1 is not None and "<" not in h1.group(1).replace("&lt;", "")


def test_versions_show_source_and_date_and_unsafe_urls_are_not_links() -> None:
    body = body_of(render_note(DRONE))
    assert "— Russian Federation News, 30 Jan 2025" in body
    assert "~31 Jan 2025 (date from the text)" in body
    assert "<https://example.org/wiki/Fire_(Ryazan)>" in body
    same = body_of(render_note(SAME_HEADLINE))
    assert "](javascript" not in same and "undated" in same
    assert 'href="javascript' not in render_markdown(same)


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Drone Swarm Breaches Russian Air Defense", "drone-swarm-breaches-russian-air-defense"),
        ("../../etc/passwd", "etc-passwd"),
        ("..\\..\\Windows\\System32", "windows-system32"),
        ("Café Zürich — naïve façade", "cafe-zurich-naive-facade"),
        ("  ???  ", "note"),
        ("CON", "con-note"),
        ("", "note"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= 80 and slug.endswith("word") and "--" not in slug


@given(st.text(max_size=300))
def test_any_title_gives_a_safe_file_stem(title: str) -> None:
    slug = slugify(title, fallback="story-3")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= 80 + len("-note")


@given(st.text(max_size=200))
def test_yaml_strings_round_trip(value: str) -> None:
    clean = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    quoted = yaml_string(value)
    assert "\n" not in quoted
    assert json.loads(quoted) == clean
    assert yaml.safe_load(f"key: {quoted}") == {"key": clean}


# --------------------------------------------------------------------------- never overwrite


def test_exporting_twice_never_overwrites(tmp_path: Path) -> None:
    first = write_notes(NOTES, tmp_path)
    before = {p: p.read_bytes() for p in first}
    second = write_notes(NOTES, tmp_path)
    assert not set(first) & set(second)
    assert {p.name for p in second} >= {
        "drone-swarm-strikes-refinery-near-ryazan-3.md",
        "drone-swarm-strikes-refinery-near-ryazan-4.md",
        "etc-passwd-2.md",
    }
    assert all(p.read_bytes() == data for p, data in before.items())
    assert len(list(tmp_path.iterdir())) == 2 * len(NOTES)


def test_an_existing_file_or_link_is_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / "etc-passwd.md"
    mine.write_text("the user's own file\n", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    (tmp_path / "story-9.md").symlink_to(outside)
    written = write_notes([TRAVERSAL, CYRILLIC], tmp_path)
    assert [p.name for p in written] == ["etc-passwd-2.md", "story-9-2.md"]
    assert mine.read_text(encoding="utf-8") == "the user's own file\n"
    assert not outside.exists()


def test_every_write_stays_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "vault" / "notes"
    written = write_notes(NOTES, folder)
    root = folder.resolve()
    assert all(p.resolve().parent == root for p in written)
    assert sorted(os.listdir(tmp_path)) == ["vault"]
    assert sorted(os.listdir(tmp_path / "vault")) == ["notes"]


def test_single_must_stay_inside_unless_absolute(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    with pytest.raises(ExportError, match="outside"):
        write_notes(NOTES, folder, single="../escape.md")
    assert not (tmp_path / "escape.md").exists()
    chosen = tmp_path / "elsewhere" / "all notes.md"
    assert write_notes(NOTES, folder, single=chosen) == [chosen.resolve()]
    again = write_notes(NOTES, folder, single=chosen)
    assert again == [chosen.parent.resolve() / "all notes-2.md"]


def test_no_notes_writes_nothing(tmp_path: Path) -> None:
    assert write_notes([], tmp_path / "empty") == []
    assert write_notes([], tmp_path / "empty", single="x.md") == []
    assert list((tmp_path / "empty").iterdir()) == []


def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match=r"cannot create the folder|is not a folder"):
        write_notes(NOTES, blocker / "sub")


# --------------------------------------------------------------------------- from a library


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "lib.db")
    assert library.import_paths([ARTICLES]).added == 4
    try:
        yield library
    finally:
        library.close()


def test_library_export_describes_each_story(lib: Library, tmp_path: Path) -> None:
    stories = {r.headline: r for r in lib.story_page(StoryQuery())}
    drone = stories["Drone swarm strikes refinery near Ryazan"]
    bank = stories["Central bank keeps key rate at 21 percent"]
    lib.save_note(drone.id, "Refinery *note*")
    lib.save_note(bank.id, "Rate note")
    written = lib.export_notes(tmp_path / "out")
    assert {p.name for p in written} == {
        "drone-swarm-strikes-refinery-near-ryazan.md",
        "central-bank-keeps-key-rate-at-21-percent.md",
    }
    for path in written:
        text = path.read_text(encoding="utf-8")
        data = front_matter(text)
        row = drone if data["story_id"] == drone.id else bank
        assert data["title"] == row.headline
        assert data["sources"] == list(row.sources)
        assert data["first_published"] == row.first_published.date()  # type: ignore[union-attr]
        versions = lib.versions(row.id)
        topics = sorted({t for v in versions for t in lib.article(v.article_id).topics})
        assert sorted(data["topics"]) == topics  # type: ignore[arg-type]
        note = lib.note(row.id)
        assert note is not None and note.body in text
        for version in versions:
            article = lib.article(version.article_id)
            assert f"[{article.title}]({article.url})" in text
            assert f"— {article.source}, " in text


def test_library_single_export_holds_every_note(lib: Library, tmp_path: Path) -> None:
    for row in lib.story_page(StoryQuery()):
        lib.save_note(row.id, f"note {row.id}")
    [path] = lib.export_notes(tmp_path, single="all.md")
    text = path.read_text(encoding="utf-8")
    assert front_matter(text)["notes"] == 4
    for row in lib.story_page(StoryQuery()):
        assert f"- Story: {row.id}\n" in text and f"note {row.id}\n" in text


def test_single_document_nests_note_headings_under_the_story() -> None:
    from reader.notes_export import demote_headings, render_single

    assert demote_headings("# a\n## b\n```\n# code\n```\n###### six\n#tag", 2) == (
        "### a\n#### b\n```\n# code\n```\n###### six\n#tag"
    )
    html = render_markdown(body_of(render_single([DRONE])))
    assert "<h3>My reading</h3>" in html and "<h1>My reading</h1>" not in html
    assert html.count("<h1>") == 1  # only the document title
