"""Finding the bwdc jobs already on this machine, and the desktop app's data.

Looks at the user's crontab, /etc/cron.d, (as root) the crontabs of `bwdc` and of the users
named in /etc/cron.d, launchd plists (macOS), Task Scheduler tasks (Windows), and the desktop
app's default data folder. Read-only: every OS command goes through the runner, scripts are read
as text, nothing is executed, no secret is read. bwdc-tray's own jobs are left out.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwdc_tray.adopt.model import Finding, Kind
from bwdc_tray.adopt.recipe import (
    APP_FOLDER,
    BwdcCall,
    Context,
    OsName,
    Recipe,
    default_appdata,
    read_argv,
    read_command,
    read_file,
    split_windows_args,
)
from bwdc_tray.oscmd import CommandNotFound, CommandRunner, run_command
from bwdc_tray.paths import Paths

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

KIND_ORDER: dict[str, int] = {
    "crontab": 0,
    "cron.d": 1,
    "launchd": 2,
    "taskscheduler": 3,
    "desktop-app": 4,
}
DEDICATED_USER = "bwdc"  # the user Bitwarden's recipe creates
SYSTEM_PROFILE = "C:\\Windows\\System32\\config\\systemprofile"

DESKTOP_APP_NOTE = (
    "the desktop app and a scheduled CLI must never use this folder at the same time: both "
    "write its data.json (one overwrites the other's settings and sync state), and from "
    "v2026.6 the app, at start-up, clears the keychain tokens whenever its data.json has no "
    "organizationId, which logs every CLI instance of this user out; quit the desktop app "
    "and turn off its Interval sync before scheduling this folder"
)
UNINSTALL_NOTE = (
    "uninstalling the Windows desktop app deletes this folder "
    "(%APPDATA%\\Bitwarden Directory Connector): keep a copy, or move the instance elsewhere"
)


def _os_name(platform: str) -> OsName:
    if platform.startswith("win"):
        return "win32"
    if platform == "darwin":
        return "darwin"
    return "linux"


def _pwd_home(user: str) -> str | None:
    try:
        import pwd

        return pwd.getpwnam(user).pw_dir
    except (ImportError, KeyError):
        return None


def _euid_is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


@dataclass
class _Env:
    """Everything discover() was given, for the helpers."""

    runner: CommandRunner
    os_name: OsName
    user: str
    home: str
    env: Mapping[str, str]
    user_home: Callable[[str], str | None]
    read: Callable[[str], str | None]

    def ctx(self, **kw: Any) -> Context:
        """A recipe context that reads scripts through our reader."""
        return Context(read=self.read, **kw)

    def home_of(self, user: str | None) -> str | None:
        if user is None or user == self.user:
            return self.home
        return self.user_home(user)

    def call(self, argv: Sequence[str]) -> tuple[int, str, str] | None:
        try:
            res = self.runner(argv)
        except (CommandNotFound, OSError):
            return None
        return res.returncode, res.stdout, res.stderr


# --- turning a recipe into findings -------------------------------------------------------------


def _findings(
    recipe: Recipe,
    *,
    kind: Kind,
    location: str,
    raw: str,
    artifact_path: str | None,
    run_as: str | None,
    schedule: str | None,
    schedule_text: str,
    command: str,
    notes: Sequence[str] = (),
    no_log_note: str | None = None,
) -> list[Finding]:
    syncs = recipe.syncs
    script = recipe.scripts[0] if recipe.scripts else None
    base_notes = [*notes, *recipe.notes]
    if not syncs:
        if not recipe.suspect:
            return []
        return [
            Finding(
                kind=kind,
                location=location,
                raw=raw,
                artifact_path=artifact_path,
                run_as=run_as,
                schedule=schedule,
                schedule_text=schedule_text,
                command=command,
                script=script,
                notes=tuple(_unique(base_notes)),
            )
        ]
    out = []
    logins = recipe.logins
    for k, call in enumerate(syncs, 1):
        part = "" if len(syncs) == 1 else f"sync {k} of {len(syncs)} ({call.where})"
        call_notes = [*base_notes, *call.notes]
        if call.log is None and no_log_note and not any("thrown away" in n for n in call.notes):
            call_notes.append(no_log_note)
        if logins and not any(_same_folder(c, call) for c in logins):
            call_notes.append("it logs in to bwdc elsewhere than in this data folder")
        out.append(
            Finding(
                kind=kind,
                location=location,
                part=part,
                raw=raw,
                artifact_path=artifact_path,
                run_as=run_as,
                schedule=schedule,
                schedule_text=schedule_text,
                command=command,
                script=script,
                bwdc=call.program,
                appdata=call.appdata,
                log=call.log,
                notes=tuple(_unique(call_notes)),
            )
        )
    return out


def _same_folder(a: BwdcCall, b: BwdcCall) -> bool:
    return a.appdata == b.appdata


def _unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


# --- cron ---------------------------------------------------------------------------------------

_ENV_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
_OUR_BLOCK_BEGIN = re.compile(r"^# BEGIN bwdc-tray (\S+)")
_OUR_BLOCK_END = re.compile(r"^# END bwdc-tray (\S+)")


def cron_schedule(spec: str) -> tuple[str | None, list[str]]:
    """A crontab line's time fields as our canonical expression, or None, with notes."""
    from bwdc_tray.errors import BwdcTrayError
    from bwdc_tray.schedule import cron

    low = spec.strip().lower()
    if low == "@reboot":
        return None, [
            "runs at boot (@reboot), not at set times: choose a schedule when adopting it"
        ]
    try:
        parsed = cron.parse(spec)
    except (BwdcTrayError, ValueError) as exc:
        return None, [f"its schedule {spec!r} has no exact 5-field cron form here: {exc}"]
    notes = []
    if parsed.min_gap_minutes() < cron.MIN_INTERVAL_MINUTES:
        notes.append(
            f"it runs every {parsed.min_gap_minutes()} minute(s), more often than "
            f"bwdc-tray's {cron.MIN_INTERVAL_MINUTES}-minute floor"
        )
    return parsed.text, notes


def _unquote_env(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _cron_command(text: str) -> str:
    """What cron hands to the shell: up to the first unescaped %, with \\% made %."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("\\%", i):
            out.append("%")
            i += 2
            continue
        if text[i] == "%":
            break
        out.append(text[i])
        i += 1
    return "".join(out)


def _our_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside bwdc-tray's own blocks (tolerant of broken blocks)."""
    ours: set[int] = set()
    open_at: int | None = None
    for i, line in enumerate(lines):
        if _OUR_BLOCK_BEGIN.match(line):
            open_at = i
        elif _OUR_BLOCK_END.match(line) and open_at is not None:
            ours.update(range(open_at, i + 1))
            open_at = None
    if open_at is not None:
        ours.update(range(open_at, len(lines)))
    return ours


def _is_ours(command: str) -> bool:
    # Our jobs run `bwdc-tray run NAME` (or `python -m bwdc_tray run NAME`).
    return bool(re.search(r"(^|[\s/\\'\"])(bwdc-tray|bwdc_tray)(\.exe)?['\"]?\s+(.*\s)?run\b",
                          command))  # fmt: skip


def cron_table(
    text: str,
    ctx: _Env,
    *,
    kind: Kind,
    owner: str,
    where: str,
    artifact_path: str | None,
    user_field: bool,
    whole_file: bool = False,
) -> list[Finding]:
    """The findings of one crontab (``user_field``: the /etc/cron.d format). A finding's raw
    text is its line, or with ``whole_file`` (cron.d) the whole file, exactly as read."""
    lines = text.split("\n")
    ours = _our_lines(lines)
    cron_env: dict[str, str] = {}
    out: list[Finding] = []
    for i, raw_line in enumerate(lines):
        line = raw_line.rstrip("\r")
        body = line.strip()
        if i in ours or not body or body.startswith("#"):
            continue
        if not (body[0].isdigit() or body[0] in "*@"):
            m = _ENV_LINE.match(body)
            if m:
                cron_env[m.group(1)] = _unquote_env(m.group(2))
            continue
        parts = body.split(None, 1 if body.startswith("@") else 5)
        if body.startswith("@"):
            spec, rest = parts[0], parts[1] if len(parts) > 1 else ""
        else:
            if len(parts) < 6:
                continue
            spec, rest = " ".join(parts[:5]), parts[5]
        user = owner
        if user_field:
            bits = rest.split(None, 1)
            if len(bits) < 2:
                continue
            user, rest = bits
        command = _cron_command(rest).strip()
        if _is_ours(command):
            continue
        home = cron_env.get("HOME") or ctx.home_of(user)
        job_env = {**cron_env}
        if home:
            job_env.setdefault("HOME", home)
        job_env.setdefault("LOGNAME", user)
        job_env.setdefault("USER", user)
        rctx = ctx.ctx(os_name=ctx.os_name, home=home, user=user, cwd=home, env=job_env)
        recipe = read_command(command, rctx)
        if not recipe.syncs and not recipe.suspect:
            continue
        schedule, sched_notes = cron_schedule(spec)
        notes = list(sched_notes)
        if home is None:
            notes.append(f"the home folder of {user} is unknown here: ~ and $HOME stay unresolved")
        out.extend(
            _findings(
                recipe,
                kind=kind,
                location=f"{where}, line {i + 1}",
                raw=text if whole_file else line,
                artifact_path=artifact_path,
                run_as=None if user == ctx.user else user,
                schedule=schedule,
                schedule_text=spec,
                command=command,
                notes=notes,
                no_log_note="it writes no log file: cron mails its output to the user (MAILTO)",
            )
        )
    return out


def _crontab_of(ctx: _Env, user: str | None) -> str | None:
    argv = ["crontab", "-l"] if user is None else ["crontab", "-u", user, "-l"]
    res = ctx.call(argv)
    if res is None:
        return None
    code, out, _err = res
    if code != 0:
        return None  # "no crontab for X", an unknown user, or no right to read it
    return out


def _cron_d_files(etc: Path) -> list[Path]:
    folder = etc / "cron.d"
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return []
    skip = ("~", ".dpkg-old", ".dpkg-dist", ".dpkg-new", ".rpmsave", ".rpmnew", ".swp")
    return [
        p for p in files if not p.name.endswith(skip) and not p.name.startswith((".", "bwdc-tray"))
    ]


def _cron_d_users(text: str) -> set[str]:
    users: set[str] = set()
    for line in text.split("\n"):
        body = line.strip()
        if not body or not (body[0].isdigit() or body[0] in "*@"):
            continue
        parts = body.split()
        idx = 1 if body.startswith("@") else 5
        if len(parts) > idx + 1:
            users.add(parts[idx])
    return users


def discover_cron(ctx: _Env, etc: Path, is_root: bool) -> list[Finding]:
    out: list[Finding] = []
    mine = _crontab_of(ctx, None)
    if mine:
        out += cron_table(
            mine, ctx, kind="crontab", owner=ctx.user, where=f"crontab of {ctx.user}",
            artifact_path=None, user_field=False,
        )  # fmt: skip
    users: set[str] = {DEDICATED_USER}
    for path in _cron_d_files(etc):
        try:
            with path.open(encoding="utf-8", errors="replace", newline="") as fh:
                text = fh.read()
        except OSError:
            continue
        users |= _cron_d_users(text)
        found = cron_table(
            text, ctx, kind="cron.d", owner="root", where=str(path),
            artifact_path=str(path), user_field=True, whole_file=True,
        )  # fmt: skip
        if "." in path.name:
            found = [
                _with_note(f, "Debian's cron ignores /etc/cron.d files whose names hold a dot")
                for f in found
            ]
        out += found
    if is_root:
        for user in sorted(users - {ctx.user, "root"}):
            table = _crontab_of(ctx, user)
            if table:
                out += cron_table(
                    table, ctx, kind="crontab", owner=user, where=f"crontab of {user}",
                    artifact_path=None, user_field=False,
                )  # fmt: skip
    return out


def _with_note(f: Finding, note: str) -> Finding:
    return replace(f, notes=(*f.notes, note))


# --- launchd ------------------------------------------------------------------------------------

_CAL_KEYS = ("Minute", "Hour", "Day", "Month", "Weekday")
_CAL_RANGES = {"Minute": (0, 59), "Hour": (0, 23), "Day": (1, 31), "Month": (1, 12),
               "Weekday": (0, 7)}  # fmt: skip


def _field(values: set[int] | None, low: int = 0, high: int = -1) -> str:
    """A cron field: ``*``, ``*/n`` when the values step evenly through the whole range, or a
    list (cron.parse canonicalises it)."""
    if values is None:
        return "*"
    ordered = sorted(values)
    if len(ordered) > 1 and high > low and ordered[0] == low:
        step = ordered[1] - ordered[0]
        if ordered == list(range(low, high + 1, step)) and (high - low + 1) % step == 0:
            return f"*/{step}"
    return ",".join(str(v) for v in ordered)


def _product(entries: list[dict[str, int]], keys: Sequence[str]) -> dict[str, set[int]] | None:
    """The per-key value sets when ``entries`` are exactly their Cartesian product."""
    sets = {k: {e[k] for e in entries} for k in keys}
    size = 1
    for values in sets.values():
        size *= len(values)
    distinct = {tuple(e[k] for k in keys) for e in entries}
    if len(distinct) != size:
        return None
    return sets


def calendar_to_cron(value: Any) -> str | None:
    """StartCalendarInterval (one dict or a list of dicts) as a cron expression, when exact."""
    entries_raw = value if isinstance(value, list) else [value]
    entries: list[dict[str, int]] = []
    for e in entries_raw:
        if not isinstance(e, dict) or set(e) - set(_CAL_KEYS):
            return None
        entry: dict[str, int] = {}
        for key, v in e.items():
            if not isinstance(v, int) or isinstance(v, bool):
                return None
            low, high = _CAL_RANGES[key]
            if not low <= v <= high:
                return None  # launchd takes it as a wildcard: not what the author meant
            entry[key] = 0 if key == "Weekday" and v == 7 else v
        if "Day" in entry and "Weekday" in entry:
            return None  # macOS ANDs them, cron ORs them
        entries.append(entry)
    if not entries:
        return None
    groups: dict[frozenset[str], list[dict[str, int]]] = {}
    for e in entries:
        groups.setdefault(frozenset(e), []).append(e)
    prods: list[dict[str, set[int]]] = []
    for keys, group in groups.items():
        prod = _product(group, sorted(keys))
        if prod is None:
            return None
        prods.append(prod)
    if len(prods) == 1:
        p = prods[0]
        text = " ".join(
            (_field(p.get("Minute"), 0, 59), _field(p.get("Hour"), 0, 23), _field(p.get("Day")),
             _field(p.get("Month")), _field(p.get("Weekday")))
        )  # fmt: skip
    elif len(prods) == 2:
        # cron's day-of-month OR day-of-week, as two families of entries.
        a, b = prods
        if "Day" in b:
            a, b = b, a
        common = ("Minute", "Hour", "Month")
        if not ("Day" in a and "Weekday" in b and "Weekday" not in a and "Day" not in b):
            return None
        if any(a.get(k) != b.get(k) for k in common):
            return None
        text = " ".join(
            (_field(a.get("Minute"), 0, 59), _field(a.get("Hour"), 0, 23), _field(a["Day"]),
             _field(a.get("Month")), _field(b["Weekday"]))
        )  # fmt: skip
    else:
        return None
    return _canonical(text)


def _canonical(text: str) -> str | None:
    from bwdc_tray.errors import BwdcTrayError
    from bwdc_tray.schedule import cron

    try:
        return cron.parse(text).text
    except (BwdcTrayError, ValueError):
        return None


def interval_to_cron(seconds: int) -> str | None:
    """StartInterval as cron, when it divides an hour or a day evenly into whole minutes."""
    if seconds <= 0 or seconds % 60:
        return None
    minutes = seconds // 60
    if minutes < 60 and 60 % minutes == 0:
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    if minutes % 60 == 0:
        hours = minutes // 60
        if hours == 24:
            return "0 0 * * *"
        if hours < 24 and 24 % hours == 0:
            return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    return None


def launchd_schedule(plist: Mapping[str, Any]) -> tuple[str | None, str, list[str]]:
    notes: list[str] = []
    if "StartCalendarInterval" in plist:
        value = plist["StartCalendarInterval"]
        expr = calendar_to_cron(value)
        text = f"StartCalendarInterval {_short(value)}"
        if expr is None:
            notes.append("its StartCalendarInterval has no exact cron form")
        return expr, text, notes
    if "StartInterval" in plist:
        seconds = plist["StartInterval"]
        text = f"StartInterval {seconds}s"
        expr = interval_to_cron(seconds) if isinstance(seconds, int) else None
        if expr is not None:
            notes.append(
                "StartInterval counts from when the job was loaded; the cron form runs as "
                "often, on the clock"
            )
        return expr, text, notes
    bits = []
    if plist.get("RunAtLoad"):
        bits.append("at load (login or boot)")
    if plist.get("KeepAlive"):
        bits.append("kept alive")
    if plist.get("WatchPaths") or plist.get("QueueDirectories"):
        bits.append("when files change")
    return None, ", ".join(bits) or "no schedule", notes


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _launchd_dirs(home: str, root: Path | None, darwin: bool) -> list[tuple[Path, str]]:
    if root is None and not darwin:
        return []
    base = root if root is not None else Path("/")
    return [
        (Path(home) / "Library" / "LaunchAgents", "agent"),
        (base / "Library" / "LaunchAgents", "global-agent"),
        (base / "Library" / "LaunchDaemons", "daemon"),
    ]


def discover_launchd(ctx: _Env, root: Path | None) -> list[Finding]:
    import plistlib

    from bwdc_tray.schedule.backends.launchd import LABEL_PREFIX

    out: list[Finding] = []
    for folder, where in _launchd_dirs(ctx.home, root, ctx.os_name == "darwin"):
        try:
            files = sorted(p for p in folder.iterdir() if p.suffix == ".plist")
        except OSError:
            continue
        for path in files:
            if path.name.startswith(LABEL_PREFIX):
                continue
            try:
                data = path.read_bytes()
                plist = plistlib.loads(data)
            except (OSError, ValueError, plistlib.InvalidFileException):
                continue
            if not isinstance(plist, dict) or str(plist.get("Label", "")).startswith(LABEL_PREFIX):
                continue
            out += _launchd_job(path, data, plist, where, ctx)
    return out


def _launchd_job(
    path: Path, data: bytes, plist: dict[str, Any], where: str, ctx: _Env
) -> list[Finding]:
    import plistlib

    args = plist.get("ProgramArguments")
    argv = [str(a) for a in args] if isinstance(args, list) else []
    program = plist.get("Program")
    if isinstance(program, str):
        argv = [program, *argv[1:]] if argv else [program]
    if not argv:
        return []
    notes: list[str] = []
    user_name = plist.get("UserName") if where == "daemon" else None
    run_as: str | None = str(user_name) if user_name else ("root" if where == "daemon" else None)
    if where == "global-agent":
        notes.append("a LaunchAgent in /Library: it runs for every user who logs in")
    if run_as == ctx.user:
        run_as = None
    home = ctx.home_of(run_as) if run_as != "root" else "/var/root"
    env_raw = plist.get("EnvironmentVariables")
    env = {str(k): str(v) for k, v in env_raw.items()} if isinstance(env_raw, dict) else {}
    if home:
        env.setdefault("HOME", home)
    cwd = plist.get("WorkingDirectory")
    stdout = plist.get("StandardOutPath")
    stderr = plist.get("StandardErrorPath")
    rctx = ctx.ctx(
        os_name="darwin",
        home=home,
        user=run_as or ctx.user,
        cwd=str(cwd) if isinstance(cwd, str) else "/",
        env=env,
        log=str(stdout) if isinstance(stdout, str) else None,
    )
    recipe = read_argv(argv, rctx)
    if not recipe.syncs and not recipe.suspect:
        return []
    if isinstance(stderr, str) and stderr != stdout:
        notes.append(f"errors go to another file: {stderr}")
    if plist.get("Disabled"):
        notes.append("the job is disabled (Disabled key)")
    schedule, schedule_text, sched_notes = launchd_schedule(plist)
    try:
        raw = data.decode("utf-8")
        if raw.startswith("bplist"):
            raise UnicodeDecodeError("utf-8", data, 0, 1, "binary plist")
    except UnicodeDecodeError:
        raw = plistlib.dumps(plist, fmt=plistlib.FMT_XML).decode("utf-8")
        notes.append("a binary plist, shown here as XML")
    return _findings(
        recipe,
        kind="launchd",
        location=str(path),
        raw=raw,
        artifact_path=str(path),
        run_as=run_as,
        schedule=schedule,
        schedule_text=schedule_text,
        command=" ".join(_sh_quote(a) for a in argv),
        notes=[*notes, *sched_notes],
        no_log_note="it writes no log file: launchd discards its output (no StandardOutPath)",
    )


def _sh_quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


# --- Task Scheduler -----------------------------------------------------------------------------

_TASK_CHUNK = re.compile(r"(?:<!--\s*(\\[^>]*?)\s*-->\s*)?(<Task\b.*?</Task>)", re.S)
_BOUNDARY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(.*)$")
_WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_OTHER_TRIGGERS = {
    "LogonTrigger": "at logon",
    "BootTrigger": "at startup",
    "IdleTrigger": "when idle",
    "EventTrigger": "on an event",
    "RegistrationTrigger": "when registered",
    "SessionStateChangeTrigger": "on a session change",
}


def _local(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def _child(el: ET.Element | None, *names: str) -> ET.Element | None:
    for name in names:
        if el is None:
            return None
        el = next((c for c in el if _local(c) == name), None)
    return el


def _text(el: ET.Element | None, *names: str) -> str | None:
    found = _child(el, *names) if names else el
    if found is None or found.text is None:
        return None
    return found.text.strip()


def split_tasks(text: str) -> list[tuple[str | None, str]]:
    """(path, XML) of each task in `schtasks /Query /XML [ONE]` output or one exported task."""
    cleaned = text.lstrip("\ufeff")
    if "\x00" in cleaned:
        cleaned = cleaned.replace("\x00", "").lstrip("\ufeff\ufffe\xff\xfe")
    return [(m.group(1), m.group(2)) for m in _TASK_CHUNK.finditer(cleaned)]


@dataclass(frozen=True)
class _Days:
    dom: frozenset[int] | None
    months: frozenset[int] | None
    dow: frozenset[int] | None


def _trigger_times(start: int, trig: ET.Element) -> tuple[set[int] | None, str]:
    """Minutes of the day a trigger fires, from its start time and Repetition."""
    from bwdc_tray.schedule.backends.taskscheduler import duration_seconds

    interval_text = _text(trig, "Repetition", "Interval")
    if interval_text is None:
        return {start}, ""
    interval = duration_seconds(interval_text)
    duration_text = _text(trig, "Repetition", "Duration")
    duration = duration_seconds(duration_text) if duration_text else None
    desc = f", every {interval_text}" + (f" for {duration_text}" if duration_text else "")
    if interval is None or interval % 60 or interval <= 0:
        return None, desc
    step = interval // 60
    if duration is None or duration >= 86400:
        if 1440 % step:
            return None, desc
        return {(start + k * step) % 1440 for k in range(1440 // step)}, desc
    if duration % 60:
        return None, desc
    span = duration // 60
    times = {start + k * step for k in range(span // step + 1)}
    if max(times) >= 1440:
        return None, desc  # runs on past midnight into the next day
    return times, desc


def _days_of(trig: ET.Element) -> tuple[_Days | None, str]:
    by_day = _child(trig, "ScheduleByDay")
    if by_day is not None:
        n = _text(by_day, "DaysInterval") or "1"
        return (_Days(None, None, None), "daily") if n == "1" else (None, f"every {n} days")
    by_week = _child(trig, "ScheduleByWeek")
    if by_week is not None:
        n = _text(by_week, "WeeksInterval") or "1"
        names = [_local(c) for c in (_child(by_week, "DaysOfWeek") or [])]
        days = frozenset(_WEEKDAYS.index(d) for d in names if d in _WEEKDAYS)
        desc = "weekly on " + ", ".join(names)
        if n != "1":
            return None, f"every {n} weeks on " + ", ".join(names)
        return _Days(None, None, days), desc
    by_month = _child(trig, "ScheduleByMonth")
    if by_month is not None:
        day_texts = [(c.text or "").strip() for c in (_child(by_month, "DaysOfMonth") or [])]
        months = frozenset(
            _MONTHS.index(_local(c)) + 1
            for c in (_child(by_month, "Months") or [])
            if _local(c) in _MONTHS
        )
        desc = "monthly on day " + ",".join(day_texts)
        if not day_texts or not all(d.isdigit() for d in day_texts):
            return None, desc
        return _Days(frozenset(int(d) for d in day_texts), months or None, None), desc
    if _child(trig, "ScheduleByMonthDayOfWeek") is not None:
        return None, "monthly on the Nth weekday"
    return None, "on a calendar"


def task_schedule(triggers: ET.Element | None) -> tuple[str | None, str, list[str]]:
    """A task's triggers as one cron expression when exactly representable."""
    descs: list[str] = []
    notes: list[str] = []
    exact = True
    families: dict[_Days, set[int]] = {}
    for trig in list(triggers) if triggers is not None else []:
        name = _local(trig)
        if _text(trig, "Enabled") == "false":
            descs.append(f"{name} (disabled)")
            continue
        if name not in ("CalendarTrigger", "TimeTrigger"):
            descs.append(_OTHER_TRIGGERS.get(name, name))
            exact = False
            continue
        m = _BOUNDARY.match(_text(trig, "StartBoundary") or "")
        if not m:
            descs.append(name)
            exact = False
            continue
        hh, mm, ss, zone = int(m.group(4)), int(m.group(5)), int(m.group(6)), m.group(8)
        at = f"{hh:02d}:{mm:02d}"
        if zone:
            notes.append(f"a trigger's start time is fixed to {zone} rather than local time")
            exact = False
        if ss:
            exact = False
        if _text(trig, "RandomDelay"):
            notes.append("a trigger has a random delay")
            exact = False
        times, rep = _trigger_times(hh * 60 + mm, trig)
        if name == "TimeTrigger":
            if _child(trig, "Repetition") is None or _text(trig, "Repetition", "Duration"):
                descs.append(f"once at {m.group(0)[:16].replace('T', ' ')}{rep}")
                exact = False
                continue
            days: _Days | None = _Days(None, None, None)
            desc = f"from {m.group(0)[:16].replace('T', ' ')}{rep}"
        else:
            days, desc = _days_of(trig)
            desc = f"{desc} at {at}{rep}"
        descs.append(desc)
        if days is None or times is None:
            exact = False
            continue
        families.setdefault(days, set()).update(times)
    text = "; ".join(descs) or "no triggers"
    if not exact or len(families) != 1:
        return None, text, notes
    days_key, times = next(iter(families.items()))
    hours = {t // 60 for t in times}
    minutes = {t % 60 for t in times}
    if len(hours) * len(minutes) != len(times):
        return None, text, notes
    expr = " ".join(
        (
            _field(minutes if len(minutes) < 60 else None, 0, 59),
            _field(hours if len(hours) < 24 else None, 0, 23),
            _field(set(days_key.dom) if days_key.dom else None),
            _field(set(days_key.months) if days_key.months and len(days_key.months) < 12 else None),
            _field(set(days_key.dow) if days_key.dow else None),
        )
    )
    return _canonical(expr), text, notes


def _task_user(task: ET.Element) -> tuple[str | None, str | None]:
    principal = _child(task, "Principals", "Principal")
    user = _text(principal, "UserId") if principal is not None else None
    logon = _text(principal, "LogonType") if principal is not None else None
    if user and user.upper() in ("S-1-5-18", "SYSTEM", "NT AUTHORITY\\SYSTEM"):
        user = "SYSTEM"
    return user, logon


def _same_windows_user(a: str, b: str) -> bool:
    return a.rsplit("\\", 1)[-1].lower() == b.rsplit("\\", 1)[-1].lower()


def _task_list(ctx: _Env) -> list[tuple[str | None, str]]:
    """(path, XML) of every task: all at once, or task by task when the one-document query
    fails (a single corrupt task makes `schtasks /Query /XML ONE` fail as a whole)."""
    from bwdc_tray.schedule.backends.taskscheduler import FOLDER

    res = ctx.call(["schtasks", "/Query", "/XML", "ONE"])
    if res is not None and res[0] == 0:
        return split_tasks(res[1])
    listing = ctx.call(["schtasks", "/Query", "/FO", "CSV", "/NH"])
    if listing is None or listing[0] != 0:
        return []
    import csv

    names: list[str] = []
    for row in csv.reader(listing[1].splitlines()):
        # The first column is the task's path; the headers and the rest are localised.
        if row and row[0].startswith("\\") and row[0] not in names:
            low = row[0].lower()
            if not low.startswith(("\\microsoft\\", FOLDER.lower())):
                names.append(row[0])
    out: list[tuple[str | None, str]] = []
    for name in names:
        one = ctx.call(["schtasks", "/Query", "/TN", name, "/XML"])
        if one is not None and one[0] == 0:
            out += [(name, xml) for _path, xml in split_tasks(one[1])[:1]]
    return out


def discover_tasks(ctx: _Env) -> list[Finding]:
    from bwdc_tray.schedule.backends.taskscheduler import AUTHOR, FOLDER, parse_task_xml

    out: list[Finding] = []
    for path, xml_text in _task_list(ctx):
        try:
            task = parse_task_xml(xml_text)
        except Exception:  # noqa: S112  # one unreadable task must not hide the rest
            continue
        task_path = path or _text(task, "RegistrationInfo", "URI") or "(unnamed task)"
        if task_path.lower().startswith(FOLDER.lower()):
            continue
        if _text(task, "RegistrationInfo", "Author") == AUTHOR:
            continue
        out += _task_findings(task_path, xml_text, task, ctx)
    return out


def _task_findings(task_path: str, xml_text: str, task: ET.Element, ctx: _Env) -> list[Finding]:
    user, logon = _task_user(task)
    run_as = None if user is None or _same_windows_user(user, ctx.user) else user
    if user == "SYSTEM":
        home: str | None = SYSTEM_PROFILE
    else:
        home = ctx.home if run_as is None else ctx.user_home(run_as.rsplit("\\", 1)[-1])
    env = dict(ctx.env) if run_as is None else {}
    schedule, schedule_text, sched_notes = task_schedule(_child(task, "Triggers"))
    notes = list(sched_notes)
    if _text(task, "Settings", "Enabled") == "false":
        notes.append("the task is disabled")
    if logon == "InteractiveToken":
        notes.append("it runs only while its user is logged on")
    if user == "SYSTEM":
        notes.append(
            "it runs as SYSTEM, whose bwdc default folder is in the system profile "
            f"({SYSTEM_PROFILE})"
        )
    out: list[Finding] = []
    actions = _child(task, "Actions")
    execs = [a for a in (actions if actions is not None else []) if _local(a) == "Exec"]
    for number, action in enumerate(execs, 1):
        command = _text(action, "Command") or ""
        arguments = _text(action, "Arguments") or ""
        cwd = _text(action, "WorkingDirectory")
        argv = [command.strip('"'), *split_windows_args(arguments)]
        rctx = ctx.ctx(
            os_name="win32",
            home=home,
            user=run_as or ctx.user,
            cwd=cwd.strip('"') if cwd else "C:\\Windows\\System32",
            env=env,
        )
        recipe = read_argv(argv, rctx)
        shown = f'"{command}" {arguments}' if " " in command else f"{command} {arguments}"
        found = _findings(
            recipe,
            kind="taskscheduler",
            location=task_path
            if len(execs) == 1
            else f"{task_path}, action {execs.index(action) + 1}",
            raw=xml_text,
            artifact_path=None,
            run_as=run_as,
            schedule=schedule,
            schedule_text=schedule_text,
            command=shown.strip(),
            notes=notes,
        )
        if len(execs) > 1:  # one id per action
            found = [replace(f, part=", ".join(p for p in (f"action {number}", f.part) if p))
                     for f in found]  # fmt: skip
        out += found
    return out


# --- the desktop app ----------------------------------------------------------------------------


def discover_desktop_app(ctx: _Env, jobs: Sequence[Finding]) -> list[Finding]:
    folders: list[str] = []
    if ctx.os_name == "win32":  # a local path, joined the local way
        roaming = ctx.env.get("APPDATA") or str(Path(ctx.home) / "AppData" / "Roaming")
        default: str | None = str(Path(roaming) / APP_FOLDER)
    else:
        default = default_appdata(ctx.os_name, ctx.home, ctx.env)
    if default:
        folders.append(default)
    override = ctx.env.get("BITWARDEN_CONNECTOR_APPDATA_DIR")
    if override:
        folders.append(override)
    out: list[Finding] = []
    for folder in folders:
        if not (Path(folder) / "data.json").is_file():
            continue
        notes = [DESKTOP_APP_NOTE]
        if folder == override:
            notes.append("named by BITWARDEN_CONNECTOR_APPDATA_DIR in your environment")
        if ctx.os_name == "win32" and folder == default:
            notes.append(UNINSTALL_NOTE)
        users = [j.location for j in jobs if j.appdata and _same_path(j.appdata, folder)]
        if users:
            notes.append("a job already syncs this folder: " + "; ".join(users))
        out.append(
            Finding(
                kind="desktop-app",
                location=folder,
                appdata=folder,
                schedule_text="the desktop app's own Interval, while it is open",
                notes=tuple(notes),
            )
        )
    return out


def _same_path(a: str, b: str) -> bool:
    return os.path.normcase(os.path.normpath(a)) == os.path.normcase(os.path.normpath(b))


def _already_adopted(paths: Paths, findings: list[Finding]) -> list[Finding]:
    from bwdc_tray.config import ConfigStore
    from bwdc_tray.errors import BwdcTrayError

    try:
        cfg = ConfigStore(paths).load()
    except (BwdcTrayError, OSError):
        return findings
    by_folder = {str(i.appdata): name for name, i in cfg.instances.items()}
    out = []
    for f in findings:
        name = next(
            (n for folder, n in by_folder.items() if f.appdata and _same_path(folder, f.appdata)),
            None,
        )
        out.append(_with_note(f, f"its data folder is already bwdc-tray's instance {name}")
                   if name else f)  # fmt: skip
    return out


# --- the entry point ----------------------------------------------------------------------------


def discover(
    paths: Paths,
    *,
    runner: CommandRunner = run_command,
    etc: Path = Path("/etc"),
    home: Path | None = None,
    platform: str = sys.platform,
    env: Mapping[str, str] = os.environ,
    root: Path | None = None,
    user: str | None = None,
    is_root: bool | None = None,
    user_home: Callable[[str], str | None] | None = None,
    reader: Callable[[str], str | None] | None = None,
) -> list[Finding]:
    """Every bwdc job and desktop-app data folder found on this machine, bwdc-tray's own left
    out, sorted by kind and then in the order found.

    ``root`` puts the system-wide launchd folders (/Library/LaunchAgents, /Library/LaunchDaemons)
    under a test root, and turns the launchd search on off macOS; ``user``, ``is_root`` and
    ``user_home`` stand in for the current account, whether it is root, and other users' homes;
    ``reader`` reads a job's script (text or None; by default from disk, size-capped).
    """
    os_name = _os_name(platform)
    if user is None:
        from bwdc_tray.schedule.backends.crontab import current_user

        user = current_user()
    ctx = _Env(
        runner=runner,
        os_name=os_name,
        user=user,
        home=str(home if home is not None else Path.home()),
        env=env,
        user_home=user_home if user_home is not None else _pwd_home,
        read=reader if reader is not None else read_file,
    )
    found: list[Finding] = []
    if os_name != "win32":
        found += discover_cron(ctx, etc, _euid_is_root() if is_root is None else is_root)
    found += discover_launchd(ctx, root)
    if os_name == "win32":
        found += discover_tasks(ctx)
    found += discover_desktop_app(ctx, found)
    found = _already_adopted(paths, found)
    return sorted(found, key=lambda f: KIND_ORDER[f.kind])


__all__ = [
    "APP_FOLDER",
    "calendar_to_cron",
    "cron_schedule",
    "discover",
    "interval_to_cron",
    "split_tasks",
    "task_schedule",
]
