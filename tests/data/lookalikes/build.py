"""Build the look-alike corpus files from ``corpus.txt``.

The articles are authored in ``corpus.txt`` by event key, which keeps them readable and makes
the labels impossible to get wrong by hand: the line numbers of ``articles.jsonl`` and the
indices in ``labels.json`` are both derived here. Articles are written out in publication
order (as a real dump would be), so the events interleave and the file order says nothing
about which articles belong together.

    .venv/bin/python tests/data/lookalikes/build.py          # rewrite articles.jsonl, labels.json
    .venv/bin/python tests/data/lookalikes/build.py --check  # exit 1 if they are out of date
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.txt"
ARTICLES = HERE / "articles.jsonl"
LABELS = HERE / "labels.json"


@dataclass(frozen=True)
class Article:
    event: str
    source: str
    published: datetime
    title: str
    body: str


@dataclass(frozen=True)
class Corpus:
    events: dict[str, str]  # key -> description, in declaration order
    different: list[list[str]]  # sets of event keys that are related but different
    articles: list[Article]  # in publication order


def parse(text: str) -> Corpus:
    events: dict[str, str] = {}
    different: list[list[str]] = []
    raw: list[tuple[str, str, datetime, list[str]]] = []
    current: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            continue
        if line.startswith("--- "):
            key, source, when = (part.strip() for part in line[4:].split("|"))
            if key not in events:
                raise ValueError(f"line {lineno}: undeclared event {key!r}")
            current = []
            raw.append((key, source, datetime.fromisoformat(when).astimezone(UTC), current))
        elif current is not None:
            current.append(line)
        elif line.startswith("event "):
            key, _, description = line[6:].partition(":")
            events[key.strip()] = description.strip()
        elif line.startswith("different "):
            keys = line.split()[1:]
            unknown = [k for k in keys if k not in events]
            if unknown or len(keys) < 2:
                raise ValueError(f"line {lineno}: bad 'different' line {line!r}")
            different.append(keys)
        elif line.strip():
            raise ValueError(f"line {lineno}: unexpected text {line!r}")
    articles = []
    for key, source, published, lines in raw:
        while lines and not lines[-1].strip():
            lines.pop()
        title, body = lines[0].strip(), "\n".join(lines[1:]).strip()
        articles.append(Article(key, source, published, title, body))
    articles.sort(key=lambda a: a.published)  # stable: ties keep authoring order
    return Corpus(events, different, articles)


def render(corpus: Corpus) -> tuple[str, str]:
    """The text of articles.jsonl and of labels.json."""
    lines = [
        json.dumps(
            {
                "title": a.title,
                "body": a.body,
                "source": a.source,
                "published": a.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
            ensure_ascii=False,
        )
        for a in corpus.articles
    ]
    members: dict[str, list[int]] = {key: [] for key in corpus.events}
    for index, article in enumerate(corpus.articles):
        members[article.event].append(index)
    different: set[tuple[int, int]] = set()
    for keys in corpus.different:
        for a, b in combinations(keys, 2):
            different.update((min(i, j), max(i, j)) for i in members[a] for j in members[b])
    labels = {
        "unit": "0-based line index in articles.jsonl",
        "events": [
            {"key": key, "event": corpus.events[key], "articles": members[key]}
            for key in corpus.events
            if members[key]
        ],
        "groups": [members[key] for key in corpus.events if members[key]],
        "different": sorted([i, j] for i, j in different),
    }
    return "\n".join(lines) + "\n", json.dumps(labels, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    corpus = parse(CORPUS.read_text(encoding="utf-8"))
    articles, labels = render(corpus)
    if "--check" in argv:
        stale = [
            p.name
            for p, text in ((ARTICLES, articles), (LABELS, labels))
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        if stale:
            print("out of date:", ", ".join(stale), "- run tests/data/lookalikes/build.py")
            return 1
        return 0
    ARTICLES.write_text(articles, encoding="utf-8")
    LABELS.write_text(labels, encoding="utf-8")
    words = [len(a.body.split()) + len(a.title.split()) for a in corpus.articles]
    sizes = [len(v) for v in json.loads(labels)["groups"]]
    print(
        f"{len(corpus.articles)} articles, {len(corpus.events)} events "
        f"({sum(s > 1 for s in sizes)} with rewrites), "
        f"{len(json.loads(labels)['different'])} different pairs, "
        f"words {min(words)}-{max(words)}"
    )
    for a, n in zip(corpus.articles, words, strict=True):
        if not 80 <= n <= 250:
            print(f"  {n:4} words: [{a.event}] {a.title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
