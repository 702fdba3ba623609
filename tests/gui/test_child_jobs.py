"""Heavy verbs in a child process: results, progress, cancel and failures come back."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.errors import BroadsheetError
from reader.gui.child_jobs import run_in_child
from reader.library import Library
from reader.types import ImportReport

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def test_import_in_a_child_reports_progress_and_is_visible_here(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    with Library.open(path, defer_housekeeping=True) as here:
        seen: list[tuple[int, int, str]] = []
        report = run_in_child(path, "import_paths", ([SAMPLE],),
                              lambda d, t, m: seen.append((d, t, m)), lambda: False)
        assert isinstance(report, ImportReport) and report.added == 36
        assert seen and seen[-1][0] == seen[-1][1]  # the final "done" always arrives
        assert here.stats().articles == 36  # this process's connection sees the child's rows


def test_cancel_before_start_keeps_the_library_empty(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library.open(path, defer_housekeeping=True).close()
    report = run_in_child(path, "import_paths", ([SAMPLE],), lambda *a: None, lambda: True)
    assert isinstance(report, ImportReport) and report.cancelled and report.added == 0
    with Library.open(path, defer_housekeeping=True) as lib:
        assert lib.stats().articles == 0


def test_failures_come_back_as_broadsheet_errors(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BroadsheetError, match=r"not a Broadsheet library|damaged"):
        run_in_child(garbage, "import_paths", ([SAMPLE],), lambda *a: None, lambda: False)
    with pytest.raises(ValueError):
        run_in_child(garbage, "save_note", (1, "x"), lambda *a: None, lambda: False)
