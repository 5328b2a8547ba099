"""File writing that never leaves a half-written or world-readable file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with mode 0700 for what we create; never loosen."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    return path


def atomic_write_bytes(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> None:
    """Write ``data`` to ``path`` via a temp file, fsync and rename.

    A crash at any point leaves either the old file or the new one, never a mix.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.chmod(tmp, mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str, mode: int = PRIVATE_FILE) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def open_private_append(path: Path) -> int:
    """Open ``path`` for appending, creating it 0600; tighten an existing file to 0600.

    Refused (PermissionError) where another user could have planted it: a symbolic link or a
    file of someone else's (a log path in a shared folder would otherwise let them point our
    appends, and our chmod, at a file of ours).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    # O_BINARY: on Windows, no "\n" -> "\r\n" translation in our logs.
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    if os.name != "posix":
        return os.open(path, flags, PRIVATE_FILE)
    trusted = {os.geteuid(), 0}
    with contextlib.suppress(FileNotFoundError):
        if os.lstat(path).st_uid not in trusted:
            raise PermissionError(
                errno.EPERM, "it belongs to another user (a link or a file someone else made)"
            )
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        if os.fstat(fd).st_uid not in trusted:
            raise PermissionError(errno.EPERM, "it belongs to another user")
    except BaseException:
        os.close(fd)
        raise
    with contextlib.suppress(OSError):
        os.fchmod(fd, PRIVATE_FILE)
    return fd


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
