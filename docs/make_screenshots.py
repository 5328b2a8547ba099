"""Rerunnable screenshots of the tray menu, the main window and the schedule editor.

Usage (Linux, with Xvfb and trayer installed; see .ci/run for the packages):

    .venv/bin/python docs/make_screenshots.py [OUTPUT_DIR]

It makes a demo home in a temporary folder, starts Xvfb and a tray host of its own (and stops
them by PID), and writes tray-menu.png, window.png, editor.png, adopt.png, alerts.png, and
window-dark.png and properties-dark.png as a dark system theme shows them (default: docs/).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _dark_palette() -> object:
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2b2b"),
        (roles.WindowText, "#f0f0f0"),
        (roles.Base, "#1e1e1e"),
        (roles.AlternateBase, "#262626"),
        (roles.Text, "#f0f0f0"),
        (roles.Button, "#353535"),
        (roles.ButtonText, "#f0f0f0"),
        (roles.Highlight, "#3d6fb4"),
        (roles.HighlightedText, "#ffffff"),
        (roles.ToolTipBase, "#353535"),
        (roles.ToolTipText, "#f0f0f0"),
        (roles.PlaceholderText, "#9a9a9a"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def _adopt_wizard(paths: object, parent: object) -> Any:
    """The adopt wizard over what a typical machine holds: Bitwarden's recipe in a crontab, a
    dedicated user's /etc/cron.d file, and the desktop app's folder (no real jobs here)."""
    from bwdc_tray.adopt.model import Finding
    from bwdc_tray.adopt.sources.desktop_app import DESKTOP_APP_NOTE
    from bwdc_tray.gui.adopt import AdoptDialog

    found = [
        Finding(
            kind="crontab",
            location="crontab of admin, line 7",
            raw="0 2 * * * /opt/bwdc/bwdcSyncService.sh",
            schedule="0 2 * * *",
            schedule_text="0 2 * * *",
            command="/opt/bwdc/bwdcSyncService.sh",
            script="/opt/bwdc/bwdcSyncService.sh",
            bwdc="/usr/local/bin/bwdc",
            appdata="/opt/bwdc/hq-ldap",
            log="/opt/bwdc/hq-ldap/bwdc.log",
            notes=("reads BW_CLIENTSECRET from /opt/bwdc/.bw_clientsecret",),
        ),
        Finding(
            kind="cron.d",
            location="/etc/cron.d/bwdc-entra",
            raw="*/30 * * * * bwdc BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/bwdc/entra bwdc sync",
            artifact_path="/etc/cron.d/bwdc-entra",
            run_as="bwdc",
            schedule="*/30 * * * *",
            schedule_text="*/30 * * * *",
            command="BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/bwdc/entra bwdc sync",
            appdata="/srv/bwdc/entra",
            log="/srv/bwdc/entra/sync.log",
        ),
        Finding(
            kind="desktop-app",
            location="/home/admin/.config/Bitwarden Directory Connector",
            appdata="/home/admin/.config/Bitwarden Directory Connector",
            notes=(DESKTOP_APP_NOTE,),
        ),
    ]
    dialog = AdoptDialog(paths, parent, discover=lambda _paths: found)  # type: ignore[arg-type]
    dialog.resize(980, 560)
    return dialog


def _snap(out: Path, home: Path) -> None:
    """Runs inside the Xvfb session."""
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)

    from bwdc_tray.gui import theme
    from bwdc_tray.gui.controller import Controller
    from bwdc_tray.gui.editor import ScheduleEditor
    from bwdc_tray.gui.tray import Tray
    from bwdc_tray.gui.window import MainWindow
    from bwdc_tray.paths import resolve

    paths = resolve(home)
    follower = theme.follow(app)  # noqa: F841 (kept alive while the app runs)
    controller = Controller(paths)
    window = MainWindow(controller)
    window.resize(1100, 560)
    tray = Tray(controller, window.show, lambda _n: None)

    def settle(ms: int = 400) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shoot() -> None:
        settle(1500)
        window.show()
        settle()
        window.grab().save(str(out / "window.png"))
        editor = ScheduleEditor(paths, "corp-ad", parent=window)
        editor.show()
        settle()
        editor.grab().save(str(out / "editor.png"))
        editor.close()
        wizard = _adopt_wizard(paths, window)
        wizard.show()
        settle()
        wizard.grab().save(str(out / "adopt.png"))
        wizard.reject()
        alerts = window.edit_alerts("corp-ad")
        if alerts is not None:
            alerts.webhook_box.set_mode("own")
            alerts.webhook_format_combo.setCurrentIndex(
                alerts.webhook_format_combo.findData("slack")
            )
            alerts.healthcheck_box.set_mode("off")
            alerts.test_output.setPlainText(
                "Webhook: OK — HTTP 200\nHealth check: skipped — not configured"
            )
            settle()
            alerts.grab().save(str(out / "alerts.png"))
            alerts.reject()
        # The same window as a dark system theme shows it (tones repaint on the switch).
        light_palette, light_style = app.palette(), app.style().name()
        app.setStyle("Fusion")
        app.setPalette(_dark_palette())
        edit = window.edit_instance("corp-ad")
        if edit is not None:
            edit.timeout_edit.setText("0")  # an error beside the field, in the dark tone
        settle()
        window.grab().save(str(out / "window-dark.png"))
        if edit is not None:
            edit.grab().save(str(out / "properties-dark.png"))
            edit.reject()
        app.setStyle(light_style)
        app.setPalette(light_palette)
        window.hide()
        settle()
        menu = tray.icon.contextMenu()
        geometry = tray.icon.geometry()
        menu.aboutToShow.emit()
        if QSystemTrayIcon.isSystemTrayAvailable() and geometry.isValid():
            anchor = geometry.bottomLeft() + QPoint(-200, 4)
        else:
            anchor = QPoint(700, 40)
        menu.popup(anchor)
        settle(800)
        screen = app.primaryScreen().grabWindow(0)
        screen.copy(max(0, anchor.x() - 40), 0, 560, max(360, menu.height() + 60)).save(
            str(out / "tray-menu.png")
        )
        menu.close()
        app.quit()

    QTimer.singleShot(0, shoot)
    app.exec()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    out.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BWDC_TRAY_SNAP_HOME"):
        _snap(out, Path(os.environ["BWDC_TRAY_SNAP_HOME"]))
        return 0
    for tool in ("Xvfb", "trayer"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt install xvfb trayer)")
    sys.path.insert(0, str(HERE.parent))  # run as a script: tests/ is not on the path
    from tests.support import xdesktop

    with tempfile.TemporaryDirectory(prefix="bwdc-tray-shots-") as tmp:
        home = Path(tmp) / "demo"
        env = {**os.environ, "BWDC_TRAY_HOME": str(home)}
        py = sys.executable
        subprocess.run(
            [py, "-m", "bwdc_tray", "demo", "--no-gui"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [
                py,
                "-m",
                "bwdc_tray",
                "schedule",
                "set",
                "corp-ad",
                "weekly",
                "mon,thu",
                "02:30",
                "--no-apply",
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # trayer must own the tray selection before the app starts: its panel is looked for
        # with xdotool where it is installed, else trayer is given the 1.5 s it always had.
        look = shutil.which("xdotool") is not None
        started = xdesktop.Started()
        try:
            try:
                xenv = xdesktop.start_desktop(
                    started,
                    Path(tmp),
                    env,
                    panel_up=xdesktop.trayer_panel_shown if look else lambda _env: True,
                    screen="1280x800x24",
                )
            except RuntimeError as exc:
                raise SystemExit(f"Xvfb + trayer did not come up: {exc}") from exc
            if not look:
                time.sleep(1.5)
            subprocess.run(
                [py, __file__, str(out)],
                env={**xenv, "QT_QPA_PLATFORM": "xcb", "BWDC_TRAY_SNAP_HOME": str(home)},
                check=True,
                timeout=120,
            )
        finally:
            started.stop_all()
    for name in ("tray-menu.png", "window.png", "editor.png", "adopt.png", "alerts.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
