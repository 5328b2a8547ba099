"""Run locks: never two runs of one instance, and one keychain-mode run at a time.

Mutual exclusion is an OS file lock (filelock), which the kernel drops when its holder dies, even
by kill -9. Beside it, a small JSON "holder" file names the run (pid, start time of the process,
run id) so that the status, the GUI and a second runner can say who holds it. A holder file whose
process is gone is stale: the next runner clears it and says so in the log.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from bwdc_tray.fsutil import atomic_write_text, ensure_private_dir


@dataclass(frozen=True)
class Holder:
    pid: int
    create_time: float | None
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
            if self.create_time is not None and abs(proc.create_time() - self.create_time) > 1:
                return False  # the pid was reused by another process
            return proc.status() != psutil.STATUS_ZOMBIE
        except psutil.AccessDenied:
            return True  # another user's live process (a dedicated-user job)
        except psutil.NoSuchProcess:
            return False


def _process_create_time(pid: int) -> float | None:
    import psutil

    try:
        return float(psutil.Process(pid).create_time())
    except psutil.Error:
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


class AlreadyRunning(Exception):
    def __init__(self, holder: Holder | None) -> None:
        super().__init__("another run holds the lock")
        self.holder = holder


class InstanceLock:
    def __init__(self, locks_dir: Path, name: str) -> None:
        self.dir = locks_dir
        self.lock = FileLock(str(locks_dir / f"{name}.lock"), timeout=0)
        self.holder_path = locks_dir / f"{name}.holder.json"
        self.stale: Holder | None = None
        self.holder: Holder | None = None

    def acquire(self, run_id: str, started: str, trigger: str) -> None:
        ensure_private_dir(self.dir)
        try:
            self.lock.acquire()
        except Timeout:
            raise AlreadyRunning(read_holder(self.holder_path)) from None
        previous = read_holder(self.holder_path)
        if previous is not None:
            # We hold the OS lock, so whoever wrote this file is gone (killed, or crashed).
            self.stale = previous
        pid = os.getpid()
        self.holder = Holder(pid, _process_create_time(pid), run_id, started, trigger)
        atomic_write_text(self.holder_path, json.dumps(asdict(self.holder)))

    def set_child(self, pid: int | None) -> None:
        """Best effort: a reader holding the file open (Windows) must not break the run."""
        if self.holder is None:
            return
        ctime = _process_create_time(pid) if pid is not None else None
        self.holder = replace(self.holder, child_pid=pid, child_create_time=ctime)
        with contextlib.suppress(OSError):
            atomic_write_text(self.holder_path, json.dumps(asdict(self.holder)))

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
        ensure_private_dir(locks_dir)
        self.lock = FileLock(str(locks_dir / "keychain.lock"), timeout=-1)
        self.holder_path = locks_dir / "keychain.holder.json"

    def acquire(self, deadline: float, owner: str) -> bool:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            self.lock.acquire(timeout=remaining)
        except Timeout:
            return False
        atomic_write_text(self.holder_path, json.dumps({"pid": os.getpid(), "instance": owner}))
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
