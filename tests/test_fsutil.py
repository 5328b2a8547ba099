"""Private files: what another local user can plant where our log goes."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from bwdc_tray.fsutil import open_private_append
from tests.conftest import World
from tests.support.platforms import posix_only

NOBODY = 65534
needs_root = pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0, reason="needs root to make another user's file"
)


def _append(path: Path, text: bytes) -> None:
    fd = open_private_append(path)
    try:
        os.write(fd, text)
    finally:
        os.close(fd)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_a_new_log_is_0600_and_a_loose_one_is_tightened(tmp_path: Path) -> None:
    log = tmp_path / "bwdc.log"
    _append(log, b"one\n")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    log.chmod(0o644)
    _append(log, b"two\n")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert log.read_bytes() == b"one\ntwo\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_a_link_of_ones_own_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "logs" / "corp.log"
    real.parent.mkdir()
    link = tmp_path / "bwdc.log"
    link.symlink_to(real)
    _append(link, b"line\n")
    assert real.read_bytes() == b"line\n"


@needs_root
def test_a_link_another_user_planted_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "bashrc"
    target.write_bytes(b"export PATH\n")
    target.chmod(0o644)
    link = tmp_path / "bwdc.log"
    link.symlink_to(target)
    os.lchown(link, NOBODY, NOBODY)
    with pytest.raises(PermissionError, match="another user"):
        _append(link, b"run output\n")
    assert target.read_bytes() == b"export PATH\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@needs_root
def test_a_file_of_another_users_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "bwdc.log"
    theirs.write_bytes(b"")
    theirs.chmod(0o666)  # writable by all: the trap
    os.chown(theirs, NOBODY, NOBODY)
    with pytest.raises(PermissionError, match="another user"):
        _append(theirs, b"run output\n")
    assert theirs.read_bytes() == b""


@posix_only("symlinks, which Windows allows only to administrators or in developer mode")
@needs_root
def test_a_run_whose_log_was_planted_says_so_and_does_not_sync(world: World) -> None:
    world.add("corp")
    shared = world.tmp / "shared"
    shared.mkdir(mode=0o1777)
    planted = shared / "corp.log"
    planted.symlink_to(world.tmp / "victim")
    os.lchown(planted, NOBODY, NOBODY)
    assert world.cli("instance", "set", "corp", "--log", str(planted)).code == 0
    res = world.cli("run", "corp")
    assert res.code == 5
    assert "cannot write the log" in res.err and "another user" in res.err
    assert not (world.tmp / "victim").exists()
    assert "login" not in world.verbs()
