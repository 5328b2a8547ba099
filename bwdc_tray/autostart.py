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

    doc = {
        "Label": LABEL,
        "ProgramArguments": tray_command(paths),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
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


def set_enabled(paths: Paths, enabled: bool, *, folder: Path | None = None) -> None:
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
