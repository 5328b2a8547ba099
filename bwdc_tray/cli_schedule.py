"""`bwdc-tray schedule …`: the schedule of an instance becomes an OS job."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from bwdc_tray.config import USER_RE, ConfigStore
from bwdc_tray.errors import BwdcTrayError, EnvironmentProblem, Exit, InvalidInput
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import backends, cron, jobs


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    sch = sub.add_parser("schedule", help="when an instance syncs: the OS job")
    ssub = sch.add_subparsers(dest="action", metavar="ACTION", parser_class=parser_class)
    ssub.required = True
    choices = ("auto", *backends.NAMES)
    sset = ssub.add_parser("set", help="set the schedule and install the OS job")
    sset.add_argument("name", metavar="NAME")
    sset.add_argument(
        "expr",
        nargs="+",
        metavar="EXPR",
        help="a 5-field cron expression, or hourly | daily HH:MM | weekly DAY[,DAY] HH:MM | "
        "monthly D HH:MM | every Nm | every Nh",
    )
    sset.add_argument("--backend", choices=choices, default=None)
    who = sset.add_mutually_exclusive_group()
    who.add_argument("--run-as", metavar="USER", help="run as this dedicated user (as root)")
    who.add_argument("--as-me", action="store_true", help="run as you (undoes --run-as)")
    sset.add_argument("--no-apply", action="store_true", help="save, but change no OS job")
    sset.add_argument(
        "--allow-frequent", action="store_true", help="allow runs closer than 5 minutes apart"
    )
    clear = ssub.add_parser("clear", help="remove the OS job")
    clear.add_argument("name", metavar="NAME")
    show = ssub.add_parser("show", help="expression, words, next runs, backend, job state")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--json", action="store_true")
    render = ssub.add_parser("render", help="print what would be installed, for any backend")
    render.add_argument("name", metavar="NAME")
    render.add_argument(
        "--backend", choices=choices, default=None, help="default: the instance's backend"
    )
    ssub.add_parser("sync", help="install missing jobs and repair drifted ones")
    ssub.add_parser("pause", help="pause all schedules: remove the OS jobs, keep the schedules")
    ssub.add_parser("resume", help="resume all schedules: install their OS jobs again")


def _print_info(name: str, info: jobs.JobInfo, out: TextIO) -> None:
    out.write(f"{name}: {info.schedule or 'no schedule'}\n")
    if info.description:
        out.write(f"  {info.description}\n")
    if info.next_runs:
        out.write(
            "  next runs: "
            + ", ".join(t.strftime("%a %Y-%m-%d %H:%M %Z") for t in info.next_runs)
            + "\n"
        )
    who = f"as {info.run_as} (dedicated user)" if info.run_as else "as you"
    out.write(f"  backend: {info.backend}, runs {who}; job: {info.job}\n")
    if info.problem:
        out.write(f"  problem: {info.problem}\n")


def cmd_set(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    text = " ".join(a.expr)
    expr = cron.resolve(text, allow_frequent=a.allow_frequent)
    if a.run_as is not None and not USER_RE.fullmatch(a.run_as):
        raise InvalidInput(f"--run-as {a.run_as!r} is not a user name")
    store = ConfigStore(paths)
    loaded = store.load()
    old = loaded.get(a.name)
    if loaded.paused and not a.no_apply:
        err.write("note: schedules are paused; the job is installed at `schedule resume`\n")
        a.no_apply = True
    backend_name = old.backend if a.backend is None else a.backend
    backend_name = None if backend_name == "auto" else backend_name
    run_as = None if a.as_me else (old.run_as if a.run_as is None else a.run_as)
    if run_as is not None and paths.home is None:
        # The job runs as another account: it cannot read this user's own config folder.
        raise InvalidInput(
            "--run-as needs a machine-wide home that the dedicated user can read and write",
            "pass --home (e.g. --home /var/lib/bwdc-tray, or %ProgramData%\\bwdc-tray on "
            "Windows) to every bwdc-tray command for these instances",
        )
    backend = backends.get(backend_name)
    why_not = backends.unavailable_here(backend.name)
    if why_not and not a.no_apply:
        raise EnvironmentProblem(
            why_not,
            f"see its artifact with `schedule render {a.name} --backend "
            f"{backend.name}`, or save without installing with --no-apply",
        )
    inst = _replace(old, schedule=expr.text, backend=backend_name, run_as=run_as)
    if not a.no_apply:
        # The new job first: if the OS refuses it, the old job and the config stay as they were.
        spec = jobs.spec_for(paths, inst)
        assert spec is not None
        for warning in backend.install(spec):
            err.write(f"warning: {warning}\n")
        moved = old.backend != inst.backend or old.run_as != inst.run_as
        if old.schedule and moved:
            _remove_job(paths, old, err)  # so that it cannot fire twice
    with store.edit() as cfg:
        cfg.get(a.name)
        cfg.instances[a.name] = inst
    _print_info(inst.name, jobs.inspect(paths, inst), out)
    return 0


def _remove_job(paths: Paths, inst: Any, err: TextIO) -> bool:
    """Remove the instance's job where its backend can exist; say so when that fails."""
    backend = backends.get(inst.backend)
    if backends.unavailable_here(backend.name):
        return False  # such a job cannot exist on this machine
    try:
        return backend.remove(jobs.job_id(paths, inst.name), inst.run_as)
    except BwdcTrayError as exc:
        err.write(
            f"warning: the old {backend.name} job of {inst.name} could not be removed: "
            f"{exc.message}\n"
        )
        return False


def _replace(inst: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(inst, **changes)


def cmd_clear(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    store = ConfigStore(paths)
    inst = store.load().get(a.name)
    backend = backends.get(inst.backend)
    removed = False
    if not backends.unavailable_here(backend.name):
        # Job first: if the OS refuses, the schedule stays saved and `clear` can be retried.
        removed = backend.remove(jobs.job_id(paths, inst.name), inst.run_as)
    with store.edit() as cfg:
        cfg.instances[a.name] = _replace(cfg.get(a.name), schedule=None)
    out.write(
        f"{inst.name}: schedule cleared; "
        + ("OS job removed\n" if removed else "there was no OS job\n")
    )
    if inst.schedule:
        out.write(f"to undo: {paths.cli()} schedule set {inst.name} '{inst.schedule}'\n")
    return 0


def cmd_show(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    inst = ConfigStore(paths).load().get(a.name)
    info = jobs.inspect(paths, inst)
    if a.json:
        json.dump(info.to_json(inst.name), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        _print_info(inst.name, info, out)
    return 0


def cmd_render(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    inst = ConfigStore(paths).load().get(a.name)
    spec = jobs.spec_for(paths, inst)
    if spec is None:
        raise InvalidInput(
            f"{inst.name} has no schedule",
            f"set one with `bwdc-tray schedule set {inst.name} EXPR`",
        )
    chosen = inst.backend if a.backend is None else (None if a.backend == "auto" else a.backend)
    out.write(backends.get(chosen).render(spec))
    return 0


def cmd_sync(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    cfg = ConfigStore(paths).load()
    if cfg.paused:
        out.write("schedules are paused: nothing to install (`schedule resume` first)\n")
        return 0
    failures = 0
    for inst in cfg.instances.values():
        try:
            _sync_one(paths, inst, out, err)
        except BwdcTrayError as exc:  # one instance's trouble must not stop the others
            err.write(f"{inst.name}: {exc.message}\n")
            failures += 1
    return int(Exit.ENVIRONMENT) if failures else 0


def _sync_one(paths: Paths, inst: Any, out: TextIO, err: TextIO) -> None:
    info = jobs.inspect(paths, inst)
    if info.problem:
        raise EnvironmentProblem(info.problem)
    backend = backends.get(inst.backend)
    spec = jobs.spec_for(paths, inst)
    if spec is None:
        if info.job == "drifted" and backend.remove(jobs.job_id(paths, inst.name), inst.run_as):
            out.write(f"{inst.name}: removed a job left without a schedule\n")
        return
    if info.job == "in-sync":
        out.write(f"{inst.name}: in sync\n")
        return
    for warning in backend.install(spec):
        err.write(f"warning: {warning}\n")
    out.write(f"{inst.name}: {'installed' if info.job == 'missing' else 'repaired'}\n")


def cmd_pause(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    for line in jobs.set_paused(paths, a.action == "pause"):
        out.write(line + "\n")
    out.write(
        "all schedules paused; `schedule resume` brings them back\n"
        if a.action == "pause"
        else "all schedules resumed\n"
    )
    return 0


def dispatch(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if a.action in ("pause", "resume"):
        return cmd_pause(paths, a, out)
    if a.action == "set":
        return cmd_set(paths, a, out, err)
    if a.action == "sync":
        return cmd_sync(paths, a, out, err)
    return {"clear": cmd_clear, "show": cmd_show, "render": cmd_render}[a.action](paths, a, out)
