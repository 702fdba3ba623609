"""The window's safety chores: the daily backup and the integrity check once the window is
shown, the recovery offer when damage is found, and restoring a backup (which closes every
connection, changes the file and opens it again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from reader.errors import BroadsheetError
from reader.gui import recovery
from reader.gui.worker import QuickCheck
from reader.library import Library

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow


class Housekeeping(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._quick_check: QuickCheck | None = None

    def wait(self) -> None:
        """Let a running integrity check finish (before closing the library)."""
        if self._quick_check is not None:
            self._quick_check.wait()
            self._quick_check = None

    def start_housekeeping(self) -> None:
        """After the window is shown: the daily backup (worker) and the integrity quick check
        (its own read-only connection on its own thread, so writes never wait for it)."""
        w = self.window
        w.jobs.submit(lambda lib, p, c: (lib.daily_backup(), lib.backup_warning),
                         self._backup_done, self._backup_failed, label="Daily backup",
                         cancel_on_stop=True)
        self._quick_check = QuickCheck(w.library.path, self)
        self._quick_check.done.connect(self._quick_check_done)
        self._quick_check.start()


    def _backup_done(self, result: Any) -> None:
        w = self.window
        if result[1]:
            w.status.show(str(result[1]), 20_000)
        w.housekeeping_done.emit("backup")


    def _backup_failed(self, message: str) -> None:
        w = self.window
        w.status.show(f"The daily backup failed: {message}", 20_000)
        w.housekeeping_done.emit("backup")


    def _quick_check_done(self, problems: list[str]) -> None:
        w = self.window
        self._quick_check = None
        w.housekeeping_done.emit("check")
        if problems:
            self.offer_recovery("; ".join(problems[:5]))


    def offer_recovery(self, problem: str) -> None:
        """The open library is damaged: offer its newest good backup or a new library."""
        w = self.window
        path = w.library.path
        backup = Library.newest_good_backup(path)
        choice = recovery.ask_recovery(w, path, problem, backup, can_continue=True)
        if choice != recovery.NOT_NOW:
            self.reopen(lambda: recovery.carry_out(choice, path, backup))


    def restore_from_backup(self) -> None:
        """File → Restore from backup…: list the dated backups and restore the chosen one."""
        w = self.window
        chosen = recovery.choose_backup(w, w.library.list_backups())
        if chosen is not None:
            path = w.library.path
            self.reopen(lambda: recovery.carry_out(recovery.RESTORE, path, chosen))


    def reopen(self, change: Callable[[], str]) -> None:
        """Close every connection to the library, run ``change`` on the file, open it again
        (the note being typed is saved first: the worker runs queued writes before it stops)."""
        w = self.window
        w.note_editor.flush()
        w.read_state.stop_timer()
        w.watch.stop()
        if self._quick_check is not None:
            self._quick_check.wait()
            self._quick_check = None
        w.jobs.shutdown()
        w.jobs.deleteLater()
        w.long_jobs.reset()
        path = w.library.path
        w.library.close()
        message = ""
        try:
            message = change()
        except BroadsheetError as exc:
            message = f"Nothing was changed: {exc}"
            w.long_jobs.warn("Restore", str(exc))
        w.library = Library.open(path, defer_housekeeping=True)
        w.pager.set_fetchers(w.library.story_page, w.library.versions)
        w._start_jobs()
        w.navigator.leave_story("Select a story to read it.")
        w.library_changed()
        w.watch.start()
        if message:
            w.status.show(message, 20_000)
        w.library_reopened.emit(message)
