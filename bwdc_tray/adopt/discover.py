"""Finding the bwdc jobs already on this machine, and the desktop app's data.

Looks at the user's crontab, /etc/cron.d, (as root) the crontabs of `bwdc` and of the users
named in /etc/cron.d, launchd plists (macOS), Task Scheduler tasks (Windows), and the desktop
app's default data folder. Read-only: every OS command goes through the runner, scripts are read
as text, nothing is executed, no secret is read. bwdc-tray's own jobs are left out.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from bwdc_tray.adopt.calls import OsName, read_file
from bwdc_tray.adopt.context import Env, same_path, with_note
from bwdc_tray.adopt.model import Finding
from bwdc_tray.adopt.sources.cron import discover_cron
from bwdc_tray.adopt.sources.desktop_app import discover_desktop_app
from bwdc_tray.adopt.sources.launchd import discover_launchd
from bwdc_tray.adopt.sources.taskscheduler import discover_tasks
from bwdc_tray.oscmd import CommandRunner, run_command
from bwdc_tray.paths import Paths

KIND_ORDER: dict[str, int] = {
    "crontab": 0,
    "cron.d": 1,
    "launchd": 2,
    "taskscheduler": 3,
    "desktop-app": 4,
}


def _os_name(platform: str) -> OsName:
    if platform.startswith("win"):
        return "win32"
    if platform == "darwin":
        return "darwin"
    return "linux"


def _pwd_home(user: str) -> str | None:
    try:
        import pwd

        return pwd.getpwnam(user).pw_dir
    except (ImportError, KeyError):
        return None


def _euid_is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


def _already_adopted(paths: Paths, findings: list[Finding]) -> list[Finding]:
    from bwdc_tray.config import ConfigStore
    from bwdc_tray.errors import BwdcTrayError

    try:
        cfg = ConfigStore(paths).load()
    except (BwdcTrayError, OSError):
        return findings
    by_folder = {str(i.appdata): name for name, i in cfg.instances.items()}
    out = []
    for f in findings:
        name = next(
            (n for folder, n in by_folder.items() if f.appdata and same_path(folder, f.appdata)),
            None,
        )
        out.append(with_note(f, f"its data folder is already bwdc-tray's instance {name}")
                   if name else f)  # fmt: skip
    return out


# --- the entry point ----------------------------------------------------------------------------


def discover(
    paths: Paths,
    *,
    runner: CommandRunner = run_command,
    etc: Path = Path("/etc"),
    home: Path | None = None,
    platform: str = sys.platform,
    env: Mapping[str, str] = os.environ,
    root: Path | None = None,
    user: str | None = None,
    is_root: bool | None = None,
    user_home: Callable[[str], str | None] | None = None,
    reader: Callable[[str], str | None] | None = None,
) -> list[Finding]:
    """Every bwdc job and desktop-app data folder found on this machine, bwdc-tray's own left
    out, sorted by kind and then in the order found.

    ``root`` puts the system-wide launchd folders (/Library/LaunchAgents, /Library/LaunchDaemons)
    under a test root, and turns the launchd search on off macOS; ``user``, ``is_root`` and
    ``user_home`` stand in for the current account, whether it is root, and other users' homes;
    ``reader`` reads a job's script (text or None; by default from disk, size-capped).
    """
    os_name = _os_name(platform)
    if user is None:
        from bwdc_tray.schedule.backends.crontab import current_user

        user = current_user()
    ctx = Env(
        runner=runner,
        os_name=os_name,
        user=user,
        home=str(home if home is not None else Path.home()),
        env=env,
        user_home=user_home if user_home is not None else _pwd_home,
        read=reader if reader is not None else read_file,
    )
    found: list[Finding] = []
    if os_name != "win32":
        found += discover_cron(ctx, etc, _euid_is_root() if is_root is None else is_root)
    found += discover_launchd(ctx, root)
    if os_name == "win32":
        found += discover_tasks(ctx)
    found += discover_desktop_app(ctx, found)
    found = _already_adopted(paths, found)
    return sorted(found, key=lambda f: KIND_ORDER[f.kind])


__all__ = ["discover"]
