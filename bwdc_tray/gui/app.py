"""`bwdc-tray tray` / `bwdc-tray-gui`: the tray, the window, one instance per user and home."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bwdc_tray.paths import Paths, resolve

SHOW_MESSAGE = b"show\n"


def _server_name(paths: Paths) -> str:
    import getpass

    key = f"{getpass.getuser()}|{paths.config_dir}".encode()
    return "bwdc-tray-" + hashlib.sha256(key).hexdigest()[:16]


class Prefs:
    """The tray's own settings (mute notifications), beside instances.json."""

    def __init__(self, paths: Paths) -> None:
        self.path = paths.config_dir / "gui.json"
        try:
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    @property
    def muted(self) -> bool:
        return bool(self.data.get("mute_notifications", False))

    @muted.setter
    def muted(self, value: bool) -> None:
        from bwdc_tray.fsutil import atomic_write_text

        self.data["mute_notifications"] = value
        atomic_write_text(self.path, json.dumps(self.data, indent=1))


def _install_translations(app: object) -> list[object]:
    """English is built in; French (or another shipped language) follows the system locale,
    for the widgets (Qt translations) and for the engine's messages shown in them."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from bwdc_tray import i18n

    i18n.set_language(QLocale().name())
    kept: list[object] = []
    here = Path(__file__).with_name("i18n")
    for folder, base in (
        (str(here), "bwdc_tray"),
        (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), "qtbase"),
    ):
        translator = QTranslator(app)  # type: ignore[arg-type]
        if translator.load(QLocale(), base, "_", folder):
            app.installTranslator(translator)  # type: ignore[attr-defined]
            kept.append(translator)
    return kept


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bwdc-tray tray")
    parser.add_argument("--home", metavar="DIR")
    parser.add_argument("--window", action="store_true", help="open the window at start")
    args = parser.parse_args(argv)
    paths = resolve(args.home)

    from PySide6.QtCore import QLocale
    from PySide6.QtNetwork import QLocalServer, QLocalSocket
    from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("bwdc-tray")
    app.setQuitOnLastWindowClosed(False)
    translators = _install_translations(app)
    QLocale.setDefault(QLocale())
    from bwdc_tray.gui import theme

    follower = theme.follow(app)

    # A second launch brings up the first instead of starting another.
    name = _server_name(paths)
    probe = QLocalSocket()
    probe.connectToServer(name)
    if probe.waitForConnected(300):
        probe.write(SHOW_MESSAGE)
        probe.waitForBytesWritten(1000)
        probe.disconnectFromServer()
        return 0
    QLocalServer.removeServer(name)  # a stale socket left by a crash
    server = QLocalServer()
    server.listen(name)

    from bwdc_tray.gui.controller import Controller
    from bwdc_tray.gui.notify import Notifier
    from bwdc_tray.gui.window import MainWindow

    controller = Controller(paths)
    window = MainWindow(controller)
    prefs = Prefs(paths)

    def show_window() -> None:
        window.show()
        window.raise_()
        window.activateWindow()

    def on_connection() -> None:
        sock = server.nextPendingConnection()
        if sock is not None:
            sock.waitForReadyRead(500)
            show_window()
            sock.disconnectFromServer()

    server.newConnection.connect(on_connection)

    def edit_schedule(instance: str) -> None:
        from bwdc_tray.gui.editor import ScheduleEditor

        editor = ScheduleEditor(paths, instance, parent=window)
        editor.finished.connect(lambda _result: controller.refresh())
        editor.show()

    keep: list[object] = [translators, follower]
    if QSystemTrayIcon.isSystemTrayAvailable():
        from bwdc_tray import autostart
        from bwdc_tray.gui.tray import Toggle, Tray

        def set_login(enabled: bool) -> None:
            try:
                autostart.set_enabled(paths, enabled)
            except OSError as exc:
                window.show_error(str(exc))

        def set_muted(muted: bool) -> None:
            prefs.muted = muted

        toggles = [
            Toggle(
                app.translate("App", "Start at login"),
                app.translate("App", "Start the tray when you log in"),
                lambda: autostart.is_enabled(paths),
                set_login,
            ),
            Toggle(
                app.translate("App", "Mute notifications"),
                app.translate("App", "No balloon when a sync fails or recovers"),
                lambda: prefs.muted,
                set_muted,
            ),
        ]
        tray_ui = Tray(controller, show_window, edit_schedule, toggles=toggles)
        keep.append(tray_ui)
        window.close_hides = True

        def notify(title: str, message: str, is_error: bool) -> None:
            icon = (
                QSystemTrayIcon.MessageIcon.Critical
                if is_error
                else QSystemTrayIcon.MessageIcon.Information
            )
            tray_ui.icon.showMessage(title, message, icon, 10_000)

        Notifier(controller, notify, lambda: prefs.muted)
        if args.window:
            show_window()
    else:
        # No tray here (a bare X server, some Wayland desktops): the window is the app.
        window.close_hides = False
        app.setQuitOnLastWindowClosed(True)
        show_window()
        notice = QMessageBox(
            QMessageBox.Icon.Information,
            "bwdc-tray",
            app.translate(
                "App",
                "No system tray is available on this desktop: bwdc-tray runs as a window. "
                "Scheduled syncs do not need it; they run as OS jobs.",
            ),
            QMessageBox.StandardButton.Ok,
            window,
        )
        notice.setModal(False)  # never block the event loop (or a test) on it
        notice.show()
        keep.append(notice)
    rc = app.exec()
    keep.clear()
    return int(rc)


def run() -> None:
    sys.exit(main())
