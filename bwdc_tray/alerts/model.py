"""What every alert channel shares: the event of a run, what a channel answered, the settings."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

# start: a run begins (health-check "start" pings); success/failure: a run ended ok or not;
# recovery: ok after a failure; test: `bwdc-tray notify test`.
Kind = Literal["start", "success", "failure", "recovery", "test"]
KINDS: tuple[Kind, ...] = ("start", "success", "failure", "recovery", "test")

WEBHOOK_FORMATS = ("generic", "slack", "teams")
HEALTHCHECK_STYLES = ("healthchecks", "uptime-kuma")

# Per-request timeout and attempts: a dead receiver costs a run at most ATTEMPTS * TIMEOUT_S
# plus the backoff, and the dispatcher's own budget bounds all channels together.
TIMEOUT_S = 5.0
ATTEMPTS = 3

# Fields of the keyring that hold the URLs (a token in a URL is a secret): per instance, and
# under DEFAULT_SCOPE for the default that applies to every instance without its own.
WEBHOOK_URL = "webhook_url"
HEALTHCHECK_URL = "healthcheck_url"
DEFAULT_SCOPE = "*default"  # never an instance name (NAME_RE has no '*')


@dataclass(frozen=True)
class RunEvent:
    """One run, as much of it as may leave the machine: names, result, message and counts;
    never a secret, never directory data beyond the counts."""

    kind: Kind
    instance: str
    label: str
    result: str | None  # ok, failed, timeout, error; None for "start"
    message: str
    groups: int | None
    users: int | None
    started: datetime
    finished: datetime | None
    duration_s: float | None
    trigger: str  # manual, schedule, test
    run_id: str
    host: str = field(default_factory=socket.gethostname)

    @property
    def ok(self) -> bool:
        return self.result == "ok"

    def to_json(self) -> dict[str, Any]:
        """The generic webhook body, and what the other formats are made from."""
        return {
            "source": "bwdc-tray",
            "event": self.kind,
            "instance": self.instance,
            "label": self.label,
            "result": self.result,
            "message": self.message,
            "groups": self.groups,
            "users": self.users,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat() if self.finished else None,
            "duration_s": self.duration_s,
            "trigger": self.trigger,
            "run_id": self.run_id,
            "host": self.host,
        }


@dataclass(frozen=True)
class Delivery:
    """What one channel answered, for the log, `doctor` and `notify test`. ``detail`` never
    holds the URL's path or query (they may hold a token): at most its scheme and host."""

    channel: str  # webhook, healthcheck, system-log, metrics
    ok: bool
    detail: str  # "HTTP 200", "HTTP 500 after 3 attempts", "timed out after 5 s", "skipped: …"
    skipped: bool = False


@dataclass(frozen=True)
class WebhookSettings:
    format: str = "generic"  # one of WEBHOOK_FORMATS
    every_run: bool = False  # else: on failure and on recovery only


@dataclass(frozen=True)
class HealthcheckSettings:
    style: str = "healthchecks"  # one of HEALTHCHECK_STYLES


@dataclass(frozen=True)
class AlertSettings:
    """One scope's channels (an instance's, or the default). None or False: that channel is
    off. The URLs are not here: they are in the keyring (settings.py)."""

    webhook: WebhookSettings | None = None
    healthcheck: HealthcheckSettings | None = None
    system_log: bool = False
    metrics_dir: Path | None = None

    @property
    def empty(self) -> bool:
        return not (self.webhook or self.healthcheck or self.system_log or self.metrics_dir)
