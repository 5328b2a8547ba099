"""`bwdc-tray schedule …`: the schedule of an instance becomes an OS job."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from bwdc_tray.config import USER_RE, Config, ConfigStore
from bwdc_tray.errors import BwdcTrayError, Exit, InvalidInput
from bwdc_tray.paths import Paths
from bwdc_tray.schedule import backends, jobs, manage


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
    if a.run_as is not None and not USER_RE.fullmatch(a.run_as):
        raise InvalidInput(f"--run-as {a.run_as!r} is not a user name")
    old = ConfigStore(paths).load().get(a.name)
    # Backend and run context are kept from the last `set` unless given again.
    backend = old.backend if a.backend is None else a.backend
    run_as = None if a.as_me else (old.run_as if a.run_as is None else a.run_as)
    result = manage.apply_schedule(
        paths,
        a.name,
        " ".join(a.expr),
        allow_frequent=a.allow_frequent,
        backend=backend,
        run_as=run_as,
        apply=not a.no_apply,
    )
    for note in result.notes:
        err.write(f"note: {note}\n")
    for warning in result.warnings:
        err.write(f"warning: {warning}\n")
    _print_info(result.inst.name, jobs.inspect(paths, result.inst), out)
    return 0


def cmd_clear(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    inst = ConfigStore(paths).load().get(a.name)
    removed = manage.clear_schedule(paths, a.name)
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
            _sync_one(paths, cfg, inst, out, err)
        except BwdcTrayError as exc:  # one instance's trouble must not stop the others
            err.write(f"{inst.name}: {exc.message}\n")
            failures += 1
    return int(Exit.ENVIRONMENT) if failures else 0


def _sync_one(paths: Paths, cfg: Config, inst: Any, out: TextIO, err: TextIO) -> None:
    done = manage.repair_job(paths, inst.name, cfg=cfg)  # one load of the config for all
    if done:
        out.write(f"{inst.name}: {done[0]}\n")
    for warning in done[1:]:
        err.write(f"warning: {warning}\n")


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
