"""Story persistence: features and postings, assigning stories, regrouping, corrections.

Contracts with the import pipeline: :func:`assign_new_articles` runs inside each file's
transaction right after the articles are inserted (``story_id`` still NULL) and never
commits; :func:`refresh_stories` then recomputes the touched stories' aggregates.

Stable stories: notes (``notes.story_id``) and read state survive regrouping. Read and
starred live on articles. A full regroup maps each new cluster onto the old story id it
overlaps most, so ids and notes stay put; a note whose story id is not reused moves to the
cluster holding that story's oldest article, joined to any note already there. No function
here deletes a note.

Corrections (table ``corrections``):

- ``alone`` (article_id): from a split. The article joins nothing automatically, and
  nothing joins it.
- ``together`` (article_id, other_id): from a merge or a move. The two always share a story.
- ``apart`` (article_id, other_id): from a move. The two never share a story again.

A later correction overrides older ones that contradict it (a move deletes the moved
article's old ``alone``/``together``/``apart`` rows that involve the target story).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from itertools import repeat

from rapidfuzz import fuzz
from sqlite_utils import Database

from reader.errors import Cancelled, InvalidOperation, NotFound
from reader.grouping import features as feat
from reader.grouping import thresholds as t
from reader.grouping.candidates import (
    block_df_cap,
    block_weights,
    build_index,
    near_and_far,
)
from reader.grouping.clusters import Constraints, Item, group
from reader.grouping.explain import explain
from reader.grouping.pool import Extracted, extract_rows, extraction_pool
from reader.grouping.representative import representative
from reader.grouping.scoring import (
    Prepared,
    Rarity,
    is_repost,
    names_fail,
    prepare,
    slim_features,
)
from reader.grouping.unique import unique_sentences
from reader.progress import CancelCheck, Progress, never_cancelled, no_progress
from reader.storage import entities as entity_store
from reader.types import GroupReason, SentenceSpan

#: Separates source names inside ``stories.sources``.
SOURCE_SEPARATOR = "\x1f"

#: Joins two notes when their stories merge (both are kept, in story order).
NOTE_SEPARATOR = "\n\n---\n\n"

_CHUNK = 500


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chunks(items: Sequence[int], size: int = _CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------- features


def _articles(db: Database, ids: Sequence[int]) -> dict[int, tuple[str, str, int | None, bool]]:
    out: dict[int, tuple[str, str, int | None, bool]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            f"SELECT id, title, body, published_ts, published_inferred FROM articles"
            f" WHERE id IN ({marks})",
            list(chunk),
        ):
            out[int(row[0])] = (row[1], row[2], row[3], bool(row[4]))
    return out


def _bodies(db: Database, ids: Iterable[int]) -> dict[int, str]:
    return {i: v[1] for i, v in _articles(db, sorted(set(ids))).items()}


def library_size(db: Database) -> int:
    return int(db.conn.execute("SELECT COUNT(*) FROM article_features").fetchone()[0])


class DfCache:
    """Document frequencies read from ``feature_df``, kept for one import or regroup.

    Consecutive batches of an import share most of their keys (names, words), so each key is
    read from SQL once per run instead of once per batch; the counts this run adds are
    applied to the cached values too. Bounded: dropped when it grows past ``limit`` keys.
    """

    def __init__(self, db: Database, limit: int = 600_000) -> None:
        self.db = db
        self.limit = limit
        self.df: dict[str, int] = {}
        self._total: int | None = None
        # Weighted features of articles seen earlier in this run (see _assign_batch).
        self.prepared: dict[int, Prepared] = {}
        self.prepared_at = 0  # library size when those weights were computed

    def total(self) -> int:
        """Articles with features: counted once (a full COUNT per batch grows with the
        library), then kept up to date by :meth:`bump`."""
        if self._total is None:
            self._total = library_size(self.db)
        return self._total

    def fetch(self, keys: Iterable[str]) -> dict[str, int]:
        """The cached counts, after reading any of ``keys`` not yet cached."""
        keys = set(keys)
        df = self.df
        wanted = [k for k in keys if k not in df]
        if len(df) + len(wanted) > self.limit:
            # A fresh dict: a Rarity built on the old one keeps its counts.
            df = self.df = {}
            wanted = list(keys)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            df.update(
                (key, int(n))
                for key, n in self.db.conn.execute(
                    f"SELECT key, df FROM feature_df WHERE key IN ({marks})", chunk
                )
            )
        return df

    def bump(self, features: Iterable[feat.Features]) -> None:
        """Count new articles' keys, in SQL (one upsert per distinct key) and in the cache."""
        counts: dict[str, int] = {}
        get = counts.get
        n = 0
        for f in features:
            n += 1
            for key in f.all_keys():
                counts[key] = get(key, 0) + 1
        if self._total is not None:
            self._total += n
        self.db.conn.executemany(
            "INSERT INTO feature_df (key, df) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET df = df + excluded.df",
            list(counts.items()),
        )
        df = self.df
        for key, n in counts.items():
            if key in df:
                df[key] += n


def _df(db: Database, keys: Iterable[str]) -> dict[str, int]:
    return dict(DfCache(db).fetch(keys))


def texts_of(db: Database, article_ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """``(id, title, body)`` of articles, the input of feature extraction."""
    return [(a, v[0], v[1]) for a, v in _articles(db, article_ids).items()]


def compute_features(
    db: Database,
    article_ids: Sequence[int],
    cancelled: CancelCheck = never_cancelled,
    df: DfCache | None = None,
    extracted: Sequence[Extracted] | None = None,
) -> dict[int, feat.Features]:
    """Extract and store features, document frequencies and entities of new articles.

    ``extracted`` gives them already extracted (by an :class:`ExtractionPool` worker while
    the previous batch was being grouped); otherwise they are extracted here.
    """
    if extracted is None:
        rows = texts_of(db, article_ids)
        extracted = []
        for start in range(0, len(rows), 200):
            if cancelled():
                raise Cancelled("grouping")
            extracted.extend(extract_rows(rows[start : start + 200]))
    computed = {e.article_id: e.features for e in extracted}
    db.conn.executemany(
        "INSERT OR REPLACE INTO article_features (article_id, data) VALUES (?, ?)",
        [(e.article_id, e.data) for e in extracted],
    )
    (df or DfCache(db)).bump(computed.values())
    entity_store.add_article_entities(db, {e.article_id: e.entities for e in extracted})
    return computed


def load_features(db: Database, article_ids: Sequence[int]) -> dict[int, feat.Features]:
    out: dict[int, feat.Features] = {}
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for article_id, data in db.conn.execute(
            f"SELECT article_id, data FROM article_features WHERE article_id IN ({marks})",
            list(chunk),
        ):
            out[int(article_id)] = feat.loads(data)
    return out


def index_keys(f: feat.Features, rarity: Rarity) -> tuple[list[str], list[str]]:
    """``(storable_keys(f, rarity), blocking_keys(f, rarity))`` in one pass over the keys.

    Both rank the article's non-word keys by rarity under the same cap; the blocking ones
    are those still shared (df >= 2). Imports and regroups need both for every article, and
    listing and sorting the keys twice was a tenth of a regroup.
    """
    cap = block_df_cap(rarity.total)
    get = rarity.df.get
    # The non-word keys of Features.all_keys, built directly: words never block, and
    # building their strings only to skip them was a third of this function.
    keys = [f"e:{k}" for k in f.entities]
    keys += [f"n:{v}" for v in f.numbers]
    keys += [f"d:{d}" for d in f.dates]
    keys += [f"y:{y}" for y in f.years]
    keys += [f"p:{p}" for p in f.phrases]
    ranked = [(n, k) for n, k in zip(map(get, keys, repeat(0)), keys, strict=True) if n <= cap]
    ranked.sort()
    limit = t.MAX_POSTINGS_PER_ARTICLE
    storable = [k for _, k in ranked[:limit]]
    blocking = [k for n, k in ranked if n >= 2][:limit]
    return storable, blocking


def _write_postings(db: Database, storable: dict[int, list[str]]) -> None:
    rows = [(k, a) for a, keys in storable.items() for k in keys]
    db.conn.executemany(
        "INSERT OR IGNORE INTO feature_postings (key, article_id) VALUES (?, ?)", rows
    )


def _rarity_for(db: Database, feats: Iterable[feat.Features]) -> Rarity:
    keys = {k for f in feats for k in f.all_keys()}
    return Rarity(_df(db, keys), library_size(db))


# --------------------------------------------------------------------------- corrections


def constraints_for(db: Database, article_ids: Iterable[int] | None = None) -> Constraints:
    """The corrections as grouping constraints (all of them, or those touching some ids)."""
    sql = "SELECT kind, article_id, other_id FROM corrections"
    rows = db.conn.execute(sql).fetchall()
    wanted = set(article_ids) if article_ids is not None else None
    c = Constraints()
    for kind, a, b in rows:
        if wanted is not None and a not in wanted and b not in wanted:
            continue
        if kind == "alone":
            c.alone.add(int(a))
        elif kind == "together" and b is not None:
            c.together.append((int(a), int(b)))
        elif kind == "apart" and b is not None:
            c.apart.add(frozenset((int(a), int(b))))
    return c


def _add_correction(db: Database, kind: str, article_id: int, other_id: int | None) -> None:
    db.execute(
        "INSERT INTO corrections (kind, article_id, other_id, created_at) VALUES (?, ?, ?, ?)",
        [kind, article_id, other_id, _now()],
    )


# --------------------------------------------------------------------------- assigning


def _new_story(db: Database) -> int:
    cursor = db.execute("INSERT INTO stories (created_at) VALUES (?)", [_now()])
    return int(cursor.lastrowid or 0)


def _new_stories(db: Database, count: int) -> list[int]:
    """``count`` new stories in one statement: an import of a million mostly one-version
    stories spent a minute creating them one INSERT at a time. Ids continue from the
    highest, as SQLite's own rowids would (the caller holds the write transaction)."""
    if count <= 0:
        return []
    start = int(db.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM stories").fetchone()[0])
    now = _now()
    db.conn.executemany(
        "INSERT INTO stories (id, created_at) VALUES (?, ?)",
        [(start + i, now) for i in range(count)],
    )
    return list(range(start, start + count))


#: Weighted features an import keeps between its batches (about 10 KB each).
PREPARED_PER_IMPORT = 30_000

#: ...and only while the library has grown by less than this fraction since they were
#: weighed: rarity barely moves in a large library, a lot in a small one.
PREPARED_REUSE_GROWTH = 0.1

#: New articles are grouped this many at a time: bounds memory on a million-article file,
#: and lets later batches find earlier ones through the stored postings.
ASSIGN_BATCH = 2000


def assign_new_articles(
    db: Database,
    article_ids: list[int],
    progress: Progress = no_progress,
    cancelled: CancelCheck = never_cancelled,
) -> set[int]:
    """Give each new article (story_id NULL) a story; return the touched story ids.

    New articles join existing stories through index lookups only: their rare keys find
    candidates in ``feature_postings``; only those candidates' stories take part. Existing
    stories are never merged with each other here (that is a full regroup's job).
    """
    touched: set[int] = set()
    if not article_ids:
        return touched
    df = DfCache(db)
    total = len(article_ids)
    progress(0, total, "grouping new articles")
    batches = [article_ids[i : i + ASSIGN_BATCH] for i in range(0, total, ASSIGN_BATCH)]
    with extraction_pool(total) as pool:
        # The next batch is extracted in the pool while this one is grouped here.
        pending = pool.submit(texts_of(db, batches[0]))
        for n, batch in enumerate(batches):
            if cancelled():
                pending.cancel()
                raise Cancelled("grouping")
            extracted = pending.result()
            if n + 1 < len(batches):
                pending = pool.submit(texts_of(db, batches[n + 1]))
            touched |= _assign_batch(db, batch, df, cancelled, extracted)
            progress(min(total, (n + 1) * ASSIGN_BATCH), total, "grouping new articles")
    return touched


def _assign_batch(
    db: Database,
    article_ids: list[int],
    df: DfCache,
    cancelled: CancelCheck,
    extracted: Sequence[Extracted],
) -> set[int]:
    new_feats = compute_features(db, article_ids, cancelled, df, extracted)
    total = df.total()
    # Blocking reads the non-word keys only; words are weighed below, for the articles
    # that have someone to be compared with.
    rarity = Rarity(
        df.fetch(k for f in new_feats.values() for k in f.all_keys() if k[:2] != "w:"), total
    )
    # Candidates: the best-weighted partners of each new article through its rare keys'
    # posting lists (the stored index, this batch included), ranked as grouping ranks them.
    both = {a: index_keys(f, rarity) for a, f in new_feats.items()}
    _write_postings(db, {a: k[0] for a, k in both.items()})
    probe = {a: k[1] for a, k in both.items()}
    del both
    # Stored postings hold each article's rarest keys *when it was stored*; this batch's
    # articles are indexed by their blocking keys now, so they find each other too.
    index: dict[str, list[int]] = {}
    new_set = set(article_ids)
    keys = sorted({k for ks in probe.values() for k in ks})
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for key, other in db.conn.execute(
            f"SELECT key, article_id FROM feature_postings WHERE key IN ({marks})", chunk
        ):
            if other not in new_set:
                index.setdefault(key, []).append(int(other))
    for a, ks in probe.items():
        for k in ks:
            index.setdefault(k, []).append(a)
    weighed = {a: block_weights(a, ks, index, rarity) for a, ks in probe.items()}
    min_weight = t.MIN_BLOCK_WEIGHT
    meta = _articles_meta(
        db,
        sorted(
            {b for w, _ in weighed.values() for b, x in w.items() if x >= min_weight} | new_set
        ),
    )
    candidates: dict[int, list[int]] = {}
    far: dict[int, list[int]] = {}
    for a, (weights, own) in weighed.items():
        candidates[a], away = near_and_far(a, weights, own, meta)
        if away:
            far[a] = away
    del weighed
    _keep_reposts(db, candidates, far)
    found = {b for cands in candidates.values() for b in cands}
    found.difference_update(article_ids)
    # A new article joins a story only if it is close enough to the story as a whole
    # (average link), not just to the member blocking found: so the stories' other
    # members (the newest few) take part too, already joined by their label.
    stories_found = {s for s in (meta[b][2] for b in found) if s is not None}
    members = _story_members(db, stories_found, t.STORY_MEMBERS_FOR_LINK)
    members.difference_update(found, new_set)
    meta.update(_articles_meta(db, sorted(members)))
    found |= members
    # Articles prepared by an earlier batch of this import keep their weights while the
    # library has grown by less than a tenth since (a negligible difference in rarity);
    # the others are read and weighed again.
    if total > df.prepared_at * (1 + PREPARED_REUSE_GROWTH):
        df.prepared.clear()
        df.prepared_at = total
    kept = df.prepared
    if len(kept) > PREPARED_PER_IMPORT:
        for old in list(kept)[: len(kept) // 2]:
            del kept[old]
    old_feats = load_features(db, sorted(a for a in found if a not in kept))
    loaded = {**old_feats, **new_feats}
    # Only articles in a candidate pair are ever weighed (most new articles of a feed have
    # no one to be compared with): their keys' counts are read, not every new word's.
    involved = {a for a, cands in candidates.items() if cands}
    involved.update(b for cands in candidates.values() for b in cands)
    involved |= members
    rarity = Rarity(
        df.fetch(k for a in involved if a in loaded for k in loaded[a].all_keys()), total
    )
    all_feats = {**{a: kept[a].features for a in found if a in kept}, **loaded}

    def prepared(article_id: int) -> Prepared:
        p = kept.get(article_id)
        if p is None:
            f = loaded[article_id]
            weights = rarity
            if article_id not in involved:  # not expected: grouping weighs pairs only
                weights = Rarity(df.fetch(f.all_keys()), total)
            p = kept[article_id] = prepare(f, weights)
        return p

    labels = {a: m[2] for a, m in meta.items() if m[2] is not None}
    items = [
        Item(id=a, features=f, ts=meta[a][0], inferred=meta[a][1]) for a, f in all_feats.items()
    ]
    result = group(
        items,
        constraints_for(db, all_feats),
        rarity=rarity,
        labels=labels,
        bodies=lambda ids: _bodies(db, ids),
        only=article_ids,
        candidates=candidates,
        prepared=prepared,
        cancelled=cancelled,
    )
    touched: set[int] = set()
    updates: list[tuple[int, int]] = []
    unlabelled: list[list[int]] = []
    for cluster in result.clusters:
        fresh = [a for a in cluster if a in new_set]
        if not fresh:
            continue
        story = next((labels[a] for a in cluster if a in labels), None)
        if story is None:
            unlabelled.append(fresh)
        else:
            updates.extend((story, a) for a in fresh)
            touched.add(story)
    for story, fresh in zip(_new_stories(db, len(unlabelled)), unlabelled, strict=True):
        updates.extend((story, a) for a in fresh)
        touched.add(story)
    db.conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?", updates)
    return touched


def _story_members(db: Database, story_ids: Iterable[int], limit: int) -> set[int]:
    """Up to ``limit`` members of each story, the newest first (they are the ones a new
    article's date window reaches)."""
    out: set[int] = set()
    for chunk in _chunks(sorted(story_ids)):
        marks = ",".join("?" * len(chunk))
        out.update(
            int(r[0])
            for r in db.conn.execute(
                f"SELECT id FROM (SELECT id, row_number() OVER"
                f" (PARTITION BY story_id ORDER BY id DESC) AS n"
                f" FROM articles WHERE story_id IN ({marks})) WHERE n <= ?",
                [*chunk, limit],
            )
        )
    return out


#: (published_ts, published_inferred, story_id) of an article.
_Meta = tuple[int | None, bool, int | None]


def _articles_meta(db: Database, ids: Sequence[int]) -> dict[int, _Meta]:
    out: dict[int, _Meta] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            f"SELECT id, published_ts, published_inferred, story_id FROM articles"
            f" WHERE id IN ({marks})",
            list(chunk),
        ):
            out[int(row[0])] = (row[1], bool(row[2]), row[3])
    return out


# --------------------------------------------------------------------------- aggregates


def refresh_stories(db: Database, story_ids: Iterable[int]) -> None:
    """Recompute the denormalised columns of ``stories`` that the list reads.

    A story left without articles is deleted, but only after any note it held has been
    moved (callers move notes first; a story with a note is kept rather than lose it).
    Set-based: a few statements per chunk of stories, not per story, because an import or a
    regroup touches tens of thousands of stories at once (read-state changes touch one).
    """
    ids = sorted(set(story_ids))
    for chunk in _chunks(ids):
        _refresh_chunk(db, chunk)
    entity_store.refresh_story_entities(db, ids)


def _refresh_chunk(db: Database, chunk: Sequence[int]) -> None:
    marks = ",".join("?" * len(chunk))
    params = list(chunk)
    members: dict[int, list[tuple[int, str, int | None, int, int, str, str]]] = {}
    for row in db.conn.execute(
        f"""
        SELECT a.story_id, a.id, a.title, a.published_ts, a.read, a.starred, s.name, a.added_at
        FROM articles a JOIN sources s ON s.id = a.source_id
        WHERE a.story_id IN ({marks})
        ORDER BY a.story_id, a.published_ts IS NULL, a.published_ts, a.id
        """,
        params,
    ):
        members.setdefault(int(row[0]), []).append(row[1:])
    with_note = {
        int(r[0])
        for r in db.conn.execute(f"SELECT story_id FROM notes WHERE story_id IN ({marks})", params)
    }
    gone = [s for s in chunk if s not in members and s not in with_note]
    if gone:
        # Never drop a note: an empty story that still holds one is kept.
        gone_marks = ",".join("?" * len(gone))
        for table in ("story_topics", "story_entities", "stories"):
            column = "id" if table == "stories" else "story_id"
            db.execute(f"DELETE FROM {table} WHERE {column} IN ({gone_marks})", gone)
    updates = []
    for story_id, rows in members.items():
        dated = [r[2] for r in rows if r[2] is not None]
        sources = sorted({r[5] for r in rows})
        first = min(dated) if dated else None
        last = max(dated) if dated else None
        added = int(datetime.fromisoformat(rows[0][6]).timestamp())
        head = representative([(int(r[0]), r[1]) for r in rows])
        headline = next(r[1] for r in rows if r[0] == head)
        if not headline.strip():
            body = db.conn.execute("SELECT body FROM articles WHERE id = ?", [head]).fetchone()
            headline = _first_sentence(body[0] if body else "")
        updates.append(
            (
                headline,
                head,
                len(rows),
                len(sources),
                SOURCE_SEPARATOR.join(sources),
                first,
                last,
                last if last is not None else added,
                sum(1 for r in rows if not r[3]),
                sum(1 for r in rows if r[4]),
                1 if story_id in with_note else 0,
                story_id,
            )
        )
    db.conn.executemany(
        """
        UPDATE stories SET headline = ?, headline_article_id = ?, size = ?,
            source_count = ?, sources = ?, first_ts = ?, last_ts = ?, sort_ts = ?,
            unread = ?, starred = ?, has_note = ?
        WHERE id = ?
        """,
        updates,
    )
    live = sorted(members)
    if live:
        live_marks = ",".join("?" * len(live))
        db.execute(f"DELETE FROM story_topics WHERE story_id IN ({live_marks})", live)
        db.execute(
            f"""
            INSERT OR IGNORE INTO story_topics (topic_id, story_id)
            SELECT DISTINCT t.topic_id, a.story_id FROM articles a
            JOIN article_topics t ON t.article_id = a.id WHERE a.story_id IN ({live_marks})
            """,
            live,
        )


def _first_sentence(body: str, limit: int = 120) -> str:
    text = " ".join(body.split())
    end = min(
        (i for i in (text.find(". "), text.find("? "), text.find("! ")) if i > 0), default=len(text)
    )
    text = text[: end + 1] if end < len(text) else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- notes


def _move_note(db: Database, from_story: int, to_story: int) -> None:
    """Move ``from_story``'s note to ``to_story``, joining it after any note there."""
    if from_story == to_story:
        return
    moving = db.conn.execute(
        "SELECT id, body FROM notes WHERE story_id = ?", [from_story]
    ).fetchone()
    if moving is None:
        return
    existing = db.conn.execute(
        "SELECT id, body FROM notes WHERE story_id = ?", [to_story]
    ).fetchone()
    if existing is None:
        db.execute(
            "UPDATE notes SET story_id = ?, updated_at = ? WHERE id = ?",
            [to_story, _now(), moving[0]],
        )
    else:
        db.execute(
            "UPDATE notes SET body = ?, updated_at = ? WHERE id = ?",
            [existing[1] + NOTE_SEPARATOR + moving[1], _now(), existing[0]],
        )
        db.execute("DELETE FROM notes WHERE id = ?", [moving[0]])


def note_of(db: Database, story_id: int) -> str | None:
    row = db.conn.execute("SELECT body FROM notes WHERE story_id = ?", [story_id]).fetchone()
    return str(row[0]) if row else None


def story_ids(db: Database, min_size: int = 1) -> list[int]:
    """Stories with at least ``min_size`` versions, biggest first, then newest."""
    return [
        int(r[0])
        for r in db.conn.execute(
            "SELECT id FROM stories WHERE size >= ? ORDER BY size DESC, sort_ts DESC, id DESC",
            [min_size],
        )
    ]


def story_of(db: Database, article_id: int) -> int:
    """The story an article belongs to (NotFound if the article does not exist)."""
    return _story_of(db, article_id)


def _story_of(db: Database, article_id: int) -> int:
    row = db.conn.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise NotFound(f"article {article_id} does not exist")
    return int(row[0])


def _require_story(db: Database, story_id: int) -> None:
    if not db.conn.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone():
        raise NotFound(f"story {story_id} does not exist")


def story_articles(db: Database, story_id: int) -> list[int]:
    return [
        int(r[0])
        for r in db.conn.execute(
            "SELECT id FROM articles WHERE story_id = ?"
            " ORDER BY published_ts IS NULL, published_ts, id",
            [story_id],
        )
    ]


# --------------------------------------------------------------------------- corrections


def merge(db: Database, keep: int, other: int) -> int:
    """Merge story ``other`` into ``keep``; both notes are kept. Returns the story id."""
    if keep == other:
        raise InvalidOperation("a story cannot be merged with itself")
    _require_story(db, keep)
    _require_story(db, other)
    with db.atomic():
        a = story_articles(db, keep)
        b = story_articles(db, other)
        if a and b:
            _add_correction(db, "together", a[0], b[0])
        for article in a + b:
            db.execute("DELETE FROM corrections WHERE kind = 'alone' AND article_id = ?", [article])
        db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", [keep, other])
        _move_note(db, other, keep)
        refresh_stories(db, [keep, other])
    return keep


def split(db: Database, article_id: int) -> int:
    """Split an article into a story of its own. Returns the id of its new story.

    The note stays with the part that keeps the story's oldest article: if the split-off
    article *is* the oldest, the note moves with it.
    """
    with db.atomic():
        old = _story_of(db, article_id)
        members = story_articles(db, old)
        db.execute(
            "DELETE FROM corrections WHERE kind = 'together' AND (article_id = ? OR other_id = ?)",
            [article_id, article_id],
        )
        _add_correction(db, "alone", article_id, None)
        if len(members) == 1:
            return old
        new = _new_story(db)
        db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [new, article_id])
        if members[0] == article_id:
            _move_note(db, old, new)
        refresh_stories(db, [old, new])
    return new


def move(db: Database, article_id: int, story_id: int) -> int:
    """Move an article to another story. Returns the story it now belongs to.

    The old story keeps its note (it keeps its other versions); if the moved article was its
    only version, the note joins the target story's note.
    """
    _require_story(db, story_id)
    with db.atomic():
        old = _story_of(db, article_id)
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
            _move_note(db, old, story_id)  # the old story is gone: its note joins the target
        refresh_stories(db, [old, story_id])
    return story_id


# --------------------------------------------------------------------------- regroup


def regroup(
    db: Database,
    progress: Progress = no_progress,
    cancelled: CancelCheck = never_cancelled,
) -> int:
    """Regroup the whole library under the corrections; returns the number of stories.

    All-or-nothing: cancelling leaves the library as it was. Features are streamed from
    ``article_features`` a chunk at a time, decoded once, and kept only in their slim
    weighted form (:func:`reader.grouping.scoring.prepare` with ``slim``, about 3 KB each):
    the whole library up to :data:`REGROUP_CACHE` articles, a bounded window of it beyond
    (a million articles stream through :class:`_PreparedCache`).
    """
    with db.atomic():
        ids = [int(r[0]) for r in db.conn.execute("SELECT id FROM articles ORDER BY id")]
        have = {int(r[0]) for r in db.conn.execute("SELECT article_id FROM article_features")}
        missing = any(a not in have for a in ids)
        del have
        progress(0, len(ids), "reading features")
        if missing:
            entity_store.clear_all(db)
            db.execute("DELETE FROM feature_df")
            db.execute("DELETE FROM article_features")
            df_cache = DfCache(db)
            for n, chunk in enumerate(_chunks(ids, 2000)):
                compute_features(db, chunk, cancelled, df_cache)
                progress(min(len(ids), (n + 1) * 2000), len(ids), "reading articles")
        # Keys held by one article weigh the same whether listed or not (see Rarity.idf).
        df = {
            sys.intern(str(k)): int(n)
            for k, n in db.conn.execute("SELECT key, df FROM feature_df WHERE df >= 2")
        }
        rarity = Rarity(df, library_size(db))
        db.execute("DELETE FROM feature_postings")
        meta = _articles_meta(db, ids)
        cache = _PreparedCache(db, ids, rarity)
        items: list[Item] = []
        keys: dict[int, list[str]] = {}
        for chunk in _chunks(ids, 2000):
            if cancelled():
                raise Cancelled("regroup")
            feats = load_features(db, chunk)
            storable: dict[int, list[str]] = {}
            for a, f in feats.items():
                storable[a], blocking = index_keys(f, rarity)
                keys[a] = [sys.intern(k) for k in blocking]
                p = cache.offer(a, f)
                slim = p.features if p is not None else slim_features(f)
                items.append(Item(id=a, features=slim, ts=meta[a][0], inferred=meta[a][1]))
            _write_postings(db, storable)
            del feats, storable
        index = build_index(keys)
        # With every article weighted in memory, grouping's names test comes first.
        in_memory = len(ids) <= cache.limit
        candidates, far = _blocked(
            ids, keys, index, rarity, meta,
            _names_differ(cache, rarity) if in_memory else None, cancelled,
        )
        _keep_reposts(db, candidates, far)
        del far
        del index, keys
        result = group(
            items,
            constraints_for(db),
            rarity=rarity,
            bodies=lambda wanted: _bodies(db, wanted),
            prepared=cache,
            candidates=candidates,
            progress=progress,
            cancelled=cancelled,
        )
        del items, candidates, cache
        old_of = {a: meta[a][2] for a in ids}
        _apply_clusters(db, result.clusters, old_of)
        return int(db.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])


def _keep_reposts(db: Database, kept: dict[int, list[int]], far: Mapping[int, list[int]]) -> None:
    """Add to ``kept`` the out-of-window pairs of ``far`` that are re-posts.

    In a dump spanning months most out-of-window candidates share a rare name with a
    different event; the test of a body pair (lengths first, then the compared prefixes
    only, one chunk at a time) is far cheaper than weighing and scoring them.
    """
    # Each unordered pair once: from the lower id, or from the only side that lists it.
    questioned = [
        (a, b) for a, away in far.items() for b in away if a < b or a not in far.get(b, ())
    ]
    if not questioned:
        return
    compared: dict[int, str] = {}
    for chunk in _chunks(sorted({x for pair in questioned for x in pair})):
        marks = ",".join("?" * len(chunk))
        for article_id, body in db.conn.execute(
            f"SELECT id, body FROM articles WHERE id IN ({marks})", list(chunk)
        ):
            compared[int(article_id)] = _repost_text(body or "")
    maybe: list[tuple[int, int]] = []
    cutoff = t.REPOST_RATIO * 100 - 1  # below is_repost's own test: it has the last word
    ratio = fuzz.ratio
    for a, b in questioned:
        ca, cb = compared[a], compared[b]
        la, lb = len(ca), len(cb)
        # is_repost is False for an empty text or one under 80% of the other.
        if ca == cb or (
            la
            and lb
            and (la >= 0.8 * lb if la < lb else lb >= 0.8 * la)
            and ratio(ca, cb, score_cutoff=cutoff)
        ):
            maybe.append((a, b))
    del compared, questioned
    if not maybe:
        return
    bodies = _bodies(db, {x for pair in maybe for x in pair})
    for a, b in maybe:
        if is_repost(bodies[a], bodies[b]):
            # Either side may list the other: keep the pair wherever it was listed.
            if b in far.get(a, ()):
                kept.setdefault(a, []).append(b)
            if a in far.get(b, ()):
                kept.setdefault(b, []).append(a)


def _repost_text(body: str) -> str:
    """The text :func:`reader.grouping.scoring.is_repost` compares (for a cheap pre-test;
    is_repost itself decides)."""
    return " ".join(body.split())[: t.REPOST_PREFIX_CHARS].lower()


def _blocked(
    ids: Sequence[int],
    keys: Mapping[int, Sequence[str]],
    index: Mapping[str, Sequence[int]],
    rarity: Rarity,
    meta: Mapping[int, _Meta],
    names_differ: Callable[[int, int], bool] | None,
    cancelled: CancelCheck,
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """(near, far): each article's candidates in the date window, and the out-of-window
    ones that may be re-posts (:func:`reader.grouping.candidates.candidates_near`).

    ``names_differ(a, b)``, when the caller has both articles weighted at hand, is
    grouping's own first test (:func:`reader.grouping.scoring.names_fail`): a far pair
    failing it is never scored, so it cannot join even as a re-post.
    """
    near: dict[int, list[int]] = {}
    far: dict[int, list[int]] = {}
    for n, a in enumerate(ids):
        if n % 2000 == 0 and cancelled():
            raise Cancelled("regroup")
        if a in keys:
            weights, own = block_weights(a, keys[a], index, rarity)
            near[a], away = near_and_far(a, weights, own, meta)
            if away and names_differ is not None:
                away = [b for b in away if not names_differ(a, b)]
            if away:
                far[a] = away
    return near, far


def _names_differ(
    prepared: Callable[[int], Prepared], rarity: Rarity
) -> Callable[[int, int], bool]:
    def differ(a: int, b: int) -> bool:
        return names_fail(prepared(a), prepared(b), rarity)

    return differ


#: Articles whose slim weighted features a full regroup keeps in memory at once (about
#: 3 KB each, so about 450 MB at the bound): a library up to this size is read and decoded
#: once; beyond it the rest are re-read from ``article_features`` when asked for.
REGROUP_CACHE = 150_000


class _PreparedCache:
    """Slim weighted features for a full regroup: filled by the first scan, then read
    from storage on demand once the library outgrows ``limit``.

    Grouping visits articles in id order, so a miss reads the next block of ids in one
    query and the oldest entries are dropped beyond ``limit``: memory stays bounded
    whatever the library size, and an article evicted early (an average-link check may ask
    for it later) is simply read again.
    """

    def __init__(self, db: Database, ids: list[int], rarity: Rarity, limit: int = 0):
        self.db = db
        self.ids = ids
        self.position = {a: n for n, a in enumerate(ids)}
        self.rarity = rarity
        self.limit = limit or REGROUP_CACHE
        self.cache: dict[int, Prepared] = {}
        self.ahead = 0  # position up to which the forward scan has read

    def offer(self, article_id: int, f: feat.Features) -> Prepared | None:
        """Keep ``f`` weighted while there is room (the first scan's articles)."""
        if len(self.cache) >= self.limit:
            return None
        p = self.cache[article_id] = prepare(f, self.rarity, slim=True)
        return p

    def __call__(self, article_id: int) -> Prepared:
        p = self.cache.get(article_id)
        if p is not None:
            return p
        start = self.position[article_id]
        if start >= self.ahead:
            # The forward scan over the library: read the next block in one query.
            block = [a for a in self.ids[start : start + _CHUNK] if a not in self.cache]
            self.ahead = start + _CHUNK
        else:
            block = [article_id]  # a look back (average link): just this one
        if len(self.cache) + len(block) > self.limit:
            for old in list(self.cache)[: self.limit // 2]:
                del self.cache[old]
        for a, f in load_features(self.db, block).items():
            self.cache[a] = prepare(f, self.rarity, slim=True)
        return self.cache[article_id]


def _apply_clusters(db: Database, clusters: list[list[int]], old_of: dict[int, int | None]) -> None:
    """Write new clusters, keeping old story ids (largest overlap first) and every note."""
    overlaps: list[tuple[int, int, int, int]] = []  # (-size, oldest, cluster index, story)
    for index, cluster in enumerate(clusters):
        counts: dict[int, int] = {}
        for a in cluster:
            s = old_of.get(a)
            if s is not None:
                counts[s] = counts.get(s, 0) + 1
        for s, n in counts.items():
            overlaps.append((-n, min(cluster), index, s))
    overlaps.sort()
    story_of_cluster: dict[int, int] = {}
    used: set[int] = set()
    for _, _, index, s in overlaps:
        if index in story_of_cluster or s in used:
            continue
        story_of_cluster[index] = s
        used.add(s)
    unmatched = [index for index in range(len(clusters)) if index not in story_of_cluster]
    story_of_cluster.update(zip(unmatched, _new_stories(db, len(unmatched)), strict=True))
    cluster_of_article: dict[int, int] = {}
    for index, cluster in enumerate(clusters):
        for a in cluster:
            cluster_of_article[a] = index
    # Oldest article of every old story, before anything moves (notes follow it).
    old_oldest: dict[int, int] = {}
    for story, article in db.conn.execute(
        "SELECT story_id, id FROM articles WHERE story_id IS NOT NULL"
        " ORDER BY story_id, published_ts IS NULL, published_ts, id"
    ):
        old_oldest.setdefault(int(story), int(article))
    updates = [
        (story_of_cluster[cluster_of_article[a]], a)
        for a in cluster_of_article
        if old_of.get(a) != story_of_cluster[cluster_of_article[a]]
    ]
    db.conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?", updates)
    noted = {int(r[0]) for r in db.conn.execute("SELECT story_id FROM notes")}
    for s, oldest in old_oldest.items():
        if s not in used and s in noted:
            _move_note(db, s, story_of_cluster[cluster_of_article[oldest]])
    # Only stories that gained or lost an article need their aggregates rebuilt (a regroup
    # of a settled library leaves most stories as they were).
    touched = {story for story, _ in updates}
    touched.update(s for s in (old_of.get(a) for _, a in updates) if s is not None)
    refresh_stories(db, touched)


# --------------------------------------------------------------------------- reading


def reasons(db: Database, story_id: int, limit: int = 50) -> list[GroupReason]:
    """Why the story's versions are together: each version against the headline version."""
    members = story_articles(db, story_id)
    if len(members) < 2:
        return []
    row = db.conn.execute(
        "SELECT headline_article_id FROM stories WHERE id = ?", [story_id]
    ).fetchone()
    head = int(row[0]) if row and row[0] in members else members[0]
    feats = load_features(db, members)
    rarity = _rarity_for(db, feats.values())
    out = []
    for other in members:
        if other == head or head not in feats or other not in feats:
            continue
        out.append(_reason(db, head, other, feats, rarity))
        if len(out) >= limit:
            break
    return out


def _reason(
    db: Database, a: int, b: int, feats: dict[int, feat.Features], rarity: Rarity
) -> GroupReason:
    rule = ""
    pair = db.conn.execute(
        "SELECT 1 FROM corrections WHERE kind = 'together' AND ((article_id = ? AND"
        " other_id = ?) OR (article_id = ? AND other_id = ?))",
        [a, b, b, a],
    ).fetchone()
    if pair:
        rule = "user merge"
    else:
        from reader.grouping.scoring import is_repost

        bodies = _bodies(db, [a, b])
        if is_repost(bodies.get(a, ""), bodies.get(b, "")):
            rule = "re-post"
    return explain(a, feats[a], b, feats[b], rarity, rule)


def explain_pair(db: Database, a: int, b: int) -> GroupReason:
    feats = load_features(db, [a, b])
    for x in (a, b):
        if x not in feats:
            if not db.conn.execute("SELECT 1 FROM articles WHERE id = ?", [x]).fetchone():
                raise NotFound(f"article {x} does not exist")
            feats.update(compute_features(db, [x]))
    return _reason(db, a, b, feats, _rarity_for(db, feats.values()))


def unique_of(db: Database, article_id: int) -> list[SentenceSpan]:
    story = _story_of(db, article_id)
    members = story_articles(db, story)
    bodies = _bodies(db, members)
    others = [bodies[m] for m in members if m != article_id]
    if not others:
        return []
    return unique_sentences(bodies[article_id], others)


def idf_of(df: int, total: int) -> float:
    return math.log(total + 1) - math.log(df + 1)
