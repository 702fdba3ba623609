""""Why these versions are together": the grouping's explanation of a story, in the reader.

The core explains each version against the story's headline version
(:attr:`reader.types.StoryDetail.reasons`: similarity, the heaviest shared names and terms,
and the conflicts subtracted). Here that becomes a short collapsible section under the
version bar, opened with its button or W. Working it out reads every version's vector, so it
runs on the worker (:class:`reader.gui.worker.Jobs`) and only while the section is open; the
answer is kept per story and set of versions, so moving between versions costs nothing.

Names and terms come from imported text, so the section is a ``QPlainTextEdit``: text goes
in through ``insertText`` with character formats, never parsed as markup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QToolButton, QWidget

from reader.library import Library
from reader.progress import CancelCheck, Progress
from reader.types import GroupReason, StoryDetail, VersionRow

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow

#: How many shared names and other terms each version lists (the core gives up to 8 each).
MAX_NAMES, MAX_TERMS = 4, 6

#: The section shows at most this many lines before it scrolls (the article keeps the rest).
MAX_LINES = 12

BUTTON_TEXT = "Why together?"
WORKING = "Working out why these versions are together…"

#: A line of the explanation and how it is drawn: "intro", "version", "current" (the version
#: being read), "detail" or "conflict".
Line = tuple[str, str]

_WORD = re.compile(r"\w+")


def _terms_beyond_names(terms: Sequence[str], names: Sequence[str]) -> list[str]:
    """The terms that say something the names do not: "norvik" and "bay" repeat "Norvik Bay"
    (terms are stems, so "ukrain" repeats "Ukraine" too)."""
    words = {w.lower() for name in names for w in _WORD.findall(name)}
    return [t for t in terms
            if not any(w == t.lower() or w.startswith(t.lower()) for w in words)]


def _verdict(reason: GroupReason) -> str:
    """The similarity and, unless it is the ordinary "similar", what put the pair together."""
    text = f"similarity {reason.similarity:.2f}"
    if reason.conflicts:
        text += f" ({reason.cosine:.2f} shared, less what they disagree on)"
    if reason.rule and reason.rule != "similar":
        text += f"; {reason.rule}"
    return text


def _details(reason: GroupReason) -> list[Line]:
    names = list(reason.names[:MAX_NAMES])
    terms = _terms_beyond_names(reason.terms, names)[:MAX_TERMS]
    lines: list[Line] = []
    if names:
        lines.append(("detail", "Shared names: " + ", ".join(names)))
    if terms:
        lines.append(("detail", "Shared terms: " + ", ".join(terms)))
    lines += [("conflict", "Differs: " + conflict) for conflict in reason.conflicts]
    if not lines:
        lines.append(("detail", "Nothing weighty in common beyond common words."))
    return lines


def explanation_lines(
    detail: StoryDetail, versions: Sequence[VersionRow], current: int | None
) -> list[Line]:
    """The section's text for ``detail``, numbered like the version bar (``versions``, oldest
    first); ``current`` is the article being read, and its lines come first."""
    number = {v.article_id: i + 1 for i, v in enumerate(versions)}
    source = {v.article_id: v.source for v in versions}
    head = detail.story.headline_article_id
    by_other = {r.article_b: r for r in detail.reasons if r.article_a == head}
    if head not in number:
        return [("intro", "These versions have no headline version to compare with.")]
    lines: list[Line] = [(
        "intro",
        f"Each version compared with version {number[head]} ({source[head]}), "
        "the one the story's headline comes from.",
    )]
    blocks: list[list[Line]] = []
    missing = 0
    for version in versions:
        aid = version.article_id
        style = "current" if aid == current else "version"
        label = f"Version {number[aid]} · {version.source}"
        if aid == head:
            blocks.append([(style, f"{label}: the headline version")])
            continue
        reason = by_other.get(aid)
        if reason is None:
            missing += 1
            continue
        blocks.append([(style, f"{label}: {_verdict(reason)}"), *_details(reason)])
    # The version being read comes first, so it is in view without scrolling.
    blocks.sort(key=lambda block: block[0][0] != "current")
    lines += [line for block in blocks for line in block]
    if missing:
        lines.append(("intro", f"{missing} more version(s) have no explanation: a story "
                               "explains at most 50, each only with its grouping facts stored."))
    return lines


class WhyPanel(QPlainTextEdit):
    """The section itself (read-only plain text); :attr:`button` opens and closes it and
    sits on the version bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setObjectName("why-together")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Why these versions are together")
        self.button = QToolButton()
        self.button.setText(BUTTON_TEXT)
        self.button.setCheckable(True)
        self.button.setAutoRaise(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setToolTip("Why these versions are together (W)")
        self.button.toggled.connect(self._toggled)
        self.lines: list[Line] = []
        self.hide()

    def _toggled(self, on: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.setVisible(on)

    def show_lines(self, lines: Sequence[Line]) -> None:
        """Replace the text: each line in its style, inserted as text (never markup)."""
        self.lines = list(lines)
        self.clear()
        cursor = QTextCursor(self.document())
        formats = self._formats()
        for index, (style, text) in enumerate(self.lines):
            if index:
                cursor.insertBlock()
            cursor.insertText(text, formats.get(style, formats["detail"]))
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self._fit()

    def show_message(self, text: str) -> None:
        self.show_lines([("intro", text)])

    def text(self) -> str:
        return self.toPlainText()

    def _formats(self) -> dict[str, QTextCharFormat]:
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        intro = QTextCharFormat()
        intro.setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
        version = QTextCharFormat()
        version.setFontWeight(QFont.Weight.DemiBold)
        current = QTextCharFormat(version)
        current.setForeground(palette.color(QPalette.ColorRole.Link))
        conflict = QTextCharFormat()
        conflict.setForeground(QColor(255, 170, 90) if dark else QColor(168, 64, 0))
        return {"intro": intro, "version": version, "current": current,
                "detail": QTextCharFormat(), "conflict": conflict}

    def _fit(self) -> None:
        """As tall as the text (wrapped at the current width), up to :data:`MAX_LINES`."""
        document = self.document()
        lines = int(document.documentLayout().documentSize().height())  # in lines, here
        first = document.firstBlock()
        line_height = (self.blockBoundingRect(first).height() / max(1, first.lineCount())
                       if first.isValid() else float(self.fontMetrics().height()))
        shown = max(1, min(MAX_LINES, lines))
        # The bottom margin only when it all fits: a scrolled view ends on a whole line.
        margins = document.documentMargin() * (2 if lines <= MAX_LINES else 1)
        self.setFixedHeight(round(shown * line_height + margins + 2 * self.frameWidth()))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()


@dataclass(frozen=True)
class _Key:
    """One explanation: a story as it is made up now (a split or a merge changes it)."""

    story_id: int
    members: tuple[int, ...]


class Explanations(QObject):
    """Fills the reading pane's :class:`WhyPanel` for the story being read, from the worker."""

    #: The section shows the explanation of this story, or why there is none (tests and
    #: screenshots wait on it).
    explained = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel: WhyPanel = window.reading.why
        self.cache: dict[_Key, StoryDetail] = {}
        #: The one explanation job queued or running: moving through stories quickly with the
        #: section open queues no backlog in front of the user's writes, only the latest.
        self.pending: _Key | None = None
        self.panel.button.toggled.connect(self._toggled)
        window.article_shown.connect(self._article_shown)

    def forget(self) -> None:
        """The library changed: explanations are worked out again when next shown."""
        self.cache.clear()

    def toggle(self) -> None:
        if self.panel.button.isVisible():
            self.panel.button.toggle()

    def _key(self) -> _Key | None:
        reading = self.window.reading
        if reading.article is None or len(reading.versions) < 2:
            return None
        return _Key(reading.article.story_id, tuple(v.article_id for v in reading.versions))

    def _toggled(self, on: bool) -> None:
        if on:
            self._refresh()

    def _article_shown(self, _article_id: int) -> None:
        if self.panel.button.isChecked():
            self._refresh()

    def _refresh(self) -> None:
        key = self._key()
        if key is None:
            return
        if key in self.cache:
            self._show(key)
            return
        self.panel.show_message(WORKING)
        if self.pending is not None:
            return  # asked again when that job ends, for the story shown then
        self.pending = key
        story_id = key.story_id

        def job(lib: Library, _p: Progress, _c: CancelCheck) -> StoryDetail:
            return lib.story(story_id)

        self.window.jobs.submit(job, functools.partial(self._loaded, key),
                                functools.partial(self._failed, key),
                                label="Explaining the story")

    def _loaded(self, key: _Key, detail: Any) -> None:
        self.pending = None
        if isinstance(detail, StoryDetail):
            self.cache[key] = detail
        self._next()

    def _failed(self, key: _Key, message: str) -> None:
        self.pending = None
        if key == self._key():
            self.panel.show_message(f"Could not explain this story: {message}")
            self.explained.emit(key.story_id)
        else:
            self._next()

    def _next(self) -> None:
        """Show the story being read now, which may not be the one just worked out."""
        if self.panel.button.isChecked() and self.panel.isVisible():
            self._refresh()

    def _show(self, key: _Key) -> None:
        reading = self.window.reading
        current = reading.article.id if reading.article is not None else None
        self.panel.show_lines(explanation_lines(self.cache[key], reading.versions, current))
        self.explained.emit(key.story_id)
