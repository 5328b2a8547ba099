"""The schedule model: a 5-field cron expression every backend can represent.

Our own small parser (numbers, ``*``, ranges, lists, steps, English month and day names) gives
exact errors and the field sets each backend compiles; cronsim, which follows Vixie cron on DST
and on the day-of-month/day-of-week rule, gives the next runs (reference/schedulers.md §0, §5).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bwdc_tray.errors import InvalidInput
from bwdc_tray.i18n import N_, _

MIN_INTERVAL_MINUTES = 5  # the desktop app's floor (reference/bwdc.md §7)

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
FULL_DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


@dataclass(frozen=True)
class Field:
    name: str  # English, compared by code; translated with _() where a message shows it
    low: int
    high: int
    names: tuple[str, ...] = ()
    name_base: int = 0


FIELDS = (
    Field(N_("minute"), 0, 59),
    Field(N_("hour"), 0, 23),
    Field(N_("day of month"), 1, 31),
    Field(N_("month"), 1, 12, MONTHS, 1),
    Field(N_("day of week"), 0, 7, DAYS, 0),
)

NICKNAMES = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}

_ITEM_RE = re.compile(r"^(?P<base>\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:/(?P<step>[0-9]+))?$")


@dataclass(frozen=True)
class CronExpr:
    """A parsed expression: canonical text (numbers only) and the set each field allows."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    # Vixie cron: a day field that starts with "*" counts as unrestricted for the OR rule.
    dom_restricted: bool
    dow_restricted: bool

    @property
    def fields(self) -> list[str]:
        return self.text.split()

    def next_runs(self, count: int, start: datetime | None = None) -> list[datetime]:
        return list(_take(self.iter_runs(start), count))

    def iter_runs(self, start: datetime | None = None) -> Iterator[datetime]:
        from cronsim import CronSim

        begin = start or datetime.now(local_zone())
        if begin.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        return iter(CronSim(self.text, begin))

    def min_gap_minutes(self) -> int:
        """The shortest time between two runs, from the field sets (no iteration)."""
        day_minutes = sorted(h * 60 + m for h in self.hours for m in self.minutes)
        gaps = [b - a for a, b in itertools.pairwise(day_minutes)]
        if self._consecutive_days():
            # Last run of one day to the first of the next.
            gaps.append(1440 - day_minutes[-1] + day_minutes[0])
        return min(gaps) if gaps else 1440

    def _consecutive_days(self) -> bool:
        """Whether two days in a row can both run (conservative: True when unsure)."""
        if self.dom_restricted and self.dow_restricted:
            return True  # OR of both fields: too many cases to be sure
        if self.dow_restricted:
            return any((d + 1) % 7 in self.weekdays for d in self.weekdays)
        if self.dom_restricted:
            return any(d + 1 in self.days for d in self.days) or (
                1 in self.days and bool(self.days & {28, 29, 30, 31})
            )
        return True


def local_zone() -> tzinfo:
    """The system's time zone with its DST rules; a fixed offset would put every run after the
    next DST change an hour off."""
    import os
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    try:
        with open("/etc/timezone", encoding="utf-8") as fh:  # Debian
            candidates.append(fh.read().strip())
    except OSError:
        pass
    for key in candidates:
        if key:
            try:
                return ZoneInfo(key)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    fallback = datetime.now().astimezone().tzinfo  # Windows without tzdata: best effort
    assert fallback is not None
    return fallback


def _take(it: Iterator[datetime], count: int) -> Iterator[datetime]:
    for _i in range(count):
        try:
            yield next(it)
        except StopIteration:
            return


def _number(text: str, spec: Field, expr: str) -> int:
    """int(text), or the range error when it is too long to be in any range (int() refuses
    numbers of more than 4300 digits with a bare ValueError)."""
    if len(text) <= 9:
        return int(text)
    raise InvalidInput(
        _("{expr!r}: {value} is out of range for the {field} ({low}-{high})").format(
            expr=expr[:80], value=text[:12] + "…", field=_(spec.name), low=spec.low, high=spec.high
        )
    )


def _value(token: str, spec: Field, expr: str) -> int:
    if token.isdigit():
        value = _number(token, spec, expr)
    elif token in spec.names:
        value = spec.names.index(token) + spec.name_base
    elif spec.names and token[:3] in spec.names and (token in FULL_DAYS or token in _full_months()):
        value = spec.names.index(token[:3]) + spec.name_base
    else:
        hint = _(" (names: {names})").format(names=", ".join(spec.names)) if spec.names else ""
        raise InvalidInput(
            _("{expr!r}: {token!r} is not a valid {field}{hint}").format(
                expr=expr, token=token, field=_(spec.name), hint=hint
            )
        )
    if not spec.low <= value <= spec.high:
        raise InvalidInput(
            _("{expr!r}: {value} is out of range for the {field} ({low}-{high})").format(
                expr=expr, value=value, field=_(spec.name), low=spec.low, high=spec.high
            )
        )
    return value


def _full_months() -> tuple[str, ...]:
    return (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    )


def _parse_field(text: str, spec: Field, expr: str) -> tuple[frozenset[int], str]:
    values: set[int] = set()
    canonical: list[str] = []
    for item in text.split(","):
        m = _ITEM_RE.match(item)
        if not item or m is None:
            raise InvalidInput(
                _(
                    "{expr!r}: {item!r} is not a valid {field} item "
                    "(use numbers, *, a-b, a,b or */n)"
                ).format(expr=expr, item=item, field=_(spec.name))
            )
        base, step_text = m.group("base"), m.group("step")
        step = _number(step_text, spec, expr) if step_text else 1
        if step < 1:
            raise InvalidInput(
                _("{expr!r}: a step of 0 in the {field} never advances").format(
                    expr=expr, field=_(spec.name)
                )
            )
        if base == "*":
            low, high = spec.low, spec.high if spec.name != "day of week" else 6
            canonical.append("*" if step == 1 else f"*/{step}")
        elif "-" in base:
            a, b = base.split("-", 1)
            low, high = _value(a, spec, expr), _value(b, spec, expr)
            if low > high:
                raise InvalidInput(
                    _(
                        "{expr!r}: the {field} range {range} goes backwards; "
                        "write it as two ranges (e.g. fri-sat,sun)"
                    ).format(expr=expr, field=_(spec.name), range=base)
                )
            canonical.append(f"{low}-{high}" + (f"/{step}" if step_text else ""))
        else:
            if step_text:
                raise InvalidInput(
                    _("{expr!r}: {item!r}: a step needs a range or * (e.g. {example})").format(
                        expr=expr, item=item, example=f"{base}-{spec.high}/{step}"
                    )
                )
            low = high = _value(base, spec, expr)
            canonical.append(str(low))
        for v in range(low, high + 1, step):
            values.add(0 if spec.name == "day of week" and v == 7 else v)
    return frozenset(values), ",".join(canonical)


def _refuse_extensions(item: str, expr: str) -> None:
    if "#" in item:
        message = _(
            "{expr!r}: # (nth weekday of the month) is not understood by every cron and scheduler"
        )
    elif "?" in item:
        message = _("{expr!r}: ? is Quartz syntax, not cron: use *")
    elif re.fullmatch(r"l|l-\d+|\d+l|lw", item):
        message = _("{expr!r}: L (last day) is not understood by every cron and scheduler")
    elif re.fullmatch(r"\d+w", item):
        message = _("{expr!r}: W (nearest weekday) is not understood by every cron and scheduler")
    elif re.fullmatch(r"h(\(.*\))?(/\d+)?", item):
        message = _("{expr!r}: H (hashed value) is Jenkins syntax, not cron")
    else:
        return
    raise InvalidInput(message.format(expr=expr))


def parse(expression: str) -> CronExpr:
    expr = " ".join(expression.split())
    if not expr:
        raise InvalidInput(_("the schedule is empty: give a cron expression or a preset"))
    low = expr.lower()
    if low.startswith("@"):
        if low == "@reboot":
            raise InvalidInput(
                _(
                    "@reboot is refused: bwdc-tray schedules runs at times, not at "
                    "boot (a preset such as `hourly` catches up after a restart)"
                )
            )
        if low not in NICKNAMES:
            raise InvalidInput(
                _("{expr!r} is not a schedule nickname bwdc-tray knows").format(expr=expr)
            )
        low = NICKNAMES[low]
    parts = low.split(" ")
    if len(parts) != 5:
        more = _(" (a seconds or year field is not cron: use 5 fields)") if len(parts) > 5 else ""
        raise InvalidInput(
            _(
                "{expr!r} has {count} fields; cron needs 5: minute hour "
                "day-of-month month day-of-week{more}"
            ).format(expr=expr, count=len(parts), more=more)
        )
    for part in parts:
        for item in part.split(","):
            _refuse_extensions(item, expr)
    sets: list[frozenset[int]] = []
    canonical: list[str] = []
    for text, spec in zip(parts, FIELDS, strict=True):
        values, canon = _parse_field(text, spec, expr)
        if spec.name == "day of week" and not text.startswith("*"):
            # 7 is Sunday too, but not for every scheduler: write the days out, Sunday as 0.
            canon = _compact(values)
        sets.append(values)
        canonical.append(canon)
    parsed = CronExpr(
        text=" ".join(canonical),
        minutes=sets[0],
        hours=sets[1],
        days=sets[2],
        months=sets[3],
        weekdays=sets[4],
        dom_restricted=not parts[2].startswith("*"),
        dow_restricted=not parts[4].startswith("*"),
    )
    _check_fires(parsed, expr)
    return parsed


def _compact(values: frozenset[int]) -> str:
    out: list[str] = []
    ordered = sorted(values)
    start = prev = ordered[0]
    for v in [*ordered[1:], None]:
        if v is not None and v == prev + 1:
            prev = v
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if v is not None:
            start = prev = v
    return ",".join(out)


def _check_fires(parsed: CronExpr, expr: str) -> None:
    if parsed.dow_restricted and parsed.dom_restricted:
        return  # OR: the weekdays alone make it fire
    if parsed.dom_restricted:
        longest = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}
        if all(min(parsed.days) > longest.get(m, 31) for m in parsed.months):
            raise InvalidInput(
                _("{expr!r} can never run: no chosen month has day {day}").format(
                    expr=expr, day=min(parsed.days)
                )
            )


# --- presets -----------------------------------------------------------------------------------

_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _time(text: str, preset: str) -> tuple[int, int]:
    m = _TIME_RE.match(text)
    if m is None:
        raise InvalidInput(
            _("{preset!r}: {text!r} is not a time; use HH:MM, 24-hour (e.g. 02:30)").format(
                preset=preset, text=text
            )
        )
    return int(m.group(1)), int(m.group(2))


def from_preset(text: str) -> str | None:
    """The cron expression for a preset, or None when ``text`` is not a preset."""
    words = text.strip().lower().split()
    if not words:
        return None
    kind = words[0]
    if kind == "hourly" and len(words) == 1:
        return "0 * * * *"
    if kind == "daily" and len(words) == 2:
        h, m = _time(words[1], text)
        return f"{m} {h} * * *"
    if kind == "weekly" and len(words) == 3:
        days = []
        for day in words[1].split(","):
            key = day[:3]
            if key not in DAYS or (len(day) > 3 and day not in FULL_DAYS):
                raise InvalidInput(
                    _("{text!r}: {day!r} is not a day (mon, tue, … sun)").format(text=text, day=day)
                )
            days.append(str(DAYS.index(key)))
        h, m = _time(words[2], text)
        return f"{m} {h} * * {','.join(days)}"
    if kind == "monthly" and len(words) == 3:
        if not words[1].isdigit() or not 1 <= int(words[1]) <= 31:
            raise InvalidInput(
                _("{text!r}: the day of the month must be 1 to 31").format(text=text)
            )
        h, m = _time(words[2], text)
        return f"{m} {h} {int(words[1])} * *"
    if kind == "every" and len(words) == 2:
        every = re.fullmatch(r"(\d+)([mh])", words[1])
        if every is None:
            raise InvalidInput(
                _("{text!r}: write `every Nm` (minutes) or `every Nh` (hours)").format(text=text)
            )
        n, unit = int(every.group(1)), every.group(2)
        span = 60 if unit == "m" else 24
        if n < 1 or span % n:
            fits = [d for d in range(1, span) if span % d == 0]
            if unit == "m":
                message = _(
                    "{text!r}: cron can only repeat evenly every {steps} minutes "
                    "(other steps leave a short gap at the top of the hour)"
                )
            else:
                message = _(
                    "{text!r}: cron can only repeat evenly every {steps} hours "
                    "(other steps leave a short gap at the top of the day)"
                )
            raise InvalidInput(message.format(text=text, steps=", ".join(map(str, fits))))
        if unit == "m":
            return "* * * * *" if n == 1 else f"*/{n} * * * *"
        return "0 * * * *" if n == 1 else f"0 */{n} * * *"
    if kind in ("hourly", "daily", "weekly", "monthly", "every"):
        usage = {
            "hourly": "hourly",
            "daily": "daily HH:MM",
            "weekly": "weekly DAY[,DAY…] HH:MM",
            "monthly": "monthly D HH:MM",
            "every": "every Nm | every Nh",
        }[kind]
        raise InvalidInput(
            _("{text!r}: the preset is written `{usage}`").format(text=text, usage=usage)
        )
    return None


def resolve(text: str, *, allow_frequent: bool = False) -> CronExpr:
    """A preset or an expression, checked against the 5-minute floor."""
    preset = from_preset(text)
    parsed = parse(preset if preset is not None else text)
    gap = parsed.min_gap_minutes()
    if gap < MIN_INTERVAL_MINUTES and not allow_frequent:
        raise InvalidInput(
            _(
                "{text!r} runs {gap} minute(s) apart; every bwdc sync takes seconds and the "
                "desktop app's floor is {floor} minutes"
            ).format(text=text, gap=gap, floor=MIN_INTERVAL_MINUTES),
            _("choose a slower schedule, or pass --allow-frequent if you mean it"),
        )
    return parsed
