"""Writing notes out as Markdown files that open cleanly in Obsidian or any Markdown viewer.

One file per noted story, named by a safe slug of its headline; or, with ``single``, one
document holding every note. Three promises, because exports are where other readers have
lost users' notes:

* nothing is ever overwritten: a name that is taken (by an earlier note of this export or by
  a file already in the folder) gets ``-2``, ``-3``, … and files are created with exclusive
  open, so even a file appearing mid-export is not clobbered;
* every write stays inside the chosen folder: names come from a slug that has no separators,
  and each resolved path is checked against the resolved folder anyway;
* the YAML front matter is valid YAML whatever the headline holds: strings are written as
  double-quoted scalars with every control character escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reader.errors import BroadsheetError
from reader.notes_text import quote_date

#: Longest slug, in characters, before the ``-2`` suffix and ``.md``.
SLUG_LENGTH = 80

#: Names Windows refuses whatever the extension; an export folder may be synced to Windows.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}

#: ASCII punctuation that is inline Markdown syntax anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!&#])")
_LEADING_BLOCK = re.compile(r"^(\s*)([-+=]|\d{1,9}(?=[.)]))")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")


class ExportError(BroadsheetError):
    """The notes could not be written (folder not writable, a path outside it)."""


@dataclass(frozen=True, slots=True)
class ExportVersion:
    title: str
    source: str
    published: datetime | None
    published_inferred: bool
    url: str | None


@dataclass(frozen=True, slots=True)
class ExportNote:
    """A note and everything its file shows about the story."""

    story_id: int
    headline: str
    body: str
    sources: tuple[str, ...]
    first_published: datetime | None
    last_published: datetime | None
    topics: tuple[str, ...]
    versions: tuple[ExportVersion, ...]
    created_at: datetime | None = None
    updated_at: datetime | None = None


# --------------------------------------------------------------------------- names


def slugify(title: str, fallback: str = "note", length: int = SLUG_LENGTH) -> str:
    """An ASCII, lowercase, hyphenated file stem for ``title``; ``fallback`` if nothing is left.

    Accents are folded (``Zürich`` → ``zurich``); anything that is not a letter or digit becomes
    a hyphen, so separators, dots and ``..`` can never survive. Long titles are cut at a word.
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > length:
        cut = slug[:length]
        hyphen = cut.rfind("-")
        slug = (cut[:hyphen] if hyphen > length // 2 else cut).strip("-")
    if not slug:
        slug = slugify(fallback, "note", length) if fallback != title else "note"
    if slug in _RESERVED:
        slug += "-note"
    return slug


def _inside(root: Path, candidate: Path) -> bool:
    resolved = candidate.resolve()
    return resolved.parent == root or root in resolved.parents


def _create_unique(root: Path, stem: str, taken: set[str], text: str) -> Path:
    """Create ``stem.md`` (or ``stem-N.md``) in ``root`` without ever replacing a file."""
    number = 1
    while True:
        name = f"{stem}.md" if number == 1 else f"{stem}-{number}.md"
        number += 1
        if name.lower() in taken:
            continue
        path = root / name
        if path.is_symlink() or path.exists():
            continue  # taken (a link too, even one pointing outside): never follow or replace
        if not _inside(root, path):
            raise ExportError(f"{path}: refusing to write outside {root}")
        try:
            # newline="\n": the same bytes on every platform, as Obsidian vaults expect.
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from exc
        taken.add(name.lower())
        return path


def _prepare_folder(directory: Path) -> Path:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{directory}: cannot create the folder ({exc.strerror})") from exc
    if not directory.is_dir():
        raise ExportError(f"{directory}: is not a folder")
    return directory.resolve()


# --------------------------------------------------------------------------- YAML and Markdown


def yaml_string(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (also a valid JSON string).

    Every C0/C1 control character, DEL, U+2028/U+2029 (line breaks to YAML 1.1) and the BOM is
    escaped as ``\\uXXXX``; ``"`` and ``\\`` are backslash-escaped; everything else is literal,
    so non-ASCII headlines stay readable in the file.
    """
    out = ['"']
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")  # a lone surrogate cannot be written as UTF-8
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _yaml_list(key: str, items: Sequence[str]) -> list[str]:
    if not items:
        return [f"{key}: []"]
    return [f"{key}:", *(f"  - {yaml_string(i)}" for i in items)]


def _yaml_date(value: datetime | None) -> str:
    # An unquoted ISO date is a YAML date and an Obsidian "Date" property; null when unknown.
    return value.date().isoformat() if value is not None else "null"


def _yaml_time(value: datetime | None) -> str:
    return yaml_string(value.isoformat(timespec="seconds")) if value is not None else "null"


def escape_inline(text: str) -> str:
    """Plain text made safe as inline Markdown: it shows as typed and can never become markup.

    Newlines become spaces (a title is one line); ASCII punctuation that is Markdown syntax is
    backslash-escaped, as is a line start that would open a list or a setext heading.
    """
    flat = " ".join(_CONTROL.sub(" ", text).split())
    flat = _INLINE_SPECIAL.sub(r"\\\1", flat)
    return _LEADING_BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2), flat, count=1)


def escape_block(text: str) -> str:
    """Multi-line plain text made safe as Markdown, keeping its lines and paragraphs.

    Each line is escaped as :func:`escape_inline` escapes a title, so HTML (``<script>``,
    ``<img src=…>``), Markdown images and links, emphasis and block syntax all show as typed;
    control characters (other than the line breaks) become spaces.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(escape_inline(line) for line in lines)


def link_target(url: str | None) -> str | None:
    """A URL usable as a Markdown link destination, or None if it is not http(s)."""
    if not url:
        return None
    url = url.strip()
    if not re.match(r"(?i)^https?://", url) or any(c in url for c in "\n\r<>"):
        return None
    return "<" + url + ">" if any(c in url for c in " ()") else url


def _version_line(version: ExportVersion) -> str:
    title = escape_inline(version.title) or "(untitled)"
    target = link_target(version.url)
    head = f"[{title}]({target})" if target else title
    parts = [escape_inline(version.source)]
    if version.published is not None:
        day = quote_date(version.published)
        parts.append(f"~{day} (date from the text)" if version.published_inferred else day)
    else:
        parts.append("undated")
    line = f"- {head} — {', '.join(parts)}"
    if version.url and target is None:
        line += f" — {escape_inline(version.url)}"
    return line


def _versions_section(note: ExportNote, level: str) -> list[str]:
    lines = [f"{level} Versions", ""]
    lines.extend(_version_line(v) for v in note.versions)
    if not note.versions:
        lines.append("- (no versions left)")
    return lines


def _body(note: ExportNote) -> str:
    return note.body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def demote_headings(markdown: str, levels: int) -> str:
    """``markdown`` with every ATX heading ``levels`` deeper (at most ``######``).

    Used for the single document, where each note sits under its story's ``##`` heading and
    a note's own ``#`` would otherwise break the outline. Fenced code is left untouched.
    """
    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
        elif opened:
            fence = opened.group(1)
        else:
            line = _ATX.sub(
                lambda m: m.group(1) + "#" * min(6, len(m.group(2)) + levels), line, count=1
            )
        out.append(line)
    return "\n".join(out)


def render_note(note: ExportNote) -> str:
    """One note's file: YAML front matter, the headline, the note, then its versions."""
    lines = [
        "---",
        f"title: {yaml_string(note.headline)}",
        f"story_id: {note.story_id}",
        *_yaml_list("sources", note.sources),
        f"first_published: {_yaml_date(note.first_published)}",
        f"last_published: {_yaml_date(note.last_published)}",
        *_yaml_list("topics", note.topics),
        f"created: {_yaml_time(note.created_at)}",
        f"updated: {_yaml_time(note.updated_at)}",
        "---",
        "",
        f"# {escape_inline(note.headline) or '(untitled)'}",
        "",
        _body(note),
        "",
        *_versions_section(note, "##"),
        "",
    ]
    return "\n".join(lines)


def _date_range(note: ExportNote) -> str:
    first, last = quote_date(note.first_published), quote_date(note.last_published)
    if not first:
        return "undated"
    return first if first == last or not last else f"{first} to {last}"


def render_single(notes: Sequence[ExportNote], exported_at: datetime | None = None) -> str:
    """Every note in one document: a short front matter, then one section per story.

    Story metadata that a per-note file keeps in front matter is shown as a short list under
    each story's heading, because a Markdown document has only one front matter block.
    """
    lines = ["---", f"title: {yaml_string('Broadsheet notes')}", f"notes: {len(notes)}"]
    if exported_at is not None:
        lines.append(f"exported: {_yaml_time(exported_at)}")
    lines += ["---", "", "# Broadsheet notes", ""]
    for note in notes:
        meta = [
            f"- Story: {note.story_id}",
            f"- Sources: {', '.join(escape_inline(s) for s in note.sources) or 'none'}",
            f"- Dates: {_date_range(note)}",
        ]
        if note.topics:
            meta.append(f"- Topics: {', '.join(escape_inline(t) for t in note.topics)}")
        lines += [
            f"## {escape_inline(note.headline) or '(untitled)'}",
            "",
            *meta,
            "",
            demote_headings(_body(note), 2),
            "",
            *_versions_section(note, "###"),
            "",
        ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- writing


def write_notes(
    notes: Iterable[ExportNote],
    directory: Path | str,
    single: Path | str | None = None,
    exported_at: datetime | None = None,
) -> list[Path]:
    """Write ``notes`` into ``directory``; return the files created, in order.

    With ``single``, everything goes into one document: a relative ``single`` is a name inside
    ``directory`` (and must stay inside it); an absolute one is used as the user gave it. Either
    way an existing file is never replaced: the ``-2``, ``-3`` rule applies. With no notes,
    nothing is written (the folder is still created).
    """
    root = _prepare_folder(Path(directory))
    notes = list(notes)
    if not notes:
        return []
    if single is not None:
        target = Path(single)
        if target.is_absolute():
            folder = _prepare_folder(target.parent)
        else:
            folder = (root / target).parent
            if not _inside(root, folder / "x"):
                raise ExportError(f"{single}: refusing to write outside {root}")
            folder = _prepare_folder(folder)
        stem = target.stem if target.suffix.lower() == ".md" else target.name
        stem = stem or "notes"
        text = render_single(notes, exported_at)
        return [_create_unique(folder, stem, set(), text)]
    taken: set[str] = set()
    written: list[Path] = []
    for note in notes:
        stem = slugify(note.headline, fallback=f"story-{note.story_id}")
        written.append(_create_unique(root, stem, taken, render_note(note)))
    return written
