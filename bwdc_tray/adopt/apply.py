"""Import one Finding as an instance, and (only when asked) replace its old job with ours.

Importing keeps the old job's log as the instance's log, so its runs stay the history (`status`
shows them with source "foreign" until bwdc-tray's own runs follow). The old schedule is recorded
in the instance's ``adopted`` entry, not as its schedule: installing our job beside the old one
would sync the same data folder twice, and `schedule sync` would install a schedule it found.

Replacing (``replace=True``) is the one place where bwdc-tray touches a job that is not its own
(DESIGN §8), so it goes: check everything first, write a backup of exactly what goes (0600, under
``<state>/adopt-backups/``), remove exactly the old job, install ours through `apply_schedule`;
if ours cannot be installed, the old job is put back from the backup. `restore` is the undo: it
clears the instance's schedule (removing our job) and puts the old job back as it was. The instance
itself stays, with its history, as after a plain import.

Secrets are never read from the recipe: the result says to store them with `secret set`.
Messages are plain English, like the CLI's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import plistlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bwdc_tray.adopt.model import Finding
from bwdc_tray.config import NAME_RE, USER_RE, ConfigStore, Instance, _key, find_clash
from bwdc_tray.errors import BwdcTrayError, EnvironmentProblem, InvalidInput
from bwdc_tray.fsutil import atomic_write_bytes, ensure_private_dir
from bwdc_tray.oscmd import CommandNotFound, CommandRunner, run_command
from bwdc_tray.paths import Paths

BACKUP_DIR = "adopt-backups"
BACKUP_VERSION = 1
ADOPTED_KEY = "adopted"  # the instance's extra entry: where it came from, what was replaced
# Folder names that say nothing about the instance: bwdc's default data folders.
_GENERIC = {"bitwarden directory connector", "bitwarden-directory-connector", "data", "bwdc"}


class AdoptRefused(InvalidInput):
    """Nothing was changed: the finding cannot be imported (or replaced) as asked."""


class JobChanged(AdoptRefused):
    """The old job is no longer exactly as discovered: nothing was removed."""


class RolledBack(EnvironmentProblem):
    """Our job could not be installed after the old one was removed: the old one is back."""


@dataclass
class Adopted:
    """What `adopt` did."""

    inst: Instance
    replaced: bool = False
    backup: Path | None = None
    done: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.inst.name,
            "appdata": str(self.inst.appdata),
            "log": str(self.inst.log_path),
            "bwdc": self.inst.bwdc,
            "schedule": self.inst.schedule,
            "run_as": self.inst.run_as,
            "replaced": self.replaced,
            "backup": str(self.backup) if self.backup else None,
            "done": self.done,
            "notes": self.notes,
            "warnings": self.warnings,
        }


# --- names ---------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-._").lower()
    return slug[:56]


def suggest_name(finding: Finding, taken: set[str]) -> str:
    """A valid, unused instance name from the data folder's name, else the script's."""
    candidates: list[str] = ["desktop-app"] if finding.kind == "desktop-app" else []
    if finding.appdata and not candidates:
        folder = Path(finding.appdata).name
        if folder.lower() not in _GENERIC:
            candidates.append(folder)
    if finding.script:
        candidates.append(Path(finding.script).stem)
    if finding.appdata and not candidates:
        parent = Path(finding.appdata).parent.name
        if parent.lower() not in _GENERIC and parent not in ("", ".config", "Application Support"):
            candidates.append(parent)
    candidates.append("bwdc")
    base = next(s for c in candidates if (s := _slug(c)) and NAME_RE.fullmatch(s))
    lowered = {t.lower() for t in taken}
    if base.lower() not in lowered:
        return base
    n = 2
    while f"{base}-{n}".lower() in lowered:
        n += 1
    return f"{base}-{n}"


# --- helpers -------------------------------------------------------------------------------------


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _uid() -> int:
    getuid = getattr(os, "getuid", None)
    return int(getuid()) if getuid is not None else 0


def _current_user() -> str:
    from bwdc_tray.schedule.backends.crontab import current_user

    return current_user()


def _other_user(finding: Finding) -> str | None:
    """The account of the old job when it is not the current user's."""
    if finding.run_as and finding.run_as != _current_user():
        return finding.run_as
    return None


def _now_stamp() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S")


def backups_dir(paths: Paths) -> Path:
    return paths.state_dir / BACKUP_DIR


def _line_of(raw: str) -> str:
    return raw[:-1] if raw.endswith("\n") else raw


def _crontab_positions(text: str, raw: str) -> list[int]:
    """Indexes of the lines of ``text`` equal to the job's line (outside our blocks)."""
    from bwdc_tray.schedule.backends.crontab import split_blocks

    lines, blocks = split_blocks(text)
    ours = {i for start, stop in blocks.values() for i in range(start, stop)}
    # Discovery reports a line without its "\r" (a table edited on Windows): match it either way.
    want = _line_of(raw).rstrip("\r")
    return [
        i for i, line in enumerate(lines) if i not in ours and _line_of(line).rstrip("\r") == want
    ]


def _launchd_label(finding: Finding) -> str:
    try:
        data = plistlib.loads(finding.raw.encode("utf-8"))
    except Exception as exc:  # plistlib raises several types on junk
        raise AdoptRefused(
            f"the plist {finding.artifact_path} cannot be read ({exc}); nothing was changed",
            "replace the job by hand (launchctl bootout, then remove the plist)",
        ) from exc
    label = data.get("Label") if isinstance(data, dict) else None
    if not isinstance(label, str) or not label:
        raise AdoptRefused(
            f"the plist {finding.artifact_path} has no Label; nothing was changed",
            "replace the job by hand (launchctl bootout, then remove the plist)",
        )
    return label


def _launchd_domain(finding: Finding) -> str:
    path = Path(finding.artifact_path or "")
    if finding.run_as or path.parent.name == "LaunchDaemons":
        return "system"
    return f"gui/{_uid()}"


def _call(runner: CommandRunner, argv: list[str], what: str) -> tuple[int, str]:
    try:
        res = runner(argv)
    except CommandNotFound as exc:
        raise EnvironmentProblem(
            f"{argv[0]} was not found: {what} can only be done on the system that has it",
            "run bwdc-tray adopt on the machine where the job runs",
        ) from exc
    return res.returncode, (res.stderr or res.stdout).strip() or f"exit code {res.returncode}"


def _file_text(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


# --- checks before any change --------------------------------------------------------------------


def _check_old_job(finding: Finding, runner: CommandRunner) -> dict[str, Any]:
    """Raise (nothing changed) unless the old job is still exactly as discovered and we may
    remove it; return what the backup needs to put it back."""
    kind = finding.kind
    if kind == "crontab":
        from bwdc_tray.schedule.backends.crontab import CrontabBackend

        user = _other_user(finding)
        if user is not None and not _is_root():
            raise AdoptRefused(
                f"the old job is in {user}'s crontab, which only root can change; nothing was "
                "changed",
                "run `bwdc-tray adopt … --replace` as root (sudo), or import without --replace",
            )
        text = CrontabBackend(runner).read(user)
        found = _crontab_positions(text, finding.raw)
        if len(found) != 1:
            state = "is no longer there" if not found else f"is there {len(found)} times"
            raise JobChanged(
                f"the crontab line of {finding.location} {state}: the table changed since it was "
                f"discovered; nothing was changed (line: {_line_of(finding.raw)!r})",
                "run `bwdc-tray adopt` again to see the jobs as they are now",
            )
        # The line exactly as it is in the table, for putting it back byte for byte.
        line = _line_of(text.split("\n")[found[0]])
        return {"user": user, "index": found[0], "line": line}
    if kind in ("cron.d", "launchd"):
        if not finding.artifact_path:
            raise AdoptRefused(f"{finding.location}: the finding names no file; nothing changed")
        path = Path(finding.artifact_path)
        extra: dict[str, Any] = {}
        if kind == "cron.d" and not _is_root():
            raise AdoptRefused(
                f"{path} belongs to the system: only root can remove it; nothing was changed",
                "run `bwdc-tray adopt … --replace` as root (sudo), or import without --replace",
            )
        if kind == "launchd":
            extra = {"domain": _launchd_domain(finding), "label": _launchd_label(finding)}
            if extra["domain"] == "system" and not _is_root():
                raise AdoptRefused(
                    f"{path} is a LaunchDaemon: only root can remove it; nothing was changed",
                    "run `bwdc-tray adopt … --replace` as root (sudo), or import without --replace",
                )
        if _file_text(path) != finding.raw:
            raise JobChanged(
                f"{path} changed (or is gone) since it was discovered; nothing was changed",
                "run `bwdc-tray adopt` again to see the jobs as they are now",
            )
        return extra
    if kind == "taskscheduler":
        code, said = _call(
            runner, ["schtasks", "/Query", "/TN", finding.location], "a scheduled task's removal"
        )
        if code != 0:
            raise JobChanged(
                f"the task {finding.location} is no longer there ({said}); nothing was changed",
                "run `bwdc-tray adopt` again to see the jobs as they are now",
            )
        return {"task": finding.location}
    raise AdoptRefused(
        f"{finding.location} is the desktop app's data, not a job: there is nothing to replace",
        "import it without --replace, then set a schedule with `bwdc-tray schedule set NAME EXPR`",
    )


# --- backup, removal, putting back ---------------------------------------------------------------


def _write_backup(paths: Paths, finding: Finding, name: str, how: dict[str, Any]) -> Path:
    folder = ensure_private_dir(backups_dir(paths))
    stem = f"{_now_stamp()}-{finding.id}"
    n = 1
    while (folder / f"{stem}.json").exists():
        n += 1
        stem = f"{_now_stamp()}-{finding.id}-{n}"
    path = folder / f"{stem}.json"
    record: dict[str, Any] = {
        "version": BACKUP_VERSION,
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "instance": name,
        "id": finding.id,
        "kind": finding.kind,
        "location": finding.location,
        "artifact_path": finding.artifact_path,
        "run_as": finding.run_as,
        "raw": finding.raw,
        "restore": how,
        "restored": None,
        "finding": finding.to_json(),
    }
    if finding.kind in ("cron.d", "launchd"):
        assert finding.artifact_path
        record["restore"]["moved_to"] = str(folder / f"{stem}.{Path(finding.artifact_path).name}")
    if finding.kind == "taskscheduler":
        # The same XML, as a file Task Scheduler imports by hand (Action > Import Task…).
        xml = folder / f"{stem}.xml"
        atomic_write_bytes(xml, ("\ufeff" + finding.raw).encode("utf-16-le"))
        record["restore"]["xml_file"] = str(xml)
    _save_record(path, record)
    return path


def _save_record(path: Path, record: dict[str, Any]) -> None:
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(path, text.encode("utf-8", "surrogatepass"))


def _remove_old(record: dict[str, Any], runner: CommandRunner) -> str:
    """Remove exactly the old job; return what was done."""
    kind, how = record["kind"], record["restore"]
    if kind == "crontab":
        from bwdc_tray.schedule.backends.crontab import CrontabBackend

        backend = CrontabBackend(runner)
        user = how["user"]
        before = backend.read(user)
        found = _crontab_positions(before, record["raw"])
        if found != [how["index"]]:
            raise JobChanged(
                f"the crontab of {record['location']} changed while adopting; nothing was removed",
                "run `bwdc-tray adopt` again",
            )
        lines = before.split("\n")
        del lines[how["index"]]
        after = "\n".join(lines)
        # Confirmed and backed up: the table may be left with none of the user's lines.
        backend.write(after, before, user, removing_theirs=True)
        return f"removed the line from {record['location']}"
    if kind in ("cron.d", "launchd"):
        src, dst = Path(record["artifact_path"]), Path(how["moved_to"])
        if kind == "launchd":
            target = f"{how['domain']}/{how['label']}"
            code, said = _call(runner, ["launchctl", "bootout", target], "a launchd job's removal")
            if code != 0 and code not in (3, 36, 113) and "No such process" not in said:
                raise EnvironmentProblem(
                    f"`launchctl bootout {target}` failed: {said}; nothing was removed",
                    f"check `launchctl print {target}`",
                )
        shutil.move(src, dst)
        return f"moved {src} to {dst}" + (" (after launchctl bootout)" if kind == "launchd" else "")
    if kind == "taskscheduler":
        task = how["task"]
        code, said = _call(runner, ["schtasks", "/Delete", "/TN", task, "/F"], "a task's removal")
        if code != 0:
            raise EnvironmentProblem(
                f"Task Scheduler did not delete {task}: {said}; nothing was removed",
                "run bwdc-tray as the user who created the task or as an administrator",
            )
        return f"deleted the task {task} (its XML is in the backup)"
    raise AdoptRefused(f"backup of unknown kind {kind!r}")


def _put_back(record: dict[str, Any], runner: CommandRunner) -> str:
    """Put the old job back exactly as it was; return what was done."""
    kind, how = record["kind"], record["restore"]
    if kind == "crontab":
        from bwdc_tray.schedule.backends.crontab import CrontabBackend

        backend = CrontabBackend(runner)
        user = how["user"]
        before = backend.read(user)
        if _crontab_positions(before, record["raw"]):
            return f"the line is already in {record['location']}"
        lines = [line + "\n" for line in before.split("\n")]
        lines[-1] = lines[-1][:-1]
        if not lines[-1]:
            lines.pop()
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        at = min(int(how["index"]), len(lines))
        lines.insert(at, str(how.get("line", _line_of(record["raw"]))) + "\n")
        backend.write("".join(lines), before, user)
        return f"put the line back into {record['location']}"
    if kind in ("cron.d", "launchd"):
        dst, src = Path(record["artifact_path"]), Path(how["moved_to"])
        if dst.exists():
            if _file_text(dst) == record["raw"]:
                return f"{dst} is already back"
            raise AdoptRefused(
                f"{dst} exists and is not the file that was replaced; nothing was put back",
                f"move it away first; the old file is kept at {src}",
            )
        if not src.exists():
            raise EnvironmentProblem(
                f"the backed-up file {src} is gone; nothing was put back",
                f"recreate {dst} from the 'raw' text in the backup",
            )
        shutil.move(src, dst)
        if kind == "cron.d":
            return f"moved {dst} back"
        code, said = _call(
            runner, ["launchctl", "bootstrap", how["domain"], str(dst)], "a launchd job's restore"
        )
        if code != 0:
            return (
                f"moved {dst} back, but `launchctl bootstrap {how['domain']}` failed ({said}): "
                "launchd loads it at the next login or boot"
            )
        return f"moved {dst} back and loaded it (launchctl bootstrap {how['domain']})"
    if kind == "taskscheduler":
        task = how["task"]
        with tempfile.TemporaryDirectory(prefix="bwdc-tray-adopt-") as private:
            file = Path(private) / "task.xml"
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(("\ufeff" + record["raw"]).encode("utf-16-le"))
            code, said = _call(
                runner,
                ["schtasks", "/Create", "/XML", str(file), "/TN", task, "/F"],
                "a task's restore",
            )
        if code != 0:
            raise EnvironmentProblem(
                f"Task Scheduler did not register {task} again: {said}",
                f"import {how.get('xml_file')} in Task Scheduler (Action > Import Task…); a task "
                "that runs whether or not anyone is logged on asks for its password there",
            )
        return f"registered the task {task} again"
    raise AdoptRefused(f"backup of unknown kind {kind!r}")


# --- adopt ---------------------------------------------------------------------------------------


def _adopted_entry(finding: Finding, replaced: bool, backup: Path | None) -> dict[str, Any]:
    return {
        "id": finding.id,
        "kind": finding.kind,
        "location": finding.location,
        "schedule": finding.schedule,
        "schedule_text": finding.schedule_text,
        "run_as": finding.run_as,
        "replaced": replaced,
        "backup": str(backup) if backup else None,
    }


def _set_adopted(paths: Paths, name: str, entry: dict[str, Any]) -> Instance:
    with ConfigStore(paths).edit() as cfg:
        inst = cfg.get(name)
        inst = dataclasses.replace(inst, extra={**inst.extra, ADOPTED_KEY: entry})
        cfg.instances[name] = inst
    return inst


def _build(
    paths: Paths, finding: Finding, name: str, label: str | None, notes: list[str]
) -> Instance:
    from bwdc_tray import bwdc as bwdc_mod
    from bwdc_tray.instances import build_instance

    assert finding.appdata
    exe = ""
    if finding.bwdc:
        # A bare "bwdc" is whatever the job's PATH finds: the usual lookup does that here.
        named = finding.bwdc if os.sep in finding.bwdc else shutil.which(finding.bwdc)
        if named and bwdc_mod.check_executable(named) is None:
            exe = named
        elif os.sep in finding.bwdc:
            notes.append(
                f"the old job's program {finding.bwdc} cannot be run here: using the bwdc found "
                f"on this machine (change it with `bwdc-tray instance set {name} --bwdc PATH`)"
            )
    log = ""
    if finding.log:
        if Path(finding.log).is_absolute():
            log = finding.log
        else:
            notes.append(
                f"the old job's log {finding.log!r} is a relative path: the instance logs to "
                "<data folder>/bwdc.log (change it with `instance set NAME --log FILE`)"
            )
    inst = build_instance(name, finding.appdata, bwdc=exe, log=log, label=label or "")
    run_as = _other_user(finding)
    if run_as is not None:
        if USER_RE.fullmatch(run_as) and paths.home is not None:
            inst = dataclasses.replace(inst, run_as=run_as)
        else:
            notes.append(
                f"the old job runs as {run_as}; bwdc-tray's job would run as you: for a "
                "dedicated user, start bwdc-tray with --home (a machine-wide folder) and use "
                "`schedule set NAME EXPR --run-as USER`"
            )
    return inst


def _existing(paths: Paths, finding: Finding) -> Instance | None:
    assert finding.appdata
    folder = _key(Path(finding.appdata).expanduser().absolute())
    for inst in ConfigStore(paths).load().instances.values():
        if _key(inst.appdata) == folder:
            return inst
    return None


def imported_as(paths: Paths, finding: Finding) -> str | None:
    """The instance that already uses the finding's data folder, if any."""
    if not finding.appdata:
        return None
    existing = _existing(paths, finding)
    return existing.name if existing is not None else None


def adopt(
    paths: Paths,
    finding: Finding,
    name: str,
    *,
    replace: bool = False,
    runner: CommandRunner = run_command,
    label: str | None = None,
) -> Adopted:
    """Import ``finding`` as instance ``name``; with ``replace``, also replace its old job.

    Raises AdoptRefused (nothing changed) for a finding without a data folder, a data folder
    that is already an instance, an old job that changed since discovery, or one we may not
    remove; RolledBack when our job failed to install after the old one was removed (the old one
    is then back and the instance stays, imported without a schedule).
    """
    from bwdc_tray.schedule import backends, cron, manage

    if not finding.appdata:
        raise AdoptRefused(
            f"{finding.location}: no data folder was found for this job (it sets no "
            "BITWARDENCLI_CONNECTOR_APPDATA_DIR that could be read); nothing was imported",
            "add it by hand: `bwdc-tray instance add NAME --appdata DIR --log FILE`",
        )
    if replace and finding.kind == "desktop-app":
        raise AdoptRefused(
            "the desktop app's folder has no job to replace (the app syncs while it is open); "
            "nothing was changed",
            "import it without --replace, quit the desktop app and turn off its Interval sync, "
            "then `bwdc-tray schedule set NAME EXPR`",
        )
    existing = _existing(paths, finding)
    mine = existing is not None and existing.extra.get(ADOPTED_KEY, {}).get("id") == finding.id
    if existing is not None and not (mine and replace):
        if mine:
            raise AdoptRefused(
                f"{finding.location} is already imported as {existing.name!r}",
                f"to let bwdc-tray schedule it instead of the old job: `bwdc-tray adopt "
                f"{finding.id} --replace`",
            )
        raise AdoptRefused(
            f"the data folder {finding.appdata} is already used by the instance "
            f"{existing.name!r}: two instances must not share one data.json; nothing was imported",
            f"see `bwdc-tray instance show {existing.name}`; remove the old job by hand if "
            "bwdc-tray already schedules it",
        )
    if existing is not None and existing.extra.get(ADOPTED_KEY, {}).get("replaced"):
        raise AdoptRefused(
            f"{finding.location} was already replaced by bwdc-tray's job for {existing.name!r}",
            f"undo it with `bwdc-tray adopt --restore "
            f"{Path(existing.extra[ADOPTED_KEY].get('backup') or 'BACKUP').name}`",
        )
    notes: list[str] = []
    if existing is not None:
        inst = existing
        if name != existing.name:
            notes.append(f"{finding.location} was imported as {existing.name!r} before")
    else:
        inst = _build(paths, finding, name, label, notes)
        cfg = ConfigStore(paths).load()
        if inst.name in cfg.instances:
            raise AdoptRefused(
                f"an instance named {inst.name!r} already exists; nothing was imported",
                "pick another name with --name",
            )
        problem = find_clash(cfg, inst)
        if problem:
            raise AdoptRefused(problem + "; nothing was imported")
    out = Adopted(inst=inst, notes=notes)
    schedule = finding.schedule or (existing.schedule if existing is not None else None)
    how: dict[str, Any] = {}
    if replace:
        # Everything that can be checked is checked before the first change.
        if finding.part:
            raise AdoptRefused(
                f"{finding.location} runs several syncs and this is {finding.part}: replacing "
                "the job would also stop the others; nothing was changed",
                "import each of its syncs without --replace, then remove the old job by hand "
                "and give each instance its schedule with `bwdc-tray schedule set NAME EXPR`",
            )
        if schedule is None:
            raise AdoptRefused(
                f"the old schedule ({finding.schedule_text or 'unknown'}) has no cron form, so "
                "bwdc-tray cannot take it over as it is; nothing was changed",
                f"import without --replace, set a schedule with `bwdc-tray schedule set NAME EXPR "
                f"--no-apply`, then `bwdc-tray adopt {finding.id} --replace`",
            )
        cron.resolve(schedule, allow_frequent=True)
        old_other = _other_user(finding)
        if old_other is not None and inst.run_as is None:
            raise AdoptRefused(
                f"the old job runs as {old_other}, and bwdc-tray's job would run as you; nothing "
                "was changed",
                "start bwdc-tray with --home (a machine-wide folder the user can read) to keep "
                "that user, or import without --replace",
            )
        why_not = backends.unavailable_here(backends.get(inst.backend).name)
        if why_not:
            raise EnvironmentProblem(why_not + "; nothing was changed")
        if ConfigStore(paths).load().paused:
            raise AdoptRefused(
                "schedules are paused: the old job would be removed and bwdc-tray's not "
                "installed; nothing was changed",
                "resume them first (`bwdc-tray schedule resume`), or import without --replace",
            )
        how = _check_old_job(finding, runner)
    if existing is None:
        from bwdc_tray.instances import add_instance

        entry = _adopted_entry(finding, replaced=False, backup=None)
        inst = dataclasses.replace(inst, extra={**inst.extra, ADOPTED_KEY: entry})
        try:
            add_instance(paths, inst)
        except InvalidInput as exc:
            raise AdoptRefused(exc.message + "; nothing was imported", exc.remedy) from None
        out.done.append(f"added the instance {inst.name} (data folder {inst.appdata})")
        out.done.append(
            f"its log is {inst.log_path}: the old job's runs there stay its history"
            if finding.log
            else f"its log is {inst.log_path}"
        )
    out.inst = inst
    if not replace:
        if finding.kind == "desktop-app":
            out.notes.append(
                f"bwdc-tray installed no job for {inst.name}: quit the desktop app and turn off "
                f"its Interval sync first (the two must never use this folder at once), then "
                f"`{paths.cli()} schedule set {inst.name} EXPR`"
            )
        else:
            where = f" ({finding.schedule_text or finding.schedule})" if schedule else ""
            out.notes.append(
                f"the old job{where} keeps running and bwdc-tray installed no job for "
                f"{inst.name}: both would sync the same data folder. To let bwdc-tray schedule "
                f"it instead: `bwdc-tray adopt {finding.id} --replace`"
            )
        out.notes.append(_secrets_note(paths, inst.name))
        return out

    backup = _write_backup(paths, finding, inst.name, how)
    out.backup = backup
    record = _read_record(backup)
    # If this fails, nothing (or, at worst, part of one step) was removed: the backup stays,
    # and `adopt --restore` of it puts back whatever is missing.
    try:
        out.done.append(_remove_old(record, runner))
    except BwdcTrayError as exc:
        imported = f"; {inst.name} is imported, without a schedule" if existing is None else ""
        raise type(exc)(exc.message + imported, exc.remedy) from exc
    assert schedule is not None
    try:
        result = manage.apply_schedule(
            paths,
            inst.name,
            schedule,
            allow_frequent=True,
            backend=inst.backend,
            run_as=inst.run_as,
        )
    except BwdcTrayError as exc:
        raise _roll_back(paths, record, inst, runner, exc.message) from exc
    except OSError as exc:
        raise _roll_back(paths, record, inst, runner, str(exc)) from exc
    out.warnings += result.warnings
    out.notes += result.notes
    out.replaced = True
    out.done.append(f"installed bwdc-tray's job for {inst.name} ({schedule})")
    out.inst = _set_adopted(paths, inst.name, _adopted_entry(finding, True, backup))
    out.done.append(f"backup of the old job: {backup}")
    out.notes.append(f"to undo: {paths.cli()} adopt --restore {backup.name}")
    out.notes.append(_secrets_note(paths, inst.name))
    return out


def _secrets_note(paths: Paths, name: str) -> str:
    return (
        f"no secret was read from the old setup: store the API key with `{paths.cli()} secret "
        f"set {name}` before bwdc-tray's first run"
    )


def _roll_back(
    paths: Paths, record: dict[str, Any], inst: Instance, runner: CommandRunner, why: str
) -> RolledBack:
    from bwdc_tray.schedule import backends, jobs

    # If ours got in before the failure (the config save failed), take it out again.
    with contextlib.suppress(BwdcTrayError, OSError):
        backends.get(inst.backend).remove(jobs.job_id(paths, inst.name), inst.run_as)
    try:
        back = _put_back(record, runner)
    except (BwdcTrayError, OSError) as exc:
        detail = exc.message if isinstance(exc, BwdcTrayError) else str(exc)
        return RolledBack(
            f"bwdc-tray's job for {inst.name} could not be installed ({why}), and putting the old "
            f"job back failed too ({detail})",
            f"put it back with `{paths.cli()} adopt --restore {Path(record['_file']).name}`",
        )
    _mark_restored(record)
    return RolledBack(
        f"bwdc-tray's job for {inst.name} could not be installed ({why}); the old job was put "
        f"back ({back}). {inst.name} stays imported, without a schedule",
        f"fix the problem above, then run `{paths.cli()} adopt {record['id']} --replace` again",
    )


# --- restore / list ------------------------------------------------------------------------------


def _read_record(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(
            f"no backup {path}",
            "see the backups with `bwdc-tray adopt --backups`",
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EnvironmentProblem(
            f"the backup {path} cannot be read: {exc}", "check the file; it was not changed"
        ) from exc
    if not isinstance(record, dict) or record.get("version") != BACKUP_VERSION:
        raise EnvironmentProblem(f"{path} is not a bwdc-tray adopt backup")
    record["_file"] = str(path)
    return record


def _mark_restored(record: dict[str, Any]) -> None:
    path = Path(record.pop("_file"))
    record["restored"] = datetime.now().astimezone().isoformat(timespec="seconds")
    _save_record(path, record)
    record["_file"] = str(path)


def find_backup(paths: Paths, backup: str) -> Path:
    """A backup named by its path, its file name, or its file name without .json."""
    given = Path(backup).expanduser()
    if given.is_file():
        return given
    folder = backups_dir(paths)
    for candidate in (folder / backup, folder / f"{backup}.json"):
        if candidate.is_file() and candidate.suffix == ".json":
            return candidate
    known = ", ".join(b["file"] for b in list_backups(paths)) or "none"
    raise InvalidInput(
        f"no backup {backup!r} (backups: {known})",
        "see them with `bwdc-tray adopt --backups`",
    )


def restore(paths: Paths, backup: str, runner: CommandRunner = run_command) -> list[str]:
    """Undo a replacement: clear the instance's schedule (our job goes), put the old job back
    exactly as it was. The instance stays, as after a plain import. Returns what was done."""
    from bwdc_tray.schedule import manage

    path = find_backup(paths, backup)
    record = _read_record(path)
    if record.get("restored"):
        raise InvalidInput(
            f"the backup {path.name} was already restored ({record['restored']})",
            "nothing to do; see `bwdc-tray adopt --backups`",
        )
    done: list[str] = []
    name = record.get("instance")
    cfg = ConfigStore(paths).load()
    inst = cfg.instances.get(name) if isinstance(name, str) else None
    if inst is not None and inst.schedule is not None:
        removed = manage.clear_schedule(paths, inst.name)
        done.append(
            f"cleared the schedule of {inst.name}"
            + (" and removed bwdc-tray's job" if removed else "")
        )
    try:
        done.append(_put_back(record, runner))
    except (BwdcTrayError, OSError):
        if inst is not None and inst.schedule is not None:
            with contextlib.suppress(BwdcTrayError, OSError):
                manage.apply_schedule(
                    paths, inst.name, inst.schedule, allow_frequent=True,
                    backend=inst.backend, run_as=inst.run_as,
                )  # fmt: skip
        raise
    _mark_restored(record)
    if inst is not None:
        entry = dict(inst.extra.get(ADOPTED_KEY) or {})
        entry.update(replaced=False, backup=None)
        with ConfigStore(paths).edit() as fresh:
            if name in fresh.instances:
                current = fresh.instances[name]
                fresh.instances[name] = dataclasses.replace(
                    current, extra={**current.extra, ADOPTED_KEY: entry}
                )
        done.append(
            f"{inst.name} stays, without a schedule (its log and history are kept); remove it "
            f"with `{paths.cli()} instance remove {inst.name}` if it is no longer wanted"
        )
    return done


def list_backups(paths: Paths) -> list[dict[str, Any]]:
    """The adopt backups, oldest first: file, created, kind, location, instance, restored."""
    folder = backups_dir(paths)
    out: list[dict[str, Any]] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(record, dict):
            continue
        out.append(
            {
                "file": path.name,
                "path": str(path),
                "created": record.get("created"),
                "kind": record.get("kind"),
                "location": record.get("location"),
                "instance": record.get("instance"),
                "restored": record.get("restored"),
            }
        )
    return out
