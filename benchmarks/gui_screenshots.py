"""Take the README screenshots from the real window (run under Xvfb or offscreen).

Usage: .venv/bin/python benchmarks/gui_screenshots.py LIBRARY OUT_DIR [--dark]
Selects a multi-version story, switches to its second version, and saves PNGs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main() -> int:
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    library_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    dark = "--dark" in sys.argv
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if dark:
        QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        # Xvfb has no platform theme to honour the hint, so give Fusion a dark palette
        # (what a desktop in dark mode supplies).
        from PySide6.QtGui import QColor, QPalette

        pal = QPalette()
        role = QPalette.ColorRole
        for r, c in ((role.Window, "#202124"), (role.Base, "#17181a"),
                     (role.AlternateBase, "#232427"), (role.Text, "#e8e8e8"),
                     (role.WindowText, "#e8e8e8"), (role.Button, "#2b2c30"),
                     (role.ButtonText, "#e8e8e8"), (role.Highlight, "#2f6fd0"),
                     (role.HighlightedText, "#ffffff"), (role.Mid, "#55575c"),
                     (role.PlaceholderText, "#9a9ca0"), (role.Link, "#8ab4f8")):
            pal.setColor(r, QColor(c))
        app.setPalette(pal)
    tmp = tempfile.mkdtemp()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
    app.setOrganizationName("BroadsheetShots")

    from reader.gui.main_window import MainWindow
    from reader.library import Library
    from reader.types import StorySort

    lib = Library.open(library_path)
    window = MainWindow(lib)
    window.resize(1560, 940)
    window.show()
    shots: list[tuple[str, str]] = []

    def step1() -> None:
        model = window.stories_model
        window.library_view.expandAll()
        best = max(range(model.rowCount()), key=lambda r: model.pager.rows[r].size)
        index = model.index(best, 0)
        window.stories.tree.setCurrentIndex(index)
        window.stories.tree.expand(index)
        QTimer.singleShot(400, step2)

    def step2() -> None:
        name = "dark.png" if dark else "main.png"
        window.grab().save(str(out / name))
        if dark:
            QTimer.singleShot(100, app.quit)
            return
        window.reading.next_version()
        QTimer.singleShot(400, step3)

    def step3() -> None:
        window.grab().save(str(out / "versions.png"))
        window.stories.set_sort(StorySort.VERSIONS.value)
        QTimer.singleShot(300, app.quit)

    QTimer.singleShot(800, step1)
    app.exec()
    window.close()
    lib.close()
    print("saved", [p.name for p in out.iterdir()], shots)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
