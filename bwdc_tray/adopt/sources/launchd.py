"""launchd (macOS): plists in ~/Library/LaunchAgents, /Library/LaunchAgents and
/Library/LaunchDaemons, their schedule as cron when exact. bwdc-tray's own plists are left out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bwdc_tray.adopt.context import Env, canonical_cron, cron_field, findings
from bwdc_tray.adopt.model import Finding
from bwdc_tray.adopt.recipe import read_argv

_CAL_KEYS = ("Minute", "Hour", "Day", "Month", "Weekday")
_CAL_RANGES = {"Minute": (0, 59), "Hour": (0, 23), "Day": (1, 31), "Month": (1, 12),
               "Weekday": (0, 7)}  # fmt: skip


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
            (cron_field(p.get("Minute"), 0, 59), cron_field(p.get("Hour"), 0, 23),
             cron_field(p.get("Day")), cron_field(p.get("Month")), cron_field(p.get("Weekday")))
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
            (cron_field(a.get("Minute"), 0, 59), cron_field(a.get("Hour"), 0, 23),
             cron_field(a["Day"]), cron_field(a.get("Month")), cron_field(b["Weekday"]))
        )  # fmt: skip
    else:
        return None
    return canonical_cron(text)


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


def discover_launchd(ctx: Env, root: Path | None) -> list[Finding]:
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
    path: Path, data: bytes, plist: dict[str, Any], where: str, ctx: Env
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
    return findings(
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
