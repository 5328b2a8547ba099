"""Text from bwdc, a directory or a log, shown exactly as it is: never as Qt rich text.

Qt renders a string as HTML when it merely looks like HTML (``Qt.mightBeRichText``): a group
named ``<b>Admins</b>`` inside a bwdc message would come out bold, and an ``<img src=…>`` would
load a local file. Labels get the plain-text format; tooltips, which have no format of their
own, are converted to the HTML that shows the text as typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QMessageBox


def plain(widget: QLabel | QMessageBox) -> QLabel | QMessageBox:
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def tip(text: str | None) -> str | None:
    """A tooltip that shows ``text`` as typed (an empty one stays empty: no tooltip)."""
    if not text:
        return text
    return str(GuiQt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal))
