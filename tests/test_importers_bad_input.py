"""Bad input: every failure is an ImportFailed that names the file and the reason.

Also the property that matters most for the import command: arbitrary bytes either parse
completely or fail with ImportFailed, never with any other exception.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import ImportFailed
from reader.importers import iter_input_files, open_import
from reader.types import ParsedArticle


def consume(path: Path) -> tuple[str, list[ParsedArticle], list[str]]:
    with open_import(path) as parsed:
        articles = list(parsed.articles)
    return parsed.format, articles, list(parsed.warnings)


def failure(path: Path) -> str:
    with pytest.raises(ImportFailed) as caught:
        consume(path)
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    return caught.value.reason


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("news.txt", "RU News\n\nTitle\n\nBody.\nRU\n")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "empty file"),
    "blank lines": (b"\n \n\t\n", "only blank lines"),
    "png": (PNG + bytes(200), "binary file (a PNG image)"),
    "zip": (_zip_bytes(), "binary file (a zip archive)"),
    "gzip": (b"\x1f\x8b\x08\x00" + bytes(50), "binary file (a gzip archive)"),
    "nul bytes": (b"Title\n\nBody\x00with\x00nuls\x00and\x00more\xff\xfe\x01\n", "binary file"),
    "control junk": (
        b"ab\x01\x02\x03\x04\x05\x06\x07\x08cd\x0e\x0f\x10\x11\n" * 20,
        "control characters",
    ),
    "no letters": (b"1 2 3\n4, 5, 6\n--- +++\n", "text in no known format: holds no words"),
    "single line": (
        b"Just one line of text\n",
        "text in no known format: a single line with no body",
    ),
    "digits and symbols": (
        b"a 1 2 3 4 5 6 7 8 9 0 % $ # @ ! 12 34 56\nb 9 8 7 6 5 4 3 2 1 0 ~ ^ & * 78 90\n",
        "not prose",
    ),
    "base64": (
        b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5eg==\n" * 9,
        "encoded data, not prose",
    ),
    "json array": (b'[{"title": "a", "body": "b"}]\n', "a JSON document, not JSON Lines"),
    "broken utf-8": (
        "Заголовок статьи\n\nТекст ".encode() + b"\xff\xfe" + "статьи.\n".encode(),
        "undecodable bytes at byte offset 44 (invalid UTF-8)",
    ),
    "truncated jsonl": (
        b'{"title": "a", "body": "b"}\n{"title": "c", "bo',
        "line 2 is not valid JSON",
    ),
    "truncated utf-8 char": (
        "Title\n\nBody ending in Ж".encode()[:-1],
        "ends inside a UTF-8 character",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_fails_with_reason(tmp_path: Path, name: str) -> None:
    data, reason = BAD_FILES[name]
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    assert reason in failure(path)


def test_missing_path(tmp_path: Path) -> None:
    assert failure(tmp_path / "missing.txt") == "no such file or folder"
    (item,) = iter_input_files([tmp_path / "missing.txt"])
    assert isinstance(item, ImportFailed) and item.reason == "no such file or folder"


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    assert failure(tmp_path) == "is a folder, not a file"


def test_empty_folder(tmp_path: Path) -> None:
    (item,) = iter_input_files([tmp_path])
    assert isinstance(item, ImportFailed)
    assert item.reason == "folder holds no files"
    assert item.path == str(tmp_path)


def test_undecodable_bytes_late_in_the_file_name_their_offset(
    tmp_path: Path, seeds: tuple[Path, Path]
) -> None:
    """Bad bytes after the detection sample fail while streaming, naming the offset."""
    good = seeds[0].read_bytes()
    path = tmp_path / "late.txt"
    path.write_bytes(good + b"Title\n\nBroken \xc3\x28 byte.\nRU\n")
    with pytest.raises(ImportFailed) as caught, open_import(path) as parsed:
        assert parsed.format == "listing"
        list(parsed.articles)
    assert caught.value.reason.startswith(f"undecodable bytes at byte offset {len(good) + 14}")


def test_binary_data_late_in_the_file(tmp_path: Path, seeds: tuple[Path, Path]) -> None:
    good = seeds[0].read_bytes()
    path = tmp_path / "late-binary.txt"
    path.write_bytes(good + PNG + bytes(100))
    with pytest.raises(ImportFailed) as caught, open_import(path) as parsed:
        list(parsed.articles)
    # The PNG signature's first byte is already invalid UTF-8.
    assert caught.value.reason.startswith(f"undecodable bytes at byte offset {len(good)}")
    path.write_bytes(good + b"Title\n\n" + bytes(100) + b"\nRU\n")
    with pytest.raises(ImportFailed) as caught, open_import(path) as parsed:
        list(parsed.articles)
    # The real offset of the first NUL, not the start of the chunk it was decoded in.
    assert caught.value.reason == f"binary data (a NUL byte) at byte offset {len(good) + 7}"


def test_truncated_listing_keeps_complete_articles_and_warns(
    tmp_path: Path, seeds: tuple[Path, Path]
) -> None:
    text = seeds[0].read_text(encoding="utf-8")
    full = consume(seeds[0])[1]
    # Cut in the middle of the 11th article's body: it is dropped.
    cut_at = text.index(full[10].body) + 40
    path = tmp_path / "cut.txt"
    path.write_text(text[:cut_at], encoding="utf-8")
    kind, articles, warnings = consume(path)
    assert kind == "listing"
    assert [a.title for a in articles] == [a.title for a in full[:10]]
    assert len(warnings) == 1 and "truncated" in warnings[0] and "dropped" in warnings[0]
    # Only the closing tag is missing: the last article is complete, so it is kept.
    end = text.index(full[10].body) + len(full[10].body)
    path.write_text(text[:end] + "\n", encoding="utf-8")
    kind, articles, warnings = consume(path)
    assert [a.title for a in articles] == [a.title for a in full[:11]]
    assert articles[-1].body == full[10].body
    assert len(warnings) == 1 and "kept it" in warnings[0]


def test_truncated_forum_keeps_complete_posts_and_warns(
    tmp_path: Path, seeds: tuple[Path, Path]
) -> None:
    text = seeds[1].read_text(encoding="utf-8")
    full = consume(seeds[1])[1]
    cut_at = text.index(full[5].body[:200]) + 150
    path = tmp_path / "cut-forum.txt"
    path.write_text(text[:cut_at], encoding="utf-8")
    kind, posts, warnings = consume(path)
    assert kind == "forum"
    assert [p.body for p in posts] == [p.body for p in full[:5]]
    assert len(warnings) == 1 and "truncated" in warnings[0]


def test_listing_article_without_body_is_skipped_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "gap.txt"
    path.write_text(
        "AB Section\n\nOne\n\nBody one.\nAB\n\nOrphan title\nAB\n\nTwo\n\nBody two.\nAB\n"
        "\nThree\n\nBody three.\nAB\n\nFour\n\nBody four.\nAB\n",
        encoding="utf-8",
    )
    kind, articles, warnings = consume(path)
    assert kind == "listing"
    assert [a.title for a in articles] == ["One", "Two", "Three", "Four"]
    assert warnings == ["article “Orphan title” has no body; skipped it"]


def test_text_that_only_resembles_a_listing_is_not_parsed_as_one(tmp_path: Path) -> None:
    """A first line like a header is not enough: the closed articles must have the shape."""
    path = tmp_path / "note.txt"
    path.write_text(
        "OK Let me tell you about my day\n\nIt was fine. I went out.\nOK\n\nThen\nOK\nOK\nOK\n",
        encoding="utf-8",
    )
    kind, articles, _ = consume(path)
    assert kind == "text"
    assert articles[0].title == "OK Let me tell you about my day"


def test_any_short_tag_works(tmp_path: Path) -> None:
    path = tmp_path / "tagged.txt"
    path.write_text("X1 Tech News\n\nChips\n\nNew chips shipped.\nX1\n", encoding="utf-8")
    kind, articles, _ = consume(path)
    assert kind == "listing"
    assert [(a.title, a.body) for a in articles] == [("Chips", "New chips shipped.")]


def test_huge_single_line_is_refused(tmp_path: Path) -> None:
    from reader.importers import decode

    path = tmp_path / "one-line.txt"
    path.write_bytes(b"word " * (decode.MAX_LINE_CHARS // 5 + 10))
    assert "text in no known format" in failure(path) or "longer than" in failure(path)


def test_big_text_in_no_known_format_is_refused(tmp_path: Path) -> None:
    from reader.importers import single

    path = tmp_path / "big.txt"
    line = "Plain prose that is in no known news dump format, repeated many times over.\n"
    path.write_text("Title\n\n" + line * (single.MAX_CHARS // len(line) + 2), encoding="utf-8")
    assert "too big for one article" in failure(path)


# --------------------------------------------------------------------------- property


def _check_never_crashes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.bin"
    path.write_bytes(data)
    try:
        with open_import(path) as parsed:
            assert parsed.format in {"listing", "forum", "jsonl", "text"}
            for article in parsed.articles:
                assert isinstance(article, ParsedArticle)
                assert article.title
    except ImportFailed as exc:
        assert exc.reason
        assert exc.path == str(path)


#: Fragments of every format, so the fuzzer reaches the parsers and not only the decoder.
FRAGMENTS = [
    b"RU Russian News\n",
    b"RU\n",
    b"\n",
    b"\r\n",
    b"\r",
    b"Title line\n",
    b"Body text.\n",
    b"\xc2\xa0\n.\n",
    b"1733823254611.png\n",
    b"View attachment 12\n",
    b"  1. Item\n",
    b"    \xe2\x80\xa2 bullet\n",
    b"What's new\n",
    b"Back\nTop Bottom\n",
    b'{"title": "t", "body": "b"}\n',
    b'{"title": 1}\n',
    b"[",
    b"{",
    b"# Heading\n",
    b"January 30, 2025 ",
    b"2025-01-30 ",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00",
    b"\xff",
    b"\xd0\x9f\xd1\x83",
    b"\xcf\xf3\xf2\xe8\xed",
]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_parse_or_fail_cleanly(tmp_path: Path, data: bytes) -> None:
    _check_never_crashes(tmp_path, data)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=8), max_size=40))
def test_format_shaped_bytes_parse_or_fail_cleanly(tmp_path: Path, parts: list[bytes]) -> None:
    _check_never_crashes(tmp_path, b"".join(parts))


def test_text_starting_like_a_short_binary_signature_is_still_text(tmp_path: Path) -> None:
    path = tmp_path / "mz.txt"
    path.write_text("MZ Mazda News\n\nNew model\n\nA new model was shown.\nMZ\n", encoding="utf-8")
    kind, articles, _ = consume(path)
    assert (kind, [a.title for a in articles]) == ("listing", ["New model"])
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64))
    assert failure(path) == "binary file (a Windows program), not text"
