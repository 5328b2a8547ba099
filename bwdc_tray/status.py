"""Last-run status per instance, in the shape of DESIGN §6.

The log is the source of truth (read from its end, so a 1 GB log costs what a 1 KB one does);
the lock's holder file says whether a run is going on right now.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bwdc_tray import logs
from bwdc_tray.config import Config, Instance
from bwdc_tray.locking import current_holder
from bwdc_tray.paths import Paths

INTERRUPTED = "the run was interrupted before it ended (bwdc-tray was stopped or killed)"

# Filled in by the scheduling layer: (schedule, next_run, job state) for an instance.
ScheduleInfo = Callable[[Instance], tuple[str | None, str | None, str]]


def _no_schedule(_inst: Instance) -> tuple[str | None, str | None, str]:
    return None, None, "none"


def run_to_json(run: logs.Run, *, interrupted: bool = False) -> dict[str, Any]:
    return {
        "started": run.started.isoformat() if run.started else None,
        "finished": run.finished.isoformat() if run.finished else None,
        "result": "error" if interrupted or run.result is None else run.result,
        "exit_code": run.exit_code,
        "groups": run.groups,
        "users": run.users,
        "message": INTERRUPTED if interrupted else run.message,
        "trigger": run.trigger if run.trigger in ("schedule", "manual") else "unknown",
        "source": run.source,
    }


def _state(result: str) -> str:
    return {"ok": "ok", "timeout": "timeout"}.get(result, "failed")


def instance_status(
    paths: Paths, inst: Instance, schedule_info: ScheduleInfo = _no_schedule
) -> dict[str, Any]:
    schedule, next_run, job = schedule_info(inst)
    out: dict[str, Any] = {
        "name": inst.name,
        "label": inst.label,
        "state": "never",
        "last_run": None,
        "next_run": next_run,
        "schedule": schedule,
        "job": job,
    }
    running = current_holder(paths.locks_dir, inst.name) is not None
    try:
        runs = logs.read_runs(inst.log_path, 2, include_tests=False)
    except FileNotFoundError:
        runs = []
    except OSError:
        unlogged = None if running else _unlogged_run(paths, inst, None)
        if unlogged is not None:  # the run said why in the status file
            out["state"] = _state(str(unlogged["result"]))
            out["last_run"] = unlogged
            return out
        # The reason is for `doctor`; the status shape (DESIGN §6) has no field for it.
        out["state"] = "running" if running else "unknown"
        return out
    finished = [r for r in runs if r.result is not None]
    newest = runs[-1] if runs else None
    if running:
        out["state"] = "running"
        if finished:
            out["last_run"] = run_to_json(finished[-1])
        return out
    unlogged = _unlogged_run(paths, inst, newest)
    if unlogged is not None:
        out["state"] = _state(str(unlogged["result"]))
        out["last_run"] = unlogged
        return out
    if newest is None:
        return out
    if newest.result is None and newest.source == "foreign":
        # A hand-made recipe's date line with nothing after it yet: running, unless too old.
        age = (
            (datetime.now().astimezone() - newest.started).total_seconds()
            if newest.started
            else None
        )
        if age is not None and age < inst.timeout:
            out["state"] = "running"
            if finished:
                out["last_run"] = run_to_json(finished[-1])
            return out
    if newest.result is None:
        out["state"] = "failed"
        out["last_run"] = run_to_json(newest, interrupted=True)
        return out
    out["state"] = _state(newest.result)
    out["last_run"] = run_to_json(newest)
    return out


def status_file_json(paths: Paths, name: str) -> dict[str, Any]:
    """The runner's status file of ``name`` (runner._write_status); {} when absent or unreadable."""
    try:
        found = json.loads(paths.status_file(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _unlogged_run(paths: Paths, inst: Instance, newest: logs.Run | None) -> dict[str, Any] | None:
    """The last run from the status file, when the log could not take its outcome (disk full).

    The runner writes ``log_error`` into the status file only then, with the log's size; a later
    run rewrites the file or grows the log (sizes, not times: the clock may have been changed)."""
    cached = status_file_json(paths, inst.name)
    if not cached.get("log_error"):
        return None
    run_id, result = cached.get("run"), cached.get("result")
    if not isinstance(run_id, str) or result not in ("ok", "failed", "timeout", "error"):
        return None
    if newest is not None and newest.run_id == run_id and newest.result is not None:
        return None  # its end marker made it after all
    try:
        size: int | None = inst.log_path.stat().st_size
    except OSError:
        size = None
    if cached.get("log_size") != size:
        return None  # a later run wrote to the log (or rotated it): the log tells

    def text(key: str) -> str | None:
        value = cached.get(key)
        return value if isinstance(value, str) else None

    def count(key: str) -> int | None:
        value = cached.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    trigger = text("trigger")
    return {
        "started": text("started"),
        "finished": text("finished"),
        "result": result,
        "exit_code": count("exit_code"),
        "groups": count("groups"),
        "users": count("users"),
        "message": text("message") or "",
        "trigger": trigger if trigger in ("schedule", "manual") else "unknown",
        "source": "runner",
    }


def all_status(
    paths: Paths,
    cfg: Config,
    names: list[str] | None = None,
    schedule_info: ScheduleInfo = _no_schedule,
) -> list[dict[str, Any]]:
    chosen = names if names is not None else list(cfg.instances)
    return [instance_status(paths, cfg.get(n), schedule_info) for n in chosen]
