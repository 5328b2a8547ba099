"""A real X desktop: Xvfb and the `trayer` tray host, for the app's tray icon to sit in.

Shared by tests/gui/test_real_tray.py, tests/reliability/test_soak.py, bench/tray_weight.py and
docs/make_screenshots.py. Every process is registered in a `Started` and stopped by its own PID,
never by name: other jobs on this shared machine run X servers and tray hosts of their own.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

TIMEOUT_S = 20.0  # for Xvfb's display number, and then for trayer's panel
SCREEN = "1024x768x24"
# A plain panel at the top right, as wide as its icons, opaque: icons are easy to find and shoot.
TRAYER = [
    "trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "32",
    "--SetDockType", "true", "--transparent", "false", "--tint", "0x808080",
]  # fmt: skip

_P = TypeVar("_P", bound="subprocess.Popen[Any]")


def stop_process(proc: subprocess.Popen[Any]) -> None:
    """By its PID: terminate, wait, then kill if it is still there after 5 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()  # else a ResourceWarning, an error under pytest's filterwarnings


class Started:
    """Processes started here; stopped by their own PIDs, last started first."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[Any]] = []

    def add(self, proc: _P) -> _P:
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[Any]) -> None:
        stop_process(proc)
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self) -> None:
        for proc in reversed(list(self.procs)):
            self.stop(proc)


def spawn(
    started: Started, argv: list[str], env: Mapping[str, str] | None, log: Path, **popen: Any
) -> subprocess.Popen[bytes]:
    """`argv`, its output appended to `log`, registered in `started`."""
    with log.open("ab") as out:
        return started.add(
            subprocess.Popen(
                argv,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                **popen,
            )
        )


def wait_until(what: str, check: Callable[[], object], timeout: float = TIMEOUT_S) -> None:
    """Polls `check` until it holds; RuntimeError "{what}: not within N s" otherwise."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not within {timeout:g} s")
        time.sleep(0.1)


def xdotool(env: Mapping[str, str], *args: str) -> list[str]:
    """xdotool's output words; none when it fails (e.g. a search that found nothing)."""
    done = subprocess.run(
        ["xdotool", *args], env=env, capture_output=True, text=True, timeout=10, check=False
    )
    return done.stdout.split()


def start_xvfb(
    started: Started, log_dir: Path, *, screen: str = SCREEN, timeout: float = TIMEOUT_S
) -> str:
    """Xvfb on a display it picks itself (-displayfd), so no clash with another X server and no
    guessed free number; its ":N". Its output goes to log_dir/xvfb.log."""
    log = log_dir / "xvfb.log"
    read_fd, write_fd = os.pipe()
    text = b""
    try:
        try:
            argv = ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp"]
            proc = spawn(started, argv, None, log, pass_fds=(write_fd,))
        finally:
            os.close(write_fd)  # only Xvfb's copy left: the read sees its end if it dies
        # Xvfb writes the number, then "\n", in two writes; closing the pipe between them kills
        # it ("Cannot write display number to fd"), so read up to the newline.
        deadline = time.monotonic() + timeout
        while not text.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(read_fd, 64) if ready else b""
            if not chunk:
                break
            text += chunk
    finally:
        os.close(read_fd)
    number = text.decode().strip()
    if not text.endswith(b"\n") or not number.isdigit():
        try:
            code: int | None = proc.wait(1)  # a moment to exit, if that is why the pipe closed
        except subprocess.TimeoutExpired:
            code = None
        why = f"not within {timeout:g} s" if code is None else f"exit {code}"
        raise RuntimeError(f"Xvfb reported no display ({why}): {log.read_text(errors='replace')}")
    return f":{number}"


def trayer_panel_shown(env: Mapping[str, str]) -> bool:
    """trayer's panel is mapped on the display of `env` (seen with xdotool)."""
    return bool(xdotool(env, "search", "--class", "trayer"))


def start_desktop(
    started: Started,
    log_dir: Path,
    env: Mapping[str, str] | None = None,
    *,
    panel_up: Callable[[dict[str, str]], bool] = trayer_panel_shown,
    screen: str = SCREEN,
    timeout: float = TIMEOUT_S,
    attempts: int = 3,
    on_retry: Callable[[str], object] | None = None,
) -> dict[str, str]:
    """Xvfb + trayer, once `panel_up(env)` says trayer's panel is up; the environment of an app
    on that desktop: `env` (default os.environ) with DISPLAY set and QT_QPA_PLATFORM removed.

    A few attempts, each on a fresh display with its logs in log_dir/x1, x2...: on a shared
    machine an X server can go away under us (another job's clean-up), and trayer with it.
    RuntimeError with what each attempt met (and the tail of its logs) if none worked."""
    problems: list[str] = []
    for attempt in range(1, attempts + 1):
        folder = log_dir / f"x{attempt}"
        folder.mkdir(parents=True, exist_ok=True)
        mine = len(started.procs)
        try:
            return _desktop(started, folder, env, panel_up, screen, timeout)
        except RuntimeError as exc:
            for proc in reversed(started.procs[mine:]):
                started.stop(proc)
            logs = [folder / name for name in ("xvfb.log", "trayer.log")]
            tails = [log.read_text(errors="replace").strip()[-300:] for log in logs if log.exists()]
            said = " ".join(t for t in tails if t and t not in str(exc))  # not twice
            problems.append(f"{exc} [{said}]" if said else str(exc))
            if on_retry is not None and attempt < attempts:
                on_retry(problems[-1])
    raise RuntimeError("; ".join(problems))


def _desktop(
    started: Started,
    folder: Path,
    env: Mapping[str, str] | None,
    panel_up: Callable[[dict[str, str]], bool],
    screen: str,
    timeout: float,
) -> dict[str, str]:
    display = start_xvfb(started, folder, screen=screen, timeout=timeout)
    # No session bus: through one Qt would give its icon to a StatusNotifier host (the real
    # desktop's, if any), not to trayer's XEmbed tray.
    xenv = {**(os.environ if env is None else env), "DISPLAY": display}
    xenv["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
    xenv.pop("QT_QPA_PLATFORM", None)  # the caller says how its app runs (xcb, usually)
    trayer = spawn(started, TRAYER, xenv, folder / "trayer.log")

    def up() -> bool:
        if trayer.poll() is not None:
            raise RuntimeError(f"trayer exited with {trayer.returncode}")
        return panel_up(xenv)

    # The tray host must own the tray selection before any app looks for it.
    wait_until("trayer's panel", up, timeout)
    time.sleep(0.3)
    return xenv
