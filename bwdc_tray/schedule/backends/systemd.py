"""systemd timers: a `.service` running our runner and a `.timer` with `OnCalendar=` lines.

"As me": user units in `~/.config/systemd/user`, driven by `systemctl --user`. A dedicated user
(`--run-as`, as root): system units in `/etc/systemd/system` with `User=`, driven by `systemctl`
(reference/schedulers.md §3.7).

The timer is compiled from the expression's field sets, never from its text: lists, ranges `a..b`
and *bounded* repetitions `a..b/s`. An open-ended repetition (`*:00/7`) is never written: systemd
252 skips the first value of the next day after a wrap (`*:00/7` goes from 23:56 to 00:07, measured
with `systemd-analyze calendar`), the bounded form `00..56/7` does not. When both day fields are
restricted, cron fires on either (Vixie's OR rule) while one `OnCalendar=` ANDs them, so we write
two lines, whose union is what systemd runs.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from pathlib import Path

from bwdc_tray.errors import EnvironmentProblem, InvalidInput
from bwdc_tray.fsutil import atomic_write_text
from bwdc_tray.oscmd import CommandNotFound, CommandRunner, Completed, run_command
from bwdc_tray.schedule.backends.base import JobSpec
from bwdc_tray.schedule.cron import CronExpr

PREFIX = "bwdc-tray-"
SYSTEM_UNIT_DIR = Path("/etc/systemd/system")
LINGER_DIR = Path("/var/lib/systemd/linger")
UNIT_FILE_MODE = 0o644  # no secret in either file; systemctl and admins read them
# Our runner stops bwdc at spec.timeout, then may spend up to runner.CLEANUP_TIMEOUT_S (120 s)
# cleaning up; systemd's own stop must come only after that.
TIMEOUT_MARGIN_S = 300
UNIT_NAME_MAX = 255
MANAGED = "# Managed by bwdc-tray: change it with `bwdc-tray schedule`; edits here show as drift."

# Weekdays in systemd's order (Monday first); cron numbers them from 0 = Sunday.
SD_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONGEST_MONTH = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}
_UNIT_SAFE = re.compile(r"[A-Za-z0-9:_.-]")
_BARE_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_POSIX_USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,31}")


class SystemdError(EnvironmentProblem):
    pass


# --- names --------------------------------------------------------------------------------------


def unit_stem(job_id: str) -> str:
    """``bwdc-tray-<job_id>``, with systemd's ``\\xNN`` escaping for what a unit name can't hold.

    ``@`` (job ids of a ``--home`` have one) separates a template from its instance in a unit
    name, so ``corp@1a2b3c4d`` becomes ``corp\\x401a2b3c4d``, as ``systemd-escape`` writes it. ``-``
    is kept: systemd-escape turns it into ``\\x2d`` only because it encodes paths, where ``-``
    stands for ``/``. Instance names never hold a backslash, so the mapping is one-to-one.
    """
    if not job_id:
        raise InvalidInput("the job has no id", "give the instance a name")
    out = []
    for ch in job_id:
        if _UNIT_SAFE.fullmatch(ch):
            out.append(ch)
        else:
            out.extend(f"\\x{b:02x}" for b in _utf8(ch, "the job id"))
    stem = PREFIX + "".join(out)
    if len(stem) + len(".service") > UNIT_NAME_MAX:
        raise InvalidInput(
            f"the job id {job_id!r} makes a unit name longer than systemd's {UNIT_NAME_MAX}",
            "use a shorter instance name",
        )
    return stem


def unit_names(job_id: str) -> tuple[str, str]:
    stem = unit_stem(job_id)
    return f"{stem}.service", f"{stem}.timer"


_ESCAPED = re.compile(r"(?:\\x[0-9a-f]{2})+")


def job_id_of(unit: str) -> str | None:
    """The job id a unit file name of ours stands for (``unit_stem`` undone), or None."""
    stem, _dot, kind = unit.rpartition(".")
    if kind not in ("service", "timer") or not stem.startswith(PREFIX):
        return None

    def unescape(m: re.Match[str]) -> str:
        return bytes(int(h, 16) for h in m.group(0).split("\\x")[1:]).decode("utf-8")

    try:
        job_id = _ESCAPED.sub(unescape, stem[len(PREFIX) :])
        # Only a name we would write ourselves: anything else is not one of our jobs.
        return job_id if unit_stem(job_id) == stem else None
    except (UnicodeDecodeError, InvalidInput):
        return None


# --- OnCalendar ---------------------------------------------------------------------------------


def _numbers(values: frozenset[int], low: int, high: int) -> str:
    """A field of the date or time: ``*``, ``a..b/s`` (bounded), or a list of values and runs."""
    ordered = sorted(values)
    if ordered == list(range(low, high + 1)):
        return "*"
    steps = {b - a for a, b in itertools.pairwise(ordered)}
    if len(ordered) >= 3 and len(steps) == 1 and min(steps) > 1:
        # Bounded: `a/s` without its end trips systemd's normalisation bug (module docstring).
        return f"{ordered[0]:02d}..{ordered[-1]:02d}/{steps.pop()}"
    return ",".join(
        f"{a:02d}" if a == b else f"{a:02d},{b:02d}" if b == a + 1 else f"{a:02d}..{b:02d}"
        for a, b in _runs(ordered)
    )


def _weekdays(weekdays: frozenset[int]) -> str:
    """Weekday names as systemd normalises them: Monday first, runs of three or more as ``..``."""
    ordered = sorted((d + 6) % 7 for d in weekdays)
    parts = []
    for a, b in _runs(ordered):
        if b - a >= 2:
            parts.append(f"{SD_DAYS[a]}..{SD_DAYS[b]}")
        else:
            parts.extend(SD_DAYS[i] for i in range(a, b + 1))
    return ",".join(parts)


def _runs(ordered: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for v in ordered:
        if runs and runs[-1][1] == v - 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return runs


def on_calendar(expr: CronExpr) -> list[str]:
    """The ``OnCalendar=`` values whose union fires exactly when cron runs ``expr``.

    Each value is already in systemd's normalised form (``systemd-analyze calendar`` prints it
    back unchanged). Times are the system's local wall-clock time, as for cron.
    """
    months = _numbers(expr.months, 1, 12)
    clock = f"{_numbers(expr.hours, 0, 23)}:{_numbers(expr.minutes, 0, 59)}:00"
    all_days = expr.days == frozenset(range(1, 32))
    all_weekdays = expr.weekdays == frozenset(range(7))
    if expr.dom_restricted and expr.dow_restricted:
        # cron's OR: a day runs when its date or its weekday is chosen.
        if all_days or all_weekdays:
            return [f"*-{months}-* {clock}"]
        lines = [f"{_weekdays(expr.weekdays)} *-{months}-* {clock}"]
        if any(min(expr.days) <= _LONGEST_MONTH.get(m, 31) for m in expr.months):
            lines.append(f"*-{months}-{_numbers(expr.days, 1, 31)} {clock}")
        return lines
    # One field is unrestricted for cron (it starts with `*`): both must match, as in systemd.
    dow = "" if all_weekdays else f"{_weekdays(expr.weekdays)} "
    return [f"{dow}*-{months}-{_numbers(expr.days, 1, 31)} {clock}"]


# --- ExecStart ----------------------------------------------------------------------------------


def _utf8(text: str, what: str) -> bytes:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"{what} {text!r} is not valid UTF-8, which a unit file must be",
            "move bwdc-tray and its home to a path with a UTF-8 name",
        ) from exc
    if any(0xFDD0 <= ord(ch) <= 0xFDEF or (ord(ch) & 0xFFFE) == 0xFFFE for ch in text):
        # systemd's UTF-8 check refuses Unicode noncharacters: "String is not UTF-8 clean,
        # ignoring assignment", and a service without its ExecStart= never starts.
        raise InvalidInput(
            f"{what} {text!r} holds a Unicode noncharacter (U+FDD0-U+FDEF, U+xFFFE, U+xFFFF), "
            "which systemd refuses in a unit file",
            "move bwdc-tray and its home to a path without such characters",
        )
    return data


def quote_arg(arg: str, *, executable: bool = False) -> str:
    """One word of ``ExecStart=``, read back by systemd as exactly ``arg`` (systemd.service(5)).

    systemd first splits and unquotes the line with C escapes, then expands ``%`` specifiers in
    each word, then at run time substitutes ``$VAR`` in the arguments: ``\\`` and ``"`` are
    escaped inside double quotes, ``%`` becomes ``%%`` and ``$`` becomes ``$$``.
    """
    what = "the program path" if executable else "the argument"
    _utf8(arg, what)
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in arg):
        raise InvalidInput(
            f"{what} {arg!r} holds a control character (a line break, a tab…), which a "
            "unit file line cannot carry",
            "use paths without control characters",
        )
    if executable:
        if not arg.startswith("/"):
            raise InvalidInput(
                f"ExecStart= needs an absolute program path; got {arg!r}",
                "run bwdc-tray from an absolute path",
            )
        bad = sorted({ch for ch in arg if ch in "\"'\\$"})
        if bad:
            # systemd refuses quotes and backslashes in the executable ("Executable name contains
            # special characters"), and expands `$` in argv[0] but not in the path it executes.
            raise InvalidInput(
                f"systemd cannot start a program whose path holds {' '.join(bad)}: {arg!r}",
                "install bwdc-tray (or its Python) under a path without quotes, backslashes or $",
            )
    text = arg.replace("%", "%%").replace("$", "$$")
    if text and _BARE_WORD.fullmatch(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def exec_start(command: tuple[str, ...]) -> str:
    if not command:
        raise InvalidInput("the job has no command to run")
    first, *rest = command
    return " ".join([quote_arg(first, executable=True), *(quote_arg(a) for a in rest)])


def _unit_text(value: str) -> str:
    """A free-text setting (Description=): specifiers escaped, no line break."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise InvalidInput(f"{value!r} holds a control character, which a unit file cannot carry")
    return value.replace("%", "%%")


def _check_user(user: str) -> str:
    if not _POSIX_USER.fullmatch(user) or user.isdigit():
        raise InvalidInput(
            f"--run-as {user!r}: systemd's User= needs a local account name "
            "(letters, digits, _ . -, at most 32; not all digits, which systemd reads as a UID)",
            "give the name of a local user account",
        )
    return user


# --- the backend --------------------------------------------------------------------------------


class SystemdBackend:
    name = "systemd"

    def __init__(
        self,
        runner: CommandRunner = run_command,
        unit_dir: Path | None = None,
        system_unit_dir: Path | None = None,
    ) -> None:
        self.run = runner
        self._user_dir = unit_dir
        self._system_dir = system_unit_dir
        self.linger_dir = LINGER_DIR

    # --- pure ---------------------------------------------------------------------------------

    def service_text(self, spec: JobSpec) -> str:
        if not spec.timeout > 0 or not math.isfinite(spec.timeout):
            raise InvalidInput(f"the timeout must be a positive number of seconds: {spec.timeout}")
        lines = [
            MANAGED,
            "[Unit]",
            f"Description=bwdc-tray: sync of {_unit_text(spec.instance)}",
            "",
            "[Service]",
            "Type=oneshot",
        ]
        if spec.run_as:
            lines.append(f"User={_check_user(spec.run_as)}")
        lines += [
            f"ExecStart={exec_start(spec.command)}",
            f"TimeoutStartSec={math.ceil(spec.timeout) + TIMEOUT_MARGIN_S}",
        ]
        return "\n".join(lines) + "\n"

    def timer_text(self, spec: JobSpec) -> str:
        lines = [
            MANAGED,
            f"# cron: {spec.expr.text}",
            "[Unit]",
            f"Description=bwdc-tray: schedule of {_unit_text(spec.instance)}",
            "",
            "[Timer]",
            *(f"OnCalendar={line}" for line in on_calendar(spec.expr)),
            # A run missed while off or asleep runs once at boot or wake.
            "Persistent=true",
            # The default 1min lets systemd start anywhere in the minute after the time, to
            # batch wake-ups; 1s keeps the start in the scheduled minute, as cron does, so runs
            # land when `schedule show` says.
            "AccuracySec=1s",
            "",
            "[Install]",
            "WantedBy=timers.target",
        ]
        return "\n".join(lines) + "\n"

    def render(self, spec: JobSpec) -> str:
        service, timer = unit_names(spec.job_id)
        return _one_string((service, self.service_text(spec)), (timer, self.timer_text(spec)))

    # --- OS -----------------------------------------------------------------------------------

    def unit_dir(self, run_as: str | None = None) -> Path:
        if run_as is not None:
            return self._system_dir or SYSTEM_UNIT_DIR
        if self._user_dir is not None:
            return self._user_dir
        config = os.environ.get("XDG_CONFIG_HOME", "")
        base = Path(config) if os.path.isabs(config) else Path.home() / ".config"
        return base / "systemd" / "user"

    def _scope(self, run_as: str | None) -> list[str]:
        if run_as is None:
            return ["--user"]
        if self._system_dir is None and hasattr(os, "geteuid") and os.geteuid() != 0:
            raise InvalidInput(
                f"--run-as {run_as}: only root can install system units in {SYSTEM_UNIT_DIR}",
                "run this command as root (sudo), or schedule as yourself",
            )
        return []

    def systemctl(self, run_as: str | None, *args: str) -> Completed:
        argv = ["systemctl", *self._scope(run_as), *args]
        try:
            return self.run(argv)
        except CommandNotFound as exc:
            raise SystemdError(
                "systemctl is not installed: this machine does not run systemd",
                "use --backend cron",
            ) from exc

    def _check(self, res: Completed, run_as: str | None, what: str) -> None:
        if res.returncode == 0:
            return
        err = res.stderr.strip() or res.stdout.strip() or f"exit status {res.returncode}"
        if run_as is None:
            remedy = (
                "systemd user timers need your user manager (systemd --user): run this from your "
                "own login session, not through sudo or su; or use --backend cron"
            )
        else:
            remedy = "check that systemd is the init system here (PID 1), or use --backend cron"
        raise SystemdError(f"`{' '.join(res.argv)}` failed ({err}); {what}", remedy)

    def install(self, spec: JobSpec) -> list[str]:
        service, timer = unit_names(spec.job_id)
        texts = {service: self.service_text(spec), timer: self.timer_text(spec)}
        self._scope(spec.run_as)  # refuse before writing anything
        folder = self.unit_dir(spec.run_as)
        for name, text in texts.items():
            path = folder / name
            if _read(path) != text:
                atomic_write_text(path, text, UNIT_FILE_MODE)
        not_active = "the unit files are written but the timer is not active"
        self._check(self.systemctl(spec.run_as, "daemon-reload"), spec.run_as, not_active)
        self._check(self.systemctl(spec.run_as, "enable", "--now", timer), spec.run_as, not_active)
        return self.warnings(spec)

    def remove(self, job_id: str, run_as: str | None = None) -> bool:
        service, timer = unit_names(job_id)
        folder = self.unit_dir(run_as)
        paths = [folder / service, folder / timer, _wants_link(folder, timer)]
        if not any(p.exists() or p.is_symlink() for p in paths):
            return False
        disabled = self.systemctl(run_as, "disable", "--now", timer)
        for path in paths:
            if path.exists() or path.is_symlink():
                path.unlink()
        reloaded = self.systemctl(run_as, "daemon-reload")
        if disabled.returncode != 0 and reloaded.returncode == 0:
            # The manager is there but would not stop the timer: it runs on from memory.
            self._check(disabled, run_as, f"the unit files are removed; stop {timer} by hand")
        return True

    def job_ids(self, run_as: str | None = None) -> list[str]:
        """The job ids of the units of ours in the unit folder (`uninstall` finds those that no
        instance names any more): named by us and marked as managed by us."""
        found: list[str] = []
        try:
            names = sorted(p.name for p in self.unit_dir(run_as).iterdir())
        except FileNotFoundError:
            return []
        for name in names:
            job_id = job_id_of(name)
            text = _read(self.unit_dir(run_as) / name) if job_id is not None else None
            if job_id is not None and job_id not in found and (text or "").startswith(MANAGED):
                found.append(job_id)
        return found

    def inspect(self, job_id: str, run_as: str | None = None) -> str | None:
        service, timer = unit_names(job_id)
        folder = self.unit_dir(run_as)
        texts = [_read(folder / service), _read(folder / timer)]
        if texts == [None, None]:
            return None
        found = _one_string(
            *(
                (name, text if text is not None else "# (missing)\n")
                for name, text in zip((service, timer), texts, strict=True)
            )
        )
        if texts[1] is not None and not _wants_link(folder, timer).is_symlink():
            # `enable` links it into timers.target.wants; without the link it never starts.
            found += f"# {timer} is not enabled\n"
        return found

    def warnings(self, spec: JobSpec) -> list[str]:
        out = []
        if spec.run_as is None:
            user = _login_name()
            if user and not (self.linger_dir / user).exists():
                out.append(
                    "systemd user timers run only while you are logged in; to run them when you "
                    f"are logged out too: loginctl enable-linger {user}"
                )
        fixed = spec.expr.hours != frozenset(range(24))
        if fixed and spec.expr.hours & {1, 2}:
            out.append(
                "systemd skips a run whose time falls in the hour skipped when daylight saving "
                "time starts (cron runs it right after the change); avoid 01:00-03:00 if that "
                "matters"
            )
        return out


def _one_string(*files: tuple[str, str]) -> str:
    return "\n".join(f"# {name}\n{text}" for name, text in files)


def _wants_link(folder: Path, timer: str) -> Path:
    return folder / "timers.target.wants" / timer


def _read(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def _login_name() -> str | None:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None
