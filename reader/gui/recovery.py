"""What the window says and does when the library is damaged, read-only, newer, or to be
restored.

The decisions (restore the newest good backup, start a new library, or leave the file alone)
are asked here with message boxes; the file operations are the core's
(:meth:`Library.restore_from` keeps the replaced file as ``*.replaced-<time>``,
:meth:`Library.set_aside` keeps a damaged one as ``*.damaged-<time>``). Nothing
is ever deleted or overwritten. Every function here expects that no connection to the library
is open while it changes the file: the caller closes its Library and the worker first.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QMainWindow, QMessageBox, QWidget

from reader.errors import BroadsheetError
from reader.gui import plain, theme
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
    box.setTextFormat(Qt.TextFormat.PlainText)  # the path and problem are shown as written
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


def recover_on_open(widget: QWidget | None, library: Path, problem: str) -> bool:
    """The library could not be opened (or shown) because it is damaged: offer the newest
    good backup or a new library. True when the file was changed and opening may be retried.
    """
    print(f"broadsheet: {library}: {problem}", file=sys.stderr)
    backup = Library.newest_good_backup(library)
    choice = ask_recovery(widget, library, problem, backup, can_continue=False)
    if choice == NOT_NOW:
        return False
    try:
        print(f"broadsheet: {carry_out(choice, library, backup)}", file=sys.stderr)
    except BroadsheetError as failed:
        plain.message(widget, "Broadsheet cannot open the library", str(failed),
                      plain.Icon.Critical)
        return False
    return True


#: The window's actions that change the library (or its file), off on a read-only library.
WRITE_ACTIONS = (
    "act_import", "act_sample", "act_restore", "act_add_feed", "act_refresh_feeds",
    "act_refresh_feed", "act_remove_feed", "act_import_opml", "act_schedule",
    "act_feed_settings", "act_toggle_read", "act_star", "act_story_read", "act_split",
    "act_merge", "act_move", "act_regroup", "act_topics", "act_retopic", "act_quote",
)

READ_ONLY_BANNER = (
    "Read-only library: reading and searching work; importing, marking and notes are off"
)


def mark_read_only(window: QMainWindow) -> QLabel:
    """Say in the status bar that the library is read-only, and turn off every action that
    would write (the note editor only shows notes). Returns the banner label."""
    for name in WRITE_ACTIONS:
        action = getattr(window, name, None)
        if action is not None:
            action.setEnabled(False)
            action.setToolTip(f"{action.toolTip() or action.text()} (the library is read-only)")
    editor = getattr(window, "note_editor", None)
    if editor is not None:
        editor.set_read_only(True)
    banner = plain.label(READ_ONLY_BANNER)
    banner.setObjectName("readOnlyBanner")
    theme.bold(banner)
    banner.setAccessibleName(READ_ONLY_BANNER)
    window.statusBar().addPermanentWidget(banner)
    return banner
