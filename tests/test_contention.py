"""A note saved while another program writes waits and is stored (issue 17, item 5).

The cause of the lost notes: a transaction that reads before it writes, begun DEFERRED, gets
SQLITE_BUSY at once when another connection holds the write lock, and the busy handler never
runs. Every write transaction now begins IMMEDIATE. Here another connection holds the write
lock (as an import's per-file transaction does) while notes are saved, in this process and
from a real ``broadsheet note set``.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers.damage import REPO, broadsheet
from test_crash_support import write_listing

from reader.errors import LibraryError
from reader.library import Library


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "library.broadsheet.db"
    with Library.open(path) as lib:
        lib.import_paths([write_listing(tmp_path / "a.txt", 12, seed=2)])
    return path


@contextmanager
def writer_holding_lock(path: Path, seconds: float) -> Iterator[threading.Event]:
    """Another connection takes the write lock, writes, and commits after ``seconds``."""
    taken = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('holder', 'x')")
        taken.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    try:
        yield taken
    finally:
        thread.join()


def _story(path: Path) -> int:
    with Library.open(path) as lib:
        return int(lib.db.conn.execute("SELECT min(id) FROM stories").fetchone()[0])


def test_note_save_waits_for_another_writer_and_is_stored(library: Path) -> None:
    story = _story(library)
    with Library.open(library) as lib:
        lib.note(story)  # a read first: the old deferred transaction failed right here
        with writer_holding_lock(library, 1.5):
            started = time.monotonic()
            lib.save_note(story, "saved while another program wrote")
            waited = time.monotonic() - started
        assert waited >= 1.0
        note = lib.note(story)
        assert note is not None and note.body == "saved while another program wrote"


def test_save_keeps_trying_past_the_busy_timeout_when_asked_to_wait(library: Path) -> None:
    story = _story(library)
    with Library.open(library) as lib:
        lib.db.execute("PRAGMA busy_timeout = 200")  # a short timeout stands for 15 s
        with writer_holding_lock(library, 1.5), pytest.raises(LibraryError, match="busy"):
            lib.save_note(story, "not waiting")
        said: list[str] = []
        with writer_holding_lock(library, 1.5):
            lib.save_note(story, "waited", wait=30, waiting=lambda: said.append("waiting"))
        assert said == ["waiting"]
        note = lib.note(story)
        assert note is not None and note.body == "waited"


def test_note_set_from_the_command_line_waits_for_an_import(library: Path) -> None:
    story = _story(library)
    with writer_holding_lock(library, 3.0):
        done = subprocess.run(
            broadsheet("--library", str(library), "note", "set", str(story), "from the CLI"),
            cwd=REPO, capture_output=True, text=True, timeout=120,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
    assert done.returncode == 0, done.stderr
    with Library.open(library) as lib:
        note = lib.note(story)
    assert note is not None and note.body == "from the CLI"


def test_every_write_verb_begins_immediate(library: Path) -> None:
    """One place (``atomic``) starts write transactions; check that the verbs go through it
    and that no plain (deferred) BEGIN is ever issued."""
    with Library.open(library) as lib:
        statements: list[str] = []
        lib.db.conn.set_trace_callback(statements.append)
        ids = [int(r[0]) for r in lib.db.conn.execute("SELECT id FROM articles LIMIT 3")]
        story = _story(library)
        lib.save_note(story, "text")
        lib.mark_read(ids)
        lib.set_starred(ids)
        lib.add_topic("Harbours", "harbour")
        lib.split_article(ids[0])  # so there are two stories to merge, however grouped
        lib.merge_stories(*[int(r[0]) for r in lib.db.conn.execute(
            "SELECT id FROM stories ORDER BY id LIMIT 2")])
        lib.import_paths([write_listing(library.parent / "b.txt", 3, seed=3)])
        lib.db.conn.set_trace_callback(None)
    begins = [s.strip().upper() for s in statements if s.strip().upper().startswith("BEGIN")]
    assert begins and all(b.startswith("BEGIN IMMEDIATE") for b in begins), begins
