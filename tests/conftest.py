"""Shared fixtures. Helpers add their own fixtures at the end of this file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never try to open a real display in tests (set before any Qt import).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
LISTING_SEED = SEEDS / "000_61b62ddfcad736cf.txt"
FORUM_SEED = SEEDS / "001_1aa372daa38d7193.txt"


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests away from the real per-user library and settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture
def seeds() -> tuple[Path, Path]:
    """The user's two sample dumps; tests using them skip when ../shared is absent."""
    if not (LISTING_SEED.exists() and FORUM_SEED.exists()):
        pytest.skip("the seed files in ../shared/seeds are not present in this checkout")
    return LISTING_SEED, FORUM_SEED


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


@pytest.fixture
def library(library_path: Path) -> Iterator[object]:
    """An open, empty library in a temporary folder."""
    from reader.library import Library

    lib = Library.open(library_path)
    try:
        yield lib
    finally:
        lib.close()


@pytest.fixture
def feed_server() -> Iterator[object]:
    """A local HTTP server on 127.0.0.1 for feed tests (``tests/helpers/feed_server.py``)."""
    from helpers.feed_server import FeedServer

    with FeedServer() as server:
        yield server
