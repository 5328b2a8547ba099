"""`bwdc-tray tray`: one instance per user and home; without a tray, the window is the app."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.conftest import World


@pytest.mark.skipif(sys.platform == "win32", reason="waits for the Unix socket of the local server")
def test_second_launch_brings_up_the_first(world: World) -> None:
    world.add("corp", secrets=False)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, "-m", "bwdc_tray", "tray"]
    first = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        # The server is a socket in this user's private folder on Linux and macOS: wait for it.
        from pathlib import Path

        from bwdc_tray.gui.app import _server_name, _socket_path
        from bwdc_tray.paths import resolve

        where = _socket_path(_server_name(resolve(world.home)))
        assert where is not None
        socket = Path(where)
        deadline = time.monotonic() + 60
        while not socket.exists() and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.1)
        assert socket.exists(), "the first tray never started listening"
        second = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert second.returncode == 0, second.stdout + second.stderr
        assert first.poll() is None, "the first tray should still run"
    finally:
        first.terminate()  # by PID: the one we started
        out, _ = first.communicate(timeout=20)
    assert "Traceback" not in out


@pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets and owners")
def test_the_socket_lives_where_only_this_user_can_reach_it(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stat
    import tempfile

    from bwdc_tray.gui.app import _socket_dir

    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = _socket_dir()
    assert folder == str(tmp_path / f"bwdc-tray-{os.getuid()}")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700

    # Another user made that folder first (or opened it up): not ours, not used.
    os.chmod(folder, 0o777)  # noqa: S103 - the very thing to refuse
    assert _socket_dir() is None
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert _socket_dir() == str(runtime)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0, reason="needs root to give a folder away"
)
def test_a_squatted_socket_folder_does_not_silence_the_tray(
    world: World, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user owns /tmp/bwdc-tray-<uid>: each launch then runs a tray of its own rather
    than handing its window to whatever listens there."""
    import tempfile

    world.add("corp", secrets=False)
    shared_tmp = tmp_path / "shared-tmp"
    shared_tmp.mkdir(mode=0o1777)
    squatted = shared_tmp / f"bwdc-tray-{os.getuid()}"
    squatted.mkdir(mode=0o700)
    os.chown(squatted, 65534, 65534)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(shared_tmp)}
    env.pop("XDG_RUNTIME_DIR", None)
    monkeypatch.setattr(tempfile, "tempdir", None)
    tray = subprocess.Popen(
        [sys.executable, "-m", "bwdc_tray", "tray"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(3)
        assert tray.poll() is None, tray.communicate()[0]
        assert list(squatted.iterdir()) == []
    finally:
        tray.terminate()
        out, _ = tray.communicate(timeout=30)
    assert "Traceback" not in out
