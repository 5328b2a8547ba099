""" "Start at login": the XDG autostart entry (and the LaunchAgent, rendered on any OS)."""

from __future__ import annotations

import plistlib
import sys
from pathlib import Path

import pytest

from bwdc_tray import BUNDLE_ID, autostart
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


def test_launch_agent_is_filed_under_the_app_in_login_items(tmp_path: Path) -> None:
    # macOS 13+ shows the login item as bwdc-tray's; always written, whatever the install.
    doc = plistlib.loads(autostart.render_launch_agent(resolve(tmp_path)).encode())
    assert doc["AssociatedBundleIdentifiers"] == [BUNDLE_ID] == ["io.github.bwdc-tray"]
    assert doc["Label"] == autostart.LABEL and doc["ProcessType"] == "Interactive"


def test_a_login_item_from_an_older_version_is_brought_up_to_date(tmp_path: Path) -> None:
    paths = resolve(tmp_path / "home")
    agents = tmp_path / "LaunchAgents"
    assert autostart.refresh(paths, folder=agents, macos=True) is False  # off stays off
    assert not agents.exists()
    agents.mkdir()
    path = agents / f"{autostart.LABEL}.plist"
    old = plistlib.loads(autostart.render_launch_agent(paths).encode())
    del old["AssociatedBundleIdentifiers"]
    path.write_bytes(plistlib.dumps(old, sort_keys=True))  # as the previous version wrote it
    assert autostart.refresh(paths, folder=agents, macos=False) is False  # macOS only
    assert autostart.refresh(paths, folder=agents, macos=True) is True
    assert path.read_text() == autostart.render_launch_agent(paths)
    assert autostart.refresh(paths, folder=agents, macos=True) is False  # once
    # Another install's login item (another program) and a broken file are left alone.
    other = {**old, "ProgramArguments": ["/Applications/bwdc-tray.app/x", "tray"]}
    for data in (plistlib.dumps(other), b"<plist><dict><key>"):
        path.write_bytes(data)
        assert autostart.refresh(paths, folder=agents, macos=True) is False
        assert path.read_bytes() == data
