"""Feed entries as rows to store, with the identity hash that tells a new entry from a
stored one (fast for the ASCII text most feeds are in)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from reader.feeds.entries import FeedEntry
from reader.storage.articles import clean_article
from reader.storage.feed_entries import EntryRow
from reader.text import identity_hash
from reader.types import ParsedArticle

#: ASCII bytes folded as :func:`reader.text.normalise_for_identity` folds them: letters to
#: lower case, digits kept, everything else (``_`` included) a space.
_ASCII_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else c if (97 <= c <= 122 or 48 <= c <= 57) else 32
    for c in range(256)
)


#: Characters common in feed text (list bullets, typographic quotes and dashes, no-break
#: space, ellipsis) that NFKC and casefolding turn into punctuation or space only, so the
#: identity fold reads each of them as a space, as it reads ASCII punctuation.
_SPACE_LIKE = ("\u2022", "\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014",
               "\u00a0", "\u2026")


def _ascii_fold(text: str) -> bytes | None:
    """``normalise_for_identity(text)`` as ASCII bytes, or None if ``text`` needs the
    general (Unicode) path."""
    if not text.isascii():
        for char in _SPACE_LIKE:
            if char in text:
                text = text.replace(char, " ")
        if not text.isascii():
            return None
    return b" ".join(text.encode("ascii").translate(_ASCII_FOLD).split())


def content_hash(title: str, body: str) -> str:
    """:func:`reader.text.identity_hash`, several times faster for (mostly) ASCII text.

    For ASCII, NFKC changes nothing and casefolding is lowering, so the fold is one
    ``bytes.translate`` and a split instead of a Unicode regular expression over the whole
    body, the costliest step of storing a large feed. Other text takes the general path;
    ``tests/test_feeds_speed_paths.py`` holds the two equal.
    """
    folded_title = _ascii_fold(title)
    folded_body = _ascii_fold(body) if folded_title is not None else None
    if folded_title is None or folded_body is None:
        return identity_hash(title, body)
    return hashlib.blake2b(folded_title + b"\x1f" + folded_body, digest_size=16).hexdigest()


def entry_rows(entries: Sequence[FeedEntry]) -> list[EntryRow]:
    """Feed entries as rows to upsert (the plain text is what search and grouping see)."""
    rows = []
    for position, entry in enumerate(entries):
        # Titles and authors lose control characters before the identity hash, as every
        # imported article does (clean_article), so re-imports still match.
        article = clean_article(ParsedArticle(
            title=entry.title, body=entry.text, position=position, published=entry.published,
            url=entry.link, external_id=entry.guid, author=entry.author,
            attachments=entry.enclosures,
        ))
        rows.append(
            EntryRow(
                article, entry.guid, entry.html, entry.categories,
                content_hash(article.title, article.body),
            )
        )
    return rows
