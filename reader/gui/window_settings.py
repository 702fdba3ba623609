"""What the window keeps between sessions (QSettings): geometry, pane widths, the selected
view, sort and read filter, the reader's size and highlight, and the Preferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

from reader.gui.sidebar import FilterKey
from reader.types import ReadFilter

if TYPE_CHECKING:
    from reader.gui.main_window import MainWindow

#: Smallest width of each pane, in average characters: the splitter never lets content
#: (a long version bar, a row of topic chips) push a pane wider than the user left it.
MIN_CHARS = (12, 30, 22)


def restore(w: MainWindow) -> None:
    """Window geometry, panes, filter, sort and Preferences from QSettings."""
    s = w.settings
    geometry = s.value("window/geometry")
    if not (isinstance(geometry, QByteArray) and w.restoreGeometry(geometry)):
        free = w.screen().availableGeometry()
        w.resize(*first_size((free.width(), free.height())))
    _apply_pane_minimums(w)
    state = s.value("window/splitter")
    # First run: the panes are sized when the window is first shown, at its real size.
    w._default_panes = not (isinstance(state, QByteArray)
                               and w.splitter.restoreState(state))
    reading_state = s.value("window/reading_splitter")
    if isinstance(reading_state, QByteArray):
        w.reading.splitter.restoreState(reading_state)
    state = s.value("window/state")
    if isinstance(state, QByteArray):
        w.restoreState(state)
    w.act_schedule.blockSignals(True)
    w.act_schedule.setChecked(str(s.value("feeds/scheduled", "false")).lower() == "true")
    w.act_schedule.blockSignals(False)
    w.feeds.apply_schedule()
    w.stories.blockSignals(True)
    w.stories.set_sort(str(s.value("filter/sort", w.prefs.default_sort)))
    w.stories.set_read(str(s.value("filter/read", ReadFilter.ALL.value)))
    w.stories.blockSignals(False)
    w.navigator.filter = FilterKey.decode(str(s.value("filter/key", "all:0")))
    w.navigator.select_filter(w.navigator.filter)
    w.reading.highlight_box.setChecked(
        str(s.value("reading/highlight", "true")).lower() == "true")
    w.apply_prefs(w.prefs, initial=True)

#: First-run window size, when the screen has room for it.
FIRST_SIZE = (1400, 860)


def first_size(available: tuple[int, int]) -> tuple[int, int]:
    """The first-run window size: :data:`FIRST_SIZE`, or 90% of a smaller screen's free area
    (a 1366x768 laptop at 150% scale has 910x512 logical pixels: a fixed 1400x860 put the
    reader off the screen)."""
    width, height = available
    return (min(FIRST_SIZE[0], width * 9 // 10), min(FIRST_SIZE[1], height * 9 // 10))


def _apply_pane_minimums(w: MainWindow) -> None:
    char = max(6, w.fontMetrics().averageCharWidth())
    for pane, chars in zip((w.library_view, w.stories, w.reading), MIN_CHARS,
                           strict=True):
        pane.setMinimumWidth(chars * char)

def save(w: MainWindow) -> None:
    s = w.settings
    s.setValue("window/geometry", w.saveGeometry())
    s.setValue("window/state", w.saveState())
    s.setValue("window/splitter", w.splitter.saveState())
    s.setValue("window/reading_splitter", w.reading.splitter.saveState())
    s.setValue("filter/key", w.navigator.filter.encode())
    s.setValue("filter/sort", w.stories.sort_value().value)
    s.setValue("filter/read", w.stories.read_value().value)
    s.setValue("reading/point_size", w.reading.point_size())
    s.setValue("reading/highlight", "true" if w.reading.highlight_box.isChecked()
               else "false")
    s.sync()


def default_sizes(width: int, char: int = 7) -> list[int]:
    """First-run pane widths. The list gets room for two lines of at least 36 average
    characters (a 60-character headline reads whole in its two lines), the sidebar 16% of
    the window (at most 260 px), the reader the rest."""
    side = max(MIN_CHARS[0] * char, min(260, width * 16 // 100))
    rest = width - side
    wanted = 44 * char + 80  # bold is wider; padding, unread dot, arrow, scroll bar
    stories = max(rest * 47 // 100, min(wanted, rest - MIN_CHARS[2] * char))
    return [side, stories, rest - stories]
