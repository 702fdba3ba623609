"""Imported text is shown as text: markup in a title is never rendered, nor its images loaded.

A title ``<img src="/dev/zero">`` rendered by a label would load the "image" from that file
(std::bad_alloc at 2.2 GB); a FIFO would hang the window; ``<b>`` would turn bold.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from reader.gui.main_window import MainWindow
from reader.gui.models import COL_HEADLINE, COL_SOURCES

TITLE = '<img src="/dev/zero"> <b>Bold</b> claim &amp; A&B <i>x</i>'
SOURCE = "<b>Wire</b> &lt;service&gt;"


def _hostile_library(tmp_path: Path) -> Path:
    rows = [
        {"title": TITLE, "body": f"The port of Kerch reopened on Monday after repairs {n}. "
         "Officials in Kerch said ferries would resume.", "source": SOURCE,
         "published": f"2025-01-2{n}T08:00:00Z", "author": '<img src="/dev/zero">'}
        for n in range(2)
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_markup_in_titles_and_sources_is_shown_literally(
    qtbot: QtBot, make_window: object, tmp_path: Path
) -> None:
    window: MainWindow = make_window()  # type: ignore[operator]
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        window.start_import([_hostile_library(tmp_path)])
    model = window.stories_model
    assert model.rowCount() >= 1
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        window.stories.tree.setCurrentIndex(model.index(0, 0))

    title = window.reading.title
    assert title.text() == TITLE
    assert title.textFormat() == Qt.TextFormat.PlainText
    # Every label that shows this text shows it as plain text (the meta line is rich text
    # on purpose, for its link, with each part escaped).
    for label in window.findChildren(QLabel):
        if "<img" in label.text() or "<b>" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    meta = window.reading.meta.text()
    assert "&lt;img src=&quot;/dev/zero&quot;&gt;" in meta and "<img" not in meta

    # Tooltips have no plain mode: the text is escaped into rich text instead.
    headline_tip = model.index(0, COL_HEADLINE).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img src=" in headline_tip and "<img" not in headline_tip
    assert "&amp;amp;" in headline_tip  # the entity itself is shown, not decoded
    sources_tip = model.index(0, COL_SOURCES).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Wire&lt;/b&gt;" in sources_tip
    # List cells show the text as it is.
    assert model.index(0, COL_HEADLINE).data() == TITLE
