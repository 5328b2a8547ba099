"""A bwdc-tray home with one scheduled instance whose bwdc is the simulator, for the tests that
hand a real job to the OS scheduler and wait for the runner it starts.

The home is a demo home (``demo: true``): the job's run takes the simulated credentials of
secrets.DemoStore, so it depends on the scheduler alone, not on the keyring being reachable from
the job (test_os_keyring.py covers the keyring). Its bwdc is bwdc-tray's own simulator, a ``.py``
file that bwdc.command() starts with the runner's own interpreter on every OS (the fake under
tests/fakes/ is a ``#!`` script, and a ``.cmd`` launcher on Windows).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bwdc_tray.config import ConfigStore, Instance
from bwdc_tray.demo import simbwdc
from bwdc_tray.demo.setup import _seed_data_json
from bwdc_tray.fsutil import atomic_write_text, ensure_private_dir
from bwdc_tray.paths import Paths, resolve

NAME = "itest"
# Once a year, at a time no CI run is at: the job only ever runs when the test starts it.
SCHEDULE = "0 3 1 1 *"
RUN_TIMEOUT_S = 180.0


def make_home(tmp: Path, backend: str) -> tuple[Paths, Instance]:
    paths = resolve(tmp / "home")
    appdata = ensure_private_dir(paths.config_dir / "instances" / NAME)
    _seed_data_json(appdata, 0, "https://vault.example.com")
    atomic_write_text(appdata / "simulator.json", json.dumps({"scenario": "ok", "delay": 0}))
    inst = Instance(
        name=NAME,
        appdata=appdata,
        bwdc=str(Path(simbwdc.__file__).with_suffix(".py").resolve()),
        timeout=120,
        label="bwdc-tray integration test",
        schedule=SCHEDULE,
        backend=backend,
    )
    with ConfigStore(paths).edit() as cfg:
        cfg.demo = True
        cfg.instances[NAME] = inst
    return paths, inst


def read_status(paths: Paths) -> dict[str, Any] | None:
    try:
        data = json.loads(paths.status_file(NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not there yet, or being replaced right now (Windows)
        return None
    return data if isinstance(data, dict) else None


def wait_for_finished_run(
    paths: Paths, inst: Instance, diagnose: Callable[[], str], timeout: float = RUN_TIMEOUT_S
) -> dict[str, Any]:
    """The status file of the first run that has finished, polling for at most ``timeout``."""
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        status = read_status(paths)
        if status is not None and status.get("state") != "running" and status.get("finished"):
            return status
        time.sleep(0.5)
    try:
        log = inst.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
    except OSError as exc:
        log = f"(no log: {exc})"
    raise AssertionError(
        f"no finished run in {paths.status_file(NAME)} after {timeout:.0f} s; last status: "
        f"{status!r}\n--- instance log ---\n{log}\n--- scheduler ---\n{diagnose()}"
    )
