"""Getting articles in and out: the Import dialog, the sample, dropped files, the summary
after an import, and exports of the view, the library and the notes."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from reader import export as export_writers
from reader.errors import BroadsheetError
from reader.gui import plain
from reader.gui.child_jobs import run_in_child
from reader.gui.dialogs import import_summary
from reader.library import Library
from reader.paths import resource_path
from reader.progress import CancelCheck, Progress
from reader.types import ImportReport, StoryQuery

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow


class ImportFlow(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, "Import files", str(Path.home()),
            "News dumps (*.txt *.text *.jsonl *.json *.xml *.rss *.atom *.html *.htm *.md);;"
            "All files (*)",
        )
        if paths:
            self.start([Path(p) for p in paths])

    def open_sample(self) -> None:
        """Import the bundled fictional sample into the current library (one library, one
        place for notes; the sample's sources are clearly named)."""
        folder = resource_path("sample")
        if not folder.is_dir():
            self.window.long_jobs.warn("Sample library", f"The sample files are missing: {folder}")
            return
        self.start([folder])

    def start(self, paths: Sequence[Path]) -> None:
        chosen = list(paths)
        self.window.long_jobs.start(
            lambda lib, p, c: run_in_child(lib.path, "import_paths", (chosen,), p, c),
            "Importing", self._done, self._failed)

    def _done(self, report: Any) -> None:
        w = self.window
        w.library_changed()
        if isinstance(report, ImportReport):
            w.long_jobs.reset()  # no 100% bar or Cancel button behind the summary
            failed = bool(report.failed)
            icon = plain.Icon.Warning if failed or report.cancelled else plain.Icon.Information
            title = "Import finished with problems" if failed else "Import finished"
            w.status.show(f"Imported {_count(report.added, 'article')}")
            plain.message(w, title, import_summary(report), icon)
        w.import_finished.emit(report)

    def _failed(self, message: str) -> None:
        w = self.window
        w.long_jobs.warn("Import failed", message)
        w.navigator.reload()
        w.import_finished.emit(None)

    # ----------------------------------------------------------------- export

    def _ask_export_path(self, title: str) -> tuple[Path, str] | None:
        path, chosen = QFileDialog.getSaveFileName(
            self.window, title, str(Path.home() / "broadsheet-export.jsonl"),
            "JSON Lines (*.jsonl);;Markdown (*.md)",
        )
        if not path:
            return None
        fmt = "markdown" if path.endswith(".md") or "Markdown" in chosen else "jsonl"
        return Path(path), fmt

    def export_all(self) -> None:
        target = self._ask_export_path("Export the whole library")
        if target is not None:
            self._export(target[0], target[1], None)

    def export_view(self) -> None:
        target = self._ask_export_path("Export the current view")
        if target is not None:
            self._export(target[0], target[1], self.window.navigator.current_query())

    def _export(self, path: Path, fmt: str, query: StoryQuery | None) -> None:
        topic = None
        if query is not None and query.topic_id is not None and query == StoryQuery(
            topic_id=query.topic_id, sort=query.sort
        ):
            topic = self.window.story_ops.topic_name(query.topic_id)
            query = None  # the core streams one topic directly

        def job(lib: Library, progress: Progress, cancelled: CancelCheck) -> int:
            rows = lib.export_rows(topic) if query is None else view_rows(lib, query, cancelled)
            tmp = path.with_name(path.name + ".part")
            try:
                with tmp.open("w", encoding="utf-8") as out:
                    count = export_writers.write(fmt, rows, out)
                tmp.replace(path)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise BroadsheetError(f"{path}: cannot write the export ({exc.strerror})") from exc
            return count

        self.window.long_jobs.start(job, "Exporting", functools.partial(self._exported, path))

    def _exported(self, path: Path, count: Any) -> None:
        # The path travels with the job: a second export cannot make this message stale.
        self.window.status.show(f"Exported {_count(int(count), 'article')} to {path}")

    def export_notes(self) -> None:
        """File → Export notes…: one Markdown file per noted story into a folder."""
        folder = QFileDialog.getExistingDirectory(self.window, "Export notes to a folder",
                                                  str(Path.home()))
        if not folder:
            return
        target = Path(folder)
        self.window.long_jobs.start(lambda lib, p, c: lib.export_notes(target),
                                    "Exporting notes",
                                    functools.partial(self._notes_exported, target))

    def _notes_exported(self, folder: Path, written: Any) -> None:
        count = len(written) if isinstance(written, list) else 0
        self.window.status.show(f"Exported {_count(count, 'note file')} to {folder}")
        self.window.notes_exported.emit(written)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def view_rows(lib: Library, query: StoryQuery, cancelled: CancelCheck) -> Iterator[Any]:
    """Export rows for an arbitrary view: walk its stories page by page, then their versions."""
    after: tuple[object, ...] | None = None
    while True:
        page = lib.story_page(query, after, 200)
        for story in page:
            if cancelled():
                return
            note = lib.note(story.id)
            for version in lib.versions(story.id):
                art = lib.article(version.article_id)
                yield {
                    "id": art.id, "title": art.title, "body": art.body, "source": art.source,
                    "published": art.published.isoformat() if art.published else None,
                    "published_inferred": art.published_inferred, "url": art.url,
                    "story": art.story_id, "topics": list(art.topics), "read": art.read,
                    "starred": art.starred, "note": note.body if note else None,
                    "author": art.author, "external_id": art.external_id,
                }
        if len(page) < 200:
            return
        after = page[-1].sort_key
