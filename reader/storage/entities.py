"""People & places facets: the ``entities``, ``article_entities`` and ``story_entities`` tables.

Entities come from the one extractor shared with grouping (:mod:`reader.grouping.entities`);
each is stored under its matching key (``entities.name`` holds the key's display form chosen
the first time it was seen, upgraded to a full name when one turns up). Counts are articles
that mention the name, kept up to date incrementally at import.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping

from sqlite_utils import Database

from reader import facets as facet_rules
from reader.errors import NotFound
from reader.grouping import thresholds as t
from reader.grouping.entities import entity_key
from reader.storage import params
from reader.storage.params import chunks
from reader.types import Facet


class _KeyMap:
    """Matching key -> entity id for one database, valid while the table is unchanged.

    Reading the whole ``entities`` table on every import made imports slow as the library
    grew; the map is rebuilt only when the table's fingerprint (row count, highest id and
    its name) shows that something other than this map's own inserts changed it, e.g. a
    rolled-back import or another connection.
    """

    def __init__(self) -> None:
        self.fingerprint: tuple[int, int, str] | None = None
        self.ids: dict[str, int] = {}


_maps: weakref.WeakKeyDictionary[Database, _KeyMap] = weakref.WeakKeyDictionary()


def _fingerprint(db: Database) -> tuple[int, int, str]:
    count, top = db.conn.execute("SELECT COUNT(*), MAX(id) FROM entities").fetchone()
    if not top:
        return (0, 0, "")
    row = db.conn.execute("SELECT name FROM entities WHERE id = ?", [top]).fetchone()
    return (int(count), int(top), str(row[0]) if row else "")


def _key_map(db: Database) -> _KeyMap:
    m = _maps.get(db)
    if m is None:
        m = _maps[db] = _KeyMap()
    fingerprint = _fingerprint(db)
    if m.fingerprint != fingerprint:
        m.ids = {}
        for row in db.conn.execute("SELECT id, name, kind FROM entities ORDER BY id"):
            m.ids.setdefault(entity_key(row[1], row[2]), int(row[0]))
        m.fingerprint = fingerprint
    return m


def _entity_ids(db: Database, names: Mapping[str, tuple[str, str]]) -> dict[str, int]:
    """Ids for entity keys, creating missing ones. ``names``: key -> (display, kind).

    ``entities.name`` holds the display form ("Putin", "Kerch Strait"); the matching key is
    recomputed from it (:func:`reader.grouping.entities.entity_key`), so transliteration
    variants ("Zelenskyy") find the row of the first spelling seen.
    """
    m = _key_map(db)
    known = m.ids
    ids: dict[str, int] = {}
    for key, (display, kind) in names.items():
        if key in known:
            ids[key] = known[key]
            continue
        row = db.conn.execute("SELECT id FROM entities WHERE name = ?", [display]).fetchone()
        if row is None:
            cursor = db.conn.execute(
                "INSERT INTO entities (name, kind, count) VALUES (?, ?, 0)", [display, kind]
            )
            ids[key] = known[key] = int(cursor.lastrowid or 0)
        else:
            ids[key] = known[key] = int(row[0])
    m.fingerprint = _fingerprint(db)
    return ids


def add_article_entities(
    db: Database, entities_by_article: Mapping[int, Mapping[str, tuple[str, str]]]
) -> None:
    """Link new articles to their entities and bump the counts."""
    wanted: dict[str, tuple[str, str]] = {}
    for names in entities_by_article.values():
        for key, value in names.items():
            wanted.setdefault(key, value)
    if not wanted:
        return
    ids = _entity_ids(db, wanted)
    rows = [(ids[k], a) for a, names in entities_by_article.items() for k in names]
    db.conn.executemany(
        "INSERT OR IGNORE INTO article_entities (entity_id, article_id) VALUES (?, ?)", rows
    )
    counts: dict[int, int] = {}
    for entity_id, _ in rows:
        counts[entity_id] = counts.get(entity_id, 0) + 1
    db.conn.executemany(
        "UPDATE entities SET count = count + ? WHERE id = ?", [(n, e) for e, n in counts.items()]
    )


def clear_all(db: Database) -> None:
    """Forget every article's entities (a full regroup recomputes them)."""
    db.execute("DELETE FROM story_entities")
    db.execute("DELETE FROM article_entities")
    db.execute("UPDATE entities SET count = 0")


def refresh_story_entities(db: Database, story_ids: Iterable[int]) -> None:
    """Recompute which names each story mentions: set-based, a chunk of stories at a time."""
    ids = sorted(set(story_ids))
    for chunk in chunks(ids):
        marks = params.marks(chunk)
        db.execute(f"DELETE FROM story_entities WHERE story_id IN ({marks})", chunk)
        db.execute(
            f"""
            INSERT OR IGNORE INTO story_entities (entity_id, story_id)
            SELECT DISTINCT e.entity_id, a.story_id FROM articles a
            JOIN article_entities e ON e.article_id = a.id WHERE a.story_id IN ({marks})
            """,
            chunk,
        )


#: Names read per facet to judge how the library writes it (reader.facets.judge).
_SAMPLE = 20
#: Candidates read per facet shown: aliases fold together and plain words drop out.
_POOL = 3


class _Verdicts:
    """Per database: entity id -> (article count when judged, verdict). A verdict is read
    again when the name's count has grown by a quarter (new articles may write it
    differently); a few hundred small reads the first time, none after."""

    def __init__(self) -> None:
        self.seen: dict[int, tuple[int, facet_rules.Verdict]] = {}


_verdicts: weakref.WeakKeyDictionary[Database, _Verdicts] = weakref.WeakKeyDictionary()


def facets(db: Database, limit: int = 50, include_hidden: bool = False) -> list[Facet]:
    """The most mentioned places, bodies and people, one facet per alias group, with story
    counts (hidden ones only when asked). See :mod:`reader.facets` for the rules."""
    rows = db.conn.execute(
        "SELECT id, name, kind, count, hidden FROM entities WHERE count >= ?"
        " ORDER BY count DESC, name LIMIT ?",
        [t.MIN_FACET_COUNT, limit * _POOL + 20],
    ).fetchall()
    hidden = {int(r[0]) for r in rows if r[4]}
    candidates = [facet_rules.Candidate(int(r[0]), r[1], r[2], int(r[3])) for r in rows]
    groups = facet_rules.group_aliases(candidates, lambda a, b: _cooccur(db, a, b))
    verdicts = _verdicts.get(db)
    if verdicts is None:
        verdicts = _verdicts[db] = _Verdicts()
    out: list[Facet] = []
    for group in groups:
        is_hidden = group.id in hidden
        if is_hidden and not include_hidden:
            continue
        verdict = _judge(db, verdicts, group)
        if not verdict.keep:
            continue
        stories, unread, articles = _group_counts(db, group)
        out.append(
            Facet(
                id=group.id, name=verdict.display, kind=group.kind, count=articles,
                hidden=is_hidden, stories=stories, unread=unread,
                aliases=tuple(m.name for m in group.members if m.name != verdict.display),
                ids=group.ids,
            )
        )
    out.sort(key=lambda f: (-f.stories, -f.count, f.name))
    return out[:limit]


def _judge(db: Database, verdicts: _Verdicts, group: facet_rules.Facet) -> facet_rules.Verdict:
    head = group.members[0]
    if len(group.members) > 1 or " " in head.name or group.code is not None:
        return facet_rules.judge(group, None)
    known = verdicts.seen.get(head.id)
    if known is not None and head.count * 4 < known[0] * 5:
        return known[1]
    texts = [
        str(r[0])
        for r in db.conn.execute(
            "SELECT a.body FROM article_entities x JOIN articles a ON a.id = x.article_id"
            " WHERE x.entity_id = ? LIMIT ?",
            [head.id, _SAMPLE],
        )
    ]
    verdict = facet_rules.judge(group, facet_rules.read_evidence(head.name, texts))
    verdicts.seen[head.id] = (head.count, verdict)
    return verdict


def _cooccur(db: Database, a: int, b: int) -> bool:
    """Whether one article mentions both names (walks the rarer name's articles)."""
    row = db.conn.execute(
        "SELECT 1 FROM article_entities x JOIN article_entities y"
        " ON y.entity_id = ? AND y.article_id = x.article_id WHERE x.entity_id = ? LIMIT 1",
        [b, a],
    ).fetchone()
    return row is not None


def _group_counts(db: Database, group: facet_rules.Facet) -> tuple[int, int, int]:
    """(stories, stories with an unread version, articles) that mention any alias."""
    ids = list(group.ids)
    marks = params.marks(ids)
    stories, unread = db.conn.execute(
        f"""
        SELECT count(*), coalesce(sum(s.unread > 0), 0) FROM stories s
        WHERE s.id IN (SELECT story_id FROM story_entities WHERE entity_id IN ({marks}))
        """,
        ids,
    ).fetchone()
    if len(ids) == 1:
        articles = group.members[0].count
    else:
        articles = db.conn.execute(
            f"SELECT count(DISTINCT article_id) FROM article_entities"
            f" WHERE entity_id IN ({marks})",
            ids,
        ).fetchone()[0]
    return int(stories), int(unread), int(articles)


def set_hidden(db: Database, entity_id: int, hidden: bool) -> None:
    cursor = db.execute(
        "UPDATE entities SET hidden = ? WHERE id = ?", [1 if hidden else 0, entity_id]
    )
    if not cursor.rowcount:
        raise NotFound(f"facet {entity_id} does not exist")
