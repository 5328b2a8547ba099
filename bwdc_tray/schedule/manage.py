"""Setting, clearing and repairing an instance's schedule and its OS job: one implementation for
`bwdc-tray schedule …` and the window's schedule editor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bwdc_tray.config import USER_RE, Config, ConfigStore, Instance
from bwdc_tray.errors import BwdcTrayError, EnvironmentProblem, InvalidInput
from bwdc_tray.i18n import _
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import backends, cron, jobs
from bwdc_tray.schedule.backends.base import Backend

PasswordAsker = Callable[[str], str | None]


def check_run_as(paths: Paths, run_as: str | None) -> None:
    """The rules of `schedule set --run-as` (raises InvalidInput)."""
    if run_as is None:
        return
    if not USER_RE.fullmatch(run_as):
        raise InvalidInput(_("{user!r} is not a user name").format(user=run_as))
    if paths.home is None:
        raise InvalidInput(
            _(
                "a dedicated user needs a machine-wide home that the dedicated user can read "
                "and write"
            ),
            _(
                "start bwdc-tray with --home (e.g. /var/lib/bwdc-tray, or "
                "%ProgramData%\\bwdc-tray on Windows)"
            ),
        )


@dataclass
class ScheduleResult:
    inst: Instance
    installed: bool
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _get_backend(name: str | None, password: PasswordAsker | None) -> Backend:
    if password is None:
        return backends.get(name)
    return backends.get(name, password=password)


def _remove_job(paths: Paths, inst: Instance, password: PasswordAsker | None) -> str | None:
    """Remove the instance's job where its backend exists; a warning when that fails."""
    backend = _get_backend(inst.backend, password)
    if backends.unavailable_here(backend.name):
        return None
    try:
        backend.remove(jobs.job_id(paths, inst.name), inst.run_as)
    except BwdcTrayError as exc:
        return _("the old {backend} job of {name} could not be removed: {error}").format(
            backend=backend.name, name=inst.name, error=exc.message
        )
    return None


def apply_schedule(
    paths: Paths,
    name: str,
    text: str,
    *,
    allow_frequent: bool = False,
    backend: str | None = None,
    run_as: str | None = None,
    apply: bool = True,
    password: PasswordAsker | None = None,
) -> ScheduleResult:
    """`schedule set`: ``backend`` None or "auto" is the OS default; ``run_as`` None is "as me".

    Install the new job first (if the OS refuses, the old job and the config stay), remove the
    old job if it moved to another backend or user, save the config last.
    """
    expr = cron.resolve(text, allow_frequent=allow_frequent)
    check_run_as(paths, run_as)
    store = ConfigStore(paths)
    loaded = store.load()
    old = loaded.get(name)
    result = ScheduleResult(old, installed=False)
    if loaded.paused and apply:
        result.notes.append(_("schedules are paused: the job is installed when they resume"))
        apply = False
    backend_name = None if backend in (None, "auto") else backend
    chosen = _get_backend(backend_name, password)
    why_not = backends.unavailable_here(chosen.name)
    if why_not and apply:
        raise EnvironmentProblem(
            why_not,
            _(
                "see its artifact with `schedule render {name} --backend {backend}`, or save "
                "without installing (--no-apply)"
            ).format(name=name, backend=chosen.name),
        )
    inst = replace(old, schedule=expr.text, backend=backend_name, run_as=run_as)
    if apply:
        spec = jobs.spec_for(paths, inst)
        assert spec is not None
        result.warnings += chosen.install(spec)
        result.installed = True
        moved = old.backend != inst.backend or old.run_as != inst.run_as
        if old.schedule and moved:
            warning = _remove_job(paths, old, password)
            if warning:
                result.warnings.append(warning)
    with store.edit() as cfg:
        cfg.get(name)
        cfg.instances[name] = inst
    result.inst = inst
    return result


def clear_schedule(paths: Paths, name: str, password: PasswordAsker | None = None) -> bool:
    """`schedule clear`: remove the OS job first, then forget the schedule. True if a job was
    removed."""
    store = ConfigStore(paths)
    inst = store.load().get(name)
    backend = _get_backend(inst.backend, password)
    removed = False
    if not backends.unavailable_here(backend.name):
        removed = backend.remove(jobs.job_id(paths, inst.name), inst.run_as)
    with store.edit() as cfg:
        cfg.instances[name] = replace(cfg.get(name), schedule=None)
    return removed


def repair_job(
    paths: Paths, name: str, password: PasswordAsker | None = None, cfg: Config | None = None
) -> list[str]:
    """`schedule sync` for one instance: install a missing job, repair a drifted one, remove a
    job left without a schedule. Returns what happened (and warnings).

    ``cfg``: the configuration a pass over every instance has just loaded; without it, it is
    loaded here. (Loading it once per instance made `schedule sync` quadratic: with 200
    instances, 200 loads that each parse 200 schedules.)
    """
    if cfg is None:
        cfg = ConfigStore(paths).load()
    inst = cfg.get(name)
    if cfg.paused:
        return [_("schedules are paused: nothing to install (Resume first)")]
    info = jobs.inspect(paths, inst)
    if info.problem:
        raise EnvironmentProblem(info.problem)
    backend = _get_backend(inst.backend, password)
    spec = jobs.spec_for(paths, inst)
    if spec is None:
        if info.job == "drifted" and backend.remove(jobs.job_id(paths, name), inst.run_as):
            return [_("removed a job left without a schedule")]
        return []
    if info.job == "in-sync":
        return [_("in sync")]
    warnings = backend.install(spec)
    return [_("installed") if info.job == "missing" else _("repaired"), *warnings]
