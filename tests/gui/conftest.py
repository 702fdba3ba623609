"""Fixtures for the window tests: offscreen Qt, temporary QSettings, no stray threads."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThread
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reader.gui import plain
from reader.gui.main_window import MainWindow
from reader.library import Library

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


@pytest.fixture
def settings(tmp_path: Path, qapp: object) -> QSettings:
    """A QSettings file private to this test."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every message box the window shows, instead of a blocking exec()."""
    shown: list[tuple[str, str]] = []

    def record(_parent: object, title: str, text: str, *args: object) -> int:
        shown.append((title, text))
        return int(QMessageBox.StandardButton.Ok)

    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    monkeypatch.setattr(
        plain, "message",
        lambda parent, title, text, *args, **kwargs: QMessageBox.StandardButton(
            record(parent, title, text)
        ),
    )
    return shown


@pytest.fixture(autouse=True)
def no_threads_left(qapp: object) -> Iterator[None]:
    """Fail a test that leaves a QThread running (napari-style)."""
    import gc

    yield
    gc.collect()
    running = [o for o in gc.get_objects() if isinstance(o, QThread) and _running(o)]
    assert not running, f"QThreads left running: {running}"


def _running(thread: QThread) -> bool:
    try:
        return thread.isRunning()
    except RuntimeError:  # already deleted on the C++ side
        return False


@pytest.fixture
def make_window(
    qtbot: QtBot, tmp_path: Path, settings: QSettings, messages: list[tuple[str, str]]
) -> Iterator[object]:
    opened: list[tuple[MainWindow, Library]] = []

    def make() -> MainWindow:
        # Like the app: one window per process. A closed window's library is closed before
        # the next open (Library.open reads the header with plain file I/O, which would drop
        # this process's SQLite locks on the file; see reader.gui.worker).
        for window, lib in opened:
            if not window.isVisible():
                lib.close()
        lib = Library.open(tmp_path / "lib.db")
        window = MainWindow(lib, settings)
        window.settings.setValue("reading/mark_read_ms", 50)
        qtbot.addWidget(window)
        window.show()
        opened.append((window, lib))
        return window

    yield make
    for window, lib in opened:
        window.close()
        lib.close()
