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

    run_program()
