"""Take the README screenshots from the real window (run under Xvfb or offscreen).

Usage: .venv/bin/python benchmarks/gui_screenshots.py LIBRARY OUT_DIR [--dark]
Selects the story with the most versions and saves main.png; switches to another of its
versions (the "only in this version" highlight on, "Why together?" open) for versions.png;
writes a note on the story and shows it rendered under the article with the Notes list open
for notes.png. With --dark, only
dark.png. Each PNG is written at the highest compression (the README limit is 300 KB).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def _palette_image(image: object) -> object:
    """The screenshot with the 256 colours it uses most (UI shots have few colours; Qt's
    default palette conversion maps dark greys to blue)."""
    from collections import Counter

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = memoryview(rgb.constBits()).cast("I")
    table = [c for c, _ in Counter(pixels).most_common(256)]
    return rgb.convertToFormat(
        QImage.Format.Format_Indexed8, table,
        Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither,
    )


def main() -> int:
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    library_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    dark = "--dark" in sys.argv
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    from reader.gui import theme

    theme.apply("dark" if dark else "light")  # what Preferences ▸ Theme does
    tmp = tempfile.mkdtemp()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
    app.setOrganizationName("BroadsheetShots")

    from reader.gui.main_window import MainWindow
    from reader.library import Library
    from reader.types import StorySort

    lib = Library.open(library_path, defer_housekeeping=True)
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

    def save(name: str) -> None:
        # A 256-colour palette keeps UI shots sharp and well under the README's 300 KB.
        image = _palette_image(window.grab().toImage())
        image.save(str(out / name), "PNG", 0)  # 0 = smallest file
        shots.append((name, f"{(out / name).stat().st_size // 1024} KB"))

    def step2() -> None:
        save("dark.png" if dark else "main.png")
        if dark:
            QTimer.singleShot(100, app.quit)
            return
        reading = window.reading
        reading.highlight_box.setChecked(True)
        # Another version than the one the story opened on (that may be its first or its
        # last), with "Why together?" open.
        if reading.version_index() < len(reading.versions) - 1:
            reading.next_version()
        else:
            reading.previous_version()
        reading.why.button.setChecked(True)
        QTimer.singleShot(400, step3)

    def step3() -> None:
        save("versions.png")
        article = window.reading.article
        if article is None:
            app.quit()
            return
        note = (
            "## Why this matters\n\n"
            "Two outlets give **different casualty figures**; check the later ones.\n\n"
            "- compare the dates of each version\n"
            "- follow up on the ministry statement\n\n"
            f"> {article.title}\n\n"
            f"\u2014 {article.source}\n"
        )
        window.jobs.submit(lambda lib, p, c: lib.save_note(article.story_id, note),
                           lambda result: step4(note, result), label="Saving note")

    def step4(note: str, result: object) -> None:
        window.apply_changes(result)
        current = window.reading.article
        window.navigator.current_story = None  # reload the story's note into the editor
        if current is not None:
            window.open_article(current.id)
        window.notes_dock.show()
        window.resizeDocks([window.notes_dock], [250], Qt.Orientation.Horizontal)
        window.splitter.setSizes([170, 560, 580])
        window.reading.splitter.setSizes([470, 380])
        QTimer.singleShot(800, step5)

    def step5() -> None:
        save("notes.png")
        window.stories.set_sort(StorySort.VERSIONS.value)
        QTimer.singleShot(300, app.quit)

    QTimer.singleShot(800, step1)
    app.exec()
    window.close()
    lib.close()
    print("saved", shots)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
