"""A window that cannot start says why, in one message with advice, and exits 1 (never 134)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.gui import startup_check
from reader.gui.startup_check import debian_package, platform_problem

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks Linux only")


@LINUX
def test_no_display_is_named_with_the_headless_advice() -> None:
    problem = platform_problem({})
    assert problem is not None
    assert "no display was found" in problem
    assert "QT_QPA_PLATFORM=offscreen" in problem
    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


@LINUX
def test_missing_libraries_are_named_with_their_packages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_icccm(path: str) -> None:
        raise OSError("libxcb-icccm.so.4: cannot open shared object file: No such file")

    monkeypatch.setattr(startup_check.ctypes, "CDLL", no_icccm)
    monkeypatch.setattr(startup_check, "_ldd_missing", lambda plugin: [])
    problem = platform_problem({"DISPLAY": ":0"})
    assert problem is not None
    assert "needs libxcb-icccm.so.4, which is not installed" in problem
    assert "sudo apt-get install libxcb-icccm4" in problem


def test_debian_package_names_follow_debians_rule() -> None:
    assert debian_package("libxcb-keysyms.so.1") == "libxcb-keysyms1"
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package("libEGL.so.1") == "libegl1"


def _start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "reader", "--library", str(tmp_path / "l.db")],
        env={**clean, **env}, capture_output=True, text=True, timeout=60, check=False,
    )


@LINUX
def test_the_app_without_a_display_exits_1_with_one_message(tmp_path: Path) -> None:
    result = _start(tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("broadsheet: the window cannot open: no display was found")
    assert "Traceback" not in result.stderr


def test_a_fatal_qt_start_up_becomes_a_message_not_an_abort(tmp_path: Path) -> None:
    # An unknown platform passes the pre-flight check, so Qt itself fails fatally.
    result = _start(tmp_path, QT_QPA_PLATFORM="nosuchplatform")
    assert result.returncode == 1, result.stderr
    assert "broadsheet: the window cannot open:" in result.stderr
    assert "nosuchplatform" in result.stderr
    assert "QT_QPA_PLATFORM=offscreen" in result.stderr
