"""The baseline of bench/tray_weight.py: the smallest honest PySide6 tray app of the same Qt.

A QApplication, a QSystemTrayIcon with a drawn icon and a QMenu with a few actions (Quit),
setQuitOnLastWindowClosed(False), exec. Nothing else: no engine, no file watching, no window.

    python bench/minimal_tray.py        (DISPLAY set, a tray host running)
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon


def drawn_icon() -> QIcon:
    pix = QPixmap(64, 64)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#2e7d32"))
    p.drawEllipse(3, 3, 58, 58)
    p.end()
    return QIcon(pix)


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    menu = QMenu()
    for text in ("Sync now", "Instances…", "Pause all schedules"):
        menu.addAction(QAction(text, menu))
    menu.addSeparator()
    quit_action = QAction("Quit", menu)
    quit_action.triggered.connect(app.quit)
    menu.addAction(quit_action)
    icon = QSystemTrayIcon(drawn_icon())
    icon.setToolTip("minimal tray")
    icon.setContextMenu(menu)
    icon.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
