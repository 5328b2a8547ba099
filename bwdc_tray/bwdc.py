"""Everything about calling the bwdc CLI: finding it, its version, its environment, one call
with a wall-clock deadline, and reading its answers (reference/bwdc.md §1, §2, §5)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bwdc_tray.errors import EnvironmentProblem
from bwdc_tray.fsutil import atomic_write_text
from bwdc_tray.i18n import _

NOT_LOGGED_IN = "You are not logged in."
ALREADY_LOGGED_IN = "You are already logged in as organization."
SYNCED_RE = re.compile(r"Synced (\d+) group\(s\) and (\d+) user\(s\)\.")
KILL_GRACE_S = 5.0
# After a call: how long its output may still be collected from processes that outlived it.
READER_GRACE_S = 1.0
# Lines waiting between the pipe readers and the log: past this, bwdc waits (back-pressure).
QUEUED_LINES = 10_000
# Lines of each stream kept for the outcome (the log gets them all).
KEPT_LINES = 5_000
# Inherited variables that would change bwdc's output or exit codes behind our back
# (BW_CLEANEXIT=anything turns every failure into exit 0).
_SCRUBBED_PREFIXES = ("BW_", "BITWARDENCLI_", "BITWARDEN_CONNECTOR_")
DIRECTORY_SECRET_ENV = "BWDC_TRAY_DIRECTORY_SECRET"  # noqa: S105 - a variable name


def usual_locations() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        found = [local / "Microsoft" / "WinGet" / "Links" / "bwdc.exe"]
        found += sorted(
            (local / "Microsoft" / "WinGet" / "Packages").glob(
                "Bitwarden.DirectoryConnector.CLI*/bwdc.exe"
            )
        )
        for env in ("ProgramFiles", "ProgramFiles(x86)"):
            base = os.environ.get(env)
            if base:
                found.append(Path(base) / "Bitwarden Directory Connector CLI" / "bwdc.exe")
        return found
    places = [home / ".local" / "bin", Path("/usr/local/bin"), Path("/opt/bwdc"), Path("/usr/bin")]
    if sys.platform == "darwin":
        places.insert(1, Path("/opt/homebrew/bin"))
    return [p / "bwdc" for p in places]


def locate() -> str | None:
    found = shutil.which("bwdc")
    if found:
        return str(Path(found).absolute())
    for candidate in usual_locations():
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def command(bwdc: str) -> list[str]:
    # A .py simulator (the demo's) runs with our own interpreter, on every OS.
    if not bwdc.endswith(".py"):
        return [bwdc]
    from bwdc_tray import bundle

    return bundle.python_file_command(bwdc) if bundle.is_frozen() else [sys.executable, bwdc]


def check_executable(bwdc: str) -> str | None:
    """None when ``bwdc`` can be started, else what is wrong with it."""
    path = Path(bwdc)
    if not path.exists():
        return _("bwdc not found at {path}").format(path=bwdc)
    if path.is_dir():
        return _("{path} is a folder, not the bwdc program").format(path=bwdc)
    if not bwdc.endswith(".py") and os.name == "posix" and not os.access(path, os.X_OK):
        return _("{path} is not executable").format(path=bwdc)
    return None


class CannotStart(EnvironmentProblem):
    """bwdc is there and executable, yet the OS cannot start it."""


def _cannot_start(bwdc: str, exc: OSError) -> CannotStart:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOENT and Path(bwdc).is_file():
        # The program exists: what is missing is the interpreter its #! line names.
        with contextlib.suppress(OSError, UnicodeDecodeError), open(bwdc, "rb") as fh:
            first = fh.readline(200).decode("utf-8")
            if first.startswith("#!"):
                reason = f"its interpreter {first[2:].strip()} is missing"
    elif exc.errno == errno.ENOEXEC:
        reason = f"{reason} (not a program for this system)"
    return CannotStart(
        f"cannot start {bwdc}: {reason}",
        "reinstall the Directory Connector CLI there, or change the instance's --bwdc path",
    )


def child_env(
    appdata: Path, *, plaintext: bool, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
    env.update(
        BITWARDENCLI_CONNECTOR_APPDATA_DIR=str(appdata.absolute()),
        BW_NOINTERACTION="true",
        FORCE_COLOR="0",
        NO_COLOR="1",
    )
    if plaintext:
        env["BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS"] = "true"
    if extra:
        env.update(extra)
    return env


@dataclass(frozen=True)
class CallResult:
    args: tuple[str, ...]
    exit_code: int | None
    stdout: str
    stderr: str
    timed_out: bool
    duration_s: float

    @property
    def response(self) -> dict[str, Any] | None:
        return parse_response(self.stdout)

    @property
    def ok(self) -> bool:
        resp = self.response
        if resp is not None:
            return resp.get("success") is True and self.exit_code == 0
        return self.exit_code == 0

    def says(self, text: str) -> bool:
        return text in self.message() or text in self.stderr

    def message(self) -> str:
        return failure_message(self) if not self.ok else success_message(self)


def _popen_kwargs() -> dict[str, Any]:
    if sys.platform == "win32":
        flags = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
        return {"creationflags": flags}
    # Own session: the whole tree can be found again and stopped, and no terminal signal
    # (Ctrl-C in an admin's shell) reaches bwdc half-way through an import.
    return {"start_new_session": True}


def kill_tree(pid: int, create_time: float | None = None, *, own_group: bool = True) -> bool:
    """Stop the process ``pid`` and every descendant, by PID, politely first.

    ``create_time`` (locking.process_start_time) guards against a reused PID (a leftover from a
    killed run, found later).
    Returns whether anything was still running.
    """
    import psutil

    from bwdc_tray.locking import process_start_time

    try:
        root = psutil.Process(pid)
        if create_time is not None:
            started = process_start_time(pid)
            if started is None or abs(started - create_time) > 1:
                return False
        procs = [*root.children(recursive=True), root]
    except psutil.Error:
        # Gone: its PID, and a process group of that number, may now be someone else's.
        return False
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    alive = _wait_gone(procs, KILL_GRACE_S)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    if own_group and os.name == "posix":
        # Descendants that double-forked away from the tree still carry the session's group,
        # which we created for this bwdc alone (start_new_session).
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
    return bool(procs)


def _wait_gone(procs: list[Any], timeout: float) -> list[Any]:
    """The processes still alive after ``timeout``. A zombie counts as gone: an orphan's is
    reaped by PID 1 whenever it gets round to it (psutil.wait_procs would wait for that)."""
    import psutil

    def alive(p: Any) -> bool:
        try:
            return bool(p.status() != psutil.STATUS_ZOMBIE)
        except psutil.Error:
            return False

    end = time.monotonic() + timeout
    left = [p for p in procs if alive(p)]
    while left and time.monotonic() < end:
        time.sleep(0.02)
        left = [p for p in left if alive(p)]
    return left


def _stop(proc: subprocess.Popen[bytes]) -> None:
    kill_tree(proc.pid)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=KILL_GRACE_S)


LineSink = Callable[[str, str], None]


def _pump(stream: IO[bytes], name: str, q: queue.Queue[tuple[str, str | None]]) -> None:
    """Read one stream to its end, then close it: only its reader may (closing a pipe while it
    is read is unsafe, and a process that escaped bwdc's tree may hold it open for long)."""
    try:
        for raw in iter(stream.readline, b""):
            q.put((name, raw.decode("utf-8", "replace").rstrip("\r\n")))
    finally:
        with contextlib.suppress(OSError):
            stream.close()
        q.put((name, None))


def call(
    bwdc: str,
    args: Sequence[str],
    env: Mapping[str, str],
    deadline: float,
    on_line: LineSink | None = None,
    cwd: Path | None = None,
    on_start: Callable[[int], None] | None = None,
) -> CallResult:
    """Run one bwdc command with no stdin; stream its lines to ``on_line`` as they come."""
    argv = [*command(bwdc), *args]
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env),
            cwd=cwd,
            **_popen_kwargs(),
        )
    except OSError as exc:
        raise _cannot_start(bwdc, exc) from exc
    if on_start is not None:
        try:
            on_start(proc.pid)
        except BaseException:
            _stop(proc)
            raise
    q: queue.Queue[tuple[str, str | None]] = queue.Queue(QUEUED_LINES)
    assert proc.stdout is not None and proc.stderr is not None
    readers = [
        threading.Thread(target=_pump, args=(proc.stdout, "out", q), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, "err", q), daemon=True),
    ]
    for t in readers:
        t.start()
    out: deque[str] = deque(maxlen=KEPT_LINES)
    err: deque[str] = deque(maxlen=KEPT_LINES)
    open_streams = 2
    timed_out = False
    try:
        while open_streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                _stop(proc)
                break
            try:
                name, line = q.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if line is None:
                open_streams -= 1
                continue
            (out if name == "out" else err).append(line)
            if on_line is not None:
                on_line(name, line)
        if not timed_out:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
                _stop(proc)
    except BaseException:
        # Ctrl-C or SIGTERM while bwdc works: bwdc is in its own session and would go on.
        _stop(proc)
        raise
    # What the readers still get, for a bounded time: a process that escaped bwdc's tree may
    # hold a pipe open (its reader then ends, and closes it, when that process does).
    until = time.monotonic() + READER_GRACE_S
    while any(t.is_alive() for t in readers) or not q.empty():
        try:
            name, line = q.get(timeout=0.05)
        except queue.Empty:
            if time.monotonic() >= until:
                break
            continue
        if line is not None:
            (out if name == "out" else err).append(line)
            if on_line is not None:
                on_line(name, line)
        if time.monotonic() >= until:
            break
    return CallResult(
        args=tuple(args),
        exit_code=None if timed_out else proc.returncode,
        stdout="\n".join(out),
        stderr="\n".join(err),
        timed_out=timed_out,
        duration_s=time.monotonic() - start,
    )


def parse_response(stdout: str) -> dict[str, Any] | None:
    """The one JSON object `--response` prints on stdout (tolerating stray lines)."""
    for raw in reversed(stdout.splitlines()):
        line = raw.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict) and "success" in value:
                return value
    return None


def counts(text: str) -> tuple[int, int] | None:
    m = SYNCED_RE.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def success_message(result: CallResult) -> str:
    resp = result.response
    if resp is not None and isinstance(resp.get("data"), dict):
        data = resp["data"]
        if isinstance(data.get("message"), str):
            return str(data["message"])
        if isinstance(data.get("title"), str):
            return str(data["title"])
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


_FRAME_RE = re.compile(r"^\s+at\s")
_ERROR_LINE_RE = re.compile(r"^(?:Uncaught )?[A-Z][A-Za-z]*Error\b.*")


def failure_message(result: CallResult) -> str:
    if result.timed_out:
        return "bwdc did not finish before the timeout and was stopped"
    if os.name == "posix" and result.exit_code is not None and result.exit_code < 0:
        # Whatever it printed last was not its outcome: something stopped it.
        try:
            name = signal.Signals(-result.exit_code).name
        except ValueError:
            name = f"signal {-result.exit_code}"
        return f"bwdc was killed ({name}) before it finished"
    resp = result.response
    if resp is not None and isinstance(resp.get("message"), str) and resp["message"].strip():
        return str(resp["message"]).strip()
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    if any(_FRAME_RE.match(ln) for ln in lines):
        # A Node stack trace: the error line says what happened, the frames only where.
        for ln in lines:
            if _ERROR_LINE_RE.match(ln.strip()):
                return ln.strip()
        frames = [i for i, ln in enumerate(lines) if _FRAME_RE.match(ln)]
        if frames and frames[0] > 0:
            return lines[frames[0] - 1].strip()
    if lines:
        return " / ".join(ln.strip() for ln in lines[-3:])
    out = [ln for ln in result.stdout.splitlines() if ln.strip()]
    if out:
        return out[-1].strip()
    return f"bwdc exited with code {result.exit_code} and printed nothing"


def hint(message: str, name: str = "NAME") -> str | None:
    """A remedy for the failures admins meet most (reference/bwdc.md §5.4)."""
    if "invalid_client" in message:
        return f"the server rejected the API key: check it with `bwdc-tray secret set {name}`"
    if message.startswith(NOT_LOGGED_IN):
        return "bwdc lost its login (a 401 logs it out); the next run logs in again"
    if "reading 'message'" in message or "reading 'directorySettings'" in message:
        return (
            "bwdc crashed after the server refused the request (HTTP 401/403); check the "
            "API key and the organization; the next run logs in again"
        )
    if "ECONNREFUSED" in message or "ENOTFOUND" in message or "fetch failed" in message:
        return "a server could not be reached: check the address, the network and the proxy"
    if "Organization not set." in message:
        return "bwdc has no organization in data.json: set it up once in the desktop app"
    if "Username/password are not configured." in message:
        return f"set the directory secret with `bwdc-tray secret set {name}`"
    return None


# --- version probe ------------------------------------------------------------------------

VERSION_RE = re.compile(r"\b(\d{4}\.\d+\.\d+|\d+\.\d+\.\d+)\b")


def _fingerprint(bwdc: str) -> str | None:
    try:
        st = Path(bwdc).stat()
    except OSError:
        return None
    return f"{Path(bwdc).resolve()}|{st.st_size}|{st.st_mtime_ns}"


def probe_version(bwdc: str, timeout: float = 60.0) -> str | None:
    """Ask bwdc its version against a throw-away data folder: every bwdc call initialises
    (and migrates) its data folder, even ``--version`` (reference/bwdc.md §1.1)."""
    with tempfile.TemporaryDirectory(prefix="bwdc-tray-probe-") as scratch:
        env = child_env(Path(scratch) / "appdata", plaintext=True)
        try:
            result = call(bwdc, ["--version"], env, time.monotonic() + timeout)
        except (OSError, CannotStart):
            return None
    m = VERSION_RE.search(result.stdout)
    return m.group(1) if result.exit_code == 0 and m else None


def cached_version(bwdc: str, cache_dir: Path) -> str | None:
    """The version, probed once per binary (path, size, mtime) rather than on every run:
    each bwdc call costs seconds."""
    key = _fingerprint(bwdc)
    if key is None:
        return None
    cache_file = cache_dir / "bwdc-versions.json"
    cache: dict[str, str] = {}
    with contextlib.suppress(OSError, ValueError):
        loaded: Any = json.loads(cache_file.read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            cache = {str(k): str(v) for k, v in loaded.items()}
    if key in cache:
        return cache[key]
    version = probe_version(bwdc)
    if version is not None:
        cache = {k: v for k, v in cache.items() if not k.startswith(key.split("|")[0] + "|")}
        cache[key] = version
        with contextlib.suppress(OSError):
            atomic_write_text(cache_file, json.dumps(cache, indent=1))
    return version


def version_tuple(version: str | None) -> tuple[int, ...]:
    if not version:
        return ()
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return ()
