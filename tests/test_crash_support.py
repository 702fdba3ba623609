"""Shared helpers for the safety tests and ``benchmarks/safety.py`` (no tests in here).

Synthetic listing files: first line ``XX Section Name``, then per article a title line, a
blank line, a body paragraph and a line holding only the tag ``XX``. Every title and body is
unique (a seeded counter is part of them), so an import of N articles stores exactly N rows.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_WORD_TEXT = (
    "minister council river harbour election budget storm bridge court market railway "
    "treaty border summit village festival drought vaccine strike airport refinery school "
    "parliament coalition inquiry verdict pipeline satellite harvest museum protest ferry"
)
WORDS = _WORD_TEXT.split()


def write_listing(path: Path, articles: int, seed: int, tag: str = "ZZ") -> Path:
    """Write a listing dump of ``articles`` unique articles; return the path."""
    rng = random.Random(seed)
    lines = [f"{tag} Section {seed}", ""]
    for index in range(articles):
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        body = " ".join(rng.choice(WORDS) for _ in range(60))
        lines += [
            f"{title} number {seed}-{index}",
            "",
            f"{body.capitalize()} (report {seed}-{index}).",
            tag,
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def cli(*args: str, library: Path, **kwargs: object) -> subprocess.Popen[bytes]:
    """Start ``broadsheet --library LIBRARY ARGS...`` as a real process."""
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "reader", "--library", str(library), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        **kwargs,
    )


def file_states(library: Path, files: dict[Path, int]) -> dict[str, str]:
    """For each imported file: 'complete', 'absent', or a description of a partial state.

    Looks the file up by path in ``files`` and counts its articles by ``file_id``; a file row
    without all its articles (or articles without a file row) is partial.
    """
    conn = sqlite3.connect(f"{library.resolve().as_uri()}?mode=ro", uri=True)
    try:
        states: dict[str, str] = {}
        for path, expected in files.items():
            row = conn.execute(
                "SELECT id, articles FROM files WHERE path = ?", [str(path)]
            ).fetchone()
            if row is None:
                section = conn.execute(
                    "SELECT count(*) FROM articles a JOIN sources s ON s.id = a.source_id"
                    " WHERE s.name = ?",
                    [_section_name(path)],
                ).fetchone()[0]
                states[path.name] = "absent" if section == 0 else f"orphans:{section}"
                continue
            stored = conn.execute(
                "SELECT count(*) FROM articles WHERE file_id = ?", [row[0]]
            ).fetchone()[0]
            ok = stored == expected and row[1] == expected
            states[path.name] = "complete" if ok else f"partial:{stored}/{expected}"
        return states
    finally:
        conn.close()


def _section_name(path: Path) -> str:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    return first.split(" ", 1)[1]


def integrity(library: Path) -> list[str]:
    conn = sqlite3.connect(str(library))
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()


def digest(*paths: Path) -> dict[str, str | None]:
    """sha256 of each path (None when it does not exist)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None
        for p in paths
    }
