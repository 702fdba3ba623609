"""A reading session holds None's reference count steady (the drift that killed the window).

PySide6 6.12.0 on CPython 3.11 lowered None's count by one per void Qt call, and the window
aborted with "none_dealloc" after about 330 article opens; 6.10-6.11 raised it by about 29
per open. On CPython 3.12+ None is immortal and its count never moves, so this test only
bites on 3.11, the version CI and the bundle use. The long run is benchmarks/gui_soak.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.modules import benchmark
from pytestqt.qtbot import QtBot

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


@pytest.mark.no_qt_log  # pytest-qt's log capture keeps a record (holding None) per message
def test_three_hundred_article_opens_leave_none_where_it_was(
    qtbot: QtBot, make_window: object
) -> None:
    window = make_window()  # type: ignore[operator]
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        window.start_import(sorted(SAMPLE.iterdir()))
    shown: list[int] = []
    window.article_shown.connect(shown.append)
    result = benchmark("gui_soak").soak(window, opens=300)
    assert len(shown) >= 300  # every key press opened an article
    assert abs(result.none_drift) < 50, f"None's count drifted by {result.none_drift}"
