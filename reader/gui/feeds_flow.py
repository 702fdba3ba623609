"""Feeds from the window: add (with discovery), refresh, remove, OPML in and out, the
optional schedule, and the image-cache settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog

from reader.gui import plain
from reader.gui.add_feed import AddFeedDialog
from reader.gui.feeds_settings import FeedSettingsDialog
from reader.gui.preferences import _number
from reader.gui.sidebar import FEED_ROLE
from reader.library import Library
from reader.progress import CancelCheck, Progress
from reader.types import FeedOutcome

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow

#: Default interval of the optional scheduled feed refresh; QSettings "feeds/interval_minutes".
FEED_INTERVAL_MIN = 60


class FeedsFlow(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.context_feed: int | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._scheduled_refresh)
        self.dialog: AddFeedDialog | None = None
        self.settings_dialog: FeedSettingsDialog | None = None

    def selected_feed(self) -> int | None:
        """The feed a context menu was opened on, else the current left-pane entry's."""
        if self.context_feed is not None:
            return self.context_feed
        feed = self.window.library_view.currentIndex().data(FEED_ROLE)
        return feed if isinstance(feed, int) else None

    # ----------------------------------------------------------------- add

    def add_feed_dialog(self) -> AddFeedDialog:
        dialog = AddFeedDialog(self.window)
        dialog.find_requested.connect(self._find)
        dialog.accepted.connect(self._subscribe)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _find(self, address: str) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        self.window.jobs.submit(lambda lib, p, c: lib.discover_feeds(address),
                                dialog.show_found, dialog.show_error, label="Finding feeds")

    def _subscribe(self) -> None:
        dialog = self.dialog
        if dialog is None or dialog.result() != QDialog.DialogCode.Accepted:
            return
        url, title = dialog.chosen()
        self.window.jobs.submit(lambda lib, p, c: _add_and_refresh(lib, url, title, p, c),
                                self.changed, self.failed, label="Adding feed")

    # ----------------------------------------------------------------- refresh, remove

    def refresh_all(self) -> None:
        self.refresh(None)

    def refresh_selected(self) -> None:
        feed = self.selected_feed()
        if feed is not None:
            self.refresh([feed])

    def refresh(self, ids: list[int] | None, *, quiet: bool = False) -> None:
        """Fetch feeds on the worker (the window stays responsive; Cancel stops it)."""
        w = self.window
        if w.long_jobs.busy():
            if not quiet:
                w.status.show("Another long operation is running; try again after.")
            return
        if not w.has_feeds:
            if not quiet:
                w.status.show("No feeds to refresh: add one with Feeds ▸ Add feed…")
            return
        chosen = list(ids) if ids is not None else None
        w.long_jobs.start(lambda lib, p, c: lib.refresh_feeds(chosen, p, c),
                          "Refreshing feeds", self.changed, self.failed)

    def remove_selected(self) -> None:
        feed = self.selected_feed()
        if feed is None:
            return
        answer = plain.message(
            self.window, "Remove feed",
            "Unsubscribe from this feed? Its articles stay in the library.",
            plain.Icon.Question, plain.Button.Yes | plain.Button.No,
        )
        if answer == plain.Button.Yes:
            self.window.jobs.submit(lambda lib, p, c: lib.remove_feed(feed), self.changed,
                                    self.failed, label="Removing feed")

    def import_opml(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import subscriptions",
                                              str(Path.home()),
                                              "OPML (*.opml *.xml);;All files (*)")
        if path:
            source = Path(path)
            self.window.jobs.submit(lambda lib, p, c: lib.import_opml(source), self.changed,
                                    self.failed, label="Importing subscriptions")

    def export_opml(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export subscriptions", str(Path.home() / "broadsheet-feeds.opml"),
            "OPML (*.opml)")
        if path:
            target = Path(path)
            self.window.jobs.submit(lambda lib, p, c: lib.export_opml(target),
                                    self._opml_written, self.failed,
                                    label="Exporting subscriptions")

    def _opml_written(self, count: Any) -> None:
        self.window.status.show(f"Exported {count} subscription{'' if count == 1 else 's'}")
        self.window.feed_job_done.emit(count)

    def changed(self, result: Any) -> None:
        w = self.window
        outcomes = [o for o in result if isinstance(o, FeedOutcome)] if isinstance(
            result, list) else []
        if outcomes:
            added = sum(o.added for o in outcomes)
            failed = [o for o in outcomes if not o.ok]
            text = f"Feeds refreshed: {added} new article{'' if added == 1 else 's'}"
            if failed:
                text += f"; {len(failed)} feed(s) failed (see their tooltips)"
            w.status.show(text, 12_000 if failed else 6000)
            if added or any(o.updated for o in outcomes):
                w.library_changed()
                w.feed_job_done.emit(result)
                return
        w.refresh_counts()
        w.feed_job_done.emit(result)

    def failed(self, message: str) -> None:
        self.window.status.show(f"Feeds: {message}", 12_000)
        self.window.refresh_counts()
        self.window.feed_job_done.emit(None)

    # ----------------------------------------------------------------- schedule, settings

    def schedule_toggled(self) -> None:
        w = self.window
        w.settings.setValue("feeds/scheduled", "true" if w.act_schedule.isChecked() else "false")
        self.apply_schedule()

    def apply_schedule(self) -> None:
        """Optional periodic refresh while the app runs (off by default); the interval is
        the QSettings value ``feeds/interval_minutes`` (default 60, at least 5)."""
        w = self.window
        if not w.act_schedule.isChecked():
            self.timer.stop()
            return
        minutes = _number(w.settings.value("feeds/interval_minutes", FEED_INTERVAL_MIN),
                          FEED_INTERVAL_MIN)
        self.timer.start(int(max(5.0, minutes) * 60_000))

    def _scheduled_refresh(self) -> None:
        self.refresh(None, quiet=True)

    def open_settings(self) -> FeedSettingsDialog:
        """Image cache cap and per-feed image caching (reader.gui.feeds_settings)."""
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
        dialog = FeedSettingsDialog(self.window.library, self.window.jobs, self.window)
        dialog.applied.connect(self.changed)
        dialog.failed.connect(self.failed)
        dialog.open()
        self.settings_dialog = dialog
        return dialog


def _add_and_refresh(lib: Library, url: str, title: str, progress: Progress,
                     cancelled: CancelCheck) -> Any:
    """Worker side of Add feed: subscribe, then fetch it at once."""
    info = lib.subscribe(url, title)
    return lib.refresh_feeds([info.id], progress, cancelled)
