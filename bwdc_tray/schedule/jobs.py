"""From an instance to its OS job: the command, the spec, and whether the job is in sync."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bwdc_tray.config import Instance
from bwdc_tray.errors import BwdcTrayError, EnvironmentProblem
from bwdc_tray.i18n import _
from bwdc_tray.oscmd import CommandRunner, run_command
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import backends, cron
from bwdc_tray.schedule.backends.base import JobSpec, JobState, job_state

NEXT_RUNS = 5


def runner_command(paths: Paths) -> tuple[str, ...]:
    """How an OS job starts bwdc-tray: absolute paths, never relying on the job's PATH."""
    from bwdc_tray import bundle

    if bundle.is_frozen():
        # The windowless program, whichever of the bundle's programs is asking.
        base: tuple[str, ...] = (str(bundle.program(bundle.RUNNER)),)
    else:
        # -P: `python -m` would put the working folder (a job's: the home folder) first on
        # sys.path, and a stray secrets.py or json.py there would replace the standard module.
        base = (str(_interpreter()), "-P", "-m", "bwdc_tray")
    if paths.home is not None:
        base += ("--home", str(paths.home))
    return base


def job_id(paths: Paths, name: str) -> str:
    if paths.home is None:
        if sys.platform == "win32":
            # Task paths are machine-wide: two Windows users' "corp" must not meet.
            import getpass

            return f"{name}@{getpass.getuser()}"
        return name
    # surrogatepass: a home whose name is not UTF-8 (lone surrogates) still gets a tag, and the
    # backends then refuse it with a clear message rather than this line with a traceback.
    tag = hashlib.sha256(str(paths.home).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{name}@{tag}"


def _interpreter() -> Path:
    """One stable path for this interpreter: `bwdc-tray` runs `.venv/bin/python3` and
    `python -m bwdc_tray` `.venv/bin/python`, and the same job must not look drifted to one of
    them."""
    exe = Path(sys.executable)
    if sys.platform == "win32":
        folder = exe.parent
        if (folder / "pythonw.exe").exists():
            return folder / "pythonw.exe"  # no console window flashing at every run
        return exe
    if sys.prefix != sys.base_prefix:  # a virtual environment: keep it, do not resolve past it
        for name in ("python3", "python"):
            candidate = Path(sys.prefix) / "bin" / name
            if candidate.exists():
                return candidate
    return exe.resolve()


def spec_for(paths: Paths, inst: Instance) -> JobSpec | None:
    if inst.schedule is None:
        return None
    from bwdc_tray import bundle

    bundle.check_stable_location()
    command = (*runner_command(paths), "run", inst.name, "--trigger", "schedule")
    return JobSpec(
        instance=inst.name,
        expr=cron.parse(inst.schedule),
        command=command,
        run_as=inst.run_as,
        timeout=inst.timeout,
        job_id=job_id(paths, inst.name),
    )


@dataclass(frozen=True)
class JobInfo:
    schedule: str | None
    description: str | None
    next_runs: list[datetime]
    backend: str
    context: str
    run_as: str | None
    job: JobState
    problem: str | None = None

    def to_json(self, name: str) -> dict[str, Any]:
        return {
            "name": name,
            "schedule": self.schedule,
            "description": self.description or "",
            "next_runs": [t.isoformat() for t in self.next_runs],
            "backend": self.backend,
            "context": self.context,
            "run_as": self.run_as,
            "job": self.job,
        }


def inspect(
    paths: Paths, inst: Instance, runner: CommandRunner = run_command, paused: bool = False
) -> JobInfo:
    """The instance's schedule and its job; while paused, no job is the expected state."""
    from bwdc_tray.schedule.describe import describe

    backend_name = inst.backend or backends.default_name()
    spec = spec_for(paths, inst)
    problem = None
    state: JobState = "none"
    try:
        backend = backends.get(backend_name, runner)
        why_not = backends.unavailable_here(backend.name)
        if why_not:
            raise EnvironmentProblem(why_not)
        installed = backend.inspect(job_id(paths, inst.name), inst.run_as)
        state = job_state(backend, None if paused else spec, installed)
        if (spec is None or paused) and installed is not None:
            state = "drifted"  # a job left behind for an instance with no schedule
    except BwdcTrayError as exc:
        problem = exc.message
        state = "missing" if spec is not None else "none"
    except OSError as exc:  # the scheduler's command itself could not run
        problem = str(exc)
        state = "missing" if spec is not None else "none"
    expr = spec.expr if spec else None
    return JobInfo(
        schedule=expr.text if expr else None,
        description=describe(expr.text) if expr else None,
        next_runs=expr.next_runs(NEXT_RUNS) if expr else [],
        backend=backend_name,
        context="dedicated" if inst.run_as else "user",
        run_as=inst.run_as,
        job=state,
        problem=problem,
    )


def set_paused(
    paths: Paths,
    paused: bool,
    runner: CommandRunner = run_command,
    *,
    failures: dict[str, BwdcTrayError] | None = None,
) -> list[str]:
    """Pause all schedules (remove every OS job, keep the schedules) or resume them.

    Returns what happened, one line per instance. The config is saved last, so a failure part
    way leaves `paused` as it was and the same call can be repeated. With ``failures``
    (`uninstall`), one instance's failure does not stop the others: its error goes there and
    `paused` is saved anyway (the job left behind shows as drifted until a repeat removes it).
    """
    from bwdc_tray.config import ConfigStore

    store = ConfigStore(paths)
    cfg = store.load()
    report: list[str] = []
    for inst in cfg.instances.values():
        spec = spec_for(paths, inst)
        if spec is None:
            continue
        backend = backends.get(inst.backend, runner)
        if backends.unavailable_here(backend.name):
            continue
        try:
            if paused:
                removed = backend.remove(spec.job_id, inst.run_as)
                line = _("{name}: paused") if removed else _("{name}: paused (it had no job)")
                report.append(line.format(name=inst.name))
            else:
                backend.install(spec)
                report.append(_("{name}: resumed").format(name=inst.name))
        except BwdcTrayError as exc:
            if failures is None:
                raise
            failures[inst.name] = exc
    with store.edit() as fresh:
        fresh.paused = paused
    return report
