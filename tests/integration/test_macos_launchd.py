"""The launchd backend against the real launchd: bootstrap a LaunchAgent in gui/<uid>, print it,
kickstart it, and boot it out (macOS only; see tests/support/platforms.py for the opt-in).

The agent is bwdc-tray's own (LaunchdBackend with the real command runner), for an instance of a
throwaway home whose bwdc is the simulator; the job id carries the home's tag, so the label
`io.github.bwdc-tray.itest_-<tag>` is this test's alone. It is booted out by that exact label,
and its plist deleted, whatever happens.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bwdc_tray.config import Instance
from bwdc_tray.errors import EnvironmentProblem
from bwdc_tray.oscmd import Completed, run_command
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import backends, jobs
from bwdc_tray.schedule.backends.base import JobSpec
from tests.integration.jobhome import make_home, wait_for_finished_run
from tests.support.platforms import os_integration

pytestmark = os_integration(
    ("darwin",),
    "needs macOS (launchd via launchctl)",
    "bootstraps, starts and boots out a real LaunchAgent",
)

Agent = tuple[Paths, Instance, JobSpec, str, Path]


def _domain() -> str:
    return f"gui/{os.getuid()}"


def _print(label: str) -> Completed:
    return run_command(["launchctl", "print", f"{_domain()}/{label}"])


@pytest.fixture
def agent(tmp_path: Path) -> Iterator[Agent]:
    from bwdc_tray.schedule.backends.launchd import LABEL_PREFIX, label_for

    paths, inst = make_home(tmp_path, "launchd")
    spec = jobs.spec_for(paths, inst)
    assert spec is not None
    label = label_for(spec.job_id)
    assert label.startswith(LABEL_PREFIX) and "_-" in label, label  # this home's job only
    plist = Path("~/Library/LaunchAgents").expanduser() / f"{label}.plist"
    try:
        yield paths, inst, spec, label, plist
    finally:
        run_command(["launchctl", "bootout", f"{_domain()}/{label}"])  # by its exact label
        plist.unlink(missing_ok=True)


def _diagnose(label: str) -> str:
    res = _print(label)
    return f"launchctl print (exit {res.returncode}):\n{res.stdout}{res.stderr}"


def _gone(label: str, seconds: float = 15.0) -> bool:
    """bootout is asynchronous: poll `launchctl print` until it fails."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _print(label).returncode != 0:
            return True
        time.sleep(0.2)
    return False


def test_bootstrap_print_kickstart_and_boot_out_a_real_agent(agent: Agent) -> None:
    from bwdc_tray.schedule.backends.launchd import LaunchdBackend

    paths, inst, spec, label, plist = agent
    backend = backends.get("launchd", run_command)
    assert isinstance(backend, LaunchdBackend)
    assert backend.path_for(spec.job_id) == plist

    # Install: the plist written, then `launchctl bootstrap gui/<uid>`.
    try:
        backend.install(spec)
    except EnvironmentProblem as exc:
        no_gui = ("Domain does not support", "logged in to the Mac's desktop")
        if any(words in exc.message for words in no_gui):
            pytest.skip(
                f"needs macOS with a GUI login session for {_domain()} (this runner has none: "
                f"{exc.message}); the backend has no user/<uid> fallback"
            )
        raise
    assert plist.is_file()
    assert backend.inspect(spec.job_id) == backend.render(spec)  # loaded, and as rendered
    info = jobs.inspect(paths, inst)
    assert (info.backend, info.job, info.problem) == ("launchd", "in-sync", None)

    # launchctl itself shows the job, with our program arguments.
    shown = _print(label)
    assert shown.returncode == 0, shown.stderr
    assert label in shown.stdout
    for arg in spec.command:
        assert arg in shown.stdout, (arg, shown.stdout)

    # Start it now; the runner it starts writes the status file when the run ends.
    started = run_command(["launchctl", "kickstart", f"{_domain()}/{label}"])
    assert started.returncode == 0, started.stderr + started.stdout
    status = wait_for_finished_run(paths, inst, lambda: _diagnose(label))
    assert status["trigger"] == "schedule", status
    assert (status["state"], status["result"]) == ("ok", "ok"), status

    # Remove: booted out and the plist deleted; `launchctl print` no longer finds it.
    assert backend.remove(spec.job_id) is True
    assert not plist.exists()
    assert _gone(label), _print(label).stdout
    assert backend.inspect(spec.job_id) is None
    assert jobs.inspect(paths, inst).job == "missing"
