"""Type a note into a real NoteEditor, saving through the library, until killed.

Used by ``tests/test_notes_crash.py``: it takes the GUI's path (QApplication offscreen, the
editor's own autosave timers, ``Library.save_note`` in the slot) and prints one line per typed
character, ``<index> <epoch seconds>``, so the test knows what was typed when it sends
SIGKILL. Usage::

    python note_typer.py LIBRARY STORY_ID TEXT_FILE INTERVAL_MS
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reader.errors import BroadsheetError
from reader.gui.note_editor import NoteEditor
from reader.library import Library


def main(argv: list[str]) -> int:
    library_path, story_id, text_file, interval = argv
    text = Path(text_file).read_text(encoding="utf-8")
    story = int(story_id)
    app = QApplication([sys.argv[0]])
    library = Library.open(library_path)
    editor = NoteEditor()

    def save(sid: int, body: str) -> None:
        try:
            library.save_note(sid, body)
        except BroadsheetError as exc:
            editor.mark_failed(sid, str(exc))
        else:
            editor.mark_saved(sid)

    editor.save_requested.connect(save)
    note = library.note(story)
    editor.set_story(story, note.body if note else "")
    editor.show()
    editor.start_editing()
    position = {"next": 0}

    def type_one() -> None:
        index = position["next"]
        if index >= len(text):
            timer.stop()
            print("DONE", flush=True)
            return
        QTest.keyClicks(editor.edit, text[index])
        position["next"] = index + 1
        print(f"{index} {time.time():.6f}", flush=True)

    timer = QTimer()
    timer.setInterval(int(interval))
    timer.timeout.connect(type_one)
    timer.start()
    print("READY", flush=True)
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
