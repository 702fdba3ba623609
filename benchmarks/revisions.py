"""Another git revision's ``reader`` package, for benchmarks that compare before and after."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def extract_revision(rev: str, into: Path) -> Path:
    """``reader/`` and ``resources/`` of ``rev`` unpacked into ``into`` (``git archive``)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "reader", "resources"],
        check=True, capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into
