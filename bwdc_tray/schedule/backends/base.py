"""What every OS scheduler backend offers, and the job it is asked to run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bwdc_tray.schedule.cron import CronExpr

JobState = Literal["in-sync", "drifted", "missing", "none"]


@dataclass(frozen=True)
class JobSpec:
    """One instance's scheduled job: when, what to run, and as whom."""

    instance: str
    expr: CronExpr
    command: tuple[
        str, ...
    ]  # always the runner: `<bwdc-tray> [--home H] run NAME --trigger schedule`
    run_as: str | None = None
    timeout: float = 3600.0
    # Names the job on the OS: the instance name, plus a tag of the home when --home is used, so
    # that two homes (a demo, a test, a dedicated user's) never overwrite each other's jobs.
    job_id: str = ""

    def __post_init__(self) -> None:
        if not self.job_id:
            object.__setattr__(self, "job_id", self.instance)

    @property
    def context(self) -> Literal["user", "dedicated"]:
        return "dedicated" if self.run_as else "user"


class Backend(Protocol):
    name: str

    def render(self, spec: JobSpec) -> str:
        """The exact artifact that `install` would write (pure: no OS call)."""
        ...

    def install(self, spec: JobSpec) -> list[str]:
        """Install or update the job; returns warnings for the user."""
        ...

    def remove(self, job_id: str, run_as: str | None = None) -> bool:
        """Remove the job; False when there was none."""
        ...

    def inspect(self, job_id: str, run_as: str | None = None) -> str | None:
        """The artifact as installed now, or None."""
        ...


def job_state(backend: Backend, spec: JobSpec | None, installed: str | None) -> JobState:
    if spec is None:
        return "none"
    if installed is None:
        return "missing"
    return "in-sync" if installed == backend.render(spec) else "drifted"
