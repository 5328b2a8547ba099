"""The tray app for tests/gui/test_real_tray.py: a Controller for $BWDC_TRAY_HOME and the Tray,
on a real X display with a tray host. It reports on stdout, one JSON object a line:

  {"event": "tray", "geometry": [x, y, w, h]}          the icon is in the tray, at that place
  {"event": "no-tray"}                                   no tray host came up (exit code 3)
  {"event": "menu", "title": "...", "geometry": [...],   a menu was shown ("" for the tray's
   "items": {"text": [x, y, w, h], ...}}                 own); items in screen coordinates
  {"event": "action", "text": "..."}                     a menu entry was triggered
  {"event": "open-window"} / {"event": "edit-schedule", "name": "..."}
  {"event": "quit"}                                      the app is quitting

Run as `python -m tests.gui.real_tray_app` with DISPLAY, QT_QPA_PLATFORM=xcb and
DBUS_SESSION_BUS_ADDRESS=disabled: set.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from bwdc_tray.gui.controller import Controller
from bwdc_tray.gui.tray import Tray
from bwdc_tray.paths import resolve

WAIT_FOR_TRAY_S = 20.0
STABLE = 5  # checks 100 ms apart with the same icon geometry


def say(**event: Any) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def rect(r: Any) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


class MenuReporter(QObject):
    """Reports every menu once it is on screen, with where each entry is."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QMenu) and event.type() == QEvent.Type.Show:
            QTimer.singleShot(50, lambda menu=watched: self.report(menu))
        return False

    @staticmethod
    def report(menu: QMenu) -> None:
        items = {}
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            geo = menu.actionGeometry(action)
            top_left = menu.mapToGlobal(geo.topLeft())
            items[plain(action.text())] = [top_left.x(), top_left.y(), geo.width(), geo.height()]
        title = plain(menu.title())
        say(event="menu", title=title, geometry=rect(menu.geometry()), items=items)


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    reporter = MenuReporter()
    app.installEventFilter(reporter)

    deadline = time.monotonic() + WAIT_FOR_TRAY_S
    while not QSystemTrayIcon.isSystemTrayAvailable():
        if time.monotonic() > deadline:
            say(event="no-tray")
            return 3
        app.processEvents()
        time.sleep(0.1)

    controller = Controller(resolve())
    tray = Tray(
        controller,
        lambda: say(event="open-window"),
        lambda name: say(event="edit-schedule", name=name),
    )

    def on_triggered(action: QAction) -> None:
        say(event="action", text=plain(action.text()))

    tray.menu.triggered.connect(on_triggered)
    app.aboutToQuit.connect(lambda: say(event="quit"))

    seen: list[list[int]] = []

    def announce() -> None:
        # Until the host has embedded the icon, its geometry is (0, 0, w, h) in its own
        # window; once embedded it is the place on screen, and stays there.
        geo = rect(tray.icon.geometry())
        seen.append(geo)
        placed = geo[2] > 0 and geo[3] > 0 and (geo[0], geo[1]) != (0, 0)
        if tray.icon.isVisible() and placed and seen[-STABLE:] == [geo] * STABLE:
            say(event="tray", geometry=geo, state=controller.worst_state())
            return
        if time.monotonic() > deadline:
            say(event="no-tray")
            app.exit(3)
            return
        QTimer.singleShot(100, announce)

    QTimer.singleShot(0, announce)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
