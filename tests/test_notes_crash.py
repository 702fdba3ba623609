"""Never lose a note: kill -9 a real process mid-typing and reopen the library.

The driver (``tests/helpers/note_typer.py``) runs the GUI path: an offscreen QApplication, the
real NoteEditor with its autosave timers, and ``Library.save_note`` in the save slot. It prints
when each character was typed. The test sends SIGKILL part-way through, reopens the library
and checks that it passes ``PRAGMA integrity_check`` and that the stored note is the typed text
minus at most the last second of typing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.library import Library
from reader.types import StoryQuery

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "helpers" / "note_typer.py"
ARTICLES = HERE / "data" / "notes" / "articles.jsonl"

#: The promise: only the last second of typing may be missing. A little slack covers the time
#: between the driver printing a character and the test reading the line and killing.
ALLOWED_LOSS_S = 1.0
SLACK_S = 0.25

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="SIGKILL is a POSIX signal"
)

TEXT = (
    "Two outlets report the refinery strike; the second adds casualty figures.\n\n"
    "> Drones struck an oil refinery near Ryazan overnight.\n\n"
    "Follow up: check whether the regional governor confirms the numbers. "
) * 3


def run_and_kill(tmp_path: Path, kill_after_chars: int, interval_ms: int) -> None:
    library_path = tmp_path / "crash.db"
    with Library.open(library_path) as lib:
        assert lib.import_paths([ARTICLES]).added == 4
        story = lib.story_page(StoryQuery())[0].id
    text_file = tmp_path / "text.txt"
    text_file.write_text(TEXT, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(HERE.parent))
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), str(library_path), str(story), str(text_file),
         str(interval_ms)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    typed_at: list[float] = []
    killed_at = 0.0
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        for line in proc.stdout:
            if time.monotonic() > deadline:
                pytest.fail("the typing driver is too slow")
            if line.startswith(("READY", "DONE")):
                continue
            typed_at.append(float(line.split()[1]))
            if len(typed_at) >= kill_after_chars:
                killed_at = time.time()
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        if proc.poll() is None and not killed_at:
            proc.kill()
        proc.wait(timeout=30)
    stderr = proc.stderr.read() if proc.stderr else ""
    assert killed_at, f"the driver ended before typing {kill_after_chars} characters: {stderr}"
    assert proc.returncode == -signal.SIGKILL

    with Library.open(library_path) as lib:
        assert lib.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        note = lib.note(story)
        saved = note.body if note is not None else ""
        assert lib.story_row(story).has_note == bool(saved)
    typed = TEXT[: len(typed_at)]
    assert typed.startswith(saved), "the stored note is not what was typed"
    if len(saved) < len(typed):
        first_missing = typed_at[len(saved)]
        lost = killed_at - first_missing
        assert lost <= ALLOWED_LOSS_S + SLACK_S, (
            f"{len(typed) - len(saved)} characters typed over the last {lost:.2f} s were lost"
        )
    assert saved, "nothing at all was saved"
    lost_s = killed_at - typed_at[len(saved)] if len(saved) < len(typed) else 0.0
    print(f"typed {len(typed)} chars, saved {len(saved)}, lost the last {lost_s:.2f} s")


@pytest.mark.parametrize(
    ("kill_after", "interval_ms"),
    [(45, 40), (70, 25)],
    ids=["steady-typing", "fast-typing"],
)
def test_kill_9_while_typing_loses_at_most_the_last_second(
    tmp_path: Path, kill_after: int, interval_ms: int
) -> None:
    run_and_kill(tmp_path, kill_after, interval_ms)
