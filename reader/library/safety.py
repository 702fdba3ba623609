"""Facade verbs for data safety: backups, restore, check and repair.

Mixed into :class:`reader.library.Library`. Opening a library through the facade takes a
backup before any schema migration and, once a day, on first open (then prunes old backups).
Restoring must work when the library cannot be opened at all, so :meth:`restore_from` is a
classmethod that never opens the current file as a library.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Self

from reader.errors import BroadsheetError, DamagedLibraryError, ReadOnlyLibraryError
from reader.library.base import LibraryBase
from reader.progress import CancelCheck, Progress, check_cancelled, never_cancelled, no_progress
from reader.storage import backup as backups
from reader.storage import integrity
from reader.storage import restore as restoring
from reader.storage.connection import BeforeMigrate, library_error, open_database, release
from reader.storage.salvage import SalvageResult, salvage
from reader.types import BackupInfo, CheckReport

__all__ = ["SafetyVerbs", "SalvageResult"]


class SafetyVerbs(LibraryBase):
    """Backups, restore, check and repair."""

    #: Why the last automatic backup was not taken (None when it was, or was not due).
    backup_warning: str | None = None
    #: True when that backup was refused because the library is damaged.
    backup_found_damage: bool = False
    #: What the last :meth:`repair` salvaged and could not read (None: no salvage needed).
    salvage_report: SalvageResult | None = None

    @classmethod
    def open(
        cls,
        path: Path | str | None = None,
        *,
        create: bool = True,
        before_migrate: BeforeMigrate | None = None,
        defer_housekeeping: bool = False,
        read_only: bool | None = None,
    ) -> Self:
        """Open as :meth:`LibraryBase.open` does, backing up before any schema migration."""
        return super().open(
            path,
            create=create,
            before_migrate=before_migrate or backups.backup_before_migration,
            defer_housekeeping=defer_housekeeping,
            read_only=read_only,
        )

    def _after_open(self) -> None:
        super()._after_open()
        if not self.defer_housekeeping:
            self.daily_backup()

    # ------------------------------------------------------------------ backups

    def daily_backup(self) -> Path | None:
        """Take the day's automatic backup if none was taken today, then prune.

        Never fails the open: a backup that cannot be written (disk full, read-only folder)
        leaves its reason in :attr:`backup_warning`. Empty libraries are not backed up, and
        neither is one whose backup would eat the last free space beside it.
        """
        self.backup_warning = None
        self.backup_found_damage = False
        made: Path | None = None
        if self.read_only:
            return None  # nothing here can change, and its folder may not take a backup
        try:
            if backups.is_empty(self.db) or not backups.backup_due(self.path):
                pass
            elif not backups.enough_space_for(self.path):
                self.backup_warning = (
                    f"{self.path}: the daily backup was skipped: too little free disk space"
                )
            else:
                made = self.backup()
        except backups.DamagedSourceError as exc:
            self.backup_warning = f"the daily backup was not taken: {exc.reason}"
            self.backup_found_damage = True
        except (BroadsheetError, OSError, sqlite3.Error) as exc:
            self.backup_warning = f"the daily backup failed: {exc}"
        # Pruning runs on every open, so a lowered ``backup.keep`` applies at once.
        with contextlib.suppress(OSError, sqlite3.Error):
            backups.prune(self.path, backups.keep_setting(self.db))
        return made

    def backup(self, dest: Path | None = None) -> Path:
        """Back up the library now (online: other processes may keep writing).

        ``dest`` None: a dated file in ``backups/`` next to the library. An existing folder:
        the dated file inside it. Otherwise that exact file name, which must not exist.
        """
        return backups.backup_connection(self.path, self.db.conn, dest)

    def list_backups(self) -> list[BackupInfo]:
        """The dated backups in ``backups/``, newest first."""
        return backups.list_backups(self.path)

    def backup_keep(self) -> int:
        """How many automatic backups are kept (default 7)."""
        return backups.keep_setting(self.db)

    def set_backup_keep(self, keep: int) -> None:
        backups.set_keep_setting(self.db, keep)

    def restore_backup(self, backup: Path | str) -> Path | None:
        """Replace this library with ``backup`` and reopen it; return where the replaced
        file was moved (``*.replaced-<timestamp>``)."""
        backup = Path(backup)
        restoring.verify_backup(backup, self.path)
        self.db.close()
        release(self.path)
        try:
            moved = restoring.restore(backup, self.path)
        finally:
            self.db = open_database(self.path)
        return moved

    @classmethod
    def restore_from(cls, backup: Path | str, library: Path | str) -> Path | None:
        """Restore ``backup`` in place of the library at ``library`` without opening it
        (it may be damaged). Returns where the replaced file was moved, if there was one."""
        return restoring.restore(Path(backup), Path(library))

    @classmethod
    def quick_check_file(cls, library: Path | str) -> list[str]:
        """``PRAGMA quick_check`` through a read-only connection of its own: the problems
        found, [] if sound. Safe on any thread; the window runs it after it is shown."""
        return integrity.quick_check_file(Path(library))

    @classmethod
    def set_aside(cls, library: Path | str, label: str = "damaged") -> Path | None:
        """Move a library (and its -wal/-shm) aside as ``<name>.<label>-<time>`` so a new one
        can start in its place; never deletes. Returns the new name, if there was a file."""
        return restoring.move_aside(Path(library), label)

    @classmethod
    def explain_failure(cls, library: Path | str, exc: BaseException) -> BroadsheetError | None:
        """The user-facing error for any failure on the library at ``library``: a
        :class:`DamagedLibraryError` for damage (whatever query met it), a
        :class:`ReadOnlyLibraryError`, a busy or full-disk :class:`LibraryError`; the error
        itself when it already is a :class:`BroadsheetError`; None for anything else (a bug)."""
        return library_error(Path(library), exc)

    @classmethod
    def list_backups_of(cls, library: Path | str) -> list[BackupInfo]:
        """The dated backups of the library at ``library`` (which need not open)."""
        return backups.list_backups(Path(library))

    @classmethod
    def salvage_file(
        cls, library: Path | str, progress: Progress = no_progress
    ) -> SalvageResult:
        """Copy the readable rows of a damaged library into a fresh file in its place; the
        result says what could not be read and where the damaged file was moved. Follow with
        :meth:`repair` (which rebuilds the search index, stories and topics)."""
        return salvage(Path(library), progress)

    @classmethod
    def newest_good_backup(cls, library: Path | str) -> BackupInfo | None:
        """The newest dated backup that passes the integrity check, for "restore the newest
        good backup" offers when ``library`` is damaged."""
        library = Path(library)
        for info in backups.list_backups(library):
            if info.verified is False:
                continue
            try:
                restoring.verify_backup(Path(info.path), library)
            except BroadsheetError:
                continue
            return info
        return None

    @classmethod
    def verify_backups(cls, library: Path | str) -> list[BackupInfo]:
        """Check every dated backup now (``integrity_check``, read-only) and record the
        outcome; returns the backups, newest first, with ``verified`` set."""
        library = Path(library)
        for info in backups.list_backups(library):
            with contextlib.suppress(BroadsheetError):
                restoring.verify_backup(Path(info.path), library)
        return backups.list_backups(library)

    # ------------------------------------------------------------------ check and repair

    def quick_check(self) -> list[str]:
        """``PRAGMA quick_check`` on this connection: the problems found, [] if sound."""
        return integrity.quick_check(self.db.conn)

    def check(self, full: bool = True) -> CheckReport:
        """Full (or quick) integrity check plus both search indexes against their tables."""
        return integrity.check(self.db, full=full)

    def repair(
        self, progress: Progress = no_progress, cancelled: CancelCheck = never_cancelled
    ) -> CheckReport:
        """Rebuild everything derived from the articles; never touch notes or corrections.

        If the file's pages are damaged, its readable rows are first salvaged into a fresh
        library and the damaged file is moved aside (``*.damaged-<timestamp>``); what could
        not be read is in :attr:`salvage_report`. Then: search indexes, story links and
        aggregates, grouping (``regroup``, when available) and topic assignments. Returns the
        check after repair. A read-only library is refused before anything is written.
        """
        if self.read_only:
            raise ReadOnlyLibraryError(
                self.path, "the library is read-only, so it cannot be repaired in place; copy "
                "it to a folder you can write and repair the copy"
            )
        self.salvage_report = None
        if integrity.integrity_check(self.db.conn, limit=1):
            self.db.close()
            release(self.path)
            try:
                self.salvage_report = salvage(self.path, progress)
            finally:
                self.db = open_database(self.path)
        progress(0, 0, "Rebuilding the search index")
        integrity.rebuild_fts(self.db)
        check_cancelled(cancelled, "repair")
        integrity.repair_story_links(self.db, progress, cancelled)
        self._rebuild_derived(progress, cancelled)
        report = self.check(full=True)
        if not report.ok:
            raise DamagedLibraryError(
                self.path, f"the repair did not fix: {'; '.join(report.problems[:3])}"
            )
        return report

    def _rebuild_derived(self, progress: Progress, cancelled: CancelCheck) -> None:
        """Grouping and topics, through the verbs their mixins provide (if present)."""
        regroup = getattr(self, "regroup", None)
        if callable(regroup):
            progress(0, 0, "Regrouping stories")
            regroup(progress=progress, cancelled=cancelled)
        reassign = getattr(self, "reassign_topics", None)
        if callable(reassign):
            progress(0, 0, "Reassigning topics")
            reassign(progress=progress, cancelled=cancelled)
