"""The user's corrections to grouping, in storage: merge two stories, split a version off,
move a version to another story. SQL only; grouping reads the corrections back as constraints
(:mod:`reader.grouping.clusters`), so a later regroup keeps them.

Corrections (table ``corrections``):

- ``alone`` (article_id): from a split. The article joins nothing automatically, and
  nothing joins it.
- ``together`` (article_id, other_id): from a merge or a move. The two always share a story.
- ``apart`` (article_id, other_id): from a move. The two never share a story again.

A later correction overrides older ones that contradict it (a move deletes the moved
article's old ``alone``/``together``/``apart`` rows that involve the target story).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlite_utils import Database

from reader.errors import InvalidOperation
from reader.storage.stories import (
    move_note,
    new_story,
    refresh_stories,
    require_story,
    story_articles,
    story_of,
    utc_now,
)


def corrections(db: Database) -> list[tuple[str, int, int | None]]:
    """Every correction as ``(kind, article id, other article id or None)``."""
    return [
        (str(kind), int(a), int(b) if b is not None else None)
        for kind, a, b in db.conn.execute("SELECT kind, article_id, other_id FROM corrections")
    ]


def _add_correction(db: Database, kind: str, article_id: int, other_id: int | None) -> None:
    db.execute(
        "INSERT INTO corrections (kind, article_id, other_id, created_at) VALUES (?, ?, ?, ?)",
        [kind, article_id, other_id, utc_now()],
    )


def merged_pairs(db: Database, members: Sequence[int]) -> set[frozenset[int]]:
    """The pairs among ``members`` that the user put together (``together`` corrections)."""
    wanted = json.dumps(sorted(set(members)))
    return {
        frozenset((int(a), int(b)))
        for a, b in db.conn.execute(
            "SELECT article_id, other_id FROM corrections WHERE kind = 'together'"
            " AND article_id IN (SELECT value FROM json_each(?1))"
            " AND other_id IN (SELECT value FROM json_each(?1))",
            [wanted],
        )
    }


def merge(db: Database, keep: int, other: int) -> int:
    """Merge story ``other`` into ``keep``; both notes are kept. Returns the story id."""
    if keep == other:
        raise InvalidOperation("a story cannot be merged with itself")
    require_story(db, keep)
    require_story(db, other)
    with db.atomic():
        a = story_articles(db, keep)
        b = story_articles(db, other)
        if a and b:
            _add_correction(db, "together", a[0], b[0])
        for article in a + b:
            db.execute("DELETE FROM corrections WHERE kind = 'alone' AND article_id = ?", [article])
        db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", [keep, other])
        move_note(db, other, keep)
        refresh_stories(db, [keep, other])
    return keep


def split(db: Database, article_id: int) -> int:
    """Split an article into a story of its own. Returns the id of its new story.

    The note stays with the part that keeps the story's oldest article: if the split-off
    article *is* the oldest, the note moves with it.
    """
    with db.atomic():
        old = story_of(db, article_id)
        members = story_articles(db, old)
        db.execute(
            "DELETE FROM corrections WHERE kind = 'together' AND (article_id = ? OR other_id = ?)",
            [article_id, article_id],
        )
        _add_correction(db, "alone", article_id, None)
        if len(members) == 1:
            return old
        new = new_story(db)
        db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [new, article_id])
        if members[0] == article_id:
            move_note(db, old, new)
        refresh_stories(db, [old, new])
    return new


def move(db: Database, article_id: int, story_id: int) -> int:
    """Move an article to another story. Returns the story it now belongs to.

    The old story keeps its note (it keeps its other versions); if the moved article was its
    only version, the note joins the target story's note.
    """
    require_story(db, story_id)
    with db.atomic():
        old = story_of(db, article_id)
        if old == story_id:
            return story_id
        target = story_articles(db, story_id)
        old_members = [a for a in story_articles(db, old) if a != article_id]
        db.execute(
            "DELETE FROM corrections WHERE article_id = ? AND kind IN ('alone', 'together')",
            [article_id],
        )
        db.execute("DELETE FROM corrections WHERE other_id = ? AND kind = 'together'", [article_id])
        if target:
            db.execute(
                "DELETE FROM corrections WHERE kind = 'apart' AND ((article_id = ? AND"
                f" other_id IN ({','.join('?' * len(target))})) OR (other_id = ? AND"
                f" article_id IN ({','.join('?' * len(target))})))",
                [article_id, *target, article_id, *target],
            )
            _add_correction(db, "together", article_id, target[0])
        for other in old_members:
            _add_correction(db, "apart", article_id, other)
        db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story_id, article_id])
        if not old_members:
            move_note(db, old, story_id)  # the old story is gone: its note joins the target
        refresh_stories(db, [old, story_id])
    return story_id
