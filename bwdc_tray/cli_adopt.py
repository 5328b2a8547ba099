"""`bwdc-tray adopt …`: find existing bwdc jobs, import one, replace its old job, undo that."""

from __future__ import annotations

import argparse
import json
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

from bwdc_tray.config import ConfigStore
from bwdc_tray.errors import Exit, InvalidInput
from bwdc_tray.paths import Paths

if TYPE_CHECKING:
    from bwdc_tray.adopt.model import Finding


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    del parser_class  # one parser, no sub-commands
    ad = sub.add_parser(
        "adopt",
        help="find existing bwdc jobs (cron, launchd, Task Scheduler) and import one",
        description="Without ID: list the bwdc jobs and data folders found on this machine. "
        "With ID: import that one as an instance, keeping its log as history; with --replace, "
        "also replace its old job by bwdc-tray's (a backup is kept; undo with --restore).",
    )
    ad.add_argument("id", nargs="?", metavar="ID", help="a finding's id, from `bwdc-tray adopt`")
    ad.add_argument("--name", metavar="NAME", help="the instance's name (default: suggested)")
    ad.add_argument("--label", metavar="TEXT", help="free text shown beside the name")
    ad.add_argument(
        "--replace",
        action="store_true",
        help="remove the old job (after a backup) and install bwdc-tray's instead",
    )
    ad.add_argument("--yes", action="store_true", help="do not ask before --replace")
    ad.add_argument("--restore", metavar="BACKUP", help="undo a --replace from its backup")
    ad.add_argument("--backups", action="store_true", help="list the backups of replaced jobs")
    ad.add_argument("--json", action="store_true")


def _apply() -> ModuleType:
    # Loaded by the adopt command alone: every other command builds this parser too (~20 ms).
    from bwdc_tray.adopt import apply

    return apply


def _emit(value: Any, out: TextIO) -> None:
    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _discover(paths: Paths) -> list[Finding]:
    # Imported here: discovery reads the machine (crontabs, plists, tasks) and only `adopt`
    # needs it.
    from bwdc_tray.adopt.discover import discover

    return list(discover(paths))


def finding_json(paths: Paths, finding: Finding) -> dict[str, Any]:
    """What `adopt --json` shows of a finding: never the raw job or its command, which a
    recipe may have written a secret into."""
    return {
        "id": finding.id,
        "kind": finding.kind,
        "location": finding.location,
        "part": finding.part,
        "schedule": finding.schedule,
        "schedule_text": finding.schedule_text,
        "run_as": finding.run_as,
        "appdata": finding.appdata,
        "log": finding.log,
        "bwdc": finding.bwdc,
        "script": finding.script,
        "notes": list(finding.notes),
        "instance": _apply().imported_as(paths, finding),
    }


def cmd_list(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    items = [finding_json(paths, f) for f in _discover(paths)]
    if a.json:
        _emit(items, out)
        return 0
    if not items:
        out.write("no bwdc jobs or data folders found on this machine\n")
        return 0
    for item in items:
        when = item["schedule"] or item["schedule_text"] or "-"
        part = f" ({item['part']})" if item["part"] else ""
        out.write(f"{item['id']}  {item['kind']}: {item['location']}{part}\n")
        out.write(f"  schedule: {when}\n")
        if item["run_as"]:
            out.write(f"  runs as:  {item['run_as']}\n")
        out.write(f"  data:     {item['appdata'] or '- (not found)'}\n")
        out.write(f"  log:      {item['log'] or '-'}\n")
        if item["instance"]:
            out.write(f"  already the instance {item['instance']}\n")
        for note in item["notes"]:
            out.write(f"  note: {note}\n")
    out.write(
        "import one: bwdc-tray adopt ID [--name NAME] (add --replace to let bwdc-tray "
        "schedule it instead of the old job)\n"
    )
    return 0


def _find(paths: Paths, wanted: str) -> Finding:
    findings = _discover(paths)
    for finding in findings:
        if finding.id == wanted.strip().lower():
            return finding
    known = ", ".join(f"{f.id} ({f.kind}: {f.location})" for f in findings) or "none"
    raise InvalidInput(
        f"no finding with id {wanted!r} (found: {known})",
        "see the ids with `bwdc-tray adopt`; an id changes when its job changes",
    )


def _confirm(paths: Paths, finding: Finding, name: str, a: argparse.Namespace, stdin: TextIO,
             err: TextIO) -> bool:  # fmt: skip
    if a.yes:
        return True
    if not stdin.isatty():
        raise InvalidInput(
            "--replace removes the old job, and there is no terminal to confirm it on; "
            "nothing was changed",
            f"add --yes to confirm: bwdc-tray adopt {finding.id} --replace --yes",
        )
    err.write(
        f"Replace {finding.kind} job {finding.location} with bwdc-tray's job for {name}? "
        f"A backup goes to {_apply().backups_dir(paths)} [y/N] "
    )
    err.flush()
    return stdin.readline().strip().lower() in ("y", "yes")


def cmd_adopt(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    finding = _find(paths, a.id)
    name = a.name or _apply().suggest_name(finding, set(ConfigStore(paths).load().instances))
    if a.replace and not _confirm(paths, finding, name, a, stdin, err):
        err.write("bwdc-tray: not replaced; nothing was changed\n")
        return int(Exit.USAGE)
    done = _apply().adopt(paths, finding, name, replace=a.replace, label=a.label)
    if a.json:
        _emit({"id": finding.id, **done.to_json()}, out)
        return 0
    for line in done.done:
        out.write(f"{line}\n")
    for note in done.notes:
        out.write(f"note: {note}\n")
    for warning in done.warnings:
        err.write(f"warning: {warning}\n")
    return 0


def cmd_restore(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    done = _apply().restore(paths, a.restore)
    if a.json:
        _emit({"backup": a.restore, "done": done}, out)
        return 0
    for line in done:
        out.write(f"{line}\n")
    return 0


def cmd_backups(paths: Paths, a: argparse.Namespace, out: TextIO) -> int:
    items = _apply().list_backups(paths)
    if a.json:
        _emit(items, out)
        return 0
    if not items:
        out.write(f"no backups in {_apply().backups_dir(paths)}\n")
        return 0
    for item in items:
        state = f"restored {item['restored']}" if item["restored"] else "not restored"
        out.write(
            f"{item['file']}  {item['kind']}: {item['location']} -> {item['instance']} ({state})\n"
        )
    out.write("undo one: bwdc-tray adopt --restore FILE\n")
    return 0


def dispatch(paths: Paths, a: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    modes = [
        m for m, on in (("ID", a.id), ("--restore", a.restore), ("--backups", a.backups)) if on
    ]
    if len(modes) > 1:
        raise InvalidInput(f"{' and '.join(modes)} cannot be combined", "give one of them")
    only_with_id = [o for o, on in (("--name", a.name), ("--label", a.label),
                                    ("--replace", a.replace), ("--yes", a.yes)) if on]  # fmt: skip
    if only_with_id and not a.id:
        raise InvalidInput(
            f"{', '.join(only_with_id)} needs the ID of a finding",
            "see the ids with `bwdc-tray adopt`",
        )
    if a.restore:
        return cmd_restore(paths, a, out)
    if a.backups:
        return cmd_backups(paths, a, out)
    if a.id:
        return cmd_adopt(paths, a, out, err, stdin)
    return cmd_list(paths, a, out)
