"""The frozen app (installer/bwdc-tray.spec): its three programs and what each one starts.

A PyInstaller bundle has no ``python`` to run ``-m bwdc_tray`` or a ``.py`` file with, so one
entry point serves every program and dispatches on the program's name:

- ``bwdc-tray``: the CLI, with a console;
- ``bwdc-tray-gui``: the tray and the window (windowed);
- ``bwdc-tray-runner``: the CLI again, built windowless on Windows, so that the scheduled runs
  and the login item never flash a console. It is what every OS job starts.
"""

from __future__ import annotations

import sys
from pathlib import Path

CLI = "bwdc-tray"
GUI = "bwdc-tray-gui"
RUNNER = "bwdc-tray-runner"
PROGRAMS = (CLI, GUI, RUNNER)

# `<bundle>/bwdc-tray --run-python-file FILE ARGS…` runs FILE with the bundle's interpreter: how
# a bundle runs a .py bwdc (the demo's simulator), like the multiprocessing module's own flag.
RUN_PYTHON_FILE = "--run-python-file"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def program(name: str) -> Path:
    """The path of one of the bundle's programs, beside the one running now."""
    suffix = ".exe" if sys.platform == "win32" else ""
    return Path(sys.executable).parent / f"{name}{suffix}"


def unstable_location(executable: str, platform: str) -> str | None:
    """Why an OS job must not name this bundle's programs, or None. On macOS an app opened
    from its disk image, or from a quarantined download (which macOS "translocates" to a random
    read-only path), runs from a place that is gone after the next restart or eject."""
    if platform != "darwin":
        return None
    if executable.startswith("/Volumes/"):
        return "bwdc-tray runs from its disk image"
    if "/AppTranslocation/" in executable:
        return "macOS runs bwdc-tray from a temporary copy (App Translocation)"
    return None


def check_stable_location() -> None:
    """Refuse to write a job or a login item that would start a program about to disappear."""
    if not is_frozen():
        return
    why = unstable_location(sys.executable, sys.platform)
    if why:
        from bwdc_tray.errors import EnvironmentProblem

        raise EnvironmentProblem(
            f"{why}: a scheduled job or login item would start a program that is about to go",
            "move bwdc-tray.app to the Applications folder and open it from there",
        )


def python_file_command(path: str) -> list[str]:
    return [str(program(CLI)), RUN_PYTHON_FILE, path]


def role(executable: str, argv: list[str]) -> str:
    """Which program this is: "python-file", "gui" or "cli"."""
    if len(argv) >= 3 and argv[1] == RUN_PYTHON_FILE:
        return "python-file"
    if Path(executable).stem.lower() == GUI:
        return "gui"
    return "cli"


def main() -> None:
    """The frozen programs' entry point (installer/entry.py calls only this)."""
    which = role(sys.executable, sys.argv)
    if which == "python-file":
        import runpy

        sys.argv = sys.argv[2:]
        runpy.run_path(sys.argv[0], run_name="__main__")
        sys.exit(0)
    if which == "gui":
        from bwdc_tray.gui.app import run

        run()
    from bwdc_tray.cli import run_program

    if sys.stderr is not None:
        run_program()
        return
    # The windowless runner (Windows): PyInstaller shows an uncaught exception in a message box
    # that nobody sees, and the scheduled task (or the uninstaller waiting on it) hangs on it.
    try:
        run_program()
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException:
        _crashed()


CRASH_EXIT = 70  # EX_SOFTWARE: a bug, none of the CLI contract's exit codes


def _crashed() -> None:
    import os
    import tempfile
    import traceback
    from datetime import UTC, datetime

    # The user's own temporary folder on Windows (%LOCALAPPDATA%\Temp); the traceback holds
    # paths and bwdc-tray's own state, never a secret (those live in the keyring and bwdc's env).
    path = Path(tempfile.gettempdir()) / "bwdc-tray-runner-crash.log"
    try:
        with path.open("a", encoding="utf-8") as out:
            out.write(f"{datetime.now(UTC).isoformat()} {sys.argv[1:]!r}\n")
            out.write(traceback.format_exc())
    finally:
        os._exit(CRASH_EXIT)
