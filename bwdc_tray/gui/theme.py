"""Error and warning text that stays readable in light and dark themes.

A fixed dark red is fine on a light window and hard to read on a dark one, so each tone has a
colour for each; widgets carry their tone as a property, and `follow` repaints them when the
system switches between light and dark while the app runs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

# (on a light window, on a dark window); each at least 4.5:1 against the usual backgrounds.
TONES = {
    "error": ("#c62828", "#ff8a80"),
    "warning": ("#765b00", "#ffd54f"),
}
_PROPERTY = "bwdcTone"


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colour(tone: str, palette: QPalette | None = None) -> str:
    light, dark = TONES[tone]
    return dark if is_dark(palette) else light


def set_tone(widget: QWidget, tone: str | None) -> None:
    """Show ``widget``'s text as an error, a warning, or (None) as plain text."""
    widget.setProperty(_PROPERTY, tone or "")
    widget.setStyleSheet(f"color: {colour(tone)};" if tone else "")


def error_label(accessible: str) -> QLabel:
    """A hidden, selectable, word-wrapped label for the error beside a field."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # engine messages quote paths and input
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(accessible)
    set_tone(label, "error")
    label.hide()
    return label


def show_error(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


def repaint_tones() -> None:
    for widget in QApplication.allWidgets():
        tone = widget.property(_PROPERTY)
        if tone:
            set_tone(widget, str(tone))


class _Follower(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ApplicationPaletteChange
            and watched is QApplication.instance()
        ):
            repaint_tones()
        return False


def follow(app: QApplication) -> QObject:
    """Repaint the tones when the theme changes; returns the object to keep alive."""
    follower = _Follower(app)
    app.installEventFilter(follower)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: repaint_tones())
    return follower
