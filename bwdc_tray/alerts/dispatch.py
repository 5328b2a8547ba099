"""Which alerts a run sends, and within what time: after the sync has ended, never instead of it.

The runner asks `wanted()` first (no import of the channels when nothing is configured, the
common case), makes a RunAlerts before it writes the run's start marker (so "the previous run"
is the previous one), calls `start()` once bwdc is about to run and `finish()` once the outcome is
known. Channels run in parallel threads under one budget; what they answered goes into the run's
log (failures only) and its status file, where `doctor` finds it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from bwdc_tray.alerts import model, settings
from bwdc_tray.alerts.model import Delivery, Kind, RunEvent
from bwdc_tray.config import Config, ConfigStore, Instance
from bwdc_tray.paths import Paths

# All channels together, after the sync: a dead receiver delays the end of the runner process by
# at most this much, never the sync itself nor its result.
BUDGET_S = 15.0
# The start ping runs beside bwdc; at the end it gets what is left of its own short budget.
START_BUDGET_S = 5.0
HISTORY = 50  # runs read back to find the last success, for the metrics

Send = Callable[[], Delivery]


def wanted(cfg: Config, inst: Instance) -> bool:
    """Cheap: whether any alert could be configured for this instance."""
    return bool(cfg.alerts) or bool(inst.extra.get("alerts"))


def kind_of(result: str, previous: str | None) -> Kind:
    """success, failure or recovery: a failure after a failure is still a failure (the
    webhook's "on change" rule then skips it), an ok after a failure a recovery."""
    if result == "ok":
        return "recovery" if previous not in (None, "ok") else "success"
    return "failure"


def _previous(log_path: Path) -> tuple[str | None, datetime | None]:
    """The newest sync run's result, and the end of the newest successful one."""
    from bwdc_tray import logs

    try:
        runs = logs.read_runs(log_path, HISTORY, include_tests=False)
    except OSError:
        return None, None
    previous = runs[-1].result if runs else None
    success = next((r for r in reversed(runs) if r.result == "ok"), None)
    return previous, (success.finished or success.started) if success else None


def _webhook_told(paths: Paths, name: str) -> bool:
    """Whether the previous run's alerts went out with no webhook failure (its status file)."""
    from bwdc_tray.status import status_file_json

    sent = status_file_json(paths, name).get("alerts")
    if not isinstance(sent, list):
        return False  # alerts were off for it
    return not any(isinstance(a, dict) and a.get("channel") == "webhook" for a in sent)


class RunAlerts:
    def __init__(
        self,
        paths: Paths,
        cfg: Config,
        inst: Instance,
        store: Any,
        *,
        run_id: str,
        trigger: str,
        started: datetime,
    ) -> None:
        self.inst = inst
        self.run_id = run_id
        self.trigger = trigger
        self.started = started
        self.plan = settings.effective(cfg, inst.name)
        self.urls = {
            field: settings.get_url(store, self.plan.scopes.get(channel, inst.name), field)
            for channel, field in (
                ("webhook", model.WEBHOOK_URL),
                ("healthcheck", model.HEALTHCHECK_URL),
            )
        }
        self.previous, self.last_success = _previous(inst.log_path)
        self.told = _webhook_told(paths, inst.name)
        self._start: _Call | None = None

    def _event(self, kind: Kind, **fields: Any) -> RunEvent:
        base: dict[str, Any] = {
            "result": None,
            "message": "",
            "groups": None,
            "users": None,
            "finished": None,
            "duration_s": None,
        }
        base.update(fields)
        return RunEvent(
            kind=kind,
            instance=self.inst.name,
            label=self.inst.label or self.inst.name,
            started=self.started,
            trigger=self.trigger,
            run_id=self.run_id,
            **base,
        )

    def start(self) -> None:
        """The health check's start ping, beside the sync (its answer is read at the end)."""
        hc, url = self.plan.settings.healthcheck, self.urls[model.HEALTHCHECK_URL]
        if hc is None or url is None:
            return
        from bwdc_tray.alerts import healthcheck

        event = self._event("start")
        deadline = time.monotonic() + START_BUDGET_S
        self._start = _Call(
            "healthcheck",
            lambda: healthcheck.ping(url, event, hc.style, deadline=deadline),
        )

    def finish(
        self,
        *,
        result: str,
        message: str,
        groups: int | None,
        users: int | None,
        finished: datetime,
        duration_s: float,
    ) -> list[Delivery]:
        kind = kind_of(result, self.previous)
        event = self._event(
            kind,
            result=result,
            message=message,
            groups=groups,
            users=users,
            finished=finished,
            duration_s=duration_s,
        )
        last_success = finished if result == "ok" else self.last_success
        folder = self.plan.settings.metrics_dir
        if last_success is None and folder is not None:
            from bwdc_tray.alerts import metrics

            last_success = metrics.previous_success(folder, self.inst.name)
        deadline = time.monotonic() + BUDGET_S
        # The start ping first: arriving after the end ping, it would leave a health check
        # "running" until it times out.
        answers = []
        if self._start is not None:
            began = self._start.wait(deadline, START_BUDGET_S)
            answers.append(replace(began, detail=f"start ping: {began.detail}"))
        calls = [_Call(name, send) for name, send in self._sends(event, last_success)]
        answers += [call.wait(deadline) for call in calls]
        return answers

    def _sends(self, event: RunEvent, last_success: datetime | None) -> list[tuple[str, Send]]:
        return sends(self.plan.settings, self.urls, event, last_success, changed=self._changed)

    def _changed(self, event: RunEvent) -> bool:
        """News for an "on change" webhook: a recovery, or a failure that was not told yet (the
        previous run was ok, or its own failure's webhook did not get through, or alerts were
        off then): one lost message must not silence every later failure."""
        if event.kind == "recovery":
            return True
        return event.kind == "failure" and (self.previous in (None, "ok") or not self.told)


def sends(
    plan: model.AlertSettings,
    urls: dict[str, str | None],
    event: RunEvent,
    last_success: datetime | None,
    *,
    changed: Callable[[RunEvent], bool],
) -> list[tuple[str, Send]]:
    """The channels that fire for ``event``, each as a call to make."""
    out: list[tuple[str, Send]] = []
    deadline = time.monotonic() + BUDGET_S
    hook, hook_url = plan.webhook, urls.get(model.WEBHOOK_URL)
    if hook is not None and (hook.every_run or event.kind == "test" or changed(event)):
        if not hook_url:
            out.append(("webhook", lambda: _no_url("webhook", event.instance)))
        else:
            from bwdc_tray.alerts import webhook

            fmt = hook.format
            out.append(("webhook", lambda: webhook.send(hook_url, event, fmt, deadline=deadline)))
    hc, hc_url = plan.healthcheck, urls.get(model.HEALTHCHECK_URL)
    if hc is not None and not hc_url and event.kind != "start":
        out.append(("healthcheck", lambda: _no_url("healthcheck", event.instance)))
    elif hc is not None and hc_url:
        from bwdc_tray.alerts import healthcheck

        style = hc.style
        out.append(
            ("healthcheck", lambda: healthcheck.ping(hc_url, event, style, deadline=deadline))
        )
    if plan.system_log:
        from bwdc_tray.alerts import system_log

        out.append(("system-log", lambda: system_log.send(event)))
    folder = plan.metrics_dir
    if folder is not None:  # a test only probes the folder: a test is no run (metrics.write)
        from bwdc_tray.alerts import metrics

        name = event.instance
        out.append(("metrics", lambda: metrics.write(folder, name, event, last_success)))
    return out


def _no_url(channel: str, name: str) -> Delivery:
    return Delivery(channel, False, f"no URL is stored for it (see `bwdc-tray notify show {name}`)")


class _Call:
    """One channel's send on its own daemon thread: a receiver that hangs past the budget is
    left behind (the process ends soon after), never waited for."""

    def __init__(self, channel: str, send: Send) -> None:
        self.channel = channel
        self._answer: list[Delivery] = []
        self._thread = threading.Thread(
            target=self._run, args=(send,), name=f"bwdc-tray-alert-{channel}", daemon=True
        )
        self._thread.start()

    def _run(self, send: Send) -> None:
        try:
            self._answer.append(send())
        except Exception as exc:  # a channel's bug must not become the run's
            # The type only: an exception's text may quote a URL, and this goes to the log.
            self._answer.append(Delivery(self.channel, False, f"failed: {type(exc).__name__}"))

    def wait(self, deadline: float, budget: float = BUDGET_S) -> Delivery:
        self._thread.join(max(0.0, deadline - time.monotonic()))
        if self._answer:
            return self._answer[0]
        return Delivery(self.channel, False, f"no answer within {budget:.0f} s: given up")


def send_test(paths: Paths, name: str) -> list[Delivery]:
    """`bwdc-tray notify test NAME`: a test event through every configured channel."""
    from bwdc_tray.runner import now
    from bwdc_tray.secrets import open_store

    cfg = ConfigStore(paths).load()
    inst = cfg.get(name)
    store = open_store(cfg.demo, paths.cache_dir)
    moment = now()
    alerts = RunAlerts(paths, cfg, inst, store, run_id="test", trigger="test", started=moment)
    event = alerts._event(
        "test",
        result="ok",
        message="a test from bwdc-tray: this channel works",
        finished=moment,
        duration_s=0.0,
    )
    calls = [_Call(channel, send) for channel, send in alerts._sends(event, None)]
    deadline = time.monotonic() + BUDGET_S
    return [call.wait(deadline) for call in calls]


def failures_for_status(answers: list[Delivery]) -> list[dict[str, str]]:
    """What the status file keeps of a run's alerts: the ones that failed (for `doctor`)."""
    return [
        {"channel": a.channel, "detail": a.detail} for a in answers if not a.ok and not a.skipped
    ]


def log_lines(answers: list[Delivery]) -> list[str]:
    """What the run's log keeps: a line per failed channel; successes are not news."""
    return [
        f"alert not delivered: {a.channel}: {a.detail}"
        for a in answers
        if not a.ok and not a.skipped
    ]
