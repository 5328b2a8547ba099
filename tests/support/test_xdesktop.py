"""The process registry of tests/support/xdesktop.py (the X desktop itself: test_real_tray.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import xdesktop


def test_started_stops_by_pid_last_started_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped: list[int] = []

    def stop(proc: subprocess.Popen[Any]) -> None:
        stopped.append(proc.pid)
        real_stop(proc)

    real_stop = xdesktop.stop_process
    monkeypatch.setattr(xdesktop, "stop_process", stop)
    started = xdesktop.Started()
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    procs = [xdesktop.spawn(started, sleep, None, tmp_path / f"{i}.log") for i in range(3)]
    started.stop(procs[1])
    assert started.procs == [procs[0], procs[2]]
    started.stop_all()
    assert stopped == [procs[1].pid, procs[2].pid, procs[0].pid]
    assert started.procs == []
    assert [p.returncode for p in procs] == [-15, -15, -15]  # SIGTERM: none needed a kill
