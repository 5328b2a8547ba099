"""`bwdc-tray`: the headless CLI, with the same powers as the tray (DESIGN §4)."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from bwdc_tray import __version__
from bwdc_tray.config import (
    LOGIN_MODES,
    ConfigStore,
    Instance,
    absolute_path,
    find_clash,
    validate_label,
    validate_name,
    validate_timeout,
)
from bwdc_tray.errors import BwdcTrayError, EnvironmentProblem, Exit, InvalidInput
from bwdc_tray.paths import Paths, resolve


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(int(Exit.USAGE), f"{self.prog}: error: {message}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole CLI; with ``command="run"``, only the `run` command (what every OS job starts:
    it spares the job the other commands' parsers and imports, the schedule's among them)."""
    p = _Parser(prog="bwdc-tray", description="Run Bitwarden Directory Connector on a schedule.")
    p.add_argument("--version", action="version", version=f"bwdc-tray {__version__}")
    p.add_argument(
        "--home",
        metavar="DIR",
        help="keep all configuration and state under DIR "
        "(default: $BWDC_TRAY_HOME, else your user folders)",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    if command == "run":
        _add_run(sub)
        return p

    inst = sub.add_parser("instance", help="add, list, show or remove bwdc data folders")
    isub = inst.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    isub.required = True
    add = isub.add_parser("add", help="register a bwdc data folder")
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--appdata",
        required=True,
        metavar="DIR",
        help="the bwdc data folder (BITWARDENCLI_CONNECTOR_APPDATA_DIR)",
    )
    add.add_argument("--bwdc", metavar="PATH", help="the bwdc program (default: found on PATH)")
    add.add_argument("--log", metavar="FILE", help="the log file (default: <appdata>/bwdc.log)")
    add.add_argument(
        "--timeout",
        metavar="SECONDS",
        default="3600",
        help="stop a run after this many seconds (default 3600)",
    )
    add.add_argument("--label", metavar="TEXT", help="free text shown beside the name")
    add.add_argument(
        "--login",
        choices=LOGIN_MODES,
        default="isolated",
        help="isolated (default): bwdc's plaintext mode in a 0700 folder, API key "
        "on disk only during a run; keychain: bwdc's OS keychain, one run at a time",
    )
    chg = isub.add_parser(
        "set", help="change an instance's label, data folder, program, log, timeout or login"
    )
    chg.add_argument("name", metavar="NAME")
    chg.add_argument(
        "--label", metavar="TEXT", help='free text shown beside the name ("" clears it)'
    )
    chg.add_argument("--appdata", metavar="DIR", help="the bwdc data folder, if it moved")
    chg.add_argument("--bwdc", metavar="PATH", help='the bwdc program ("" looks for it again)')
    chg.add_argument("--log", metavar="FILE", help='the log file ("" for <appdata>/bwdc.log)')
    chg.add_argument("--timeout", metavar="SECONDS", help="stop a run after this many seconds")
    chg.add_argument("--login", choices=LOGIN_MODES, help="isolated or keychain")
    lst = isub.add_parser("list", help="list the instances")
    lst.add_argument("--json", action="store_true")
    show = isub.add_parser("show", help="one instance, with what its data.json says")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--json", action="store_true")
    rm = isub.add_parser("remove", help="forget an instance (its data folder and log stay)")
    rm.add_argument("name", metavar="NAME")

    sec = sub.add_parser("secret", help="API key and directory secret in the OS keyring")
    ssub = sec.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    ssub.required = True
    sset = ssub.add_parser("set", help="store client_id, client_secret [and directory secret]")
    sset.add_argument("name", metavar="NAME")
    sset.add_argument(
        "--stdin",
        action="store_true",
        help="read them from stdin, one per line, instead of prompting",
    )
    for action in ("clear", "check"):
        sp = ssub.add_parser(
            action,
            help={
                "clear": "delete this instance's secrets",
                "check": "tell which secrets are stored",
            }[action],
        )
        sp.add_argument("name", metavar="NAME")

    from bwdc_tray import cli_schedule

    cli_schedule.add_parser(sub, _Parser)

    from bwdc_tray import cli_adopt

    cli_adopt.add_parser(sub, _Parser)

    from bwdc_tray import cli_uninstall

    cli_uninstall.add_parser(sub, _Parser)

    from bwdc_tray import cli_notify

    cli_notify.add_parser(sub, _Parser)

    _add_run(sub)

    st = sub.add_parser("status", help="last run, next run and job state")
    st.add_argument("name", nargs="?", metavar="NAME")
    st.add_argument("--json", action="store_true")

    lg = sub.add_parser("log", help="the last runs from an instance's log")
    lg.add_argument("name", metavar="NAME")
    lg.add_argument("--runs", type=int, default=1, metavar="N")

    doc = sub.add_parser("doctor", help="check bwdc, data folders, secrets and logs")
    doc.add_argument("name", nargs="?", metavar="NAME")
    doc.add_argument("--json", action="store_true")

    exp = sub.add_parser("export", help="write the configuration (never secrets) as JSON")
    exp.add_argument("file", nargs="?", metavar="FILE", help="default: standard output")
    imp = sub.add_parser("import", help="add instances from an export file")
    imp.add_argument("file", metavar="FILE", help="an export file, or - for standard input")
    imp.add_argument(
        "--replace",
        action="store_true",
        help="replace instances that already exist under the same name",
    )

    tray = sub.add_parser("tray", help="the tray icon and window (also: bwdc-tray-gui)")
    tray.add_argument("--window", action="store_true", help="open the window at start")

    demo = sub.add_parser("demo", help="a demo home with simulated instances, runs and status")
    demo.add_argument("--no-gui", action="store_true", help="print the status instead")
    return p


def _add_run(sub: Any) -> None:
    run = sub.add_parser("run", help="one sync run now (what the OS job runs)")
    run.add_argument("name", metavar="NAME")
    run.add_argument("--trigger", choices=("manual", "schedule"), default="manual")
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="run `bwdc test`: show what would be synced, change nothing",
    )
    run.add_argument("--json", action="store_true")
    run.add_argument(
        "--only-at-schedule",
        action="store_true",
        help="exit quietly unless the instance's schedule holds now (for schedulers that "
        "cannot express it exactly and start the job more often)",
    )


def _command_word(argv: Sequence[str]) -> str | None:
    """The command of ``argv`` when only --home comes before it; None when unsure."""
    args = iter(argv)
    for arg in args:
        if arg == "--home":
            next(args, None)
        elif not arg.startswith("--home="):
            return None if arg.startswith("-") else arg
    return None


# --- helpers ---------------------------------------------------------------------------------


def _emit_json(value: Any, out: TextIO) -> None:
    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _ago(iso: str | None) -> str:
    if not iso:
        return "-"
    from datetime import datetime

    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    seconds = (datetime.now().astimezone() - when).total_seconds()
    if seconds < 0:
        return when.strftime("%Y-%m-%d %H:%M")
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return f"{int(seconds)} s ago"


def _when(iso: str | None) -> str:
    if not iso:
        return "-"
    from datetime import datetime

    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return when.strftime("%a %d %b %H:%M")


def _table(rows: list[list[str]], out: TextIO) -> None:
    if not rows:
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def _one_line(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- instance ----------------------------------------------------------------------------------


def cmd_instance_add(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    from bwdc_tray import bwdc, datajson

    name = validate_name(a.name)
    appdata = absolute_path(a.appdata, "--appdata")
    if appdata.exists() and not appdata.is_dir():
        raise InvalidInput(f"--appdata {appdata} is a file; it must be a bwdc data folder")
    exe: str | None
    if a.bwdc is not None:
        exe = str(absolute_path(a.bwdc, "--bwdc"))
        bad = bwdc.check_executable(exe)
        if bad:
            raise InvalidInput(f"--bwdc: {bad}", "give the path of the bwdc program")
    else:
        exe = bwdc.locate()
    log = absolute_path(a.log, "--log") if a.log else None
    inst = Instance(
        name=name,
        appdata=appdata,
        bwdc=exe,
        log=log,
        timeout=validate_timeout(a.timeout),
        label=validate_label(a.label),
        login=a.login,
    )
    with ConfigStore(paths).edit() as cfg:
        if name in cfg.instances:
            raise InvalidInput(
                f"an instance named {name!r} already exists",
                f"pick another NAME, or `bwdc-tray instance remove {name}` first",
            )
        clash = find_clash(cfg, inst)
        if clash:
            raise InvalidInput(clash)
        cfg.instances[name] = inst
    out.write(f"added {name}: {appdata}\n")
    info = datajson.read(appdata)
    if info.ok:
        out.write(
            f"  directory: {info.directory_name or 'not configured'}; "
            f"server: {info.server}; organization: {info.organization_id or '-'}\n"
        )
    else:
        out.write(f"  note: {info.problem}\n")
    if exe is None:
        out.write(
            "  note: bwdc was not found on PATH or in the usual places; runs will fail "
            f"until it is installed or set with `instance add {name} --bwdc PATH`\n"
        )
    out.write(f"next: bwdc-tray secret set {name}\n")
    return 0


def _instance_json(paths: Paths, inst: Instance, detail: bool = False) -> dict[str, Any]:
    from bwdc_tray import datajson

    info = datajson.read(inst.appdata)
    value: dict[str, Any] = {
        "name": inst.name,
        "label": inst.label,
        "appdata": str(inst.appdata),
        "bwdc": inst.bwdc,
        "log": str(inst.log_path),
        "timeout": inst.timeout,
        "login": inst.login,
        "directory": info.directory_name,
    }
    if detail:
        value["data_json"] = info.to_json()
    return value


def _shown(value: object) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


def cmd_instance_set(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bwdc_tray import instances

    fields = ("label", "appdata", "bwdc", "log", "timeout", "login")
    given = {f: getattr(a, f) for f in fields if getattr(a, f) is not None}
    if not given:
        raise InvalidInput(
            "nothing to change",
            "give at least one of --label, --appdata, --bwdc, --log, --timeout, --login",
        )
    done = instances.update_instance(paths, a.name, **given)
    if not done.changed:
        out.write(f"{a.name}: nothing changed\n")
    for f in done.changed:
        # The log shows where it ends up, not "-" for the default.
        attr = "log_path" if f == "log" else f
        old, new = (getattr(i, attr) for i in (done.before, done.after))
        out.write(f"{a.name}: {f} {_shown(old)} -> {_shown(new)}\n")
    for note in done.notes:
        out.write(f"{note}\n")
    for warning in done.warnings:
        err.write(f"warning: {warning}\n")
    return 0


def cmd_instance_list(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    cfg = ConfigStore(paths).load()
    items = [_instance_json(paths, i) for i in cfg.instances.values()]
    if a.json:
        _emit_json(items, out)
        return 0
    if not items:
        out.write("no instances yet: bwdc-tray instance add NAME --appdata DIR\n")
        return 0
    rows = [["NAME", "LABEL", "DIRECTORY", "LOGIN", "DATA FOLDER"]]
    rows += [
        [
            i["name"],
            _one_line(i["label"], 30) or "-",
            i["directory"] or "?",
            i["login"],
            i["appdata"],
        ]
        for i in items
    ]
    _table(rows, out)
    return 0


def cmd_instance_show(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    inst = ConfigStore(paths).load().get(a.name)
    value = _instance_json(paths, inst, detail=True)
    if a.json:
        _emit_json(value, out)
        return 0
    info = value.pop("data_json")
    for key, val in value.items():
        out.write(f"{key + ':':<11}{'-' if val is None else val}\n")
    out.write("data.json:\n")
    if info["problem"]:
        out.write(f"  problem:      {info['problem']}\n")
    for key in (
        "layout",
        "server",
        "organization_id",
        "last_user_sync",
        "last_group_sync",
        "installed_version",
    ):
        out.write(f"  {key + ':':<20}{info[key] or '-'}\n")
    return 0


def cmd_instance_remove(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bwdc_tray import instances

    # Scrubs what a crashed run left in data.json, removes the OS job, the entry and the
    # keyring entries; refuses (nothing changed) while the instance runs.
    done = instances.remove_instance(paths, a.name, keep_secrets=False)
    inst = done.inst
    out.write(f"removed {inst.name}\n")
    for note in done.notes:
        if not note.startswith("kept: "):
            out.write(f"{note}\n")
    for warning in done.warnings:
        err.write(f"warning: {warning}\n")
    out.write(f"kept: the data folder {inst.appdata} and the log {inst.log_path}\n")
    undo = f"{paths.cli()} instance add {inst.name} --appdata {_q(inst.appdata)}"
    if inst.bwdc:
        undo += f" --bwdc {_q(inst.bwdc)}"
    if inst.log:
        undo += f" --log {_q(inst.log)}"
    if inst.label:
        undo += f" --label {_q(inst.label)}"
    undo += f" --timeout {inst.timeout:g} --login {inst.login}"
    out.write(f"to undo: {undo}\n")
    return 0


def _q(value: object) -> str:
    if sys.platform == "win32":
        import subprocess

        return subprocess.list2cmdline([str(value)])
    import shlex

    return shlex.quote(str(value))


# --- secret ------------------------------------------------------------------------------------


def _read_secrets_stdin(stdin: TextIO) -> list[str]:
    # client_id, client_secret, then the directory secret: the rest, which may span lines
    # (a Google Workspace private key is a multi-line PEM).
    lines = stdin.read().splitlines()
    head = [ln.strip() for ln in lines[:2]]
    rest = "\n".join(lines[2:]).strip()
    return [*head, rest] if rest else head


def cmd_secret_set(paths: Paths, a: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from bwdc_tray import secrets

    cfg = ConfigStore(paths).load()
    inst = cfg.get(a.name)
    secrets.open_store(cfg.demo)  # fails early (exit 5) when there is no keyring, before prompts
    if a.stdin:
        values = _read_secrets_stdin(stdin)
        values += [""] * (3 - len(values))
        client_id, client_secret, directory_secret = values
    else:
        if not stdin.isatty():
            raise InvalidInput("no terminal to prompt on", "pass the secrets with --stdin")
        client_id = input(f"{inst.name}: client_id (organization.…): ").strip()
        client_secret = getpass.getpass(f"{inst.name}: client_secret (not shown): ").strip()
        directory_secret = getpass.getpass(
            f"{inst.name}: directory secret, e.g. LDAP bind password (not shown; empty to "
            "leave as it is): "
        ).strip()
    from bwdc_tray.instances import store_secrets

    stored = store_secrets(paths, inst.name, client_id, client_secret, directory_secret)
    out.write(f"stored {', '.join(stored)} for {inst.name} in the keyring\n")
    return 0


def cmd_secret_clear(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    from bwdc_tray import secrets

    cfg = ConfigStore(paths).load()
    inst = cfg.get(a.name)
    removed = secrets.clear(secrets.open_store(cfg.demo), inst.name)
    secrets.forget_remembered_backend(paths.cache_dir)
    out.write(f"deleted {removed} keyring entr{'y' if removed == 1 else 'ies'} for {inst.name}\n")
    return 0


def cmd_secret_check(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    from bwdc_tray import secrets

    cfg = ConfigStore(paths).load()
    inst = cfg.get(a.name)
    found = secrets.load(secrets.open_store(cfg.demo), inst.name)
    for field in secrets.FIELDS:
        present = getattr(found, field) is not None
        optional = field == "directory_secret"
        state = "stored" if present else ("not stored (optional)" if optional else "MISSING")
        out.write(f"{secrets.FIELD_LABELS[field]}: {state}\n")
    if not found.has_api_key:
        raise EnvironmentProblem(
            f"{inst.name} has no complete API key in the keyring",
            f"run `bwdc-tray secret set {inst.name}`",
        )
    return 0


# --- run / status / log -----------------------------------------------------------------------


def cmd_run(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bwdc_tray import runner

    if a.only_at_schedule and not runner.schedule_holds_now(ConfigStore(paths).load().get(a.name)):
        return 0

    def progress(text: str) -> None:
        if err.isatty():
            err.write(text + "\n")

    import signal
    import threading

    # A scheduler stopping the job (systemd, Task Scheduler) or Ctrl-C still gets a clean end:
    # bwdc stopped, API key removed, the end marker written.
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, runner.raise_interrupted)
    try:
        outcome = runner.execute(
            paths, a.name, trigger=a.trigger, dry_run=a.dry_run, progress=progress
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if a.json:
        _emit_json(
            {
                "name": a.name,
                "run": outcome.run_id,
                "result": outcome.result,
                "exit_code": int(outcome.exit_code),
                "bwdc_exit_code": outcome.bwdc_exit,
                "groups": outcome.groups,
                "users": outcome.users,
                "message": outcome.message,
                "hint": outcome.hint,
                "preview": outcome.preview,
            },
            out,
        )
        return int(outcome.exit_code)
    stream = out if outcome.exit_code == Exit.OK else err
    stream.write(f"{a.name}: {outcome.result}: {outcome.message}\n")
    if outcome.hint:
        stream.write(f"  fix: {outcome.hint}\n")
    if outcome.preview is not None:
        _print_preview(outcome.preview, out)
    return int(outcome.exit_code)


def _print_preview(data: dict[str, Any], out: TextIO, limit: int = 50) -> None:
    def names(key: str) -> list[str]:
        items = data.get(key)
        if not isinstance(items, list):
            return []
        return [
            _one_line(str(i.get("displayName", "?")) if isinstance(i, dict) else str(i), 100)
            for i in items
        ]

    for key, title in (
        ("groups", "groups"),
        ("enabledUsers", "users"),
        ("disabledUsers", "disabled users"),
        ("deletedUsers", "deleted users"),
    ):
        found = names(key)
        if not found:
            continue
        out.write(f"{title} ({len(found)}):\n")
        for item in found[:limit]:
            out.write(f"  {item}\n")
        if len(found) > limit:
            out.write(f"  … and {len(found) - limit} more\n")


def cmd_status(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    from bwdc_tray import status
    from bwdc_tray.oscmd import ReadCache
    from bwdc_tray.schedule import jobs

    cfg = ConfigStore(paths).load()
    once = ReadCache()  # one `crontab -l` for every instance

    def schedule_info(inst: Instance) -> tuple[str | None, str | None, str]:
        info = jobs.inspect(paths, inst, once, paused=cfg.paused)
        first = info.next_runs[0].isoformat() if info.next_runs and not cfg.paused else None
        return info.schedule, first, info.job

    items = status.all_status(paths, cfg, [a.name] if a.name else None, schedule_info)
    if a.json:
        _emit_json(items, out)
        return 0
    if not items:
        out.write("no instances yet: bwdc-tray instance add NAME --appdata DIR\n")
        return 0
    rows = [["NAME", "STATE", "LAST RUN", "GROUPS", "USERS", "NEXT RUN", "JOB", "MESSAGE"]]
    for item in items:
        last = item["last_run"] or {}
        rows.append(
            [
                item["name"],
                item["state"],
                _ago(last.get("finished") or last.get("started")),
                "-" if last.get("groups") is None else str(last["groups"]),
                "-" if last.get("users") is None else str(last["users"]),
                _when(item["next_run"]),
                item["job"] if item["job"] != "none" else "-",
                _one_line(last.get("message") or item.get("message"), 60),
            ]
        )
    _table(rows, out)
    return 0


def cmd_log(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    from bwdc_tray import logs

    if a.runs < 1:
        raise InvalidInput("--runs must be 1 or more")
    inst = ConfigStore(paths).load().get(a.name)
    try:
        runs = logs.read_runs(inst.log_path, a.runs)
    except FileNotFoundError:
        out.write(f"{inst.name} has no log yet ({inst.log_path})\n")
        return 0
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot read {inst.log_path}: {exc.strerror}", "check the file's permissions"
        ) from exc
    for line in logs.iter_lines(runs):
        out.write(line + "\n")
    if not runs:
        out.write(f"no runs in {inst.log_path} yet\n")
    return 0


# --- doctor / export / import / demo ----------------------------------------------------------


def cmd_doctor(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    from bwdc_tray import doctor

    checks = doctor.run_checks(paths, a.name)
    if a.json:
        _emit_json([c.to_json() for c in checks], out)
    else:
        for c in checks:
            mark = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}[c.level]
            out.write(f"[{mark}] {c.subject}: {c.detail}\n")
            if c.remedy and c.level != "ok":
                out.write(f"       fix: {c.remedy}\n")
    return int(Exit.ENVIRONMENT) if any(c.level == "fail" for c in checks) else 0


def cmd_export(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    from bwdc_tray import transfer

    text = transfer.export_text(ConfigStore(paths).load())
    if a.file:
        try:
            Path(a.file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"cannot write {a.file}: {exc.strerror}") from exc
        out.write(f"exported to {a.file} (no secrets)\n")
    else:
        out.write(text)
    return 0


def cmd_import(paths: Paths, a: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from bwdc_tray import transfer

    try:
        text = stdin.read() if a.file == "-" else Path(a.file).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {a.file}: {exc.strerror}") from exc
    added, replaced, skipped = transfer.import_text(ConfigStore(paths), text, a.replace)
    for name in added:
        out.write(f"added {name}\n")
    for name in replaced:
        out.write(f"replaced {name}\n")
    for name in skipped:
        out.write(f"skipped {name}: it exists already (use --replace)\n")
    if added or replaced:
        out.write(
            "secrets are not part of an export: set them with `bwdc-tray secret set "
            "NAME` on this machine\n"
        )
    return 0


def cmd_demo(paths_arg: str | None, a: argparse.Namespace, out: TextIO) -> int:
    from bwdc_tray.demo import setup

    return setup.run_demo(paths_arg, out, gui=not a.no_gui)


def dispatch(a: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    if a.command == "demo":
        from bwdc_tray.paths import HOME_ENV

        return cmd_demo(a.home or os.environ.get(HOME_ENV) or None, a, out)
    if a.command == "tray":
        from bwdc_tray.gui.app import main as gui_main

        return gui_main(
            [*(["--home", a.home] if a.home else []), *(["--window"] if a.window else [])]
        )
    paths = resolve(a.home)
    if a.command == "instance":
        if a.action == "remove":
            return cmd_instance_remove(paths, a, out, err)
        if a.action == "set":
            return cmd_instance_set(paths, a, out, err)
        handler = {"add": cmd_instance_add, "list": cmd_instance_list, "show": cmd_instance_show}[
            a.action
        ]
        return handler(paths, a, out)
    if a.command == "secret":
        if a.action == "set":
            return cmd_secret_set(paths, a, out, stdin)
        return {"clear": cmd_secret_clear, "check": cmd_secret_check}[a.action](paths, a, out)
    if a.command == "run":
        return cmd_run(paths, a, out, err)
    if a.command == "schedule":
        from bwdc_tray import cli_schedule

        return cli_schedule.dispatch(paths, a, out, err)
    if a.command == "adopt":
        from bwdc_tray import cli_adopt

        return cli_adopt.dispatch(paths, a, out, err, stdin)
    if a.command == "uninstall":
        from bwdc_tray import cli_uninstall

        return cli_uninstall.dispatch(paths, a, out, err, stdin)
    if a.command == "notify":
        from bwdc_tray import cli_notify

        return cli_notify.dispatch(paths, a, out, err, stdin)
    if a.command == "import":
        return cmd_import(paths, a, out, stdin)
    return {"status": cmd_status, "log": cmd_log, "doctor": cmd_doctor, "export": cmd_export}[
        a.command
    ](paths, a, out)


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    # pythonw.exe (the windowless runner of scheduled tasks) has no stdout or stderr at all.
    if out is None:
        out = sys.stdout if sys.stdout is not None else open(os.devnull, "w")  # noqa: SIM115
        _tolerant(out)
    if err is None:
        err = sys.stderr if sys.stderr is not None else open(os.devnull, "w")  # noqa: SIM115
        _tolerant(err)
    if stdin is None and sys.stdin is None:
        stdin = open(os.devnull)  # noqa: SIM115
    stdin = stdin or sys.stdin
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(_command_word(words)).parse_args(words)
    except SystemExit as exc:  # --help, --version, usage errors: argparse already printed
        return exc.code if isinstance(exc.code, int) else int(Exit.USAGE)
    try:
        return dispatch(args, out, err, stdin)
    except BwdcTrayError as exc:
        err.write(f"bwdc-tray: {exc.message}\n")
        if exc.remedy:
            err.write(f"  fix: {exc.remedy}\n")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        err.write("bwdc-tray: interrupted\n")
        return 130
    except RecursionError:
        err.write("bwdc-tray: a file is nested too deeply to read (a damaged data.json?)\n")
        return int(Exit.ENVIRONMENT)
    except BrokenPipeError:
        # `bwdc-tray log x | head`: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        err.write(f"bwdc-tray: cannot use{where}: {exc.strerror or exc}\n")
        err.write("  fix: check that folder's owner and permissions, or choose another --home\n")
        return int(Exit.ENVIRONMENT)


def _tolerant(stream: TextIO) -> None:
    # Group names and labels can be any Unicode; a Windows console or a redirect in cp1252
    # must get an escape, not a UnicodeEncodeError.
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="backslashreplace")


def run() -> None:
    sys.exit(main())


def run_program() -> None:
    """`python -m bwdc_tray` and the frozen programs: what every OS job starts."""
    code = main()
    if _command_word(sys.argv[1:]) == "run":
        # A scheduled run ends here: skip tearing the interpreter down. Unloading the ~300
        # modules a run imports (keyring's dependencies, mostly) takes ~20 ms, a sixth of
        # bwdc-tray's own time per run. Everything the run wrote is closed by now (log, status,
        # lock, holder); what a normal exit still does is done here: flush stdout and stderr,
        # run atexit handlers.
        import atexit

        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.flush()
        atexit._run_exitfuncs()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    sys.exit(main())
