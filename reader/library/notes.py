"""Facade verbs for notes. Mixed into :class:`reader.library.Library`.

A save either commits or raises a :class:`~reader.errors.BroadsheetError` whose message the
editor shows while it keeps the text: a read-only or full disk must never cost the user the
words they typed. Each save is its own short transaction, so after a crash the library holds
the last save that returned, and nothing half-written.
"""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reader.errors import LibraryError, ReadOnlyLibraryError
from reader.library.base import LibraryBase
from reader.notes_export import ExportNote, ExportVersion, write_notes
from reader.notes_text import note_snippet
from reader.query import parse_search, to_fts
from reader.storage import notes as store
from reader.types import Changes, Note


@dataclass(frozen=True, slots=True)
class NoteHit:
    """A note that matched :meth:`NoteVerbs.search_notes`.

    ``snippet`` shows where: matched words are marked with ``[`` and ``]``.
    """

    story_id: int
    headline: str
    snippet: str
    updated_at: datetime


def _when(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _ts(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def _note(row: store.NoteRow) -> Note:
    return Note(
        story_id=row.story_id,
        body=row.body,
        created_at=_when(row.created_at),
        updated_at=_when(row.updated_at),
        headline=row.headline,
    )


def _save_failure(exc: BaseException) -> str:
    """Why a save failed, in the user's terms, always saying the text is still there."""
    text = str(exc).lower()
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "disk is full" in text:
        reason = "the disk is full"
    elif "readonly" in text or "read-only" in text or "permission" in text:
        reason = "the library is read-only"
    elif "locked" in text or "busy" in text:
        reason = "the library is busy in another program"
    else:
        reason = f"the library could not be written ({exc})"
    return f"note not saved: {reason}; your text is kept in the editor"


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class NoteVerbs(LibraryBase):
    """Read, save, list, search and export notes."""

    def note(self, story_id: int) -> Note | None:
        """The note on ``story_id``, or None when the story has none."""
        row = store.get(self.db, story_id)
        return _note(row) if row else None

    def save_note(
        self,
        story_id: int,
        text: str,
        wait: float = 0.0,
        waiting: Callable[[], None] | None = None,
    ) -> Changes:
        """Store ``text`` as the story's note; blank text deletes the note.

        The save starts an immediate transaction, so while another program writes (an
        import commits each file in one transaction) it waits up to the busy timeout (15 s),
        then tries again until ``wait`` seconds have passed; ``waiting`` is called once when
        that begins. The window keeps ``wait`` at 0 (its editor keeps the text and retries);
        the command line waits for the import.

        Raises :class:`~reader.errors.NotFound` for an unknown story and
        :class:`~reader.errors.LibraryError` when the library cannot be written.
        """
        deadline = time.monotonic() + wait
        while True:
            try:
                with self.db.atomic():
                    before = store.get(self.db, story_id) is not None
                    changed = store.save(self.db, story_id, text)
                    after = bool(text.strip())
                break
            except ReadOnlyLibraryError as exc:
                raise ReadOnlyLibraryError(self.path, _save_failure(exc)) from exc
            except (sqlite3.Error, OSError) as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    raise LibraryError(self.path, _save_failure(exc)) from exc
                if waiting is not None:
                    waiting()
                    waiting = None
        return Changes(
            notes=changed,
            stories=changed and before != after,
            story_ids=(story_id,) if changed else (),
        )

    def notes(self, limit: int | None = None) -> list[Note]:
        """Every note with its story's headline, newest edit first."""
        return [_note(r) for r in store.all_notes(self.db, limit)]

    @staticmethod
    def note_snippet(note: Note, length: int = 160) -> str:
        """A one-line plain preview of ``note`` for lists."""
        return note_snippet(note.body, length)

    def search_notes(self, query: str, limit: int = 200) -> list[NoteHit]:
        """Notes matching ``query`` (search-box syntax; any input is safe), best first."""
        node = parse_search(query)
        if node is None:
            return []
        return [
            NoteHit(
                story_id=m.story_id,
                headline=self.story_headline(m.story_id),
                snippet=" ".join(m.snippet.split()),
                updated_at=_when(m.updated_at),
            )
            for m in store.search(self.db, to_fts(node), limit)
        ]

    def story_headline(self, story_id: int) -> str:
        return store.headline(self.db, story_id)

    def export_notes(self, directory: Path | str, single: Path | str | None = None) -> list[Path]:
        """Write every note as Markdown into ``directory`` (see :mod:`reader.notes_export`).

        Returns the files written. Existing files are never replaced.
        """
        return write_notes(
            self._export_notes(), directory, single, exported_at=datetime.now(UTC)
        )

    def _export_notes(self) -> list[ExportNote]:
        out: list[ExportNote] = []
        for story_id in store.noted_story_ids(self.db):
            row = store.get(self.db, story_id)
            if row is None:  # pragma: no cover - deleted between the two reads
                continue
            story = store.story_for_export(self.db, story_id)
            out.append(
                ExportNote(
                    story_id=story_id,
                    headline=story.headline,
                    body=row.body,
                    sources=story.sources,
                    first_published=_ts(story.first_ts),
                    last_published=_ts(story.last_ts),
                    topics=story.topics,
                    versions=tuple(
                        ExportVersion(
                            v.title, v.source, _ts(v.published_ts), v.published_inferred, v.url
                        )
                        for v in story.versions
                    ),
                    created_at=_when(row.created_at),
                    updated_at=_when(row.updated_at),
                )
            )
        return out
