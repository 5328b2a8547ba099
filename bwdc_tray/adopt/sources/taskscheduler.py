"""Task Scheduler (Windows): every task from `schtasks`, or an exported task's XML, its triggers
as cron when exact. bwdc-tray's own tasks are left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bwdc_tray.adopt.context import Env, canonical_cron, cron_field, findings
from bwdc_tray.adopt.model import Finding
from bwdc_tray.adopt.recipe import read_argv, split_windows_args

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

SYSTEM_PROFILE = "C:\\Windows\\System32\\config\\systemprofile"

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
            cron_field(minutes if len(minutes) < 60 else None, 0, 59),
            cron_field(hours if len(hours) < 24 else None, 0, 23),
            cron_field(set(days_key.dom) if days_key.dom else None),
            cron_field(
                set(days_key.months) if days_key.months and len(days_key.months) < 12 else None
            ),
            cron_field(set(days_key.dow) if days_key.dow else None),
        )
    )
    return canonical_cron(expr), text, notes


def _task_user(task: ET.Element) -> tuple[str | None, str | None]:
    principal = _child(task, "Principals", "Principal")
    user = _text(principal, "UserId") if principal is not None else None
    logon = _text(principal, "LogonType") if principal is not None else None
    if user and user.upper() in ("S-1-5-18", "SYSTEM", "NT AUTHORITY\\SYSTEM"):
        user = "SYSTEM"
    return user, logon


def _same_windows_user(a: str, b: str) -> bool:
    return a.rsplit("\\", 1)[-1].lower() == b.rsplit("\\", 1)[-1].lower()


def _task_list(ctx: Env) -> list[tuple[str | None, str]]:
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


def discover_tasks(ctx: Env) -> list[Finding]:
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


def _task_findings(task_path: str, xml_text: str, task: ET.Element, ctx: Env) -> list[Finding]:
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
        found = findings(
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
