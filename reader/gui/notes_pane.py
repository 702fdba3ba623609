"""The Notes list: every note with its story's headline and a snippet, newest edit first.

It lives in a dock beside the library tree (View → Notes). Rows are small value objects read
by the window's worker (:meth:`MainWindow.refresh_notes`); clicking one opens its story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QListView, QVBoxLayout, QWidget

from reader.gui import plain
from reader.gui.labels import date_label
from reader.gui.models import ROOT
from reader.types import Note

AnyIndex = QModelIndex | QPersistentModelIndex

#: The story id of a row.
NOTE_STORY_ROLE = Qt.ItemDataRole.UserRole + 10


@dataclass(frozen=True, slots=True)
class NoteEntry:
    """One row of the notes list (what the worker hands the GUI thread)."""

    story_id: int
    headline: str
    snippet: str
    updated_at: datetime


def note_entries(notes: list[Note], snippet: Any) -> list[NoteEntry]:
    """Rows for :class:`NotesModel`; ``snippet`` is ``Library.note_snippet``."""
    return [
        NoteEntry(n.story_id, n.headline or "(untitled story)", snippet(n), n.updated_at)
        for n in notes
    ]


class NotesModel(QAbstractListModel):
    """A flat list; a few hundred notes at most in practice, replaced wholesale."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[NoteEntry] = []

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            when = date_label(entry.updated_at)
            return f"{entry.headline}\n{when} · {entry.snippet}" if when else (
                f"{entry.headline}\n{entry.snippet}"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain.tooltip(f"{entry.headline}\n\n{entry.snippet}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Note on {entry.headline}: {entry.snippet}"
        if role == NOTE_STORY_ROLE:
            return entry.story_id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_entries(self, entries: list[NoteEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()


class NotesPane(QWidget):
    """The list and its heading; asks the window to open a story by signal."""

    story_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = NotesModel(self)
        self.heading = plain.label("No notes yet")
        self.heading.setWordWrap(True)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setAccessibleName("Notes")
        self.view.setSpacing(1)
        self.view.clicked.connect(self._open)
        self.view.activated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)

    def set_entries(self, entries: list[NoteEntry]) -> None:
        self.model.set_entries(entries)
        count = len(entries)
        self.heading.setText(
            "No notes yet. Select a story and press N to write one."
            if not count else f"{count} note{'s' if count != 1 else ''}, newest edit first"
        )

    def _open(self, index: QModelIndex) -> None:
        story = index.data(NOTE_STORY_ROLE)
        if isinstance(story, int):
            self.story_requested.emit(story)
