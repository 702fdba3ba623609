"""The right pane: one article, its story's version switcher (with why its versions are
together: :mod:`reader.gui.why_together`), and the story's note.

Text comes from :func:`reader.render.body_to_html` (escaped, structured). The browser never
fetches anything: remote resources resolve to nothing and links open in the system browser
only when clicked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QFont,
    QFontMetricsF,
    QImage,
    QKeySequence,
    QPainter,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.gui import plain
from reader.gui.labels import date_label
from reader.gui.why_together import WhyPanel
from reader.render import ONLY_CLASS, body_to_html
from reader.types import Article, VersionRow

#: Readable measure: at most this many average characters per line.
MEASURE_CH = 70
MIN_POINT, MAX_POINT = 8, 28
SAFE_SCHEMES = {"http", "https", "mailto"}


_PLACEHOLDER: list[QImage] = []


#: Shown for an item that has no text: its source gave only the headline.
HEADLINE_ONLY = "Only the headline: its source gave no text for this item."


def not_cached_image() -> QImage:
    """A small grey "image not cached" box, drawn once and shared."""
    if not _PLACEHOLDER:
        image = QImage(220, 44, QImage.Format.Format_ARGB32)
        image.fill(QColor(128, 128, 128, 40))
        painter = QPainter(image)
        painter.setPen(QColor(128, 128, 128))
        painter.drawRect(0, 0, image.width() - 1, image.height() - 1)
        painter.drawText(image.rect(), int(Qt.AlignmentFlag.AlignCenter), "image not cached")
        painter.end()
        _PLACEHOLDER.append(image)
    return _PLACEHOLDER[0]


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing and hands clicked links to the system browser."""

    #: The left margin of the text column changed (the header follows it).
    margin_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._open_link)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDefaultStyleSheet(
            f".{ONLY_CLASS} {{ background-color: rgba(255, 196, 0, 90); }}"
            " h3 { margin-top: 14px; } p { margin-bottom: 10px; }"
        )

    #: Maps an image ``src`` to its file in the library's image cache (None: not cached).
    image_resolver: Callable[[str], Path | None] | None = None

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Never fetch. Images come from the local cache only (else a placeholder);
        stylesheets and everything else an article names resolve to nothing."""
        kind = getattr(type, "value", type)  # an int or the enum, depending on the caller
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return None
        src = name.toString() if isinstance(name, QUrl) else str(name)
        path = self.image_resolver(src) if self.image_resolver is not None else None
        if path is not None:
            image = QImage(str(path))
            if not image.isNull():
                return image
        return not_cached_image()

    def _open_link(self, url: QUrl) -> None:
        if url.scheme().lower() in SAFE_SCHEMES:
            QDesktopServices.openUrl(url)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_measure()

    def apply_measure(self) -> None:
        """Centre a column of about 70 characters (root-frame margins, not a fixed width);
        the header (title, source, versions) is placed on the same left edge."""
        metrics = QFontMetricsF(self.document().defaultFont())
        column = metrics.averageCharWidth() * MEASURE_CH
        side = max(12.0, (self.viewport().width() - column) / 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) > 0.5:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)
        self.margin_changed.emit(side)


class ReadingPane(QWidget):
    """Shows one article; asks the window (by signals) to switch versions or quote."""

    version_requested = Signal(int)  # article id
    highlight_toggled = Signal(bool)
    quote_requested = Signal()

    def __init__(self, note_editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        self.versions: list[VersionRow] = []
        self.note_editor = note_editor

        self.title = plain.label()  # imported titles: never rendered as markup
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = QLabel()
        self.meta.setTextFormat(Qt.TextFormat.RichText)  # for its link; each part is escaped
        self.meta.setForegroundRole(self.meta.foregroundRole().PlaceholderText)
        self.meta.setOpenExternalLinks(False)
        self.meta.linkActivated.connect(self._open_meta_link)
        self.chips = QHBoxLayout()
        self.chips.setSpacing(6)

        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip("Previous version ([)")
        self.prev_button.clicked.connect(self.previous_version)
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("Next version (])")
        self.next_button.clicked.connect(self.next_version)
        # Long source names must not widen the pane: the label ends in "…", the pane stays.
        self.version_label = plain.ElidedLabel()
        self.highlight_box = QCheckBox("Highlight what only this version says")
        self.highlight_box.setChecked(True)
        self.highlight_box.toggled.connect(self.highlight_toggled)
        self.why = WhyPanel()  # "Why these versions are together", filled by the window
        # Two rows, since the header is only as wide as the text column: the versions, then
        # what to show about them.
        switcher = QVBoxLayout()
        switcher.setSpacing(2)
        for row in ((self.prev_button, self.next_button, self.version_label),
                    (self.why.button, self.highlight_box)):
            line = QHBoxLayout()
            for widget in row:
                line.addWidget(widget, 1 if widget is self.version_label else 0)
            if widget is not self.version_label:
                line.addStretch(1)
            switcher.addLayout(line)
        self.switcher = QWidget()
        self.switcher.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.switcher.setLayout(switcher)
        switcher.setContentsMargins(0, 0, 0, 0)

        self.browser = SafeBrowser()
        self.browser.setContextMenuPolicy(self.browser.contextMenuPolicy().CustomContextMenu)
        self.browser.customContextMenuRequested.connect(self._context_menu)
        self.quote_action = QAction("Quote in note", self)
        self.quote_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.quote_action.triggered.connect(self.quote_requested)

        header = QWidget()
        header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        head = QVBoxLayout(header)
        head.setContentsMargins(12, 8, 12, 4)
        self.head = head
        self.browser.margin_changed.connect(self._align_header)
        head.addWidget(self.title)
        head.addWidget(self.meta)
        chips_row = QWidget()
        chips_row.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        chips_row.setLayout(self.chips)
        self.chips.setContentsMargins(0, 0, 0, 0)
        head.addWidget(chips_row)
        head.addWidget(self.switcher)
        head.addWidget(self.why)

        article_box = QWidget()
        article_layout = QVBoxLayout(article_box)
        article_layout.setContentsMargins(0, 0, 0, 0)
        article_layout.setSpacing(0)
        article_layout.addWidget(header)
        article_layout.addWidget(self.browser, 1)

        self.splitter = QSplitter()
        self.splitter.setOrientation(self.splitter.orientation().Vertical)
        self.splitter.addWidget(article_box)
        self.splitter.addWidget(note_editor)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.clear()

    def _align_header(self, side: float) -> None:
        """Put the title on the text column's left edge, no wider than the column."""
        left = int(side + self.browser.frameWidth() + self.browser.document().documentMargin())
        self.head.setContentsMargins(left, 8, left, 4)

    # ----------------------------------------------------------------- content

    def clear(self, message: str = "Select a story to read it.") -> None:
        self.article = None
        self.versions = []
        self.title.setText("")
        self.meta.setText("")
        self._set_chips(())
        self.switcher.hide()
        self.why.hide()
        self.browser.setHtml(f"<p>{_escape(message)}</p>")
        self.browser.apply_measure()

    def show_article(
        self,
        article: Article,
        versions: Sequence[VersionRow],
        unique: Sequence[tuple[int, int]] = (),
        html: str | None = None,
    ) -> None:
        """Show ``article``. ``html`` is the core's sanitised HTML (feeds, saved pages);
        without it the plain-text body is laid out by :func:`body_to_html`."""
        self.article = article
        self.versions = list(versions)
        self.title.setText(article.title)
        bits = [article.source]
        when = date_label(article.published, article.published_inferred)
        if when:
            bits.append(when)
        if article.author:
            bits.append(f"by {article.author}")
        meta = " · ".join(_escape(b) for b in bits)
        if article.url:
            meta += f' · <a href="{_escape(article.url)}">Open original</a>'
        self.meta.setText(meta)
        if article.published_inferred:
            self.meta.setToolTip("The date is approximate: it was inferred from the text.")
        else:
            self.meta.setToolTip("")
        self._set_chips(article.topics)
        self._update_switcher()
        if not article.body.strip() and not (html or "").strip():
            # A title-only feed or a short post: say so, rather than show a blank page that
            # looks like a failed load.
            self.browser.setHtml(f"<p><i>{_escape(HEADLINE_ONLY)}</i></p>")
        elif html is not None:
            self.browser.setHtml(html)
        else:
            spans = unique if self.highlight_box.isChecked() else ()
            self.browser.setHtml(body_to_html(article.body, spans))
        self.browser.apply_measure()
        self.browser.verticalScrollBar().setValue(0)

    def _set_chips(self, topics: Sequence[str]) -> None:
        while self.chips.count():
            item = self.chips.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for name in topics:
            chip = plain.label(name)
            chip.setObjectName("chip")
            chip.setStyleSheet(
                "QLabel#chip { border: 1px solid palette(mid); border-radius: 9px;"
                " padding: 1px 8px; background: palette(alternate-base); }"
            )
            chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.chips.addWidget(chip)
        self.chips.addStretch(1)

    def version_index(self) -> int:
        if self.article is None:
            return -1
        for index, version in enumerate(self.versions):
            if version.article_id == self.article.id:
                return index
        return -1

    def _update_switcher(self) -> None:
        index = self.version_index()
        if len(self.versions) <= 1 or index < 0:
            self.switcher.hide()
            self.why.hide()
            return
        current = self.versions[index]
        self.version_label.setText(
            f"Version {index + 1} of {len(self.versions)} · {current.source}"
        )
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.versions) - 1)
        self.switcher.show()
        self.why.setVisible(self.why.button.isChecked())

    def previous_version(self) -> None:
        index = self.version_index()
        if index > 0:
            self.version_requested.emit(self.versions[index - 1].article_id)

    def next_version(self) -> None:
        index = self.version_index()
        if 0 <= index < len(self.versions) - 1:
            self.version_requested.emit(self.versions[index + 1].article_id)

    # ----------------------------------------------------------------- text size & scrolling

    def zoom(self, steps: int) -> int:
        font = self.browser.document().defaultFont()
        size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        size = max(MIN_POINT, min(MAX_POINT, size + steps))
        self.set_point_size(size)
        return int(size)

    def reader_font(self) -> QFont:
        return self.browser.document().defaultFont()

    def set_reader_font(self, family: str, size: float) -> None:
        """The reader's font (Preferences): empty family and 0 keep the current ones."""
        font = QFont(self.browser.document().defaultFont())
        if family:
            font.setFamily(family)
        if size > 0:
            font.setPointSizeF(max(MIN_POINT, min(MAX_POINT, size)))
        self.browser.document().setDefaultFont(font)
        self.browser.apply_measure()

    def set_point_size(self, size: float) -> None:
        font = self.browser.document().defaultFont()
        font.setPointSizeF(max(MIN_POINT, min(MAX_POINT, size)))
        self.browser.document().setDefaultFont(font)
        self.browser.apply_measure()

    def point_size(self) -> float:
        return self.browser.document().defaultFont().pointSizeF()

    def page_down(self) -> bool:
        """Scroll one page; False when already at the end (the caller moves on)."""
        bar = self.browser.verticalScrollBar()
        if bar.value() >= bar.maximum():
            return False
        bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
        return True

    def selected_text(self) -> str:
        return self.browser.textCursor().selectedText().replace("\u2029", "\n")

    def _context_menu(self, pos: Any) -> None:
        menu: QMenu = self.browser.createStandardContextMenu()
        menu.addSeparator()
        menu.addAction(self.quote_action)
        self.quote_action.setEnabled(bool(self.selected_text()) and self.article is not None)
        menu.exec(self.browser.mapToGlobal(pos))

    def _open_meta_link(self, link: str) -> None:
        url = QUrl(link)
        if url.scheme().lower() in SAFE_SCHEMES:
            QDesktopServices.openUrl(url)


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)
