"""Text corpora the benchmarks share: the user's seed dumps, read by the real importers."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def seed_articles() -> list[tuple[str, str]]:
    """(title, body) of every article in ../shared/seeds (empty when it is absent)."""
    from reader.importers import open_import

    out: list[tuple[str, str]] = []
    for path in sorted(SEEDS.glob("*.txt")):
        with open_import(path) as parsed:
            out.extend((a.title, a.body) for a in parsed.articles)
    return out
