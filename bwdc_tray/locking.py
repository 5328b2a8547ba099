"""Run locks: never two runs of one instance, and one keychain-mode run at a time.

Mutual exclusion is an OS file lock (flock(2) on POSIX, filelock elsewhere), which the kernel
drops when its holder dies, even by kill -9. Beside it, a small JSON "holder" file names the run
(pid, start time of the process, run id) so that the status, the GUI and a second runner can say
who holds it. A holder file whose process is gone is stale: the next runner clears it and says so
in the log.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwdc_tray.fsutil import PRIVATE_FILE, ensure_private_dir


def write_transient(path: Path, text: str) -> None:
    """Replace a file in one step (temp file + rename, 0600), without fsync.

    For files that describe live processes (a run's holder, its "running" status): after a power
    cut none of them runs any more, so the file needs no durability, only to be whole. Skipping
    fsync saves milliseconds at every bwdc call of a run (the child's PID is written when it
    starts and cleared when it ends).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.chmod(tmp, PRIVATE_FILE)
            fh.write(text.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class Holder:
    pid: int
    create_time: float | None  # process_start_time(pid), to tell a reused PID apart
    run_id: str
    started: str
    trigger: str
    # The bwdc process of the current call: a run killed with -9 leaves it running (it has its
    # own session), and the next run stops it by this PID before touching the data folder.
    child_pid: int | None = None
    child_create_time: float | None = None

    def alive(self) -> bool:
        import psutil

        try:
            proc = psutil.Process(self.pid)
            started = process_start_time(self.pid)
            if self.create_time is not None and (
                started is None or abs(started - self.create_time) > 1
            ):
                return False  # the pid was reused by another process
            return proc.status() != psutil.STATUS_ZOMBIE
        except psutil.AccessDenied:
            return True  # another user's live process (a dedicated-user job)
        except psutil.NoSuchProcess:
            return False


_LINUX: bool = sys.platform.startswith("linux")


def process_start_time(pid: int) -> float | None:
    """When ``pid`` started, as a number that tells it apart from a later process with the same
    PID, and that does not move when the wall clock is set (NTP, a user, a VM resumed).

    On Linux: seconds since boot, from /proc/PID/stat; psutil's epoch time adds to it a boot
    time the kernel recomputes at every clock step. Elsewhere: the creation time the OS
    recorded once, at the start.
    """
    if _LINUX:
        return _linux_start_time(pid)
    import psutil

    try:
        return float(psutil.Process(pid).create_time())
    except psutil.Error:
        return None


def _linux_start_time(pid: int) -> float | None:
    """Read without psutil (~10 ms at every run's start, and ~2 ms per call for each bwdc the
    run starts): the start time in clock ticks since boot. None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
        # The command name, in parentheses, may itself hold spaces and parentheses.
        ticks = int(data[data.rindex(b")") + 2 :].split()[19])
        return float(ticks) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def read_holder(path: Path) -> Holder | None:
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
        return Holder(
            pid=int(raw["pid"]),
            create_time=raw.get("create_time"),
            run_id=str(raw["run_id"]),
            started=str(raw["started"]),
            trigger=str(raw.get("trigger", "unknown")),
            child_pid=raw.get("child_pid"),
            child_create_time=raw.get("child_create_time"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


if TYPE_CHECKING:
    from filelock import FileLock

# flock(2) says "held by another" with one of these (EACCES on some file systems).
_BUSY = frozenset({errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES})
# ... and "not on this file system" with one of these: filelock's own fallback takes over.
_NO_FLOCK = frozenset({errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOLCK})


class _ExclusiveFile:
    """A non-blocking exclusive lock on a file.

    On POSIX: flock(2), as filelock does there, without importing filelock (~13 ms at the start
    of every run). Elsewhere, and on a file system without flock: filelock.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._fallback: FileLock | None = None

    def acquire(self) -> bool:
        """True once held; False when another process (or another lock object) holds it."""
        if os.name == "posix" and self._fallback is None:
            import fcntl

            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in _BUSY:
                    return False
                if exc.errno not in _NO_FLOCK:
                    raise
            else:
                self._fd = fd
                return True
        from filelock import FileLock, Timeout

        if self._fallback is None:
            self._fallback = FileLock(str(self.path), timeout=0)
        try:
            self._fallback.acquire()
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if self._fd is not None:
            import fcntl

            fd, self._fd = self._fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        elif self._fallback is not None:
            self._fallback.release()


class AlreadyRunning(Exception):
    def __init__(self, holder: Holder | None) -> None:
        super().__init__("another run holds the lock")
        self.holder = holder


class InstanceLock:
    def __init__(self, locks_dir: Path, name: str) -> None:
        self.dir = locks_dir
        self.lock = _ExclusiveFile(locks_dir / f"{name}.lock")
        self.holder_path = locks_dir / f"{name}.holder.json"
        self.stale: Holder | None = None
        self.holder: Holder | None = None

    def acquire(self, run_id: str, started: str, trigger: str) -> None:
        ensure_private_dir(self.dir)
        if not self.lock.acquire():
            raise AlreadyRunning(read_holder(self.holder_path))
        previous = read_holder(self.holder_path)
        if previous is not None:
            # We hold the OS lock, so whoever wrote this file is gone (killed, or crashed).
            self.stale = previous
        pid = os.getpid()
        self.holder = Holder(pid, process_start_time(pid), run_id, started, trigger)
        write_transient(self.holder_path, json.dumps(asdict(self.holder)))

    def check_free(self) -> None:
        """Raise AlreadyRunning while a run holds the lock; take nothing, write nothing."""
        if not self.lock.path.exists():
            return  # every run creates it before it holds it
        if not self.lock.acquire():
            raise AlreadyRunning(read_holder(self.holder_path))
        self.lock.release()

    def set_child(self, pid: int | None) -> None:
        """Best effort: a reader holding the file open (Windows) must not break the run."""
        if self.holder is None:
            return
        ctime = process_start_time(pid) if pid is not None else None
        self.holder = replace(self.holder, child_pid=pid, child_create_time=ctime)
        with contextlib.suppress(OSError):
            write_transient(self.holder_path, json.dumps(asdict(self.holder)))

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self.holder_path.unlink()
        self.lock.release()


def current_holder(locks_dir: Path, name: str) -> Holder | None:
    """The live run of ``name``, if any; read-only, so it never disturbs a starting run."""
    holder = read_holder(locks_dir / f"{name}.holder.json")
    return holder if holder is not None and holder.alive() else None


class GlobalKeychainLock:
    """bwdc >= 2026.6 keeps one login per OS user in the keychain: one such run at a time."""

    def __init__(self, locks_dir: Path) -> None:
        from filelock import FileLock

        ensure_private_dir(locks_dir)
        self.lock = FileLock(str(locks_dir / "keychain.lock"), timeout=-1)
        self.holder_path = locks_dir / "keychain.holder.json"

    def acquire(self, deadline: float, owner: str) -> bool:
        from filelock import Timeout

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            self.lock.acquire(timeout=remaining)
        except Timeout:
            return False
        write_transient(self.holder_path, json.dumps({"pid": os.getpid(), "instance": owner}))
        return True

    def holder_instance(self) -> str | None:
        try:
            value = json.loads(self.holder_path.read_text(encoding="utf-8")).get("instance")
        except (OSError, ValueError, AttributeError):
            return None
        return value if isinstance(value, str) else None

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self.holder_path.unlink()
        self.lock.release()
