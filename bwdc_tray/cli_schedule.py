"""`bwdc-tray schedule …`: the schedule of an instance becomes an OS job."""

from __future__ import annotations

import argparse
import contextlib
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
    sset.add_argument("--run-as", metavar="USER", help="run as this dedicated user (as root)")
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
    render.add_argument("--backend", choices=choices, default="auto")
    ssub.add_parser("sync", help="install missing jobs and repair drifted ones")


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
    if a.run_as is not None and paths.home is None:
        # The job runs as another account: it cannot read this user's own config folder.
        raise InvalidInput(
            "--run-as needs a machine-wide home that the dedicated user can read and write",
            "pass --home (e.g. --home /var/lib/bwdc-tray, or %ProgramData%\\bwdc-tray on "
            "Windows) to every bwdc-tray command for these instances",
        )
    store = ConfigStore(paths)
    with store.edit() as cfg:
        inst = cfg.get(a.name)
        backend_name = inst.backend if a.backend is None else a.backend
        backend_name = None if backend_name == "auto" else backend_name
        backend = backends.get(backend_name)  # refuse an unknown backend before saving
        why_not = backends.unavailable_here(backend.name)
        if why_not and not a.no_apply:
            raise EnvironmentProblem(
                why_not,
                f"see its artifact with `schedule render {a.name} --backend "
                f"{backend.name}`, or save without installing with --no-apply",
            )
        old = inst
        cfg.instances[a.name] = inst = _replace(
            inst, schedule=expr.text, backend=backend_name, run_as=a.run_as
        )
    if not a.no_apply:
        if old.schedule and (old.backend != inst.backend or old.run_as != inst.run_as):
            # The job moves: take the old one away so it cannot fire twice.
            with contextlib.suppress(BwdcTrayError):
                backends.get(old.backend).remove(jobs.job_id(paths, old.name), old.run_as)
        spec = jobs.spec_for(paths, inst)
        assert spec is not None
        for warning in backend.install(spec):
            err.write(f"warning: {warning}\n")
    _print_info(inst.name, jobs.inspect(paths, inst), out)
    return 0


def _replace(inst: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(inst, **changes)


def cmd_clear(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    store = ConfigStore(paths)
    with store.edit() as cfg:
        inst = cfg.get(a.name)
        cfg.instances[a.name] = _replace(inst, schedule=None)
    removed = backends.get(inst.backend).remove(jobs.job_id(paths, inst.name), inst.run_as)
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
    out.write(backends.get(None if a.backend == "auto" else a.backend).render(spec))
    return 0


def cmd_sync(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    cfg = ConfigStore(paths).load()
    failures = 0
    for inst in cfg.instances.values():
        info = jobs.inspect(paths, inst)
        if info.problem:
            err.write(f"{inst.name}: {info.problem}\n")
            failures += 1
            continue
        backend = backends.get(inst.backend)
        spec = jobs.spec_for(paths, inst)
        if spec is None:
            if info.job == "drifted" and backend.remove(jobs.job_id(paths, inst.name), inst.run_as):
                out.write(f"{inst.name}: removed a job left without a schedule\n")
            continue
        if info.job == "in-sync":
            out.write(f"{inst.name}: in sync\n")
            continue
        for warning in backend.install(spec):
            err.write(f"warning: {warning}\n")
        out.write(f"{inst.name}: {'installed' if info.job == 'missing' else 'repaired'}\n")
    return int(Exit.ENVIRONMENT) if failures else 0


def dispatch(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if a.action == "set":
        return cmd_set(paths, a, out, err)
    if a.action == "sync":
        return cmd_sync(paths, a, out, err)
    return {"clear": cmd_clear, "show": cmd_show, "render": cmd_render}[a.action](paths, a, out)
