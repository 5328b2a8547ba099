"""The OS scheduler backends, one module per mechanism, behind `base.Backend`."""

from __future__ import annotations

import sys
from collections.abc import Callable

from bwdc_tray.errors import InvalidInput
from bwdc_tray.i18n import _
from bwdc_tray.oscmd import CommandRunner, run_command
from bwdc_tray.schedule.backends.base import Backend

NAMES = ("cron", "launchd", "taskscheduler", "systemd")
NATIVE_OS = {"launchd": "darwin", "taskscheduler": "win32"}  # the only system they install on


def default_name() -> str:
    if sys.platform == "darwin":
        return "launchd"
    if sys.platform == "win32":
        return "taskscheduler"
    return "cron"


def unavailable_here(name: str) -> str | None:
    """Why backend ``name`` cannot install jobs on this machine (it can still render)."""
    import shutil

    native = NATIVE_OS
    if name in native and sys.platform != native[name]:
        where = "macOS" if name == "launchd" else "Windows"
        return _("the {name} backend installs jobs on {system} only").format(
            name=name, system=where
        )
    if name == "systemd" and shutil.which("systemctl") is None:
        return _("systemctl is not installed: systemd timers are not available here")
    if name == "cron" and sys.platform == "win32":
        return _("cron does not exist on Windows")
    return None


def ask_password(user: str) -> str | None:
    """The dedicated user's Windows password, asked on the terminal, never from argv."""
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(
        _("Windows password of {user} (for the scheduled task; not shown): ").format(user=user)
    )


def get(
    name: str | None,
    runner: CommandRunner = run_command,
    password: Callable[[str], str | None] = ask_password,
) -> Backend:
    chosen = default_name() if name in (None, "auto") else name
    if chosen == "cron":
        from bwdc_tray.schedule.backends.crontab import CrontabBackend

        return CrontabBackend(runner)
    if chosen == "launchd":
        from bwdc_tray.schedule.backends.launchd import LaunchdBackend

        # Over the entry cap, launchd fires a superset and `run --only-at-schedule` filters.
        return LaunchdBackend(runner, over_approximate=True)
    if chosen == "taskscheduler":
        from bwdc_tray.schedule.backends.taskscheduler import TaskSchedulerBackend

        return TaskSchedulerBackend(runner, password=password)
    if chosen == "systemd":
        from bwdc_tray.schedule.backends.systemd import SystemdBackend

        return SystemdBackend(runner)
    raise InvalidInput(
        _("--backend must be one of auto, {names}; got {name!r}").format(
            names=", ".join(NAMES), name=chosen
        )
    )
