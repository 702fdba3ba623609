"""What the window says and does when the library is damaged, newer, or to be restored.

The decisions (restore the newest good backup, start a new library, or leave the file alone)
are asked here with message boxes; the file operations are the core's
(:meth:`Library.restore_from` keeps the replaced file as ``*.replaced-<time>``,
:meth:`Library.set_aside` keeps a damaged one as ``*.damaged-<time>``). Nothing
is ever deleted or overwritten. Every function here expects that no connection to the library
is open while it changes the file: the caller closes its Library and the worker first.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from reader.library import Library
from reader.types import BackupInfo

#: The user's choices when the library is damaged.
RESTORE = "restore"
NEW_LIBRARY = "new"
NOT_NOW = "not-now"

RESTORE_TEXT = "Restore newest backup"
NEW_TEXT = "Start a new library"


def backup_label(info: BackupInfo) -> str:
    """``2025-03-01 09:14 · 12.3 MB · name.db`` for lists of backups."""
    size = info.size_bytes / 1_000_000
    return f"{info.created:%Y-%m-%d %H:%M} · {size:.1f} MB · {Path(info.path).name}"


def ask_recovery(
    parent: QWidget | None,
    library: Path,
    problem: str,
    backup: BackupInfo | None,
    *,
    can_continue: bool,
) -> str:
    """Say the library is damaged and ask what to do. Returns RESTORE, NEW_LIBRARY or NOT_NOW.

    ``can_continue``: the library is open and still usable (the background quick check found
    damage), so "Not now" keeps working with it; otherwise the choice is "Quit".
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("The library is damaged")
    lines = [
        f"Broadsheet found damage in your library:\n{library}",
        "",
        problem.strip()[:600],
        "",
    ]
    if backup is not None:
        lines.append(f"The newest good backup is from {backup.created:%d %b %Y %H:%M}.")
    else:
        lines.append("There is no good backup of this library.")
    lines.append(
        "Either way the damaged file is kept next to the library (renamed), never deleted."
    )
    box.setText("\n".join(lines))
    restore = box.addButton(RESTORE_TEXT, QMessageBox.ButtonRole.AcceptRole)
    restore.setEnabled(backup is not None)
    fresh = box.addButton(NEW_TEXT, QMessageBox.ButtonRole.DestructiveRole)
    later = box.addButton(
        "Not now" if can_continue else "Quit", QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(restore if backup is not None else later)
    box.exec()
    clicked = box.clickedButton()
    if clicked is restore and backup is not None:
        return RESTORE
    if clicked is fresh:
        return NEW_LIBRARY
    return NOT_NOW


def carry_out(choice: str, library: Path, backup: BackupInfo | None) -> str:
    """Do what :func:`ask_recovery` returned, with the library closed. Returns a summary."""
    if choice == RESTORE and backup is not None:
        moved = Library.restore_from(backup.path, library)
        kept = f" The damaged file was kept as {moved.name}." if moved else ""
        return f"Restored the backup from {backup.created:%d %b %Y %H:%M}.{kept}"
    if choice == NEW_LIBRARY:
        moved = Library.set_aside(library, "damaged")
        kept = f" The damaged file was kept as {moved.name}." if moved else ""
        return f"Started a new, empty library.{kept}"
    return ""


def choose_backup(parent: QWidget | None, backups: list[BackupInfo]) -> BackupInfo | None:
    """File → Restore from backup…: pick one of the dated backups (newest first)."""
    if not backups:
        QMessageBox.information(
            parent, "Restore from backup",
            "There are no backups of this library yet. Broadsheet takes one each day on "
            "first open, and before every upgrade.",
        )
        return None
    labels = [backup_label(b) for b in backups]
    choice, ok = QInputDialog.getItem(
        parent, "Restore from backup",
        "Replace the library with this backup (the current file is kept, renamed):",
        labels, 0, False,
    )
    if not ok or choice not in labels:
        return None
    return backups[labels.index(choice)]
