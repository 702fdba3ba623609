"""The story list where the headline wins (issue 15's targets), measured in the real window.

At 1024×640, 1400×860 and 1920×1080 screens, at 1× and 1.5× scale, every visible headline
shows at least 60 characters (or all of itself when shorter) in its two lines, and the pane
widths never change when the selection does. Each case runs in a fresh process with
``QT_SCALE_FACTOR`` set, as a user's desktop would: at 1.5× a 1024×640 screen gives the
window 683×427 device-independent pixels, which is what the layout works with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"

#: Runs in the child: build a library, open the window, measure, print JSON.
CHILD = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
width, height, folder, sample = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
app = QApplication([])
app.setStyle("Fusion")
from reader.gui.main_window import MainWindow
from reader.gui.story_delegate import shown_characters
from reader.library import Library
lib = Library.open(folder / "lib.db", defer_housekeeping=True)
if not lib.stats().articles:
    lib.import_paths([Path(sample)])
settings = QSettings(str(folder / f"settings-{width}.ini"), QSettings.Format.IniFormat)
window = MainWindow(lib, settings)
window.resize(width, height)
window.show()
for _ in range(5):
    app.processEvents()
tree, model = window.stories.tree, window.stories_model
delegate = window.stories.delegate
short = []
checked = 0
for row in range(model.rowCount()):
    index = model.index(row, 0)
    rect = tree.visualRect(index)
    if not rect.isValid() or not rect.intersects(tree.viewport().rect()):
        continue
    headline = model.pager.rows[row].headline
    lines = delegate.headline_lines(index, tree.font(), rect.width())
    checked += 1
    if shown_characters(lines) < min(60, len(headline)) or len(lines) > 2:
        short.append([headline, lines, rect.width()])
sizes = window.splitter.sizes()
changed = []
big = sorted(range(model.rowCount()), key=lambda r: -model.pager.rows[r].size)[:6]
for row in big + list(range(min(6, model.rowCount()))):
    tree.setCurrentIndex(model.index(row, 0))
    for _ in range(3):
        app.processEvents()
    if window.splitter.sizes() != sizes:
        changed.append([row, window.splitter.sizes()])
print(json.dumps({"checked": checked, "short": short, "sizes": sizes, "changed": changed,
                  "ratio": window.devicePixelRatioF()}))
window.close()
lib.close()
"""


@pytest.fixture(scope="module")
def library_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("story-list")


@pytest.mark.parametrize("scale", ["1", "1.5"])
@pytest.mark.parametrize("screen", [(1024, 640), (1400, 860), (1920, 1080)])
def test_headlines_read_whole_and_panes_stay_put(
    screen: tuple[int, int], scale: str, library_folder: Path
) -> None:
    width, height = (round(side / float(scale)) for side in screen)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(width), str(height), str(library_folder),
         str(SAMPLE)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ratio"] == pytest.approx(float(scale))
    assert result["checked"] >= 3, result  # the list shows stories at this size
    assert result["short"] == [], result["short"]
    assert result["changed"] == [], (result["sizes"], result["changed"])
