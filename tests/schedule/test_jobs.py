"""From an instance to its job: the command, filtering over-approximated starts."""

from __future__ import annotations

import plistlib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bwdc_tray.config import Instance
from bwdc_tray.paths import resolve
from bwdc_tray.runner import schedule_holds_now
from bwdc_tray.schedule import backends, cron, jobs
from tests.conftest import World

UTC = ZoneInfo("UTC")


def _inst(schedule: str) -> Instance:
    return Instance(name="corp", appdata=Path("/srv/corp"), schedule=cron.parse(schedule).text)


def test_schedule_holds_now_with_a_tolerance_for_late_starts() -> None:
    inst = _inst("*/15 9-17 * * 1-5")
    monday = datetime(2026, 11, 30, 9, 15, 20, tzinfo=UTC)
    assert schedule_holds_now(inst, monday)
    assert schedule_holds_now(inst, monday.replace(minute=20))  # 5 minutes late
    assert not schedule_holds_now(inst, monday.replace(hour=8, minute=40))
    assert not schedule_holds_now(inst, monday.replace(day=29, minute=15))  # a Sunday


def test_an_over_approximated_launchd_job_asks_the_runner_to_filter(world: World) -> None:
    paths = resolve(world.home)
    inst = _inst("*/5 9-17 * * 1-5")
    spec = jobs.spec_for(paths, inst)
    assert spec is not None
    plist = plistlib.loads(backends.get("launchd").render(spec).encode())
    assert plist["ProgramArguments"][-1] == "--only-at-schedule"
    assert plist["ProgramArguments"][: len(spec.command)] == list(spec.command)
    exact = jobs.spec_for(paths, _inst("0 9 * * 1-5"))
    assert exact is not None
    assert "--only-at-schedule" not in backends.get("launchd").render(exact)


def test_run_only_at_schedule_exits_quietly_off_schedule(world: World) -> None:
    world.add("corp")
    world.cli("schedule", "set", "corp", "0 0 1 1 *", "--no-apply")  # New Year only
    res = world.cli("run", "corp", "--trigger", "schedule", "--only-at-schedule")
    assert res.code == 0 and res.out == "" and res.err == ""
    assert world.calls() == []  # no bwdc started, nothing logged
    assert not (world.tmp / "data" / "corp" / "bwdc.log").exists()


def test_job_command_is_absolute_and_names_the_home(world: World) -> None:
    paths = resolve(world.home)
    command = jobs.runner_command(paths)
    assert Path(command[0]).is_absolute()
    assert command[-2:] == ("--home", str(world.home))
    assert jobs.job_id(paths, "corp").startswith("corp@")
    assert jobs.job_id(resolve(None).__class__(paths.config_dir, paths.state_dir), "corp") == "corp"


def test_a_foreign_backend_renders_but_does_not_install(world: World) -> None:
    import sys

    if sys.platform in ("darwin", "win32"):
        import pytest

        pytest.skip("checks the refusal on Linux")
    world.add("corp", secrets=False)
    res = world.cli("schedule", "set", "corp", "daily", "02:00", "--backend", "launchd")
    assert res.code == 5 and "macOS only" in res.err and "schedule render" in res.err
    assert (
        world.cli(
            "schedule", "set", "corp", "daily", "02:00", "--backend", "taskscheduler", "--no-apply"
        ).code
        == 0
    )
    xml = world.cli("schedule", "render", "corp", "--backend", "taskscheduler").out
    assert xml.lstrip().startswith("<?xml") and "run corp --trigger schedule" in xml
    plist = world.cli("schedule", "render", "corp", "--backend", "launchd").out
    assert "<key>StartCalendarInterval</key>" in plist


def test_a_job_never_imports_modules_from_its_working_folder(world: World, tmp_path: Path) -> None:
    """cron starts jobs in the home folder: a stray secrets.py there must not replace the
    standard module the runner imports."""
    import subprocess

    from bwdc_tray.paths import resolve
    from bwdc_tray.schedule.jobs import runner_command

    trap = tmp_path / "home-folder"
    trap.mkdir()
    (trap / "secrets.py").write_text("raise SystemExit('imported from the working folder')\n")
    world.add("corp")
    res = subprocess.run(
        [*runner_command(resolve()), "run", "corp", "--trigger", "schedule"],
        cwd=trap,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 0, res.stderr
