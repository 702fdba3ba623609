"""The forum-thread format (``001_…``): a thread page saved as text.

Layout: page chrome ("What's new"), the thread title (the source), then posts separated by
a line holding only a no-break space (U+00A0, maybe with other spaces) followed by a line
holding only ``.``; the page ends with more chrome ("Back", "Top Bottom").

Posts have no titles, so one is made from the lead sentence. Attachment lines are taken out
of the body and kept in ``attachments``; a 13-digit millisecond-epoch image name
(``1733823254611.png``) is an upload time and gives the post's ``published`` (the latest
one, since a post is published after its last upload). Without one, the date is inferred
from the prose.

A truncated thread (no separator after the last post) follows the listing rule: the last
post is kept if its last line looks finished (ends a sentence or is an attachment), else
dropped; either way there is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader.dates import infer_date
from reader.importers.base import WarningList
from reader.importers.structure import format_body, lead_text
from reader.text import make_title
from reader.types import ParsedArticle

NBSP = "\u00a0"

#: Lines of forum page chrome (compared case-folded), at the top or bottom of the page.
CHROME = frozenset(
    line.casefold()
    for line in (
        "What's new", "What’s new", "New posts", "Latest activity", "Forums", "Search forums",
        "Log in", "Register", "Menu", "Install the app", "Install", "Home", "Back", "Top",
        "Bottom", "Top Bottom", "Reply", "Share", "Search", "Members", "Current visitors",
        "New profile posts", "Search profile posts", "Prev", "Next", "Go to page", "Watch",
        "Unwatch", "Report", "Like", "Quote", "Media", "Resources",
        "You must log in or register to reply here.",
    )
)  # fmt: skip

#: Page navigation ("Page 2 of 9", "1 2 3 … 9 Next").
_PAGER_RE = re.compile(
    r"(?i)(?:page \d+ of \d+|(?:\d+|…|\.\.\.)(?:\s+(?:\d+|…|\.\.\.))*(?:\s+next)?)"
)

_EPOCH_ATTACHMENT_RE = re.compile(r"(?i)(\d{13})\.(?:png|jpe?g|gif|webp|bmp|avif)")
_ATTACHMENT_RE = re.compile(
    r"(?i)(?:view attachment \d+|[^\s/\\]{1,120}\.(?:png|jpe?g|gif|webp|bmp|avif))"
)

#: Epochs outside this range are not upload times (they are kept as attachments only).
_EPOCH_MIN = datetime(2000, 1, 1, tzinfo=UTC)
_EPOCH_MAX = datetime(2100, 1, 1, tzinfo=UTC)
_UNIX = datetime(1970, 1, 1, tzinfo=UTC)

#: A thread title longer than this, or ending like a sentence, is really a post's first line.
_TITLE_MAX = 200

#: Line endings that make a post or article look finished (used to judge a truncated tail).
FINISHED_ENDINGS = tuple(".!?…\"'”’)]:")


def is_separator_nbsp(line: str) -> bool:
    """The first line of a post separator: only whitespace, including a no-break space."""
    return NBSP in line and not line.strip()


def is_chrome(line: str) -> bool:
    text = line.strip()
    return text.casefold() in CHROME or bool(text and _PAGER_RE.fullmatch(text))


def count_separators(lines: list[str]) -> int:
    """How many post separators ``lines`` holds (used by the sniffer)."""
    return sum(
        1
        for i in range(len(lines) - 1)
        if lines[i + 1].strip() == "." and is_separator_nbsp(lines[i])
    )


def epoch_published(attachments: list[str]) -> datetime | None:
    """The latest plausible upload time among 13-digit millisecond-epoch attachment names."""
    best: datetime | None = None
    for name in attachments:
        match = _EPOCH_ATTACHMENT_RE.fullmatch(name)
        if match is None:
            continue
        when = _UNIX + timedelta(milliseconds=int(match.group(1)))
        if _EPOCH_MIN <= when < _EPOCH_MAX and (best is None or when > best):
            best = when
    return best


def _looks_finished(lines: list[str]) -> bool:
    for line in reversed(lines):
        text = line.strip()
        if text:
            return text.endswith(FINISHED_ENDINGS) or bool(_ATTACHMENT_RE.fullmatch(text))
    return False


def _post(lines: list[str], position: int, warnings: WarningList) -> ParsedArticle | None:
    attachments: list[str] = []
    text_lines: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped and len(stripped) <= 130 and _ATTACHMENT_RE.fullmatch(stripped):
            attachments.append(stripped)
        else:
            text_lines.append(line)
    body = format_body(text_lines)
    if not any(ch.isalnum() for ch in body):
        if body or attachments:
            warnings.warn(f"post {position + 1} holds no words; skipped it")
        return None
    title = make_title(lead_text(body))
    published = epoch_published(attachments)
    inferred = False
    if published is None:
        published = infer_date(body)
        inferred = published is not None
    return ParsedArticle(
        title=title,
        body=body,
        position=position,
        published=published,
        published_inferred=inferred,
        attachments=tuple(attachments),
    )


def parse(
    path: Path, lines: Iterator[str], warnings: WarningList
) -> tuple[str, Iterator[ParsedArticle]]:
    """Read the chrome and thread title now; return the source and a lazy post stream."""
    first_post_line: str | None = None
    source = path.stem
    for line in lines:
        stripped = line.strip()
        if not stripped or is_chrome(line):
            continue
        if len(stripped) <= _TITLE_MAX and not stripped.endswith((".", "!", "?")):
            source = stripped
        else:
            first_post_line = line
        break
    return source, _posts(lines, first_post_line, warnings)


def _posts(
    lines: Iterator[str], first_line: str | None, warnings: WarningList
) -> Iterator[ParsedArticle]:
    buffer: list[str] = [] if first_line is None else [first_line]
    position = 0
    separators = 0
    after_nbsp = False
    for line in lines:
        if after_nbsp:
            after_nbsp = False
            if line.strip() == ".":
                separators += 1
                post = _post(buffer, position, warnings)
                buffer = []
                if post is not None:
                    yield post
                    position += 1
                continue
            buffer.append("")
        if is_separator_nbsp(line):
            after_nbsp = True
            continue
        buffer.append(line)
    # The page's closing chrome, then whatever is left is an unterminated last post.
    while buffer and (not buffer[-1].strip() or is_chrome(buffer[-1])):
        buffer.pop()
    if not any(line.strip() for line in buffer):
        return
    if separators and not _looks_finished(buffer):
        warnings.warn(
            "the file ends inside a post (no closing separator, text cut off): "
            "dropped that post; the file may be truncated"
        )
        return
    if separators:
        warnings.warn("the last post has no closing separator; the file may be truncated")
    post = _post(buffer, position, warnings)
    if post is not None:
        yield post
