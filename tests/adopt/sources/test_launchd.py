"""Finding bwdc jobs in launchd plists, and their schedules as cron."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from bwdc_tray.adopt.sources.launchd import calendar_to_cron, interval_to_cron
from tests.fakes.machine import Machine

DAEMON = {
    "Label": "com.example.bwdc-sync",
    "ProgramArguments": ["/usr/local/bin/bwdc", "sync"],
    "EnvironmentVariables": {
        "BITWARDENCLI_CONNECTOR_APPDATA_DIR": "/Users/Shared/bwdc/corp",
        "BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS": "true",
    },
    "UserName": "bwdc",
    "StandardOutPath": "/Users/Shared/bwdc/corp/bwdc.log",
    "StandardErrorPath": "/Users/Shared/bwdc/corp/bwdc.log",
    "StartCalendarInterval": [
        {"Hour": 2, "Minute": 30, "Weekday": 1},
        {"Hour": 2, "Minute": 30, "Weekday": 5},
    ],
}


def write_plist(folder: Path, name: str, data: dict[str, object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(plistlib.dumps(data))
    return path


def test_a_launch_daemon_gives_user_folder_log_and_calendar_schedule(machine: Machine) -> None:
    path = write_plist(
        machine.root / "Library" / "LaunchDaemons", "com.example.bwdc-sync.plist", DAEMON
    )
    machine.homes["bwdc"] = "/Users/bwdc"
    (finding,), _fake = machine.run(root=True, platform="darwin")
    assert finding.kind == "launchd"
    assert finding.location == str(path)
    assert finding.artifact_path == str(path)
    assert finding.raw == path.read_text(encoding="utf-8")
    assert finding.run_as == "bwdc"
    assert finding.schedule == "30 2 * * 1,5"
    assert finding.appdata == "/Users/Shared/bwdc/corp"
    assert finding.log == "/Users/Shared/bwdc/corp/bwdc.log"
    assert finding.bwdc == "/usr/local/bin/bwdc"
    assert finding.command == "/usr/local/bin/bwdc sync"


def test_launch_agents_run_scripts_and_inexact_intervals_are_described(machine: Machine) -> None:
    machine.files["/Users/alice/bin/sync.sh"] = "bwdc sync >> ~/Library/Logs/bwdc.log\n"
    write_plist(
        machine.home / "Library" / "LaunchAgents",
        "local.bwdc.plist",
        {"Label": "local.bwdc", "ProgramArguments": ["/bin/bash", "/Users/alice/bin/sync.sh"],
         "StartInterval": 7},
    )  # fmt: skip
    (finding,), _fake = machine.run(root=True)
    assert finding.run_as is None
    assert finding.schedule is None
    assert finding.schedule_text == "StartInterval 7s"
    assert finding.script == "/Users/alice/bin/sync.sh"
    assert finding.log == f"{machine.home}/Library/Logs/bwdc.log"
    assert not any("launchd discards its output" in n for n in finding.notes)


def test_bwdc_trays_own_plists_and_unrelated_plists_are_skipped(machine: Machine) -> None:
    agents = machine.home / "Library" / "LaunchAgents"
    write_plist(
        agents, "io.github.bwdc-tray.corp.plist", {**DAEMON, "Label": "io.github.bwdc-tray.corp"}
    )
    write_plist(agents, "renamed.plist", {**DAEMON, "Label": "io.github.bwdc-tray.lab"})
    write_plist(
        agents, "com.example.backup.plist", {"Label": "x", "ProgramArguments": ["/usr/bin/true"]}
    )
    (agents / "broken.plist").write_text("not a plist", encoding="utf-8")
    found, _fake = machine.run(root=True)
    assert found == []


def test_launchd_is_not_searched_off_macos_without_a_test_root(machine: Machine) -> None:
    write_plist(machine.home / "Library" / "LaunchAgents", "a.plist", DAEMON)
    found, _fake = machine.run()
    assert found == []


@pytest.mark.parametrize(
    ("value", "expr"),
    [
        ({"Hour": 2, "Minute": 30}, "30 2 * * *"),
        ({"Minute": 0}, "0 * * * *"),
        ({}, "* * * * *"),
        ([{"Hour": h, "Minute": m} for h in (8, 20) for m in (0, 30)], "*/30 8,20 * * *"),
        ({"Weekday": 7, "Hour": 0, "Minute": 0}, "0 0 * * 0"),
        ({"Day": 1, "Month": 6, "Hour": 4, "Minute": 5}, "5 4 1 6 *"),
        ([{"Day": 1, "Hour": 0, "Minute": 0}, {"Weekday": 1, "Hour": 0, "Minute": 0}], "0 0 1 * 1"),
    ],
)
def test_calendar_intervals_that_form_a_cron_product_convert_exactly(
    value: object, expr: str
) -> None:
    assert calendar_to_cron(value) == expr


@pytest.mark.parametrize(
    "value",
    [
        [{"Hour": 8, "Minute": 0}, {"Hour": 20, "Minute": 30}],  # not a product
        {"Day": 1, "Weekday": 1, "Hour": 0, "Minute": 0},  # macOS ANDs these
        {"Hour": 24},  # launchd reads it as a wildcard
        {"Seconds": 3},
    ],
)
def test_calendar_intervals_with_no_exact_cron_form_give_none(value: object) -> None:
    assert calendar_to_cron(value) is None


@pytest.mark.parametrize(
    ("seconds", "expr"),
    [(60, "* * * * *"), (900, "*/15 * * * *"), (3600, "0 * * * *"), (21600, "0 */6 * * *"),
     (86400, "0 0 * * *"), (7, None), (420, None), (18000, None), (172800, None)],
)  # fmt: skip
def test_start_intervals_convert_only_when_they_divide_an_hour_or_a_day(
    seconds: int, expr: str | None
) -> None:
    assert interval_to_cron(seconds) == expr
