"""Backups of the library file with SQLite's online backup API, and restoring them.

Why the online backup API and not a file copy: the library runs in WAL mode and may be open in
another process (the GUI while the CLI imports); copying the main file alone could miss
committed pages still in the ``-wal`` or catch a half-written checkpoint. The backup API
copies one consistent snapshot, whoever else is writing.

Backups live in a ``backups/`` folder next to the library, named with a sortable UTC
timestamp (``library.broadsheet.db.2026-11-21T113000Z.bak``). Each one is written to a
``.partial`` name, synced and renamed, so a crash never leaves a half backup under a real name.
A backup is converted to rollback-journal mode so that it is one self-contained file, and is
checked (``quick_check``) before it gets its real name: the copy of a damaged library is
deleted instead, so a damaged library never replaces good backups with bad ones, and pruning
always keeps the newest backup known to be good (:mod:`reader.storage.backup_checks`).

Nothing here ever deletes or overwrites a library; only old *backups* are pruned. Restoring
one is :mod:`reader.storage.restore`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from reader.errors import BroadsheetError, DamagedLibraryError, LibraryError
from reader.storage import backup_checks as checks
from reader.storage.connection import is_damage
from reader.types import BackupInfo

BACKUP_FOLDER = "backups"
STAMP_FORMAT = "%Y-%m-%dT%H%M%SZ"
DEFAULT_KEEP = 7
#: ``settings`` key holding how many automatic backups to keep.
KEEP_KEY = "backup.keep"
#: Pages copied per step of the online backup; between steps other writers may proceed.
BACKUP_STEP_PAGES = 4096
#: An automatic backup is skipped when it would leave less than this much free space, so a
#: backup can never be what fills the disk under the library.
FREE_SPACE_MARGIN = 64 * 1024 * 1024

def stamp(when: datetime | None = None) -> str:
    """A sortable UTC timestamp for file names."""
    return (when or datetime.now(UTC)).astimezone(UTC).strftime(STAMP_FORMAT)


def backup_folder(library: Path) -> Path:
    return library.parent / BACKUP_FOLDER


def _name_pattern(library: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(library.name) + r"\.(\d{4}-\d\d-\d\dT\d{6}Z)(?:\.(\d+))?\.bak"
    )


def backup_info(library: Path, path: Path) -> BackupInfo | None:
    """Describe ``path`` if it is one of ``library``'s dated backups, else None."""
    match = _name_pattern(library).fullmatch(path.name)
    if match is None:
        return None
    created = datetime.strptime(match.group(1), STAMP_FORMAT).replace(tzinfo=UTC)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(
        path=str(path), created=created, size_bytes=size, sequence=int(match[2] or 0),
        verified=checks.status(path, library.name),
    )


def list_backups(library: Path) -> list[BackupInfo]:
    """The dated backups of ``library``, newest first."""
    folder = backup_folder(library)
    if not folder.is_dir():
        return []
    found = [info for p in folder.iterdir() if (info := backup_info(library, p)) is not None]
    found.sort(key=lambda b: (b.created, b.sequence), reverse=True)
    return found


def _fresh_backup_path(library: Path, when: datetime | None = None) -> Path:
    """A new dated name in the backups folder; a counter separates backups in one second."""
    folder = backup_folder(library)
    base = f"{library.name}.{stamp(when)}"
    candidate = folder / f"{base}.bak"
    counter = 0
    while candidate.exists():
        counter += 1
        candidate = folder / f"{base}.{counter}.bak"
    return candidate


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (best effort: not every platform can open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class DamagedSourceError(DamagedLibraryError):
    """The library being backed up is damaged: its copy failed the check and was deleted."""


def copy_database(source: sqlite3.Connection, dest: Path, library: Path | None = None) -> Path:
    """Write a consistent snapshot of ``source`` to ``dest`` (which must not exist).

    The copy goes to ``dest.partial`` first, is checked with ``quick_check``, and is renamed
    only once sound, complete and synced; a copy that fails the check is deleted and
    :class:`DamagedSourceError` raised. The check's outcome is recorded for ``library``'s
    pruning.
    """
    if dest.exists():
        raise BroadsheetError(f"{dest}: a file with this name already exists; not overwritten")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(str(partial))
    try:
        source.backup(target, pages=BACKUP_STEP_PAGES)
        # One self-contained file: a WAL-mode copy would need its -wal/-shm beside it.
        target.execute("PRAGMA journal_mode = DELETE")
        problems = checks.quick_check_connection(target)
        target.close()
        if problems:
            first = problems[0].splitlines()[0][:160]
            raise DamagedSourceError(
                library or dest,
                f"the library is damaged ({first}), so no backup was written and the "
                "earlier backups are kept",
            )
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, dest)
    except BaseException:
        target.close()
        partial.unlink(missing_ok=True)
        raise
    fsync_dir(dest.parent)
    checks.record(dest, (library or dest).name, [])
    return dest


def _storage_message(target: Path, exc: BaseException) -> str:
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.strerror:
        if "no space" in exc.strerror.lower():
            return f"{target}: cannot write the backup: the disk is full"
        return f"{target}: cannot write the backup ({exc.strerror})"
    if "full" in text:
        return f"{target}: cannot write the backup: the disk is full"
    return f"{target}: cannot write the backup ({exc})"


def resolve_destination(library: Path, dest: Path | None) -> Path:
    """Where a backup asked for with ``dest`` goes.

    No destination: a new dated name in ``backups/``. An existing folder: the same dated name
    inside that folder (never outside it). Anything else: exactly that file name, which must
    not exist yet, in a folder that must exist. The user's choice is never widened: no parent
    folders are created and nothing is overwritten.
    """
    if dest is None:
        backup_folder(library).mkdir(parents=True, exist_ok=True)
        return _fresh_backup_path(library)
    dest = Path(dest)
    if dest.is_dir():
        return dest / _fresh_backup_path(library).name
    if dest.exists() or dest.is_symlink():
        raise BroadsheetError(f"{dest}: a file with this name already exists; not overwritten")
    if not dest.parent.is_dir():
        raise BroadsheetError(f"{dest}: the folder {dest.parent} does not exist")
    return dest


def backup_connection(
    library: Path, source: sqlite3.Connection, dest: Path | None = None
) -> Path:
    """Back up the open connection ``source`` of ``library``; return the backup's path."""
    try:
        target = resolve_destination(library, dest)
    except OSError as exc:
        folder = dest if dest is not None else backup_folder(library)
        raise BroadsheetError(_storage_message(Path(folder), exc)) from exc
    try:
        return copy_database(source, target, library)
    except sqlite3.Error as exc:
        if is_damage(exc):
            raise DamagedSourceError(
                library, f"the library is damaged ({exc}), so no backup was written"
            ) from exc
        raise BroadsheetError(_storage_message(target, exc)) from exc
    except OSError as exc:
        raise BroadsheetError(_storage_message(target, exc)) from exc


def backup_file(library: Path, dest: Path | None = None) -> Path:
    """Back up the library file at ``library`` through a connection of its own.

    Used before a migration (the library's own connection is mid-open then) and by tools that
    must not open the library as a :class:`Library`.
    """
    source = sqlite3.connect(f"{library.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return backup_connection(library, source, dest)
    finally:
        source.close()


def backup_before_migration(library: Path, old_version: int, new_version: int) -> None:
    """The ``before_migrate`` hook of :func:`reader.storage.connection.open_database`.

    A migration that cannot be backed up first is not run: the error keeps the file unchanged.
    """
    try:
        backup_file(library)
    except BroadsheetError as exc:
        raise LibraryError(
            library,
            f"could not back up the library before upgrading it from schema {old_version} to "
            f"{new_version} ({exc}); the library was not changed",
        ) from exc


def prune(library: Path, keep: int) -> list[Path]:
    """Delete old dated backups; return what was removed.

    Kept: the newest ``keep`` backups not known to be damaged, and always the newest backup
    known to be good (unverified ones are checked, newest first, only when no kept backup is
    known to be good). A damaged backup is deleted only once it is older than everything
    kept. Leftover ``.partial`` files (from a backup interrupted by a crash) are removed too.
    """
    removed: list[Path] = []
    folder = backup_folder(library)
    if folder.is_dir():
        for stale in folder.glob(f"{glob_escape(library.name)}.*.partial"):
            with contextlib.suppress(OSError):
                stale.unlink()
                removed.append(stale)
    found = list_backups(library)
    usable = [b for b in found if b.verified is not False]
    kept = usable[: max(keep, 1)]
    if len(found) > len(kept) and not any(b.verified for b in kept):
        good = _newest_good(library, found)
        if good is not None and good not in kept:
            kept.append(good)
    oldest_kept = min(((b.created, b.sequence) for b in kept), default=None)
    for info in found:
        if info in kept:
            continue
        if info.verified is False and oldest_kept is not None and (
            (info.created, info.sequence) > oldest_kept
        ):
            continue  # damaged but newer than a kept backup: it may still hold rows to salvage
        with contextlib.suppress(OSError):
            Path(info.path).unlink()
            removed.append(Path(info.path))
    return removed


def _newest_good(library: Path, found: list[BackupInfo]) -> BackupInfo | None:
    """The newest backup known or checked now to be good (results are recorded)."""
    for info in found:
        if info.verified is None:
            problems = checks.quick_check_path(Path(info.path))
            checks.record(Path(info.path), library.name, problems)
            if not problems:
                return info
        elif info.verified:
            return info
    return None


def glob_escape(text: str) -> str:
    """Escape glob metacharacters in a file name."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def backup_due(library: Path, now: datetime | None = None) -> bool:
    """True when no dated backup was made today (UTC): the daily backup is taken on first open."""
    backups = list_backups(library)
    if not backups:
        return True
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    return backups[0].created.date() != today


def enough_space_for(library: Path) -> bool:
    """Whether an automatic backup leaves a safe margin of free space next to the library."""
    size = sum(
        p.stat().st_size for p in (library, Path(f"{library}-wal")) if p.exists()
    )
    folder = library.parent
    free = shutil.disk_usage(folder).free
    return free - size > FREE_SPACE_MARGIN


# --------------------------------------------------------------------------- settings


def keep_setting(db: Database) -> int:
    """How many automatic backups to keep (``settings['backup.keep']``, default 7)."""
    row = db.conn.execute("SELECT value FROM settings WHERE key = ?", [KEEP_KEY]).fetchone()
    if row is None:
        return DEFAULT_KEEP
    try:
        return max(1, int(row[0]))
    except ValueError:
        return DEFAULT_KEEP


def set_keep_setting(db: Database, keep: int) -> None:
    if keep < 1:
        raise BroadsheetError("keep at least one backup")
    with db.atomic():
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [KEEP_KEY, str(keep)],
        )


def is_empty(db: Database) -> bool:
    """No articles and no notes: nothing a backup would protect."""
    row = db.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM articles) OR EXISTS (SELECT 1 FROM notes)"
    ).fetchone()
    return not row[0]
