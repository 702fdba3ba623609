"""Light, dark, or whatever the desktop says: the palette the window uses.

A desktop without a settings portal (many X11 sessions, Xvfb) never reports dark mode, so a
reader who wants it needs the choice in Preferences. "System" hands the palette back to the
platform; "Light" and "Dark" set Fusion palettes (Fusion draws every palette role in both).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

THEMES = (("system", "System"), ("light", "Light"), ("dark", "Dark"))

_DARK = {
    "Window": "#202124", "Base": "#17181a", "AlternateBase": "#232427", "Text": "#e8e8e8",
    "WindowText": "#e8e8e8", "Button": "#2b2c30", "ButtonText": "#e8e8e8",
    "Highlight": "#2f6fd0", "HighlightedText": "#ffffff", "Mid": "#55575c",
    "Midlight": "#3a3b3f", "Dark": "#111214", "Shadow": "#000000", "Light": "#4a4b50",
    "PlaceholderText": "#9a9ca0", "Link": "#8ab4f8", "ToolTipBase": "#2b2c30",
    "ToolTipText": "#e8e8e8", "BrightText": "#ffffff",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    disabled = QColor("#7a7c80")
    for dim in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, dim, disabled)
    return palette


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def apply(theme: str) -> None:
    """Apply "system", "light" or "dark" to the running application, live."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    hints = QGuiApplication.styleHints()
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
        theme, Qt.ColorScheme.Unknown)
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+: tells the platform theme too
        hints.setColorScheme(scheme)
    if theme == "dark":
        app.setPalette(dark_palette())
    elif theme == "light":
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(QPalette())  # the platform's (follows the desktop where it can)


def bold(widget: QWidget) -> None:
    """Set ``widget``'s text bold through its font, never a style sheet: the note's "Note"
    heading had its own style sheet and kept black text on the dark theme's dark window."""
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)
