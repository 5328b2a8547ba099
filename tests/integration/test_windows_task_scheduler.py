"""The Task Scheduler backend against the real Task Scheduler: register a task with `schtasks`,
read it back, run it, and delete it (Windows only; see tests/support/platforms.py for the opt-in).

The task is bwdc-tray's own (TaskSchedulerBackend with the real command runner), for an instance
of a throwaway home whose bwdc is the simulator; the job id carries the home's tag, so the task
path `\\bwdc-tray\\itest@<tag>` is this test's alone, and it is deleted by that exact path
whatever happens.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bwdc_tray.config import Instance
from bwdc_tray.oscmd import run_command
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import backends, jobs
from bwdc_tray.schedule.backends.base import JobSpec
from tests.integration.jobhome import NAME, make_home, wait_for_finished_run
from tests.support.platforms import os_integration

pytestmark = os_integration(
    ("win32",),
    "needs Windows (Task Scheduler via schtasks)",
    "registers, runs and deletes a real scheduled task",
)

Task = tuple[Paths, Instance, JobSpec, str]


@pytest.fixture
def task(tmp_path: Path) -> Iterator[Task]:
    from bwdc_tray.schedule.backends.taskscheduler import task_path

    paths, inst = make_home(tmp_path, "taskscheduler")
    spec = jobs.spec_for(paths, inst)
    assert spec is not None
    path = task_path(spec.job_id)
    assert path.startswith("\\bwdc-tray\\") and "@" in path, path  # this home's task only
    try:
        yield paths, inst, spec, path
    finally:
        run_command(["schtasks", "/Delete", "/TN", path, "/F"])  # by its exact path, always


def _ns(tag: str) -> str:
    from bwdc_tray.schedule.backends.taskscheduler import NS

    return f"{{{NS}}}{tag}"


def _details(path: str) -> str:
    res = run_command(["schtasks", "/Query", "/TN", path, "/V", "/FO", "LIST"])
    return f"schtasks /Query /V (exit {res.returncode}):\n{res.stdout}{res.stderr}"


def test_register_query_run_and_delete_a_real_task(task: Task) -> None:
    from bwdc_tray.schedule.backends.taskscheduler import TaskSchedulerBackend, parse_task_xml

    paths, inst, spec, path = task
    backend = backends.get("taskscheduler", run_command)
    assert isinstance(backend, TaskSchedulerBackend)

    # Register.
    warnings = backend.install(spec)
    assert isinstance(warnings, list)

    # Read back through the backend: what Windows exports canonicalises to what we rendered.
    installed = backend.inspect(spec.job_id)
    assert installed is not None, _details(path)
    assert installed == backend.render(spec)
    info = jobs.inspect(paths, inst)
    assert (info.backend, info.job, info.problem) == ("taskscheduler", "in-sync", None)

    # schtasks itself shows our task, with our command.
    res = run_command(["schtasks", "/Query", "/TN", path, "/XML"])
    assert res.returncode == 0, res.stderr
    exported = parse_task_xml(res.stdout)
    assert exported.findtext(f"{_ns('RegistrationInfo')}/{_ns('URI')}") == path
    command = exported.findtext(f"{_ns('Actions')}/{_ns('Exec')}/{_ns('Command')}")
    arguments = exported.findtext(f"{_ns('Actions')}/{_ns('Exec')}/{_ns('Arguments')}") or ""
    assert command is not None
    assert os.path.normcase(command) == os.path.normcase(spec.command[0])
    assert f"run {NAME} --trigger schedule" in arguments

    # Run it now; the runner it starts writes the status file when the run ends.
    backend.run_now(spec.job_id)
    status = wait_for_finished_run(paths, inst, lambda: _details(path))
    assert status["trigger"] == "schedule", status
    assert (status["state"], status["result"]) == ("ok", "ok"), status

    # Delete: gone for the backend, for the drift check and for schtasks.
    assert backend.remove(spec.job_id) is True
    assert backend.inspect(spec.job_id) is None
    assert jobs.inspect(paths, inst).job == "missing"
    assert run_command(["schtasks", "/Query", "/TN", path]).returncode != 0
    assert backend.remove(spec.job_id) is False  # a second delete finds nothing
