"""The "Feed settings…" dialog: the offline image cache's cap and, per feed, whether its
images are cached at all.

Both settings live in the library (not in QSettings), so ``broadsheet feeds cache`` and
``broadsheet feeds images`` see what the window set and the other way round. The dialog
reads through the :class:`~reader.library.Library` facade when it opens; it measures the
cache and writes the changes as jobs on the window's worker, so a large cache folder or an
eviction never holds up the window.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reader.gui import plain
from reader.gui.worker import Jobs
from reader.library import Library
from reader.types import FeedInfo

MB = 1024 * 1024
#: The largest cap the spin box offers (1 TB): beyond any sensible offline cache.
MAX_CAP_MB = 1024 * 1024
FEED_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """What the user asked for: the cap in bytes (None: unchanged) and the feeds whose
    "cache images" flag changed."""

    cap_bytes: int | None
    cache_images: dict[int, bool]

    def apply(self, library: Library) -> int:
        """Write the changes (on the worker); returns how many cached images were evicted."""
        removed = 0
        if self.cap_bytes is not None:
            removed = library.set_image_cache_limit(self.cap_bytes)
        for feed_id, enabled in self.cache_images.items():
            library.set_feed_images(feed_id, enabled)
        return removed


def size_text(size: int, files: int) -> str:
    return f"{size / MB:.1f} MB in {files} image{'s' if files != 1 else ''}"


class FeedSettingsDialog(QDialog):
    """Cap of the image cache in MB (with its current size) and a "cache images" check box
    per feed. OK queues one write job; :attr:`applied` fires when it is done."""

    #: The cache was measured: (bytes, files).
    measured = Signal(int, int)
    #: The changes were written: the :class:`FeedSettings` applied (None: nothing changed).
    applied = Signal(object)
    #: Writing failed: the message.
    failed = Signal(str)

    def __init__(self, library: Library, jobs: Jobs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Feed settings")
        self._jobs = jobs
        self._cap_mb = library.image_cache_limit() // MB
        self._feeds: list[FeedInfo] = library.feeds()

        self.cap = QSpinBox()
        self.cap.setRange(0, MAX_CAP_MB)
        self.cap.setSuffix(" MB")
        self.cap.setSingleStep(100)
        self.cap.setValue(min(self._cap_mb, MAX_CAP_MB))
        self.cap.setToolTip("0 keeps no images; above the cap the oldest images go first")
        self.size_label = plain.label("Measuring…")  # may quote an OS error
        form = QFormLayout()
        form.addRow("Image cache cap", self.cap)
        form.addRow("In the cache now", self.size_label)

        self.feed_list = QListWidget()
        for info in self._feeds:
            item = QListWidgetItem(info.title or info.url)
            item.setToolTip(plain.tooltip(info.url))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if info.cache_images else Qt.CheckState.Unchecked
            )
            item.setData(FEED_ID_ROLE, info.id)
            self.feed_list.addItem(item)
        feeds_label = QLabel(
            "Cache the images of these feeds for offline reading:"
            if self._feeds else "No feeds yet: add one from the Feeds menu."
        )
        feeds_label.setWordWrap(True)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(feeds_label)
        layout.addWidget(self.feed_list)
        layout.addWidget(buttons)
        self.resize(460, 380)
        jobs.submit(self._measure, self._show_size, self._show_size_failed,
                    label="Measuring the image cache")

    @staticmethod
    def _measure(library: Library, _progress: object, _cancelled: object) -> tuple[int, int]:
        return library.image_cache_size()

    def _show_size(self, result: object) -> None:
        size, files = result if isinstance(result, tuple) else (0, 0)
        try:
            self.size_label.setText(size_text(int(size), int(files)))
            self.measured.emit(int(size), int(files))
        except RuntimeError:  # the dialog was deleted before the answer came
            return

    def _show_size_failed(self, message: str) -> None:
        with contextlib.suppress(RuntimeError):
            self.size_label.setText(f"cannot measure ({message})")

    def settings(self) -> FeedSettings:
        """The changes made in the dialog so far."""
        cap = self.cap.value()
        changed: dict[int, bool] = {}
        for row in range(self.feed_list.count()):
            item = self.feed_list.item(row)
            feed_id = int(item.data(FEED_ID_ROLE))
            enabled = item.checkState() == Qt.CheckState.Checked
            before = next(f.cache_images for f in self._feeds if f.id == feed_id)
            if enabled != before:
                changed[feed_id] = enabled
        return FeedSettings(cap * MB if cap != self._cap_mb else None, changed)

    def accept(self) -> None:
        wanted = self.settings()
        if wanted.cap_bytes is None and not wanted.cache_images:
            self.applied.emit(None)
        else:
            self._jobs.submit(lambda lib, p, c: wanted.apply(lib),
                              lambda _removed: self._emit("applied", wanted),
                              lambda message: self._emit("failed", message),
                              label="Saving feed settings")
        super().accept()

    def _emit(self, name: str, value: object) -> None:
        """Report a job's end, unless the dialog is gone by then (the write still stands)."""
        with contextlib.suppress(RuntimeError):
            signal: SignalInstance = getattr(self, name)
            signal.emit(value)
