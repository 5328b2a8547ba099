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
        # Qt's local server is a socket in the temp folder on Linux and macOS: wait for it.
        import tempfile
        from pathlib import Path

        from bwdc_tray.gui.app import _server_name
        from bwdc_tray.paths import resolve

        socket = Path(tempfile.gettempdir()) / _server_name(resolve(world.home))
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
