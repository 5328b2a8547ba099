"""Skip markers for tests that need one system's machinery, with reasons that name the system.

The suite runs on Linux, Windows and macOS (.github/workflows/ci.yml). A test that needs
something only one system has (a `#!/bin/sh` script, /proc, POSIX modes, signals, the cron
daemon, Xvfb) says so with one of these, never with a bare condition, so that a skip on another
system reads as "needs Linux (what)" rather than as a mystery.

The OS integration tests (tests/integration/) register real scheduled jobs and keyring entries.
On Windows and macOS they run only where that is expected: on CI (the `CI` variable that GitHub
Actions and most forges set) or when a developer opts in with ``BWDC_TRAY_INTEGRATION=1``;
``BWDC_TRAY_INTEGRATION=0`` turns them off even on CI.
"""

from __future__ import annotations

import os
import sys

import pytest

LINUX = sys.platform.startswith("linux")
WINDOWS = sys.platform == "win32"
MACOS = sys.platform == "darwin"
POSIX = os.name == "posix"

INTEGRATION_ENV = "BWDC_TRAY_INTEGRATION"
_SYSTEMS = {"linux": "Linux", "win32": "Windows", "darwin": "macOS"}


def linux_only(what: str) -> pytest.MarkDecorator:
    """For tests that need Linux itself: /proc, cron's daemon, Xvfb, gnome-keyring, tmpfs."""
    return pytest.mark.skipif(not LINUX, reason=f"needs Linux ({what})")


def posix_only(what: str) -> pytest.MarkDecorator:
    """For tests that need Linux or macOS: `#!` scripts, POSIX modes, signals, fork, flock."""
    return pytest.mark.skipif(not POSIX, reason=f"needs Linux or macOS ({what})")


def integration_opted_in() -> bool:
    chosen = os.environ.get(INTEGRATION_ENV, "").strip()
    if chosen:
        return chosen not in ("0", "false", "no", "off")
    return bool(os.environ.get("CI"))


def integration_skip_reason(platforms: tuple[str, ...], needs: str, does: str) -> str | None:
    """Why an OS integration test cannot run here, or None when it should run.

    ``platforms``: the values of ``sys.platform`` it runs on; ``needs``: the message when this
    is another system ("needs Windows (Task Scheduler via schtasks)"); ``does``: what it changes
    on the machine, for the message that says how to opt in.
    """
    if sys.platform not in platforms:
        return needs
    if not integration_opted_in():
        system = _SYSTEMS.get(sys.platform, sys.platform)
        return (
            f"{needs}: this is {system}, but the test {does}, so it runs only on CI (CI set) "
            f"or with {INTEGRATION_ENV}=1"
        )
    return None


def os_integration(platforms: tuple[str, ...], needs: str, does: str) -> list[pytest.MarkDecorator]:
    """The marks of an OS integration test module: ``pytestmark = os_integration(...)``."""
    reason = integration_skip_reason(platforms, needs, does)
    return [
        pytest.mark.integration,
        pytest.mark.skipif(reason is not None, reason=reason or "runs here"),
    ]
