"""A small Task Scheduler trigger simulator, for tests: when would this task XML fire?

It reads the XML itself (not the backend's plan), in naive wall-clock time, as the documentation
describes the elements (reference/schedulers.md §1.2):

* TimeTrigger: once at StartBoundary, then every Interval while within Duration (none: forever).
* CalendarTrigger: on every matching day from StartBoundary's date, at StartBoundary's time of
  day, then every Interval while within Duration; ScheduleByDay counts DaysInterval from the start
  date, ScheduleByWeek counts WeeksInterval in Monday-based weeks from the start's week,
  ScheduleByMonth matches DaysOfMonth (`Last` = the month's last day; a day the month lacks never
  fires) in Months, ScheduleByMonthDayOfWeek matches the n-th (1-4) or last weekday in Months.
* The Repetition Duration end is inclusive ("interval one minute, duration four minutes … launched
  five times"); EndBoundary, when present, ends the trigger; a disabled trigger never fires.
* The task fires at the union of its triggers' times.
"""

from __future__ import annotations

import calendar
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

NS = "{http://schemas.microsoft.com/windows/2004/02/mit/task}"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")


def duration(text: str) -> timedelta:
    m = _DURATION.match(text.strip())
    assert m is not None, f"unsupported duration {text!r}"
    return timedelta(**{k: int(v or 0) for k, v in zip(
        ("days", "hours", "minutes", "seconds"), m.groups(), strict=True)})  # fmt: skip


def _find(el: ET.Element, name: str) -> ET.Element | None:
    return el.find(NS + name)


def _text(el: ET.Element, name: str) -> str | None:
    child = _find(el, name)
    return None if child is None else (child.text or "").strip()


def _names(el: ET.Element | None) -> set[str]:
    return set() if el is None else {c.tag.removeprefix(NS) for c in el}


def _boundary(text: str) -> datetime:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", text), (
        f"StartBoundary {text!r} is not local time without an offset"
    )
    return datetime.fromisoformat(text)


def _day_matches(schedule: ET.Element, kind: str, day: date, start: date) -> bool:
    if kind == "ScheduleByDay":
        interval = int(_text(schedule, "DaysInterval") or 1)
        return (day - start).days % interval == 0
    if kind == "ScheduleByWeek":
        interval = int(_text(schedule, "WeeksInterval") or 1)
        week0 = start - timedelta(days=start.weekday())
        weeks = (day - week0).days // 7
        return weeks % interval == 0 and WEEKDAYS[day.weekday()] in _names(
            _find(schedule, "DaysOfWeek")
        )
    months = _names(_find(schedule, "Months")) or set(MONTHS)
    if MONTHS[day.month - 1] not in months:
        return False
    last = calendar.monthrange(day.year, day.month)[1]
    if kind == "ScheduleByMonth":
        days_el = _find(schedule, "DaysOfMonth")
        values = {(d.text or "").strip() for d in (days_el if days_el is not None else [])}
        return str(day.day) in values or ("Last" in values and day.day == last)
    if kind == "ScheduleByMonthDayOfWeek":
        if WEEKDAYS[day.weekday()] not in _names(_find(schedule, "DaysOfWeek")):
            return False
        weeks_el = _find(schedule, "Weeks")
        wanted = {(w.text or "").strip() for w in (weeks_el if weeks_el is not None else [])}
        nth = str((day.day - 1) // 7 + 1)
        return nth in wanted or ("Last" in wanted and day.day + 7 > last)
    raise AssertionError(f"unknown schedule {kind}")


def _repeat(
    first: datetime, interval: timedelta | None, span: timedelta | None, lo: datetime, hi: datetime
) -> list[datetime]:
    if interval is None:
        return [first] if lo <= first < hi else []
    end = hi if span is None else min(hi, first + span + timedelta(microseconds=1))  # inclusive
    k = max(0, -((first - lo) // interval))  # the first repetition at or after lo
    out = []
    t = first + k * interval
    while t < end:
        out.append(t)
        t += interval
    return out


def fire_times(xml: str, lo: datetime, hi: datetime) -> set[datetime]:
    """Every time in [lo, hi) at which the task's triggers start it."""
    root = ET.fromstring(xml.lstrip("\ufeff"))  # noqa: S314  # our own test data
    triggers = _find(root, "Triggers")
    out: set[datetime] = set()
    for trig in triggers if triggers is not None else []:
        kind = trig.tag.removeprefix(NS)
        if (_text(trig, "Enabled") or "true") != "true":
            continue
        start = _boundary(_text(trig, "StartBoundary") or "")
        end_text = _text(trig, "EndBoundary")
        stop = min(hi, _boundary(end_text)) if end_text else hi
        rep = _find(trig, "Repetition")
        interval = span = None
        if rep is not None:
            interval = duration(_text(rep, "Interval") or "")
            span_text = _text(rep, "Duration")
            span = duration(span_text) if span_text else None
        if kind == "TimeTrigger":
            out.update(_repeat(start, interval, span, lo, stop))
            continue
        assert kind == "CalendarTrigger", f"the simulator does not know {kind}"
        schedules = [c for c in trig if c.tag.removeprefix(NS).startswith("ScheduleBy")]
        assert len(schedules) == 1
        schedule = schedules[0]
        by = schedule.tag.removeprefix(NS)
        # Activations that began before lo can still repeat into it (at most a day before, as our
        # durations are shorter than a day; a generous week is checked).
        day = max(start.date(), (lo - timedelta(days=7)).date())
        while day < stop.date() + timedelta(days=1):
            if _day_matches(schedule, by, day, start.date()):
                first = datetime.combine(day, start.time())
                if first >= start:
                    out.update(_repeat(first, interval, span, lo, stop))
            day += timedelta(days=1)
    return out
