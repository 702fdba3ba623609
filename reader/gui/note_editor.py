"""The note editor under the article: write Markdown, see it rendered, never lose a word.

The widget never touches the library. It asks for saves through :attr:`NoteEditor.save_requested`
and the window answers with :meth:`NoteEditor.mark_saved` or :meth:`NoteEditor.mark_failed`.
Saves are asked for ~0.7 s after the last keystroke (a single-shot timer restarted on every
edit), on focus-out, when leaving edit mode, and on :meth:`NoteEditor.flush`, which the window
calls when switching story and on close. A second single-shot timer, started by the first
unsaved edit and *not* restarted, caps the wait during non-stop typing (a pure debounce would
never fire while someone types without pausing). So at most the last second of typing is ever
at risk, which the kill -9 test checks with a real process.

A failed save keeps the text and shows the error; the next edit (or flush) tries again, and
so does a retry timer (5 s, doubling up to a minute) when nobody types: a save that met
another program's long write (an import commits each file in one transaction) is stored as
soon as the library is free. Edits are counted in revisions so that an acknowledgement for an
older text never marks newer typing as saved. On a read-only library the editor only shows
the note.

Outside editing the note is rendered: Markdown to sanitised HTML (:mod:`reader.markdown`) in a
``QTextBrowser`` that loads nothing and opens http(s)/mailto links in the system browser only
when clicked. Clicking anywhere else on the rendered note, or Ctrl+N, starts editing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QKeySequence,
    QShortcut,
    QShowEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reader.gui import plain, theme
from reader.gui.note_views import PlainEdit, RenderedNote
from reader.markdown import render_markdown
from reader.notes_text import append_block

#: Autosave delay after the last keystroke: comfortably inside the 1 s promise.
AUTOSAVE_MS = 700
#: Longest wait between the first unsaved keystroke and its save, even while typing on.
MAX_WAIT_MS = 800

#: Starts editing. If the window already binds it (to call :meth:`NoteEditor.start_editing`),
#: the editor's own shortcut stands down, since two bindings make Qt fire neither.
EDIT_KEY = QKeySequence("Ctrl+N")

#: First retry of a failed save, and the longest wait between retries (it doubles).
RETRY_MS = 5_000
MAX_RETRY_MS = 60_000

SAVED = "Saved"
SAVING = "Saving…"
READ_ONLY = "Read-only library: notes cannot be changed"

_PLACEHOLDER_HTML = (
    "<p style='color: gray'>No note yet. Click here or press Ctrl+N to write one "
    "(Markdown: # headings, - lists, &gt; quotes, *emphasis*, [links](https://…)).</p>"
)


class NoteEditor(QWidget):
    """Markdown note of one story, with autosave and a rendered view."""

    #: ``(story_id, text)``: store this text as the story's note, then call mark_saved/failed.
    save_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._story_id: int | None = None
        self._loading = False
        #: Edits since the story was loaded; what was last asked to be saved; last confirmed.
        self._revision = 0
        self._requested = 0
        self._saved = 0
        self._error: str | None = None
        self._read_only = False
        #: Text of stories left while their save had failed: never thrown away.
        self._unsaved: dict[int, str] = {}

        self.title = QLabel("Note")
        theme.bold(self.title)
        self.indicator = plain.label()  # may quote a storage error
        self.indicator.setObjectName("noteIndicator")
        self.indicator.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.toggle = QPushButton("Edit")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Edit the note (Ctrl+N); Done shows it rendered")
        self.toggle.toggled.connect(self._on_toggled)

        self.view = RenderedNote()
        self.view.edit_requested.connect(self.start_editing)
        self.view.link_opened.connect(self._open_link)
        self.edit = PlainEdit()
        self.edit.setPlaceholderText("Write about this story. Markdown works: # - > * [](…)")
        self.edit.setTabChangesFocus(True)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.focus_lost.connect(self._on_focus_lost)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.edit)

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.title)
        header.addWidget(self.indicator, 1)
        header.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        self._max_timer = QTimer(self)
        self._max_timer.setSingleShot(True)
        self._max_timer.setInterval(MAX_WAIT_MS)
        self._max_timer.timeout.connect(self.flush)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RETRY_MS)
        self._retry_timer.timeout.connect(self._retry)

        self.edit_shortcut = QShortcut(EDIT_KEY, self)
        self.edit_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.edit_shortcut.activated.connect(self.start_editing)

        self._render()
        self._set_enabled()

    # ------------------------------------------------------------------ the interface

    def set_story(self, story_id: int | None, text: str) -> None:
        """Show ``story_id``'s note (None: no story); ``text`` is the stored note.

        Unsaved text of the story being left is saved first. If that save fails, the text is
        kept in memory and comes back (and is retried) when the user returns to that story,
        because the editor never throws typed text away. Setting the story that is already
        shown keeps the text being edited rather than replacing it with an older copy.
        """
        self.flush()
        if story_id is not None and story_id == self._story_id and self._revision > 0:
            return
        if self._story_id is not None and not self.is_saved():
            self._unsaved[self._story_id] = self.edit.toPlainText()
        self._timer.stop()
        self._max_timer.stop()
        self._retry_timer.stop()
        self._retry_timer.setInterval(RETRY_MS)
        self._story_id = story_id
        self._revision = self._requested = self._saved = 0
        self._error = None
        pending = self._unsaved.get(story_id) if story_id is not None else None
        self._loading = True
        try:
            self.edit.setPlainText(text if pending is None else pending)
        finally:
            self._loading = False
        self._show_indicator(READ_ONLY if self._read_only else "")
        self.stop_editing(save=False)
        self._set_enabled()
        if pending is not None:
            self._revision = 1  # unsaved: retry soon, and say so
            self._error = "an earlier save failed"
            self._show_indicator(f"Not saved: {self._error} (retrying…)", error=True)
            self._timer.start()

    def flush(self) -> None:
        """Ask now for a save of unsaved text (no-op when nothing changed since the last ask)."""
        self._timer.stop()
        self._max_timer.stop()
        if self._story_id is None or not self.is_dirty():
            return
        self._requested = self._revision
        self._show_indicator(SAVING)
        self.save_requested.emit(self._story_id, self.edit.toPlainText())

    def mark_saved(self, story_id: int) -> None:
        """The window stored the text last requested for ``story_id``."""
        if story_id != self._story_id:
            self._unsaved.pop(story_id, None)
            return
        self._unsaved.pop(story_id, None)
        self._saved = self._requested
        self._error = None
        self._retry_timer.stop()
        self._retry_timer.setInterval(RETRY_MS)
        self._show_indicator(SAVED if self._saved == self._revision else SAVING)

    def mark_failed(self, story_id: int, message: str, retry: bool = True) -> None:
        """The save failed: keep the text, show why, and try again on the next edit or
        flush, and (``retry``) by itself a little later, waiting longer each time."""
        if story_id != self._story_id:
            return
        self._requested = self._saved  # so the text counts as unsaved again
        self._error = message
        if retry and not self._read_only:
            self._show_indicator(f"Not saved: {message} (retrying…)", error=True)
            self._retry_timer.start()
        else:
            self._show_indicator(f"Not saved: {message}", error=True)

    def set_read_only(self, read_only: bool) -> None:
        """Show notes but never edit or save them (the library cannot be written)."""
        self._read_only = read_only
        if read_only:
            self._retry_timer.stop()
            self.stop_editing(save=False)
        self._set_enabled()
        self._show_indicator(READ_ONLY if read_only else "")

    def append_quote(self, markdown: str) -> None:
        """Append a quote block (see :func:`reader.notes_text.format_quote`) and save it now."""
        if self._story_id is None or self._read_only or not markdown.strip():
            return
        self.edit.setPlainText(append_block(self.edit.toPlainText(), markdown))
        self.edit.moveCursor(QTextCursor.MoveOperation.End)
        if not self.is_editing():
            self._render()
        self.flush()

    # ------------------------------------------------------------------ state

    def story_id(self) -> int | None:
        return self._story_id

    def text(self) -> str:
        return self.edit.toPlainText()

    def is_dirty(self) -> bool:
        """True while some edit has not been asked to be saved (or its save failed)."""
        return self._requested != self._revision

    def is_saved(self) -> bool:
        return self._saved == self._revision

    def unsaved_stories(self) -> list[int]:
        """Stories whose text is not stored yet (the window can warn before quitting)."""
        ids = set(self._unsaved)
        if self._story_id is not None and not self.is_saved():
            ids.add(self._story_id)
        return sorted(ids)

    def is_editing(self) -> bool:
        return self.stack.currentWidget() is self.edit

    def status_text(self) -> str:
        return self.indicator.text()

    def start_editing(self) -> None:
        """Show the editor with the cursor at the end of the note, where writing continues."""
        if self._story_id is None or self._read_only:
            return
        if not self.is_editing():
            self.edit.moveCursor(QTextCursor.MoveOperation.End)
        self.stack.setCurrentWidget(self.edit)
        self._sync_toggle(True)
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def stop_editing(self, save: bool = True) -> None:
        if save:
            self.flush()
        self._render()
        self.stack.setCurrentWidget(self.view)
        self._sync_toggle(False)

    # ------------------------------------------------------------------ internals

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.edit_shortcut.setEnabled(not self._window_binds_edit_key())

    def _window_binds_edit_key(self) -> bool:
        window = self.window()
        if window is self:
            return False
        for action in window.findChildren(QAction):
            if any(key.matches(EDIT_KEY) == QKeySequence.SequenceMatch.ExactMatch
                   for key in action.shortcuts()):
                return True
        return any(
            other is not self.edit_shortcut
            and other.key().matches(EDIT_KEY) == QKeySequence.SequenceMatch.ExactMatch
            for other in window.findChildren(QShortcut)
        )

    def _on_text_changed(self) -> None:
        if self._loading or self._story_id is None:
            return
        self._revision += 1
        if self._error is not None:
            self._show_indicator(f"Not saved: {self._error} (retrying…)", error=True)
        else:
            self._show_indicator(SAVING)
        self._timer.start()  # restarts: fires AUTOSAVE_MS after the last keystroke
        if not self._max_timer.isActive():
            self._max_timer.start()  # not restarted: caps the wait while typing goes on

    def _on_focus_lost(self) -> None:
        self.flush()

    def _retry(self) -> None:
        """Try a failed save again; the next failure waits twice as long (up to a minute)."""
        if self._story_id is not None and self.is_dirty():
            self._retry_timer.setInterval(min(MAX_RETRY_MS, self._retry_timer.interval() * 2))
            self.flush()

    def _on_toggled(self, checked: bool) -> None:
        if checked:
            self.start_editing()
        else:
            self.stop_editing()

    def _sync_toggle(self, editing: bool) -> None:
        self.toggle.blockSignals(True)
        self.toggle.setChecked(editing)
        self.toggle.setText("Done" if editing else "Edit")
        self.toggle.blockSignals(False)

    def _render(self) -> None:
        html = render_markdown(self.edit.toPlainText())
        self.view.setHtml(html or (_PLACEHOLDER_HTML if self._story_id is not None else ""))

    def _set_enabled(self) -> None:
        active = self._story_id is not None and not self._read_only
        self.toggle.setEnabled(active)
        self.edit.setReadOnly(not active)

    def _show_indicator(self, text: str, error: bool = False) -> None:
        self.indicator.setText(text)
        self.indicator.setToolTip(plain.tooltip(text))
        self.indicator.setStyleSheet("color: #b00020" if error else "color: gray")

    def _open_link(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)
