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


def write_random_listing(path: Path, n: int, seed: int = 5, tag: str = "RW") -> Path:
    """``n`` articles of random words drawn from the seeds' vocabulary, as a listing dump.

    The hardest case for grouping's cost: no article shares a name or a rare phrase with
    another more than by chance, so every word is mid-frequency and every article has a
    long tail of weak neighbours (what made imports slow in issue 13). Falls back to the
    bundled sample's vocabulary when ../shared is absent.
    """
    import random

    texts = seed_articles()
    if not texts:
        sample = ROOT / "resources" / "sample"
        texts = [("", p.read_text(encoding="utf-8")) for p in sorted(sample.iterdir())]
    vocabulary = [w for title, body in texts for w in f"{title} {body}".split() if w.isalpha()]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{tag} Random Words\n\n")
        for _ in range(n):
            title = " ".join(rng.choices(vocabulary, k=rng.randint(6, 12))).capitalize()
            body = " ".join(rng.choices(vocabulary, k=rng.randint(60, 200)))
            out.write(f"{title}\n\n{body.capitalize()}.\n{tag}\n\n")
    return path
