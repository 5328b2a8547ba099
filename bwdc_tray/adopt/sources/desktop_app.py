"""The desktop app: its default data folder (and BITWARDEN_CONNECTOR_APPDATA_DIR's), when it
holds a data.json."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bwdc_tray.adopt.calls import APP_FOLDER, default_appdata
from bwdc_tray.adopt.context import Env, same_path
from bwdc_tray.adopt.model import Finding

DESKTOP_APP_NOTE = (
    "the desktop app and a scheduled CLI must never use this folder at the same time: both "
    "write its data.json (one overwrites the other's settings and sync state), and from "
    "v2026.6 the app, at start-up, clears the keychain tokens whenever its data.json has no "
    "organizationId, which logs every CLI instance of this user out; quit the desktop app "
    "and turn off its Interval sync before scheduling this folder"
)
UNINSTALL_NOTE = (
    "uninstalling the Windows desktop app deletes this folder "
    "(%APPDATA%\\Bitwarden Directory Connector): keep a copy, or move the instance elsewhere"
)


def discover_desktop_app(ctx: Env, jobs: Sequence[Finding]) -> list[Finding]:
    folders: list[str] = []
    if ctx.os_name == "win32":  # a local path, joined the local way
        roaming = ctx.env.get("APPDATA") or str(Path(ctx.home) / "AppData" / "Roaming")
        default: str | None = str(Path(roaming) / APP_FOLDER)
    else:
        default = default_appdata(ctx.os_name, ctx.home, ctx.env)
    if default:
        folders.append(default)
    override = ctx.env.get("BITWARDEN_CONNECTOR_APPDATA_DIR")
    if override:
        folders.append(override)
    out: list[Finding] = []
    for folder in folders:
        if not (Path(folder) / "data.json").is_file():
            continue
        notes = [DESKTOP_APP_NOTE]
        if folder == override:
            notes.append("named by BITWARDEN_CONNECTOR_APPDATA_DIR in your environment")
        if ctx.os_name == "win32" and folder == default:
            notes.append(UNINSTALL_NOTE)
        users = [j.location for j in jobs if j.appdata and same_path(j.appdata, folder)]
        if users:
            notes.append("a job already syncs this folder: " + "; ".join(users))
        out.append(
            Finding(
                kind="desktop-app",
                location=folder,
                appdata=folder,
                schedule_text="the desktop app's own Interval, while it is open",
                notes=tuple(notes),
            )
        )
    return out
