""" "Start at login" for the tray: XDG autostart (Linux), a LaunchAgent (macOS), the Run key
(Windows). Qt-free; the file-based ones take their folder as a parameter so tests use tmp."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from bwdc_tray.fsutil import atomic_write_text
from bwdc_tray.paths import Paths

LABEL = "io.github.bwdc-tray.tray"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "bwdc-tray"


def tray_command(paths: Paths) -> list[str]:
    from bwdc_tray.schedule.jobs import runner_command

    return [*runner_command(paths), "tray"]


def _xdg_file(config_home: Path | None = None) -> Path:
    base = config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "autostart" / "bwdc-tray.desktop"


def _agent_file(agents_dir: Path | None = None) -> Path:
    return (agents_dir or Path.home() / "Library" / "LaunchAgents") / f"{LABEL}.plist"


def _desktop_quote(arg: str) -> str:
    """Quoting of the Desktop Entry spec's Exec key: double quotes, not a shell's."""
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg.replace("%", "%%")
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return '"' + escaped.replace("%", "%%") + '"'


def render_desktop_entry(paths: Paths) -> str:
    exec_line = " ".join(_desktop_quote(a) for a in tray_command(paths))
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=bwdc-tray\n"
        "Comment=Bitwarden Directory Connector schedules and status\n"
        f"Exec={exec_line}\n"
        "Icon=bwdc-tray\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def render_launch_agent(paths: Paths) -> str:
    import plistlib  # macOS only: not loaded by the tray elsewhere

    from bwdc_tray import BUNDLE_ID

    doc = {
        "Label": LABEL,
        "ProgramArguments": tray_command(paths),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        # macOS 13+ shows the item as bwdc-tray's in System Settings > General > Login Items.
        # Always written, whatever the install: macOS 12 and older ignore the key, and without
        # the .app it just names an app that is not there.
        "AssociatedBundleIdentifiers": [BUNDLE_ID],
    }
    return plistlib.dumps(doc, sort_keys=True).decode("utf-8")


def is_enabled(paths: Paths, *, folder: Path | None = None) -> bool:
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.QueryValueEx(key, RUN_VALUE)
            return True
        except OSError:
            return False
    path = _agent_file(folder) if sys.platform == "darwin" else _xdg_file(folder)
    return path.exists()


def starts_this(paths: Paths, *, folder: Path | None = None) -> bool:
    """True when the login item is on and starts this program for this home: the one an
    uninstall of this install may remove (another install's, or another home's, is not)."""
    wanted = tray_command(paths)
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, RUN_VALUE)
        except OSError:
            return False
        # The app quotes only paths with spaces, the installer always: quotes do not count.
        return str(value).replace('"', "") == " ".join(wanted).replace('"', "")
    from xml.parsers.expat import ExpatError

    try:
        if sys.platform == "darwin":
            import plistlib

            found = plistlib.loads(_agent_file(folder).read_bytes())
            return isinstance(found, dict) and found.get("ProgramArguments") == wanted
        text = _xdg_file(folder).read_text(encoding="utf-8")
    except (OSError, ValueError, ExpatError):  # absent, unreadable, or not a plist
        return False
    exec_line = next(x for x in render_desktop_entry(paths).splitlines() if x.startswith("Exec="))
    return exec_line in text.splitlines()


def set_enabled(paths: Paths, enabled: bool, *, folder: Path | None = None) -> None:
    if enabled:
        from bwdc_tray import bundle

        bundle.check_stable_location()
    if sys.platform == "win32":
        import subprocess
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            if enabled:
                value = subprocess.list2cmdline(tray_command(paths))
                winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, value)
            else:
                with contextlib.suppress(FileNotFoundError):
                    winreg.DeleteValue(key, RUN_VALUE)
        return
    if sys.platform == "darwin":
        path, text = _agent_file(folder), render_launch_agent(paths)
    else:
        path, text = _xdg_file(folder), render_desktop_entry(paths)
    if enabled:
        atomic_write_text(path, text, mode=0o644)
    else:
        path.unlink(missing_ok=True)


def refresh(paths: Paths, *, folder: Path | None = None, macos: bool | None = None) -> bool:
    """Bring an enabled login LaunchAgent written by an older version (without
    AssociatedBundleIdentifiers) up to date; True when it rewrote it. For the tray's start.

    Only a plist that starts this very program is rewritten: one left by another install (a
    venv, the .app) is that install's. Never enables, never removes. ``macos`` defaults to
    running on macOS (a parameter so tests run anywhere).
    """
    import plistlib
    from xml.parsers.expat import ExpatError

    if not (sys.platform == "darwin" if macos is None else macos):
        return False
    path, text = _agent_file(folder), render_launch_agent(paths)
    try:
        data = path.read_bytes()
        installed = plistlib.loads(data)
    except FileNotFoundError:
        return False
    except (OSError, ValueError, ExpatError):  # InvalidFileException is a ValueError
        return False  # not ours to judge: the toggle rewrites it when the user asks
    if not isinstance(installed, dict) or installed.get("ProgramArguments") != tray_command(paths):
        return False
    if data == text.encode("utf-8"):
        return False
    atomic_write_text(path, text, mode=0o644)
    return True
