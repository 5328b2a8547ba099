"""Metrics for Prometheus' node-exporter textfile collector: one `.prom` file per instance.

node_exporter (`--collector.textfile.directory=DIR`) reads every `*.prom` file in DIR at each
scrape. Each file is replaced atomically (a temp file in the same folder, whose name does not
end in `.prom`, then a rename), so a scrape never reads half a file; one file per instance, so
two instances finishing at once never write the same file. The files hold no secret and
node_exporter runs as another user: they are 0644.

The text format: https://prometheus.io/docs/instrumenting/exposition_formats/ (no sample
timestamps: the textfile collector refuses them; the same HELP text in every file, or
node_exporter reports an inconsistency between files).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bwdc_tray.alerts.model import Delivery, RunEvent
from bwdc_tray.fsutil import atomic_write_text

CHANNEL = "metrics"
PREFIX = "bwdc_tray"
FILE_MODE = 0o644
# The label naming the bwdc-tray instance. Beware: Prometheus attaches its own `instance`
# label (the scraped target) and, with the default honor_labels: false, renames ours to
# `exported_instance` on ingestion.
# Not "instance": Prometheus gives every scraped series its own `instance` label (the exporter's
# host:port) and would rename ours to `exported_instance`.
INSTANCE_LABEL = "bwdc_instance"

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

_HELP = {
    "last_run_timestamp_seconds": "When the last bwdc sync run of this instance ended (Unix time).",
    "last_success_timestamp_seconds": (
        "When the last successful bwdc sync run of this instance ended (Unix time)."
    ),
    "last_run_success": "1 if the last bwdc sync run of this instance succeeded, else 0.",
    "last_run_result": (
        "The result of the last bwdc sync run of this instance (ok, failed, timeout, error), "
        "as a label of a sample of value 1."
    ),
    "last_run_duration_seconds": "How long the last bwdc sync run of this instance took.",
    "last_run_groups": "Groups synced by the last bwdc sync run of this instance.",
    "last_run_users": "Users synced by the last bwdc sync run of this instance.",
}


def file_name(instance: str) -> str:
    """`bwdc_tray_<instance>.prom`. A name outside the instance-name rule (never from the config,
    which enforces it) is made safe for a file name and given a hash, so it cannot collide."""
    if _SAFE_NAME.fullmatch(instance):
        return f"{PREFIX}_{instance}.prom"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", instance)[:48].lstrip(".") or "_"
    digest = hashlib.sha256(instance.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{PREFIX}_{safe}-{digest}.prom"


def escape_label(value: str) -> str:
    """A label value in the text format: backslash, double quote and newline escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def _end_time(event: RunEvent) -> datetime:
    if event.finished is not None:
        return event.finished
    if event.duration_s is not None:
        return event.started + timedelta(seconds=event.duration_s)
    return event.started


def render(instance: str, last: RunEvent, last_success: datetime | None) -> str:
    """The file's text (pure)."""
    if last_success is None and last.ok:
        last_success = _end_time(last)
    base = f'{INSTANCE_LABEL}="{escape_label(instance)}"'
    result = last.result or "unknown"
    samples: list[tuple[str, str, float]] = [
        ("last_run_timestamp_seconds", base, _end_time(last).timestamp()),
    ]
    if last_success is not None:
        samples.append(("last_success_timestamp_seconds", base, last_success.timestamp()))
    samples.append(("last_run_success", base, 1 if last.ok else 0))
    samples.append(("last_run_result", f'{base},result="{escape_label(result)}"', 1))
    if last.duration_s is not None:
        samples.append(("last_run_duration_seconds", base, last.duration_s))
    if last.groups is not None:
        samples.append(("last_run_groups", base, last.groups))
    if last.users is not None:
        samples.append(("last_run_users", base, last.users))
    lines: list[str] = []
    for name, labels, value in samples:
        metric = f"{PREFIX}_{name}"
        lines.append(f"# HELP {metric} {_escape_help(_HELP[name])}")
        lines.append(f"# TYPE {metric} gauge")
        lines.append(f"{metric}{{{labels}}} {_number(value)}")
    return "\n".join(lines) + "\n"


def _folder_problem(folder: Path) -> Delivery | None:
    fix = (
        "create it (node_exporter's --collector.textfile.directory) and make it writable by "
        "the user the sync runs as, or change the instance's metrics folder"
    )
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        return Delivery(CHANNEL, False, f"metrics folder {folder} {what}; fix: {fix}")
    if not os.access(folder, os.W_OK | os.X_OK):
        return Delivery(CHANNEL, False, f"metrics folder {folder} is not writable; fix: {fix}")
    return None


def probe(folder: Path) -> Delivery:
    """Whether ``folder`` takes our files, without changing any metric (`notify test`)."""
    problem = _folder_problem(folder)
    if problem is not None:
        return problem
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{PREFIX}.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        return Delivery(CHANNEL, False, f"metrics folder {folder}: {exc.strerror or exc}")
    return Delivery(CHANNEL, True, f"metrics folder {folder} is writable")


def write(folder: Path, instance: str, last: RunEvent, last_success: datetime | None) -> Delivery:
    """Replace `<folder>/bwdc_tray_<instance>.prom` with the metrics of ``last``. Never raises.

    A "start" event is skipped (the metrics describe finished runs) and a "test" event only
    checks the folder (a test must not pass for the last sync).
    """
    if last.kind == "start":
        return Delivery(CHANNEL, True, "skipped: metrics describe finished runs", True)
    if last.kind == "test":
        return probe(folder)
    problem = _folder_problem(folder)
    if problem is not None:
        return problem
    path = folder / file_name(instance)
    try:
        atomic_write_text(path, render(instance, last, last_success), FILE_MODE)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Delivery(CHANNEL, False, f"metrics file {path}: {why}")
    return Delivery(CHANNEL, True, f"wrote {path}")


def previous_success(folder: Path, instance: str) -> datetime | None:
    """The last success this instance's file holds: carried forward when the log no longer
    reaches back to a successful run, so the series (and an alert on its age) never vanishes
    after a long failure."""
    name = f"{PREFIX}_last_success_timestamp_seconds{{"
    try:
        text = (folder / file_name(instance)).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    for line in text.splitlines():
        if line.startswith(name):
            try:
                return datetime.fromtimestamp(float(line.rsplit(" ", 1)[1]), tz=UTC)
            except (ValueError, OverflowError, OSError):
                return None
    return None


def tidy(before: dict[str, Path | None], after: dict[str, Path | None]) -> None:
    """Remove the files of instances whose metrics were turned off or moved: a file left
    behind would be scraped forever, frozen at its last run."""
    for name, folder in before.items():
        if folder is not None and after.get(name) != folder:
            remove(folder, name)


def remove(folder: Path, instance: str) -> Delivery:
    """Delete the instance's file (when the instance is removed). Never raises."""
    path = folder / file_name(instance)
    try:
        path.unlink()
    except FileNotFoundError:
        return Delivery(CHANNEL, True, f"no metrics file {path}")
    except OSError as exc:
        return Delivery(CHANNEL, False, f"metrics file {path}: {exc.strerror or exc}")
    with contextlib.suppress(OSError):
        _fsync_dir(folder)
    return Delivery(CHANNEL, True, f"removed {path}")


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
