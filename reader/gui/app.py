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


#: Matches packaging/linux/org.broadsheet.Broadsheet.desktop, so Wayland and the desktop's
#: task switcher pair the window with its launcher and icon.
DESKTOP_FILE = "org.broadsheet.Broadsheet"


def open_library(path: Path | None, parent: object = None) -> Library | None:
    """Open the library for the window, or say why not (None: the app should exit with 1).

    The open skips the daily backup (``defer_housekeeping``): it copies the whole file, and
    the window runs it on the worker once it is shown. A newer library is refused and left
    untouched; a damaged one gets the offer to restore its newest good backup or start anew.
    """
    from PySide6.QtWidgets import QWidget

    from reader.errors import BroadsheetError, DamagedLibraryError, NewerLibraryError
    from reader.gui import plain, recovery
    from reader.library import Library
    from reader.paths import default_library_path

    widget = parent if isinstance(parent, QWidget) else None
    resolved = path if path is not None else default_library_path()
    for _attempt in range(2):
        try:
            return Library.open(resolved, defer_housekeeping=True)
        except NewerLibraryError as exc:
            plain.message(
                widget, "Broadsheet cannot open the library",
                f"{exc}\n\nThis library was written by a newer version of Broadsheet. "
                "Install that version to open it; the file was not changed.",
                plain.Icon.Critical,
            )
            print(f"broadsheet: {exc}", file=sys.stderr)
            return None
        except DamagedLibraryError as exc:
            if not recovery.recover_on_open(widget, resolved, exc.reason):
                return None
        except BroadsheetError as exc:
            plain.message(widget, "Broadsheet cannot open the library", str(exc),
                          plain.Icon.Critical)
            print(f"broadsheet: {exc}", file=sys.stderr)
            return None
    return None


def open_window(path: Path | None) -> MainWindow | None:
    """Open the library and build the window on it. Damage met while the window first reads
    (the stories list, the counts) gets the same offer as damage found at open, never a
    traceback. None: the app should exit with 1."""
    from reader.errors import DamagedLibraryError
    from reader.gui import recovery
    from reader.gui.main_window import MainWindow
    from reader.library import Library

    for _attempt in range(2):
        lib = open_library(path)
        if lib is None:
            return None
        try:
            return MainWindow(lib)
        except Exception as exc:
            error = Library.explain_failure(lib.path, exc)
            _discard_half_built(MainWindow)
            lib.close()
            if not isinstance(error, DamagedLibraryError):
                raise
            if not recovery.recover_on_open(None, lib.path, error.reason):
                return None
    return None


def _discard_half_built(kind: type) -> None:
    """Stop the job thread of a window whose construction failed (a running QThread must
    not be destroyed), so the process can go on to the recovery offer or exit cleanly."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        jobs = getattr(widget, "jobs", None) if isinstance(widget, kind) else None
        if jobs is not None:
            jobs.shutdown()
            widget.deleteLater()
            # Now, not in a later event loop turn: its models must not read a closed library.
            QCoreApplication.sendPostedEvents(widget, QEvent.Type.DeferredDelete)


def run_gui(library: Path | None = None, smoke_test: bool = False) -> int:
    """Open the window on ``library`` (default: the per-user library). Returns the exit code.

    ``smoke_test`` opens the window, processes events for two seconds and quits with 0; the
    start-to-window time goes to stderr for the packaging checks.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from reader.gui.startup_check import FatalMessages, platform_problem
    from reader.paths import resource_path

    problem = platform_problem()
    if problem is not None:
        print(f"broadsheet: {problem}", file=sys.stderr)
        return 1
    messages = FatalMessages()
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        QGuiApplication.highDpiScaleFactorRoundingPolicy().PassThrough
    )
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    messages.started()
    app.setOrganizationName("Broadsheet")
    app.setApplicationName("Broadsheet")
    app.setApplicationDisplayName("Broadsheet")
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)
    icon = resource_path("icon.svg")
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    _apply_theme(app)
    opened = open_window(library)
    if opened is None:
        return 1
    window = opened
    from reader.gui import error_hook

    hook = error_hook.install(window)  # damage met after start-up: the recovery offer
    try:
        window.show()
        if not smoke_test:
            # Backup and integrity check once the window is up and painted, never before.
            # (The 2-second smoke run skips them: it measures start-up, not a file copy.)
            QTimer.singleShot(0, window.start_housekeeping)
        else:
            app.processEvents()
            elapsed = (time.perf_counter() - _START) * 1000
            print(f"broadsheet: window ready in {elapsed:.0f} ms", file=sys.stderr)
            QTimer.singleShot(2000, window.close)
            QTimer.singleShot(2100, app.quit)
        code = int(app.exec())
        return 0 if smoke_test else code
    finally:
        error_hook.uninstall(hook)
        window.library.close()  # the window may have reopened it (restore)
