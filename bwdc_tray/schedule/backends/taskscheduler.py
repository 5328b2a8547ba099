"""Windows Task Scheduler: one task per job, from task XML that we write ourselves.

The XML is Task version 1.2 with its elements in the order of Microsoft's schema (top level as
taskType declares them: RegistrationInfo, Triggers, Settings, Principals, Actions), so that the
tests can validate every task we can produce against that schema on any OS. It is registered with
`schtasks /Create /XML … /TN … /F` from a UTF-16LE file with a BOM (reference/schedulers.md §1.3,
§1.4). A task that runs as a dedicated user needs that user's password: it goes to PowerShell's
`Register-ScheduledTask` on stdin, never on a command line and never into the XML (§1.7, §6).

Cron fields become triggers by the layered strategy of reference/schedulers.md §1.6:

1. times that form one progression over the whole day, with a step that divides the hour, on
   every day: one TimeTrigger with indefinite repetition;
2. otherwise, when times x day families <= 48: one CalendarTrigger per time and family, with no
   repetition (a repeating CalendarTrigger registered mid-day may skip that day, oven-sh/bun#34195);
3. otherwise the times split into few arithmetic progressions (per minute over the hours, per hour
   over the minutes, or over the whole day), one repeating CalendarTrigger each, with a warning;
4. otherwise a refusal that says why and how to simplify.

A day family is the day set of one CalendarTrigger: every day (ScheduleByDay), weekdays
(ScheduleByWeek, or ScheduleByMonthDayOfWeek with weeks 1-4 and Last when months are chosen), or
days of the month (ScheduleByMonth). When both day fields are restricted, cron runs on either
(Vixie OR rule), so there are two families; when one of them starts with `*` but is not every
value (`*/2`), Vixie cron ANDs them, which no trigger can express: that is refused.

Drift: `inspect` reads the task back with `schtasks /Query /XML` and rewrites it into the same
canonical form that `render` produces (`canonical`), so an unchanged job compares equal with `==`.
Canonical means: our element order, durations and booleans normalised, trigger order sorted,
Windows' bookkeeping (Date, ids, version) and settings left at their schema default dropped, the
user of an "as me" task ignored. Anything else Windows returns is kept, so it shows as drift.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from bwdc_tray.errors import EnvironmentProblem, InvalidInput
from bwdc_tray.oscmd import CommandNotFound, CommandRunner, Completed, run_command
from bwdc_tray.schedule.backends.base import JobSpec
from bwdc_tray.schedule.cron import CronExpr

NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"
FOLDER = "\\bwdc-tray\\"
AUTHOR = "bwdc-tray"
MAX_TRIGGERS = 48  # the schema's maxOccurs on Triggers
# Every StartBoundary is on this fixed day in the past: `render` stays pure and repeatable, and with
# intervals of one day or week the date itself does not matter. No offset: local time, which follows
# DST (§1.2). Being in the past, a first run may come soon after registration (StartWhenAvailable).
ANCHOR = date(2024, 1, 1)
MAX_COMMAND = 260  # pathType in the schema

WEEKDAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
WEEKDAY_ORDER = (1, 2, 3, 4, 5, 6, 0)  # the schema lists Monday first
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ALL_DAYS = frozenset(range(1, 32))
ALL_WEEKDAYS = frozenset(range(7))
ALL_MONTHS = frozenset(range(1, 13))
WEEKS = ("1", "2", "3", "4", "Last")  # the 5th weekday of a month is always its last one

# Characters a task name cannot hold (it is a file under %SystemRoot%\System32\Tasks); "~" is the
# escape character, so it is escaped too and the mapping stays one-to-one. "@" (job ids of a
# --home) is a valid file name character and is kept.
_NAME_FORBIDDEN = set('\\/:*?"<>|~')
_XML_CHAR = re.compile("^[\t\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$")
_ENV_REF = re.compile(r"%[^%\s]+%")


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


# --- names --------------------------------------------------------------------------------------


def task_name(job_id: str) -> str:
    if not job_id or job_id.strip(" .") != job_id:
        raise InvalidInput(f"{job_id!r} cannot name a scheduled task (empty, or edge dots/spaces)")
    return "".join(f"~{ord(c):02X}" if c in _NAME_FORBIDDEN or ord(c) < 0x20 else c for c in job_id)


def job_id_of(name: str) -> str | None:
    """The job id a task name in our folder stands for (``task_name`` undone), or None when
    it is not a name we would write."""
    job_id = re.sub(r"~([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), name)
    try:
        return job_id if task_name(job_id) == name else None
    except InvalidInput:
        return None


def task_path(job_id: str) -> str:
    """The full task path, `\\bwdc-tray\\<name>`, as /TN and RegistrationInfo/URI take it."""
    return FOLDER + task_name(job_id)


# --- cron fields to triggers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Days:
    """The day set of one CalendarTrigger."""

    kind: Literal["day", "week", "month", "monthdow"]
    days: tuple[int, ...] = ()
    weekdays: tuple[int, ...] = ()  # 0 = Sunday
    months: tuple[int, ...] = ()


@dataclass(frozen=True)
class Slot:
    """When in a day a trigger fires: at ``start``, then every ``interval`` minutes, ``count`` runs
    in all (the Repetition Duration end is inclusive, §1.2); count 0 repeats indefinitely."""

    start: int  # minute of the day
    interval: int = 0
    count: int = 1


@dataclass(frozen=True)
class TriggerPlan:
    layer: int
    triggers: tuple[tuple[Days | None, Slot], ...]  # None: a TimeTrigger
    warnings: tuple[str, ...] = ()


EVERY_DAY = Days("day")


def _every_day_in(months: frozenset[int]) -> Days:
    if months == ALL_MONTHS:
        return EVERY_DAY
    return Days("month", days=tuple(range(1, 32)), months=tuple(sorted(months)))


def _weekday_family(weekdays: frozenset[int], months: frozenset[int]) -> Days:
    if months == ALL_MONTHS:
        return Days("week", weekdays=tuple(sorted(weekdays)))
    return Days("monthdow", weekdays=tuple(sorted(weekdays)), months=tuple(sorted(months)))


def day_families(expr: CronExpr) -> list[Days]:
    """The day sets whose union is the days cron runs on (Vixie's day-of-month/week rule)."""
    days_all = expr.days == ALL_DAYS
    weekdays_all = expr.weekdays == ALL_WEEKDAYS
    months = expr.months
    if expr.dom_restricted and expr.dow_restricted:  # OR
        if days_all or weekdays_all:
            return [_every_day_in(months)]
        return [
            Days("month", days=tuple(sorted(expr.days)), months=tuple(sorted(months))),
            _weekday_family(expr.weekdays, months),
        ]
    # AND: a field that starts with "*" makes cron intersect the two (crontab.guru's "cron bug").
    if days_all and weekdays_all:
        return [_every_day_in(months)]
    if weekdays_all:
        return [Days("month", days=tuple(sorted(expr.days)), months=tuple(sorted(months)))]
    if days_all:
        return [_weekday_family(expr.weekdays, months)]
    fields = expr.fields
    raise InvalidInput(
        f"{expr.text!r}: the day of month {fields[2]!r} and the day of week {fields[4]!r} are both "
        "set but one starts with *, so cron runs only on days that match both (e.g. odd days that "
        "are Mondays); Task Scheduler cannot express that",
        "list the days explicitly (1,3,5 rather than */2), or leave one of the two day fields *",
    )


def progressions(values: Sequence[int]) -> list[tuple[int, int, int]]:
    """Sorted values split greedily into arithmetic progressions: (start, step, count)."""
    out: list[tuple[int, int, int]] = []
    i = 0
    while i < len(values):
        if i + 1 == len(values):
            out.append((values[i], 0, 1))
            break
        step = values[i + 1] - values[i]
        j = i + 1
        while j + 1 < len(values) and values[j + 1] - values[j] == step:
            j += 1
        out.append((values[i], step, j - i + 1))
        i = j + 1
    return out


def _slots(expr: CronExpr, times: list[int]) -> list[Slot]:
    """The fewest repeating slots among three decompositions of the times of day."""
    minutes, hours = sorted(expr.minutes), sorted(expr.hours)
    whole = [Slot(s, k, c) for s, k, c in progressions(times)]
    minute_major = [Slot(h * 60 + m, k * 60, c) for m in minutes for h, k, c in progressions(hours)]
    hour_major = [Slot(h * 60 + m, k, c) for h in hours for m, k, c in progressions(minutes)]
    best = min((whole, minute_major, hour_major), key=len)
    return sorted(best, key=lambda s: s.start)


FIRST_DAY_WARNING = (
    "this schedule uses repeating Task Scheduler triggers: registered in the middle of a day, "
    "they may only start with the next day's first run (oven-sh/bun#34195)"
)


def plan_triggers(expr: CronExpr) -> TriggerPlan:
    families = day_families(expr)
    times = sorted(h * 60 + m for h in expr.hours for m in expr.minutes)
    if families == [EVERY_DAY] and len(times) > 1:
        step = times[1] - times[0]
        steady = all(b - a == step for a, b in itertools.pairwise(times))
        # Only steps that divide the hour: should Windows repeat in elapsed time across a DST
        # change, the runs still fall on the same minutes of every hour.
        if steady and 60 % step == 0 and times[0] < step and len(times) == 1440 // step:
            return TriggerPlan(1, ((None, Slot(times[0], step, 0)),))
    if len(times) * len(families) <= MAX_TRIGGERS:
        return TriggerPlan(2, tuple((f, Slot(t)) for f in families for t in times))
    slots = _slots(expr, times)
    count = len(slots) * len(families)
    if count <= MAX_TRIGGERS:
        return TriggerPlan(3, tuple((f, s) for f in families for s in slots), (FIRST_DAY_WARNING,))
    both = (
        "; both day fields are set, and cron runs on either, which doubles that"
        if len(families) == 2
        else ""
    )
    raise InvalidInput(
        f"{expr.text!r} would need {count} Task Scheduler triggers and a task holds at most "
        f"{MAX_TRIGGERS}: its {len(times)} times of day do not fall into few regular series{both}",
        "simplify the schedule: evenly spaced minutes (*/10, 0,30) or hours (*/2, 8-18), fewer "
        "listed values, or only one of day of month and day of week",
    )


# --- durations and values -------------------------------------------------------------------------

_DURATION = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d*)?)S)?)?$"
)


def iso_duration(seconds: int) -> str:
    """Seconds as an ISO-8601 duration: days, hours, minutes, seconds (`PT1H6M`, `P3D`)."""
    if seconds <= 0:
        return "PT0S"
    d, rest = divmod(seconds, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    time = (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s else "")
    return "P" + (f"{d}D" if d else "") + (f"T{time}" if time else "")


def duration_seconds(text: str) -> int | None:
    m = _DURATION.match(text.strip())
    if m is None or text.strip() in ("P", "PT"):
        return None
    parts = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    total = parts["w"] * 604800 + parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60
    return math.ceil(total + parts["s"])


def _norm_duration(text: str) -> str:
    seconds = duration_seconds(text)
    return text.strip() if seconds is None else iso_duration(seconds)


def _norm_bool(text: str) -> str:
    low = text.strip().lower()
    return {"1": "true", "0": "false"}.get(low, low)


def execution_time_limit(timeout: float) -> str:
    # The runner kills bwdc's process tree at the instance timeout, records the run as `timeout`
    # and removes the secrets a plaintext-secrets run left in data.json. Task Scheduler's own limit
    # kills the runner without any of that, so it must only be a backstop: the timeout plus a
    # margin (10%, at least 5 minutes), in whole minutes.
    margin = max(300.0, timeout * 0.1)
    return iso_duration(60 * math.ceil((timeout + margin) / 60))


# --- XML ------------------------------------------------------------------------------------------


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, q(name))
    if text is not None:
        el.text = text
    return el


def _boundary(minute: int) -> str:
    return f"{ANCHOR.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00"


def _trigger(parent: ET.Element, days: Days | None, slot: Slot) -> None:
    trig = _sub(parent, "TimeTrigger" if days is None else "CalendarTrigger")
    _sub(trig, "Enabled", "true")
    _sub(trig, "StartBoundary", _boundary(slot.start))
    if slot.interval and slot.count != 1:
        rep = _sub(trig, "Repetition")
        _sub(rep, "Interval", iso_duration(slot.interval * 60))
        if slot.count:
            _sub(rep, "Duration", iso_duration(slot.interval * 60 * (slot.count - 1)))
    if days is None:
        return
    if days.kind == "day":
        _sub(_sub(trig, "ScheduleByDay"), "DaysInterval", "1")
    elif days.kind == "week":
        by = _sub(trig, "ScheduleByWeek")
        _sub(by, "WeeksInterval", "1")
        _weekdays(_sub(by, "DaysOfWeek"), days.weekdays)
    elif days.kind == "month":
        by = _sub(trig, "ScheduleByMonth")
        dom = _sub(by, "DaysOfMonth")
        for d in days.days:
            _sub(dom, "Day", str(d))
        _months(_sub(by, "Months"), days.months)
    else:
        by = _sub(trig, "ScheduleByMonthDayOfWeek")
        weeks = _sub(by, "Weeks")
        for w in WEEKS:
            _sub(weeks, "Week", w)
        _weekdays(_sub(by, "DaysOfWeek"), days.weekdays)
        _months(_sub(by, "Months"), days.months)


def _weekdays(parent: ET.Element, weekdays: Iterable[int]) -> None:
    chosen = set(weekdays)
    for d in WEEKDAY_ORDER:
        if d in chosen:
            _sub(parent, WEEKDAY_NAMES[d])


def _months(parent: ET.Element, months: Iterable[int]) -> None:
    for m in sorted(months):
        _sub(parent, MONTH_NAMES[m - 1])


def _check_text(what: str, text: str) -> None:
    if not _XML_CHAR.fullmatch(text):  # match() would let a trailing "\n" through ($)
        raise InvalidInput(
            f"the {what} {text!r} holds a line break or a control character, "
            "which a scheduled task cannot carry"
        )
    ref = _ENV_REF.search(text)
    if ref is not None:
        raise InvalidInput(
            f"the {what} {text!r} holds {ref.group(0)}, which Task Scheduler would replace with "
            "the value of that environment variable",
            "use a path without % signs",
        )


def _action_parts(command: Sequence[str]) -> tuple[str, str]:
    if not command or not command[0]:
        raise InvalidInput("the job has no command to run")
    program = command[0]
    if '"' in program:
        raise InvalidInput(
            f"the program path {program!r} holds a double quote, which no Windows path can"
        )
    if len(program) > MAX_COMMAND:
        raise InvalidInput(
            f"the program path is {len(program)} characters long; Task Scheduler takes at most "
            f"{MAX_COMMAND}",
            "install bwdc-tray in a shorter path",
        )
    for i, arg in enumerate(command):
        _check_text("command argument" if i else "program path", arg)
    return program, subprocess.list2cmdline(list(command[1:]))


def _build(spec: JobSpec) -> ET.Element:
    plan = plan_triggers(spec.expr)
    program, arguments = _action_parts(spec.command)
    if spec.run_as is not None:
        _check_text("user name", spec.run_as)
        if not spec.run_as.strip():
            raise InvalidInput("--run-as needs a user name")
    task = ET.Element(q("Task"), version="1.2")
    reg = _sub(task, "RegistrationInfo")
    _sub(reg, "Author", AUTHOR)
    _sub(
        reg,
        "Description",
        f"Runs bwdc sync for the bwdc-tray instance {spec.instance} on the schedule "
        f"{spec.expr.text} (managed by bwdc-tray: change it with `bwdc-tray schedule`).",
    )
    _sub(reg, "URI", task_path(spec.job_id))
    triggers = _sub(task, "Triggers")
    for days, slot in plan.triggers:
        _trigger(triggers, days, slot)
    settings = _sub(task, "Settings")
    _sub(settings, "MultipleInstancesPolicy", "IgnoreNew")
    _sub(settings, "DisallowStartIfOnBatteries", "false")
    _sub(settings, "StopIfGoingOnBatteries", "false")
    _sub(settings, "StartWhenAvailable", "true")
    _sub(settings, "Enabled", "true")
    _sub(settings, "ExecutionTimeLimit", execution_time_limit(spec.timeout))
    principal = _sub(_sub(task, "Principals"), "Principal", None)
    principal.set("id", "Author")
    if spec.run_as is None:
        _sub(principal, "LogonType", "InteractiveToken")
    else:
        _sub(principal, "UserId", spec.run_as)
        _sub(principal, "LogonType", "Password")
    _sub(principal, "RunLevel", "LeastPrivilege")
    actions = _sub(task, "Actions")
    actions.set("Context", "Author")
    exec_ = _sub(actions, "Exec")
    _sub(exec_, "Command", program)
    if arguments:
        _sub(exec_, "Arguments", arguments)
    return task


# --- the canonical form (render's output, and what inspect turns Windows' export into) -----------

# Settings in the schema's order, with their schema defaults. Ours are always written; the others
# only when they differ from the default (Windows' export spells most defaults out).
SETTINGS_DEFAULTS: tuple[tuple[str, str | None], ...] = (
    ("AllowStartOnDemand", "true"),
    ("RestartOnFailure", None),
    ("MultipleInstancesPolicy", "IgnoreNew"),
    ("DisallowStartIfOnBatteries", "true"),
    ("StopIfGoingOnBatteries", "true"),
    ("AllowHardTerminate", "true"),
    ("StartWhenAvailable", "false"),
    ("NetworkProfileName", ""),
    ("RunOnlyIfNetworkAvailable", "false"),
    ("WakeToRun", "false"),
    ("Enabled", "true"),
    ("Hidden", "false"),
    ("DeleteExpiredTaskAfter", "PT0S"),
    ("IdleSettings", None),
    ("NetworkSettings", None),
    ("ExecutionTimeLimit", "PT72H"),
    ("Priority", "7"),
    ("RunOnlyIfIdle", "false"),
    ("UseUnifiedSchedulingEngine", None),  # how Windows runs it, not when or what: ignored
    ("DisallowStartOnRemoteAppSession", "false"),
    ("Volatile", "false"),  # 1.4, appears if someone re-saves the task for Windows 10
)
OUR_SETTINGS = frozenset(
    {
        "MultipleInstancesPolicy",
        "DisallowStartIfOnBatteries",
        "StopIfGoingOnBatteries",
        "StartWhenAvailable",
        "Enabled",
        "ExecutionTimeLimit",
    }
)
IDLE_DEFAULTS = {
    "Duration": "PT10M",
    "WaitTimeout": "PT1H",
    "StopOnIdleEnd": "true",
    "RestartOnIdle": "false",
}
_DURATIONS = frozenset(
    {"Interval", "Duration", "ExecutionTimeLimit", "RandomDelay", "DeleteExpiredTaskAfter",
     "WaitTimeout", "Delay"}
)  # fmt: skip
_BOOLEANS = frozenset(
    {"Enabled", "StopAtDurationEnd", "StopOnIdleEnd", "RestartOnIdle"}
    | {name for name, default in SETTINGS_DEFAULTS if default in ("true", "false")}
)


def _local(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def _value(name: str, el: ET.Element) -> str:
    text = (el.text or "").strip()
    if name in _DURATIONS:
        return _norm_duration(text)
    if name in _BOOLEANS:
        return _norm_bool(text)
    return text


def _copy(el: ET.Element) -> ET.Element:
    """An element we do not model, kept so that it shows as a difference."""
    out = ET.Element(el.tag, dict(el.attrib))
    out.text = (el.text or "").strip() or None
    for child in el:
        out.append(_copy(child))
    return out


def _children(el: ET.Element | None) -> dict[str, ET.Element]:
    return {} if el is None else {_local(c): c for c in el}


def _extras(el: ET.Element, known: Iterable[str], into: ET.Element) -> None:
    names = set(known)
    for child in el:
        if _local(child) not in names:
            into.append(_copy(child))


def _canon_flags(src: ET.Element | None, into: ET.Element, order: Sequence[str]) -> None:
    present = set(_children(src))
    for name in order:
        if name in present:
            _sub(into, name)
    if src is not None:
        _extras(src, order, into)


def _canon_trigger(src: ET.Element) -> ET.Element:
    kind = _local(src)
    if kind not in ("CalendarTrigger", "TimeTrigger"):
        return _copy(src)
    out = ET.Element(src.tag)
    kids = _children(src)
    _sub(out, "Enabled", _value("Enabled", kids["Enabled"]) if "Enabled" in kids else "true")
    for name in ("StartBoundary", "EndBoundary"):
        if name in kids:
            _sub(out, name, _value(name, kids[name]))
    if "Repetition" in kids:
        rep_src = _children(kids["Repetition"])
        rep = _sub(out, "Repetition")
        for name in ("Interval", "Duration"):
            if name in rep_src:
                _sub(rep, name, _value(name, rep_src[name]))
        if "StopAtDurationEnd" in rep_src:
            stop = _value("StopAtDurationEnd", rep_src["StopAtDurationEnd"])
            if stop != "false":
                _sub(rep, "StopAtDurationEnd", stop)
        _extras(kids["Repetition"], ("Interval", "Duration", "StopAtDurationEnd"), rep)
    if "ExecutionTimeLimit" in kids:
        _sub(out, "ExecutionTimeLimit", _value("ExecutionTimeLimit", kids["ExecutionTimeLimit"]))
    if "RandomDelay" in kids:
        delay = _value("RandomDelay", kids["RandomDelay"])
        if delay != "PT0S":
            _sub(out, "RandomDelay", delay)
    for name, el in kids.items():
        if name == "ScheduleByDay":
            by = _sub(out, name)
            interval = _children(el).get("DaysInterval")
            _sub(by, "DaysInterval", (interval.text or "").strip() if interval is not None else "1")
            _extras(el, ("DaysInterval",), by)
        elif name == "ScheduleByWeek":
            by = _sub(out, name)
            wk = _children(el)
            interval = wk.get("WeeksInterval")
            _sub(
                by, "WeeksInterval", (interval.text or "").strip() if interval is not None else "1"
            )
            _canon_flags(wk.get("DaysOfWeek"), _sub(by, "DaysOfWeek"), _weekday_order())
            _extras(el, ("WeeksInterval", "DaysOfWeek"), by)
        elif name == "ScheduleByMonth":
            by = _sub(out, name)
            mo = _children(el)
            if "DaysOfMonth" in mo:
                values = [(d.text or "").strip() for d in mo["DaysOfMonth"]]
                dom = _sub(by, "DaysOfMonth")
                for d in sorted(
                    values, key=lambda v: (not v.isdigit(), int(v) if v.isdigit() else 0, v)
                ):
                    _sub(dom, "Day", d)
            if "Months" in mo:
                _canon_flags(mo["Months"], _sub(by, "Months"), MONTH_NAMES)
            _extras(el, ("DaysOfMonth", "Months"), by)
        elif name == "ScheduleByMonthDayOfWeek":
            by = _sub(out, name)
            mo = _children(el)
            if "Weeks" in mo:
                weeks = _sub(by, "Weeks")
                for w in sorted({(x.text or "").strip() for x in mo["Weeks"]}, key=_week_key):
                    _sub(weeks, "Week", w)
            _canon_flags(mo.get("DaysOfWeek"), _sub(by, "DaysOfWeek"), _weekday_order())
            if "Months" in mo:
                _canon_flags(mo["Months"], _sub(by, "Months"), MONTH_NAMES)
            _extras(el, ("Weeks", "DaysOfWeek", "Months"), by)
    known = (
        "Enabled", "StartBoundary", "EndBoundary", "Repetition", "ExecutionTimeLimit",
        "RandomDelay", "ScheduleByDay", "ScheduleByWeek", "ScheduleByMonth",
        "ScheduleByMonthDayOfWeek",
    )  # fmt: skip
    _extras(src, known, out)
    return out


def _weekday_order() -> tuple[str, ...]:
    return tuple(WEEKDAY_NAMES[d] for d in WEEKDAY_ORDER)


def _week_key(w: str) -> tuple[int, str]:
    return (int(w), w) if w.isdigit() else (9, w)


def _same_account(found: str, wanted: str) -> bool:
    """`DOMAIN\\user`, `.\\user` and `user` name the same account for a `user` we were given."""
    f, w = found.lower(), wanted.lower()
    if f == w:
        return True
    return "\\" not in w and "@" not in w and f.rsplit("\\", 1)[-1] == w


def _canon_principals(
    src: ET.Element, run_as: str | None, resolve: Callable[[str], str | None]
) -> ET.Element:
    out = ET.Element(src.tag)
    for principal in src:
        if _local(principal) != "Principal":
            out.append(_copy(principal))
            continue
        p = ET.SubElement(out, principal.tag, dict(principal.attrib))
        kids = _children(principal)
        logon = _value("LogonType", kids["LogonType"]) if "LogonType" in kids else None
        if "UserId" in kids:
            user = _value("UserId", kids["UserId"])
            if run_as is None and logon == "InteractiveToken":
                user = ""  # "as me": Windows fills in whoever registered it, often as a SID
            elif run_as is not None:
                if re.fullmatch(r"S-1-[0-9-]+", user):
                    user = resolve(user) or user
                if _same_account(user, run_as):
                    user = run_as
            if user:
                _sub(p, "UserId", user)
        if logon is not None:
            _sub(p, "LogonType", logon)
        for name in ("GroupId", "DisplayName"):
            if name in kids:
                _sub(p, name, _value(name, kids[name]))
        level = _value("RunLevel", kids["RunLevel"]) if "RunLevel" in kids else "LeastPrivilege"
        _sub(p, "RunLevel", level)
        for name in ("ProcessTokenSidType", "RequiredPrivileges"):
            if name in kids:
                p.append(_copy(kids[name]))
        known = (
            "UserId", "LogonType", "GroupId", "DisplayName", "RunLevel", "ProcessTokenSidType",
            "RequiredPrivileges",
        )  # fmt: skip
        _extras(principal, known, p)
    return out


def _canon_settings(src: ET.Element) -> ET.Element:
    out = ET.Element(src.tag)
    kids = _children(src)
    for name, default in SETTINGS_DEFAULTS:
        el = kids.get(name)
        if name == "UseUnifiedSchedulingEngine":
            continue
        if name == "IdleSettings":
            if el is not None:
                idle = {n: _value(n, c) for n, c in _children(el).items()}
                if any(idle.get(n, d) != d for n, d in IDLE_DEFAULTS.items()) or set(idle) - set(
                    IDLE_DEFAULTS
                ):
                    out.append(_copy(el))
            continue
        if default is None:
            if el is not None:
                out.append(_copy(el))
            continue
        value = _value(name, el) if el is not None else default
        if name in OUR_SETTINGS or value != default:
            _sub(out, name, value)
    _extras(src, [n for n, _ in SETTINGS_DEFAULTS], out)
    return out


def _canon_actions(src: ET.Element) -> ET.Element:
    out = ET.Element(src.tag, {k: v for k, v in src.attrib.items() if k == "Context"})
    for action in src:
        if _local(action) != "Exec":
            out.append(_copy(action))
            continue
        ex = ET.SubElement(out, action.tag)
        kids = _children(action)
        for name in ("Command", "Arguments", "WorkingDirectory"):
            if name in kids:
                text = kids[name].text or ""
                if text or name == "Command":
                    _sub(ex, name, text)
        _extras(action, ("Command", "Arguments", "WorkingDirectory"), ex)
    return out


def canonical_tree(
    task: ET.Element,
    run_as: str | None = None,
    resolve: Callable[[str], str | None] = lambda _sid: None,
) -> ET.Element:
    if task.tag != q("Task"):
        raise ValueError(f"not a task: the root element is {task.tag}")
    out = ET.Element(q("Task"), version="1.2")  # the version says nothing about when or what
    kids = _children(task)
    if "RegistrationInfo" in kids:
        reg = ET.Element(q("RegistrationInfo"))
        info = _children(kids["RegistrationInfo"])
        # Date, Version, Source, Documentation, SecurityDescriptor: bookkeeping, not the job.
        for name in ("Author", "Description", "URI"):
            if name in info:
                _sub(reg, name, (info[name].text or "").strip())
        if len(reg):
            out.append(reg)
    if "Triggers" in kids:
        triggers = _sub(out, "Triggers")
        canon = [_canon_trigger(t) for t in kids["Triggers"]]
        for t in sorted(canon, key=lambda el: ET.tostring(el, encoding="unicode")):
            triggers.append(t)
    if "Settings" in kids:
        out.append(_canon_settings(kids["Settings"]))
    if "Data" in kids:
        out.append(_copy(kids["Data"]))
    if "Principals" in kids:
        out.append(_canon_principals(kids["Principals"], run_as, resolve))
    if "Actions" in kids:
        out.append(_canon_actions(kids["Actions"]))
    _extras(
        task, ("RegistrationInfo", "Triggers", "Settings", "Data", "Principals", "Actions"), out
    )
    return out


DECLARATION = '<?xml version="1.0" encoding="UTF-16"?>\n'


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _write(el: ET.Element, depth: int, out: list[str], parent_ns: str) -> None:
    ns, _, name = el.tag[1:].rpartition("}") if el.tag.startswith("{") else ("", "", el.tag)
    attrs = "" if ns == parent_ns else f' xmlns="{_escape(ns, True)}"'
    for key, value in el.attrib.items():
        attrs += f' {key.rsplit("}", 1)[-1]}="{_escape(value, True)}"'
    pad = "  " * depth
    if len(el):
        out.append(f"{pad}<{name}{attrs}>\n")
        for child in el:
            _write(child, depth + 1, out, ns)
        out.append(f"{pad}</{name}>\n")
    elif el.text:
        out.append(f"{pad}<{name}{attrs}>{_escape(el.text)}</{name}>\n")
    else:
        out.append(f"{pad}<{name}{attrs} />\n")


def serialize(task: ET.Element) -> str:
    """Our XML text: the task namespace as the default one, two-space indents, one line each."""
    out = [DECLARATION]
    _write(task, 0, out, "")
    return "".join(out)


def parse_task_xml(text: str) -> ET.Element:
    """Task XML as schtasks prints it: maybe with a BOM, maybe UTF-16 read as single bytes."""
    cleaned = text.lstrip("\ufeff \r\n\t")
    if "\x00" in cleaned:
        cleaned = cleaned.replace("\x00", "").lstrip("\ufeff\ufffe\xff\xfe")
    return ET.fromstring(cleaned)  # noqa: S314  # schtasks' own output, not foreign data


def canonical(
    text: str,
    run_as: str | None = None,
    resolve: Callable[[str], str | None] = lambda _sid: None,
) -> str:
    """Task XML in render's form: equal to render(spec) when it describes the same job."""
    return serialize(canonical_tree(parse_task_xml(text), run_as, resolve))


# --- the backend ----------------------------------------------------------------------------------


def _ps_literal(text: str) -> str:
    # PowerShell ends a single-quoted string at any of these, not only at the ASCII quote.
    for quote in ("'", "\u2018", "\u2019", "\u201a", "\u201b"):
        text = text.replace(quote, quote * 2)
    return "'" + text + "'"


class TaskSchedulerBackend:
    name = "taskscheduler"

    def __init__(
        self,
        runner: CommandRunner = run_command,
        password: Callable[[str], str | None] | None = None,
    ) -> None:
        self.run = runner
        self.password = password

    # --- pure ---------------------------------------------------------------------------------

    def render(self, spec: JobSpec) -> str:
        return serialize(canonical_tree(_build(spec), spec.run_as))

    def warnings(self, spec: JobSpec) -> list[str]:
        out = list(plan_triggers(spec.expr).warnings)
        if spec.run_as is not None:
            out.append(
                f"{spec.run_as} needs the 'Log on as a batch job' right, or the task will not "
                "start (0x4131C): grant it in secpol.msc, Local Policies > User Rights Assignment"
            )
        return out

    # --- OS -----------------------------------------------------------------------------------

    def _call(self, argv: Sequence[str], input_text: str | None = None) -> Completed:
        try:
            return self.run(argv, input_text=input_text)
        except CommandNotFound as exc:
            raise EnvironmentProblem(
                f"{argv[0]} was not found: Task Scheduler jobs can only be managed on Windows",
                "use `bwdc-tray schedule render NAME --backend taskscheduler` to see the task "
                "here, or choose the backend of this system",
            ) from exc

    def install(self, spec: JobSpec) -> list[str]:
        xml = self.render(spec)
        path = task_path(spec.job_id)
        secret: str | None = None
        if spec.run_as is not None:
            secret = self.password(spec.run_as) if self.password is not None else None
            if not secret:
                raise EnvironmentProblem(
                    f"a task that runs as {spec.run_as} whether or not anyone is logged on needs "
                    f"{spec.run_as}'s Windows password, and none was given; nothing was changed",
                    "run the command in a terminal so that bwdc-tray can ask for it, or schedule "
                    "the job as yourself",
                )
            if "\n" in secret or "\r" in secret:
                raise InvalidInput("the password holds a line break, which cannot be passed on")
        with tempfile.TemporaryDirectory(prefix="bwdc-tray-task-") as private:
            file = Path(private) / "task.xml"
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(("\ufeff" + xml).encode("utf-16-le"))
            if secret is None:
                res = self._call(["schtasks", "/Create", "/XML", str(file), "/TN", path, "/F"])
            else:
                assert spec.run_as is not None
                res = self._call(
                    self._register_argv(file, spec.job_id, spec.run_as), input_text=secret + "\n"
                )
        if res.returncode != 0:
            detail = (res.stderr or res.stdout).strip() or f"exit code {res.returncode}"
            raise EnvironmentProblem(
                f"Task Scheduler refused the task {path}: {detail}",
                "if access is denied, run bwdc-tray as the user who created the task or as an "
                "administrator; a task for another user needs an administrator",
            )
        return self.warnings(spec)

    def _register_argv(self, file: Path, job_id: str, user: str) -> list[str]:
        # The password is the first line of stdin, read as data: it is never in argv (readable by
        # every user), in the script text (PowerShell script block logging records that) or in
        # the XML (event 4698 logs it). The XML's principal names the user; -User and -Password
        # give Task Scheduler the credentials to store.
        script = "; ".join(
            (
                "$ErrorActionPreference = 'Stop'",
                "try { $password = [Console]::In.ReadLine()",
                f"$xml = Get-Content -LiteralPath {_ps_literal(str(file))} -Raw -Encoding Unicode",
                f"Register-ScheduledTask -TaskPath {_ps_literal(FOLDER)} "
                f"-TaskName {_ps_literal(task_name(job_id))} -Xml $xml "
                f"-User {_ps_literal(user)} -Password $password -Force | Out-Null",
                "Remove-Variable password }",
                "catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }",
            )
        )
        return ["powershell.exe", "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script]

    def remove(self, job_id: str, run_as: str | None = None) -> bool:
        path = task_path(job_id)
        res = self._call(["schtasks", "/Delete", "/TN", path, "/F"])
        if res.returncode == 0:
            return True
        # schtasks' messages are localised: ask again rather than read "cannot find".
        if self._call(["schtasks", "/Query", "/TN", path]).returncode != 0:
            return False
        raise EnvironmentProblem(
            f"could not delete the task {path}: {(res.stderr or res.stdout).strip()}",
            "run bwdc-tray as the user who created the task or as an administrator",
        )

    def job_ids(self) -> list[str]:
        """The job ids of the tasks in our folder that this process can see (an elevated one
        sees every user's), for `uninstall`. Filtered from the whole list by path: whether
        `/Query /TN` takes a folder is not documented (reference/schedulers.md §5)."""
        res = self._call(["schtasks", "/Query", "/FO", "CSV", "/NH"])
        if res.returncode != 0:
            raise EnvironmentProblem(
                "Task Scheduler could not list the tasks: "
                + ((res.stderr or res.stdout).strip() or f"exit code {res.returncode}"),
                "check that the Task Scheduler service runs (services.msc: Task Scheduler)",
            )
        import csv

        found: list[str] = []
        for row in csv.reader(res.stdout.splitlines()):
            # The first column is the task's path; the headers and the rest are localised.
            path = row[0] if row else ""
            name = path[len(FOLDER) :]
            if not path.lower().startswith(FOLDER.lower()) or not name or "\\" in name:
                continue
            job_id = job_id_of(name)
            if job_id is not None and job_id not in found:
                found.append(job_id)
        return found

    def remove_folder(self) -> str | None:
        """Delete our task folder once it is empty (schtasks cannot delete folders).

        Returns None when it is gone (or was never there), else why it stays."""
        folder = _ps_literal(FOLDER.strip("\\"))
        script = (
            "$ErrorActionPreference = 'Stop'; "
            "try { $service = New-Object -ComObject Schedule.Service; $service.Connect(); "
            "$root = $service.GetFolder('\\'); "
            f"try {{ $null = $root.GetFolder({folder}) }} catch {{ exit 0 }}; "
            f"$root.DeleteFolder({folder}, 0) }} "
            "catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }"
        )
        res = self._call(
            ["powershell.exe", "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script]
        )
        if res.returncode == 0:
            return None
        return (res.stderr or res.stdout).strip() or f"exit code {res.returncode}"

    def inspect(self, job_id: str, run_as: str | None = None) -> str | None:
        res = self._call(["schtasks", "/Query", "/TN", task_path(job_id), "/XML"])
        if res.returncode != 0:
            return None
        try:
            return canonical(res.stdout, run_as, self._account_of)
        except (ET.ParseError, ValueError):
            return res.stdout  # not a task we can read: it is not ours as we wrote it

    def _account_of(self, sid: str) -> str | None:
        """`DOMAIN\\user` for a SID in a task read back, or None."""
        script = (
            "(New-Object System.Security.Principal.SecurityIdentifier("
            f"{_ps_literal(sid)})).Translate([System.Security.Principal.NTAccount]).Value"
        )
        try:
            res = self.run(["powershell.exe", "-NoLogo", "-NoProfile", "-NonInteractive",
                            "-Command", script])  # fmt: skip
        except CommandNotFound:
            return None
        return res.stdout.strip() or None if res.returncode == 0 else None

    def run_now(self, job_id: str) -> None:
        path = task_path(job_id)
        res = self._call(["schtasks", "/Run", "/TN", path])
        if res.returncode != 0:
            raise EnvironmentProblem(
                f"Task Scheduler could not start {path}: {(res.stderr or res.stdout).strip()}",
                "check that the job is installed (`bwdc-tray schedule show NAME`)",
            )
