"""The Feeds section against a local HTTP server on 127.0.0.1: add, status, refresh, remove,
OPML, the schedule, and HTML articles with images from the local cache only."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.feed_server import FeedServer, rss
from PySide6.QtCore import QBuffer, QIODevice, QSettings, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from reader.gui import plain
from reader.gui.main_window import MainWindow
from reader.gui.models import FEED_ROLE
from reader.gui.reading_pane import not_cached_image
from reader.library import Library


def png(width: int, height: int) -> bytes:
    """A real PNG (Qt can decode it), made with Qt itself."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0x3366CC)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(buffer.data().data())


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, settings: QSettings, messages: list[tuple[str, str]]
) -> Iterator[MainWindow]:
    win = MainWindow(Library.open(tmp_path / "lib.db", defer_housekeeping=True), settings)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.feeds_refreshed, timeout=10_000):
        win.show()
    yield win
    win.close()
    win.library.close()


def _feed_items(window: MainWindow) -> list[tuple[str, str, int]]:
    group = window.library_model.groups["feed"]
    out = []
    for row in range(group.rowCount()):
        child = group.child(row)
        if child.data(FEED_ROLE) is not None:  # skip the "No feeds yet" hint
            out.append((child.text(), child.toolTip(), int(child.data(FEED_ROLE))))
    return out


def _subscribe(window: MainWindow, url: str) -> None:
    """Type an address into the Add feed dialog and press Subscribe."""
    window.act_add_feed.trigger()
    dialog = window.feeds.dialog
    assert dialog is not None
    dialog.address.setText(url)
    dialog.buttons.accepted.emit()


def _add(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    with qtbot.waitSignal(window.feeds_refreshed, timeout=20_000):
        _subscribe(window, url)


def test_add_feed_shows_status_and_html_with_cached_images_only(
    qtbot: QtBot, window: MainWindow, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = feed_server
    server.serve("/img.png", png(3, 2))
    server.serve("/f", rss([
        ("a", "Pier reopens", "The pier reopened today."),
        ("b", "Ferry timetable", "New ferry times."),
    ], "Harbour Gazette", image=f'<img src="{server.base}/img.png"><img src="https://remote.invalid/x.png">'))
    _add(qtbot, window, monkeypatch, server.base + "/f")
    [(label, tip, _feed_id)] = _feed_items(window)
    assert label.startswith("Harbour Gazette")
    assert "Status: refreshed" in tip and server.base in tip
    assert "new article" in window.status_label.text()
    titles = {r.headline for r in window.stories_model.pager.rows}
    assert {"Pier reopens", "Ferry timetable"} <= titles

    row = next(i for i, r in enumerate(window.stories_model.pager.rows)
               if r.headline == "Pier reopens")
    with qtbot.waitSignal(window.article_shown, timeout=5000):
        window.stories.tree.setCurrentIndex(window.stories_model.index(row, 0))
    article = window.reading.article
    assert article is not None
    html = window.library.article_html(article.id)
    assert html is not None and "<img" in html
    assert "The pier reopened today." in window.reading.browser.toPlainText()
    image_kind = int(QTextDocument.ResourceType.ImageResource.value)
    local = window.library.image_path(server.base + "/img.png")
    assert local is not None
    cached = window.reading.browser.loadResource(image_kind, QUrl(local.name))
    assert isinstance(cached, QImage) and cached.width() == 3
    remote = window.reading.browser.loadResource(image_kind, QUrl("https://remote.invalid/x.png"))
    assert remote is not_cached_image()
    css = window.reading.browser.loadResource(
        int(QTextDocument.ResourceType.StyleSheetResource.value), QUrl("https://h/s.css"))
    assert css is None


def test_failing_feed_shows_its_last_error_and_others_still_refresh(
    qtbot: QtBot, window: MainWindow, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = feed_server
    server.serve("/good", rss([("g", "Good news", "Fine.")], "Good"))
    _add(qtbot, window, monkeypatch, server.base + "/good")
    _add(qtbot, window, monkeypatch, server.base + "/gone")
    items = dict((label, tip) for label, tip, _ in _feed_items(window))
    bad = next(tip for label, tip in items.items() if label.startswith("⚠"))
    assert "Last error:" in bad and "404" in bad
    server.serve("/good", rss([("g", "Good news", "Fine."),
                                  ("h", "More good news", "Finer.")], "Good"))
    with qtbot.waitSignal(window.feeds_refreshed, timeout=20_000):
        window.act_refresh_feeds.trigger()
    assert "1 feed(s) failed" in window.status_label.text()
    assert "More good news" in {r.headline for r in window.stories_model.pager.rows}


def test_refresh_never_blocks_the_window_and_remove_keeps_articles(
    qtbot: QtBot, window: MainWindow, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = feed_server.serve("/slow", rss([("s", "Slow story", "Late.")], "Slow"))
    feed_server.delays["/slow"] = 1.0
    with qtbot.waitSignal(window.feed_job_done, timeout=20_000):
        _subscribe(window, slow)
        # While the worker waits on the server, the GUI thread keeps running timers.
        started = time.perf_counter()
        qtbot.wait(100)
        assert time.perf_counter() - started < 0.5
    qtbot.waitUntil(lambda: bool(_feed_items(window)), timeout=10_000)
    [(_label, _tip, feed_id)] = _feed_items(window)
    group = window.library_model.groups["feed"]
    window.library_view.setCurrentIndex(group.child(0).index())
    assert window.feeds.selected_feed() == feed_id
    monkeypatch.setattr(plain, "message", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.feeds_refreshed, timeout=10_000):
        window.act_remove_feed.trigger()
    assert _feed_items(window) == []
    assert window.library_model.groups["feed"].child(0).text().startswith("No feeds yet")
    assert window.library.stats().articles == 1  # the stored article stays


def test_opml_round_trip_and_schedule(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>s</title></head><body>'
        '<outline text="News"><outline type="rss" text="One" xmlUrl="https://one.invalid/f"/>'
        '<outline type="rss" text="Two" xmlUrl="https://two.invalid/f"/></outline>'
        "</body></opml>", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(opml), ""))
    with qtbot.waitSignal(window.feeds_refreshed, timeout=10_000):
        window.act_import_opml.trigger()
    items = _feed_items(window)
    assert sorted(label for label, _, _ in items) == ["○ One", "○ Two"]
    assert all("Folder: News" in tip for _, tip, _ in items)
    out = tmp_path / "out.opml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    with qtbot.waitSignal(window.feed_job_done, timeout=10_000) as blocker:
        window.act_export_opml.trigger()
    assert blocker.args[0] == 2 and "https://two.invalid/f" in out.read_text(encoding="utf-8")

    assert not window.act_schedule.isChecked() and not window.feed_timer.isActive()
    window.settings.setValue("feeds/interval_minutes", 1)  # below the floor of 5 minutes
    window.act_schedule.trigger()
    assert window.feed_timer.isActive() and window.feed_timer.interval() == 5 * 60_000
    assert window.settings.value("feeds/scheduled") == "true"
    window.act_schedule.trigger()
    assert not window.feed_timer.isActive()


def test_feed_settings_dialog_sets_the_cap_and_per_feed_caching(
    qtbot: QtBot, window: MainWindow, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt

    from reader.feeds import images
    from reader.gui.feeds_settings import FEED_ID_ROLE

    picture = png(4, 4)
    feed_server.serve("/img.png", picture)
    feed_server.serve("/pics", rss([("p", "Picture story", "See it.")], "Pictures",
                                   image=f'<img src="{feed_server.base}/img.png">'))
    _add(qtbot, window, monkeypatch, feed_server.url("/pics"))
    cached = window.library.image_path(feed_server.url("/img.png"))
    assert cached is not None and cached.stat().st_size == len(picture)

    [feeds_menu] = [m for m in window.menuBar().findChildren(QMenu) if m.title() == "F&eeds"]
    assert window.act_feed_settings in feeds_menu.actions()
    window.act_feed_settings.trigger()
    dialog = window.feeds.settings_dialog
    # The size is measured on the worker; its answer arrives only while Qt's loop runs.
    with qtbot.waitSignal(dialog.measured, timeout=10_000) as measured:
        pass
    assert measured.args == [len(picture), 1]
    assert dialog.size_label.text() == f"{len(picture) / 1024 / 1024:.1f} MB in 1 image"
    assert dialog.cap.value() == images.DEFAULT_CACHE_BYTES // (1024 * 1024)
    [item] = [dialog.feed_list.item(i) for i in range(dialog.feed_list.count())]
    assert item.text() == "Pictures" and item.checkState() == Qt.CheckState.Checked

    dialog.cap.setValue(0)  # keep no images: the cached one is evicted
    item.setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(dialog.applied, timeout=10_000) as applied:
        dialog.accept()
    assert applied.args[0].cap_bytes == 0
    assert applied.args[0].cache_images == {int(item.data(FEED_ID_ROLE)): False}
    assert window.library.image_cache_limit() == 0
    assert window.library.image_cache_size() == (0, 0) and not cached.exists()
    [info] = window.library.feeds()
    assert not info.cache_images

    # Opened again, the dialog shows what was saved; Cancel changes nothing.
    window.act_feed_settings.trigger()
    again = window.feeds.settings_dialog
    with qtbot.waitSignal(again.measured, timeout=10_000):
        pass
    assert again is not dialog and again.cap.value() == 0
    assert again.feed_list.item(0).checkState() == Qt.CheckState.Unchecked
    assert again.size_label.text() == "0.0 MB in 0 images"
    again.cap.setValue(5)
    again.reject()
    assert window.library.image_cache_limit() == 0
