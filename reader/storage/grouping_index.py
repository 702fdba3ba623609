"""The grouping index: stored features, document frequencies and vectors. SQL only.

* ``article_features``: each article's features as JSON (``data``) and the facts that can
  conflict (``facts``, NULL when there are none), written once at import.
* ``feature_df``: how many articles hold each term; the rarity behind every weight.
* ``feature_postings``: each article's vector, as (term, article, weight) rows: the inverted
  index a new article's terms are looked up in.

What the rows mean is :mod:`reader.grouping`'s business; this module only reads and writes
them, in chunks that keep SQLite's variable limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from sqlite_utils import Database

from reader.storage.params import CHUNK, chunks, marks

# --------------------------------------------------------------------------- articles


def texts(db: Database, ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """``(id, title, body)`` of articles: the input of feature extraction."""
    out: list[tuple[int, str, str]] = []
    for chunk in chunks(ids):
        out.extend(
            (int(r[0]), r[1], r[2])
            for r in db.conn.execute(
                f"SELECT id, title, body FROM articles WHERE id IN ({marks(chunk)})", list(chunk)
            )
        )
    return out


#: (published_ts, published_inferred, story_id) of an article.
Meta = tuple[int | None, bool, int | None]


def meta(db: Database, ids: Sequence[int] | None = None) -> dict[int, Meta]:
    """Dates and stories of some articles, or of all of them."""
    sql = "SELECT id, published_ts, published_inferred, story_id FROM articles"
    if ids is None:
        return {int(r[0]): (r[1], bool(r[2]), r[3]) for r in db.conn.execute(sql)}
    out: dict[int, Meta] = {}
    for chunk in chunks(ids):
        for r in db.conn.execute(f"{sql} WHERE id IN ({marks(chunk)})", list(chunk)):
            out[int(r[0])] = (r[1], bool(r[2]), r[3])
    return out


def stories_of(db: Database, ids: Sequence[int]) -> dict[int, int]:
    """The story of each of these articles that has one."""
    out: dict[int, int] = {}
    for chunk in chunks(ids):
        out.update(
            db.conn.execute(
                f"SELECT id, story_id FROM articles"
                f" WHERE id IN ({marks(chunk)}) AND story_id IS NOT NULL",
                list(chunk),
            ).fetchall()
        )
    return out


def article_ids(db: Database) -> list[int]:
    return [int(r[0]) for r in db.conn.execute("SELECT id FROM articles ORDER BY id")]


# --------------------------------------------------------------------------- features


def write_features(db: Database, rows: Iterable[tuple[int, str, str | None]]) -> None:
    """Store ``(article id, features JSON, facts JSON or None)`` rows, replacing any stored.

    An upsert, not ``INSERT OR REPLACE``: with foreign keys on, a replace costs SQLite the
    checks of a delete and an insert for every row (100,000 features: 0.5 s against 0.24 s;
    a regroup's vectors: 1.05 s against 0.6 s)."""
    db.conn.executemany(
        "INSERT INTO article_features (article_id, data, facts) VALUES (?, ?, ?)"
        " ON CONFLICT (article_id) DO UPDATE SET data = excluded.data, facts = excluded.facts",
        list(rows),
    )


def features(db: Database, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in chunks(ids):
        for article_id, data in db.conn.execute(
            f"SELECT article_id, data FROM article_features WHERE article_id IN ({marks(chunk)})",
            list(chunk),
        ):
            out[int(article_id)] = data
    return out


def all_features(db: Database) -> Iterator[tuple[int, str, str | None]]:
    """Every stored ``(article id, features JSON, facts JSON or None)``, in id order."""
    for article_id, data, facts in db.conn.execute(
        "SELECT article_id, data, facts FROM article_features ORDER BY article_id"
    ):
        yield int(article_id), data, facts


def facts(db: Database, ids: Sequence[int]) -> dict[int, str]:
    """The stored facts of the articles that have any."""
    out: dict[int, str] = {}
    for chunk in chunks(ids):
        for article_id, data in db.conn.execute(
            f"SELECT article_id, facts FROM article_features"
            f" WHERE facts IS NOT NULL AND article_id IN ({marks(chunk)})",
            list(chunk),
        ):
            out[int(article_id)] = data
    return out


def featured_count(db: Database) -> int:
    """Articles with stored features: the library size every weight is computed against."""
    return int(db.conn.execute("SELECT COUNT(*) FROM article_features").fetchone()[0])


def article_count(db: Database) -> int:
    return int(db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def clear(db: Database) -> None:
    """Drop the whole index (a full regroup rebuilds it)."""
    for table in ("feature_postings", "feature_df", "article_features"):
        db.execute(f"DELETE FROM {table}")


# --------------------------------------------------------------------------- document frequencies


def document_frequencies(db: Database, terms: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in chunks(terms):
        out.update(
            (term, int(n))
            for term, n in db.conn.execute(
                f"SELECT key, df FROM feature_df WHERE key IN ({marks(chunk)})", list(chunk)
            )
        )
    return out


def all_document_frequencies(db: Database, at_most: int) -> Iterator[tuple[str, int]]:
    """Every term held by ``at_most`` articles or fewer (the others weigh nothing)."""
    for term, n in db.conn.execute("SELECT key, df FROM feature_df WHERE df <= ?", [at_most]):
        yield term, int(n)


def add_document_frequencies(db: Database, counts: Mapping[str, int]) -> None:
    db.conn.executemany(
        "INSERT INTO feature_df (key, df) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET df = df + excluded.df",
        list(counts.items()),
    )


# --------------------------------------------------------------------------- vectors


def write_vectors(db: Database, rows: Iterable[tuple[str, int, float]]) -> None:
    """Store vector entries as ``(term, article id, weight)`` rows, replacing any stored
    (an upsert: see :func:`write_features`)."""
    db.conn.executemany(
        "INSERT INTO feature_postings (term, article_id, weight) VALUES (?, ?, ?)"
        " ON CONFLICT (term, article_id) DO UPDATE SET weight = excluded.weight",
        list(rows),
    )


def clear_vectors(db: Database) -> None:
    db.execute("DELETE FROM feature_postings")


def replace_vectors(db: Database, rows: Iterable[tuple[str, int, float]]) -> None:
    """Store these ``(term, article id, weight)`` rows, best in the key's order, in place of
    every vector entry.

    The table's secondary indexes are dropped while it fills and built again after from
    their stored definitions: built in one pass they cost less than updated at a random
    place for every row (a 100k library's vectors: 0.35 s in article order, 0.18 s so).
    """
    indexes = db.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name = 'feature_postings' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    clear_vectors(db)
    batch: list[tuple[str, int, float]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK * 100:
            write_vectors(db, batch)
            batch = []
    write_vectors(db, batch)
    for _, sql in indexes:
        db.execute(sql)


def postings(db: Database, terms: Sequence[str]) -> list[tuple[str, int, float]]:
    """The stored vector entries under ``terms``, as ``(term, article id, weight)`` rows,
    each term's rows together."""
    out: list[tuple[str, int, float]] = []
    for chunk in chunks(terms):
        out.extend(
            db.conn.execute(
                f"SELECT term, article_id, weight FROM feature_postings"
                f" WHERE term IN ({marks(chunk)}) ORDER BY term",
                list(chunk),
            ).fetchall()
        )
    return out
