"""Finding the desktop app's data folder."""

from __future__ import annotations

from pathlib import Path

from bwdc_tray.adopt.discover import discover
from bwdc_tray.adopt.sources.desktop_app import DESKTOP_APP_NOTE
from bwdc_tray.paths import Paths
from tests.fakes.machine import Machine, runner


def test_the_desktop_apps_data_is_found_with_a_warning_about_running_both(
    machine: Machine,
) -> None:
    folder = machine.home / ".config" / "Bitwarden Directory Connector"
    folder.mkdir(parents=True)
    (folder / "data.json").write_text("{}", encoding="utf-8")
    (finding,), _fake = machine.run()
    assert finding.kind == "desktop-app"
    assert finding.location == str(folder)
    assert finding.appdata == str(folder)
    assert finding.raw == ""
    assert DESKTOP_APP_NOTE in finding.notes
    assert "data.json" in DESKTOP_APP_NOTE
    assert "keychain tokens" in DESKTOP_APP_NOTE


def test_a_default_folder_without_data_json_is_not_reported(machine: Machine) -> None:
    (machine.home / ".config" / "Bitwarden Directory Connector").mkdir(parents=True)
    found, _fake = machine.run()
    assert found == []


def test_on_macos_the_desktop_app_lives_in_application_support(machine: Machine) -> None:
    folder = machine.home / "Library" / "Application Support" / "Bitwarden Directory Connector"
    folder.mkdir(parents=True)
    (folder / "data.json").write_text("{}", encoding="utf-8")
    (finding,), _fake = machine.run(platform="darwin")
    assert finding.location == str(folder)


def test_on_windows_the_app_folder_warns_that_uninstalling_deletes_it(tmp_path: Path) -> None:
    appdata = tmp_path / "Roaming"
    folder = appdata / "Bitwarden Directory Connector"
    folder.mkdir(parents=True)
    (folder / "data.json").write_text("{}", encoding="utf-8")
    found = discover(
        Paths(tmp_path / "c", tmp_path / "s"), runner=runner({}), home=tmp_path, platform="win32",
        env={"APPDATA": str(appdata)}, user="admin",
    )  # fmt: skip
    (finding,) = found
    assert any("uninstalling" in n for n in finding.notes)


def test_a_job_on_the_app_folder_is_pointed_out_and_kinds_come_in_order(machine: Machine) -> None:
    folder = machine.home / ".config" / "Bitwarden Directory Connector"
    folder.mkdir(parents=True)
    (folder / "data.json").write_text("{}", encoding="utf-8")
    (machine.etc / "cron.d" / "bwdc").write_text("0 0 * * * alice bwdc sync\n", encoding="utf-8")
    found, _fake = machine.run({("crontab", "-l"): (0, "0 1 * * * bwdc sync\n", "")})
    assert [f.kind for f in found] == ["crontab", "cron.d", "desktop-app"]
    assert any("a job already syncs this folder" in n for n in found[2].notes)
