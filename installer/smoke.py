"""Smoke test of a built bundle: what a new user does first, run against the frozen programs.

    python installer/smoke.py dist/bwdc-tray            (Linux, Windows)
    python installer/smoke.py dist/bwdc-tray.app        (macOS)

Each check prints one line; the exit code is the number of checks that failed. The test suite
runs the same checks (tests/installer/test_bundle.py).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bwdc_tray import __version__
from bwdc_tray.bundle import CLI, GUI, RUNNER

TIMEOUT = 120


class SmokeFailure(Exception):
    pass


def programs_dir(bundle: Path) -> Path:
    """Where the three programs are: the bundle folder, or an .app's Contents/MacOS."""
    if bundle.suffix == ".app":
        return bundle / "Contents" / "MacOS"
    return bundle


def program(bundle: Path, name: str) -> Path:
    suffix = ".exe" if sys.platform == "win32" else ""
    return programs_dir(bundle) / f"{name}{suffix}"


def run(bundle: Path, name: str, *args: str, env: dict[str, str] | None = None) -> str:
    argv = [str(program(bundle, name)), *args]
    done = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if done.returncode != 0:
        raise SmokeFailure(
            f"`{' '.join(argv)}` exited {done.returncode}\n{done.stdout}{done.stderr}".rstrip()
        )
    return done.stdout


def check_version(bundle: Path, home: Path) -> str:
    out = run(bundle, CLI, "--version").strip()
    if out != f"bwdc-tray {__version__}":
        raise SmokeFailure(f"--version printed {out!r}, expected 'bwdc-tray {__version__}'")
    return out


def check_demo(bundle: Path, home: Path) -> str:
    out = run(bundle, CLI, "--home", str(home), "demo", "--no-gui")
    for expected in ("ok: Synced 5 group(s) and 20 user(s).", "invalid_client"):
        if expected not in out:
            raise SmokeFailure(f"the demo did not print {expected!r}:\n{out}")
    return "three simulated instances ran: 2 ok, 1 failed on purpose"


def check_runner(bundle: Path, home: Path) -> str:
    """What an OS job starts: the runner program, which must leave a status for the CLI."""
    run(bundle, RUNNER, "--home", str(home), "run", "corp-ad", "--trigger", "schedule")
    status = json.loads(run(bundle, CLI, "--home", str(home), "status", "corp-ad", "--json"))
    row = status[0] if isinstance(status, list) else status
    last = row.get("last_run") or {}
    if last.get("result") != "ok" or last.get("trigger") != "schedule":
        raise SmokeFailure(f"status after a scheduled run: {json.dumps(row)}")
    return "a scheduled run through bwdc-tray-runner: ok"


def check_job_command(bundle: Path, home: Path) -> str:
    """Jobs must start the bundle's runner, by absolute path, not a Python that is not there."""
    run(bundle, CLI, "--home", str(home), "schedule", "set", "corp-ad", "daily 03:00", "--no-apply")
    artifact = run(bundle, CLI, "--home", str(home), "schedule", "render", "corp-ad", "--backend",
                   "cron")  # fmt: skip
    runner = str(program(bundle, RUNNER).resolve())
    if runner not in artifact:
        raise SmokeFailure(f"the job does not start {runner}:\n{artifact}")
    return f"the job starts {runner}"


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise SmokeFailure(f"{path} is not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def check_gui(bundle: Path, home: Path) -> str:
    shot = home / "window.png"
    run(bundle, GUI, "--home", str(home), "--screenshot", str(shot),
        env={"QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
    if not shot.exists():
        raise SmokeFailure("the GUI exited 0 without saving its window")
    width, height = png_size(shot)
    if width < 400 or height < 300:
        raise SmokeFailure(f"the window picture is {width}x{height}")
    return f"the window opened offscreen and was saved ({width}x{height})"


Check = Callable[[Path, Path], str]

CHECKS: list[tuple[str, Check]] = [
    ("--version", check_version),
    ("demo", check_demo),
    ("runner", check_runner),
    ("job command", check_job_command),
    ("GUI offscreen", check_gui),
]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    bundle = Path(argv[0]).resolve()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bwdc-tray-smoke-") as tmp:
        home = Path(tmp) / "home"
        for name, check in CHECKS:
            try:
                print(f"ok    {name}: {check(bundle, home)}", flush=True)
            except (SmokeFailure, subprocess.TimeoutExpired, OSError, ValueError) as exc:
                failed += 1
                print(f"FAIL  {name}: {exc}", flush=True)
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
