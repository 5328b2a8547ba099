""" "Start at login": the XDG autostart entry (and the LaunchAgent, rendered on any OS)."""

from __future__ import annotations

import plistlib
import sys
from pathlib import Path

import pytest

from bwdc_tray import autostart
from bwdc_tray.paths import resolve


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="XDG autostart is Linux's")
def test_xdg_autostart_on_and_off(tmp_path: Path) -> None:
    paths = resolve(tmp_path / "home with space")
    assert not autostart.is_enabled(paths, folder=tmp_path)
    autostart.set_enabled(paths, True, folder=tmp_path)
    entry = (tmp_path / "autostart" / "bwdc-tray.desktop").read_text()
    assert f'"{paths.home}"' in entry and " tray\n" in entry
    assert autostart.is_enabled(paths, folder=tmp_path)
    autostart.set_enabled(paths, False, folder=tmp_path)
    assert not autostart.is_enabled(paths, folder=tmp_path)


def test_launch_agent_runs_the_tray_at_login(tmp_path: Path) -> None:
    doc = plistlib.loads(autostart.render_launch_agent(resolve(tmp_path)).encode())
    assert doc["RunAtLoad"] is True and doc["ProgramArguments"][-1] == "tray"
