"""Helpers for the damage, read-only and orphan-process tests and ``benchmarks/safety.py``.

Everything here judges the library from outside: pages are found by searching the file's
bytes (not with Broadsheet's own page reader), processes through ``/proc``, and read-only
access by really dropping the right to write (root ignores file modes, so a root run drops
the capabilities that let it).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def checkpoint(path: Path) -> int:
    """Fold the WAL into the file; return the page size."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()


def page_count(path: Path, page_size: int = 4096) -> int:
    return path.stat().st_size // page_size


def overwrite_pages(path: Path, pages: list[int], seed: int, page_size: int = 4096) -> None:
    """Overwrite whole pages (1-based) with random bytes, as a failing disk or a stray
    write would."""
    rng = random.Random(seed)
    with path.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * page_size)
            handle.write(rng.randbytes(page_size))


def pages_holding(path: Path, needles: dict[str, bytes], page_size: int = 4096) -> dict[str, int]:
    """For each needle, the page its bytes start on (missing when not found): where a row
    is stored, judged by searching the raw file."""
    data = path.read_bytes()
    found: dict[str, int] = {}
    for key, needle in needles.items():
        offset = data.find(needle)
        if offset >= 0:
            found[key] = offset // page_size + 1
    return found


def read_only_command(*args: str) -> list[str]:
    """``args`` run so that they cannot write files the process does not own by mode bits.

    Root ignores file modes, so as root the command runs without the capabilities that let it
    (``setpriv``); as anyone else, file modes apply anyway.
    """
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            raise RuntimeError("setpriv is needed to drop root's override of file modes")
        return [
            setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner",
            "--inh-caps=-all", *args,
        ]
    return list(args)


def broadsheet(*args: str) -> list[str]:
    return [sys.executable, "-m", "reader", *args]


# --------------------------------------------------------------------------- processes


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` now (Linux ``/proc``)."""
    table: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            parent = _parent_of(int(name))
            if parent is not None:
                table.setdefault(parent, []).append(int(name))
    found: list[int] = []
    todo = [pid]
    while todo:
        kids = table.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def alive(pid: int) -> bool:
    """Running (a zombie counts as gone: it has ended and only waits to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""
