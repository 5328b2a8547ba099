"""Read what an admin wants to see from bwdc's ``data.json``, without ever writing to it.

Two layouts exist (reference/bwdc.md §3): flat keys from bwdc 2026.6 on, and the account-based
layout (one object keyed by the organization id) up to 2026.4.0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from bwdc_tray.i18n import _

DIRECTORY_TYPES = {
    0: "LDAP / Active Directory",
    1: "Entra ID",
    2: "Google Workspace",
    3: "Okta",
    4: "OneLogin",
}
# The `bwdc config` setting that holds each directory type's secret.
DIRECTORY_SECRET_SETTING = {
    0: "ldap.password",
    1: "entra.key",
    2: "gsuite.key",
    3: "okta.token",
    4: "onelogin.secret",
}
US_CLOUD = "bitwarden.com (US cloud)"
MAX_BYTES = 64 * 1024 * 1024
STORED_SECURELY = "[STORED SECURELY]"  # bwdc's placeholder for a secret kept in the keychain

Layout = Literal["flat", "account", "empty", "missing", "corrupt", "unreadable"]


@dataclass(frozen=True)
class DataInfo:
    path: Path
    layout: Layout
    directory_type: int | None = None
    server: str | None = None
    organization_id: str | None = None
    last_user_sync: datetime | None = None
    last_group_sync: datetime | None = None
    installed_version: str | None = None
    problem: str | None = None
    # Where a migrated file still holds the pre-2026.6 copy of the API secret, in clear.
    stale_secret: str | None = None

    @property
    def ok(self) -> bool:
        return self.layout in ("flat", "account")

    @property
    def directory_name(self) -> str | None:
        if self.directory_type is None:
            return None
        return DIRECTORY_TYPES.get(self.directory_type, f"unknown type {self.directory_type}")

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "layout": self.layout,
            "directory_type": self.directory_type,
            "directory": self.directory_name,
            "server": self.server,
            "organization_id": self.organization_id,
            "last_user_sync": _iso(self.last_user_sync),
            "last_group_sync": _iso(self.last_group_sync),
            "installed_version": self.installed_version,
            "problem": self.problem,
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _server(urls: object) -> str:
    if isinstance(urls, dict):
        base = urls.get("base") or urls.get("api")
        if isinstance(base, str) and base:
            return base
    return US_CLOUD


def read(appdata: Path) -> DataInfo:
    path = appdata / "data.json"
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return DataInfo(
            path,
            "missing",
            problem=_(
                "no data.json in {folder}: bwdc has not "
                "been set up in this folder (run the Directory Connector once, or "
                "`bwdc config` with BITWARDENCLI_CONNECTOR_APPDATA_DIR set to it)"
            ).format(folder=appdata),
        )
    except OSError as exc:
        return DataInfo(
            path,
            "unreadable",
            problem=_("cannot read {path}: {error}").format(path=path, error=exc.strerror),
        )
    if len(raw) > MAX_BYTES:
        return DataInfo(
            path, "corrupt", problem=_("{path} is larger than 64 MiB").format(path=path)
        )
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        return DataInfo(
            path,
            "corrupt",
            problem=_(
                "{path} is not valid JSON ({error}); bwdc "
                "would reset it to {{}} on its next run: restore it from a backup first"
            ).format(path=path, error=exc),
        )
    if not isinstance(doc, dict):
        return DataInfo(
            path, "corrupt", problem=_("{path} does not hold a JSON object").format(path=path)
        )
    if not doc:
        return DataInfo(
            path,
            "empty",
            problem=_("{path} is empty: bwdc is not configured yet").format(path=path),
        )
    version = doc.get("stateVersion")
    migrated = isinstance(version, int) and version >= 5  # old keys are left beside new ones
    if not migrated and (
        "global" in doc or "activeUserId" in doc or "authenticatedAccounts" in doc
    ):
        return _account_layout(path, doc)
    return _flat_layout(path, doc)


def _stale_secret(doc: dict[str, Any]) -> str | None:
    """bwdc 2026.6's migration copies the API key to secure storage and leaves the old account
    object, clear-text secret included, in place (reference/bwdc.md §3.4)."""
    for key, value in doc.items():
        keys = value.get("keys") if isinstance(value, dict) else None
        secret = keys.get("apiKeyClientSecret") if isinstance(keys, dict) else None
        if isinstance(secret, str) and secret and secret != STORED_SECURELY:
            return f"{key}.keys.apiKeyClientSecret"
    return None


def _flat_layout(path: Path, doc: dict[str, Any]) -> DataInfo:
    dtype = doc.get("directoryType")
    return DataInfo(
        path,
        "flat",
        directory_type=dtype if isinstance(dtype, int) else None,
        server=_server(doc.get("environmentUrls")),
        organization_id=_str(doc.get("organizationId")),
        last_user_sync=_time(doc.get("lastUserSync")),
        last_group_sync=_time(doc.get("lastGroupSync")),
        installed_version=_str(doc.get("installedVersion")),
        stale_secret=_stale_secret(doc),
    )


def _account_layout(path: Path, doc: dict[str, Any]) -> DataInfo:
    glob = doc.get("global") if isinstance(doc.get("global"), dict) else {}
    assert isinstance(glob, dict)
    account: dict[str, Any] = {}
    active = doc.get("activeUserId")
    candidates = [active] if isinstance(active, str) else []
    accounts = doc.get("authenticatedAccounts")
    if isinstance(accounts, list):
        candidates += [a for a in accounts if isinstance(a, str)]
    for key in candidates:
        if isinstance(doc.get(key), dict):
            account = doc[key]
            break
    else:
        # Logged out: the account object may still be there, keyed by an org GUID.
        for value in doc.values():
            if isinstance(value, dict) and isinstance(value.get("directorySettings"), dict):
                account = value
                break
    settings = account.get("directorySettings")
    settings = settings if isinstance(settings, dict) else {}
    dtype = settings.get("directoryType")
    return DataInfo(
        path,
        "account",
        directory_type=dtype if isinstance(dtype, int) else None,
        server=_server(glob.get("environmentUrls")),
        organization_id=_str(settings.get("organizationId")),
        last_user_sync=_time(settings.get("lastUserSync")),
        last_group_sync=_time(settings.get("lastGroupSync")),
        installed_version=_str(glob.get("installedVersion")),
    )
