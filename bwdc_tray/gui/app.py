"""`bwdc-tray tray` / `bwdc-tray-gui`: the tray, the window, one instance per user and home."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bwdc_tray.paths import Paths, resolve

SHOW_MESSAGE = b"show\n"


def _server_name(paths: Paths) -> str:
    import getpass

    from PySide6.QtCore import QByteArray, QCryptographicHash

    # SHA-256 from QtCore, loaded already (hashlib would load OpenSSL for 30 bytes).
    key = QByteArray(f"{getpass.getuser()}|{paths.config_dir}".encode())
    digest = QCryptographicHash.hash(key, QCryptographicHash.Algorithm.Sha256)
    return "bwdc-tray-" + bytes(digest.toHex().data()).decode()[:16]


# --- one instance per user and home ---------------------------------------------------------------
#
# On Windows a QLocalServer (a named pipe). On Linux and macOS a Unix socket, with Python's
# socket module and a QSocketNotifier: the same protocol without loading QtNetwork (about 2.5 MB
# of resident memory for the tray's whole life; see bench/tray_weight.py). The socket lives in a
# folder only this user can enter, not in the shared /tmp where QLocalServer puts it: there
# another user could squat its name and silence every launch (SECURITY.md, T9).


def _socket_dir() -> str | None:
    """$XDG_RUNTIME_DIR, else ``<temp>/bwdc-tray-<uid>`` made 0700; None when neither is this
    user's alone (then no single-instance: each launch is a tray of its own)."""
    import stat
    import tempfile

    uid = os.getuid()
    candidates = [os.environ.get("XDG_RUNTIME_DIR") or ""]
    candidates.append(os.path.join(tempfile.gettempdir(), f"bwdc-tray-{uid}"))
    for folder in filter(None, candidates):
        with contextlib.suppress(FileExistsError, OSError):
            os.mkdir(folder, 0o700)
        try:
            st = os.lstat(folder)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode) and st.st_uid == uid and not st.st_mode & 0o077:
            return folder
    return None


def _socket_path(name: str) -> str | None:
    folder = _socket_dir()
    return os.path.join(folder, name) if folder else None


def _ask_running_to_show(name: str) -> bool:
    """True if a tray for this user and home runs: it was asked to show its window."""
    if sys.platform == "win32":
        from PySide6.QtNetwork import QLocalSocket

        probe = QLocalSocket()
        probe.connectToServer(name)
        if not probe.waitForConnected(300):
            return False
        probe.write(SHOW_MESSAGE)
        probe.waitForBytesWritten(1000)
        probe.disconnectFromServer()
        return True
    import socket

    path = _socket_path(name)
    if path is None:
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.3)
        try:
            probe.connect(path)
            probe.sendall(SHOW_MESSAGE)
        except OSError:  # no socket, or a stale one left by a crash (refused)
            return False
    return True


def _listen(name: str, on_show: Callable[[], None]) -> Any:
    """Serve the second launches: each connection calls `on_show`. Returns the server (keep it;
    `close()` it at the end)."""
    if sys.platform == "win32":
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(name)  # a stale socket left by a crash
        server = QLocalServer()
        server.listen(name)

        def on_connection() -> None:
            sock = server.nextPendingConnection()
            if sock is not None:
                sock.waitForReadyRead(500)
                on_show()
                sock.disconnectFromServer()

        server.newConnection.connect(on_connection)
        return server
    return _UnixServer(_socket_path(name), on_show)


class _UnixServer:
    """A listening Unix socket at `path`, served from the event loop (QSocketNotifier)."""

    def __init__(self, path: str | None, on_show: Callable[[], None]) -> None:
        import socket

        from PySide6.QtCore import QSocketNotifier

        self.path = path
        self.on_show = on_show
        self.notifier: QSocketNotifier | None = None
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if path is None:
            self.sock.close()
            return
        with contextlib.suppress(OSError):
            os.unlink(path)  # a stale socket left by a crash
        try:
            self.sock.bind(path)
            self.sock.listen(4)
        except OSError:
            # As when QLocalServer.listen() fails: the tray runs, a second launch starts another.
            self.sock.close()
            return
        self.sock.setblocking(False)
        self.notifier = QSocketNotifier(self.sock.fileno(), QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self._accept)

    def _accept(self) -> None:
        try:
            conn, _address = self.sock.accept()
        except OSError:  # BlockingIOError: the caller gave up already
            return
        with conn:
            conn.settimeout(0.5)
            with contextlib.suppress(OSError):
                conn.recv(64)
        self.on_show()

    def close(self) -> None:
        """Stop listening and remove the socket (QLocalServer.close() does both too)."""
        if self.sock.fileno() < 0:
            return
        if self.notifier is not None:
            self.notifier.setEnabled(False)
        self.sock.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)


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
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        help="open the window, save a picture of it to FILE (PNG) and quit: a check of an "
        "installation, also without a display (QT_QPA_PLATFORM=offscreen)",
    )
    args = parser.parse_args(argv)
    paths = resolve(args.home)

    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("bwdc-tray")
    app.setQuitOnLastWindowClosed(False)
    translators = _install_translations(app)
    QLocale.setDefault(QLocale())

    # A second launch brings up the first instead of starting another.
    name = _server_name(paths)
    if _ask_running_to_show(name):
        return 0

    def on_second_launch() -> None:
        show_window()  # defined below; called from the event loop only

    server = _listen(name, on_second_launch)

    from bwdc_tray.gui.controller import Controller
    from bwdc_tray.gui.notify import Notifier

    # With a tray, its icon comes first: the rows are read on the controller's worker thread
    # once it is up (the icon shows "unknown" until then), and the window, with the theme
    # follower its error texts need, is made the first time it is wanted. Without a tray the
    # window is the app: it is made at once, with the rows read before it shows.
    tray_here = QSystemTrayIcon.isSystemTrayAvailable()
    controller = Controller(paths, read_now=not tray_here)
    # PySide6's __feature__ import hook reads the source of every module imported after it
    # (inspect.getsource) and linecache keeps it: ~2 MB of text once the first read has loaded
    # the engine. Nothing here needs it (a traceback reads its lines again), so it is let go.
    import linecache

    controller.rowsChanged.connect(linecache.clearcache)
    prefs = Prefs(paths)
    keep: list[object] = [translators, server]
    made: list[Any] = []  # the MainWindow, once made

    def get_window() -> Any:
        if not made:
            from bwdc_tray.gui import theme
            from bwdc_tray.gui.window import MainWindow

            keep.append(theme.follow(app))
            window = MainWindow(controller)
            window.close_hides = tray_here
            made.append(window)
        return made[0]

    def show_window() -> None:
        window = get_window()
        window.show()
        window.raise_()
        window.activateWindow()

    def edit_schedule(instance: str) -> None:
        from bwdc_tray.gui.editor import ScheduleEditor

        editor = ScheduleEditor(paths, instance, parent=get_window())
        editor.finished.connect(lambda _result: controller.refresh())
        editor.show()

    def error_before_window(text: str) -> None:
        # The window shows the controller's errors (it connects to them when it is made); an
        # error that comes before it makes it, as if it had been there all along.
        if not made:
            get_window().show_error(text)

    controller.error.connect(error_before_window)

    if tray_here:
        from bwdc_tray import autostart
        from bwdc_tray.gui.tray import Toggle, Tray

        # A login item from an older version is brought up to date (macOS only); one that
        # cannot be is rewritten by the toggle when the user next turns it on.
        with contextlib.suppress(OSError):
            autostart.refresh(paths)

        def set_login(enabled: bool) -> None:
            from bwdc_tray.errors import BwdcTrayError

            try:
                autostart.set_enabled(paths, enabled)
            except (OSError, BwdcTrayError) as exc:  # the app runs from its dmg (macOS)
                get_window().show_error(str(exc))

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
        controller.refresh()  # the first read, now that the icon is up

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
            get_window(),
        )
        notice.setModal(False)  # never block the event loop (or a test) on it
        notice.show()
        keep.append(notice)
    if args.screenshot:
        # Without a tray the rows were read before the window was made; with one, they come
        # from the worker thread, and the picture waits for them.
        _screenshot_then_quit(app, controller, get_window(), args.screenshot, wait=tray_here)
    rc = app.exec()
    server.close()
    keep.clear()
    return int(rc)


def _screenshot_then_quit(app: Any, controller: Any, window: Any, file: str, wait: bool) -> None:
    from PySide6.QtCore import QTimer

    def shoot() -> None:
        saved = window.grab().save(file, "PNG")
        if not saved and sys.stderr is not None:  # None: the windowed program on Windows
            sys.stderr.write(f"bwdc-tray: could not save a picture to {file}\n")
        app.exit(0 if saved else 1)

    window.show()
    if wait:
        controller.rowsChanged.connect(lambda: QTimer.singleShot(0, shoot))
        QTimer.singleShot(30_000, shoot)  # rows that never come: the picture shows that
    else:
        QTimer.singleShot(0, shoot)


def run() -> None:
    sys.exit(main())
