"""Small dialogs and views: welcome page, import summary, topics editor, shortcuts help."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.gui import plain
from reader.types import ImportReport, Topic

#: Failures listed by name in the summary; the rest are counted.
MAX_LISTED_FAILURES = 15


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def import_summary(report: ImportReport) -> str:
    """The text of the after-import summary: added, already present, failed (with reasons)."""
    lines = []
    if report.cancelled:
        lines.append("The import was cancelled. Files finished before that were kept.")
    lines.append(f"Added: {_plural(report.added, 'article')}")
    lines.append(f"Already present: {_plural(report.already_present, 'article')}")
    failed = report.failed
    if failed:
        lines.append(f"Failed: {_plural(len(failed), 'file')}")
    for outcome in failed[:MAX_LISTED_FAILURES]:
        lines.append(f"  • {Path(outcome.path).name}: {outcome.error}")
    if len(failed) > MAX_LISTED_FAILURES:
        lines.append(f"  … and {len(failed) - MAX_LISTED_FAILURES} more")
    warnings = [(o.path, w) for o in report.files for w in o.warnings]
    for path, warning in warnings[:5]:
        lines.append(f"  note: {Path(path).name}: {warning}")
    return "\n".join(lines)


class WelcomeView(QWidget):
    """Shown while the library is empty."""

    import_requested = Signal()
    sample_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Welcome to Broadsheet")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(
            "Broadsheet reads news dumps offline and groups rewrites of one event into a "
            "story. Your library is empty: import your own files, or try it on a small "
            "fictional sample (it is imported into this library; the articles are marked by "
            "their sample source names)."
        )
        text.setWordWrap(True)
        # A wrapped label placed with an alignment is sized from its one-line hint, which
        # cut the paragraph to two lines: give it a fixed width and the height that width
        # needs (recomputed when the font changes, see changeEvent).
        text.setFixedWidth(560)
        self.text = text
        self._fit_text()
        self.import_button = QPushButton("Import files…")
        self.sample_button = QPushButton("Open the sample library")
        self.import_button.clicked.connect(self.import_requested)
        self.sample_button.clicked.connect(self.sample_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        hint = QLabel("You can also drag files onto this window.")
        hint.setForegroundRole(hint.foregroundRole().PlaceholderText)
        layout.addWidget(hint, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def _fit_text(self) -> None:
        self.text.setMinimumHeight(self.text.heightForWidth(self.text.width()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_text()
        super().changeEvent(event)


#: (name, rule, topic id or None) -> submits the change; the result comes back via
#: :meth:`TopicsDialog.show_error` / :meth:`TopicsDialog.set_topics`.
SaveTopic = Callable[[str, str, "int | None"], None]
DeleteTopic = Callable[[int], None]


class TopicsDialog(QDialog):
    """Add, edit, rename and delete topics. Writes go through the window's worker."""

    def __init__(
        self, topics: list[Topic], save: SaveTopic, delete: DeleteTopic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Topics")
        self._save = save
        self._delete = delete
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Topic", "Rule"])
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setUniformRowHeights(False)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.name = QLineEdit()
        self.rule = QLineEdit()
        self.rule.setPlaceholderText('e.g.  oil OR gas OR "power grid" NOT football')
        self.error = plain.label()  # a rule's error quotes the rule
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d0342c;")
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Rule", self.rule)
        help_text = QLabel(
            "Rules: words and \"phrases\", AND / OR / NOT, parentheses, "
            "title:word, source:name."
        )
        help_text.setWordWrap(True)
        self.new_button = QPushButton("New")
        self.save_button = QPushButton("Save")
        self.delete_button = QPushButton("Delete")
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.list.currentItemChanged.connect(self._selected)
        self.new_button.clicked.connect(self._new)
        self.save_button.clicked.connect(self._save_clicked)
        self.delete_button.clicked.connect(self._delete_clicked)
        self.set_topics(topics)
        self._fit()

    def _fit(self) -> None:
        """Wide enough for the longest rule (within the screen), tall enough for the list."""
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(f"{t.name}    {t.rule}")
                       for t in self._topics), default=400)
        screen = self.screen().availableGeometry() if self.screen() else None
        width = min(longest + 120, int(screen.width() * 0.8) if screen else 1200)
        rows = min(len(self._topics), 16)
        height = metrics.lineSpacing() * (rows + 2) * 3 // 2 + 240
        self.resize(max(520, width), min(max(420, height),
                                         int(screen.height() * 0.85) if screen else 900))

    def set_topics(self, topics: list[Topic]) -> None:
        current = self._current_id() if hasattr(self, "_topics") else None
        self._topics = list(topics)
        self.list.clear()
        for topic in topics:
            item = QTreeWidgetItem([topic.name, topic.rule])
            item.setData(0, Qt.ItemDataRole.UserRole, topic)
            item.setToolTip(1, plain.tooltip(topic.rule))
            self.list.addTopLevelItem(item)
            if topic.id == current:
                self.list.setCurrentItem(item)

    def _current_topic(self) -> Topic | None:
        item = self.list.currentItem()
        topic = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return topic if isinstance(topic, Topic) else None

    def _current_id(self) -> int | None:
        topic = self._current_topic()
        return topic.id if topic else None

    def _selected(self, *_: object) -> None:
        topic = self._current_topic()
        self.error.clear()
        if topic is not None:
            self.name.setText(topic.name)
            self.rule.setText(topic.rule)

    def _new(self) -> None:
        self.list.clearSelection()
        self.list.setCurrentIndex(self.list.rootIndex())
        self.name.clear()
        self.rule.clear()
        self.name.setFocus()

    def _save_clicked(self) -> None:
        name, rule = self.name.text().strip(), self.rule.text().strip()
        if not name or not rule:
            self.show_error("A topic needs a name and a rule.")
            return
        self.error.clear()
        self._save(name, rule, self._current_id())

    def _delete_clicked(self) -> None:
        topic_id = self._current_id()
        if topic_id is not None:
            self._delete(topic_id)

    def show_error(self, message: str) -> None:
        self.error.setText(message)


def shortcuts_text(rows: list[tuple[str, str]]) -> str:
    """An HTML table of (keys, what) for Help → Keyboard Shortcuts."""
    import html

    body = "".join(
        f"<tr><td style='padding-right:18px'><b>{html.escape(keys)}</b></td>"
        f"<td>{html.escape(what)}</td></tr>"
        for keys, what in rows
    )
    return f"<table>{body}</table>"
