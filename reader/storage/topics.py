"""Topic persistence: the topics table, assignments (article_topics, story_topics), counts.

Counts (``topics.total`` / ``topics.unread``, in articles) are maintained incrementally:
each assignment row carries its article's unread flag (kept in step by
:func:`on_read_changed`), so a full recount is a single scan of ``article_topics``.
:func:`assign_topics` adds to them at import and :func:`on_read_changed` moves them when read
state changes, so the sidebar never counts on the fly. :func:`recount` recomputes them all
from scratch (after a rule change or as a repair).

Two ways to evaluate a rule, chosen for their cost:

* at import, the few new articles are scored in Python (:class:`reader.topics.TopicEvaluator`)
  over their text, so title mentions can outweigh body mentions;
* when a rule is saved, one FTS5 MATCH over the whole library finds every candidate; a plain
  (user) rule is assigned by that single ``INSERT ... SELECT``, and a scored (built-in) rule
  scores only the candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlite_utils import Database

from reader.errors import InvalidOperation, NotFound
from reader.progress import CancelCheck, Progress, check_cancelled, never_cancelled, no_progress
from reader.query import parse_rule, to_fts
from reader.storage import params
from reader.storage.params import chunks
from reader.topics import TopicEvaluator, TopicRule, evaluator_for, load_taxonomy
from reader.types import Topic

#: Candidate articles scored per unit of work when a scored rule is re-evaluated.
SCORE_BATCH = 2000

_INSTALLED_KEY = "topics.default_installed"
#: The search folding a library's topic assignments were last made with (see
#: :func:`refold_topics`).
_FOLDING_KEY = "topics.folding"
FOLDING = "fts5-derived"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- the topics table


def _row_to_topic(row: tuple[object, ...]) -> Topic:
    tid, name, rule, builtin, total, unread = row
    return Topic(int(tid), str(name), str(rule), bool(builtin), int(total), int(unread))  # type: ignore[call-overload]


_COLUMNS = "id, name, rule, builtin, total, unread"


def list_topics(db: Database) -> list[Topic]:
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM topics ORDER BY position, id").fetchall()
    return [_row_to_topic(r) for r in rows]


def topic_by_name(db: Database, name: str) -> Topic:
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM topics WHERE name = ? COLLATE NOCASE", [name.strip()]
    ).fetchone()
    if row is None:
        raise NotFound(f"no topic called {name!r}")
    return _row_to_topic(row)


def topic_by_id(db: Database, topic_id: int) -> Topic:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM topics WHERE id = ?", [topic_id]).fetchone()
    if row is None:
        raise NotFound(f"no topic with id {topic_id}")
    return _row_to_topic(row)


def _check_name(db: Database, name: str, except_id: int | None = None) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InvalidOperation("a topic needs a name")
    row = db.conn.execute(
        "SELECT id FROM topics WHERE name = ? COLLATE NOCASE", [clean]
    ).fetchone()
    if row is not None and row[0] != except_id:
        raise InvalidOperation(f"there is already a topic called {clean!r}")
    return clean


def insert_topic(db: Database, name: str, rule: str, builtin: bool = False) -> int:
    """Add a topic (the rule must already be validated). Assignments are made separately."""
    clean = _check_name(db, name)
    position = db.conn.execute("SELECT coalesce(max(position), -1) + 1 FROM topics").fetchone()[0]
    now = _now()
    cursor = db.execute(
        "INSERT INTO topics (name, rule, builtin, position, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [clean, rule.strip(), int(builtin), position, now, now],
    )
    return int(cursor.lastrowid or 0)


def update_topic(db: Database, topic_id: int, rule: str, new_name: str | None = None) -> None:
    topic = topic_by_id(db, topic_id)
    name = _check_name(db, new_name, topic_id) if new_name is not None else topic.name
    db.execute(
        "UPDATE topics SET name = ?, rule = ?, updated_at = ? WHERE id = ?",
        [name, rule.strip(), _now(), topic_id],
    )


def delete_topic(db: Database, topic_id: int) -> None:
    """Remove a topic and its assignments. Articles are never touched."""
    with db.atomic():
        db.execute("DELETE FROM story_topics WHERE topic_id = ?", [topic_id])
        db.execute("DELETE FROM article_topics WHERE topic_id = ?", [topic_id])
        db.execute("DELETE FROM topics WHERE id = ?", [topic_id])


def install_default_topics(db: Database) -> bool:
    """Install the bundled taxonomy once per library (not again if the user deletes topics).

    Returns True when it installed them; existing articles are assigned right away.
    """
    done = db.conn.execute("SELECT 1 FROM settings WHERE key = ?", [_INSTALLED_KEY]).fetchone()
    if done is not None:
        return False
    taxonomy = load_taxonomy()
    with db.atomic():
        for spec in taxonomy.topics:
            exists = db.conn.execute(
                "SELECT 1 FROM topics WHERE name = ? COLLATE NOCASE", [spec.name]
            ).fetchone()
            if exists is None:
                insert_topic(db, spec.name, spec.rule, builtin=True)
        db.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [_INSTALLED_KEY, "1"]
        )
        has_articles = db.conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone()
        if has_articles is not None:
            for topic in list_topics(db):
                reevaluate_topic(db, topic.id)
    return True


def refold_topics(db: Database) -> list[int]:
    """Re-assign, once per library, the topics whose rules hold non-ASCII words.

    Before :mod:`reader.query.folding`, a rule folded й to и and ό to ο, so a rule such as
    ``Зеленский`` saved over a library matched nothing there (articles imported later were
    assigned). ASCII folds as it always did, so only those rules are re-assigned. Returns
    their ids.
    """
    done = db.conn.execute("SELECT value FROM settings WHERE key = ?", [_FOLDING_KEY]).fetchone()
    if done is not None and done[0] == FOLDING:
        return []
    with db.atomic():
        ids = [t.id for t in list_topics(db) if not t.rule.isascii()]
        for topic_id in ids:
            reevaluate_topic(db, topic_id)
        db.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [_FOLDING_KEY, FOLDING]
        )
    return ids


# --------------------------------------------------------------------------- evaluation


def _rules(db: Database, topic_ids: Iterable[int] | None = None) -> list[TopicRule]:
    taxonomy = load_taxonomy()
    wanted = set(topic_ids) if topic_ids is not None else None
    rules = []
    for topic in list_topics(db):
        if wanted is not None and topic.id not in wanted:
            continue
        threshold = taxonomy.threshold_for(topic.name) if topic.builtin else 0.0
        rules.append(TopicRule(topic.id, topic.rule, threshold))
    return rules


def import_rules(db: Database) -> tuple[TopicRule, ...]:
    """Every topic's rule as the import scores it (:func:`assign_topics`)."""
    return tuple(_rules(db))


def assign_topics(
    db: Database,
    article_ids: list[int],
    scores: Mapping[int, list[tuple[int, float]]] | None = None,
) -> None:
    """Evaluate every topic on these articles, store the assignments, update counts.

    Called by the import pipeline inside each file's transaction, after the articles are
    inserted (and given stories). Idempotent: earlier assignments of these articles are
    replaced, and the counts move by the difference. The evaluator is kept between calls
    (:func:`reader.topics.evaluator_for`) while the rules stay the same, so it is compiled
    once and its memory of words stays warm across files. ``scores``: every article's
    ``(topic_id, score)`` list, already worked out (:func:`reader.topics.score_rows` under
    :func:`import_rules`, on a big import's workers); without them the texts are scored here.
    """
    if not article_ids:
        return
    known = scores
    if known is None:
        evaluator = evaluator_for(import_rules(db), load_taxonomy().weights)
        text = ", title, body"

        def found_in(article_id: int, title_body: list[str]) -> list[tuple[int, float]]:
            return evaluator.topics_for(title_body[0], title_body[1])
    else:
        text = ""

        def found_in(article_id: int, title_body: list[str]) -> list[tuple[int, float]]:
            return known[article_id]

    total: Counter[int] = Counter()
    unread: Counter[int] = Counter()
    with db.atomic():
        for chunk in chunks(article_ids):
            marks = params.marks(chunk)
            for tid, n, u in db.conn.execute(
                f"SELECT t.topic_id, count(*), sum(a.read = 0) FROM article_topics t"
                f" JOIN articles a ON a.id = t.article_id WHERE t.article_id IN ({marks})"
                " GROUP BY t.topic_id",
                list(chunk),
            ).fetchall():
                total[tid] -= n
                unread[tid] -= u
            db.execute(f"DELETE FROM article_topics WHERE article_id IN ({marks})", list(chunk))
            assigned: list[tuple[int, int, float, int]] = []
            stories: set[tuple[int, int]] = set()
            for article_id, read, story_id, *title_body in db.conn.execute(
                f"SELECT id, read, story_id{text} FROM articles WHERE id IN ({marks})",
                list(chunk),
            ):
                for topic_id, score in found_in(article_id, title_body):
                    assigned.append((topic_id, article_id, score, 0 if read else 1))
                    total[topic_id] += 1
                    if not read:
                        unread[topic_id] += 1
                    if story_id is not None:
                        stories.add((topic_id, story_id))
            db.conn.executemany(
                "INSERT INTO article_topics (topic_id, article_id, score, unread)"
                " VALUES (?, ?, ?, ?)",
                assigned,
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO story_topics (topic_id, story_id) VALUES (?, ?)",
                sorted(stories),
            )
        _add_counts(db, total, unread)


def _add_counts(db: Database, total: Counter[int], unread: Counter[int]) -> None:
    db.conn.executemany(
        "UPDATE topics SET total = total + ?, unread = unread + ? WHERE id = ?",
        [(total[t], unread[t], t) for t in set(total) | set(unread) if total[t] or unread[t]],
    )


def on_read_changed(db: Database, article_ids: list[int], read: bool) -> None:
    """Move unread counts for articles whose read state just changed to ``read``.

    The caller passes only articles whose state actually changed (else counts would drift).
    """
    if not article_ids:
        return
    delta: Counter[int] = Counter()
    for chunk in chunks(article_ids):
        for tid, n in db.conn.execute(
            f"SELECT topic_id, count(*) FROM article_topics WHERE article_id IN"
            f" ({params.marks(chunk)}) GROUP BY topic_id",
            list(chunk),
        ).fetchall():
            delta[tid] += -n if read else n
    with db.atomic():
        for chunk in chunks(article_ids):
            db.execute(
                f"UPDATE article_topics SET unread = ? WHERE article_id IN ({params.marks(chunk)})",
                [0 if read else 1, *chunk],
            )
        _add_counts(db, Counter(), delta)


def recount(db: Database, topic_ids: Iterable[int] | None = None) -> None:
    """Recompute total and unread counts from the assignments (all topics by default)."""
    ids = list(topic_ids) if topic_ids is not None else [t.id for t in list_topics(db)]
    with db.atomic():
        if topic_ids is None:
            # One scan of article_topics in primary-key (topic) order: no articles are read.
            found = {
                tid: (n, u)
                for tid, n, u in db.conn.execute(
                    "SELECT topic_id, count(*), coalesce(sum(unread), 0) FROM article_topics"
                    " GROUP BY topic_id"
                )
            }
        else:
            found = {}
            for topic_id in ids:
                found[topic_id] = db.conn.execute(
                    "SELECT count(*), coalesce(sum(unread), 0) FROM article_topics"
                    " WHERE topic_id = ?",
                    [topic_id],
                ).fetchone()
        db.conn.executemany(
            "UPDATE topics SET total = ?, unread = ? WHERE id = ?",
            [(*found.get(t, (0, 0)), t) for t in ids],
        )


def reevaluate_topic(
    db: Database,
    topic_id: int,
    progress: Progress = no_progress,
    cancelled: CancelCheck = never_cancelled,
) -> int:
    """Re-assign one topic over the whole library; returns how many articles it holds.

    All or nothing: a cancel rolls back, leaving the previous assignments and counts. The GUI
    runs this in a worker with its own connection.
    """
    topic = topic_by_id(db, topic_id)
    rule = _rules(db, [topic_id])[0]
    match = to_fts(parse_rule(topic.rule))
    with db.atomic():
        db.execute("DELETE FROM story_topics WHERE topic_id = ?", [topic_id])
        db.execute("DELETE FROM article_topics WHERE topic_id = ?", [topic_id])
        if rule.threshold <= 0:
            progress(0, 1, f"{topic.name}: matching")
            db.execute(
                "INSERT INTO article_topics (topic_id, article_id, score, unread)"
                " SELECT ?, f.rowid, 1, a.read = 0 FROM articles_fts f CROSS JOIN articles a"
                " ON a.id = f.rowid WHERE articles_fts MATCH ?",
                [topic_id, match],
            )
            check_cancelled(cancelled, f"re-evaluating {topic.name!r}")
            progress(1, 1, f"{topic.name}: done")
        else:
            _score_candidates(db, topic.name, rule, match, progress, cancelled)
        db.execute(
            "INSERT OR IGNORE INTO story_topics (topic_id, story_id)"
            " SELECT DISTINCT ?, a.story_id FROM article_topics t JOIN articles a"
            " ON a.id = t.article_id WHERE t.topic_id = ? AND a.story_id IS NOT NULL",
            [topic_id, topic_id],
        )
        recount(db, [topic_id])
    return topic_by_id(db, topic_id).total


def _score_candidates(
    db: Database,
    name: str,
    rule: TopicRule,
    match: str,
    progress: Progress,
    cancelled: CancelCheck,
) -> None:
    evaluator = TopicEvaluator([rule], load_taxonomy().weights)
    candidates = [
        r[0]
        for r in db.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid", [match]
        )
    ]
    done = 0
    for chunk in chunks(candidates, SCORE_BATCH):
        check_cancelled(cancelled, f"re-evaluating {name!r}")
        rows = db.conn.execute(
            f"SELECT id, title, body, read FROM articles WHERE id IN ({params.marks(chunk)})",
            list(chunk),
        ).fetchall()
        db.conn.executemany(
            "INSERT INTO article_topics (topic_id, article_id, score, unread)"
            " VALUES (?, ?, ?, ?)",
            [
                (rule.topic_id, article_id, score, 0 if read else 1)
                for article_id, title, body, read in rows
                for _, score in evaluator.topics_for(title, body)
            ],
        )
        done += len(chunk)
        progress(done, len(candidates), f"{name}: {done} of {len(candidates)} scored")


def reevaluate_all(
    db: Database, progress: Progress = no_progress, cancelled: CancelCheck = never_cancelled
) -> None:
    """Re-assign every topic (after a taxonomy upgrade or as a repair)."""
    topics = list_topics(db)
    for k, topic in enumerate(topics):
        check_cancelled(cancelled, "re-assigning topics")
        progress(k, len(topics), f"topic {topic.name}")
        reevaluate_topic(db, topic.id, cancelled=cancelled)
    progress(len(topics), len(topics), "topics re-assigned")
