"""Composition root of the window (minimal until the window issue lands)."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(library: Path | None = None, smoke_test: bool = False) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from reader.library import Library

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with Library.open(library) as lib:
        label = QLabel(f"Broadsheet: {lib.stats().articles} articles in {lib.path}")
        label.setWindowTitle("Broadsheet")
        label.resize(640, 200)
        label.show()
        if smoke_test:
            QTimer.singleShot(2000, app.quit)
        return int(app.exec())
