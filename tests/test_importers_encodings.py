"""Encodings and line endings: the seeds re-encoded must give the same articles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.importers import open_import
from reader.types import ParsedArticle

#: Characters of the seeds that legacy code pages may not hold, mapped to plain ASCII.
ASCII_MAP = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "—": "-",
        "–": "-",
        "•": "*",
        "…": "...",
        "\u00a0": " ",
    }
)


def parse(path: Path) -> tuple[str, str, str, list[ParsedArticle]]:
    with open_import(path) as parsed:
        articles = list(parsed.articles)
    return parsed.format, parsed.source, parsed.encoding, articles


Encoder = Callable[[str], bytes]

ENCODINGS: dict[str, tuple[Encoder, str]] = {
    "utf-16-bom": (lambda t: t.encode("utf-16"), "utf-16 (BOM)"),
    "utf-16-be-bom": (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16 (BOM)"),
    "utf-8-bom": (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
    "utf-32-bom": (lambda t: t.encode("utf-32"), "utf-32 (BOM)"),
    "cp1251": (lambda t: t.encode("cp1251", errors="replace"), "cp1252"),
    "cp1252": (lambda t: t.encode("cp1252", errors="replace"), "cp1252"),
    "crlf": (lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    "cr": (lambda t: t.replace("\n", "\r").encode("utf-8"), "utf-8"),
    "utf-16-crlf": (lambda t: t.replace("\n", "\r\n").encode("utf-16"), "utf-16 (BOM)"),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
@pytest.mark.parametrize("which", [0, 1], ids=["listing", "forum"])
def test_reencoded_seeds_give_the_same_titles(
    tmp_path: Path, seeds: tuple[Path, Path], name: str, which: int
) -> None:
    seed = seeds[which]
    original = parse(seed)
    encode, reported = ENCODINGS[name]
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / f"seed-{name}.txt"
    path.write_bytes(encode(text))
    kind, source, encoding, articles = parse(path)
    assert (kind, source) == original[:2]
    assert encoding == reported
    assert [a.title for a in articles] == [a.title for a in original[3]]
    assert [a.body for a in articles] == [a.body for a in original[3]]
    assert [a.published for a in articles] == [a.published for a in original[3]]


@pytest.mark.parametrize("codec", ["cp1251", "cp1252", "latin-1"])
def test_seed_mapped_to_ascii_then_legacy(
    tmp_path: Path, seeds: tuple[Path, Path], codec: str
) -> None:
    """Plain-ASCII versions of the seeds read the same in any single-byte code page."""
    for seed in seeds:
        text = seed.read_text(encoding="utf-8").translate(ASCII_MAP)
        path = tmp_path / f"{seed.stem}-{codec}.txt"
        path.write_bytes(text.encode(codec))
        plain = tmp_path / f"{seed.stem}-utf8.txt"
        plain.write_text(text, encoding="utf-8")
        assert [a.title for a in parse(path)[3]] == [a.title for a in parse(plain)[3]]


CYRILLIC_LISTING = (
    "RU Новости России\n\n"
    "Путин провёл переговоры с Си Цзиньпином\n\n"
    "Президент России Владимир Путин 30 января 2025 года провёл переговоры с председателем "
    "КНР. Стороны обсудили «вопросы торговли» и энергетики.\n"
    "RU\n\n"
    "Центробанк сохранил ключевую ставку\n\n"
    "Банк России сохранил ключевую ставку на уровне 21%. Решение совпало с ожиданиями "
    "аналитиков, опрошенных агентством.\n"
    "RU\n"
)


def test_genuine_cyrillic_cp1251(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(CYRILLIC_LISTING.encode("cp1251"))
    kind, source, encoding, articles = parse(path)
    assert (kind, source, encoding) == ("listing", "Новости России", "cp1251")
    assert [a.title for a in articles] == [
        "Путин провёл переговоры с Си Цзиньпином",
        "Центробанк сохранил ключевую ставку",
    ]
    assert "«вопросы торговли»" in articles[0].body


def test_genuine_cyrillic_cp1251_text_article(tmp_path: Path) -> None:
    body = CYRILLIC_LISTING.split("\n\n", 2)[2].replace("RU\n", "")
    path = tmp_path / "note.txt"
    path.write_bytes(f"Заметка о переговорах\n\n{body}".encode("cp1251"))
    kind, source, encoding, articles = parse(path)
    assert (kind, source, encoding) == ("text", "note", "cp1251")
    assert articles[0].title == "Заметка о переговорах"


def test_cyrillic_utf16_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "ru16.txt"
    path.write_bytes(CYRILLIC_LISTING.encode("utf-16-le"))
    kind, _, encoding, articles = parse(path)
    assert (kind, encoding, len(articles)) == ("listing", "utf-16-le", 2)


def test_short_utf16_without_bom_is_text_but_short_garbage_is_binary(tmp_path: Path) -> None:
    from reader.errors import ImportFailed

    short = tmp_path / "short16.txt"
    short.write_bytes("Короткая заметка\n\nТекст.\n".encode("utf-16-be"))
    assert parse(short)[2] == "utf-16-be"
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\x01\x02garbage\xff\xfe binary")
    with pytest.raises(ImportFailed, match="binary"):
        parse(garbage)


def test_text_is_normalised_to_nfc(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 owners protest\n\nThe cafe\u0301 owners of the old town protested.\n"
    path = tmp_path / "nfc.txt"
    path.write_text(decomposed, encoding="utf-8")
    (article,) = parse(path)[3]
    assert article.title == "Café owners protest"
    assert "café" in article.body


def test_crlf_split_across_decode_chunks(tmp_path: Path) -> None:
    """A CRLF whose halves land in different read chunks still ends just one line."""
    from reader.importers import decode

    text = "RU Section\r\n\r\n" + "".join(
        f"Title {i}\r\n\r\n{'Body words ' * (i % 7 + 1)}end.\r\nRU\r\n\r\n" for i in range(300)
    )
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))
    with path.open("rb") as handle:
        detected = decode.detect(path, handle)
        for chunk in (7, 64, 1001):
            lines = list(decode.iter_lines(path, handle, detected, chunk_bytes=chunk))
            assert lines == text.replace("\r\n", "\n").split("\n")[:-1]


def test_multibyte_characters_split_across_chunks(tmp_path: Path) -> None:
    from reader.importers import decode

    text = "Заголовок «новости»\n\n" + "Текст статьи — с длинными словами. " * 200 + "\n"
    for encoding in ("utf-8", "utf-16"):
        path = tmp_path / f"mb-{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        with path.open("rb") as handle:
            detected = decode.detect(path, handle)
            lines = list(decode.iter_lines(path, handle, detected, chunk_bytes=13))
        assert "\n".join(lines) + "\n" == text
