"""Start a run as its own process, detached: "Sync now" from the tray goes on if the tray quits,
and goes through the same runner (and the same lock) as the CLI and the OS jobs."""

from __future__ import annotations

import subprocess
import sys

from bwdc_tray.paths import Paths

# Runs we started and have not seen end: kept so that they can be reaped (no zombies under a
# long-lived tray) and are not garbage-collected while still running.
_children: list[subprocess.Popen[bytes]] = []


def reap() -> None:
    _children[:] = [p for p in _children if p.poll() is None]


def start_run(paths: Paths, name: str, *, dry_run: bool = False) -> int:
    from bwdc_tray.schedule.jobs import runner_command

    argv = [*runner_command(paths), "run", name, "--trigger", "manual"]
    if dry_run:
        argv.append("--dry-run")
    devnull = subprocess.DEVNULL
    if sys.platform == "win32":
        flags = (
            subprocess.DETACHED_PROCESS
            | subprocess.CREATE_NEW_PROCESS_GROUP
            | subprocess.CREATE_NO_WINDOW
        )
        proc = subprocess.Popen(
            argv, stdin=devnull, stdout=devnull, stderr=devnull, creationflags=flags
        )
    else:
        proc = subprocess.Popen(
            argv, stdin=devnull, stdout=devnull, stderr=devnull, start_new_session=True
        )
    reap()
    _children.append(proc)
    return proc.pid
