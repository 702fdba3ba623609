"""Notes from the window: saving what the editor asks to save, quoting a passage, and the
Notes list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from reader.gui.notes_pane import NoteEntry, note_entries
from reader.library import Library
from reader.notes_text import format_quote
from reader.progress import CancelCheck, Progress

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow


class NotesFlow(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def save(self, story_id: int, text: str) -> None:
        saver = _NoteSaved(self.window, story_id)
        self.window.jobs.submit(lambda lib, p, c: lib.save_note(story_id, text),
                                saver.done, saver.failed, label="Saving note")

    def quote(self) -> None:
        w = self.window
        article = w.reading.article
        passage = w.reading.selected_text().strip()
        if article is None or not passage:
            w.status.show("Select some text in the article to quote it.")
            return
        w.note_editor.append_quote(format_quote(passage, article.source, article.published))

    def focus_note(self) -> None:
        editor = self.window.note_editor
        focus = getattr(editor, "start_editing", None) or getattr(editor, "focus_editor", None)
        if callable(focus):
            focus()
        else:
            editor.setFocus()

    def refresh(self) -> None:
        """Refill the notes list (read on the worker: it joins every note's headline)."""

        def job(lib: Library, _p: Progress, _c: CancelCheck) -> list[NoteEntry]:
            return note_entries(lib.notes(), lib.note_snippet)

        self.window.jobs.submit(job, self._ready, self.window.counts_failed,
                                label="Listing notes")

    def _ready(self, entries: Any) -> None:
        self.window.notes_pane.set_entries(list(entries))
        self.window.notes_refreshed.emit()


class _NoteSaved:
    """Routes one note save's result back to the editor (GUI thread)."""

    def __init__(self, window: MainWindow, story_id: int) -> None:
        self.window = window
        self.story_id = story_id

    def done(self, result: Any) -> None:
        self.window.note_editor.mark_saved(self.story_id)
        self.window.apply_changes(result)

    def failed(self, message: str) -> None:
        self.window.note_editor.mark_failed(self.story_id, message)
