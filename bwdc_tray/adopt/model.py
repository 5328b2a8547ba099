"""What `bwdc-tray adopt` finds on a machine: one existing bwdc job, or the desktop app's data.

A Finding is read-only knowledge: where the job is, when it runs, which data folder and log it
uses, as found. `discover.discover()` makes them; `apply.adopt()` turns one into an instance
(keeping its log as history) and, only when asked, replaces the old job with ours.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["crontab", "cron.d", "launchd", "taskscheduler", "desktop-app"]


@dataclass(frozen=True)
class Finding:
    kind: Kind
    # Where it is, for people: "crontab of bwdc, line 3", "/etc/cron.d/bwdc", a plist's path,
    # a task's path ("\\Bitwarden\\Sync"), the desktop app's data folder.
    location: str
    # The job's artifact exactly as found: the crontab line, the cron.d file, the plist, the
    # task XML. What a replacement removes, and what its backup holds. "" for the desktop app.
    raw: str = ""
    # The file the artifact lives in (cron.d file, plist, exported task XML), if any.
    artifact_path: str | None = None
    run_as: str | None = None  # the account it runs as, when not the current user
    # A 5-field cron expression that fires exactly when the old job did, or None when the old
    # schedule has no such form (then `schedule_text` says what it was).
    schedule: str | None = None
    schedule_text: str = ""
    command: str = ""  # what the job runs, as written
    script: str | None = None  # the script the job runs, when it is one and could be read
    bwdc: str | None = None  # the bwdc program it calls, when named
    appdata: str | None = None  # BITWARDENCLI_CONNECTOR_APPDATA_DIR, or bwdc's default
    log: str | None = None  # where its output goes (`>> bwdc.log`), if anywhere
    notes: tuple[str, ...] = field(default_factory=tuple)  # warnings for the user
    # Which bwdc sync of the job this is, when the job runs several (one per data folder, the
    # documented multi-instance recipe): "sync 2 of 3 (/opt/bwdc/sync.sh line 12)"; "" when it
    # runs one. `location` stays the job's own (a task's path, for schtasks /TN).
    part: str = ""

    @property
    def id(self) -> str:
        """Stable while the job is unchanged: the CLI names findings by it."""
        key = f"{self.kind}\n{self.location}\n{self.raw}"
        if self.part:  # several syncs of one job: one id each (unchanged for a single one)
            key += f"\n{self.part}"
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["id"] = self.id
        out["notes"] = list(self.notes)
        return out


# An assignment to a variable whose name says it holds a secret (BW_CLIENTSECRET=…,
# $env:LDAP_PASSWORD = "…"): a recipe may have one in its job line.
_SECRET_ASSIGNMENT = re.compile(
    r"""((?:\$env:)?\b[A-Za-z_][A-Za-z0-9_]*(?:SECRET|PASSWORD|PASSWD|PASS|TOKEN|KEY)"""
    r"""[A-Za-z0-9_]*\s*=\s*)("[^"]*"|'[^']*'|[^\s;&|]+)""",
    re.IGNORECASE,
)


def masked(text: str) -> str:
    """``text`` with the values of secret-looking assignments hidden, for showing a job."""
    return _SECRET_ASSIGNMENT.sub(lambda m: m.group(1) + "[hidden]", text)
