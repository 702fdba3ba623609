"""The command line as a user runs it: one clear line per failure, exit statuses, facets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main


def test_facets_can_be_hidden_and_shown(
    tmp_path: Path, seeds: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lib = str(tmp_path / "l.db")
    assert main(["import", str(seeds[0]), "--library", lib]) == 0
    capsys.readouterr()
    assert main(["facets", "--library", lib]) == 0
    listed = capsys.readouterr().out
    putin = next(line for line in listed.splitlines() if "  Putin  " in line)
    facet_id = int(putin.rsplit("id ", 1)[1].rstrip("]"))
    assert main(["facets", "--hide", str(facet_id), "--library", lib]) == 0
    assert "  Putin  " not in capsys.readouterr().out
    assert main(["facets", "--all", "--library", lib]) == 0
    assert "Putin (hidden)" in capsys.readouterr().out
    assert main(["facets", "--show", str(facet_id), "--library", lib]) == 0
    assert "  Putin  " in capsys.readouterr().out
    assert main(["facets", "--hide", "999999", "--library", lib]) == 1
    assert "facet 999999 does not exist" in capsys.readouterr().err


def test_failures_are_one_line_without_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    result = subprocess.run(
        [sys.executable, "-m", "reader", "import", str(junk), str(tmp_path / "nope.txt"),
         "--library", str(tmp_path / "l.db")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("broadsheet:")]
    assert len(errors) == 2
    assert any("junk.bin" in e for e in errors) and any("nope.txt" in e for e in errors)


def test_version_and_stats_on_a_fresh_default_library() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().startswith("broadsheet ")
    stats = subprocess.run(
        [sys.executable, "-m", "reader", "stats"], capture_output=True, text=True, check=True
    )
    assert "Articles: 0" in stats.stdout
