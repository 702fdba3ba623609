"""The library's schema: one place, forward-only migrations, an application id.

Each migration is a function registered in order on :data:`MIGRATIONS`. A released migration
is never edited; changes go into a new one appended at the end. ``PRAGMA user_version`` holds
the number of applied migrations, so a file written by a newer Broadsheet (a larger number)
can be recognised from its header bytes alone and refused without being touched.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

#: ``PRAGMA application_id``: the ASCII bytes "BSHT". Marks a file as a Broadsheet library.
APPLICATION_ID = 0x42534854

MIGRATIONS = Migrations("broadsheet")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """The first schema: every table the core needs."""
    run_script(
        db,
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'dump',
            created_at TEXT NOT NULL
        );

        -- One row per imported file: its content hash makes re-importing a file a no-op.
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            format TEXT NOT NULL,
            encoding TEXT,
            articles INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT NOT NULL
        );

        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            headline TEXT NOT NULL DEFAULT '',
            headline_article_id INTEGER,
            size INTEGER NOT NULL DEFAULT 0,
            source_count INTEGER NOT NULL DEFAULT 0,
            sources TEXT NOT NULL DEFAULT '',          -- names joined with U+001F
            first_ts INTEGER,                          -- epoch seconds, NULL when undated
            last_ts INTEGER,
            sort_ts INTEGER NOT NULL DEFAULT 0,        -- last_ts, else the time it was added
            unread INTEGER NOT NULL DEFAULT 0,         -- unread versions
            starred INTEGER NOT NULL DEFAULT 0,        -- starred versions
            has_note INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX stories_by_date ON stories (sort_ts DESC, id DESC);
        CREATE INDEX stories_by_size ON stories (size DESC, sort_ts DESC, id DESC);
        CREATE INDEX stories_by_title ON stories (headline COLLATE NOCASE, id);

        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            file_id INTEGER REFERENCES files(id),
            position INTEGER,                          -- index of the article in its file
            external_id TEXT,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            url TEXT,
            author TEXT,
            published TEXT,                            -- ISO 8601 UTC
            published_ts INTEGER,                      -- same, epoch seconds (sorting, windows)
            published_inferred INTEGER NOT NULL DEFAULT 0,
            attachments TEXT,                          -- JSON list, NULL when none
            content_hash TEXT NOT NULL,                -- of the normalised title and body
            story_id INTEGER REFERENCES stories(id),   -- set before every commit
            read INTEGER NOT NULL DEFAULT 0,
            starred INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL,
            UNIQUE (source_id, content_hash)
        );
        CREATE INDEX articles_by_story ON articles (story_id, published_ts);
        CREATE INDEX articles_by_date ON articles (published_ts);
        CREATE INDEX articles_by_file ON articles (file_id, position);

        -- External-content FTS5: the index is filled explicitly in bulk at import (an AFTER
        -- INSERT trigger is the slowest way, see the design notes); updates and deletes, which
        -- are rare, are kept in sync by triggers.
        CREATE VIRTUAL TABLE articles_fts USING fts5 (
            title, body, content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END;

        -- Grouping: compact per-article features and an inverted index over rare keys.
        CREATE TABLE article_features (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            data TEXT NOT NULL
        );
        CREATE TABLE feature_postings (
            key TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (key, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX feature_postings_by_article ON feature_postings (article_id);

        -- The user's corrections to grouping; every regroup and import respects them.
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,                        -- 'together' | 'apart' | 'alone'
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            other_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL
        );
        CREATE INDEX corrections_by_article ON corrections (article_id);
        CREATE INDEX corrections_by_other ON corrections (other_id);

        CREATE TABLE topics (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            rule TEXT NOT NULL,
            builtin INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0,          -- maintained counts (articles)
            unread INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE article_topics (
            topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            score REAL NOT NULL DEFAULT 1,
            PRIMARY KEY (topic_id, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX article_topics_by_article ON article_topics (article_id);
        CREATE TABLE story_topics (
            topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            PRIMARY KEY (topic_id, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_topics_by_story ON story_topics (story_id);

        -- People & places facets, from the entity extractor shared with grouping.
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'name',
            count INTEGER NOT NULL DEFAULT 0,          -- articles that mention it
            hidden INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX entities_by_count ON entities (count DESC);
        CREATE TABLE article_entities (
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (entity_id, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX article_entities_by_article ON article_entities (article_id);
        CREATE TABLE story_entities (
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            PRIMARY KEY (entity_id, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_entities_by_story ON story_entities (story_id);

        -- A story has at most one note. Notes never cascade away with a story: merging and
        -- splitting move them explicitly (see reader.storage.corrections).
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL UNIQUE REFERENCES stories(id),
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX notes_by_updated ON notes (updated_at DESC);
        CREATE VIRTUAL TABLE notes_fts USING fts5 (
            body, content='notes', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
            INSERT INTO notes_fts (rowid, body) VALUES (new.id, new.body);
        END;
        CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
            INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
        END;
        CREATE TRIGGER notes_fts_update AFTER UPDATE OF body ON notes BEGIN
            INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
            INSERT INTO notes_fts (rowid, body) VALUES (new.id, new.body);
        END;

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


def run_script(db: Database, script: str) -> None:
    """Run several statements inside the migration's transaction.

    ``executescript`` would COMMIT first and break the all-or-nothing migration, so the
    script is split into complete statements (trigger bodies included) and run one by one.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]}")


def schema_version() -> int:
    """The number of migrations this build knows: written to ``PRAGMA user_version``."""
    return len(MIGRATIONS._migrations)


@MIGRATIONS()
def m002_feature_df(db: Database) -> None:
    """Document frequency of every grouping feature key (names, numbers, words, phrases).

    Rarity weighting needs the frequency of *every* key, while ``feature_postings`` holds
    only each article's rarest keys; keeping the counts lets an import score new articles
    with index lookups instead of rescanning the library.
    """
    run_script(
        db,
        """
        CREATE TABLE feature_df (
            key TEXT PRIMARY KEY,
            df INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    )


@MIGRATIONS()
def m003_feeds(db: Database) -> None:
    """Feed subscriptions, and the feed-entry columns of articles (guid, sanitised HTML,
    categories) with the indexes that match re-fetched entries to stored ones."""
    run_script(
        db,
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            folder TEXT,
            etag TEXT,
            last_modified TEXT,
            status TEXT NOT NULL DEFAULT 'new',        -- new | ok | not-modified | error
            last_error TEXT,
            last_checked TEXT,
            cache_images INTEGER NOT NULL DEFAULT 1,
            source_id INTEGER REFERENCES sources(id),
            created_at TEXT NOT NULL
        );
        ALTER TABLE articles ADD COLUMN guid TEXT;
        ALTER TABLE articles ADD COLUMN html TEXT;
        ALTER TABLE articles ADD COLUMN categories TEXT;   -- JSON list, NULL when none
        CREATE INDEX articles_by_guid ON articles (source_id, guid);
        CREATE INDEX articles_by_url ON articles (source_id, url);
        """
    )


@MIGRATIONS()
def m004_article_topic_unread(db: Database) -> None:
    """Keep each assignment's unread flag beside it, so a full topic recount is one scan of
    article_topics (about 1 s at 1M articles would otherwise be spent joining articles)."""
    run_script(
        db,
        """
        ALTER TABLE article_topics ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
        UPDATE article_topics SET unread = coalesce(
            (SELECT a.read = 0 FROM articles a WHERE a.id = article_topics.article_id), 0);
        """,
    )


@MIGRATIONS()
def m005_filter_indexes(db: Database) -> None:
    """Indexes that keep the stories list's source, starred and notes filters fast at 1M.

    A rare source is listed through its own stories (``articles_by_source_story``); the
    starred and noted views walk small partial indexes in date order instead of the whole
    stories table.
    """
    run_script(
        db,
        """
        CREATE INDEX articles_by_source_story ON articles (source_id, story_id);
        CREATE INDEX stories_starred_by_date ON stories (sort_ts DESC, id DESC)
            WHERE starred > 0;
        CREATE INDEX stories_noted_by_date ON stories (sort_ts DESC, id DESC)
            WHERE has_note = 1;
        """,
    )


@MIGRATIONS()
def m006_undated_last(db: Database) -> None:
    """Date orders that put undated stories last.

    An undated story's ``sort_ts`` is the time it was added, which put undated stories at the
    top of "newest first" (31 of the seeds' 54). Two virtual generated columns (computed, not
    stored) now lead the date orders, each with an index, so a keyset page is still an index
    seek (an expression index would be scanned from the start: SQLite compares row values
    only on columns). The plain date index they replace is dropped.
    """
    run_script(
        db,
        """
        ALTER TABLE stories ADD COLUMN dated INTEGER GENERATED ALWAYS AS (last_ts IS NOT NULL)
            VIRTUAL;
        ALTER TABLE stories ADD COLUMN undated INTEGER GENERATED ALWAYS AS (last_ts IS NULL)
            VIRTUAL;
        DROP INDEX IF EXISTS stories_by_date;
        CREATE INDEX stories_newest ON stories (dated, sort_ts, id);
        CREATE INDEX stories_oldest ON stories (undated, sort_ts, id);
        """,
    )


@MIGRATIONS()
def m007_grouping_vectors(db: Database) -> None:
    """Grouping by TF-IDF vectors: the stored features change form, the inverted index holds
    each article's vector (term and weight), and the facts that can conflict get a column of
    their own (an import reads them for the few articles it compares, not whole features).

    The old features, document frequencies and postings are derived data in an old form, so
    they are dropped; the next import or regroup rebuilds them (stories are kept as they are
    until then).
    """
    run_script(
        db,
        """
        DELETE FROM article_features;
        ALTER TABLE article_features ADD COLUMN facts TEXT;
        DELETE FROM feature_df;
        DROP TABLE feature_postings;
        CREATE TABLE feature_postings (
            term TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            weight REAL NOT NULL,
            PRIMARY KEY (term, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX feature_postings_by_article ON feature_postings (article_id);
        """,
    )
