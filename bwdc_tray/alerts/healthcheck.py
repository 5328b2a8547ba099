"""The health-check channel: dead-man's-switch pings in the healthchecks.io or Uptime Kuma style.

healthchecks.io (and self-hosted Healthchecks): the admin gives the check's ping URL.
``<url>/start`` when a run begins, ``<url>`` on success (and recovery, and a test),
``<url>/fail`` on failure; a POST whose short text body (the message and the counts) the
service keeps as the ping's log; ``?rid=<uuid>`` ties a start to its end (Healthchecks wants a
UUID: a UUID5 of our run id, so the same run always gets the same one).

Uptime Kuma: the admin gives the push monitor's URL (as Kuma shows it, often already ending in
``?status=up&msg=OK&ping=``). A GET with ``status=up|down``, ``msg`` and ``ping`` (the run's
duration in ms) merged into that query. Push monitors have no start signal: a start is skipped.
"""

from __future__ import annotations

import time
import urllib.parse
import uuid
from collections.abc import Callable

from bwdc_tray.alerts import http
from bwdc_tray.alerts.model import ATTEMPTS, HEALTHCHECK_STYLES, TIMEOUT_S, Delivery, RunEvent
from bwdc_tray.alerts.webhook import counts, short, title

CHANNEL = "healthcheck"
# The namespace of the rid UUIDs: uuid5(RUN_NAMESPACE, run id) is stable per run id.
RUN_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/bwdc-tray/bwdc-tray#run")
BODY_MAX = 2000  # healthchecks.io keeps up to 100 kB; ours is a short summary
KUMA_MSG_MAX = 200  # Kuma shows msg in its heartbeat list


def run_uuid(run_id: str) -> str:
    return str(uuid.uuid5(RUN_NAMESPACE, run_id))


def with_path_and_query(url: str, suffix: str, params: dict[str, str]) -> str:
    """``url`` with ``suffix`` appended to its path and ``params`` merged into its query: the
    admin's other query keys kept in order, ours replacing any of the same name (never twice)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path
    if suffix:
        path = path.rstrip("/") + suffix
    kept = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if k not in params
    ]
    query = urllib.parse.urlencode([*kept, *params.items()])
    return urllib.parse.urlunsplit(parts._replace(path=path, query=query))


def ping_url(url: str, event: RunEvent, style: str) -> str | None:
    """Where ``event`` is sent in ``style``; None when that style has no such signal."""
    if style == "uptime-kuma":
        if event.kind == "start":
            return None
        params = {"status": "up" if event.ok else "down", "msg": kuma_message(event)}
        if event.duration_s is not None:
            params["ping"] = str(max(0, round(event.duration_s * 1000)))
        return with_path_and_query(url, "", params)
    # A test goes to /log: healthchecks.io keeps it in the check's log without changing its
    # state, so `notify test` never marks a failing check as up.
    suffix = {"start": "/start", "failure": "/fail", "test": "/log"}.get(event.kind, "")
    if event.kind not in ("start", "failure", "test") and not event.ok:
        suffix = "/fail"  # a test or success event that carries a failed result
    return with_path_and_query(url, suffix, {"rid": run_uuid(event.run_id)})


def kuma_message(event: RunEvent) -> str:
    text = event.message.strip().splitlines()[0] if event.message.strip() else ""
    head = event.result or event.kind
    return short(f"{head}: {text}" if text else head, KUMA_MSG_MAX)


def body(event: RunEvent) -> str:
    """The text healthchecks.io keeps with the ping: what happened, the counts, the message."""
    lines = [title(event)]
    if event.kind != "start":
        lines.append(f"result: {event.result}; groups/users: {counts(event)}")
    lines.append(f"host: {event.host}; trigger: {event.trigger}; run: {event.run_id}")
    if event.message.strip():
        lines.append(short(event.message))
    return short("\n".join(lines), BODY_MAX) + "\n"


def ping(
    url: str,
    event: RunEvent,
    style: str,
    *,
    timeout: float = TIMEOUT_S,
    attempts: int = ATTEMPTS,
    deadline: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """Send ``event``'s signal to the health check; what it answered, never the URL's path."""
    if style not in HEALTHCHECK_STYLES:
        return Delivery(
            CHANNEL,
            False,
            f"unknown health-check style {style!r} (one of {', '.join(HEALTHCHECK_STYLES)})",
        )
    why = http.problem(url)
    if why:
        return Delivery(CHANNEL, False, f"refused: {why}")
    if style == "uptime-kuma" and event.kind == "test":
        # Every push sets the monitor's state: a test would mark a failing sync as up.
        return Delivery(
            CHANNEL,
            True,
            "skipped: an Uptime Kuma push sets the monitor's state, so it is not tested; "
            "the next run pushes",
            skipped=True,
        )
    target = ping_url(url, event, style)
    if target is None:
        return Delivery(
            CHANNEL, True, "skipped: Uptime Kuma push monitors have no start signal", skipped=True
        )
    if style == "uptime-kuma":
        outcome = http.request(
            target,
            method="GET",
            timeout=timeout,
            attempts=attempts,
            deadline=deadline,
            sleep=sleep,
        )
    else:
        outcome = http.request(
            target,
            method="POST",
            text=body(event),
            timeout=timeout,
            attempts=attempts,
            deadline=deadline,
            sleep=sleep,
        )
    return outcome.delivery(CHANNEL)
