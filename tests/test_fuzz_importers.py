"""Fuzzing every importer: the only exception allowed out is ``ImportFailed``.

Format-aware strategies build near-valid listing, forum, JSON Lines and plain-text files
(then damage them a little), plus raw bytes. ~100 examples per format run always; the
opt-in long run (``pytest -m slow tests/test_fuzz_importers.py``) tries 10,000 per format.
``Library.import_paths`` is fuzzed end to end on a few dozen examples: it must never raise.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import ImportFailed
from reader.importers import open_import
from reader.library import Library

text_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60
).map(lambda s: s.replace("\n", " "))
tag = st.sampled_from(["RU", "UA", "US", "XX", "ZZ", "", "R", "ru"])


@st.composite
def listing_file(draw: st.DrawFn) -> bytes:
    t = draw(tag)
    lines = [f"{t} {draw(text_line)}", ""]
    for _ in range(draw(st.integers(0, 6))):
        lines += [draw(text_line), "", draw(text_line), draw(st.sampled_from([t, t, "", "XX"]))]
        if draw(st.booleans()):
            lines.append("")
    return _damage(draw, "\n".join(lines).encode(draw(_encodings), "replace"))


@st.composite
def forum_file(draw: st.DrawFn) -> bytes:
    lines = [draw(st.sampled_from(["What's new", "Forums", ""])), "", draw(text_line), ""]
    for _ in range(draw(st.integers(0, 6))):
        lines += [draw(text_line), ""]
        if draw(st.booleans()):
            lines += ["Key Developments:", "", f"  1. {draw(text_line)}", f"  2. {draw(text_line)}"]
        lines += [draw(st.sampled_from(["Click to expand...", "Reply", "", "#1"]))]
    return _damage(draw, "\n".join(lines).encode(draw(_encodings), "replace"))


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text_line,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text_line, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def jsonl_file(draw: st.DrawFn) -> bytes:
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row: dict[str, object] = {}
        for key in ("title", "body", "published", "url", "source", "author", "id", "read"):
            if draw(st.booleans()):
                row[key] = draw(
                    st.one_of(
                        text_line,
                        json_value,
                        st.sampled_from(["2025-01-30T10:00:00Z", "yesterday", "1738230000"]),
                    )
                )
        rows.append(json.dumps(row, allow_nan=True))
        if draw(st.integers(0, 9)) == 0:
            rows.append(draw(st.sampled_from(["{", "[]", "null", "{\"title\": 1", ""])))
    return _damage(draw, "\n".join(rows).encode("utf-8"))


@st.composite
def text_file(draw: st.DrawFn) -> bytes:
    paras = draw(st.lists(text_line, max_size=6))
    return _damage(draw, "\n\n".join(paras).encode(draw(_encodings), "replace"))


_encodings = st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1251", "latin-1", "utf-8-sig"])


def _damage(draw: st.DrawFn, data: bytes) -> bytes:
    """Sometimes truncate, splice in bytes, or add NULs/CRs: near-valid, not valid."""
    choice = draw(st.integers(0, 5))
    if choice == 0 and data:
        return data[: draw(st.integers(0, len(data)))]
    if choice == 1:
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(max_size=16)) + data[at:]
    if choice == 2:
        return data.replace(b"\n", b"\r\n")
    if choice == 3:
        return data + b"\x00" * draw(st.integers(0, 3))
    return data


FORMATS: dict[str, st.SearchStrategy[bytes]] = {
    "listing": listing_file(),
    "forum": forum_file(),
    "jsonl": jsonl_file(),
    "text": text_file(),
    "bytes": st.binary(max_size=2000),
}


def parse_all(data: bytes, folder: Path) -> int:
    """Import ``data`` as a file through ``open_import``; only ImportFailed may escape."""
    path = folder / "input.txt"
    path.write_bytes(data)
    try:
        with open_import(path) as parsed:
            return sum(1 for _ in parsed.articles)
    except ImportFailed as exc:
        assert exc.reason
        return -1


def _run(strategy: st.SearchStrategy[bytes], examples: int) -> Callable[[], None]:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(data: bytes) -> None:
        parse_all(data, folder)

    return run


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_importers_only_raise_import_failed(fmt: str) -> None:
    _run(FORMATS[fmt], 100)()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_importers_long_fuzz(fmt: str, request: pytest.FixtureRequest) -> None:
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long fuzz run: opt in with -m slow")
    _run(FORMATS[fmt], 10_000)()


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(*FORMATS.values()), min_size=1, max_size=3))
def test_import_paths_never_raises(files: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        for index, data in enumerate(files):
            path = folder / f"in{index}.txt"
            path.write_bytes(data)
            paths.append(path)
        with Library.open(folder / "library.broadsheet.db") as lib:
            report = lib.import_paths(paths)
            assert len(report.files) == len(paths)
            for outcome in report.files:
                assert outcome.error is None or outcome.error.strip()
            assert lib.check(full=False).ok
