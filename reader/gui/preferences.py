"""Preferences: theme, the reader's font and size, when an opened story counts as read, and
the sort a new session starts with. Stored in QSettings and applied as soon as they change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reader.gui.stories_pane import SORTS
from reader.gui.theme import THEMES

#: Default delay before an opened article counts as read (ms).
MARK_READ_DELAY_MS = 1500
MIN_POINT, MAX_POINT = 8, 28


@dataclass(frozen=True, slots=True)
class Prefs:
    theme: str = "system"
    font_family: str = ""  # "" = the application's font
    point_size: float = 0.0  # 0 = the application's size
    mark_read: bool = True
    mark_read_ms: int = MARK_READ_DELAY_MS
    default_sort: str = "date"


def _number(value: object, default: float) -> float:
    if isinstance(value, (int, float, str)):
        try:
            return float(value)
        except ValueError:
            return default
    return default


def load(settings: QSettings) -> Prefs:
    s = settings
    theme = str(s.value("appearance/theme", "system"))
    sort = str(s.value("stories/default_sort", "date"))
    return Prefs(
        theme=theme if theme in dict(THEMES) else "system",
        font_family=str(s.value("reading/font_family", "")),
        point_size=_number(s.value("reading/point_size"), 0.0),
        mark_read=str(s.value("reading/mark_read", "true")).lower() == "true",
        mark_read_ms=max(0, int(_number(s.value("reading/mark_read_ms"), MARK_READ_DELAY_MS))),
        default_sort=sort if sort in {k.value for k, _ in SORTS} else "date",
    )


def save(settings: QSettings, prefs: Prefs) -> None:
    s = settings
    s.setValue("appearance/theme", prefs.theme)
    s.setValue("reading/font_family", prefs.font_family)
    s.setValue("reading/point_size", prefs.point_size)
    s.setValue("reading/mark_read", "true" if prefs.mark_read else "false")
    s.setValue("reading/mark_read_ms", prefs.mark_read_ms)
    s.setValue("stories/default_sort", prefs.default_sort)


class PreferencesDialog(QDialog):
    """Every control applies at once (``changed``); Close keeps what is shown."""

    changed = Signal(object)  # Prefs

    def __init__(self, prefs: Prefs, reader_font: QFont, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.prefs = prefs
        self.theme = QComboBox()
        for value, label in THEMES:
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(prefs.theme)))
        self.font_box = QFontComboBox()
        self.font_box.setCurrentFont(QFont(prefs.font_family) if prefs.font_family
                                     else reader_font)
        self.point = QSpinBox()
        self.point.setRange(MIN_POINT, MAX_POINT)
        self.point.setSuffix(" pt")
        self.point.setValue(round(prefs.point_size or reader_font.pointSizeF() or 11))
        self.mark = QCheckBox("Mark a story read after showing it for")
        self.mark.setChecked(prefs.mark_read)
        self.delay = QDoubleSpinBox()
        self.delay.setRange(0.0, 60.0)
        self.delay.setDecimals(1)
        self.delay.setSingleStep(0.5)
        self.delay.setSuffix(" s")
        self.delay.setValue(prefs.mark_read_ms / 1000)
        self.delay.setEnabled(prefs.mark_read)
        self.sort = QComboBox()
        for sort, label in SORTS:
            self.sort.addItem(label, sort.value)
        self.sort.setCurrentIndex(max(0, self.sort.findData(prefs.default_sort)))
        form = QFormLayout()
        form.addRow("Theme", self.theme)
        form.addRow("Reader font", self.font_box)
        form.addRow("Reader size", self.point)
        form.addRow(self.mark, self.delay)
        form.addRow("Sort new sessions by", self.sort)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        for signal in (self.theme.currentIndexChanged, self.font_box.currentFontChanged,
                       self.point.valueChanged, self.mark.toggled, self.delay.valueChanged,
                       self.sort.currentIndexChanged):
            signal.connect(self._changed)
        self.adjustSize()

    def _changed(self, *_: object) -> None:
        self.delay.setEnabled(self.mark.isChecked())
        self.prefs = replace(
            self.prefs, theme=str(self.theme.currentData()),
            font_family=self.font_box.currentFont().family(),
            point_size=float(self.point.value()), mark_read=self.mark.isChecked(),
            mark_read_ms=int(self.delay.value() * 1000),
            default_sort=str(self.sort.currentData()),
        )
        self.changed.emit(self.prefs)
