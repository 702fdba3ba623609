"""How a row of the stories list is drawn: the headline wins.

Each story takes three lines: its headline wrapped to two lines (bold while unread, elided
only at the end of the second), then a quiet line with source · date · version count and the
star and note marks. While searching, a fourth line shows the matching snippet with the
matched words marked. Every row has the same height, so the view keeps uniform row heights
(it never measures 100,000 rows) and a headline of 60 characters or more reads whole at the
narrowest list the window allows (tests/gui/test_story_list.py measures it).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.gui.labels import badge, date_label, sources_label
from reader.gui.models import HIT_ROLE, SNIPPET_ROLE, STORY_ROLE
from reader.gui.snippets import line_runs
from reader.types import StoryRow, VersionRow

#: Lines the headline may take before it is elided.
HEADLINE_LINES = 2
#: Padding around a row's text (px at 1×).
PAD_X, PAD_Y = 10, 5
#: Room on the left for the unread dot.
DOT_W = 14
MATCH_COLOUR = QColor(255, 196, 0, 110)
UNREAD_COLOUR = QColor(47, 111, 208)


def wrap(text: str, font: QFont, width: int, lines: int = HEADLINE_LINES) -> list[str]:
    """``text`` broken into at most ``lines`` lines of ``width`` px; the last one elided."""
    if width <= 0 or not text:
        return [text] if text else []
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    out: list[str] = []
    layout.beginLayout()
    while len(out) < lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        start, length = line.textStart(), line.textLength()
        if len(out) == lines - 1 and start + length < len(text):
            rest = text[start:]
            out.append(QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width))
            break
        out.append(text[start : start + length].rstrip())
    layout.endLayout()
    return out


def shown_characters(lines: list[str]) -> int:
    """Characters of the headline a reader sees: its lines and the spaces where they break
    (an ellipsis is not one of them)."""
    return sum(len(line.rstrip("…")) for line in lines) + max(0, len(lines) - 1)


class StoryDelegate(QStyledItemDelegate):
    """Paints story and version rows (column 0; the other columns stay for accessibility)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.searching = False

    # ----------------------------------------------------------------- geometry

    def line_count(self) -> int:
        return HEADLINE_LINES + 1 + (1 if self.searching else 0)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt: Any = option
        metrics = QFontMetrics(opt.font)
        return QSize(200, metrics.lineSpacing() * self.line_count() + 2 * PAD_Y)

    @staticmethod
    def text_width(row_width: int) -> int:
        return row_width - 2 * PAD_X - DOT_W

    def headline_lines(self, index: QModelIndex | QPersistentModelIndex, font: QFont,
                       row_width: int) -> list[str]:
        """What the row shows of its headline at ``row_width`` (tests measure this)."""
        item = index.data(STORY_ROLE)
        title = item.headline if isinstance(item, StoryRow) else (
            item.title if isinstance(item, VersionRow) else "")
        return wrap(title, self._title_font(font, item), self.text_width(row_width))

    @staticmethod
    def _title_font(base: QFont, item: object) -> QFont:
        font = QFont(base)
        unread = (isinstance(item, StoryRow) and item.unread > 0) or (
            isinstance(item, VersionRow) and not item.read)
        font.setBold(unread)
        return font

    # ----------------------------------------------------------------- painting

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        item = index.data(STORY_ROLE)
        if index.column() != 0 or not isinstance(item, (StoryRow, VersionRow)):
            super().paint(painter, option, index)
            return
        opt: Any = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        quiet = QColor(text_colour)
        quiet.setAlphaF(0.72 if selected else 0.62)
        rect = QRect(opt.rect)
        base = QFont(opt.font)
        base.setBold(False)  # the model's bold is for unread headlines only
        metrics = QFontMetrics(base)
        line_h = metrics.lineSpacing()
        x = rect.left() + PAD_X + DOT_W
        y = rect.top() + PAD_Y
        width = self.text_width(rect.width())
        painter.save()
        title_font = self._title_font(base, item)
        if title_font.bold():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(text_colour if selected else UNREAD_COLOUR)
            r = max(3.0, line_h / 6)
            painter.drawEllipse(QPointF(rect.left() + PAD_X + r, y + line_h / 2), r, r)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title = item.headline if isinstance(item, StoryRow) else item.title
        lines = wrap(title, title_font, width)
        for n, line in enumerate(lines):
            painter.drawText(QRectF(x, y + n * line_h, width, line_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             line)
        y += max(1, len(lines)) * line_h  # the quiet line follows the headline
        snippet = index.data(SNIPPET_ROLE)
        if self.searching and isinstance(item, StoryRow):
            self._snippet(painter, base, QRect(x, y, width, line_h), title, str(snippet or ""),
                          index.data(HIT_ROLE), selected, (text_colour, quiet))
            y += line_h
        painter.setFont(base)
        painter.setPen(quiet)
        meta = metrics.elidedText(meta_line(item), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(x, y, width, line_h),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), meta)
        painter.restore()

    @staticmethod
    def _snippet(painter: QPainter, base: QFont, box: QRect, headline: str, snippet: str,
                 hit_in: object, selected: bool, colours: tuple[QColor, QColor]) -> None:
        """The search snippet, matched words bold and marked (one line, elided)."""
        x, right = box.left(), box.right()
        runs = line_runs(headline, snippet, False, hit_in if isinstance(hit_in, str) else None)
        for run in runs[1:]:  # the headline is drawn above
            font = QFont(base)
            font.setBold(run.bold)
            font.setItalic(run.italic)
            painter.setFont(font)
            metrics = QFontMetrics(font)
            piece = run.text
            width = metrics.horizontalAdvance(piece)
            if x + width > right:
                piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, right - x)
                width = right - x
            cell = QRect(x, box.top(), width, box.height())
            if run.match and not selected:
                painter.fillRect(cell.adjusted(0, 2, 0, -2), MATCH_COLOUR)
            painter.setPen(colours[0] if run.match else colours[1])
            painter.drawText(cell, int(Qt.AlignmentFlag.AlignVCenter), piece)
            x += width
            if x >= right:
                break


def meta_line(item: StoryRow | VersionRow) -> str:
    """``★ ✎ · 14 Mar 2025 · 5 versions · 2 sources · Meridian Press +1``: the short facts
    first, so a narrow list cuts the source names, not the date."""
    if isinstance(item, VersionRow):
        parts = [item.source, date_label(item.published, item.published_inferred)]
        parts.append("★" if item.starred else "")
        return " · ".join(p for p in parts if p)
    marks = " ".join(m for m, on in (("★", item.starred), ("✎", item.has_note)) if on)
    parts = [marks, date_label(item.last_published) or "undated", badge(item),
             sources_label(item)]
    return " · ".join(p for p in parts if p)
