"""Composition root: create the application, open the library, show the window.

Everything the window needs is built here (FeelUOwn-style), so panes stay reusable and
tests can build a window on any library with :func:`build_window`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt and the library load lazily: ``broadsheet --help`` stays fast
    from PySide6.QtCore import QSettings

    from reader.gui.main_window import MainWindow
    from reader.library import Library

_START = time.perf_counter()


def _apply_theme(app: object) -> None:
    """Follow the system's light/dark scheme; Fusion renders palette roles in both."""
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    if sys.platform.startswith("linux"):
        app.setStyle("Fusion")


def build_window(library: Library, settings: QSettings | None = None) -> MainWindow:
    from reader.gui.main_window import MainWindow

    return MainWindow(library, settings)


def run_gui(library: Path | None = None, smoke_test: bool = False) -> int:
    """Open the window on ``library`` (default: the per-user library). Returns the exit code.

    ``smoke_test`` opens the window, processes events for two seconds and quits with 0; the
    start-to-window time goes to stderr for the packaging checks.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    from reader.errors import BroadsheetError
    from reader.gui.main_window import MainWindow
    from reader.library import Library
    from reader.paths import resource_path

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        QGuiApplication.highDpiScaleFactorRoundingPolicy().PassThrough
    )
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName("Broadsheet")
    app.setApplicationName("Broadsheet")
    app.setApplicationDisplayName("Broadsheet")
    icon = resource_path("icon.svg")
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    _apply_theme(app)
    try:
        lib = Library.open(library)
    except BroadsheetError as exc:
        QMessageBox.critical(None, "Broadsheet cannot open the library", str(exc))
        print(f"broadsheet: {exc}", file=sys.stderr)
        return 1
    try:
        window = MainWindow(lib)
        window.show()
        if smoke_test:
            app.processEvents()
            elapsed = (time.perf_counter() - _START) * 1000
            print(f"broadsheet: window ready in {elapsed:.0f} ms", file=sys.stderr)
            QTimer.singleShot(2000, window.close)
            QTimer.singleShot(2100, app.quit)
        code = int(app.exec())
        return 0 if smoke_test else code
    finally:
        lib.close()
