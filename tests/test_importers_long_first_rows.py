"""Files whose first row or article is longer than the 64 KB format sample, and binary data
reported where it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import reader.importers as importers
from reader.errors import ImportFailed
from reader.importers import open_import

LONG = "The harbour board met again and talked about the dredging of the channel. " * 2000


def read(path: Path) -> tuple[str, str, list[str]]:
    with open_import(path) as parsed:
        titles = [a.title for a in parsed.articles]
        return parsed.format, parsed.source, titles


def test_json_lines_whose_first_row_is_over_64_kb_import(tmp_path: Path, library: Any) -> None:
    path = tmp_path / "export.jsonl"
    rows = [{"title": "Long one", "body": LONG}, {"title": "Short one", "body": "Brief."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert path.stat().st_size > 128 * 1024
    assert read(path) == ("jsonl", "export", ["Long one", "Short one"])
    assert library.import_paths([path]).added == 2


def test_a_listing_whose_first_article_is_over_64_kb_is_a_listing(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_text(f"RU Russian Federation News\n\nDredging debate\n\n{LONG}\nRU\n\n"
                    "Ferry returns\n\nThe ferry is back.\nRU\n", encoding="utf-8")
    assert read(path) == ("listing", "Russian Federation News",
                          ["Dredging debate", "Ferry returns"])


def test_a_text_whose_body_line_is_over_64_kb_is_one_article(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(f"Dredging debate\n\n{LONG}\n", encoding="utf-8")
    assert read(path) == ("text", "article", ["Dredging debate"])


def test_past_the_longest_sample_the_real_reason_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_SAMPLE_BYTES", 256 * 1024)
    path = tmp_path / "dump.txt"
    path.write_text(f"RU Russian Federation News\n\nDredging debate\n\n{LONG * 3}\n",
                    encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        read(path)
    assert caught.value.reason == (
        "text in no known format: the first article of what looks like a listing "
        "(no closing 'RU' line) runs past the first 256 KB"
    )
    path.write_text(LONG * 3, encoding="utf-8")  # one line, no JSON
    with pytest.raises(ImportFailed, match="its first line runs past the first 256 KB"):
        read(path)


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le"])
def test_a_nul_byte_is_reported_at_its_offset(tmp_path: Path, codec: str) -> None:
    text = "Title\n\n" + "A line of an ordinary article.\n" * 4000
    data = text.encode(codec)
    at = 90_008 if codec == "utf-8" else 90_010  # a whole UTF-16 unit
    path = tmp_path / "late-nul.txt"
    path.write_bytes(data[:at] + "\x00".encode(codec) + data[at:])
    with pytest.raises(ImportFailed) as caught:
        read(path)
    assert caught.value.reason == f"binary data (a NUL byte) at byte offset {at}"


def test_utf32_text_without_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf32.txt"
    path.write_bytes("Заголовок статьи\n\nТекст статьи о событиях.\n".encode("utf-32-be"))
    assert read(path) == ("text", "utf32", ["Заголовок статьи"])
