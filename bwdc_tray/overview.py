"""Everything the tray and the window show about the instances, in one Qt-free call.

The GUI renders these rows; it computes nothing of its own, so what it shows is what
`bwdc-tray status` and `schedule show` say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bwdc_tray import datajson, status
from bwdc_tray.config import ConfigStore, Instance
from bwdc_tray.oscmd import CommandRunner, ReadCache, run_command
from bwdc_tray.paths import Paths

# Worst first: the tray icon shows the first state any instance is in.
STATE_ORDER = ("failed", "timeout", "unknown", "running", "never", "paused", "ok")


@dataclass(frozen=True)
class InstanceRow:
    name: str
    label: str | None
    directory: str | None
    organization: str | None
    appdata: Path
    log: Path
    state: str  # ok | failed | running | timeout | never | unknown | paused
    last_run: dict[str, Any] | None
    schedule: str | None
    description: str | None
    next_run: datetime | None
    job: str  # in-sync | drifted | missing | none
    backend: str
    context: str
    problem: str | None = None

    @property
    def last_finished(self) -> datetime | None:
        if not self.last_run:
            return None
        stamp = self.last_run.get("finished") or self.last_run.get("started")
        return datetime.fromisoformat(stamp) if stamp else None


def row_for(
    paths: Paths, inst: Instance, paused: bool = False, runner: CommandRunner = run_command
) -> InstanceRow:
    from bwdc_tray.schedule import jobs

    info = jobs.inspect(paths, inst, runner, paused=paused)
    item = status.instance_status(paths, inst)
    data = datajson.read(inst.appdata)
    state = item["state"]
    if paused and inst.schedule and state not in ("running", "failed", "timeout"):
        state = "paused"
    return InstanceRow(
        name=inst.name,
        label=inst.label,
        directory=data.directory_name,
        organization=data.organization_id,
        appdata=inst.appdata,
        log=inst.log_path,
        state=state,
        last_run=item["last_run"],
        schedule=info.schedule,
        description=info.description,
        next_run=None if paused or not info.next_runs else info.next_runs[0],
        job=info.job,
        backend=info.backend,
        context=info.context,
        problem=info.problem or (data.problem if not data.ok else None),
    )


def snapshot(paths: Paths) -> tuple[list[InstanceRow], bool]:
    """The rows, and whether schedules are paused: one read of the config for both."""
    cfg = ConfigStore(paths).load()
    once = ReadCache()  # one `crontab -l` for all the rows, not one per instance
    return [row_for(paths, inst, cfg.paused, once) for inst in cfg.instances.values()], cfg.paused


def rows(paths: Paths) -> list[InstanceRow]:
    return snapshot(paths)[0]


def worst_state(items: list[InstanceRow]) -> str:
    if not items:
        return "never"
    return min(
        (r.state for r in items), key=lambda s: STATE_ORDER.index(s) if s in STATE_ORDER else 0
    )
